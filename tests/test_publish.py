"""Files for machines, read back with independent parsers from the shipped site built under
a project-pages base path: the sitemap and robots.txt, the Atom feed, the open data (JSON,
CSV, BibTeX, RIS, CSL-JSON) and each record's citation files."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import json
from pathlib import Path
from xml.etree import ElementTree as ET

import bibtexparser
import rispy

from catalogo.catalog import Catalog
from catalogo.loader import load_catalog
from catalogo.publish import newest_records, render_feed, render_sitemap, robots_txt
from catalogo.urls import SiteUrls
from tests.support import EXAMPLE
from tests.support import SHIPPED_ORIGIN as ORIGIN
from tests.support import SHIPPED_PREFIX as BASE

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
URLS = SiteUrls(BASE, ORIGIN)


def test_sitemap_lists_every_page_under_the_base_path(
    shipped_site: Path, shipped_catalog: Catalog
) -> None:
    site, catalog = shipped_site, shipped_catalog
    root = ET.parse(site / "sitemap.xml").getroot()
    locations = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert len(locations) == len(set(locations))
    for record in catalog.records:
        assert f"{ORIGIN}{BASE}recursos/{record.id}/" in locations
    assert f"{ORIGIN}{BASE}" in locations
    assert not any(loc and loc.endswith("404.html") for loc in locations)
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {ORIGIN}{BASE}sitemap.xml" in robots


def test_feed_is_atom_with_the_newest_records(shipped_site: Path, shipped_catalog: Catalog) -> None:
    site, catalog = shipped_site, shipped_catalog
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{ORIGIN}{BASE}feed.xml"  # type: ignore[union-attr]
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 20
    ids = set()
    for entry in entries:
        for required in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        ids.add(entry.findtext(f"{ATOM}id"))
        assert (entry.findtext(f"{ATOM}updated") or "").endswith("T00:00:00Z")
    pages = {f"{ORIGIN}{BASE}recursos/{record.id}/" for record in catalog.records}
    assert ids <= pages and len(ids) == 20


def test_bibtex_export_parses_back(shipped_site: Path, shipped_catalog: Catalog) -> None:
    site, catalog = shipped_site, shipped_catalog
    database = bibtexparser.loads((site / "datos" / "catalogo.bib").read_text(encoding="utf-8"))
    by_key = {entry["ID"]: entry for entry in database.entries}
    assert len(by_key) == len(catalog.records)
    for record in catalog.records:
        entry = by_key[record.id]
        assert entry["title"].strip("{}") == record.titulo
        if record.first_year:
            assert entry["year"] == str(record.first_year)
        one = bibtexparser.loads(
            (site / "recursos" / record.id / "cita.bib").read_text(encoding="utf-8")
        )
        assert one.entries[0]["ID"] == record.id


def test_ris_export_parses_back(shipped_site: Path, shipped_catalog: Catalog) -> None:
    site, catalog = shipped_site, shipped_catalog
    entries = rispy.loads((site / "datos" / "catalogo.ris").read_text(encoding="utf-8"))
    assert [entry["title"] for entry in entries] == [record.titulo for record in catalog.records]
    one = rispy.loads(
        (site / "recursos" / catalog.records[0].id / "cita.ris").read_text(encoding="utf-8")
    )
    assert one[0]["title"] == catalog.records[0].titulo


def test_csl_json_and_json_exports_list_every_record(
    shipped_site: Path, shipped_catalog: Catalog
) -> None:
    site, catalog = shipped_site, shipped_catalog
    csl = json.loads((site / "datos" / "catalogo-csl.json").read_text(encoding="utf-8"))
    assert [item["id"] for item in csl] == [record.id for record in catalog.records]
    data = json.loads((site / "datos" / "catalogo.json").read_text(encoding="utf-8"))
    assert [item["id"] for item in data] == [record.id for record in catalog.records]
    for item, record in zip(data, catalog.records, strict=True):
        assert item["titulo"] == record.titulo
        assert item["seccion"] == record.seccion
        assert item["anio"] == record.first_year
        assert [link["url"] for link in item["enlaces"]] == [link.url for link in record.enlaces]


def test_csv_round_trips_with_bom(shipped_site: Path, shipped_catalog: Catalog) -> None:
    site, catalog = shipped_site, shipped_catalog
    raw = (site / "datos" / "catalogo.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert [row["id"] for row in rows] == [record.id for record in catalog.records]
    for row, record in zip(rows, catalog.records, strict=True):
        assert row["titulo"] == record.titulo
        assert row["descripcion"] == (record.descripcion or "")


def test_the_newest_records_are_those_added_last() -> None:
    catalog = load_catalog(EXAMPLE).catalog
    added = {record.id: record.fecha_alta for record in catalog.records}
    assert added["spot-es"] == added["spot-quz"] == datetime.date(2024, 5, 3)
    older = catalog.record("video-de-prueba").model_copy(
        update={"id": "zz-mas-antiguo", "anio": 1999, "fecha_alta": datetime.date(2024, 5, 3)}
    )
    catalog = dataclasses.replace(catalog, records=(*catalog.records, older))
    # Added the same day: the later year first, then the id.
    assert [r.id for r in newest_records(catalog, 4)] == [
        "spot-quz",
        "spot-es",
        "zz-mas-antiguo",
        "video-de-prueba",
    ]
    feed = ET.fromstring(render_feed(catalog, URLS, 2))
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "Spot: Captación (quechua)",
        "Spot: Captación",
    ]
    assert feed.findtext(f"{ATOM}updated") == "2024-05-03T00:00:00Z"
    assert entries[0].findtext(f"{ATOM}published") == "2022-01-01T00:00:00Z"


def test_the_sitemap_lists_pages_by_their_folder_and_robots_names_it() -> None:
    sitemap = ET.fromstring(
        render_sitemap(["recursos/x/index.html", "index.html", "404.html"], URLS)
    )
    assert [loc.text for loc in sitemap.iter(f"{SITEMAP}loc")] == [
        f"{ORIGIN}{BASE}",
        f"{ORIGIN}{BASE}recursos/x/",
    ]
    assert robots_txt(URLS).decode() == (
        f"User-agent: *\nAllow: /\n\nSitemap: {ORIGIN}{BASE}sitemap.xml\n"
    )
