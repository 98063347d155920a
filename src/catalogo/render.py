"""Render every page of the site in memory: one small function per page kind.

Nothing here writes files: `render_site` returns {output path: bytes}, so a build can
stop before touching the previous site if anything goes wrong.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from catalogo import admin, citation, publish, urls
from catalogo.cache import RenderCache, code_digest
from catalogo.cms_vendor import Pin
from catalogo.exports import RecordExports, join_exports, record_exports
from catalogo.markup import plain_text, render_markdown, summary
from catalogo.metadata import json_ld, record_meta_tags
from catalogo.models import Catalog, Link, Record, SiteSettings, VocabularyEntry
from catalogo.output import Content, Packed, digest
from catalogo.pdf import PrintLink
from catalogo.qrcodes import qr_svg
from catalogo.urls import SiteUrls
from catalogo.video import embed_url, youtube_id, youtube_start

Pages = dict[str, Content]
Page = tuple[str, Content]
RELATED_LIMIT = 6
ENIE_WORD = re.compile(r"\w*ñ\w*")


@dataclass(frozen=True)
class LinkView:
    """A link as the reader sees it: what it opens, and whether it is a YouTube video."""

    url: str
    label: str
    format_name: str
    video_id: str | None
    embed: str | None
    lang: str | None


@dataclass
class SiteIndex:
    """The catalog seen from every angle a page needs. Derived once per build."""

    by_section: dict[str, list[Record]] = field(default_factory=dict)
    by_type: dict[str, list[Record]] = field(default_factory=dict)
    by_audience: dict[str, list[Record]] = field(default_factory=dict)
    by_year: dict[int, list[Record]] = field(default_factory=dict)
    by_series: dict[str, list[Record]] = field(default_factory=dict)
    series_position: dict[str, int] = field(default_factory=dict)  # record id -> its place
    without_year: list[Record] = field(default_factory=list)
    referrers: dict[str, list[str]] = field(default_factory=dict)


def newest_first(records: Iterable[Record]) -> list[Record]:
    return sorted(records, key=lambda r: (-(r.first_year or 0), r.titulo.casefold(), r.id))


def in_series_order(records: Iterable[Record]) -> list[Record]:
    return sorted(records, key=lambda r: (r.orden or 0, r.titulo.casefold(), r.id))


def index_catalog(catalog: Catalog) -> SiteIndex:
    index = SiteIndex()
    sections: dict[str, list[Record]] = {key: [] for key in catalog.sections}
    types: dict[str, list[Record]] = defaultdict(list)
    audiences: dict[str, list[Record]] = defaultdict(list)
    years: dict[int, list[Record]] = defaultdict(list)
    series: dict[str, list[Record]] = defaultdict(list)
    referrers: dict[str, list[str]] = defaultdict(list)
    for record in newest_first(catalog.records):
        sections[record.seccion].append(record)
        types[record.tipo].append(record)
        for audience in record.publico:
            audiences[audience].append(record)
        for year in record.years:
            years[year].append(record)
        if not record.years:
            index.without_year.append(record)
        if record.serie:
            series[record.serie].append(record)
    for record in catalog.records:  # in catalog order, as before
        for other in record.relacionados:
            referrers[other].append(record.id)
    vocab = catalog.vocabularies
    # Lists shown newest first are filled in that order: one sort of the whole catalog
    # instead of one per list (40 sorts cost 80 ms at 10,000 records).
    index.by_section = sections
    index.by_type = {key: types[key] for key in vocab.tipos if types.get(key)}
    index.by_audience = {key: audiences[key] for key in vocab.publicos if audiences.get(key)}
    index.by_year = {year: years[year] for year in sorted(years, reverse=True)}
    index.by_series = {
        key: in_series_order(series[key]) for key in catalog.series if series.get(key)
    }
    index.series_position = {
        record.id: position
        for members in index.by_series.values()
        for position, record in enumerate(members)
    }
    index.referrers = dict(referrers)
    return index


POOL_PER_BUCKET = 40


def relate_records(catalog: Catalog, index: SiteIndex) -> dict[str, list[Record]]:
    """Related records of every record, computed once per build.

    Explicit relations come first, in both directions. The rest are the closest records by
    shared audiences (3 points each), same type (2) and same section (1), newest first on
    ties; never the record itself nor the other items of its series (shown apart).
    Candidates come from the newest POOL_PER_BUCKET records of each audience and of the
    type, and records with the same audiences, type and section share one ranking, so this
    stays near-linear: the exact all-pairs ranking took 197 s for 10,000 records.
    """
    by_id = {record.id: record for record in catalog.records}
    audiences = {key: records[:POOL_PER_BUCKET] for key, records in index.by_audience.items()}
    types = {key: records[:POOL_PER_BUCKET] for key, records in index.by_type.items()}
    rankings: dict[tuple[frozenset[str], str, str], list[Record]] = {}
    related: dict[str, list[Record]] = {}
    for record in catalog.records:
        audience_set = frozenset(record.publico)
        signature = (audience_set, record.tipo, record.seccion)
        ranking = rankings.get(signature)
        if ranking is None:
            pool: dict[str, Record] = {}
            for key in sorted(audience_set):
                pool.update((other.id, other) for other in audiences.get(key, []))
            pool.update((other.id, other) for other in types.get(record.tipo, []))

            def score(
                other: Record, signature: tuple[frozenset[str], str, str] = signature
            ) -> tuple[int, int, str]:
                shared = len(signature[0].intersection(other.publico))
                value = (
                    3 * shared + 2 * (other.tipo == signature[1]) + (other.seccion == signature[2])
                )
                return (-value, -(other.first_year or 0), other.id)

            ranking = sorted(pool.values(), key=score)
            rankings[signature] = ranking
        chosen: list[str] = []
        for other_id in [*record.relacionados, *index.referrers.get(record.id, [])]:
            if other_id not in chosen and other_id != record.id and other_id in by_id:
                chosen.append(other_id)
        excluded = {r.id for r in index.by_series.get(record.serie or "", [])}
        excluded.add(record.id)
        for other in ranking:
            if len(chosen) >= RELATED_LIMIT:
                break
            if other.id not in excluded and other.id not in chosen:
                chosen.append(other.id)
        related[record.id] = [by_id[other_id] for other_id in chosen[:RELATED_LIMIT]]
    return related


def link_views(record: Record, catalog: Catalog) -> list[LinkView]:
    formats = catalog.vocabularies.formatos
    views = []
    for link in record.enlaces:
        views.append(describe_link(link, formats_label(link, formats), formats))
    return views


def formats_label(link: Link, formats: dict[str, Any]) -> str:
    if link.etiqueta:
        return link.etiqueta
    if link.formato and link.formato in formats:
        return str(formats[link.formato].etiqueta)
    return "Abrir enlace"


def describe_link(link: Link, label: str, formats: dict[str, Any]) -> LinkView:
    video = youtube_id(link.url)
    name = formats[link.formato].nombre if link.formato in formats else "Enlace"
    return LinkView(
        url=link.url,
        label=label,
        format_name=str(name),
        video_id=video,
        embed=embed_url(video, youtube_start(link.url)) if video else None,
        lang=link.idioma,
    )


def enie_words(catalog: Catalog, memo: dict[str, frozenset[str]] | None = None) -> list[str]:
    """Every word with «ñ» that the search index can hold. Pagefind folds «ñ» into «n»;
    static/buscar.js uses this list to keep «nino» from matching «niño» (and to suggest
    «niño» instead). `memo` keeps each record's words by its fingerprint."""
    words: set[str] = set()
    for record in catalog.records:
        found = memo.get(record.fingerprint) if memo is not None else None
        if found is None:
            found = record_enie_words(record)
            if memo is not None:
                memo[record.fingerprint] = found
        words.update(found)
    return sorted(words | catalog_enie_words(catalog))


