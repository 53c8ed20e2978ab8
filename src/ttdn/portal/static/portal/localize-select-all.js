/* wagtail-localize's "select all" for the languages to translate into (its inline script,
   moved here so the admin needs no 'unsafe-inline'). */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var selectAll = document.querySelector('[name="select_all"]');
  var locales = document.querySelectorAll('[name="locales"]');
  if (!selectAll) return;
  selectAll.addEventListener("change", function () {
    for (var i = 0; i < locales.length; i++) {
      locales[i].checked = selectAll.checked;
    }
  });
});
