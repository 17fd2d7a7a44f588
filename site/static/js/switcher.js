/* The 简体/繁體 switcher keeps the reader's place: the #anchor of this page goes along.
   The switch link (/switch/<script>/?next=…) answers with a redirect whose Location has no
   fragment, so the browser carries the link's own fragment over to the other rendition.
   Set on click, so an anchor the reader followed after the page loaded counts too.
   Without JavaScript the switch still works, to the top of the page. No inline script: CSP. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".switcher a[href]");
    if (!link) { return; }
    link.hash = window.location.hash;
  });
})();