def record_enie_words(record: Record) -> frozenset[str]:
    return words_with_enie([record.titulo, record.descripcion or ""])


def catalog_enie_words(catalog: Catalog) -> set[str]:
    """The words with «ñ» of the catalog's own texts, series and vocabularies."""
    vocab = catalog.vocabularies
    info = catalog.info
    texts = [info.titulo, info.subtitulo or "", info.introduccion]
    texts += [" ".join(group) for group in info.sinonimos]
    for series in catalog.series.values():
        texts += [series.titulo, series.descripcion or ""]
    entries: list[VocabularyEntry] = [
        *vocab.tipos.values(),
        *vocab.publicos.values(),
        *vocab.instituciones.values(),
        *vocab.idiomas.values(),
    ]
    for entry in entries:
        texts += [entry.nombre, entry.plural or ""]
    return set(words_with_enie(texts))


def words_with_enie(texts: Iterable[str]) -> frozenset[str]:
    words: set[str] = set()
    for text in texts:
        if "ñ" in text or "Ñ" in text or "n\u0303" in text or "N\u0303" in text:
            words.update(ENIE_WORD.findall(unicodedata.normalize("NFC", text).lower()))
    return frozenset(words)


def host_of(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


class SiteRenderer:
    """Holds the Jinja environment and the derived views; one method per page kind."""

    def __init__(
        self,
        catalog: Catalog,
        settings: SiteSettings,
        site_urls: SiteUrls,
        templates: Path,
        preview: bool = False,
        cache: RenderCache | None = None,
        published: Mapping[str, str] | None = None,
        data_later: bool = False,
        search_parts: list[str] | None = None,
        print_link: PrintLink | None = None,
        print_codes: bool = False,
    ) -> None:
        self.catalog = catalog
        self.print_link = print_link  # catalogo.pdf, linked from the home and data pages
        self.print_codes = print_codes  # each record page gets a QR code for printing
        self.data_later = data_later
        self.search_parts = search_parts or []  # search bundles merged into pagefind/
        self.settings = settings
        self.urls = site_urls
        self.cache = cache if cache is not None else RenderCache()
        self.index = index_catalog(catalog)
        self.tokens = {r.id: r.fingerprint for r in catalog.records}
        self.related = self.cached_relations()
        # A fresh environment per build (template modules capture their globals), but the
        # compiled templates are kept: compiling them all took 60 ms per rebuild.
        self.env = make_environment(templates, MemoryBytecodeCache(self.cache.bytecode))
        self.published: Mapping[str, str] = published or {}
        self.global_token = global_token(
            catalog, settings, site_urls, templates, preview, print_codes
        )
        self.catalog_token = digest(
            (self.global_token + "".join(self.tokens.values())).encode("utf-8")
        )
        if self.cache.items_key != self.global_token:
            self.cache.items = {}
            self.cache.exports = {}
            self.cache.record_files = {}
            self.cache.record_pages = {}
            self.cache.items_key = self.global_token
        self.list_items = self.cache.items
        self.env.globals.update(
            catalog=catalog,
            info=catalog.info,
            vocab=catalog.vocabularies,
            sections=catalog.sections,
            series_all=catalog.series,
            index=self.index,
            url=site_urls.url,
            absolute_url=site_urls.absolute,
            record_url=lambda record: site_urls.url(urls.record_path(record.id)),
            section_url=lambda key: site_urls.url(urls.section_path(key)),
            type_url=lambda key: site_urls.url(urls.type_path(key)),
            audience_url=lambda key: site_urls.url(urls.audience_path(key)),
            year_url=lambda year: site_urls.url(urls.year_path(year)),
            series_url=lambda key: site_urls.url(urls.series_path(key)),
            links_of=lambda record: link_views(record, catalog),
            record_item_html=self.record_item_html,
            summary=summary,
            host_of=host_of,
            total_records=len(catalog.records),
            enie_words=self.cached_enie_words(),
            preview=preview,
            print_catalog=print_link,
            print_qr=print_codes,
        )
        self.env.filters["markdown"] = lambda text: Markup(render_markdown(text or ""))
        self.env.filters["plain"] = lambda text: plain_text(text or "")
        self.env.filters["years"] = format_years

    def cached_enie_words(self) -> list[str]:
        """enie_words, with each record's words kept while the record is unchanged."""
        if self.cache.enie_key != self.catalog_token:
            self.cache.enie_words = enie_words(self.catalog, self.cache.record_words)
            self.cache.enie_key = self.catalog_token
        return self.cache.enie_words

    def cached_relations(self) -> dict[str, list[Record]]:
        """Related records are recomputed only when a field they depend on changed."""
        memo = self.cache.relation_facts
        parts = []
        for r in self.catalog.records:
            token = self.tokens[r.id]
            fact = memo.get(token)
            if fact is None:
                fact = memo[token] = repr(
                    (r.id, r.publico, r.tipo, r.seccion, r.first_year, r.relacionados, r.serie)
                )
            parts.append(fact)
        facts = digest("\n".join(parts).encode("utf-8"))
        if self.cache.relations_key != facts:
            related = relate_records(self.catalog, self.index)
            self.cache.relations = {key: [r.id for r in value] for key, value in related.items()}
            self.cache.relations_key = facts
            return related
        by_id = {record.id: record for record in self.catalog.records}
        return {key: [by_id[i] for i in ids] for key, ids in self.cache.relations.items()}

    def record_item_html(
        self, record: Record, heading: str = "h3", show_summary: bool = True
    ) -> Markup:
        """A record's entry in lists, rendered once per build by the `record_item` macro:
        the same record appears in its section, type, audience, year and related lists."""
        key = (self.tokens[record.id], heading, show_summary)
        html = self.list_items.get(key)
        if html is None:
            macros = self.env.get_template("_macros.html").module
            html = Markup(macros.record_item(record, heading, show_summary))  # type: ignore[attr-defined]
            self.list_items[key] = html
        return html

    def cached(self, path: str, key: Iterable[object], render: Callable[[], bytes]) -> Page:
        """The file at `path`, rendered only when what it is made of (`key`) changed."""
        return self.cached_file(urls.output_file(path), self.key_of(key), render)

    def key_of(self, parts: Iterable[object]) -> str:
        return cache_key(self.global_token, parts)

    def cached_file(self, name: str, key_digest: str, render: Callable[[], bytes]) -> Page:
        found = self.cache.lookup(name, key_digest, self.published)
        if found is not None:
            return name, found
        content = render()
        content_digest = digest(content)
        self.cache.store(name, key_digest, content, content_digest)
        if not self.cache.keep_content:
            return name, Packed.of(content, content_digest)  # held until written
        return name, content

    def tokens_of(self, records: Iterable[Record]) -> tuple[str, ...]:
        return tuple([record.fingerprint for record in records])

    def page(self, template: str, path: str, **context: Any) -> tuple[str, bytes]:
        html = self.env.get_template(template).render(
            page_path=path,
            canonical=self.urls.absolute(path),
            **context,
        )
        return urls.output_file(path), html.encode("utf-8")

    def home(self) -> Page:
        return self.cached(
            "", [self.catalog_token, repr(self.print_link)], lambda: self.render_home()[1]
        )

    def render_home(self) -> tuple[str, bytes]:
        catalog = self.catalog
        newest = publish.newest_records(catalog, 6)
        return self.page(
            "home.html",
            "",
            title=catalog.info.titulo,
            description=summary(catalog.info.introduccion),
            newest=newest,
        )

    def section(self, key: str) -> Page:
        return self.cached(
            urls.section_path(key),
            self.tokens_of(self.index.by_section[key]),
            lambda: self.render_section(key)[1],
        )

    def render_section(self, key: str) -> tuple[str, bytes]:
        section = self.catalog.sections[key]
        records = self.index.by_section[key]
        groups: dict[str, list[Record]] = defaultdict(list)
        for record in records:
            groups[record.tipo].append(record)
        ordered = [(t, groups[t]) for t in self.catalog.vocabularies.tipos if t in groups]
        return self.page(
            "section.html",
            urls.section_path(key),
            title=f"{section.nombre_corto}: {section.titulo}",
            description=summary(section.descripcion or section.titulo),
            section_id=key,
            section=section,
            groups=ordered,
            records=records,
        )

    def record_series(self, record: Record) -> tuple[list[Record], list[Record], int]:
        """A record's series (in order), the members its page lists, and the number of the
        first one listed."""
        siblings = self.index.by_series.get(record.serie, []) if record.serie else []
        shown, first = series_window(siblings, self.index.series_position.get(record.id, 0))
        return siblings, shown, first

    def record(self, record: Record) -> Page:
        siblings, shown, _ = self.record_series(record)
        key = (
            record.fingerprint,
            str(len(siblings)),
            *self.tokens_of(shown),
            "|",
            *self.tokens_of(self.related[record.id]),
        )
        # Most pages are unchanged between two builds of `serve`: comparing the tokens (the
        # same string objects) is cheaper than making the cache key.
        made = self.cache.record_pages.get(record.id)
        if made is not None and made[0] == key:
            return made[1]
        page = self.cached(urls.record_path(record.id), key, lambda: self.render_record(record)[1])
        if isinstance(page[1], bytes) and self.cache.keep_content:
            self.cache.record_pages[record.id] = (key, page)
        return page

    def render_record(self, record: Record) -> tuple[str, bytes]:
        catalog = self.catalog
        page_path = urls.record_path(record.id)
        page_url = self.urls.absolute(page_path)
        series = catalog.series.get(record.serie) if record.serie else None
        siblings, shown, first_number = self.record_series(record)
        cite = citation.apa(record, catalog, page_url)
        ld = json_ld(record, catalog, self.urls)
        return self.page(
            "record.html",
            page_path,
            title=record.titulo,
            description=summary(record.descripcion or (series.descripcion if series else None))
            or record.titulo,
            record=record,
            series=series,
            series_size=len(siblings),
            series_window=shown,
            window_first=first_number,
            related=self.related[record.id],
            cite=cite,
            meta_tags=record_meta_tags(record, catalog, self.urls),
            json_ld=Markup(_script_json(ld)),
            og_type="article",
        )

    def record_qr(self, record: Record) -> Page:
        """The QR code a printed record page carries: it depends on the address alone."""
        address = self.urls.absolute(urls.record_path(record.id))
        return self.cached_file(
            urls.record_qr_path(record.id), f"qr {address}", partial(qr_svg, address)
        )

    def taxonomy_index(
        self, kind: str, title: str, intro: str, entries: list[tuple[str, str, int, str]]
    ) -> Page:
        return self.cached(
            f"{kind}/",
            [title, intro, entries],
            lambda: self.render_taxonomy_index(kind, title, intro, entries)[1],
        )

    def render_taxonomy_index(
        self, kind: str, title: str, intro: str, entries: list[tuple[str, str, int, str]]
    ) -> tuple[str, bytes]:
        return self.page(
            "taxonomy_index.html",
            f"{kind}/",
            title=title,
            description=intro,
            intro=intro,
            entries=entries,
        )

    def taxonomy(
        self,
        path: str,
        title: str,
        heading: str,
        intro: str,
        records: list[Record],
    ) -> Page:
        return self.cached(
            path,
            [title, heading, intro, self.tokens_of(records)],
            lambda: self.render_taxonomy(path, title, heading, intro, records)[1],
        )

    def render_taxonomy(
        self,
        path: str,
        title: str,
        heading: str,
        intro: str,
        records: list[Record],
    ) -> tuple[str, bytes]:
        groups: list[tuple[str, list[Record]]] = []
        for key in self.catalog.sections:
            members = [r for r in records if r.seccion == key]
            if members:
                groups.append((key, members))
        return self.page(
            "taxonomy.html",
            path,
            title=title,
            heading=heading,
            description=intro,
            intro=intro,
            records=records,
            groups=groups,
        )

    def series_page(self, key: str) -> Page:
        return self.cached(
            urls.series_path(key),
            self.tokens_of(self.index.by_series.get(key, [])),
            lambda: self.render_series(key)[1],
        )

    def render_series(self, key: str) -> tuple[str, bytes]:
        series = self.catalog.series[key]
        records = self.index.by_series.get(key, [])
        languages: dict[str, list[Record]] = defaultdict(list)
        for record in records:
            languages[record.idioma].append(record)
        return self.page(
            "series.html",
            urls.series_path(key),
            title=series.titulo,
            description=summary(series.descripcion or series.titulo),
            series_id=key,
            series=series,
            records=records,
            by_language=[
                (lang, languages[lang])
                for lang in self.catalog.vocabularies.idiomas
                if lang in languages
            ],
        )

    def all_pages(self) -> Pages:
        pages: Pages = {}

        def add(item: Page) -> None:
            pages[item[0]] = item[1]

        def simple(template: str, path: str, title: str, description: str) -> Page:
            return self.cached(
                path,
                [self.catalog_token],
                lambda: self.page(template, path, title=title, description=description)[1],
            )

        vocab = self.catalog.vocabularies
        index = self.index
        add(self.home())
        for key in self.catalog.sections:
            add(self.section(key))
        for record in self.catalog.records:
            add(self.record(record))
        if self.print_codes:
            for record in self.catalog.records:
                add(self.record_qr(record))
        add(
            self.taxonomy_index(
                "tipos",
                "Recursos por tipo",
                "Estudios, protocolos, guías, listas de verificación, boletines, videos y más.",
                [
                    (
                        vocab.tipos[k].plural or vocab.tipos[k].nombre,
                        urls.type_path(k),
                        len(v),
                        vocab.tipos[k].descripcion or "",
                    )
                    for k, v in index.by_type.items()
                ],
            )
        )
        for key, records in index.by_type.items():
            entry = vocab.tipos[key]
            add(
                self.taxonomy(
                    urls.type_path(key),
                    entry.plural or entry.nombre,
                    entry.plural or entry.nombre,
                    entry.descripcion or "",
                    records,
                )
            )
        add(
            self.taxonomy_index(
                "publico",
                "Recursos por público",
                "Qué hay para cada institución y función: policía, fiscalía, jueces, defensa "
                "pública, medicina legal, salud, servicios de protección y gobiernos locales.",
                [
                    (
                        vocab.publicos[k].nombre,
                        urls.audience_path(k),
                        len(v),
                        vocab.publicos[k].descripcion or "",
                    )
                    for k, v in index.by_audience.items()
                ],
            )
        )
        for key, records in index.by_audience.items():
            audience = vocab.publicos[key]
            add(
                self.taxonomy(
                    urls.audience_path(key),
                    f"Para {audience.nombre}",
                    f"Para: {audience.nombre}",
                    audience.descripcion or "",
                    records,
                )
            )
        add(
            self.taxonomy_index(
                "anios",
                "Recursos por año",
                "Recursos según su año de publicación.",
                [
                    (str(year), urls.year_path(year), len(records), "")
                    for year, records in index.by_year.items()
                ]
                + (
                    [
                        (
                            "Sin año",
                            urls.year_path("sin-anio"),
                            len(index.without_year),
                            "Recursos cuya fecha no indica la fuente.",
                        )
                    ]
                    if index.without_year
                    else []
                ),
            )
        )
        for year, records in index.by_year.items():
            add(
                self.taxonomy(
                    urls.year_path(year),
                    f"Recursos de {year}",
                    f"Publicados en {year}",
                    "",
                    records,
                )
            )
        if index.without_year:
            add(
                self.taxonomy(
                    urls.year_path("sin-anio"),
                    "Recursos sin año",
                    "Recursos sin año",
                    "La fuente no indica el año de publicación de estos recursos.",
                    index.without_year,
                )
            )
        add(
            self.taxonomy_index(
                "series",
                "Series",
                "Recursos publicados en grupo: boletines, listas de verificación, guías, tomos y spots.",
                [
                    (
                        self.catalog.series[k].titulo,
                        urls.series_path(k),
                        len(v),
                        summary(self.catalog.series[k].descripcion, 140),
                    )
                    for k, v in index.by_series.items()
                ],
            )
        )
        for key in index.by_series:
            add(self.series_page(key))
        search_title = "Buscar"
        search_text = "Busca en todo el catálogo por palabra, tipo, público y año."
        add(
            self.cached(
                "buscar/",
                [self.catalog_token, *self.search_parts],
                lambda: self.page(
                    "search.html",
                    "buscar/",
                    title=search_title,
                    description=search_text,
                    search_parts=[self.urls.url(part) for part in self.search_parts],
                )[1],
            )
        )
        add(
            simple(
                "about.html",
                "acerca/",
                "Acerca del catálogo",
                summary(self.catalog.info.introduccion),
            )
        )
        add(
            self.cached(
                "datos/",
                [self.catalog_token, repr(self.print_link)],
                lambda: self.page(
                    "data.html",
                    "datos/",
                    title="Datos abiertos",
                    description="El catálogo completo en JSON, CSV, BibTeX, RIS y CSL-JSON.",
                )[1],
            )
        )
        add(
            simple(
                "404.html",
                "404.html",
                "Página no encontrada",
                "La página que buscas no existe.",
            )
        )
        self.add_admin_files(pages)
        self.add_machine_files(pages)
        return pages

    def add_admin_files(self, pages: Pages) -> None:
        """The browser editor (/admin/), made again only when what it is made of changed:
        the vocabularies, settings and templates (the global token), its own files and the
        vendored editor's pin."""
        pin = Pin.read()
        own = admin.own_files()
        key = self.key_of([pin.as_json(), *(digest(data) for data in own.values())])

        def render_page(context: dict[str, Any]) -> str:
            return self.env.get_template("admin.html").render(**context)

        files = Lazy(
            partial(admin.admin_files, self.catalog, self.settings, self.urls, render_page, pin)
        )
        for name in admin.file_names(pin):
            pages[name] = self.cached_file(name, key, partial(files.get, name))[1]

    def add_machine_files(self, pages: Pages) -> None:
        """Open data, feed, robots, sitemap and each record's citation files."""
        catalog, site_urls = self.catalog, self.urls
        parts = [self.record_exports(record) for record in catalog.records]
        made = self.cache.record_files
        for record, record_parts in zip(catalog.records, parts, strict=True):
            token = self.tokens[record.id]
            ready = made.get(token)
            if ready is None:
                files = Lazy(partial(publish.record_files, record, record_parts))
                record_key = self.key_of([token])
                ready = tuple(
                    self.cached_file(name, record_key, partial(files.get, name))
                    for name in publish.record_file_names(record)
                )
                if self.cache.keep_content and all(isinstance(c, bytes) for _, c in ready):
                    made[token] = ready  # in memory, so valid whatever the site holds
            pages.update(ready)
        data = Lazy(partial(join_exports, parts))
        data_key = self.key_of([self.catalog_token])
        for name in publish.DATA_FILES:
            kept = self.cache.files.get(name)
            if self.data_later and kept is not None and kept.content is not None:
                if kept.key != data_key:
                    self.cache.stale.add(name)  # brought up to date after (serve)
                pages[name] = kept.content
                continue
            pages[name] = self.cached_file(name, data_key, partial(data.get, name))[1]
        novedades = self.settings.novedades
        pages["feed.xml"] = self.cached(
            "feed.xml",
            [self.catalog_token],
            lambda: publish.render_feed(catalog, site_urls, novedades),
        )[1]
        pages["robots.txt"] = self.cached("robots.txt", [], lambda: publish.robots_txt(site_urls))[
            1
        ]
        page_names = sorted(name for name in pages if not name.startswith(admin.ADMIN))
        pages["sitemap.xml"] = self.cached(
            "sitemap.xml",
            page_names,
            lambda: publish.render_sitemap(page_names, site_urls),
        )[1]

    def record_exports(self, record: Record) -> RecordExports:
        """A record's part of every export, computed once while it does not change."""
        token = self.tokens[record.id]
        parts = self.cache.exports.get(token)
        if parts is None:
            url = self.urls.absolute(urls.record_path(record.id))
            parts = record_exports(record, self.catalog, url)
            self.cache.exports[token] = parts
        return parts


class Lazy:
    """Files made together (a record's three citation files), made only if one is needed."""

    def __init__(self, make: Callable[[], dict[str, bytes]]) -> None:
        self.make = make
        self.files: dict[str, bytes] | None = None

    def get(self, name: str) -> bytes:
        if self.files is None:
            self.files = self.make()
        return self.files[name]


SERIES_LISTED_WHOLE = 12  # the longest series of the real catalog (the radio spots)
SERIES_NEIGHBOURS = 5  # shown on each side of a record in a longer series


def series_window(siblings: list[Record], position: int) -> tuple[list[Record], int]:
    """The members of a series the page of its member at `position` lists, and the number
    of the first one.

    A series of up to SERIES_LISTED_WHOLE records is listed whole (every series of the
    real catalog); a longer one lists the records around this one and links to the series
    page, so a page in a series of 300 stays light on a phone, and an edit re-renders the
    pages of its neighbours, not those of the whole series."""
    if len(siblings) <= SERIES_LISTED_WHOLE:
        return siblings, 1
    size = 2 * SERIES_NEIGHBOURS + 1
    start = min(max(position - SERIES_NEIGHBOURS, 0), len(siblings) - size)
    return siblings[start : start + size], start + 1


def cache_key(global_token: str, parts: Iterable[object]) -> str:
    """What a cached file is made of, as one string. Short keys (a record page's tokens)
    are kept as they are, which is cheaper than hashing them; long ones (a list of
    thousands of records) are digested."""
    text = "\x1f".join(
        [global_token, *(part if isinstance(part, str) else repr(part) for part in parts)]
    )
    return text if len(text) <= 512 else digest(text.encode("utf-8"))


def global_token(
    catalog: Catalog,
    settings: SiteSettings,
    site_urls: SiteUrls,
    templates: Path,
    preview: bool,
    print_codes: bool = False,
) -> str:
    """Everything every page depends on besides its records: templates, the catalog's
    settings and vocabularies, the addresses, and the generator's own code."""
    parts = [code_digest(), repr(site_urls), repr(preview), settings.model_dump_json()]
    parts.append(f"print_codes={print_codes}")
    parts.append(catalog.info.model_dump_json())
    for group in (
        catalog.sections,
        catalog.series,
        catalog.vocabularies.tipos,
        catalog.vocabularies.publicos,
        catalog.vocabularies.instituciones,
        catalog.vocabularies.idiomas,
        catalog.vocabularies.formatos,
    ):
        parts += [f"{key}={value.model_dump_json()}" for key, value in group.items()]
    for path in sorted(templates.rglob("*")):
        if path.is_file():
            parts.append(f"{path.relative_to(templates).as_posix()}={digest(path.read_bytes())}")
    return digest("\n".join(parts).encode("utf-8"))


def _script_json(data: object) -> str:
    """JSON that is safe inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def format_years(record: Record) -> str:
    years = record.years
    if not years:
        return "s. f."
    if len(years) == 1:
        return str(years[0])
    return (
        f"{years[0]}-{years[-1]}"
        if years == list(range(years[0], years[-1] + 1))
        else ", ".join(str(y) for y in years)
    )


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in a dict between builds; Jinja checks each one against
    its template's source, so an edited template is compiled again."""

    def __init__(self, store: dict[str, bytes]) -> None:
        self.store = store

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def make_environment(
    templates: Path, bytecode: jinja2.BytecodeCache | None = None
) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        bytecode_cache=bytecode,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_site(
    catalog: Catalog,
    settings: SiteSettings,
    site_urls: SiteUrls,
    templates: Path,
    preview: bool = False,
    cache: RenderCache | None = None,
    published: Mapping[str, str] | None = None,
    data_later: bool = False,
    search_parts: list[str] | None = None,
    print_link: PrintLink | None = None,
    print_codes: bool = False,
) -> Pages:
    """Every page and generated file of the site, in memory (or, for a file the cache
    knows is unchanged and published, a reference to it).

    With `data_later` (serve), the catalog-wide open-data files of the last build are
    kept as they are, and named in `cache.stale`: at 10,000 records, making them took a
    fifth of a rebuild, and an editor looks at pages first."""
    if cache is not None:
        cache.stale.clear()
    renderer = SiteRenderer(
        catalog,
        settings,
        site_urls,
        templates,
        preview,
        cache,
        published,
        data_later,
        search_parts,
        print_link,
        print_codes,
    )
    pages = renderer.all_pages()
    renderer.cache.forget_except(set(pages), set(renderer.tokens.values()))
    return dict(sorted(pages.items()))
