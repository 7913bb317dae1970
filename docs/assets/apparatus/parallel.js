// The parallel view of two witnesses (no dependencies): the two columns scroll together, row by
// row of the apparatus; selecting a reading (click, tap, or keyboard focus) highlights its
// counterpart and brings it beside it. On a phone the columns stack (CSS) and nothing scrolls apart.
(function () {
  "use strict";
  var a = document.querySelector(".par-a"), b = document.querySelector(".par-b");
  if (!a || !b) return;
  var driver = null, timer = 0;

  function split() { return getComputedStyle(a).overflowY === "auto"; }
  function row(col, n) { return col.querySelector('.par-row[data-row="' + n + '"]'); }
  function other(col) { return col === a ? b : a; }
  function top(col, el) { return el.getBoundingClientRect().top - col.getBoundingClientRect().top + col.scrollTop; }

  function follow(from) {
    var to = other(from), rows = from.querySelectorAll(".par-row"), at = from.scrollTop, current = null;
    for (var i = 0; i < rows.length; i++) {
      if (top(from, rows[i]) + rows[i].offsetHeight > at) { current = rows[i]; break; }
    }
    if (!current) return;
    var frac = Math.max(0, Math.min(1, (at - top(from, current)) / Math.max(1, current.offsetHeight)));
    var mate = row(to, current.getAttribute("data-row"));
    if (mate) to.scrollTop = top(to, mate) + frac * mate.offsetHeight;
  }
  function onScroll(e) {
    if (!split()) return;
    var col = e.currentTarget;
    if (driver && driver !== col) return;
    driver = col;
    follow(col);
    clearTimeout(timer);
    timer = setTimeout(function () { driver = null; }, 120);
  }
  a.addEventListener("scroll", onScroll, { passive: true });
  b.addEventListener("scroll", onScroll, { passive: true });

  function select(n, from) {
    Array.prototype.forEach.call(document.querySelectorAll(".par .is-sel"), function (el) { el.classList.remove("is-sel"); });
    [a, b].forEach(function (col) {
      var r = row(col, n);
      if (!r) return;
      r.classList.add("is-sel");
      var rd = r.querySelector(".rd");
      if (rd) rd.classList.add("is-sel");
    });
    if (from && split()) {
      var mine = row(from, n), mate = row(other(from), n);
      driver = from;
      other(from).scrollTop = top(other(from), mate) - (top(from, mine) - from.scrollTop);
      clearTimeout(timer);
      timer = setTimeout(function () { driver = null; }, 120);
    }
  }
  function pick(e) {
    var rd = e.target.closest && e.target.closest(".par .rd[data-row]");
    if (rd) select(rd.getAttribute("data-row"), rd.closest(".par-col"));
  }
  document.addEventListener("click", pick);
  document.addEventListener("focusin", pick);
  function fromHash() {
    var id = decodeURIComponent(location.hash.slice(1)), el = id && document.getElementById(id);
    if (el && el.classList.contains("par-row")) {
      var col = el.closest(".par-col");
      if (split()) col.scrollTop = top(col, el);
      else el.scrollIntoView();
      select(el.getAttribute("data-row"), col);
    }
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
