// Accessible names for the admin's controls that have none on the article form: the inputs of
// tabular inlines (a column heading is not a label) and the autocomplete boxes (select2 names
// them by the chosen value alone, which is nothing while none is chosen). Each gets its column
// heading or its field's label; rows added later are named as they come.
(function () {
  "use strict";

  var counter = 0;
  function idOf(element) {
    if (!element.id) element.id = "desk-label-" + (++counter);
    return element.id;
  }

  function nameTabularRows() {
    document.querySelectorAll(".tabular table").forEach(function (table) {
      var headings = Array.from(table.querySelectorAll("thead th"));
      table.querySelectorAll("tbody tr.form-row").forEach(function (row, index) {
        Array.from(row.children).forEach(function (cell, column) {
          var heading = headings[column];
          var title = heading && heading.textContent.trim();
          if (!title) return;
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (control) {
            if (control.labels.length || control.hasAttribute("aria-label")) return;
            control.setAttribute("aria-label", title + " (row " + (index + 1) + ")");
          });
        });
      });
    });
  }

  function nameAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var box = select.parentNode.querySelector(".select2-selection[role=combobox]");
      if (!box || box.dataset.named) return;
      var label = select.labels[0];
      if (!label) {
        var cell = select.closest("td");
        var table = select.closest("table");
        if (!cell || !table) return;
        label = table.querySelectorAll("thead th")[Array.from(cell.parentNode.children).indexOf(cell)];
        if (!label) return;
      }
      var current = box.getAttribute("aria-labelledby");
      box.setAttribute("aria-labelledby", idOf(label) + (current ? " " + current : ""));
      // The box's inner text field, a textbox of its own, is named by the label too.
      var shown = box.querySelector("[role=textbox]");
      if (shown && !shown.hasAttribute("aria-labelledby")) shown.setAttribute("aria-labelledby", label.id);
      box.dataset.named = "1";
    });
  }

  function nameAll() {
    nameTabularRows();
    nameAutocompletes();
  }

  // After the admin's scripts have built the autocompletes (on document ready).
  if (document.readyState === "complete") nameAll();
  else window.addEventListener("load", nameAll);
  document.addEventListener("formset:added", function () { setTimeout(nameAll); });
})();
