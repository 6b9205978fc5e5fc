// Deadline clocks count down in the browser; the server marks overdue and met on each load.
(function () {
  "use strict";
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function format(ms) {
    var s = Math.floor(Math.abs(ms) / 1000);
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
    var m = Math.floor((s % 3600) / 60);
    return (d ? d + "d " : "") + pad(h) + "h " + pad(m) + "m " + pad(s % 60) + "s";
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var left = Date.parse(el.getAttribute("data-due")) - now;
      if (isNaN(left)) { return; }
      el.textContent = left < 0 ? "overdue by " + format(left) : format(left) + " left";
      el.classList.toggle("overdue", left < 0);
      var row = el.closest("tr");
      if (row) { row.classList.toggle("overdue", left < 0); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    tick();
    window.setInterval(tick, 1000);
    var csrf = document.body.getAttribute("data-csrf");
    if (csrf) {
      document.body.addEventListener("htmx:configRequest", function (e) {
        e.detail.headers["X-CSRF-Token"] = csrf;
      });
    }
  });
})();
