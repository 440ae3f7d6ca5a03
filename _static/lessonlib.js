// A formula wider than its column gets its own horizontal scroll box, reachable by keyboard
// (a phone shows every formula whole this way). Others stay plain inline math.
(function () {
  function fit() {
    document.querySelectorAll("mjx-container").forEach(function (el) {
      el.classList.remove("lessonlib-wide");
      el.removeAttribute("tabindex");
      var column = el.parentElement;
      while (column && getComputedStyle(column).display.indexOf("inline") === 0) {
        column = column.parentElement;
      }
      var wider = column && el.getBoundingClientRect().width > column.clientWidth + 1;
      var display = el.getAttribute("display") === "true";  // a block: may overflow itself
      if (wider || (display && el.scrollWidth > el.clientWidth + 1)) {
        el.classList.add("lessonlib-wide");
        el.setAttribute("tabindex", "0");
      }
    });
  }
  function start() {
    // MathJax typesets after the page has loaded; measure once it is done.
    var ready = window.MathJax && MathJax.startup && MathJax.startup.promise;
    (ready || Promise.resolve()).then(fit);
    var timer;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(fit, 150);
    });
  }
  if (document.readyState === "complete") {
    start();
  } else {
    window.addEventListener("load", start);
  }
})();
