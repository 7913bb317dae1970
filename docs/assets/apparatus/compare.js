// In-place comparison at the ⇄ marks of a witness's text (no dependencies; works from file://).
// Each mark is a link to its locus page; with this script a click, a tap or Enter opens a panel
// beside the mark instead: the other witness's words (differences marked), the verdict, and links
// to the parallel view and the locus. The data: edition/apparatus/pop-<siglum>.js (generated).
(function () {
  "use strict";
  var me = document.currentScript && document.currentScript.src;
  if (!me) return;
  var base = me.replace(/assets\/apparatus\/compare\.js(\?.*)?$/, "");
  var offline = /\.html$/.test(location.pathname) || location.protocol === "file:";
  var panel = null, opener = null, siglum = null, wanted = null;

  function url(src) {
    var i = src.indexOf("#"), path = i < 0 ? src : src.slice(0, i), hash = i < 0 ? "" : src.slice(i);
    path = offline ? path.replace(/\.md$/, ".html")
                   : path.replace(/(^|\/)index\.md$/, "$1").replace(/\.md$/, "/");
    return base + path + hash;
  }
  function data() { return window.__appPop && window.__appPop[siglum]; }

  function close(back) {
    if (!panel || panel.hidden) return;
    panel.hidden = true;
    if (opener) { opener.setAttribute("aria-expanded", "false"); if (back) opener.focus(); }
  }
  function place(mark) {
    if (window.matchMedia("(max-width: 600px)").matches) { panel.style.left = ""; panel.style.top = ""; return; }
    var r = mark.getBoundingClientRect(), w = Math.min(576, document.documentElement.clientWidth - 24);
    var left = Math.max(12, Math.min(r.left + window.scrollX - w / 2, window.scrollX + document.documentElement.clientWidth - w - 12));
    panel.style.left = left + "px";
    // below the mark if it fits in the window, else above it, else as low as the window allows
    var h = panel.offsetHeight, view = document.documentElement.clientHeight, top = r.bottom + 6;
    if (top + h > view - 6) top = r.top - 6 - h >= 6 ? r.top - 6 - h : Math.max(6, view - 6 - h);
    panel.style.top = (top + window.scrollY) + "px";
  }
  function open(mark) {
    var html = data() && data()[mark.getAttribute("data-locus")];
    if (!html) return false;
    if (!panel) {
      panel = document.createElement("div");
      panel.id = "ap-pop"; panel.className = "ap-pop"; panel.setAttribute("role", "dialog");
      panel.setAttribute("aria-label", "Comparison");
      document.body.appendChild(panel);
      panel.addEventListener("keydown", function (e) { if (e.key === "Escape") close(true); });
    }
    if (opener && opener !== mark) opener.setAttribute("aria-expanded", "false");
    opener = mark;
    panel.innerHTML = '<button type="button" class="ap-pop-close" aria-label="Close the comparison">×</button>' + html;
    panel.setAttribute("aria-label", mark.getAttribute("aria-label") || "Comparison");
    Array.prototype.forEach.call(panel.querySelectorAll("a[data-src]"), function (a) {
      a.href = url(a.getAttribute("data-src"));
    });
    panel.querySelector(".ap-pop-close").addEventListener("click", function () { close(true); });
    panel.hidden = false;
    mark.setAttribute("aria-expanded", "true");
    place(mark);
    panel.querySelector(".ap-pop-close").focus({ preventScroll: true });
    return true;
  }
  function load() {
    var meta = document.querySelector(".edition-meta[data-siglum]");
    if (!meta || !document.querySelector("a.app-mark[data-locus]")) return;
    siglum = meta.getAttribute("data-siglum");
    var s = document.createElement("script");
    s.src = base + "edition/apparatus/pop-" + encodeURIComponent(siglum) + ".js";
    s.onload = function () { if (wanted) { open(wanted); wanted = null; } };
    document.head.appendChild(s);
  }
  document.addEventListener("click", function (e) {
    var mark = e.target.closest && e.target.closest("a.app-mark[data-locus]");
    if (mark) {
      if (e.ctrlKey || e.metaKey || e.shiftKey) return;  // a new tab: the locus page
      if (opener === mark && panel && !panel.hidden) { e.preventDefault(); close(false); return; }
      if (data()) { if (open(mark)) e.preventDefault(); }
      else if (siglum) { e.preventDefault(); wanted = mark; }
      return;
    }
    if (panel && !panel.hidden && !panel.contains(e.target)) close(false);
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") close(true); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", load);
  else load();
})();
