"""The site map: one table of every file the build renders, and one function per kind of
page.

Each Entry names the files it makes, the page function that makes them from the Site (the
catalog, its views and the Jinja environment), that function's arguments, and what the
files depend on besides the site's key (the fingerprints of the records they show). A page
function is pure: the same Site and arguments give the same bytes. render.py defines Entry
and Site and runs the table; incremental.py skips an entry whose key did not change.

Which vocabularies get browse pages, and their titles and introductions, are data
(catalog/_explorar.yaml); their words are there and in the templates, never here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from catalogo import admin, citation, publish, urls
from catalogo.admin import script_json
from catalogo.catalog import BrowsePage
from catalogo.cms_vendor import Pin
from catalogo.digests import digest
from catalogo.exports import RecordExports, join_exports, record_exports
from catalogo.incremental import Memo
from catalogo.metadata import json_ld, record_meta_tags
from catalogo.models import Record
from catalogo.qrcodes import qr_svg
from catalogo.render import Entry, Site
from catalogo.searchdata import WORDS_FILE, enie_words, record_enie_words, render_words
from catalogo.urls import output_file
from catalogo.views import Shared, Value, series_window

# The records' citation files and the open data are made of each record's exports: one
# process renders them all and makes each record's once (exports_of).
EXPORTS = "exports"
RECORD_FOLDER = urls.RECORDS + "/"  # every record page's place in the menu (menu_path)


@dataclass(frozen=True)
class Listing:
    """One value on a browse page's list: where its page is and how many records it has."""

    value: Value
    path: str
    count: int
    missing: bool = False  # the records without any value (sin_valor)


def site_map(site: Site) -> list[Entry]:
    """Every file the build renders; static files and the search index are added apart."""
    catalog = site.catalog
    whole = site.catalog_key
    entries = [Entry(("index.html",), home_page, depends=(whole,), after_print=True)]
    entries += [section_entry(site, key) for key in catalog.sections]
    entries += [record_entry(site, record) for record in catalog.records]
    entries += [citation_entry(record) for record in catalog.records]
    if site.print_files:
        entries += [qr_entry(site, record) for record in catalog.records]
    for folder, browse in catalog.browse.items():
        entries += browse_entries(site, folder, browse)
    entries += [
        simple_entry("buscar/", "search.html", whole, site.search_parts),
        simple_entry("acerca/", "about.html", whole),
        Entry(("datos/index.html",), data_page, depends=(whole,), after_print=True),
        simple_entry("404.html", "404.html", whole),
        # Offline reading (offline.py): what works without a connection, also shown in place
        # of a page not kept on the device; and the web app manifest.
        Entry(("sin-conexion/index.html",), offline_page, depends=(whole,), after_print=True),
        simple_entry("manifest.webmanifest", "manifest.webmanifest", whole),
        admin_entry(),
        Entry(tuple(publish.DATA_FILES), open_data, depends=(whole,), later=True, together=EXPORTS),
        # The search page's word list counts every word of the catalog (0.5 s at 10,000
        # records): like the open data, serve brings it up to date after the pages.
        Entry((WORDS_FILE,), words_file, depends=(whole,), later=True),
        Entry(("feed.xml",), feed, depends=(whole,)),
        Entry(("robots.txt",), robots),
    ]
    pages = sorted(path for entry in entries for path in entry.paths if path.endswith(".html"))
    listed = tuple(path for path in pages if not path.startswith(admin.ADMIN))
    entries.append(Entry(("sitemap.xml",), sitemap, (listed,), depends=listed))
    return entries


def fingerprints(records: Iterable[Record]) -> tuple[str, ...]:
    return tuple([record.fingerprint for record in records])


def render(site: Site, template: str, path: str, **context: Any) -> bytes:
    html = site.env.get_template(template).render(
        page_path=path, menu_path=menu_path(path), canonical=site.urls.absolute(path), **context
    )
    return html.encode("utf-8")


def menu_path(path: str) -> str:
    """A page's place in the menu, which base.html's header marks: its own path, or for
    every record page the records' folder, which no menu link names (so that the header,
    the same on all of them, is rendered once: blocks.py)."""
    return RECORD_FOLDER if path.startswith(RECORD_FOLDER) else path


# --- Pages of the whole catalog ------------------------------------------------------------


def home_page(site: Site) -> bytes:
    newest = publish.newest_records(site.catalog, 6)
    return render(site, "home.html", "", newest=newest, print_catalog=site.print_link)


def data_page(site: Site) -> bytes:
    return render(site, "data.html", "datos/", print_catalog=site.print_link)


