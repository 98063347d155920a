"""Files for machines: open data, per-record citation files, Atom feed, sitemap, robots."""

from __future__ import annotations

import datetime
import heapq
from xml.etree import ElementTree as ET

from catalogo import exports, urls
from catalogo.catalog import Catalog
from catalogo.markup import plain_text
from catalogo.models import Record
from catalogo.urls import SiteUrls

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
DATA_FILES = {
    "datos/catalogo.json": "JSON",
    "datos/catalogo.csv": "CSV",
    "datos/catalogo.bib": "BibTeX",
    "datos/catalogo.ris": "RIS",
    "datos/catalogo-csl.json": "CSL-JSON",
}


def robots_txt(site_urls: SiteUrls) -> bytes:
    """robots.txt only names the sitemap: it changes with the address, not the records."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_urls.absolute('sitemap.xml')}\n".encode()


def record_file_names(record: Record) -> tuple[str, str, str]:
    """Where a record's citation files go: beside its page."""
    base = urls.record_path(record.id)
    return base + "cita.bib", base + "cita.ris", base + "cita.json"


def record_files(record: Record, parts: exports.RecordExports) -> dict[str, bytes]:
    """A record's citation files: BibTeX, RIS and CSL-JSON."""
    bib, ris, csl = record_file_names(record)
    return {
        bib: parts.bibtex.encode("utf-8"),
        ris: parts.ris.encode("utf-8"),
        csl: exports.json_array([parts.csl]),
    }


def newest_records(catalog: Catalog, limit: int) -> list[Record]:
    """The records added last (by `fecha_alta`, then year and id), newest first."""
    epoch = datetime.date(1970, 1, 1)
    return heapq.nlargest(
        limit, catalog.records, key=lambda r: (r.fecha_alta or epoch, r.first_year or 0, r.id)
    )


def _timestamp(day: datetime.date | None) -> str:
    return f"{(day or datetime.date(1970, 1, 1)).isoformat()}T00:00:00Z"


def render_feed(catalog: Catalog, site_urls: SiteUrls, limit: int) -> bytes:
    """An Atom 1.0 feed of the newest records, dated by their `fecha_alta`."""
    ET.register_namespace("", ATOM)
    records = newest_records(catalog, limit)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": catalog.info.idioma})
    _text(feed, "title", catalog.info.titulo)
    if catalog.info.subtitulo:
        _text(feed, "subtitle", catalog.info.subtitulo)
    _text(feed, "id", site_urls.absolute())
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": site_urls.absolute("feed.xml")})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": site_urls.absolute()})
    updated = max((r.fecha_alta for r in records if r.fecha_alta), default=None)
    _text(feed, "updated", _timestamp(updated))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", catalog.info.editor)
    for record in records:
        page = site_urls.absolute(urls.record_path(record.id))
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "title", record.titulo)
        _text(entry, "id", page)
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": page})
        _text(entry, "updated", _timestamp(record.fecha_alta))
        if record.first_year:
            _text(entry, "published", f"{record.first_year}-{record.mes or 1:02d}-01T00:00:00Z")
        kind = catalog.vocabularies.tipos[record.tipo].nombre
        ET.SubElement(entry, f"{{{ATOM}}}category", {"term": record.tipo, "label": kind})
        text = plain_text(record.descripcion) if record.descripcion else kind
        _text(entry, "summary", text)
    body = ET.tostring(feed, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def render_sitemap(page_files: list[str], site_urls: SiteUrls) -> bytes:
    """A sitemap of every HTML page (`x/index.html` is listed as `x/`)."""
    ET.register_namespace("", SITEMAP)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    for name in sorted(page_files):
        if not name.endswith("index.html"):
            continue
        entry = ET.SubElement(root, f"{{{SITEMAP}}}url")
        _text(entry, "loc", site_urls.absolute(name.removesuffix("index.html")), SITEMAP)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _text(parent: ET.Element, tag: str, value: str, namespace: str = ATOM) -> ET.Element:
    element = ET.SubElement(parent, f"{{{namespace}}}{tag}")
    element.text = value
    return element
