/* The portal's only script: the reader's own preferences (localStorage), pages read in this
   visit (sessionStorage), recommendations computed from them on request, and the language
   cookie the root address uses. Nothing leaves the browser except these explicit choices. */
(function () {
  "use strict";
  var PREFS = "ttdn-portal-prefs", READ = "ttdn-portal-read";
  function load(store, key, fallback) {
    try { var v = JSON.parse(store.getItem(key)); return v === null ? fallback : v; } catch (e) { return fallback; }
  }
  function save(store, key, value) { try { store.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ } }

  // remember the language the reader is reading in, for the root address next time
  var lang = document.documentElement.lang;
  document.cookie = "ttdn_portal_language=" + encodeURIComponent(lang) + ";path=/;max-age=31536000;SameSite=Lax";

  // pages read in this visit
  var article = document.querySelector("article[data-page-id]");
  if (article) {
    var read = load(sessionStorage, READ, []);
    var id = parseInt(article.getAttribute("data-page-id"), 10);
    if (read.indexOf(id) < 0) { read.push(id); save(sessionStorage, READ, read.slice(-50)); }
  }

  // preferences form
  var form = document.getElementById("p-prefs");
  if (form) {
    var prefs = load(localStorage, PREFS, {});
    form.country.value = prefs.country || "";
    Array.prototype.forEach.call(form.querySelectorAll("input[name=topics]"), function (box) {
      box.checked = (prefs.topics || []).indexOf(box.value) >= 0;
    });
    Array.prototype.forEach.call(form.provinces.options, function (o) {
      o.selected = (prefs.provinces || []).indexOf(o.value) >= 0;
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = {
        country: form.country.value.trim().toUpperCase().slice(0, 2),
        topics: Array.prototype.filter.call(form.querySelectorAll("input[name=topics]"), function (b) { return b.checked; }).map(function (b) { return b.value; }),
        provinces: Array.prototype.filter.call(form.provinces.options, function (o) { return o.selected; }).map(function (o) { return o.value; })
      };
      save(localStorage, PREFS, chosen);
      form.querySelector(".p-saved").textContent = "✓";
      recommend();
    });
  }

  var forget = document.querySelector(".p-forget");
  if (forget) {
    forget.addEventListener("click", function () {
      try { localStorage.removeItem(PREFS); sessionStorage.removeItem(READ); } catch (e) { /* nothing kept */ }
      document.cookie = "ttdn_portal_language=;path=/;max-age=0";
      document.querySelector(".p-forget-status").textContent = "✓";
    });
  }

  function recommend() {
    var box = document.querySelector(".p-foryou[data-recommend-url]");
    if (!box) { return; }
    var prefs = load(localStorage, PREFS, {});
    var params = new URLSearchParams({
      topics: (prefs.topics || []).join(","),
      provinces: (prefs.provinces || []).join(","),
      country: prefs.country || "",
      read: load(sessionStorage, READ, []).join(",")
    });
    fetch(box.getAttribute("data-recommend-url") + "?" + params.toString(), { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : { pages: [] }; })
      .then(function (data) {
        var list = box.querySelector(".p-recommended");
        list.textContent = "";
        data.pages.forEach(function (p) {
          var li = document.createElement("li"), a = document.createElement("a");
          a.href = p.url; a.textContent = p.title; li.appendChild(a); list.appendChild(li);
        });
      })
      .catch(function () { /* recommendations are optional */ });
  }
  recommend();
})();
