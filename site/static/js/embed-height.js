/* Inside the partner widget (syndication/embed.html): tells the page that frames it how tall
   the widget's content is, so that the optional partner-side script (embed-resize.js) can
   size the iframe to fit. Posts {type: "tongxin:embed-height", height, href} to the parent
   on load and whenever the content's size changes; nothing else. The widget is complete
   without it (and without the partner script): the embed code's height fits already.
   A static file, no inline script: the Content-Security-Policy allows none. */
(function () {
  "use strict";
  if (window.parent === window) {
    return;
  }
  var last = 0;

  function needed() {
    var widget = document.querySelector(".widget");
    var main = document.querySelector("main");
    var content = main && main.firstElementChild;
    if (!widget || !content) {
      return 0;
    }
    // The widget fills its frame; its main part takes what the header and footer leave.
    // What the content needs is the frame minus that room, plus the content's own height.
    return Math.ceil(widget.offsetHeight - main.clientHeight + content.offsetHeight);
  }

  function post() {
    var height = needed();
    if (height > 0 && height !== last) {
      last = height;
      window.parent.postMessage(
        { type: "tongxin:embed-height", height: height, href: window.location.href },
        "*"
      );
    }
  }

  function start() {
    post();
    if (window.ResizeObserver) {
      var main = document.querySelector("main");
      var observer = new ResizeObserver(post);
      observer.observe(document.documentElement);
      if (main && main.firstElementChild) {
        observer.observe(main.firstElementChild);
      }
    } else {
      window.addEventListener("resize", post);
    }
    window.addEventListener("load", post);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
