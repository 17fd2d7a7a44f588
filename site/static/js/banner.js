/* The site-wide donation banner's close button (blocks/donate.html, banner only).
   Loaded right after the banner, so a banner the reader dismissed is hidden before the first
   paint. The dismissal is remembered in localStorage under the fund's key: no cookie, nothing
   sent anywhere; a banner for another fund shows again. Without JavaScript the banner stays,
   compact, and no dead button shows. No inline script: CSP. */
(function () {
  "use strict";
  var KEY = "tongxin-banner-dismissed";
  var banners = document.querySelectorAll("[data-banner]");
  var dismissed = null;
  try { dismissed = window.localStorage.getItem(KEY); } catch (e) { /* storage off */ }

  Array.prototype.forEach.call(banners, function (banner) {
    var fund = banner.getAttribute("data-banner");
    if (dismissed && dismissed === fund) {
      banner.hidden = true;
      return;
    }
    var close = banner.querySelector("[data-banner-close]");
    if (!close) { return; }
    close.addEventListener("click", function () {
      banner.hidden = true;
      try { window.localStorage.setItem(KEY, fund); } catch (e) { /* this page only */ }
      var main = document.getElementById("main");
      if (main) { main.focus({ preventScroll: true }); }
    });
    close.hidden = false;
  });
})();
