// Search page: Pagefind's JavaScript API with our own accessible Spanish interface.
// The query and the filters live in the URL (/buscar/?q=...&Tipo=Guía) so a search can be
// shared. Without JavaScript the page offers browsing by audience, type and year instead.
(function () {
  "use strict";

  var form = document.getElementById("buscador");
  var input = document.getElementById("q");
  var box = document.getElementById("busqueda");
  var filtersBox = document.getElementById("filtros");
  var statusLine = document.getElementById("estado");
  var list = document.getElementById("resultados");
  var more = document.getElementById("mas");
  var suggestions = document.getElementById("sugerencias");
  if (!form || !input || !box || !filtersBox || !statusLine || !list || !more) { return; }

  var base = form.getAttribute("data-base") || "/";
  var synonyms = JSON.parse(form.getAttribute("data-sinonimos") || "[]");
  var FILTER_ORDER = ["Sección", "Tipo", "Público", "Año", "Idioma"];
  var PAGE_SIZE = 10;
  var pagefind = null;
  var allFilters = {};
  var selected = {};
  var results = [];
  var shown = 0;
  var searchToken = 0;
  var debounce = null;

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    selected = {};
    FILTER_ORDER.forEach(function (name) {
      var values = params.getAll(name);
      if (values.length) { selected[name] = values; }
    });
  }

  function writeUrl() {
    var params = new URLSearchParams();
    var query = input.value.trim();
    if (query) { params.set("q", query); }
    FILTER_ORDER.forEach(function (name) {
      (selected[name] || []).forEach(function (value) { params.append(name, value); });
    });
    var text = params.toString();
    var url = window.location.pathname + (text ? "?" + text : "");
    window.history.replaceState(null, "", url);
  }

  // Queries to run for one search: the words as typed plus each synonym expansion
  // (NNA -> niñas niños adolescentes), merged afterwards.
  function expandQuery(query) {
    var variants = [query];
    var lower = query.toLocaleLowerCase("es");
    synonyms.forEach(function (group) {
      group.forEach(function (term) {
        var pattern = new RegExp("(^|\\s)" + term.toLocaleLowerCase("es").replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "(?=\\s|$)");
        if (pattern.test(lower)) {
          group.forEach(function (other) {
            if (other !== term) { variants.push(lower.replace(pattern, "$1" + other)); }
          });
        }
      });
    });
    return variants.filter(function (value, index) { return variants.indexOf(value) === index; });
  }

  function activeFilters() {
    var filters = {};
    Object.keys(selected).forEach(function (name) {
      if (selected[name].length) { filters[name] = { any: selected[name] }; }
    });
    return filters;
  }

  function hasFilters() {
    return Object.keys(selected).some(function (name) { return selected[name].length > 0; });
  }

  function plural(count, one, many) { return count + " " + (count === 1 ? one : many); }

  function renderFilters(counts) {
    filtersBox.textContent = "";
    var heading = document.createElement("h2");
    heading.className = "oculto";
    heading.textContent = "Filtros";
    filtersBox.appendChild(heading);
    FILTER_ORDER.forEach(function (name) {
      var values = Object.keys(allFilters[name] || {});
      if (!values.length) { return; }
      if (name === "Año") { values.sort().reverse(); } else { values.sort(function (a, b) { return a.localeCompare(b, "es"); }); }
      var fieldset = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.textContent = name;
      fieldset.appendChild(legend);
      values.forEach(function (value) {
        var count = counts && counts[name] ? (counts[name][value] || 0) : allFilters[name][value];
        var isChecked = (selected[name] || []).indexOf(value) !== -1;
        if (!count && !isChecked) { return; }
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.name = name;
        box.value = value;
        box.checked = isChecked;
        box.addEventListener("change", function () {
          var current = selected[name] || [];
          if (box.checked) { current.push(value); } else { current = current.filter(function (v) { return v !== value; }); }
          selected[name] = current;
          runSearch();
        });
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + value + " (" + count + ")"));
        fieldset.appendChild(label);
      });
      filtersBox.appendChild(fieldset);
    });
    if (hasFilters()) {
      var clear = document.createElement("button");
      clear.type = "button";
      clear.className = "boton-secundario";
      clear.textContent = "Quitar filtros";
      clear.addEventListener("click", function () { selected = {}; runSearch(); });
      filtersBox.appendChild(clear);
    }
  }

  // Pagefind excerpts are plain text with <mark> around matches: rebuild them as DOM nodes
  // so nothing else from the index can become markup.
  function appendExcerpt(target, excerpt) {
    var parsed = new DOMParser().parseFromString("<p>" + excerpt + "</p>", "text/html");
    parsed.body.firstChild.childNodes.forEach(function (node) {
      if (node.nodeType === 1 && node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        target.appendChild(mark);
      } else {
        target.appendChild(document.createTextNode(node.textContent));
      }
    });
  }

  function renderMore() {
    var batch = results.slice(shown, shown + PAGE_SIZE);
    shown += batch.length;
    more.hidden = shown >= results.length;
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (pages) {
      pages.forEach(function (page) {
        var item = document.createElement("li");
        var heading = document.createElement("h2");
        var link = document.createElement("a");
        link.href = page.url;
        link.textContent = (page.meta && page.meta.title) || page.url;
        heading.appendChild(link);
        item.appendChild(heading);
        var facts = [];
        ["Tipo", "Año"].forEach(function (name) {
          if (page.filters && page.filters[name]) { facts.push(page.filters[name].join(", ")); }
        });
        if (facts.length) {
          var meta = document.createElement("p");
          meta.className = "ficha-datos";
          meta.textContent = facts.join(" · ");
          item.appendChild(meta);
        }
        var excerpt = document.createElement("p");
        appendExcerpt(excerpt, page.excerpt || "");
        item.appendChild(excerpt);
        list.appendChild(item);
      });
    });
  }

  function describe(query, count) {
    var text = plural(count, "resultado", "resultados");
    if (query) { text += " para «" + query + "»"; }
    if (hasFilters()) { text += " con los filtros elegidos"; }
    return text + ".";
  }

  function renderEmpty(query) {
    var item = document.createElement("li");
    item.className = "sin-resultados";
    var intro = document.createElement("p");
    intro.textContent = "No encontramos recursos" + (query ? " para «" + query + "»" : "") +
      (hasFilters() ? " con estos filtros" : "") + ". Puedes probar:";
    item.appendChild(intro);
    var tips = document.createElement("ul");
    var hints = ["una palabra más general (por ejemplo «víctima», «guía», «policía»);",
      "revisar la ortografía; no hace falta escribir tildes;"];
    if (hasFilters()) { hints.push("quitar uno o más filtros;"); }
    hints.forEach(function (hint) {
      var tip = document.createElement("li");
      tip.textContent = hint;
      tips.appendChild(tip);
    });
    var browse = document.createElement("li");
    browse.appendChild(document.createTextNode("explorar el catálogo "));
    var byAudience = document.createElement("a");
    byAudience.href = base + "publico/";
    byAudience.textContent = "por público";
    browse.appendChild(byAudience);
    browse.appendChild(document.createTextNode(" o "));
    var byType = document.createElement("a");
    byType.href = base + "tipos/";
    byType.textContent = "por tipo";
    browse.appendChild(byType);
    browse.appendChild(document.createTextNode("."));
    tips.appendChild(browse);
    item.appendChild(tips);
    list.appendChild(item);
  }

  function runSearch() {
    writeUrl();
    var query = input.value.trim();
    var token = ++searchToken;
    if (!query && !hasFilters()) {
      list.textContent = "";
      statusLine.textContent = "";
      more.hidden = true;
      if (suggestions) { suggestions.hidden = false; }
      renderFilters(null);
      return Promise.resolve();
    }
    if (suggestions) { suggestions.hidden = true; }
    statusLine.textContent = "Buscando…";
    var filters = activeFilters();
    var queries = query ? expandQuery(query) : [null];
    return Promise.all(queries.map(function (q) { return pagefind.search(q, { filters: filters }); }))
      .then(function (searches) {
        if (token !== searchToken) { return; }
        var seen = {};
        var merged = [];
        var counts = searches[0].filters;
        searches.forEach(function (search, index) {
          search.results.forEach(function (result) {
            if (!seen[result.id]) {
              seen[result.id] = true;
              merged.push({ result: result, order: index, score: result.score });
            }
          });
          if (index > 0) {
            Object.keys(search.filters || {}).forEach(function (name) {
              counts[name] = counts[name] || {};
              Object.keys(search.filters[name]).forEach(function (value) {
                counts[name][value] = Math.max(counts[name][value] || 0, search.filters[name][value]);
              });
            });
          }
        });
        merged.sort(function (a, b) { return (b.score || 0) - (a.score || 0); });
        results = merged.map(function (entry) { return entry.result; });
        shown = 0;
        list.textContent = "";
        renderFilters(counts);
        statusLine.textContent = describe(query, results.length);
        if (!results.length) {
          more.hidden = true;
          renderEmpty(query);
          return;
        }
        return renderMore();
      })
      .catch(function () {
        if (token === searchToken) {
          statusLine.textContent = "La búsqueda no está disponible en este momento. Explora el catálogo por público o por tipo.";
        }
      });
  }

  function start() {
    box.hidden = false;
    readUrl();
    import(base + "pagefind/pagefind.js")
      .then(function (module) {
        pagefind = module;
        return pagefind.options({ baseUrl: base, excerptLength: 24 });
      })
      .then(function () { return pagefind.filters(); })
      .then(function (filters) {
        allFilters = filters || {};
        renderFilters(null);
        return runSearch();
      })
      .catch(function () {
        statusLine.textContent = "No se pudo cargar el buscador. Explora el catálogo por público o por tipo.";
      });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (pagefind) { runSearch(); }
    });
    input.addEventListener("input", function () {
      window.clearTimeout(debounce);
      debounce = window.setTimeout(function () { if (pagefind) { runSearch(); } }, 250);
    });
    more.addEventListener("click", function () {
      var first = list.children.length;
      renderMore().then(function () {
        var next = list.children[first];
        var link = next && next.querySelector("a");
        if (link) { link.focus(); }
      });
    });
  }

  start();
})();
