// Preview only (python3 build.py serve), never part of a published site. Served from the
// preview's own origin, so the site's Content-Security-Policy stays strict.
//
// The page listens to the preview on a WebSocket (/__catalogo/eventos). After a build that
// changed the site, the page reloads itself and keeps its scroll position; after a build
// that failed, it shows the problems over the last good page; once they are fixed, the
// next build reloads the page and the overlay is gone.
(function () {
  "use strict";
  var SCROLL_KEY = "catalogo-vista-previa-desplazamiento";
  var root = document.documentElement;
  var pageVersion = versionOfThisPage();

  // The version of the site this page came from: the preview sends it in a Server-Timing
  // header of every response. Without it (an old browser), the first state heard counts.
  function versionOfThisPage() {
    var entries = performance.getEntriesByType ? performance.getEntriesByType("navigation") : [];
    var timing = entries.length && entries[0].serverTiming ? entries[0].serverTiming : [];
    for (var i = 0; i < timing.length; i += 1) {
      if (timing[i].name === "catalogo") { return timing[i].description; }
    }
    return null;
  }

  function here() { return location.pathname + location.search; }

  function reload() {
    try {
      sessionStorage.setItem(SCROLL_KEY, JSON.stringify({ page: here(), x: window.scrollX, y: window.scrollY }));
    } catch (error) { /* private mode: the page reloads at the top */ }
    if ("scrollRestoration" in history) { history.scrollRestoration = "manual"; }
    location.reload();
  }

  function restoreScroll() {
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(SCROLL_KEY) || "null");
      sessionStorage.removeItem(SCROLL_KEY);
    } catch (error) { return; }
    if ("scrollRestoration" in history) { history.scrollRestoration = "auto"; }
    if (!saved || saved.page !== here()) { return; }
    var go = function () { window.scrollTo(saved.x, saved.y); };
    go();
    window.addEventListener("load", go);  // again once images have taken their place
  }

  function show(state) {
    var old = document.getElementById("catalogo-problemas");
    if (old) { old.remove(); }
    root.setAttribute("data-vista-previa-estado", state.ok ? "bien" : "problemas");
    if (state.ok) { return; }
    var panel = document.createElement("section");
    panel.id = "catalogo-problemas";
    panel.className = "catalogo-problemas";
    panel.setAttribute("role", "alert");
    var title = document.createElement("h2");
    title.textContent = "El catálogo tiene problemas: se muestra la última versión correcta";
    panel.appendChild(title);
    var list = document.createElement("ul");
    state.problems.forEach(function (line) {
      var item = document.createElement("li");
      var code = document.createElement("code");
      code.textContent = line;
      item.appendChild(code);
      list.appendChild(item);
    });
    panel.appendChild(list);
    var summary = document.createElement("p");
    summary.textContent = state.summary + ". Corrige y guarda: la página se actualizará sola.";
    panel.appendChild(summary);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Ocultar";
    close.addEventListener("click", function () { panel.remove(); });
    panel.appendChild(close);
    document.body.appendChild(panel);
  }

  function hear(state) {
    if (pageVersion === null) { pageVersion = state.version; }
    if (state.version !== pageVersion) { reload(); return; }
    show(state);
  }

  function connect(attempt) {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/__catalogo/eventos");
    socket.addEventListener("open", function () {
      attempt = 0;
      root.setAttribute("data-vista-previa", "conectada");
    });
    socket.addEventListener("message", function (event) { hear(JSON.parse(event.data)); });
    socket.addEventListener("close", function () {
      // The preview stopped or restarts: try again; a new preview means a new version.
      root.setAttribute("data-vista-previa", "desconectada");
      window.setTimeout(function () { connect(attempt + 1); }, Math.min(5000, 500 * (attempt + 1)));
    });
  }

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = "/__catalogo/overlay.css";
  document.head.appendChild(css);
  restoreScroll();
  connect(0);
})();
