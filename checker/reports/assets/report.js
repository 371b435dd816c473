// juesuan HTML report: filters, and jumping between a finding and its place in the document.
// Each <section class="report"> works on its own; the page needs no network and no library.
(function () {
  "use strict";

  function setUp(report) {
    var items = Array.prototype.slice.call(report.querySelectorAll("li.finding"));
    var marks = Array.prototype.slice.call(report.querySelectorAll("mark.hl"));
    var boxes = Array.prototype.slice.call(report.querySelectorAll("input.sev-filter"));
    var select = report.querySelector("select.rule-select");
    var shown = report.querySelector(".shown");

    function visibleSet() {
      var severities = {};
      boxes.forEach(function (b) { severities[b.value] = b.checked; });
      var rule = select ? select.value : "";
      var visible = {};
      var count = 0;
      items.forEach(function (li) {
        var on = severities[li.dataset.severity] !== false && (!rule || li.dataset.rule === rule);
        li.hidden = !on;
        if (on) { visible[li.dataset.f] = true; count += 1; }
      });
      report.querySelectorAll("section.group").forEach(function (g) {
        g.hidden = !g.querySelector("li.finding:not([hidden])");
      });
      if (shown) { shown.textContent = "显示 " + count + " / " + items.length + " 条"; }
      return visible;
    }

    function apply() {
      var visible = visibleSet();
      marks.forEach(function (m) {
        if (!m.dataset.f) { return; }  // a suggested figure no finding marks: always shown
        var any = m.dataset.f.split(" ").some(function (f) { return visible[f]; });
        m.classList.toggle("off", !any);
      });
    }

    function clearCurrent() {
      report.querySelectorAll("mark.current, mark.flash").forEach(function (m) {
        m.classList.remove("current", "flash");
      });
      report.querySelectorAll("li.finding.active").forEach(function (li) { li.classList.remove("active"); });
    }

    function flash(targets) {
      if (!targets.length) { return; }
      targets.forEach(function (m) {
        m.classList.remove("flash");
        void m.offsetWidth;  // restart the animation
        m.classList.add("current", "flash");
      });
      targets[0].scrollIntoView({ block: "center", behavior: "smooth" });
    }

    function marksFor(selector) {
      return Array.prototype.slice.call(report.querySelectorAll("mark.hl" + selector));
    }

    function showFinding(li) {
      clearCurrent();
      li.classList.add("active");
      flash(marksFor('[data-f~="' + li.dataset.f + '"]'));
    }

    items.forEach(function (li) {
      li.addEventListener("click", function (event) {
        var target = event.target;
        if (target.closest("summary, details pre, select, input")) { return; }
        var button = target.closest("button.goto");
        if (button) {
          clearCurrent();
          li.classList.add("active");
          flash(marksFor('[data-e~="' + button.dataset.e + '"]'));
          return;
        }
        showFinding(li);
      });
      li.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && event.target === li) { showFinding(li); }
      });
    });

    marks.forEach(function (m) {
      m.addEventListener("click", function () {
        if (m.classList.contains("off") || !m.dataset.f) { return; }
        var first = m.dataset.f.split(" ").map(function (f) {
          return report.querySelector('li.finding[data-f="' + f + '"]:not([hidden])');
        }).filter(Boolean)[0];
        if (!first) { return; }
        clearCurrent();
        first.classList.add("active");
        m.classList.add("current");
        first.scrollIntoView({ block: "nearest", behavior: "smooth" });
      });
    });

    report.querySelectorAll("button.goto-fix").forEach(function (button) {
      button.addEventListener("click", function () {
        clearCurrent();
        flash(marksFor('[data-s~="' + button.dataset.s + '"]'));
      });
    });

    marks.forEach(function (m) {
      m.addEventListener("animationend", function () { m.classList.remove("flash"); });
    });
    boxes.forEach(function (b) { b.addEventListener("change", apply); });
    if (select) { select.addEventListener("change", apply); }
    apply();
  }

  document.querySelectorAll("section.report").forEach(setUp);
})();
