// Reading without a connection, on every page:
// - registers the catalog's service worker (sw.js, made by each build) once the page has
//   loaded, so it never delays the first view;
// - «Guardar el catálogo para leer sin conexión» (home and «Leer sin conexión» pages):
//   shows the size first, then stores every page, the search index and the citation
//   files by asking the worker for each, with progress; the worker checks every file;
// - without a connection: a notice, and «necesita conexión» on each link that will not
//   open (other sites, and pages of ours not stored on this device);
// - «Hay una versión nueva del catálogo» with «Actualizar» when a newer build is ready;
//   every open page reloads when the new worker takes over, so none mixes two builds.
// Without service workers (or JavaScript) nothing of this shows.
(function () {
  "use strict";

  var container = navigator.serviceWorker;
  var script = document.currentScript;
  if (!container || !script || !window.caches) {
    var unsupported = document.querySelector("[data-sin-soporte]");
    if (unsupported) { unsupported.hidden = false; }
    return;
  }
  var base = new URL("..", script.src).href; // the script is <base>static/sin-conexion.js
  var basePath = new URL(base).pathname;
  var controlled = !!container.controller;
  var MARK = "sin-red-marca";
  var PARALLEL = 6;

  function ask(worker, message) {
    return new Promise(function (resolve, reject) {
      var channel = new MessageChannel();
      var timer = window.setTimeout(function () { reject(new Error("sin respuesta")); }, 10000);
      channel.port1.onmessage = function (event) { window.clearTimeout(timer); resolve(event.data || {}); };
      worker.postMessage(message, [channel.port2]);
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function main() { return document.getElementById("contenido") || document.body; }

  // ---- A newer build -------------------------------------------------------------------

  function offerUpdate(worker) {
    if (document.querySelector(".aviso-version")) { return; }
    var box = element("div", "aviso aviso-version");
    box.setAttribute("role", "status");
    var text = element("p", null, "Hay una versión nueva del catálogo.");
    var button = element("button", "boton", "Actualizar");
    button.type = "button";
    button.addEventListener("click", function () {
      button.disabled = true;
      button.textContent = "Actualizando…";
      worker.postMessage({ tipo: "activar" });
    });
    box.appendChild(text);
    box.appendChild(button);
    main().insertBefore(box, main().firstChild);
  }

  function watch(registration) {
    if (registration.waiting && container.controller) { offerUpdate(registration.waiting); }
    registration.addEventListener("updatefound", function () {
      var worker = registration.installing;
      if (!worker) { return; }
      worker.addEventListener("statechange", function () {
        if (worker.state === "installed" && container.controller) { offerUpdate(worker); }
      });
    });
    // Back online: ask at once whether the catalog changed meanwhile.
    window.addEventListener("online", function () { registration.update().catch(function () {}); });
  }

  container.addEventListener("controllerchange", function () {
    // A new build took over: this page is of the old one, so it reloads.
    if (controlled) { window.location.reload(); return; }
    controlled = true;
    // The first page of a first visit came before the worker: asked again through it, it
    // is stored too (often a record page opened from a shared link).
    fetch(window.location.href, { credentials: "same-origin" }).catch(function () {});
  });

  function register() {
    container.register(base + "sw.js", { scope: basePath }).then(watch, function () {});
  }
  if (document.readyState === "complete") { register(); } else { window.addEventListener("load", register); }

  // ---- Without a connection ------------------------------------------------------------

  function cleanAddress(link) {
    var address = new URL(link.href);
    address.hash = "";
    address.search = "";
    return address.href.replace(/index\.html$/, "");
  }

  function markLink(link) {
    if (link.querySelector("." + MARK)) { return; }
    link.classList.add("sin-red");
    link.appendChild(element("span", MARK, " (necesita conexión)"));
  }

  function markLinks() {
    document.querySelectorAll("a[href]").forEach(function (link) {
      if (!/^https?:$/.test(link.protocol) || link.classList.contains("saltar")) { return; }
      if (link.origin !== window.location.origin || link.pathname.indexOf(basePath) !== 0) {
        markLink(link);
        return;
      }
      caches.match(cleanAddress(link)).then(function (found) { if (!found && !navigator.onLine) { markLink(link); } });
    });
  }

  function showOffline() {
    var asked = document.querySelector("[data-sin-conexion-pedida]");
    if (asked && window.location.pathname !== asked.getAttribute("data-sin-conexion-pedida")) {
      asked.hidden = false;
      var again = asked.querySelector("[data-reintentar]");
      if (again) { again.href = window.location.href; }
    }
    if (!navigator.onLine) {
      if (!document.querySelector(".aviso-sin-red") && !(asked && !asked.hidden)) {
        var note = element("p", "aviso aviso-sin-red", "Sin conexión: estás leyendo lo guardado en este dispositivo. Los enlaces marcados «necesita conexión» se abrirán cuando vuelvas a tener internet.");
        note.setAttribute("role", "status");
        main().insertBefore(note, main().firstChild);
      }
      markLinks();
    } else {
      document.querySelectorAll(".aviso-sin-red, ." + MARK).forEach(function (node) { node.remove(); });
      document.querySelectorAll("a.sin-red").forEach(function (link) { link.classList.remove("sin-red"); });
    }
  }
  window.addEventListener("offline", showOffline);
  window.addEventListener("online", showOffline);
  showOffline();

  // ---- «Guardar el catálogo para leer sin conexión» ------------------------------------

  var panel = document.querySelector("[data-guardar]");
  if (!panel) { return; }
  var button = panel.querySelector("[data-guardar-boton]");
  var size = panel.querySelector("[data-guardar-tamano]");
  var bar = panel.querySelector("[data-guardar-progreso]");
  var state = panel.querySelector("[data-guardar-estado]");

  function say(text) { state.textContent = text; }

  function showSaved(facts) {
    button.hidden = true;
    bar.hidden = true;
    size.textContent = "Ocupa " + facts.total.text + " en este dispositivo.";
    say("Listo: el catálogo está guardado en este dispositivo. Puedes leerlo y buscar en él sin conexión; se actualizará solo cuando vuelvas a abrirlo con internet.");
  }

  function fetchJson(address) {
    return fetch(address).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    });
  }

  // Every file of the list, fetched through the worker, which checks and stores each one.
  // A file that fails does not stop the others (a patchy connection still gets most of the
  // way); a newer build does, since this build's files are going.
  function saveAll(worker, facts) {
    var files = [];
    var done = 0;
    var failure = null;
    return Promise.all(facts.partes.map(fetchJson)).then(function (parts) {
      parts.forEach(function (part) {
        Object.keys(part).forEach(function (key) { files.push([base + key, part[key][1]]); });
      });
      var next = 0;
      function step() {
        if (failure === "version" || next >= files.length) { return Promise.resolve(); }
        var file = files[next++];
        return fetch(file[0]).then(function (response) {
          if (!response.ok) { failure = response.status === 503 ? "version" : (failure || "red"); }
          return response.blob();
        }, function () { failure = failure || "red"; }).then(function () {
          done += file[1];
          bar.value = Math.min(100, Math.round(100 * done / facts.total.bytes));
          return step();
        });
      }
      var runners = [];
      for (var i = 0; i < PARALLEL; i++) { runners.push(step()); }
      return Promise.all(runners);
    }).then(function () {
      if (failure) { throw new Error(failure); }
      return ask(worker, { tipo: "guardado" });
    });
  }

  function start(worker, facts) {
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    say("Guardando el catálogo… No cierres esta página.");
    if (navigator.storage && navigator.storage.persist) { navigator.storage.persist().catch(function () {}); }
    saveAll(worker, facts).then(function (answer) {
      if (!answer.guardado) { throw new Error("red"); }
      showSaved(facts);
      button.disabled = false;
    }).catch(function (error) {
      button.disabled = false;
      bar.hidden = true;
      say(error && error.message === "version"
        ? "Hay una versión nueva del catálogo: actualiza la página y vuelve a pulsar el botón."
        : "No se pudo guardar todo: revisa tu conexión y vuelve a pulsar el botón. Lo que ya se guardó no se pierde.");
    });
  }

  container.ready.then(function (registration) {
    var worker = registration.active;
    return ask(worker, { tipo: "estado" }).then(function (facts) {
      size.textContent = "Ocupa " + facts.total.text + " en este dispositivo. Se descarga una sola vez; después, solo lo que cambie.";
      panel.hidden = false;
      if (facts.guardado) { showSaved(facts); return; }
      button.addEventListener("click", function () { start(worker, facts); });
    });
  }).catch(function () {});
})();
