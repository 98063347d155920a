"""A Hugo site that does the same work as our build, for a fair speed comparison.

    .venv/bin/python benchmarks/hugo_peer.py CATALOG SITE_DIR

Reads a catalog with our own loader (so Hugo gets exactly the validated records), writes
them as one data file (`data/catalogo.json`) and writes a Hugo site whose content adapter
(`content/_content.gotmpl`, Hugo >= 0.126) creates the same pages:

- one page per record at /recursos/<id>/ (header, section menu, breadcrumbs, metadata list
  with the same Pagefind filters, links with the YouTube facade, description rendered from
  Markdown, series description, the other items of its series, how to cite, up to six
  related records, JSON-LD and citation meta tags, footer);
- one page per section (records grouped by type, spots by language), per type, audience,
  year and series (records grouped by section), and the four taxonomy index pages;
- the home page, a 404 page, the sitemap, robots.txt and one Atom/RSS feed.

Related records use Hugo's own related-content index with the weights of ours (audience 3,
type 2, section 1) after the explicit `relacionados` in both directions. That search costs
Hugo time in proportion to pages x pages sharing a keyword, like our related_records did;
`hugo --environment sin-relacionados` builds the same site without it (explicit relations
only), a lower bound for Hugo. What Hugo does NOT
do here: the per-record citation files (cita.bib/.ris/.json), the five open-data exports and
the search/about/data pages. Those are a few percent of our build (see the profile).

`--ligero` writes the lean peer instead: one page per record from the same data (the same
record page, without the other items of its series and without related records), and
nothing else: no taxonomies, no section, home or list pages, no feed or sitemap. It is the
least a generator must do for this catalog, the peer of the issue's targets.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

CONFIG = """\
baseURL = "http://127.0.0.1:8000/"
locale = "es"
defaultContentLanguage = "es"
title = {title}
enableRobotsTXT = true
disableHugoGeneratorInject = true

[outputs]
home = ["html", "rss"]
page = ["html"]
section = ["html"]
taxonomy = ["html"]
term = ["html"]

[params]
relacionados = true

[taxonomies]
tipo = "tipos"
publico = "publico"
anio = "anios"
serie = "series"

