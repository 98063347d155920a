// Preview only (python3 build.py serve): shows the catalog's problems over the page while
// the last good site keeps being served. Never part of a published site.
(function () {
  "use strict";
  function show(state) {
    var old = document.getElementById("catalogo-problemas");
    if (old) { old.remove(); }
    if (!state || state.ok) { return; }
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
  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = "/__catalogo/overlay.css";
  document.head.appendChild(css);
  fetch("/__catalogo/estado.json", { cache: "no-store" })
    .then(function (response) { return response.json(); })
    .then(show)
    .catch(function () { /* the preview server is gone: nothing to show */ });
})();
