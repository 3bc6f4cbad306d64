/* narrativediff report: filter, sort and unfold what the page holds; nothing is fetched. */
(function () {
  "use strict";
  var root = document.getElementById("nd-report");
  var form = document.getElementById("nd-filters");
  if (!root || !form) { return; }
  var rows = Array.prototype.slice.call(root.querySelectorAll("tr.nd-pair, tr.nd-top-pair, div.nd-claim"));
  var names = ["outlet", "relation", "component", "kind", "sort"];

  function has(list, value) { return (" " + (list || "") + " ").indexOf(" " + value + " ") >= 0; }
  function wanted() {
    var f = {};
    names.forEach(function (name) { f[name] = form.elements[name].value; });
    return f;
  }
  function keep(el, f) {
    var d = el.dataset;
    if (f.outlet && !has(d.outlets, f.outlet)) { return false; }
    if (f.relation && d.relation !== f.relation) { return false; }
    if (f.component && !has(d.components, f.component)) { return false; }
    if (f.kind && d.kind !== f.kind) { return false; }
    return true;
  }
  function sortKey(el, key) {
    if (key === "order") { return Number(el.dataset.order || 0); }
    var value = el.dataset[key];
    return value === undefined ? 1 : -Number(value);
  }
  function sortAll(key) {
    root.querySelectorAll(".nd-sortable").forEach(function (box) {
      var items = Array.prototype.slice.call(box.children);
      items.sort(function (x, y) {
        return (sortKey(x, key) - sortKey(y, key)) || (Number(x.dataset.order) - Number(y.dataset.order));
      });
      items.forEach(function (item) { box.appendChild(item); });
    });
  }
  function apply() {
    var f = wanted(), pairs = 0, pairsShown = 0, claims = 0, claimsShown = 0;
    rows.forEach(function (el) {
      var shown = keep(el, f);
      el.hidden = !shown;
      if (el.classList.contains("nd-claim")) { claims += 1; claimsShown += shown ? 1 : 0; }
      else if (el.classList.contains("nd-pair")) { pairs += 1; pairsShown += shown ? 1 : 0; }
    });
    sortAll(f.sort || "order");
    form.elements.shown.value = "showing " + pairsShown + " of " + pairs + " pairs, " + claimsShown + " of " + claims + " claims";
    form.dataset.pairsShown = pairsShown;
    form.dataset.claimsShown = claimsShown;
    var query = names.filter(function (n) { return f[n] && !(n === "sort" && f[n] === "order"); })
      .map(function (n) { return n + "=" + encodeURIComponent(f[n]); }).join("&");
    try { history.replaceState(null, "", query ? "#" + query : location.pathname + location.search); } catch (e) { /* a file: page may refuse */ }
  }
  function fromHash() {
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var kv = part.split("=");
      if (kv.length === 2 && names.indexOf(kv[0]) >= 0) {
        var select = form.elements[kv[0]], value = decodeURIComponent(kv[1]);
        if (Array.prototype.some.call(select.options, function (o) { return o.value === value; })) { select.value = value; }
      }
    });
  }
  function unfold(open) { root.querySelectorAll("details").forEach(function (d) { d.open = open; }); }

  var folded = [];
  window.addEventListener("beforeprint", function () {
    folded = Array.prototype.filter.call(root.querySelectorAll("details"), function (d) { return !d.open; });
    unfold(true);
  });
  window.addEventListener("afterprint", function () { folded.forEach(function (d) { d.open = false; }); folded = []; });
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  form.elements.expand.addEventListener("click", function () { unfold(true); });
  form.elements.collapse.addEventListener("click", function () { unfold(false); });
  form.hidden = false;
  fromHash();
  apply();
}());