[related]
includeNewer = true
threshold = 1
toLower = false
[[related.indices]]
name = "publico"
weight = 3
[[related.indices]]
name = "tipos"
weight = 2
[[related.indices]]
name = "seccion"
weight = 1
"""

CONTENT_ADAPTER = """\
{{ $d := hugo.Data.catalogo }}
{{ range $d.secciones }}
  {{ $.AddPage (dict
    "kind" "section"
    "path" .id
    "title" .titulo
    "params" (dict "nombre_corto" .nombre_corto "orden" .orden)
    "content" (dict "mediaType" "text/markdown" "value" (.descripcion | default ""))
  ) }}
{{ end }}
{{ range $d.registros }}
  {{ $.AddPage (dict
    "kind" "page"
    "path" (printf "%s/%s" .seccion .id)
    "url" (printf "/recursos/%s/" .id)
    "title" .titulo
    "params" (dict
      "id" .id "seccion" .seccion "tipo" .tipo "anio_lista" .anios "mes" .mes
      "idioma" .idioma "instituciones" .instituciones "serie" .serie "orden" .orden
      "enlaces" .enlaces "relacionados" .relacionados "clave" .clave
      "fecha_alta" .fecha_alta
      "tipos" (slice .tipo) "publico" .publico "anios" .anios_terminos
      "series" (cond (ne .serie nil) (slice .serie) slice)
    )
    "content" (dict "mediaType" "text/markdown" "value" (.descripcion | default ""))
  ) }}
{{ end }}
"""

BASEOF = """\
{{ $d := hugo.Data.catalogo -}}
{{ $desc := .Params.resumen | default (.Summary | plainify | truncate 160) -}}
<!doctype html>
<html lang="{{ $d.info.idioma }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: https://i.ytimg.com; frame-src https://www.youtube-nocookie.com; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'">
<meta name="referrer" content="strict-origin-when-cross-origin">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ $d.info.titulo }}</title>
<meta name="description" content="{{ $desc }}">
<link rel="canonical" href="{{ .Permalink }}">
<meta property="og:site_name" content="{{ $d.info.titulo }}">
<meta property="og:title" content="{{ .Title }}">
<meta property="og:description" content="{{ $desc }}">
<meta property="og:type" content="{{ if .IsPage }}article{{ else }}website{{ end }}">
<meta property="og:url" content="{{ .Permalink }}">
<meta property="og:locale" content="es_PE">
<meta property="og:image" content="{{ "static/compartir.png" | absURL }}">
<meta property="og:image:alt" content="{{ $d.info.titulo }}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="{{ .Title }}">
<meta name="twitter:description" content="{{ $desc }}">
<meta name="twitter:image" content="{{ "static/compartir.png" | absURL }}">
{{ block "meta" . }}{{ end }}
<link rel="icon" href="{{ "static/favicon.ico" | relURL }}" sizes="32x32">
<link rel="icon" href="{{ "static/icono.svg" | relURL }}" type="image/svg+xml">
<link rel="alternate" type="application/rss+xml" title="Novedades del catálogo" href="{{ "index.xml" | relURL }}">
<link rel="stylesheet" href="{{ "static/estilo.css" | relURL }}">
</head>
<body>
<a class="saltar" href="#contenido">Saltar al contenido</a>
<header class="cabecera">
  <div class="marco">
    <a class="marca" href="{{ "" | relURL }}">
      <span class="marca-sigla">{{ $d.info.editor_siglas | default $d.info.editor }}</span>
      <span class="marca-nombre">Catálogo contra la trata de NNA</span>
    </a>
    <form class="busqueda-corta" action="{{ "buscar/" | relURL }}" method="get" role="search">
      <label for="q-cabecera" class="oculto">Buscar en el catálogo</label>
      <input id="q-cabecera" name="q" type="search" placeholder="Buscar recursos" autocomplete="off">
      <button type="submit">Buscar</button>
    </form>
  </div>
  <nav class="menu" aria-label="Secciones">
    <ul class="marco">
      {{ $here := .RelPermalink }}
      {{ range $d.secciones }}
      {{ $href := printf "/%s/" .id | relURL }}
      <li><a href="{{ $href }}"{{ if eq $here $href }} aria-current="page"{{ end }}>{{ .nombre_corto }}</a></li>
      {{ end }}
      <li><a href="{{ "publico/" | relURL }}"{{ if hasPrefix $here "/publico/" }} aria-current="page"{{ end }}>Por público</a></li>
      <li><a href="{{ "tipos/" | relURL }}"{{ if hasPrefix $here "/tipos/" }} aria-current="page"{{ end }}>Por tipo</a></li>
      <li><a href="{{ "acerca/" | relURL }}">Acerca</a></li>
    </ul>
  </nav>
</header>
<main id="contenido" class="marco">
{{ block "main" . }}{{ end }}
</main>
{{ partialCached "pie.html" . }}
{{ block "scripts" . }}{{ end }}
</body>
</html>
"""

FOOTER = """\
{{ $d := hugo.Data.catalogo -}}
<footer class="pie">
  <div class="marco">
    <p class="denuncia"><strong>{{ $d.info.linea_denuncia }}</strong> <a href="tel:1818">Llamar al 1818</a></p>
    <p>{{ $d.info.nota_reuso }} <a href="{{ "acerca/" | relURL }}#citar">Cómo citar</a> · <a href="{{ "datos/" | relURL }}">Datos abiertos</a> · <a href="{{ "index.xml" | relURL }}">Novedades</a></p>
    <div class="creditos">{{ $d.info.creditos | markdownify }}</div>
  </div>
</footer>
"""

BREADCRUMBS = """\
<nav class="migas" aria-label="Ruta">
  <ol>
    <li><a href="{{ "" | relURL }}">Inicio</a></li>
    {{ range . }}
    <li>{{ if .href }}<a href="{{ .href }}">{{ .label }}</a>{{ else }}<span aria-current="page">{{ .label }}</span>{{ end }}</li>
    {{ end }}
  </ol>