def offline_page(site: Site) -> bytes:
    return render(site, "offline.html", "sin-conexion/", print_catalog=site.print_link)


def simple_entry(path: str, template: str, *depends: object) -> Entry:
    return Entry((output_file(path),), simple_page, (template, path), depends)


def simple_page(site: Site, template: str, path: str) -> bytes:
    if template != "search.html":
        return render(site, template, path)
    parts = [site.urls.url(part) for part in site.search_parts]
    words = enie_words(site.catalog, lambda record: enie_piece(site.memo, record))
    return render(site, template, path, search_parts=parts, enie_words=words)


def enie_piece(memo: Memo, record: Record) -> frozenset[str]:
    return memo.piece("enie", (record.fingerprint,), lambda: record_enie_words(record))


# --- Sections and records ------------------------------------------------------------------


def section_entry(site: Site, key: str) -> Entry:
    records = site.views.index.by_section[key]
    path = output_file(urls.section_path(key))
    return Entry((path,), section_page, (key,), fingerprints(records))


def section_page(site: Site, key: str) -> bytes:
    records = site.views.index.by_section[key]
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        groups[record.tipo].append(record)
    ordered = [(t, groups[t]) for t in site.catalog.vocabularies.tipos if t in groups]
    section = site.catalog.sections[key]
    return render(
        site,
        "section.html",
        urls.section_path(key),
        section_id=key,
        section=section,
        groups=ordered,
        records=records,
    )


@dataclass(frozen=True)
class SeriesPlace:
    """A record's series (in order), the members its page lists, the first one's number."""

    siblings: list[Record] = field(default_factory=list)
    shown: list[Record] = field(default_factory=list)
    first: int = 1


def series_place(site: Site, record: Record) -> SeriesPlace:
    index = site.views.index
    siblings = index.by_series.get(record.serie, []) if record.serie else []
    shown, first = series_window(siblings, index.series_position.get(record.id, 0))
    return SeriesPlace(siblings, shown, first)


def record_entry(site: Site, record: Record) -> Entry:
    place = series_place(site, record)
    depends = (
        record.fingerprint,
        len(place.siblings),
        *fingerprints(place.shown),
        "|",
        *fingerprints(site.views.related[record.id]),
    )
    return Entry((output_file(urls.record_path(record.id)),), record_page, (record,), depends)


def record_page(site: Site, record: Record) -> bytes:
    catalog = site.catalog
    path = urls.record_path(record.id)
    place = series_place(site, record)
    return render(
        site,
        "record.html",
        path,
        record=record,
        series=catalog.series.get(record.serie) if record.serie else None,
        series_size=len(place.siblings),
        series_window=place.shown,
        window_first=place.first,
        related=site.views.related[record.id],
        cite=citation.apa(record, catalog, site.urls.absolute(path)),
        meta_tags=record_meta_tags(record, catalog, site.urls),
        json_ld=Markup(script_json(json_ld(record, catalog, site.urls))),
        og_type="article",
    )


def qr_entry(site: Site, record: Record) -> Entry:
    """The QR code a printed record page carries: it depends on the address alone."""
    address = site.urls.absolute(urls.record_path(record.id))
    return Entry((urls.record_qr_path(record.id),), qr_code, (address,), (address,))


def qr_code(site: Site, address: str) -> bytes:
    return qr_svg(address)


def citation_entry(record: Record) -> Entry:
    names = publish.record_file_names(record)
    return Entry(names, citation_files, (record,), (record.fingerprint,), together=EXPORTS)


def citation_files(site: Site, record: Record) -> tuple[bytes, ...]:
    files = publish.record_files(record, exports_of(site, record))
    return tuple(files[name] for name in publish.record_file_names(record))


def exports_of(site: Site, record: Record) -> RecordExports:
    """A record's part of every export, made once while the record does not change."""
    url = site.urls.absolute(urls.record_path(record.id))
    return site.memo.piece(
        "exports", (record.fingerprint,), lambda: record_exports(record, site.catalog, url)
    )


# --- Browse pages (catalog/_explorar.yaml) -------------------------------------------------


