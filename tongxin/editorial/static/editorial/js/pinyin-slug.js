// Pinyin slugs as the editor types a Chinese title (tongxin.editorial.slugs does the work).
// Only on a page that has never been published, and only while the editor has not typed a
// slug of their own; Wagtail's own title→slug sync may write first, this answer wins.
(function () {
  "use strict";
  var script = document.currentScript;
  var endpoint = script && script.dataset.slugUrl;
  if (!endpoint) return;

  function start() {
    var title = document.getElementById("id_title");
    var slug = document.getElementById("id_slug");
    if (!title || !slug) return;
    var form = title.form;
    var creating = /\/pages\/add\//.test(window.location.pathname);
    var editable = creating || slug.value === "" || /[^\x00-\x7f]/.test(slug.value);
    if (!editable) return;
    var parent = (window.location.pathname.match(/\/pages\/add\/[^/]+\/[^/]+\/(\d+)\//) || [])[1];
    var ours = slug.value;
    var typedByEditor = false;
    var timer = null;
    var asked = 0;

    slug.addEventListener("input", function (event) {
      if (event.isTrusted) typedByEditor = slug.value !== "";
    });

    function update() {
      if (typedByEditor) return;
      var text = title.value.trim();
      var ticket = ++asked;
      var url = endpoint + "?title=" + encodeURIComponent(text) + (parent ? "&parent=" + parent : "");
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data || ticket !== asked || typedByEditor) return;
          if (data.slug || !text) {
            slug.value = data.slug;
            ours = data.slug;
            slug.dispatchEvent(new Event("change", { bubbles: true }));
          }
        })
        .catch(function () {});
    }

    ["input", "change", "blur"].forEach(function (name) {
      title.addEventListener(name, function () {
        clearTimeout(timer);
        timer = setTimeout(update, name === "input" ? 250 : 0);
      });
    });
    // Wagtail's title→slug sync (w-sync) announces each write with a cancelable
    // "w-sync:apply" on the slug field: while the slug is ours, it must not write the
    // Chinese auto-slug over the pinyin (it may fire after our answer has arrived).
    slug.addEventListener("w-sync:apply", function (event) {
      if (!typedByEditor) event.preventDefault();
    });
    // Any other rewrite on blur of the title; put ours back.
    slug.addEventListener("blur", function () {
      if (!typedByEditor && ours && slug.value !== ours && /[^\x00-\x7f]/.test(slug.value)) {
        slug.value = ours;
      }
    });
    if (form && title.value && !slug.value) update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
