// Search page: Pagefind's JavaScript API behind our own accessible Spanish interface.
//
// - The query and the filters live in the URL (/buscar/?q=victima&Tipo=Guía), so a search
//   can be shared, reloaded or reached with the Back button.
// - Accents do not matter («victima» finds «víctima»), but «ñ» does: Pagefind folds «ñ»
//   into «n» when it indexes, so a query whose words could confuse the two is checked
//   against the text of each result (see keepsEnie) and «nino» does not find «niño».
// - Synonyms from catalog/_catalogo.yaml (NNA = niñas niños y adolescentes) run as extra
//   queries whose results are merged.
// - Filter counts follow the usual facet rule: the count beside a value is the number of
//   results that ticking it would give, keeping the choices made in the other groups.
// Without JavaScript the page offers browsing by audience, type and year instead.
(function () {
  "use strict";

  var form = document.getElementById("buscador");
  var input = document.getElementById("q");
  var box = document.getElementById("busqueda");
  var panel = document.getElementById("panel-filtros");
  var filtersBox = document.getElementById("filtros");
  var activeCount = document.getElementById("filtros-activos");
  var statusLine = document.getElementById("estado");
  var hint = document.getElementById("sugerencia");
  var list = document.getElementById("resultados");
  var more = document.getElementById("mas");
  var examples = document.getElementById("sugerencias");
  if (!form || !input || !box || !panel || !filtersBox || !statusLine || !hint || !list || !more) { return; }

  var base = form.getAttribute("data-base") || "/";
  var parts = JSON.parse(form.getAttribute("data-partes") || "[]");
  var synonyms = readJson("data-sinonimos", []);
  var enieWords = readJson("data-enie", []).map(foldAccents);
  var languages = readJson("data-idiomas", {});
  var FILTER_ORDER = ["Sección", "Tipo", "Público", "Año", "Idioma"];
  var PAGE_SIZE = 10;
  var pagefind = null;
  var allFilters = {};
  var selected = {};
  var results = [];
  var shown = 0;
  var searchToken = 0;
  var debounce = null;
  var pageData = {};

  function readJson(attribute, fallback) {
    try { return JSON.parse(form.getAttribute(attribute) || "") || fallback; } catch (error) { return fallback; }
  }

  // ---- Text: words, accents and «ñ» ----------------------------------------------------

  function words(text) {
    return (text || "").split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  // Lower case without accents, «ñ» kept: «Víctima» -> «victima», «Niño» -> «niño».
  function foldAccents(text) {
    return (text || "").normalize("NFC").toLocaleLowerCase("es").replace(/ñ/g, "\u0001")
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\u0001/g, "ñ");
  }

  // Lower case without accents nor «ñ», as Pagefind indexes words.
  function foldAll(text) {
    return foldAccents(text).replace(/ñ/g, "n");
  }

  // The part of a word Pagefind is sure to match on (it stems and matches prefixes).
  function stemPrefix(folded) {
    return folded.slice(0, Math.max(Math.min(folded.length, 3), folded.length - 2));
  }

  // True when one word has «ñ» where the other has «n».
  function enieClash(a, b) {
    var length = Math.min(a.length, b.length);
    for (var i = 0; i < length; i++) {
      if (a[i] !== b[i] && (a[i] === "ñ" || b[i] === "ñ") && (a[i] === "n" || b[i] === "n")) { return true; }
    }
    return false;
  }

  // A query word needs checking if it has «ñ», or if it has «n» where a word of the
  // catalog has «ñ» (the build lists those words in data-enie).
  function enieSensitive(term) {
    var folded = foldAccents(term);
    if (folded.indexOf("ñ") !== -1) { return true; }
    if (folded.indexOf("n") === -1) { return false; }
    var prefix = stemPrefix(foldAll(term));
    return enieWords.some(function (word) {
      return foldAll(word).indexOf(prefix) === 0 && enieClash(folded, word);
    });
  }

  // Keep a result only if, for every sensitive query word, the page has a matching word
  // spelt with the same «ñ»/«n». If no word of the page looks like the query word (a
  // stemming match we cannot see), the result is kept.
  function keepsEnie(data, terms) {
    var meta = data.meta || {};
    var text = [data.content || ""].concat(Object.keys(meta).map(function (key) { return meta[key]; })).join(" ");
    var pageWords = words(text).map(foldAccents);
    return terms.every(function (term) {
      var folded = foldAccents(term);
      var prefix = stemPrefix(foldAll(term));
      var candidates = pageWords.filter(function (word) { return foldAll(word).indexOf(prefix) === 0; });
      return !candidates.length || candidates.some(function (word) { return !enieClash(folded, word); });
    });
  }

  // «nino» -> «niños»: the catalog word closest to a query word typed without its «ñ».
  function enieSuggestion(query) {
    var changed = false;
    var suggestion = words(query).map(function (term) {
      var folded = foldAccents(term);
      if (folded.indexOf("ñ") !== -1 || !enieSensitive(term)) { return folded; }
      var plain = foldAll(term);
      var best = null;
      var bestScore = -1;
      enieWords.forEach(function (word) {
        var flat = foldAll(word);
        if (flat.indexOf(stemPrefix(plain)) !== 0) { return; }
        var common = 0;
        while (common < flat.length && flat[common] === plain[common]) { common++; }
        var score = common * 100 - Math.abs(flat.length - plain.length);
        if (score > bestScore) { best = word; bestScore = score; }
      });
      if (!best) { return folded; }
      changed = true;
      return best;
    });
    return changed ? suggestion.join(" ") : null;
  }

  // ---- Synonyms ----------------------------------------------------------------------------

  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  // The query as typed plus one variant per synonym found in it (NNA <-> niñas niños y
  // adolescentes), compared without accents.
  function expandQuery(query) {
    var folded = foldAccents(query).replace(/\s+/g, " ").trim();
    var variants = [query];
    synonyms.forEach(function (group) {
      group.forEach(function (term) {
        var pattern = new RegExp("(^|\\s)" + escapeRegExp(foldAccents(term)) + "(?=\\s|$)");
        if (!pattern.test(folded)) { return; }
        group.forEach(function (other) {
          if (other !== term) { variants.push(folded.replace(pattern, "$1" + other)); }
        });
      });
    });
    return variants.filter(function (value, index) { return variants.indexOf(value) === index; });
  }

  // ---- URL ---------------------------------------------------------------------------------

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
    window.history.replaceState(null, "", window.location.pathname + (text ? "?" + text : ""));
  }

  // ---- Searching ---------------------------------------------------------------------------

  function dataOf(result) {
    if (!pageData[result.id]) { pageData[result.id] = result.data(); }
    return pageData[result.id];
  }

  function filtersFor(choice) {
    var filters = {};
    Object.keys(choice).forEach(function (name) {
      if (choice[name].length) { filters[name] = { any: choice[name] }; }
    });
    return filters;
  }

  function hasFilters() {
    return Object.keys(selected).some(function (name) { return selected[name].length > 0; });
  }

  function countFromPages(pages) {
    var counts = {};
    pages.forEach(function (page) {
      Object.keys(page.filters || {}).forEach(function (name) {
        counts[name] = counts[name] || {};
        page.filters[name].forEach(function (value) { counts[name][value] = (counts[name][value] || 0) + 1; });
      });
    });
    return counts;
  }

  // One Pagefind search, with the «ñ» check when the query needs it.
  // Resolves to {results, counts (null when only the page data can tell), dropped}.
  function searchOne(query, filters) {
    return pagefind.search(query, { filters: filters }).then(function (search) {
      var terms = query ? words(query).filter(enieSensitive) : [];
      if (!terms.length) { return { results: search.results, counts: search.filters, dropped: 0 }; }
      return Promise.all(search.results.map(dataOf)).then(function (pages) {
        var kept = search.results.filter(function (result, index) { return keepsEnie(pages[index], terms); });
        var dropped = search.results.length - kept.length;
        return { results: kept, counts: dropped ? null : search.filters, dropped: dropped };
      });
    });
  }

  // Every variant of the query, merged. Resolves to {results, counts, dropped}.
  function searchAll(query, choice) {
    var filters = filtersFor(choice);
    var queries = query ? expandQuery(query) : [null];
    return Promise.all(queries.map(function (q) { return searchOne(q, filters); })).then(function (found) {
      var seen = {};
      var merged = [];
      var dropped = 0;
      found.forEach(function (one) {
        dropped += one.dropped;
        one.results.forEach(function (result) {
          if (!seen[result.id]) {
            seen[result.id] = true;
            merged.push(result);
          }
        });
      });
      merged.sort(function (a, b) { return (b.score || 0) - (a.score || 0); });
      var productive = found.filter(function (one) { return one.results.length; });
      var single = productive.length <= 1 ? (productive[0] || found[0]) : null;
      if (single && single.counts) {
        return { results: merged, counts: single.counts, dropped: dropped };
      }
      return Promise.all(merged.map(dataOf)).then(function (pages) {
        return { results: merged, counts: countFromPages(pages), dropped: dropped };
      });
    });
  }

  // Counts for each filter group: for a group with ticked values, the search without
  // that group's choice (so its other values stay visible and countable).
  function facetCounts(query, main) {
    var groups = FILTER_ORDER.filter(function (name) { return (selected[name] || []).length; });
    return Promise.all(groups.map(function (name) {
      var others = {};
      Object.keys(selected).forEach(function (key) { if (key !== name) { others[key] = selected[key]; } });
      return searchAll(query, others).then(function (found) { return found.counts[name] || {}; });
    })).then(function (groupCounts) {
      var counts = {};
      FILTER_ORDER.forEach(function (name) { counts[name] = (main.counts || {})[name] || {}; });
      groups.forEach(function (name, index) { counts[name] = groupCounts[index]; });
      return counts;
    });
  }

  // ---- Rendering ---------------------------------------------------------------------------

  function plural(count, one, many) { return count + " " + (count === 1 ? one : many); }

  function sortValues(name, values) {
    if (name === "Año") {
      return values.sort(function (a, b) {
        var x = /^\d+$/.test(a) ? Number(a) : -1;
        var y = /^\d+$/.test(b) ? Number(b) : -1;
        return y - x;
      });
    }
    return values.sort(function (a, b) { return a.localeCompare(b, "es", { numeric: true }); });
  }

  function renderFilters(counts) {
    var focused = document.activeElement;
    var focusKey = focused && focused.name && filtersBox.contains(focused) ? focused.name + "\u0000" + focused.value : null;
    filtersBox.textContent = "";
    var total = 0;
    FILTER_ORDER.forEach(function (name) {
      var values = sortValues(name, Object.keys(allFilters[name] || {}));
      var chosen = selected[name] || [];
      total += chosen.length;
      var fieldset = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.textContent = name;
      fieldset.appendChild(legend);
      values.forEach(function (value) {
        var count = counts ? ((counts[name] || {})[value] || 0) : allFilters[name][value];
        var isChecked = chosen.indexOf(value) !== -1;
        if (!count && !isChecked) { return; }
        var label = document.createElement("label");
        var checkbox = document.createElement("input");
        checkbox.type = "checkbox";
        checkbox.name = name;
        checkbox.value = value;
        checkbox.checked = isChecked;
        checkbox.addEventListener("change", function () {
          var current = (selected[name] || []).filter(function (v) { return v !== value; });
          if (checkbox.checked) { current.push(value); }
          selected[name] = current;
          runSearch();
        });
        label.appendChild(checkbox);
        var text = document.createElement("span");
        text.textContent = value + " (" + count + ")";
        label.appendChild(text);
        fieldset.appendChild(label);
      });
      if (fieldset.children.length > 1) { filtersBox.appendChild(fieldset); }
    });
    if (total) {
      var clear = document.createElement("button");
      clear.type = "button";
      clear.className = "boton-secundario";
      clear.textContent = "Quitar filtros";
      clear.addEventListener("click", function () {
        selected = {};
        runSearch().then(function () { panel.querySelector("summary").focus(); });
      });
      filtersBox.appendChild(clear);
    }
    if (activeCount) { activeCount.textContent = total ? "(" + plural(total, "activo", "activos") + ")" : ""; }
    if (focusKey) {
      var inputs = filtersBox.querySelectorAll("input");
      for (var i = 0; i < inputs.length; i++) {
        if (inputs[i].name + "\u0000" + inputs[i].value === focusKey) { inputs[i].focus(); break; }
      }
    }
  }

  // Pagefind excerpts are text with <mark> around matches: rebuild them as DOM nodes so
  // nothing else from the index can become markup.
  function appendExcerpt(target, excerpt) {
    var parsed = new DOMParser().parseFromString("<p>" + excerpt + "</p>", "text/html");
    var paragraph = parsed.body.firstChild;
    if (!paragraph) { return; }
    paragraph.childNodes.forEach(function (node) {
      if (node.nodeType === 1 && node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        target.appendChild(mark);
      } else {
        target.appendChild(document.createTextNode(node.textContent));
      }
    });
  }

  function renderItem(page) {
    var item = document.createElement("li");
    var heading = document.createElement("h3");
    var link = document.createElement("a");
    link.href = page.url;
    link.textContent = (page.meta && page.meta.title) || page.url;
    var language = page.filters && page.filters["Idioma"] && languages[page.filters["Idioma"][0]];
    if (language && language !== document.documentElement.lang) { link.lang = language; }
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
    if (page.excerpt) {
      var excerpt = document.createElement("p");
      excerpt.className = "extracto";
      appendExcerpt(excerpt, page.excerpt);
      item.appendChild(excerpt);
    }
    return item;
  }

  function renderMore() {
    var token = searchToken;
    var batch = results.slice(shown, shown + PAGE_SIZE);
    shown += batch.length;
    more.hidden = shown >= results.length;
    return Promise.all(batch.map(dataOf)).then(function (pages) {
      if (token !== searchToken) { return; }
      pages.forEach(function (page) { list.appendChild(renderItem(page)); });
    });
  }

  function describe(query, count) {
    var text = plural(count, "resultado", "resultados");
    if (query) { text += " para «" + query + "»"; }
    if (hasFilters()) { text += " con los filtros elegidos"; }
    return text + ".";
  }

  function makeLink(href, text, onClick) {
    var anchor = document.createElement("a");
    anchor.href = href;
    anchor.textContent = text;
    if (onClick) {
      anchor.addEventListener("click", function (event) {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
        event.preventDefault();
        onClick();
      });
    }
    return anchor;
  }

  function searchLink(query) {
    return makeLink(window.location.pathname + "?q=" + encodeURIComponent(query), query, function () {
      input.value = query;
      runSearch().then(function () { input.focus(); });
    });
  }

  function renderHint(query, dropped, count) {
    hint.textContent = "";
    var parts = [];
    var suggestion = (dropped || !count) && query ? enieSuggestion(query) : null;
    if (suggestion && foldAccents(suggestion) !== foldAccents(query)) {
      parts.push(["¿Buscabas ", searchLink(suggestion), "? La «ñ» cuenta: «n» y «ñ» son letras distintas."]);
    }
    var variants = query ? expandQuery(query).slice(1) : [];
    if (variants.length && count) {
      var line = ["También se buscó: "];
      variants.forEach(function (variant, index) {
        if (index) { line.push(", "); }
        line.push("«" + variant + "»");
      });
      line.push(".");
      parts.push(line);
    }
    parts.forEach(function (line, index) {
      if (index) { hint.appendChild(document.createElement("br")); }
      line.forEach(function (part) { hint.appendChild(typeof part === "string" ? document.createTextNode(part) : part); });
    });
    hint.hidden = !parts.length;
  }

  function renderEmpty(query) {
    var item = document.createElement("li");
    item.className = "sin-resultados";
    var intro = document.createElement("p");
    intro.textContent = "No encontramos recursos" + (query ? " para «" + query + "»" : "") +
      (hasFilters() ? " con estos filtros" : "") + ". Puedes probar:";
    item.appendChild(intro);
    var tips = document.createElement("ul");
    var hints = [
      "una palabra más general, por ejemplo «víctima», «guía» o «policía»;",
      "revisar la ortografía (las tildes no hacen falta, pero la «ñ» sí);",
    ];
    if (hasFilters()) { hints.push("quitar uno o más filtros;"); }
    hints.forEach(function (text) {
      var tip = document.createElement("li");
      tip.textContent = text;
      tips.appendChild(tip);
    });
    var browse = document.createElement("li");
    browse.appendChild(document.createTextNode("explorar el catálogo "));
    browse.appendChild(makeLink(base + "publico/", "por público"));
    browse.appendChild(document.createTextNode(", "));
    browse.appendChild(makeLink(base + "tipos/", "por tipo"));
    browse.appendChild(document.createTextNode(" o "));
    browse.appendChild(makeLink(base + "anios/", "por año"));
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
      list.setAttribute("aria-busy", "false");
      list.textContent = "";
      statusLine.textContent = "";
      hint.hidden = true;
      more.hidden = true;
      if (examples) { examples.hidden = false; }
      renderFilters(null);
      return Promise.resolve();
    }
    if (examples) { examples.hidden = true; }
    list.setAttribute("aria-busy", "true");
    var slow = window.setTimeout(function () {
      if (token === searchToken) { statusLine.textContent = "Buscando…"; }
    }, 500);
    var found = null;
    return searchAll(query || null, selected)
      .then(function (main) {
        found = main;
        return facetCounts(query || null, main);
      })
      .then(function (counts) {
        if (token !== searchToken) { return; }
        results = found.results;
        shown = 0;
        list.textContent = "";
        renderFilters(counts);
        renderHint(query, found.dropped, results.length);
        if (!results.length) {
          more.hidden = true;
          renderEmpty(query);
          statusLine.textContent = describe(query, 0);
          return;
        }
        return renderMore().then(function () {
          if (token === searchToken) { statusLine.textContent = describe(query, results.length); }
        });
      })
      .catch(function () {
        if (token === searchToken) {
          statusLine.textContent = "La búsqueda falló. Vuelve a intentarlo o explora el catálogo por público o por tipo.";
        }
      })
      .then(function () {
        window.clearTimeout(slow);
        if (token === searchToken) { list.setAttribute("aria-busy", "false"); }
      });
  }

  function start() {
    box.hidden = false;
    readUrl();
    if (window.matchMedia && window.matchMedia("(min-width: 48rem)").matches) { panel.open = true; }
    if (input.value.trim() || hasFilters()) {
      statusLine.textContent = "Cargando el buscador…";
    } else if (examples) {
      examples.hidden = false;
    }
    import(base + "pagefind/pagefind.js")
      .then(function (module) {
        pagefind = module;
        return pagefind.options({ baseUrl: base, excerptLength: 24 });
      })
      .then(function () {
        // A large catalog is indexed in parts (search.py); each is merged into the first.
        // A part that fails to load (a preview whose index is still being rebuilt) leaves
        // the others searchable.
        return parts.reduce(function (done, part) {
          return done.then(function () {
            return pagefind.mergeIndex(part, { baseUrl: base }).catch(function () {});
          });
        }, Promise.resolve());
      })
      .then(function () { return pagefind.filters(); })
      .then(function (filters) {
        allFilters = filters || {};
        return runSearch();
      })
      .catch(function () {
        statusLine.textContent = "No se pudo cargar el buscador. Revisa tu conexión o explora el catálogo por público o por tipo.";
      });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(debounce);
      if (pagefind) { runSearch(); }
    });
    input.addEventListener("input", function () {
      window.clearTimeout(debounce);
      debounce = window.setTimeout(function () { if (pagefind) { runSearch(); } }, 300);
    });
    more.addEventListener("click", function () {
      var first = list.children.length;
      renderMore().then(function () {
        var next = list.children[first];
        var target = next && next.querySelector("a");
        if (target) { target.focus(); }
      });
    });
    window.addEventListener("popstate", function () {
      readUrl();
      if (pagefind) { runSearch(); }
    });
  }

  start();
})();
