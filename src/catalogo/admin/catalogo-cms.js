/* Catálogo: the script of the browser editor's page (/admin/). It runs before Sveltia CMS
   (both scripts are deferred, in order) and:
   - keeps the editor's Spanish strings on the site: Sveltia fetches its non-English
     strings from a CDN, which the page's CSP does not allow;
   - writes records in the catalog's own YAML: the schema line first, the model's key
     order, nothing empty, years and dates as the loader reads them;
   - shows the record in the preview pane as the site shows it, with the site's CSS;
   - starts the editor with the generated configuration and this site's repository. */
(() => {
  "use strict";

  const script = document.currentScript;
  const page = script.dataset;
  const here = (name) => new URL(name, script.src).href;

  window.CMS_MANUAL_INIT = true;

  /* --- The interface in Spanish, from the site ------------------------------------ */

  const REMOTE_STRINGS = /^https:\/\/unpkg\.com\/@sveltia\/cms@[^/]+\/locales\/([A-Za-z-]+)\.json$/;
  const LOCAL_STRINGS = new Set(["es-CO"]);
  const nativeFetch = window.fetch.bind(window);
  // Lookups the editor can do without, answered here instead of being refused by the
  // page's policy: a newer version of itself (this one is pinned) and GitHub's status page.
  const NOT_ASKED = ["https://unpkg.com/", "https://www.githubstatus.com/"];

  window.fetch = (input, init) => {
    const address = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const match = REMOTE_STRINGS.exec(address);
    if (match) {
      // Only the Spanish strings are shipped; another language falls back to English.
      const name = LOCAL_STRINGS.has(match[1]) ? match[1] : "no-incluido";
      return nativeFetch(here(`locales/${name}.json`), init);
    }
    if (NOT_ASKED.some((prefix) => address.startsWith(prefix))) {
      return Promise.resolve(new Response("", { status: 404, statusText: "Not Found" }));
    }
    return nativeFetch(input, init);
  };

  /* The editors' language: Spanish, unless an editor chose another in the settings. */
  try {
    const key = "sveltia-cms.prefs";
    const prefs = JSON.parse(localStorage.getItem(key) || "{}") || {};
    if (!prefs.locale) localStorage.setItem(key, JSON.stringify({ ...prefs, locale: "es-CO" }));
  } catch (error) {
    // Storage can be off (private windows): the browser's language decides then.
  }

  /* --- Records in the catalog's YAML ---------------------------------------------- */

  const SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/recurso.schema.json";
  const FOLD_WIDTH = 90; // text per line of a folded description, as in the shipped records

  // What YAML (PyYAML, the loader) would read as something other than text.
  const NOT_TEXT = [
    /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|y|Y|n|N)$/,
    /^(?:~|null|Null|NULL)$/,
    /^[-+]?(?:0b[01_]+|0[0-7_]+|0|[1-9][0-9_]*|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
    /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
    /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$/,
    /^(?:<<|=)$/,
  ];
  const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
  const FLOW_WORD = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

  const printable = (code) =>
    (code >= 0x20 && code <= 0x7e) ||
    (code >= 0xa0 && code <= 0x2027) ||
    (code >= 0x202a && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    code >= 0x10000;

  const allPrintable = (text) => [...text].every((ch) => printable(ch.codePointAt(0)));

  const plainAllowed = (text) =>
    text !== "" &&
    text.trim() === text &&
    allPrintable(text) &&
    !/^[-?:,[\]{}#&*!|>'"%@`]/.test(text) &&
    !text.includes(": ") &&
    !text.includes(" #") &&
    !text.endsWith(":") &&
    !NOT_TEXT.some((pattern) => pattern.test(text));

  const hex = (code, size) => code.toString(16).toUpperCase().padStart(size, "0");

  const quoted = (text) => {
    let out = '"';
    for (const ch of text) {
      const code = ch.codePointAt(0);
      if (ch === '"') out += '\\"';
      else if (ch === "\\") out += "\\\\";
      else if (ch === "\n") out += "\\n";
      else if (ch === "\t") out += "\\t";
      else if (printable(code)) out += ch;
      else if (code <= 0xff) out += `\\x${hex(code, 2)}`;
      else if (code <= 0xffff) out += `\\u${hex(code, 4)}`;
      else out += `\\U${hex(code, 8)}`;
    }
    return `${out}"`;
  };

  const scalar = (value, { quote = false, flow = false } = {}) => {
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    const text = String(value);
    if (quote) return quoted(text);
    if (flow) return FLOW_WORD.test(text) && plainAllowed(text) ? text : quoted(text);
    return plainAllowed(text) ? text : quoted(text);
  };

  /* A long text as a block: folded (">-") when it is one paragraph, literal ("|-") when
     it has line breaks; quoted when neither would read back exactly. */
  const block = (key, text, indent) => {
    const inner = `${indent}  `;
    const simple = allPrintable(text.replace(/\n/g, "")) && !/[\t\r]/.test(text);
    if (simple && !text.includes("\n") && /^\S(?:.*\S)?$/.test(text) && !text.includes("  ")) {
      const lines = [];
      let line = "";
      for (const word of text.split(" ")) {
        if (line && line.length + 1 + word.length > FOLD_WIDTH) {
          lines.push(line);
          line = word;
        } else {
          line = line ? `${line} ${word}` : word;
        }
      }
      lines.push(line);
      return [`${indent}${key}: >-`, ...lines.map((l) => inner + l)];
    }
    const literalAllowed =
      simple && !/^[\s\n]/.test(text) && !/\n$/.test(text) && !/[ \t]$/m.test(text);
    if (literalAllowed) {
      return [`${indent}${key}: |-`, ...text.split("\n").map((l) => (l ? inner + l : ""))];
    }
    return [`${indent}${key}: ${quoted(text)}`];
  };

  const isEmpty = (value) => {
    if (value === null || value === undefined) return true;
    if (typeof value === "string") return value.trim() === "";
    if (Array.isArray(value)) return value.every(isEmpty);
    if (typeof value === "object") return Object.values(value).every(isEmpty);
    return false;
  };

  // The model fills in its defaults (`idioma: es`, `agregado_por_editor: false`): a value
  // equal to one is not written, as in the shipped records.
  const isDefault = (value, field) => "default" in field && field.default !== "{{now}}" && value === field.default;

  const subfieldsOf = (field, value) => {
    if (field.fields) return field.fields;
    return Object.keys(value).map((name) => ({ name }));
  };

  /* The lines of one key and its value, at an indent. Fields follow the configuration
     (the model's order); keys the configuration does not know are kept, after them, so
     that `validate` reports them instead of losing them. */
  const entry = (key, value, field, indent) => {
    const widget = field.widget;
    if (Array.isArray(value)) {
      const items = value.filter((item) => !isEmpty(item));
      if (widget === "list" && field.fields) return objectList(key, items, field, indent);
      const sub = field.field || {};
      if (widget === "select" && items.length === 1 && typeof items[0] === "number") {
        return [`${indent}${key}: ${scalar(items[0])}`]; // one year: `anio: 2021`
      }
      if (widget === "list" && (sub.widget === "text" || sub.widget === "markdown")) {
        return [`${indent}${key}:`, ...items.map((item) => `${indent}  - ${scalar(item, { quote: true })}`)];
      }
      if (items.some((item) => typeof item === "object")) return objectList(key, items, {}, indent);
      return [`${indent}${key}: [${items.map((item) => scalar(item, { flow: true })).join(", ")}]`];
    }
    if (typeof value === "object") {
      return [`${indent}${key}:`, ...mapping(value, subfieldsOf(field, value), `${indent}  `)];
    }
    if ((widget === "markdown" || widget === "text") && typeof value === "string" && !indent) {
      return block(key, value, indent);
    }
    if (widget === "datetime" && typeof value === "string" && DATE.test(value)) {
      return [`${indent}${key}: ${value}`];
    }
    return [`${indent}${key}: ${scalar(value)}`];
  };

  const mapping = (value, fields, indent) => {
    const lines = [];
    const known = new Set(fields.map((field) => field.name));
    const ordered = [...fields, ...Object.keys(value).filter((k) => !known.has(k)).map((name) => ({ name }))];
    for (const field of ordered) {
      const item = value[field.name];
      if (isEmpty(item) || isDefault(item, field)) continue;
      lines.push(...entry(field.name, item, field, indent));
    }
    return lines;
  };

  const objectList = (key, items, field, indent) => {
    const lines = [`${indent}${key}:`];
    for (const item of items) {
      const inner = mapping(item, subfieldsOf(field, item), `${indent}    `);
      if (!inner.length) continue;
      inner[0] = `${indent}  - ${inner[0].slice(indent.length + 4)}`;
      lines.push(...inner);
    }
    return lines;
  };

  const writeRecord = (content, fields) => [SCHEMA_LINE, ...mapping(content, fields, "")].join("\n") + "\n";

  /* --- The preview: the record as its page shows it ------------------------------- */

  const data = JSON.parse(document.getElementById("catalogo-datos").textContent);

  const hostOf = (address) => {
    try {
      return new URL(address).hostname.replace(/^www\./, "");
    } catch (error) {
      return "";
    }
  };

  const plain = (value) => (value && typeof value.toJS === "function" ? value.toJS() : value);

  const yearsOf = (value) => {
    const years = (Array.isArray(value) ? value : [value]).filter((y) => typeof y === "number");
    return years.sort((a, b) => a - b);
  };

  const RecordPreview = (props) => {
    const h = window.h;
    const get = (name) => plain(props.entry.getIn(["data", name]));
    const collection = props.entry.get("collection");
    const section = data.secciones[collection] || { nombre_corto: collection };
    const named = (vocabulary, key) => (data[vocabulary] && data[vocabulary][key]) || key;
    const row = (term, ...content) => h("div", null, h("dt", null, term), h("dd", null, ...content));
    const inline = (keys, vocabulary) =>
      h("ul", { className: "en-linea" }, ...keys.map((key) => h("li", { key }, named(vocabulary, key))));

    const title = get("titulo") || "(sin título)";
    const language = get("idioma") || data.idioma;
    const audiences = get("publico") || [];
    const institutions = get("instituciones") || [];
    const years = yearsOf(get("anio"));
    const series = get("serie");
    const links = (get("enlaces") || []).filter((link) => link && link.url);
    const foreign = language !== data.idioma ? { lang: language } : {};

    const facts = [
      row("Tipo", named("tipos", get("tipo"))),
      row("Año", years.length ? years.join(", ") : "Sin año"),
      audiences.length ? row("Dirigido a", inline(audiences, "publicos")) : null,
      institutions.length ? row("Instituciones", inline(institutions, "instituciones")) : null,
      row("Idioma", named("idiomas", language)),
      series ? row("Serie", named("series", series) + (get("orden") ? ` (n.º ${get("orden")})` : "")) : null,
      row("Sección", section.nombre_corto),
    ].filter(Boolean);

    const linkItems = links.map((link, index) => {
      const format = data.formatos[link.formato] || {};
      return h(
        "li",
        { key: index },
        h("a", { className: "boton", href: link.url, target: "_blank", rel: "noopener noreferrer" },
          link.etiqueta || format.etiqueta || "Abrir enlace"),
        " ",
        h("span", { className: "fuente" }, `${format.nombre || "Enlace"} · ${hostOf(link.url)}`),
      );
    });

    return h(
      "div",
      { className: "vista-previa marco", lang: data.idioma },
      h("nav", { className: "migas", "aria-label": "Ruta" },
        h("ol", null, h("li", null, "Inicio"), h("li", null, section.nombre_corto), h("li", null, h("span", { "aria-current": "page" }, title)))),
      h(
        "article",
        { className: "recurso" },
        h("h1", foreign, title),
        h("dl", { className: "datos" }, ...facts),
        h(
          "section",
          { className: "enlaces" },
          h("h2", null, "Acceder al recurso"),
          linkItems.length
            ? h("ul", { className: "lista-enlaces" }, ...linkItems)
            : h("p", { className: "vacio" }, "La fuente no indica un enlace propio para este recurso."),
        ),
        get("descripcion")
          ? h("section", null, h("h2", null, "Descripción"), h("div", { className: "texto" }, props.widgetFor("descripcion")))
          : null,
      ),
    );
  };

  /* --- Start ---------------------------------------------------------------------- */

  const explain = (message) => {
    const box = document.createElement("main");
    box.className = "aviso-editor";
    const heading = document.createElement("h1");
    heading.textContent = "El editor no está disponible";
    const text = document.createElement("p");
    text.textContent = message;
    box.append(heading, text);
    document.body.append(box);
  };

  const start = async () => {
    const backend = page.backend || "github";
    if (backend === "github" && !page.repositorio) {
      explain(
        "Falta el repositorio de GitHub del catálogo. Añade «repositorio: usuario/proyecto» " +
          "a site.yaml (o publica el sitio con el flujo de GitHub Pages, que lo indica solo).",
      );
      return;
    }
    let config;
    try {
      const response = await fetch(here("config.json"), { cache: "no-cache" });
      config = await response.json();
    } catch (error) {
      explain("No se pudo leer la configuración del editor (config.json). Vuelve a cargar la página.");
      return;
    }
    config.load_config_file = false;
    config.backend =
      backend === "github" ? { ...config.backend, repo: page.repositorio, branch: page.rama || "main" } : { name: backend };
    if (page.sitio) {
      config.site_url = page.sitio;
      config.display_url = page.sitio;
    }
    if (page.logo) config.logo_url = page.logo;
    const fields = config.collections[0].fields;
    window.CMS.registerCustomFormat("yaml", "yaml", { toFile: (content) => writeRecord(content, fields) });
    window.CMS.registerPreviewStyle(page.estilo);
    window.CMS.registerPreviewStyle(here("vista-previa.css"));
    for (const collection of config.collections) {
      window.CMS.registerPreviewTemplate(collection.name, RecordPreview);
    }
    window.catalogoEscribirRegistro = writeRecord; // for the tests: the writer, as the editor uses it
    window.CMS.init({ config });
  };

  document.addEventListener("DOMContentLoaded", () => {
    start().catch((error) => {
      console.error(error);
      explain("El editor no pudo arrancar. Vuelve a cargar la página.");
    });
  });
})();
