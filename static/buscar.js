// Search page: Pagefind's JavaScript API behind our own accessible Spanish interface.
//
// - The query and the filters live in the URL (/buscar/?q=victima&Tipo=Guía), so a search
//   can be shared, reloaded or reached with the Back button.
// - Accents do not matter («victima» finds «víctima»). Pagefind also folds «ñ» into «n»,
//   so each result is checked (keepsEnie): «nino» does not find «niño». A query that only
//   matches with «ñ» (nino, ninos, ano) shows the «ñ» results at once, with one line that
//   says so and offers the search without them.
// - A query with no match offers the catalog words closest to what was typed
//   (buscar/palabras.json, fetched only then), each with its number of results.
// - Ranking: titles above body text, a document above a video of the same title, and the
//   members of a series together and in their series order (see rank()).
// - Excerpts are cut at word boundaries from the text after the title (see excerptOf()).
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
  var parts = readJson("data-partes", []);
  var synonyms = readJson("data-sinonimos", []);
  var enieWords = readJson("data-enie", []).map(foldAccents);
  var languages = readJson("data-idiomas", {});
  var audiovisual = readJson("data-audiovisual", []);
  var audiencePages = readJson("data-publicos", {});
  var wordsUrl = form.getAttribute("data-palabras");
  var FILTER_ORDER = ["Sección", "Tipo", "Público", "Año", "Idioma"];
  var PAGE_SIZE = 10;
  // Results whose page data is read to rank them (titles, types, series): the first ones
  // by Pagefind's score. Each costs a fragment of about half a kilobyte.
  var RANK_WINDOW = 20;
  var EXCERPT_WORDS = 26;
  // Below this many results, a misspelt word also gets «¿Quisiste decir…?».
  var FEW_RESULTS = 5;
  var STOPWORDS = ["a", "al", "con", "de", "del", "e", "el", "en", "la", "las", "lo", "los", "o", "para", "por", "se", "sin", "sobre", "su", "sus", "u", "un", "una", "y"];
  var pagefind = null;
  var allFilters = {};
  var selected = {};
  var strict = false; // «Buscar solo «nino»»: no switch to the «ñ» spelling
  var results = [];
  var shown = 0;
  var searchToken = 0;
  var debounce = null;
  var pageData = {};
  var seriesMembers = {};
  var catalogWords = null;

  function readJson(attribute, fallback) {
    try { return JSON.parse(form.getAttribute(attribute) || "") || fallback; } catch (error) { return fallback; }
  }

  // ---- Text: words, accents, «ñ» and word forms ------------------------------------------

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

  // One form for the singular and plural, masculine and feminine of a Spanish word:
  // «jueces», «juezas» -> «juez»; «fiscales» -> «fiscal»; «víctimas» -> «victim».
  function wordForm(word) {
    var w = foldAll(word);
    if (w.length > 4 && /ces$/.test(w)) { w = w.slice(0, -3) + "z"; }
    else if (w.length > 4 && /[^aeiou]es$/.test(w)) { w = w.slice(0, -2); }
    else if (w.length > 3 && /s$/.test(w)) { w = w.slice(0, -1); }
    if (w.length > 4 && /[aeo]$/.test(w)) { w = w.slice(0, -1); }
    return w;
  }

  // The words that carry the meaning of a query (without «de», «la», «y»...).
  function significant(query) {
    var all = words(query);
    var kept = all.filter(function (word) { return STOPWORDS.indexOf(foldAll(word)) === -1; });
    return kept.length ? kept : all;
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
    strict = params.get("exacto") === "1";
    selected = {};
    FILTER_ORDER.forEach(function (name) {
      var values = params.getAll(name);
      if (values.length) { selected[name] = values; }
    });
  }

  function queryString(query, choice, exact) {
    var params = new URLSearchParams();
    if (query) { params.set("q", query); }
    if (query && exact) { params.set("exacto", "1"); }
    FILTER_ORDER.forEach(function (name) {
      (choice[name] || []).forEach(function (value) { params.append(name, value); });
    });
    var text = params.toString();
    return window.location.pathname + (text ? "?" + text : "");
  }

  function writeUrl() {
    window.history.replaceState(null, "", queryString(input.value.trim(), selected, strict));
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

  // ---- Ranking -----------------------------------------------------------------------------

  // The words of a page after its title (Pagefind's content starts with the h1).
  function bodyStart(page, tokens) {
    var title = ((page.meta && page.meta.title) || "").split(/\s+/).filter(Boolean);
    if (!title.length || tokens.length < title.length) { return 0; }
    for (var i = 0; i < title.length; i++) {
      if (foldAll(tokens[i]).replace(/[^\p{L}\p{N}]+$/u, "") !== foldAll(title[i]).replace(/[^\p{L}\p{N}]+$/u, "")) { return 0; }
    }
    return title.length;
  }

  // How well a page answers the query, best first: 0 the query as a phrase in the title,
  // 1 every word in the title, 2 some words in the title, 3 every word in the text (in
  // one of its forms: «jueces» for «juez»), 4 only longer words that start like them
  // (Pagefind's prefix matching: «fiscalizadores» for «fiscal»).
  function tierOf(page, query) {
    var terms = significant(query).map(wordForm);
    var titleText = foldAll((page.meta && page.meta.title) || "");
    var phrase = words(foldAll(query)).join(" ");
    if (phrase && (" " + words(titleText).join(" ") + " ").indexOf(" " + phrase + " ") !== -1) { return 0; }
    var titleForms = words(titleText).map(wordForm);
    var inTitle = terms.filter(function (term) { return titleForms.indexOf(term) !== -1; }).length;
    if (inTitle === terms.length) { return 1; }
    if (inTitle > 0) { return 2; }
    var bodyForms = words(page.content || "").map(wordForm);
    return terms.every(function (term) { return bodyForms.indexOf(term) !== -1; }) ? 3 : 4;
  }

  function isAudiovisual(page) {
    var types = (page.filters && page.filters["Tipo"]) || [];
    return types.some(function (name) { return audiovisual.indexOf(name) !== -1; }) ? 1 : 0;
  }

  function seriesOf(page) {
    var series = page && page.filters && page.filters["Serie"];
    return series && series.length ? series[0] : null;
  }

  // Every record of a series, from a filter-only search (cached: it does not depend on
  // the query).
  function membersOf(series) {
    if (!seriesMembers[series]) {
      seriesMembers[series] = pagefind.search(null, { filters: { Serie: [series] } }).then(function (search) {
        return search.results;
      });
    }
    return seriesMembers[series];
  }

  // The results in reading order. The first RANK_WINDOW by Pagefind's score, and the
  // other members of the series among them, are ranked by tier, then documents before
  // audiovisual records, then score; within that, the members of a series stand together
  // where the best of them ranked, in their series order. The rest keep Pagefind's order.
  function rank(query, found) {
    var position = {};
    found.forEach(function (result, index) { position[result.id] = index; });
    var head = found.slice(0, RANK_WINDOW);
    return Promise.all(head.map(dataOf)).then(function (pages) {
      var series = [];
      pages.forEach(function (page) {
        var name = seriesOf(page);
        if (name && series.indexOf(name) === -1) { series.push(name); }
      });
      return Promise.all(series.map(membersOf)).then(function (memberLists) {
        var extra = [];
        memberLists.forEach(function (members) {
          members.forEach(function (member) {
            var at = position[member.id];
            if (at !== undefined && at >= RANK_WINDOW && extra.indexOf(found[at]) === -1) { extra.push(found[at]); }
          });
        });
        return Promise.all(extra.map(dataOf)).then(function (extraPages) {
          return order(query, head.concat(extra), pages.concat(extraPages), position, found);
        });
      });
    });
  }

  // Two classes: every word of the query in the title (tiers 0 and 1), and the rest. Within
  // a class, the members of a series stand together where the best of them ranked, in
  // their series order: the six bulletins come out 1 to 6.
  function order(query, ranked, pages, position, found) {
    var items = ranked.map(function (result, i) {
      var orden = parseInt((pages[i].meta || {}).orden, 10);
      var tier = query ? tierOf(pages[i], query) : 0;
      return {
        result: result,
        tier: tier,
        kind: tier <= 1 ? 0 : 1,
        av: isAudiovisual(pages[i]),
        series: seriesOf(pages[i]),
        orden: isNaN(orden) ? 0 : orden,
        index: position[result.id],
        score: result.score || 0,
        url: pages[i].url || "",
      };
    });
    var best = {};
    items.forEach(function (item) {
      item.key = item.series ? item.kind + "\n" + item.series : null;
      var current = item.key ? best[item.key] : null;
      if (item.key && (!current || item.tier < current.tier || (item.tier === current.tier && item.index < current.index))) {
        best[item.key] = item;
      }
    });
    items.forEach(function (item) { item.leader = item.key ? best[item.key] : item; });
    // Leaders by score; equal scores (two records with the same title and no text) by
    // address, so the same query always lists them the same way.
    var leaders = items.filter(function (item) { return item.leader === item; });
    leaders.sort(function (a, b) {
      return b.score - a.score || (a.url < b.url ? -1 : a.url > b.url ? 1 : 0) || a.index - b.index;
    });
    leaders.forEach(function (leader, rank) { leader.rank = rank; });
    items.sort(function (a, b) {
      return a.kind - b.kind || a.leader.tier - b.leader.tier || a.leader.av - b.leader.av ||
        a.leader.rank - b.leader.rank || a.orden - b.orden || a.index - b.index;
    });
    var taken = {};
    var out = items.map(function (item) {
      taken[item.result.id] = true;
      return item.result;
    });
    found.forEach(function (result) { if (!taken[result.id]) { out.push(result); } });
    return out;
  }

  // ---- Excerpts ----------------------------------------------------------------------------

  // A passage of the text after the title, of whole words, around the matches (or its
  // beginning when only the title matched), with «…» where it was cut. Null when the page
  // has no text besides its title: the title is never repeated as an excerpt.
  function excerptOf(page) {
    var tokens = (page.content || "").split(/\s+/).filter(Boolean);
    var start = bodyStart(page, tokens);
    if (start >= tokens.length) { return null; }
    var hits = (page.locations || []).filter(function (location) { return location >= start && location < tokens.length; });
    var from = start;
    if (hits.length) {
      // The window of EXCERPT_WORDS words that holds the most matches, starting a few
      // words before its first match.
      var best = hits[0];
      var bestCount = 0;
      hits.forEach(function (hit) {
        var count = hits.filter(function (other) { return other >= hit && other < hit + EXCERPT_WORDS - 4; }).length;
        if (count > bestCount) { best = hit; bestCount = count; }
      });
      from = Math.max(start, best - 4);
    }
    var to = Math.min(tokens.length, from + EXCERPT_WORDS);
    from = Math.max(start, Math.min(from, to - EXCERPT_WORDS));
    var marked = {};
    hits.forEach(function (hit) { marked[hit] = true; });
    var shownTokens = [];
    for (var i = from; i < to; i++) { shownTokens.push({ text: tokens[i], mark: !!marked[i] }); }
    if (to < tokens.length && shownTokens.length) {
      var last = shownTokens[shownTokens.length - 1];
      last.text = last.text.replace(/[,;:(«“"'—–-]+$/u, "");
    }
    return { lead: from > start, tokens: shownTokens, tail: to < tokens.length };
  }

  function appendExcerpt(target, excerpt) {
    if (excerpt.lead) { target.appendChild(document.createTextNode("…")); }
    excerpt.tokens.forEach(function (token, index) {
      if (index) { target.appendChild(document.createTextNode(" ")); }
      var found = token.mark ? /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u.exec(token.text) : null;
      if (!found || !found[2]) {
        target.appendChild(document.createTextNode(token.text));
        return;
      }
      if (found[1]) { target.appendChild(document.createTextNode(found[1])); }
      var mark = document.createElement("mark");
      mark.textContent = found[2];
      target.appendChild(mark);
      if (found[3]) { target.appendChild(document.createTextNode(found[3])); }
    });
    if (excerpt.tail) { target.appendChild(document.createTextNode("…")); }
  }

  // ---- Suggestions ---------------------------------------------------------------------------

  // Edit distance with transpositions («vicitma» is one step from «victima»), giving up
  // past `limit`.
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) { return limit + 1; }
    var previous2 = [];
    var previous = [];
    var i;
    var j;
    for (j = 0; j <= b.length; j++) { previous[j] = j; }
    for (i = 1; i <= a.length; i++) {
      var current = [i];
      var rowBest = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) { value = Math.min(value, previous2[j - 2] + 1); }
        current[j] = value;
        if (value < rowBest) { rowBest = value; }
      }
      if (rowBest > limit) { return limit + 1; }
      previous2 = previous;
      previous = current;
    }
    return previous[b.length];
  }

  function loadWords() {
    if (!catalogWords) {
      catalogWords = (wordsUrl ? fetch(wordsUrl) : Promise.reject(new Error("sin palabras")))
        .then(function (response) { return response.ok ? response.json() : []; })
        .catch(function () { return []; })
        .then(function (list) {
          var known = {};
          var forms = {};
          list.forEach(function (word) {
            if (!(foldAll(word) in known)) { known[foldAll(word)] = word; }
            forms[wordForm(word)] = true;
          });
          return { list: list, known: known, forms: forms };
        });
    }
    return catalogWords;
  }

  // The catalog words closest to `word` (all at the smallest distance found), most
  // frequent first.
  function closeWords(word, vocabulary) {
    var plain = foldAll(word);
    var limit = plain.length <= 4 ? 1 : plain.length <= 8 ? 2 : 3;
    var found = [];
    vocabulary.list.forEach(function (candidate, rankIndex) {
      var d = distance(plain, foldAll(candidate), limit);
      if (d <= limit) { found.push({ word: candidate, d: d, rank: rankIndex }); }
    });
    found.sort(function (a, b) { return a.d - b.d || a.rank - b.rank; });
    var seen = {};
    return found.filter(function (item) {
      var key = foldAll(item.word);
      if (seen[key] || item.d > found[0].d) { return false; }
      seen[key] = true;
      return true;
    }).slice(0, 3).map(function (item) { return item.word; });
  }

  // Queries close to one that found nothing, each with how many results it gives (only
  // those that give some): a misspelt word replaced by the closest catalog words, or, when
  // every word is in the catalog but never together, each word alone.
  function closeQueries(query, nothingFound) {
    return loadWords().then(function (vocabulary) {
      var terms = words(query);
      var unknown = terms.filter(function (term) {
        return !(foldAll(term) in vocabulary.known) && !(wordForm(term) in vocabulary.forms) && foldAll(term).length > 2;
      });
      var candidates = [];
      if (unknown.length) {
        var choices = closeWords(unknown[0], vocabulary);
        choices.forEach(function (choice) {
          candidates.push(terms.map(function (term) {
            if (term === unknown[0]) { return choice; }
            if (unknown.indexOf(term) !== -1) { return (closeWords(term, vocabulary)[0] || term); }
            return term;
          }).join(" "));
        });
      } else if (nothingFound && terms.length > 1) {
        candidates = significant(query).map(function (term) { return vocabulary.known[foldAll(term)] || term; });
      }
      // One spelling per word form: «víctima» and «víctimas» find the same records.
      var forms = [words(query).map(wordForm).join(" ")];
      candidates = candidates.filter(function (value) {
        var form = words(value).map(wordForm).join(" ");
        if (forms.indexOf(form) !== -1) { return false; }
        forms.push(form);
        return true;
      });
      return Promise.all(candidates.map(function (candidate) {
        return searchAll(candidate, selected).then(function (found) { return [candidate, found.results.length]; });
      })).then(function (counted) {
        return counted.filter(function (item) { return item[1] > 0; });
      });
    });
  }

  // The audience pages a query names («fiscal» -> «Fiscalía», «jueces» -> «Jueces y
  // juezas»): a reader who types a role is offered everything for that role. Every
  // word of the query must name the same audience.
  function audiencesNamed(query) {
    var terms = significant(query).map(wordForm);
    return Object.keys(audiencePages).filter(function (name) {
      var forms = significant(name).map(wordForm);
      return terms.every(function (term) {
        return forms.some(function (form) {
          var shorter = term.length < form.length ? term : form;
          var longer = shorter === term ? form : term;
          return shorter === longer || (shorter.length >= 5 && longer.indexOf(shorter) === 0);
        });
      });
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

  function renderItem(page) {
    var item = document.createElement("li");
    var heading = document.createElement("h3");
    var link = document.createElement("a");
    link.href = page.url;
    link.textContent = (page.meta && page.meta.title) || page.url;
    var titleLanguage = page.meta && page.meta.idioma_titulo;
    if (titleLanguage && titleLanguage !== document.documentElement.lang) { link.lang = titleLanguage; }
    heading.appendChild(link);
    item.appendChild(heading);
    var facts = [];
    ["Tipo", "Año", "Idioma"].forEach(function (name) {
      var values = page.filters && page.filters[name];
      if (!values) { return; }
      if (name === "Idioma" && languages[values[0]] === document.documentElement.lang) { return; }
      facts.push(values.join(", "));
    });
    if (facts.length) {
      var meta = document.createElement("p");
      meta.className = "ficha-datos";
      meta.textContent = facts.join(" · ");
      item.appendChild(meta);
    }
    var excerpt = excerptOf(page);
    if (excerpt) {
      var paragraph = document.createElement("p");
      paragraph.className = "extracto";
      appendExcerpt(paragraph, excerpt);
      item.appendChild(paragraph);
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

  // A link that runs another search on this page (and is a plain link otherwise).
  function searchLink(query, text, exact) {
    return makeLink(queryString(query, selected, exact), text || query, function () {
      input.value = query;
      strict = !!exact;
      runSearch().then(function () { input.focus(); });
    });
  }

  function renderHint(state) {
    hint.textContent = "";
    var lines = [];
    if (state.switched) {
      lines.push(["Mostrando resultados de «" + state.shownQuery + "». ", searchLink(state.query, "Buscar solo «" + state.query + "»", true)]);
    } else if (state.enie && (state.dropped || !state.count)) {
      lines.push(["¿Buscabas ", searchLink(state.enie), "?"]);
    }
    var variants = state.shownQuery ? expandQuery(state.shownQuery).slice(1) : [];
    if (variants.length && state.count) {
      var line = ["También se buscó: "];
      variants.forEach(function (variant, index) {
        if (index) { line.push(", "); }
        line.push("«" + variant + "»");
      });
      line.push(".");
      lines.push(line);
    }
    if (state.shownQuery && !hasFilters()) {
      audiencesNamed(state.shownQuery).forEach(function (name) {
        var count = (allFilters["Público"] || {})[name];
        lines.push([makeLink(audiencePages[name], "Todos los recursos para «" + name + "»" + (count ? " (" + count + ")" : ""))]);
      });
    }
    lines.forEach(function (line, index) {
      if (index) { hint.appendChild(document.createElement("br")); }
      line.forEach(function (part) { hint.appendChild(typeof part === "string" ? document.createTextNode(part) : part); });
    });
    hint.hidden = !lines.length;
  }

  // «¿Quisiste decir «víctima»? (60 resultados)» under a query that found little because
  // a word is misspelt.
  function offerCloseQueries(query, count, token) {
    return closeQueries(query, false).then(function (found) {
      var better = found.filter(function (pair) { return pair[1] > count; });
      if (token !== searchToken || !better.length) { return; }
      if (!hint.hidden) { hint.appendChild(document.createElement("br")); }
      hint.appendChild(document.createTextNode("¿Quisiste decir "));
      better.forEach(function (pair, index) {
        if (index) { hint.appendChild(document.createTextNode(index === better.length - 1 ? " o " : ", ")); }
        hint.appendChild(searchLink(pair[0], "«" + pair[0] + "»"));
        hint.appendChild(document.createTextNode(" (" + plural(pair[1], "resultado", "resultados") + ")"));
      });
      hint.appendChild(document.createTextNode("?"));
      hint.hidden = false;
    });
  }

  function renderEmpty(query, token) {
    var item = document.createElement("li");
    item.className = "sin-resultados";
    var intro = document.createElement("p");
    intro.textContent = "No encontramos recursos" + (query ? " para «" + query + "»" : "") +
      (hasFilters() ? " con estos filtros" : "") + ".";
    item.appendChild(intro);
    var close = document.createElement("p");
    close.className = "parecidas";
    close.hidden = true;
    item.appendChild(close);
    var tips = document.createElement("ul");
    var hints = ["una palabra más general, por ejemplo «víctima», «guía» o «policía»;"];
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
    var also = document.createElement("p");
    also.textContent = "También puedes probar:";
    item.appendChild(also);
    item.appendChild(tips);
    list.appendChild(item);
    if (!query) { return Promise.resolve(); }
    return closeQueries(query, true).then(function (found) {
      if (token !== searchToken || !found.length) { return; }
      close.appendChild(document.createTextNode("Palabras parecidas del catálogo: "));
      found.forEach(function (pair, index) {
        if (index) { close.appendChild(document.createTextNode(index === found.length - 1 ? " o " : ", ")); }
        close.appendChild(searchLink(pair[0], "«" + pair[0] + "»"));
        close.appendChild(document.createTextNode(" (" + plural(pair[1], "resultado", "resultados") + ")"));
      });
      close.appendChild(document.createTextNode("."));
      close.hidden = false;
    });
  }

  // The search as typed; if it finds nothing only because «ñ» was typed as «n», the
  // search with «ñ» instead (unless the reader asked for the exact words).
  function searchForReader(query) {
    return searchAll(query || null, selected).then(function (found) {
      var enie = query ? enieSuggestion(query) : null;
      var state = { query: query, shownQuery: query, found: found, enie: enie, switched: false, dropped: found.dropped };
      if (!query || strict || found.results.length || !enie) { return state; }
      return searchAll(enie, selected).then(function (other) {
        if (!other.results.length) { return state; }
        state.found = other;
        state.shownQuery = enie;
        state.switched = true;
        return state;
      });
    });
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
    var state = null;
    var counts = null;
    return searchForReader(query)
      .then(function (found) {
        state = found;
        return facetCounts(state.shownQuery || null, state.found);
      })
      .then(function (facets) {
        counts = facets;
        return rank(state.shownQuery, state.found.results);
      })
      .then(function (ordered) {
        if (token !== searchToken) { return; }
        results = ordered;
        shown = 0;
        list.textContent = "";
        state.count = results.length;
        renderFilters(counts);
        renderHint(state);
        if (!results.length) {
          more.hidden = true;
          statusLine.textContent = describe(query, 0);
          return renderEmpty(query, token);
        }
        return renderMore().then(function () {
          if (token === searchToken) { statusLine.textContent = describe(state.shownQuery, results.length); }
          if (state.shownQuery && results.length < FEW_RESULTS) { return offerCloseQueries(state.shownQuery, results.length, token); }
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

  // The version of the build the service worker serves, or null without one.
  function buildTag() {
    var worker = navigator.serviceWorker && navigator.serviceWorker.controller;
    if (!worker || typeof MessageChannel !== "function") { return Promise.resolve(null); }
    return new Promise(function (resolve) {
      var channel = new MessageChannel();
      var timer = window.setTimeout(function () { resolve(null); }, 2000);
      channel.port1.onmessage = function (event) {
        window.clearTimeout(timer);
        resolve((event.data && event.data.version) || null);
      };
      worker.postMessage({ tipo: "version" }, [channel.port2]);
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
    var options = { baseUrl: base, excerptLength: 0 };
    Promise.all([import(base + "pagefind/pagefind.js"), buildTag()])
      .then(function (loaded) {
        pagefind = loaded[0];
        // Pagefind's own excerpts are not used (excerptOf makes ours from the content).
        // Under the service worker (sin-conexion.js), the index's entry file is asked for
        // with the build's version instead of the time, so the stored copy is found.
        if (loaded[1]) { options.metaCacheTag = loaded[1]; }
        return pagefind.options(options);
      })
      .then(function () {
        // A large catalog is indexed in parts (search.py); each is merged into the first.
        // A part that fails to load (a preview whose index is still being rebuilt) leaves
        // the others searchable.
        return parts.reduce(function (done, part) {
          return done.then(function () {
            var partOptions = { baseUrl: base };
            if (options.metaCacheTag) { partOptions.metaCacheTag = options.metaCacheTag; }
            return pagefind.mergeIndex(part, partOptions).catch(function () {});
          });
        }, Promise.resolve());
      })
      .then(function () { return pagefind.filters(); })
      .then(function (filters) {
        allFilters = filters || {};
        return runSearch();
      })
      .catch(function () {
        statusLine.textContent = navigator.onLine === false
          ? "Sin conexión, el buscador solo funciona si guardaste el catálogo en este dispositivo (con el botón «Guardar el catálogo para leer sin conexión» de la portada). Puedes explorar por público o por tipo las páginas que ya abriste."
          : "No se pudo cargar el buscador. Revisa tu conexión o explora el catálogo por público o por tipo.";
      });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(debounce);
      if (pagefind) { runSearch(); }
    });
    input.addEventListener("input", function () {
      strict = false;
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
