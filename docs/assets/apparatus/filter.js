// Filters of the apparatus index (no dependencies): type, relation (quotation, paraphrase…), a witness involved (any witness, and a
// second one), decision, substantive only; the count of loci shown is announced.
function apparatusFilter() {
  var table = document.getElementById("apparatus-index"), form = document.getElementById("apparatus-filter");
  if (!table || !form) return;
  var rows = Array.prototype.slice.call(table.querySelectorAll("tr[data-type]"));
  var count = document.getElementById("apparatus-count");
  function has(row, wit) { return !wit || (" " + row.getAttribute("data-wits") + " ").indexOf(" " + wit + " ") >= 0; }
  function apply() {
    var type = form.elements.type.value, w1 = form.elements.witness.value, w2 = form.elements.witness2.value;
    var decision = form.elements.decision.value, sub = form.elements.substantive.checked, shown = 0;
    var relation = form.elements.relation ? form.elements.relation.value : "";
    rows.forEach(function (r) {
      var ok = (!type || r.getAttribute("data-type") === type) && has(r, w1) && has(r, w2) &&
               (!relation || r.getAttribute("data-relation") === relation) &&
               (!decision || r.getAttribute("data-decision") === decision) &&
               (!sub || r.getAttribute("data-substantive") === "1");
      r.hidden = !ok;
      if (ok) shown++;
    });
    if (count) count.textContent = shown + " of " + rows.length + " loci shown";
  }
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  apply();
}
// the script stands before the table it filters: run once the page is parsed
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", apparatusFilter);
else apparatusFilter();
