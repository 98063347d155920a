// The catalog's service worker: reading without a connection, one build at a time.
//
// offline.py puts this build's facts before this code, as BUILD:
//   version  a digest of every file this worker may keep; names its cache
//   base     the site's base path ("/catalogo-trata/"), the worker's scope
//   untouched  folders under the base it never answers for (the browser editor)
//   files    patterns of the files besides pages it may keep (the search index, citation
//            files); it leaves any other file to the network without looking it up
//   shell    {key: digest}: what every visit needs, stored when the worker installs
//   parts    [[key, digest]]: the list of every file it may keep, {key: [digest, size]},
//            in parts (partOf says which part holds a key)
//   total    {files, bytes, text}: what saving the whole catalog stores
// A key is a file's address under the base as links write it: "" (the home),
// "recursos/x/", "static/estilo.css".
//
// The rules:
// - One cache per build, holding only bytes whose SHA-256 is the one this build's list
//   gives. A stored file is served at once, without asking the network.
// - A file not stored yet is fetched, checked and stored: the pages a reader opens, the
//   search files a query uses, the list part that names them.
// - A fetched file that is not this build's any more means the site has a newer build.
//   This worker never serves it to its own pages: it asks the browser for the new worker,
//   and hands over to it at the next page the reader opens.
// - The new worker installs beside this one: it copies what did not change, downloads the
//   rest, keeps a saved catalog saved, and takes over at the reader's next page or when
//   they press «Actualizar» (static/sin-conexion.js). Then the old cache is deleted.
"use strict";

var CACHE_PREFIX = "catalogo " + BUILD.base + " ";
var CACHE = CACHE_PREFIX + BUILD.version;
var SAVED = "sw.js?guardado"; // in a cache: the reader saved the whole catalog
var OFFLINE_PAGE = "sin-conexion/";
var MISSING_PAGE = "404.html";
var DIGEST_HEADER = "X-Catalogo-Digest";
var PARALLEL = 6;
var HANDOVER_WAIT = 20000;

function Offline() {}
function Moved() {}

function urlOf(key) {
  return new URL(BUILD.base + key, self.location.origin).href;
}

function keyOf(url) {
  if (url.origin !== self.location.origin || url.pathname.indexOf(BUILD.base) !== 0) { return null; }
  var key = url.pathname.slice(BUILD.base.length);
  return /(^|\/)index\.html$/.test(key) ? key.slice(0, -"index.html".length) : key;
}

var KEPT_FILES = BUILD.files.map(function (pattern) { return new RegExp("^(?:" + pattern + ")$"); });

function mayKeep(key) {
  return key === "" || /(\/|\.html)$/.test(key) ||
    Object.prototype.hasOwnProperty.call(BUILD.shell, key) ||
    BUILD.parts.some(function (part) { return part[0] === key; }) ||
    KEPT_FILES.some(function (pattern) { return pattern.test(key); });
}

function untouched(key) {
  return BUILD.untouched.some(function (folder) { return key.indexOf(folder) === 0; });
}

// FNV-1a (32 bits) of the key's UTF-8 bytes: the same as offline.part_of.
function partOf(key) {
  var bytes = new TextEncoder().encode(key);
  var value = 0x811c9dc5;
  for (var i = 0; i < bytes.length; i++) {
    value = Math.imul(value ^ bytes[i], 0x01000193) >>> 0;
  }
  return value % BUILD.parts.length;
}

async function digestOf(buffer) {
  var hash = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  var hex = "";
  for (var i = 0; i < 8; i++) { hex += (hash[i] < 16 ? "0" : "") + hash[i].toString(16); }
  return hex;
}

// The file `key` from the network, if its bytes are this build's (`expected`). The
// browser's HTTP cache is asked to check with the server first, and skipped on a second
// try, so a copy it kept from an earlier build is never taken for this one.
async function fetchChecked(key, expected) {
  var modes = ["no-cache", "reload"];
  for (var i = 0; i < modes.length; i++) {
    var response;
    var body;
    try {
      response = await fetch(urlOf(key), { cache: modes[i], credentials: "same-origin" });
      body = response.ok ? await response.arrayBuffer() : null;
    } catch (error) {
      throw new Offline();
    }
    if (body && await digestOf(body) === expected) {
      var headers = { "Content-Type": response.headers.get("Content-Type") || "application/octet-stream" };
      headers[DIGEST_HEADER] = expected;
      return new Response(body, { headers: headers });
    }
  }
  throw new Moved();
}

async function store(cache, key, response) {
  try {
    await cache.put(urlOf(key), response);
  } catch (error) {
    // The device is out of space: the file is still served, just not kept.
  }
}

