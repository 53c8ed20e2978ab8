// Poll the status of reports still queued or running, and show progress, links or errors.
(function () {
  "use strict";
  var strings = JSON.parse(document.getElementById("reports-strings").textContent);
  function render(row, data) {
    row.dataset.status = data.status;
    row.querySelector(".error").textContent = "";
    row.querySelector(".status-label").textContent = data.status_label;
    var bar = row.querySelector("progress");
    var pct = row.querySelector(".pct");
    if (data.status === "queued" || data.status === "running") {
      if (bar) { bar.value = data.progress; bar.textContent = data.progress + "%"; }
      if (pct) { pct.textContent = data.progress + "%"; }
      return false;
    }
    if (bar) { bar.remove(); }
    if (pct) { pct.remove(); }
    if (data.status === "failed") {
      row.querySelector(".error").textContent = data.error;
    }
    if (data.status === "done") {
      var links = row.querySelector(".links");
      links.textContent = "";
      [["PDF", data.pdf_url, "dl-pdf"], ["XLSX", data.xlsx_url, "dl-xlsx"]].forEach(function (l, i) {
        if (i) { links.appendChild(document.createTextNode(" · ")); }
        var a = document.createElement("a");
        a.href = l[1]; a.textContent = l[0]; a.className = l[2];
        links.appendChild(a);
      });
    }
    return true;
  }
  function poll(row) {
    fetch(row.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) { if (!render(row, data)) { setTimeout(function () { poll(row); }, 1000); } })
      .catch(function () {
        row.querySelector(".error").textContent = strings.poll_error;
        setTimeout(function () { poll(row); }, 3000);
      });
  }
  document.querySelectorAll("tr.report-row").forEach(function (row) {
    if (row.dataset.status === "queued" || row.dataset.status === "running") { poll(row); }
  });
})();

// Show only the period fields the chosen kind uses (all stay in the form without JS).
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }
  var kind = form.querySelector("[name=kind]");
  var uses = {
    six_month: ["year", "half"], annual: ["year"], custom: ["date_from", "date_to"],
    eval_3y: ["year"], eval_5y: ["year"], eval_10y: ["year"]
  };
  function update() {
    var wanted = uses[kind.value] || [];
    ["year", "half", "date_from", "date_to"].forEach(function (name) {
      var field = form.querySelector('[data-field="' + name + '"]');
      if (field) { field.hidden = wanted.indexOf(name) === -1; }
    });
  }
  kind.addEventListener("change", update);
  update();
})();
