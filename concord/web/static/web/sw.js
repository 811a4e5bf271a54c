// The service worker (served at /sw.js, scope /): keeps the pages a forum needs for when the
// venue's network fails. Pages list what to keep (offline.js posts the list); navigations go
// to the network first and fall back to the kept copy; static files, named by their
// content, come from the cache first. Nothing is sent from here: offline.js keeps and
// sends the forms.
"use strict";
var PAGES = "concord-pages-v1";
var STATIC = "concord-static-v1";

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name !== PAGES && name !== STATIC;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function sameOrigin(url) {
  return new URL(url, self.location.href).origin === self.location.origin;
}

function keep(urls) {
  var wanted = urls.filter(sameOrigin);
  return caches.open(PAGES).then(function (pages) {
    return caches.open(STATIC).then(function (statics) {
      return Promise.all(wanted.map(function (url) {
        var path = new URL(url, self.location.href).pathname;
        var cache = path.indexOf("/static/") === 0 ? statics : pages;
        return fetch(url, { credentials: "same-origin" }).then(function (response) {
          if (response.ok && !response.redirected) { return cache.put(url, response); }
        }).catch(function () {});
      }));
    });
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "keep" && Array.isArray(data.urls)) {
    event.waitUntil(keep(data.urls));
  }
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || !sameOrigin(request.url)) { return; }
  var path = new URL(request.url).pathname;
  if (path.indexOf("/static/") === 0) {
    event.respondWith(caches.open(STATIC).then(function (cache) {
      return cache.match(request).then(function (hit) {
        return hit || fetch(request).then(function (response) {
          if (response.ok) { cache.put(request, response.clone()); }
          return response;
        });
      });
    }));
    return;
  }
  if (request.mode !== "navigate") { return; }
  event.respondWith(fetch(request).then(function (response) {
    // A kept page is refreshed whenever it is opened online.
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) {
        return cache.match(request, { ignoreVary: true }).then(function (hit) { if (hit) { cache.put(request, copy); } });
      });
    }
    return response;
  }).catch(function () {
    return caches.open(PAGES).then(function (cache) {
      return cache.match(request, { ignoreSearch: true, ignoreVary: true }).then(function (hit) {
        return hit || Response.error();
      });
    });
  }));
});
