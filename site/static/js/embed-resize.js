/* Optional, for partner pages that embed Tongxin widgets (docs/partners.md):

     <script src="https://tongxin.example/static/js/embed-resize.js" async></script>

   Sizes each Tongxin widget iframe on the page to its content. A widget posts
   {type: "tongxin:embed-height", height} to its parent (js/embed-height.js); this script
   accepts a message only when it comes from the Tongxin origin this file was loaded from
   and from the window of an iframe on this page whose src is on that origin, and then sets
   only that iframe's height (between 80 and 4000 pixels). Without this script the widgets
   keep the height of the embed code, which fits them already. */
(function () {
  "use strict";
  var script = document.currentScript;
  var origin;
  try {
    origin = new URL(script.src).origin;
  } catch (e) {
    return;
  }
  var MIN = 80;
  var MAX = 4000;

  function frameOf(source) {
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === source) {
        return frames[i];
      }
    }
    return null;
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== origin) {
      return;
    }
    var data = event.data;
    if (!data || typeof data !== "object" || data.type !== "tongxin:embed-height") {
      return;
    }
    var height = Math.round(Number(data.height));
    if (!isFinite(height)) {
      return;
    }
    var frame = frameOf(event.source);
    if (!frame) {
      return;
    }
    var src;
    try {
      src = new URL(frame.src, document.baseURI).origin;
    } catch (e) {
      return;
    }
    if (src !== origin) {
      return;
    }
    height = Math.min(MAX, Math.max(MIN, height));
    frame.style.height = height + "px";
    frame.setAttribute("height", String(height));
  });
})();
