// Hecho por Catálogo para la vista previa (serve): no se edita a mano.
//
// The live preview serves this in place of the catalog's service worker. A worker left on
// this address by a published build (opened here earlier) would go on answering with its
// stored pages while an editor changes them: this one replaces it, deletes what it stored,
// unregisters itself and reloads the open pages, which then come from the preview.
"use strict";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("catalogo ") === 0;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () {
    return self.registration.unregister();
  }).then(function () {
    return self.clients.matchAll({ type: "window" });
  }).then(function (windows) {
    windows.forEach(function (client) { client.navigate(client.url); });
  }));
});
