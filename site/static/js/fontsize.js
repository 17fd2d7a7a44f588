/* Reader-chosen text size (A- / A / A+), remembered in localStorage.
   Loaded in <head> so the saved size applies before the first paint; the page is complete
   without it, and the control stays hidden when scripts do not run. No inline script: CSP. */
(function () {
  "use strict";
  var KEY = "tongxin-fontsize";
  var LEVELS = ["fs-s", "", "fs-l", "fs-xl"];
  var DEFAULT = 1;
  var root = document.documentElement;

  function read() {
    try {
      var i = LEVELS.indexOf(window.localStorage.getItem(KEY) || "");
      return i < 0 ? DEFAULT : i;
    } catch (e) {
      return DEFAULT;
    }
  }

  function apply(i) {
    LEVELS.forEach(function (c) { if (c) { root.classList.remove(c); } });
    if (LEVELS[i]) { root.classList.add(LEVELS[i]); }
  }

  function save(i) {
    try {
      if (i === DEFAULT) { window.localStorage.removeItem(KEY); }
      else { window.localStorage.setItem(KEY, LEVELS[i]); }
    } catch (e) { /* private mode: the size still applies to this page */ }
  }

  var level = read();
  apply(level);

  function wire() {
    var group = document.querySelector("[data-fontsize]");
    if (!group) { return; }
    var buttons = group.querySelectorAll("[data-fontsize-step]");
    function update() {
      Array.prototype.forEach.call(buttons, function (b) {
        var step = parseInt(b.getAttribute("data-fontsize-step"), 10);
        b.setAttribute("aria-pressed", String(step === 0 ? level === DEFAULT : false));
        // aria-disabled, not disabled: a disabled button would drop the keyboard focus.
        var atLimit = (step < 0 && level === 0) || (step > 0 && level === LEVELS.length - 1);
        b.setAttribute("aria-disabled", String(atLimit));
      });
    }
    Array.prototype.forEach.call(buttons, function (b) {
      b.addEventListener("click", function () {
        var step = parseInt(b.getAttribute("data-fontsize-step"), 10);
        level = step === 0 ? DEFAULT : Math.max(0, Math.min(LEVELS.length - 1, level + step));
        apply(level);
        save(level);
        update();
      });
    });
    update();
    group.hidden = false;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wire);
  } else {
    wire();
  }
})();