// ---- The list: which files this build has, and their digests ------------------------

var partsRead = {};

function readPart(cache, number) {
  if (!partsRead[number]) {
    var key = BUILD.parts[number][0];
    partsRead[number] = (async function () {
      var response = await cache.match(urlOf(key));
      if (!response) {
        response = await fetchChecked(key, BUILD.parts[number][1]);
        await store(cache, key, response.clone());
      }
      return response.json();
    })();
    partsRead[number].catch(function () { delete partsRead[number]; });
  }
  return partsRead[number];
}

// [digest, size] of `key` in this build, or null when the build does not keep it.
async function entryOf(cache, key) {
  if (Object.prototype.hasOwnProperty.call(BUILD.shell, key)) { return [BUILD.shell[key], 0]; }
  for (var i = 0; i < BUILD.parts.length; i++) {
    if (BUILD.parts[i][0] === key) { return [BUILD.parts[i][1], 0]; }
  }
  var part = await readPart(cache, partOf(key));
  return Object.prototype.hasOwnProperty.call(part, key) ? part[key] : null;
}

async function allEntries(cache) {
  var entries = {};
  for (var i = 0; i < BUILD.parts.length; i++) {
    var part = await readPart(cache, i);
    Object.keys(part).forEach(function (key) { entries[key] = part[key]; });
    entries[BUILD.parts[i][0]] = [BUILD.parts[i][1], 0];
  }
  return entries;
}

// ---- Answering the pages --------------------------------------------------------------

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var key = keyOf(new URL(request.url));
  if (key === null || key === "sw.js" || untouched(key)) { return; }
  // A page is always answered (offline, the worker says it is not stored); a file only if
  // this build may keep it.
  if (request.mode !== "navigate" && !mayKeep(key)) { return; }
  event.respondWith(respond(event, key));
});

async function respond(event, key) {
  var request = event.request;
  var navigation = request.mode === "navigate";
  if (navigation && self.registration.waiting) { return handOver(self.registration.waiting); }
  var cache = await caches.open(CACHE);
  var stored = await cache.match(urlOf(key));
  if (stored) { return stored; }
  var entry;
  try {
    entry = await entryOf(cache, key);
  } catch (error) {
    return unavailable(error, event, cache, OFFLINE_PAGE);
  }
  if (!entry) {
    // Not a file this build keeps (open data, the PDF, a page that does not exist): the
    // network answers, as if there were no worker.
    try {
      return await fetch(request);
    } catch (error) {
      return unavailable(new Offline(), event, cache, MISSING_PAGE);
    }
  }
  try {
    var response = await fetchChecked(key, entry[0]);
    await store(cache, key, response.clone());
    return response;
  } catch (error) {
    return unavailable(error, event, cache, OFFLINE_PAGE);
  }
}