def browse_entries(site: Site, folder: str, browse: BrowsePage) -> list[Entry]:
    facet = site.views.index.facets[browse.vocabulario]
    listings = [Listing(value, f"{folder}/{value}/", facet.count(value)) for value in facet.values]
    missing = browse.sin_valor
    if missing is not None and facet.missing:
        listing = Listing(missing.ruta, f"{folder}/{missing.ruta}/", len(facet.missing), True)
        listings.append(listing)
        path = f"{folder}/{missing.ruta}/index.html"
        entries = [Entry((path,), missing_page, (folder,), fingerprints(facet.missing))]
    else:
        entries = []
    for value, records in facet.values.items():
        shared = facet.shared.get(value, [])
        depends = (fingerprints(records), *((u, fingerprints(m)) for u, m in shared))
        path = f"{folder}/{value}/index.html"
        entries.append(Entry((path,), value_page, (folder, value), depends))
    summary = tuple((item.value, item.count, item.missing) for item in listings)
    entries.append(Entry((f"{folder}/index.html",), browse_index, (folder, listings), summary))
    return entries


def browse_index(site: Site, folder: str, listings: list[Listing]) -> bytes:
    browse = site.catalog.browse[folder]
    return render(site, "taxonomy_index.html", f"{folder}/", browse=browse, listings=listings)


def value_page(site: Site, folder: str, value: Value) -> bytes:
    browse = site.catalog.browse[folder]
    facet = site.views.index.facets[browse.vocabulario]
    records = facet.values[value]
    path = f"{folder}/{value}/"
    if browse.vocabulario == "series":
        return series_page(site, folder, str(value), records)
    entry = getattr(site.catalog.vocabularies, browse.vocabulario, {}).get(value)
    name = str(value) if entry is None else entry.plural or entry.nombre
    intro = (entry.descripcion or "") if entry is not None else ""
    return browse_page(
        site, path, folder, value, browse.heading(name), intro, records, facet.shared.get(value, [])
    )


def missing_page(site: Site, folder: str) -> bytes:
    browse = site.catalog.browse[folder]
    missing = browse.sin_valor
    assert missing is not None  # the table has this page only then
    records = site.views.index.facets[browse.vocabulario].missing
    path = f"{folder}/{missing.ruta}/"
    return browse_page(
        site, path, folder, missing.ruta, missing.nombre, missing.introduccion or "", records, []
    )


def browse_page(
    site: Site,
    path: str,
    folder: str,
    value: Value,
    heading: str,
    intro: str,
    records: list[Record],
    shared: Shared,
) -> bytes:
    """The records of one value (a type, an audience, a year), grouped by section; for an
    audience, also those it shares with the audiences including it."""
    groups = [
        (section, members)
        for section in site.catalog.sections
        if (members := [r for r in records if r.seccion == section])
    ]
    return render(
        site,
        "taxonomy.html",
        path,
        browse=site.catalog.browse[folder],
        folder=folder,
        key=value,
        heading=heading,
        intro=intro,
        records=records,
        groups=groups,
        shared=shared,
    )


def series_page(site: Site, folder: str, key: str, records: list[Record]) -> bytes:
    languages: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        languages[record.idioma].append(record)
    return render(
        site,
        "series.html",
        f"{folder}/{key}/",
        browse=site.catalog.browse[folder],
        folder=folder,
        series_id=key,
        series=site.catalog.series[key],
        records=records,
        by_language=[
            (lang, languages[lang])
            for lang in site.catalog.vocabularies.idiomas
            if lang in languages
        ],
    )


# --- Files for machines --------------------------------------------------------------------


def admin_entry() -> Entry:
    """The browser editor (/admin/): made again when the vocabularies, settings or
    templates change (the site's key), or its own files or the vendored editor's pin."""
    pin = Pin.read()
    own = [digest(data) for data in admin.own_files().values()]
    return Entry(tuple(admin.file_names(pin)), admin_files, (pin,), (pin.as_json(), *own))


def admin_files(site: Site, pin: Pin) -> tuple[bytes, ...]:
    def render_page(context: dict[str, Any]) -> str:
        return site.env.get_template("admin.html").render(**context)

    files = admin.admin_files(site.catalog, site.settings, site.urls, render_page, pin)
    return tuple(files[name] for name in admin.file_names(pin))


def open_data(site: Site) -> tuple[bytes, ...]:
    parts = [exports_of(site, record) for record in site.catalog.records]
    files = join_exports(parts)
    return tuple(files[name] for name in publish.DATA_FILES)


def words_file(site: Site) -> bytes:
    return render_words(site.catalog)


def feed(site: Site) -> bytes:
    return publish.render_feed(site.catalog, site.urls, site.settings.novedades)


def robots(site: Site) -> bytes:
    return publish.robots_txt(site.urls)


def sitemap(site: Site, pages: Sequence[str]) -> bytes:
    return publish.render_sitemap(list(pages), site.urls)