</nav>
"""

YEARS = """\
{{- with .Params.anio_lista -}}
{{- if eq (len .) 1 }}{{ index . 0 }}{{ else }}{{ delimit . ", " }}{{ end -}}
{{- else }}s. f.{{ end -}}
"""

RECORD_ITEM = """\
{{ $d := hugo.Data.catalogo -}}
{{ $p := .page -}}
<li class="ficha"{{ if ne $p.Params.idioma $d.info.idioma }} lang="{{ $p.Params.idioma }}"{{ end }}>
  {{ printf "<%s class=\\"ficha-titulo\\">" .heading | safeHTML }}<a href="{{ $p.RelPermalink }}">{{ $p.Title }}</a>{{ printf "</%s>" .heading | safeHTML }}
  <p class="ficha-datos"><span class="tipo">{{ (index $d.vocab.tipos $p.Params.tipo).nombre }}</span>
<span class="anio">{{ partial "anios.html" $p }}</span>{{ if ne $p.Params.idioma $d.info.idioma }} <span class="idioma" lang="{{ $p.Params.idioma }}">{{ (index $d.vocab.idiomas $p.Params.idioma).nombre }}</span>{{ end }}</p>
  {{ if and .summary $p.Content }}
  <p class="ficha-resumen">{{ $p.Plain | truncate 180 }}</p>
  {{ end }}
</li>
"""

RECORD_LIST = """\
<ul class="fichas">
{{ $heading := .heading | default "h3" }}
{{ $summary := .summary | default false }}
{{ range .pages }}
  {{ partial "ficha.html" (dict "page" . "heading" $heading "summary" $summary) }}
{{ end }}
</ul>
"""

PAGE = """\
{{ define "meta" }}
{{ $d := hugo.Data.catalogo -}}
{{ $t := index $d.vocab.tipos .Params.tipo -}}
{{ if not (in (slice "VideoObject" "AudioObject") $t.schema_org) -}}
<meta name="citation_title" content="{{ .Title }}">
{{ range .Params.instituciones }}<meta name="citation_author" content="{{ (index $d.vocab.instituciones .).nombre }}">
{{ else }}<meta name="citation_author" content="{{ $d.info.editor }}">
{{ end -}}
{{ with .Params.anio_lista }}<meta name="citation_publication_date" content="{{ index . 0 }}">{{ end }}
<meta name="citation_publisher" content="{{ $d.info.editor }}">
<meta name="citation_language" content="{{ .Params.idioma }}">
<meta name="citation_abstract_html_url" content="{{ .Permalink }}">
{{ range first 1 (where .Params.enlaces "formato" "pdf") }}<meta name="citation_pdf_url" content="{{ .url }}">{{ end }}
{{ end -}}
{{ $ld := dict "@context" "https://schema.org" "@type" $t.schema_org "@id" .Permalink "name" .Title "url" .Permalink "inLanguage" .Params.idioma "publisher" (dict "@type" "Organization" "name" $d.info.editor) "isAccessibleForFree" true "genre" $t.nombre -}}
{{ with .Plain }}{{ $ld = merge $ld (dict "description" (trim . " \\n")) }}{{ end -}}
{{ with .Params.anio_lista }}{{ $ld = merge $ld (dict "datePublished" (index . 0)) }}{{ end -}}
{{ $links := slice }}{{ range .Params.enlaces }}{{ $links = $links | append .url }}{{ end -}}
{{ with $links }}{{ $ld = merge $ld (dict "sameAs" .) }}{{ end -}}
<script type="application/ld+json">{{ $ld | jsonify | safeJS }}</script>
{{ end }}

