/* satudata report: search, filter and sort the OPD list. Without scripts every OPD is shown (nothing is
   hidden by default); with them the controls appear. No request leaves the page. */
(function () {
  "use strict";
  /* every cell of a table names its column (data-label): on a phone a wide table becomes one card per row,
     each value after its column's name, instead of scrolling inside its box */
  Array.prototype.forEach.call(document.querySelectorAll("table"), function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    if (!heads.length) { return; }
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (tr) {
      Array.prototype.forEach.call(tr.children, function (td, i) {
        if (td.tagName === "TD" && !td.hasAttribute("data-label") && heads[i]) { td.setAttribute("data-label", heads[i]); }
      });
    });
  });
  var list = document.getElementById("daftar-opd");
  var controls = document.getElementById("kendali-opd");
  if (!list || !controls) { return; }
  controls.hidden = false;
  var items = Array.prototype.slice.call(list.querySelectorAll("details.opd"));
  var search = document.getElementById("cari-opd");
  var zone = document.getElementById("saring-zona");
  var kind = document.getElementById("saring-jenis");
  var affair = document.getElementById("saring-urusan");
  var order = document.getElementById("urut-opd");
  var count = document.getElementById("jumlah-tampil");
  var none = document.getElementById("tidak-ada-hasil");
  var num = function (el, key) { return parseFloat(el.getAttribute("data-" + key)) || 0; };
  var sorters = {
    /* the round's list of OPDs to act on first, in its order (lowest percent first), then the others */
    "aksi": function (a, b) { return num(a, "aksi") - num(b, "aksi") || num(a, "no") - num(b, "no"); },
    "no": function (a, b) { return num(a, "no") - num(b, "no"); },
    "persen-naik": function (a, b) { return num(a, "persen") - num(b, "persen") || num(a, "no") - num(b, "no"); },
    "nama": function (a, b) { return a.getAttribute("data-nama").localeCompare(b.getAttribute("data-nama"), "id"); },
    "kurang": function (a, b) { return num(b, "kurang") - num(a, "kurang") || num(a, "no") - num(b, "no"); },
    "selisih": function (a, b) { return num(b, "selisih") - num(a, "selisih") || num(a, "no") - num(b, "no"); }
  };
  function apply() {
    var text = (search.value || "").trim().toLowerCase();
    var shown = 0;
    items.forEach(function (el) {
      var ok = (!text || el.getAttribute("data-nama").indexOf(text) !== -1) &&
        (!zone.value || el.getAttribute("data-zona") === zone.value) &&
        (!kind.value || el.getAttribute("data-jenis") === kind.value) &&
        (!affair || !affair.value || el.getAttribute("data-urusan").indexOf("|" + affair.value + "|") !== -1);
      el.hidden = !ok;
      if (ok) { shown += 1; }
    });
    items.slice().sort(sorters[order.value] || sorters.aksi).forEach(function (el) { list.appendChild(el); });
    count.textContent = shown + " dari " + items.length + " OPD";
    none.hidden = shown !== 0;
  }
  [search, zone, kind, affair, order].forEach(function (el) {
    if (el) { el.addEventListener(el === search ? "input" : "change", apply); }
  });
  /* a link to an OPD's card (from "Perlu perhatian") opens it */
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (el && el.tagName === "DETAILS") { el.hidden = false; el.open = true; }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
  apply();
}());