async function unavailable(error, event, cache, page) {
  var navigation = event.request.mode === "navigate";
  if (error instanceof Moved) { return newerBuild(event); }
  if (!(error instanceof Offline)) { throw error; }
  if (!navigation) { return Response.error(); }
  // The offline page says what happened (the page script reads the address).
  var fallback = await cache.match(urlOf(page)) || await cache.match(urlOf(OFFLINE_PAGE));
  if (!fallback) { return Response.error(); }
  return new Response(fallback.body, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

// The site holds a newer build than this worker's. A page is handed to the new worker
// once it is installed. A file that one of this build's pages needs is refused (503)
// rather than served from another build; the page cannot work without it, so the new
// worker takes over as soon as it is installed, and the open pages reload into the new
// build (sin-conexion.js).
async function newerBuild(event) {
  var request = event.request;
  if (request.mode === "navigate") {
    var worker = await newerWorker();
    if (worker) { return handOver(worker); }
    return fetch(request).catch(function () { return Response.error(); });
  }
  event.waitUntil(newerWorker().then(function (found) {
    if (found) { found.postMessage({ tipo: "activar" }); }
  }));
  return new Response("", { status: 503, statusText: "Service Unavailable" });
}

async function newerWorker() {
  var registration = self.registration;
  try {
    await registration.update();
  } catch (error) {
    return null;
  }
  var worker = registration.installing || registration.waiting;
  if (!worker) { return null; }
  return new Promise(function (resolve) {
    var timer = setTimeout(function () { resolve(null); }, HANDOVER_WAIT);
    function check() {
      if (worker.state === "installed" || worker.state === "redundant") {
        clearTimeout(timer);
        resolve(worker.state === "installed" ? worker : null);
      }
    }
    worker.addEventListener("statechange", check);
    check();
  });
}

// Activates the waiting worker and reloads the page, which the new worker then answers.
function handOver(worker) {
  worker.postMessage({ tipo: "activar" });
  var page = "<!doctype html><meta charset=\"utf-8\"><title>Actualizando el catálogo…</title>" +
    "<link rel=\"icon\" href=\"" + BUILD.base + "static/favicon.ico\">";
  return new Response(page, { headers: { "Refresh": "0", "Content-Type": "text/html; charset=utf-8" } });
}

// ---- Installing beside an older build, and taking over --------------------------------

self.addEventListener("install", function (event) {
  event.waitUntil(install());
});

async function install() {
  var cache = await caches.open(CACHE);
  var wanted = {};
  Object.keys(BUILD.shell).forEach(function (key) { wanted[key] = BUILD.shell[key]; });
  var older = await olderCaches();
  var saved = false;
  for (var i = 0; i < older.length; i++) {
    saved = saved || !!(await older[i].match(urlOf(SAVED)));
  }
  if (saved) {
    // The reader saved the whole catalog: the new build is kept whole too.
    var entries = await allEntries(cache);
    Object.keys(entries).forEach(function (key) { wanted[key] = entries[key][0]; });
  } else {
    // The pages the reader opened stay available, in their new version.
    for (var j = 0; j < older.length; j++) {
      var requests = await older[j].keys();
      for (var k = 0; k < requests.length; k++) {
        var key = keyOf(new URL(requests[k].url));
        var entry = key === null || key === "sw.js" ? null : await entryOf(cache, key);
        if (entry) { wanted[key] = entry[0]; }
      }
    }
  }
  await inParallel(Object.keys(wanted), function (key) { return carry(cache, older, key, wanted[key]); });
  if (saved) { await cache.put(urlOf(SAVED), new Response("1")); }
}

// Stores `key` in the new cache: copied from an older one when its bytes did not change,
// downloaded (and checked) otherwise. Any failure fails the install: the old worker stays.
async function carry(cache, older, key, expected) {
  if (await cache.match(urlOf(key))) { return; }
  for (var i = 0; i < older.length; i++) {
    var kept = await older[i].match(urlOf(key));
    if (kept && kept.headers.get(DIGEST_HEADER) === expected) {
      await cache.put(urlOf(key), kept);
      return;
    }
  }
  await cache.put(urlOf(key), await fetchChecked(key, expected));
}

async function olderCaches() {
  var names = await caches.keys();
  var older = names.filter(function (name) { return name.indexOf(CACHE_PREFIX) === 0 && name !== CACHE; });
  return Promise.all(older.map(function (name) { return caches.open(name); }));
}

function inParallel(items, work) {
  var next = 0;
  function run() {
    if (next >= items.length) { return Promise.resolve(); }
    var item = items[next++];
    return work(item).then(run);
  }
  var runners = [];
  for (var i = 0; i < Math.min(PARALLEL, items.length); i++) { runners.push(run()); }
  return Promise.all(runners);
}

self.addEventListener("activate", function (event) {
  // The switch: from now on every answer comes from this build's cache; the older ones go.
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(CACHE_PREFIX) === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

// ---- What the pages ask ----------------------------------------------------------------

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var port = event.ports && event.ports[0];
  if (data.tipo === "activar") {
    event.waitUntil(self.skipWaiting());
  } else if (port && data.tipo === "version") {
    port.postMessage({ version: BUILD.version });
  } else if (port && data.tipo === "estado") {
    event.waitUntil(status().then(function (answer) { port.postMessage(answer); }));
  } else if (port && data.tipo === "guardado") {
    event.waitUntil(markSaved().then(function (answer) { port.postMessage(answer); }));
  }
});

// What saving the whole catalog stores, and whether it is stored.
async function status() {
  var cache = await caches.open(CACHE);
  var answer = {
    version: BUILD.version,
    total: BUILD.total,
    partes: BUILD.parts.map(function (part) { return urlOf(part[0]); }),
    guardado: !!(await cache.match(urlOf(SAVED)))
  };
  return answer;
}

// The page stored every file (by fetching each through this worker): checked here
// before the catalog counts as saved.
async function markSaved() {
  var cache = await caches.open(CACHE);
  var entries;
  try {
    entries = await allEntries(cache);
  } catch (error) {
    return { guardado: false };
  }
  var stored = new Set((await cache.keys()).map(function (request) { return request.url; }));
  var missing = Object.keys(entries).filter(function (key) { return !stored.has(urlOf(key)); });
  if (!missing.length) { await cache.put(urlOf(SAVED), new Response("1")); }
  return { guardado: !missing.length, faltan: missing.length };
}