{{ define "main" }}
{{ $d := hugo.Data.catalogo -}}
{{ $p := . -}}
{{ $r := .Params -}}
{{ $sec := index $d.secciones_por_id $r.seccion -}}
{{ $serie := false }}{{ with $r.serie }}{{ $serie = index $d.series . }}{{ end -}}
{{ $hermanos := slice }}{{ with $r.serie }}{{ $hermanos = sort (index site.Taxonomies.series .).Pages "Params.orden" }}{{ end -}}
{{ partial "migas.html" (slice (dict "label" $sec.nombre_corto "href" (printf "/%s/" $r.seccion | relURL)) (dict "label" .Title)) }}
<article class="recurso" data-pagefind-body>
  <h1{{ if ne $r.idioma $d.info.idioma }} lang="{{ $r.idioma }}"{{ end }}>{{ .Title }}</h1>
  <dl class="datos">
    <div><dt>Tipo</dt><dd><a href="{{ printf "/tipos/%s/" $r.tipo | relURL }}" data-pagefind-filter="Tipo">{{ (index $d.vocab.tipos $r.tipo).nombre }}</a></dd></div>
    <div><dt>Año</dt><dd>{{ with $r.anio_lista }}{{ range $i, $y := . }}{{ if $i }}, {{ end }}<a href="{{ printf "/anios/%v/" $y | relURL }}" data-pagefind-filter="Año">{{ $y }}</a>{{ end }}{{ else }}<span data-pagefind-filter="Año">Sin año</span>{{ end }}</dd></div>
    <div><dt>Sección</dt><dd><a href="{{ printf "/%s/" $r.seccion | relURL }}" data-pagefind-filter="Sección">{{ $sec.nombre_corto }}</a></dd></div>
    {{ with $r.publico }}
    <div><dt>Dirigido a</dt><dd><ul class="en-linea">{{ range . }}<li><a href="{{ printf "/publico/%s/" . | relURL }}" data-pagefind-filter="Público">{{ (index $d.vocab.publicos .).nombre }}</a></li>{{ end }}</ul></dd></div>
    {{ end }}
    {{ with $r.instituciones }}
    <div><dt>Instituciones</dt><dd><ul class="en-linea">{{ range . }}{{ $i := index $d.vocab.instituciones . }}<li>{{ $i.nombre }}{{ with $i.siglas }} ({{ . }}){{ end }}</li>{{ end }}</ul></dd></div>
    {{ end }}
    <div><dt>Idioma</dt><dd><span data-pagefind-filter="Idioma">{{ (index $d.vocab.idiomas $r.idioma).nombre }}</span></dd></div>
    {{ with $serie }}
    <div><dt>Serie</dt><dd><a href="{{ printf "/series/%s/" $r.serie | relURL }}">{{ .titulo }}</a>{{ with $r.orden }} ({{ . }} de {{ len $hermanos }}){{ end }}</dd></div>
    {{ end }}
  </dl>
  <section class="enlaces" aria-labelledby="titulo-enlaces">
    <h2 id="titulo-enlaces">Acceder al recurso</h2>
    {{ range $r.enlaces }}
    {{ $url := .url }}
    {{ $f := index $d.vocab.formatos (.formato | default "web") }}
    {{ $label := .etiqueta | default $f.etiqueta }}
    {{ $video := findRESubmatch `^https://(?:www\\.)?youtube\\.com/watch\\?v=([A-Za-z0-9_-]{11})` .url 1 }}
    {{ with $video }}
    <div class="video" data-embed="https://www.youtube-nocookie.com/embed/{{ index (index . 0) 1 }}?autoplay=1" data-titulo="{{ $p.Title }}">
      <a class="video-portada" href="{{ $url }}" rel="noopener noreferrer">
        <span class="video-boton" aria-hidden="true"></span>
        <span class="video-texto">{{ $label }}<span class="oculto">: {{ $p.Title }}</span></span>
      </a>
      <p class="nota">El video se reproduce desde YouTube (modo de privacidad mejorada) solo cuando pulsas el botón.</p>
    </div>
    {{ else }}
    <p><a class="boton" href="{{ .url }}" rel="noopener noreferrer">{{ $label }}</a> <span class="fuente">{{ $f.nombre }} · {{ (urls.Parse .url).Hostname | strings.TrimPrefix "www." }}</span></p>
    {{ end }}
    {{ else }}
    <p class="vacio">La fuente no indica un enlace propio para este recurso.</p>
    {{ end }}
  </section>
  {{ with .Content }}
  <section aria-labelledby="titulo-descripcion">
    <h2 id="titulo-descripcion">Descripción</h2>
    <div class="texto">{{ . }}</div>
  </section>
  {{ end }}
  {{ with $serie }}{{ with .descripcion }}
  <section aria-labelledby="titulo-serie">
    <h2 id="titulo-serie">Sobre la serie</h2>
    <div class="texto">{{ . | markdownify }}</div>
  </section>
  {{ end }}{{ end }}
