"""Render every page of the site in memory: one small function per page kind.

Nothing here writes files: `render_site` returns {output path: bytes}, so a build can
stop before touching the previous site if anything goes wrong.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from catalogo import admin, citation, publish, urls
from catalogo.cache import RenderCache, code_digest
from catalogo.cms_vendor import Pin
from catalogo.exports import RecordExports, join_exports, record_exports
from catalogo.linksummary import host_of
from catalogo.markup import plain_text, render_markdown, summary
from catalogo.metadata import json_ld, record_meta_tags
from catalogo.models import Catalog, Record, SiteSettings
from catalogo.output import Content, Packed, digest
from catalogo.pdf import PrintLink
from catalogo.qrcodes import qr_svg
from catalogo.searchdata import WORDS_FILE, enie_words, render_words
from catalogo.urls import SiteUrls
from catalogo.views import (
    index_catalog,
    link_views,
    relate_records,
    series_window,
)

Pages = dict[str, Content]
Page = tuple[str, Content]
NO_YEAR = "sin-anio"  # the path of the records whose year the source does not give


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
        return self.page("home.html", "", newest=newest)

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

    def taxonomy_index(self, kind: str, entries: list[tuple[Any, str, int]]) -> Page:
        """A browse page listing the values of one facet (types, audiences, years,
        series): (value, path, number of records). Its words are in the template."""
        return self.cached(
            f"{kind}/",
            [kind, entries],
            lambda: self.page("taxonomy_index.html", f"{kind}/", kind=kind, entries=entries)[1],
        )

    def taxonomy(
        self,
        kind: str,
        key: Any,
        records: list[Record],
        shared: list[tuple[str, list[Record]]] | None = None,
    ) -> Page:
        """The records of one facet value (a type, an audience, a year), grouped by
        section; for an audience, also those it shares with the audiences including it."""
        path = f"{kind}/{key}/"
        shared = shared or []
        parts = [kind, key, self.tokens_of(records)]
        parts += [(umbrella, self.tokens_of(members)) for umbrella, members in shared]
        return self.cached(
            path, parts, lambda: self.render_taxonomy(kind, key, records, shared)[1]
        )

    def render_taxonomy(
        self, kind: str, key: Any, records: list[Record], shared: list[tuple[str, list[Record]]]
    ) -> tuple[str, bytes]:
        groups: list[tuple[str, list[Record]]] = []
        for section in self.catalog.sections:
            members = [r for r in records if r.seccion == section]
            if members:
                groups.append((section, members))
        return self.page(
            "taxonomy.html",
            f"{kind}/{key}/",
            kind=kind,
            key=key,
            records=records,
            groups=groups,
            shared=shared,
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

        def simple(template: str, path: str, **context: Any) -> Page:
            return self.cached(
                path,
                [self.catalog_token, *context.values()],
                lambda: self.page(template, path, **context)[1],
            )

        index = self.index
        add(self.home())
        for key in self.catalog.sections:
            add(self.section(key))
        for record in self.catalog.records:
            add(self.record(record))
        if self.print_codes:
            for record in self.catalog.records:
                add(self.record_qr(record))
        types = [(k, urls.type_path(k), len(v)) for k, v in index.by_type.items()]
        add(self.taxonomy_index("tipos", types))
        for key, records in index.by_type.items():
            add(self.taxonomy("tipos", key, records))
        audiences = [
            (k, urls.audience_path(k), index.audience_count(k)) for k in index.by_audience
        ]
        add(self.taxonomy_index("publico", audiences))
        for key, records in index.by_audience.items():
            add(self.taxonomy("publico", key, records, index.audience_shared.get(key)))
        years: list[tuple[Any, str, int]] = [
            (year, urls.year_path(year), len(records)) for year, records in index.by_year.items()
        ]
        if index.without_year:
            years.append((NO_YEAR, urls.year_path(NO_YEAR), len(index.without_year)))
        add(self.taxonomy_index("anios", years))
        for year, records in index.by_year.items():
            add(self.taxonomy("anios", year, records))
        if index.without_year:
            add(self.taxonomy("anios", NO_YEAR, index.without_year))
        series = [(k, urls.series_path(k), len(v)) for k, v in index.by_series.items()]
        add(self.taxonomy_index("series", series))
        for key in index.by_series:
            add(self.series_page(key))
        search_parts = [self.urls.url(part) for part in self.search_parts]
        add(simple("search.html", "buscar/", search_parts=search_parts))
        add(simple("about.html", "acerca/"))
        # The data page links the printable catalog when there is one.
        add(simple("data.html", "datos/", print_key=repr(self.print_link)))
        add(simple("404.html", "404.html"))
        # Offline reading (offline.py): what works without a connection, shown also in place
        # of a page not stored on the device; and the web app manifest.
        add(simple("offline.html", "sin-conexion/"))
        add(simple("manifest.webmanifest", "manifest.webmanifest"))
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
            pages[name] = self.deferred_file(name, data_key, partial(data.get, name))
        # The search page's word list counts every word of the catalog (0.5 s at 10,000
        # records): like the open data, serve brings it up to date after the pages.
        pages[WORDS_FILE] = self.deferred_file(
            WORDS_FILE, data_key, lambda: render_words(self.catalog)
        )
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

    def deferred_file(self, name: str, key: str, make: Callable[[], bytes]) -> Content:
        """A catalog-wide file that `serve` (data_later) may keep as it was and mark stale,
        to be made again right after the pages."""
        kept = self.cache.files.get(name)
        if self.data_later and kept is not None and kept.content is not None:
            if kept.key != key:
                self.cache.stale.add(name)  # brought up to date after (serve)
            return kept.content
        return self.cached_file(name, key, make)[1]

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
    # What `links` found changes what the access buttons say, on any record page.
    parts += [f"{url}={fact.model_dump_json()}" for url, fact in catalog.link_facts.items()]
    for path in sorted(templates.rglob("*")):
        if path.is_file():
            parts.append(f"{path.relative_to(templates).as_posix()}={digest(path.read_bytes())}")
    return digest("\n".join(parts).encode("utf-8"))


def _script_json(data: object) -> str:
    """JSON that is safe inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def format_years(record: Record) -> str:
    """«2021», «2022-2023» or «2019, 2021»; nothing for a record without a year (readers
    need no «s. f.»: the year is simply not shown)."""
    years = record.years
    if not years:
        return ""
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
