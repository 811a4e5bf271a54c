// Forum mode, as an enhancement: registers the service worker (sw.js), asks it to keep the
// pages this page lists (data-offline-keep), and keeps forms marked data-offline that are
// sent without network in IndexedDB, each with a client-made id. They are shown as
// "N waiting to send" (#outbox, its words in the page's language in data- attributes) and
// sent when the network returns, with the id as Idempotency-Key so a form sent twice is
// recorded once. Without this script every form posts as usual.
(function () {
  "use strict";
  if (!window.indexedDB || !window.fetch || !window.Promise) { return; }
  var outbox = document.getElementById("outbox");
  var language = document.documentElement.lang || "en";

  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  var opened = null;
  function database() {
    opened = opened || new Promise(function (resolve, reject) {
      var request = indexedDB.open("concord", 1);
      request.onupgradeneeded = function () { request.result.createObjectStore("outbox", { keyPath: "id" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
    return opened;
  }

  function store(mode, work) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction("outbox", mode);
        var result = work(transaction.objectStore("outbox"));
        transaction.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        transaction.onerror = function () { reject(transaction.error); };
      });
    });
  }

  function waiting() { return store("readonly", function (s) { return s.getAll(); }); }
  function remove(id) { return store("readwrite", function (s) { s.delete(id); }); }

  // Keep a submission to send later; `item` holds url, body, type (its Content-Type) and
  // any other headers.
  function add(item) {
    item.id = item.id || newId();
    item.at = item.at || new Date().toISOString();
    return store("readwrite", function (s) { s.put(item); }).then(show).then(function () { return item; });
  }

  function words(count) {
    var category = window.Intl && Intl.PluralRules ? new Intl.PluralRules(language).select(count) : (count === 1 ? "one" : "other");
    var text = outbox.getAttribute("data-" + category) || outbox.getAttribute("data-other") || "";
    var shown = window.Intl ? new Intl.NumberFormat(language).format(count) : String(count);
    return text.replace("{count}", shown);
  }

  function show() {
    return waiting().then(function (items) {
      if (!outbox) { return items; }
      outbox.hidden = items.length === 0;
      outbox.textContent = items.length ? words(items.length) : "";
      return items;
    });
  }

  var running = null;
  // Send what waits, oldest first; an item is dropped once the server has judged it.
  function sync() {
    if (running) { return running; }
    running = waiting().then(function (items) {
      items.sort(function (a, b) { return a.at < b.at ? -1 : 1; });
      return items.reduce(function (previous, item) {
        return previous.then(function () {
          return fetch(item.url, {
            method: "POST",
            body: item.body,
            credentials: "same-origin",
            headers: Object.assign({ "Content-Type": item.type, "Idempotency-Key": item.id, "Signed-On-Device-At": item.at, "Accept": "text/html" }, item.headers || {})
          }).then(function (response) {
            // 409 (the same key still running), 429 and 5xx: try again later.
            if (response.status !== 409 && response.status !== 429 && response.status < 500) {
              return remove(item.id);
            }
          }, function () {});
        });
      }, Promise.resolve());
    }).then(show, show).then(function (items) { running = null; return items; });
    return running;
  }

  function kept(form) {
    var fields = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string") { fields.append(name, value); }
    });
    return add({ url: form.action, body: fields.toString(), type: "application/x-www-form-urlencoded" });
  }

  function clear(form) {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.type === "hidden" || field.type === "submit" || field.tagName === "BUTTON") { return; }
      if (field.type === "checkbox" || field.type === "radio") { field.checked = field.defaultChecked; }
      else if (field.tagName === "SELECT") { field.selectedIndex = 0; }
      else { field.value = ""; }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-offline") || navigator.onLine !== false) { return; }
    event.preventDefault();
    kept(form).then(function () {
      clear(form);
      var note = document.getElementById(form.getAttribute("data-offline"));
      if (note) { note.hidden = false; }
    });
  });

  window.addEventListener("online", sync);
  window.setInterval(function () { if (navigator.onLine !== false) { sync(); } }, 30000);
  window.concordOutbox = { add: add, sync: sync, waiting: waiting, show: show, newId: newId };

  // Signed out since the last page: forget what a signed-in person kept (the pages, the
  // check-in kits with participants' names) before anyone else uses this browser.
  if (window.localStorage) {
    if (document.body.hasAttribute("data-signed-in")) {
      localStorage.setItem("concord-signed-in", "1");
    } else if (localStorage.getItem("concord-signed-in")) {
      Object.keys(localStorage).forEach(function (name) {
        if (/^concord-(kit|seen|signed-in)/.test(name)) { localStorage.removeItem(name); }
      });
      if (window.caches) { caches.delete("concord-pages-v1"); }
    }
  }

  if ("serviceWorker" in navigator && document.body.hasAttribute("data-service-worker")) {
    navigator.serviceWorker.register(document.body.getAttribute("data-service-worker"), { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var keep = document.querySelector("[data-offline-keep]");
      if (!keep || !registration.active) { return; }
      var urls = [location.pathname + location.search].concat(keep.getAttribute("data-offline-keep").split(" ").filter(Boolean));
      Array.prototype.forEach.call(document.querySelectorAll("script[src], link[rel=stylesheet], link[rel=icon]"), function (node) {
        urls.push(node.getAttribute("src") || node.getAttribute("href"));
      });
      registration.active.postMessage({ type: "keep", urls: urls });
    }).catch(function () {});
  }
  show().then(function () { if (navigator.onLine !== false) { sync(); } });
})();