</article>
{{ if gt (len $hermanos) 1 }}
<section class="serie" aria-labelledby="titulo-otros" data-pagefind-ignore>
  <h2 id="titulo-otros">En la serie «{{ $serie.titulo }}»</h2>
  <ol class="lista-serie">
  {{ range $hermanos }}
    <li>{{ if eq . $p }}<span aria-current="page">{{ .Title }}</span> <span class="actual">(este recurso)</span>{{ else }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</li>
  {{ end }}
  </ol>
</section>
{{ end }}
{{ $autor := $d.info.editor }}{{ with $r.instituciones }}{{ $autor = (index $d.vocab.instituciones (index . 0)).nombre }}{{ end }}
<section class="citar" aria-labelledby="titulo-citar" data-pagefind-ignore>
  <h2 id="titulo-citar">Cómo citar</h2>
  <p class="cita">{{ $autor }}. ({{ partial "anios.html" . }}). <cite>{{ .Title }}</cite>. {{ $d.info.editor }}. {{ .Permalink }}</p>
  <p>Descargar la referencia para Zotero, Mendeley o EndNote:
    <a href="{{ .RelPermalink }}cita.ris" download>RIS</a> ·
    <a href="{{ .RelPermalink }}cita.bib" download>BibTeX</a> ·
    <a href="{{ .RelPermalink }}cita.json" download>CSL-JSON</a></p>
</section>
{{ $chosen := slice }}
{{ range $r.relacionados }}{{ with site.GetPage . }}{{ if and (ne . $p) (not (in $chosen .)) }}{{ $chosen = $chosen | append . }}{{ end }}{{ end }}{{ end }}
{{ if site.Params.relacionados }}
{{ range first 30 (site.RegularPages.Related .) }}
  {{ if and (lt (len $chosen) 6) (not (in $hermanos .)) (not (in $chosen .)) }}{{ $chosen = $chosen | append . }}{{ end }}
{{ end }}
{{ end }}
{{ with $chosen }}
<section class="relacionados" aria-labelledby="titulo-relacionados" data-pagefind-ignore>
  <h2 id="titulo-relacionados">Recursos relacionados</h2>
  {{ partial "lista.html" (dict "pages" (first 6 .) "heading" "h3" "summary" false) }}
</section>
{{ end }}
{{ end }}
"""

SECTION = """\
{{ define "main" }}
{{ $d := hugo.Data.catalogo -}}
{{ partial "migas.html" (slice (dict "label" .Params.nombre_corto)) }}
<h1><span class="rotulo">{{ .Params.nombre_corto }}</span> {{ .Title }}</h1>
{{ with .Content }}<div class="intro">{{ . }}</div>{{ end }}
{{ $pages := sort .RegularPages "Params.clave" }}
<p class="cuenta">{{ len $pages }} recursos, agrupados por tipo.</p>
{{ $groups := $pages.GroupByParam "tipo" }}
<nav class="indice" aria-label="Tipos en esta sección">
  <ul>
  {{ range $groups }}{{ $t := index $d.vocab.tipos .Key }}
    <li><a href="#{{ .Key }}">{{ $t.plural | default $t.nombre }} ({{ len .Pages }})</a></li>
  {{ end }}
  </ul>
</nav>
{{ range $groups }}{{ $t := index $d.vocab.tipos .Key }}
<section aria-labelledby="{{ .Key }}">
  <h2 id="{{ .Key }}">{{ $t.plural | default $t.nombre }}</h2>
  {{ if eq .Key "spot-radial" }}
  {{ range (sort .Pages "Params.clave").GroupByParam "idioma" }}
  <h3 class="subgrupo">En {{ (index $d.vocab.idiomas .Key).nombre }}</h3>
  {{ partial "lista.html" (dict "pages" (sort .Pages "Params.clave") "heading" "h4" "summary" true) }}
  {{ end }}
  {{ else }}
  {{ partial "lista.html" (dict "pages" (sort .Pages "Params.clave") "heading" "h3" "summary" true) }}
  {{ end }}
</section>
{{ end }}
{{ end }}
"""

TERM = """\
{{ define "main" }}
{{ $d := hugo.Data.catalogo -}}
{{ $tax := .Data.Plural -}}
{{ $label := .Title }}
{{ if eq $tax "tipos" }}{{ $t := index $d.vocab.tipos .Data.Term }}{{ $label = $t.plural | default $t.nombre }}{{ end }}
{{ if eq $tax "publico" }}{{ $label = printf "Para: %s" (index $d.vocab.publicos .Data.Term).nombre }}{{ end }}
{{ if eq $tax "anios" }}{{ $label = printf "Publicados en %s" .Data.Term }}{{ end }}
{{ if eq $tax "series" }}{{ $label = (index $d.series .Data.Term).titulo }}{{ end }}
{{ partial "migas.html" (slice (dict "label" (printf "Por %s" $tax) "href" (printf "/%s/" $tax | relURL)) (dict "label" $label)) }}
<h1>{{ $label }}</h1>
{{ $pages := sort .Pages "Params.clave" }}
<p class="cuenta">{{ len $pages }} recursos.</p>
{{ if eq $tax "series" }}
{{ with (index $d.series .Data.Term).descripcion }}<div class="intro">{{ . | markdownify }}</div>{{ end }}
{{ partial "lista.html" (dict "pages" (sort .Pages "Params.orden") "heading" "h2" "summary" true) }}
{{ else }}
{{ range $pages.GroupByParam "seccion" }}{{ $s := index $d.secciones_por_id .Key }}
<section aria-labelledby="grupo-{{ .Key }}">
  <h2 id="grupo-{{ .Key }}">{{ $s.nombre_corto }}: {{ $s.titulo }}</h2>
  {{ partial "lista.html" (dict "pages" (sort .Pages "Params.clave") "heading" "h3" "summary" true) }}
</section>
{{ end }}
{{ end }}
{{ end }}
"""

TAXONOMY = """\
{{ define "main" }}
{{ $d := hugo.Data.catalogo -}}
{{ partial "migas.html" (slice (dict "label" .Title)) }}
<h1>{{ .Title }}</h1>
<ul class="indice-lista">
{{ range .Data.Terms.Alphabetical }}
  <li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> <span class="cuenta">({{ .Count }} recursos)</span></li>
{{ end }}
</ul>
{{ end }}
"""

HOME = """\
{{ define "main" }}
{{ $d := hugo.Data.catalogo -}}
<section class="portada" aria-labelledby="titulo-portada">
  <h1 id="titulo-portada">{{ $d.info.titulo }}</h1>
  {{ with $d.info.subtitulo }}<p class="subtitulo">{{ . }}</p>{{ end }}
  <p class="resumen">{{ len site.RegularPages }} recursos para operadores de justicia y proveedores de servicios. {{ $d.info.nota_reuso }}</p>
  <form class="busqueda-grande" action="{{ "buscar/" | relURL }}" method="get" role="search">
    <label for="q-portada">¿Qué necesitas? Busca por tema, institución o tipo de documento</label>
    <div class="campo-busqueda">
      <input id="q-portada" name="q" type="search" autocomplete="off">
      <button type="submit">Buscar</button>
    </div>
  </form>
</section>
<section aria-labelledby="titulo-secciones">
  <h2 id="titulo-secciones">Secciones</h2>
  <ul class="tarjetas">
  {{ range $d.secciones }}{{ $s := site.GetPage (printf "/%s" .id) }}
    <li class="tarjeta"><h3><a href="{{ $s.RelPermalink }}"><span class="tarjeta-rotulo">{{ .nombre_corto }}</span> {{ .titulo }}</a></h3>
    <p class="cuenta">{{ len $s.RegularPages }} recursos</p></li>
  {{ end }}
  </ul>
</section>
<section aria-labelledby="titulo-publico">
  <h2 id="titulo-publico">¿Qué hay para mí? Por público</h2>
  <ul class="etiquetas">
  {{ range $key, $pages := site.Taxonomies.publico }}
    <li><a href="{{ printf "/publico/%s/" $key | relURL }}">{{ (index $d.vocab.publicos $key).nombre }} <span class="cuenta">({{ len $pages }})</span></a></li>
  {{ end }}
  </ul>
</section>
<section aria-labelledby="titulo-tipos">
  <h2 id="titulo-tipos">Por tipo de recurso</h2>
  <ul class="etiquetas">
  {{ range $key, $pages := site.Taxonomies.tipos }}{{ $t := index $d.vocab.tipos $key }}
    <li><a href="{{ printf "/tipos/%s/" $key | relURL }}">{{ $t.plural | default $t.nombre }} <span class="cuenta">({{ len $pages }})</span></a></li>
  {{ end }}
  </ul>
</section>
<section aria-labelledby="titulo-nuevos">
  <h2 id="titulo-nuevos">Novedades</h2>
  {{ partial "lista.html" (dict "pages" (first 6 (sort site.RegularPages "Params.fecha_alta" "desc")) "heading" "h3" "summary" true) }}
</section>
<section aria-labelledby="titulo-proyecto">
  <h2 id="titulo-proyecto">Sobre el proyecto</h2>
  <p>{{ $d.info.introduccion | markdownify | plainify | truncate 420 }}</p>
</section>
{{ end }}
"""

NOT_FOUND = """\
{{ define "main" }}
<h1>No encontramos esta página</h1>
<p>Puede que la dirección tenga un error o que el recurso haya cambiado de lugar.</p>
<p>O vuelve a la <a href="{{ "" | relURL }}">portada</a>.</p>
{{ end }}
"""

LOWER_BOUND = "sin-relacionados"

LEAN_CONFIG = """\
baseURL = "http://127.0.0.1:8000/"
locale = "es"
defaultContentLanguage = "es"
title = {title}
disableHugoGeneratorInject = true
disableKinds = ["home", "section", "taxonomy", "term", "rss", "sitemap", "robotsTXT", "404"]

[outputs]
page = ["html"]
"""

LEAN_CONTENT_ADAPTER = """\
{{ $d := hugo.Data.catalogo }}
{{ range $d.registros }}
  {{ $.AddPage (dict
    "kind" "page"
    "path" (printf "%s/%s" .seccion .id)
    "url" (printf "/recursos/%s/" .id)
    "title" .titulo
    "params" (dict
      "id" .id "seccion" .seccion "tipo" .tipo "anio_lista" .anios "mes" .mes
      "idioma" .idioma "instituciones" .instituciones "serie" .serie "orden" .orden
      "enlaces" .enlaces "publico" .publico
    )
    "content" (dict "mediaType" "text/markdown" "value" (.descripcion | default ""))
  ) }}
{{ end }}
"""


def lean_page() -> str:
    """The record page without what needs other pages: the series' other items (a
    taxonomy) and related records."""
    page = PAGE.replace(
        "{{ $hermanos := slice }}{{ with $r.serie }}{{ $hermanos = sort "
        "(index site.Taxonomies.series .).Pages \"Params.orden\" }}{{ end -}}",
        "{{ $hermanos := slice -}}",
    )
    return page[: page.index("{{ $chosen := slice }}")] + "{{ end }}\n"

LAYOUTS = {
    "baseof.html": BASEOF,
    "home.html": HOME,
    "page.html": PAGE,
    "section.html": SECTION,
    "taxonomy.html": TAXONOMY,
    "term.html": TERM,
    "404.html": NOT_FOUND,
    "_partials/pie.html": FOOTER,
    "_partials/migas.html": BREADCRUMBS,
    "_partials/anios.html": YEARS,
    "_partials/ficha.html": RECORD_ITEM,
    "_partials/lista.html": RECORD_LIST,
}


def catalog_data(catalog_dir: Path) -> dict[str, Any]:
    """The validated catalog as one JSON-ready dict (records, vocabularies, sections...)."""
    from catalogo.exports import export_record
    from catalogo.loader import load_catalog

    catalog = load_catalog(catalog_dir).catalog
    referrers: dict[str, list[str]] = {}
    for record in catalog.records:
        for other in record.relacionados:
            referrers.setdefault(other, []).append(record.id)
    section_of = {record.id: record.seccion for record in catalog.records}
    records = []
    for record in catalog.records:
        related = [*record.relacionados, *referrers.get(record.id, [])]
        years = record.years
        # The open-data object of the record (the same fields our exports publish), plus
        # what Hugo's templates need to lay the pages out as ours.
        data = export_record(record, "")
        data.update(
            {
                "anios_terminos": [str(y) for y in years] or ["sin-anio"],
                "enlaces": [link.model_dump(exclude_none=True) for link in record.enlaces],
                "relacionados": [f"/{section_of[other]}/{other}" for other in related],
                "fecha_alta": data["fecha_alta"] or "",
                # newest first, then title: the order of every list on our site
                "clave": f"{9999 - (record.first_year or 0):04d} {record.titulo.casefold()}",
            }
        )
        records.append(data)
    vocab = catalog.vocabularies
    sections = [{"id": key, **section.model_dump()} for key, section in catalog.sections.items()]
    return {
        "info": catalog.info.model_dump(),
        "secciones": sections,
        "secciones_por_id": {entry["id"]: entry for entry in sections},
        "series": {key: value.model_dump() for key, value in catalog.series.items()},
        "vocab": {
            "tipos": {k: v.model_dump() for k, v in vocab.tipos.items()},
            "publicos": {k: v.model_dump() for k, v in vocab.publicos.items()},
            "instituciones": {k: v.model_dump() for k, v in vocab.instituciones.items()},
            "idiomas": {k: v.model_dump() for k, v in vocab.idiomas.items()},
            "formatos": {k: v.model_dump() for k, v in vocab.formatos.items()},
        },
        "registros": records,
    }


def write_site(catalog_dir: Path, site_dir: Path, static_dir: Path, lean: bool = False) -> int:
    """Write the Hugo site (the lean one with `lean`); returns the number of records."""
    data = catalog_data(catalog_dir)
    if site_dir.exists():
        shutil.rmtree(site_dir)
    (site_dir / "data").mkdir(parents=True)
    (site_dir / "content").mkdir()
    title = json.dumps(data["info"]["titulo"], ensure_ascii=False)
    config = site_dir / "config"
    (config / "_default").mkdir(parents=True)
    settings = LEAN_CONFIG if lean else CONFIG
    (config / "_default" / "hugo.toml").write_text(settings.format(title=title), encoding="utf-8")
    # `hugo --environment sin-relacionados`: the same site without Hugo's related-content
    # search, whose cost grows with pages x pages sharing a type or an audience
    (config / LOWER_BOUND).mkdir()
    (config / LOWER_BOUND / "params.toml").write_text("relacionados = false\n", encoding="utf-8")
    (site_dir / "data" / "catalogo.json").write_text(
        json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8"
    )
    adapter = LEAN_CONTENT_ADAPTER if lean else CONTENT_ADAPTER
    (site_dir / "content" / "_content.gotmpl").write_text(adapter, encoding="utf-8")
    layouts = LAYOUTS
    if lean:
        layouts = {name: text for name, text in LAYOUTS.items() if "home" not in name}
        layouts["page.html"] = lean_page()
    for name, text in layouts.items():
        path = site_dir / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    shutil.copytree(static_dir, site_dir / "static" / "static")
    return len(data["registros"])


def main(argv: list[str]) -> int:
    lean = "--ligero" in argv
    argv = [arg for arg in argv if arg != "--ligero"]
    if len(argv) not in (2, 3):
        print("usage: hugo_peer.py CATALOG SITE_DIR [STATIC_DIR] [--ligero]", file=sys.stderr)
        return 2
    root = Path(__file__).resolve().parent.parent
    static = Path(argv[2]) if len(argv) == 3 else root / "static"
    count = write_site(Path(argv[0]), Path(argv[1]), static, lean)
    print(f"Hugo site for {count} records written to {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
