// Filter the apparatus index by type, pair of witnesses and substantive-only (no dependencies).
function apparatusFilter() {
  var table = document.getElementById("apparatus-index"), box = document.getElementById("apparatus-filter");
  if (!table || !box) return;
  var rows = Array.prototype.slice.call(table.querySelectorAll("tr[data-type]"));
  function values(attr) { var s = {}; rows.forEach(function (r) { s[r.getAttribute(attr)] = 1; }); return Object.keys(s).sort(); }
  function select(name, opts) {
    var el = document.createElement("select"); el.name = name; el.setAttribute("aria-label", "Filter by " + name);
    ["(all)"].concat(opts).forEach(function (o) { var op = document.createElement("option"); op.textContent = o; el.appendChild(op); });
    box.appendChild(el); return el;
  }
  var type = select("type", values("data-type")), pair = select("pair", values("data-pair"));
  var sub = document.createElement("input"); sub.type = "checkbox"; var lab = document.createElement("label");
  lab.appendChild(sub); lab.appendChild(document.createTextNode(" substantive only")); box.appendChild(lab);
  function apply() {
    rows.forEach(function (r) {
      var ok = (type.value === "(all)" || r.getAttribute("data-type") === type.value) &&
               (pair.value === "(all)" || r.getAttribute("data-pair") === pair.value) &&
               (!sub.checked || r.getAttribute("data-substantive") === "1");
      r.style.display = ok ? "" : "none";
    });
  }
  [type, pair, sub].forEach(function (el) { el.addEventListener("change", apply); });
}
// the script stands before the table it filters: run once the page is parsed
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", apparatusFilter);
else apparatusFilter();
