// Sort the plans (the table's columns and the phone's cards) by a cost the user picks.
(function () {
  // On a phone the table is hidden (cards instead): the jump menu then leads to the cards.
  if (window.matchMedia && window.matchMedia("(max-width: 700px)").matches) {
    Array.prototype.forEach.call(document.querySelectorAll('nav.jump a[href^="#row-"]'), function (a) {
      a.setAttribute("href", "#card-" + a.getAttribute("href").slice(5));
    });
  }
  var select = document.getElementById("sort-plans");
  var table = document.getElementById("matrix");
  if (!select || !table) return;
  function order(key) {
    var n = table.tHead.rows[0].cells.length - 1, idx = [];
    for (var i = 0; i < n; i++) idx.push(i);
    if (!key) return idx;
    var row = table.querySelector('tr[data-key="' + key + '"]');
    function value(i) { var v = row.cells[i + 1].getAttribute("data-amount"); return v === null || v === "" ? Infinity : parseFloat(v); }
    return idx.sort(function (a, b) { return value(a) - value(b) || a - b; });
  }
  function apply() {
    var idx = order(select.value);
    Array.prototype.forEach.call(table.rows, function (tr) {
      var cells = Array.prototype.slice.call(tr.cells, 1);
      idx.forEach(function (i) { tr.appendChild(cells[i]); });
    });
    Array.prototype.forEach.call(document.querySelectorAll(".cards .concern"), function (group) {
      var cards = Array.prototype.slice.call(group.querySelectorAll(".card"));
      idx.forEach(function (i) { group.appendChild(cards[i]); });
    });
    document.getElementById("sort-status").textContent = select.value ? "Plans sorted by " + select.options[select.selectedIndex].text + ", lowest first." : "Plans in the order given.";
  }
  select.addEventListener("change", apply);
})();
