/* Starts the Wagtail admin widgets whose inline start-up script the server turned into data
   (ttdn/portal/admin_csp.py), so the admin works without 'unsafe-inline'. Only the names
   below can be called; the arguments are JSON, never code. Runs for the page as parsed and
   for HTML added later (inline panel forms, modal dialogs). */
(function () {
  "use strict";
  var FUNCTIONS = ["initDateChooser", "initTimeChooser", "initDateTimeChooser"];
  var CONSTRUCTORS = [
    "ImageChooser", "DocumentChooser", "PageChooser", "SnippetChooser", "TaskChooser",
    "InlinePanel", "MultipleChooserPanel"
  ];
  var SELECTOR = 'script[type="application/json"][data-ttdn-init]:not([data-ttdn-done])';

  function start(node) {
    var name = node.getAttribute("data-ttdn-init");
    var args;
    try {
      args = JSON.parse(node.textContent);
    } catch (error) {
      return; // not fully parsed yet: the pass at DOMContentLoaded takes it
    }
    if (name === "chooserUrls") {
      node.setAttribute("data-ttdn-done", "");
      if (typeof window.chooserUrls === "undefined" && args && typeof args[0] === "object") {
        window.chooserUrls = args[0];
      }
      return;
    }
    var target = window[name];
    if (typeof target !== "function" || !Array.isArray(args)) return;
    node.setAttribute("data-ttdn-done", "");
    if (FUNCTIONS.indexOf(name) >= 0) {
      target.apply(window, args);
    } else if (CONSTRUCTORS.indexOf(name) >= 0) {
      new (Function.prototype.bind.apply(target, [null].concat(args)))();
    }
  }

  function scan(root) {
    if (root.nodeType !== 1) return;
    if (root.matches(SELECTOR)) start(root);
    root.querySelectorAll(SELECTOR).forEach(start);
  }

  new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(scan);
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", function () {
    scan(document.documentElement);
  });
})();
