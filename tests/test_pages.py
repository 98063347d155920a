"""The site map and its page functions, read in the pages they make: every file of the table
is written, once; each record has its page, a long series shows a window of it; the browse
pages follow catalog/_explorar.yaml; an audience's page lists the records of the audiences
that include it; the preview marks drafts; printed builds carry each record's QR code.
(Ways to explore added, renamed or dropped in _explorar.yaml: test_browse_settings.py.)"""

from __future__ import annotations

import json
from pathlib import Path

from catalogo.catalog import Catalog
from catalogo.incremental import Memo
from catalogo.loader import load_catalog
from catalogo.offline import WORKER
from catalogo.pages import site_map
from catalogo.pipeline import build_site, prepare_site
from catalogo.qrcodes import qr_svg
from catalogo.serve import preview_build
from tests.support import (
    EXAMPLE,
    GOLDEN,
    LONG_SERIES,
    PRINT_PREFIX,
    add_long_series,
    example_options,
    generated_files,
    page,
)

RECORDS = ["guia-de-prueba", "spot-es", "spot-quz", "video-de-prueba"]


def test_the_site_map_names_every_page_a_build_writes_once(example_site: Path) -> None:
    options = example_options(EXAMPLE, example_site)
    site = prepare_site(load_catalog(EXAMPLE).catalog, options, Memo(enabled=False))
    paths = [path for entry in site_map(site) for path in entry.paths]
    assert len(paths) == len(set(paths))
    offline = {WORKER, "sw/archivos-0.json"}  # made from the finished site (offline.py)
    rendered = set(generated_files(example_site)) - offline
    admin_vendored = {path for path in paths if path.startswith("admin/")} - rendered
    assert set(paths) - admin_vendored == rendered


def test_every_record_has_its_page(example_site: Path) -> None:
    for record_id in RECORDS:
        assert "<h1" in page(example_site, f"recursos/{record_id}/")


def test_the_open_data_lists_every_record(example_site: Path) -> None:
    data = json.loads((example_site / "datos" / "catalogo.json").read_text(encoding="utf-8"))
    assert [item["id"] for item in data] == RECORDS
    guide = data[0]
    for key in ("titulo", "seccion", "tipo", "anio", "idioma", "publico", "descripcion"):
        assert key in guide
    assert guide["anio"] == 2021
    assert guide["enlaces"] == [{"url": "https://example.org/guia.pdf", "formato": "pdf"}]
    assert data[3]["anio"] is None


def test_a_quechua_title_is_marked_and_only_it(example_site: Path) -> None:
    """The example's Quechua spot keeps its title in Quechua; its Spanish sibling names it
    in its series list, and nothing else of that page is marked."""
    quechua = page(example_site, "recursos/spot-quz/")
    assert '<h1 lang="quz" data-pagefind-meta="idioma_titulo:quz">' in quechua
    assert '<html lang="es">' in quechua
    spanish = page(example_site, "recursos/spot-es/")
    assert "<h1>" in spanish
    assert spanish.count('lang="quz"') == 1


def test_an_audience_page_lists_the_records_of_the_audiences_including_it(
    example_site: Path,
) -> None:
    police = page(example_site, "publico/policia/")
    assert "3 recursos: 2 dirigidos a «Policía» y 1 a «Operadores de justicia»." in police
    assert "«Operadores de justicia» incluye a «Policía»" in police
    assert police.index("Video de prueba") < police.index("Spot: Captación")
    umbrella = page(example_site, "publico/operadores-justicia/")
    assert 'href="/publico/policia/">Policía</a>' in umbrella
    record = page(example_site, "recursos/spot-es/")
    # Readers see the audience the record names; the search filters also know its members.
    assert ">Operadores de justicia</a>" in record and ">Policía</a>" not in record
    assert 'data-pagefind-filter="Público:Policía"' in record
    assert "publico_inferido" not in record and "dedujo" not in record


def test_a_long_series_lists_the_neighbours_and_links_to_the_whole_series(
    example_catalog: Path, tmp_path: Path
) -> None:
    add_long_series(example_catalog)
    out = tmp_path / "_site"
    build_site(example_options(example_catalog, out))
    total = LONG_SERIES + 2  # the two spots of the example belong to the series too
    middle = page(out, "recursos/spot-largo-15/")
    # the example spots come first (orden 1 and 2): spot-largo-15 is number 17 of 32
    assert f"Recursos 12 a 22 de {total}, alrededor de este." in middle
    assert '<ol class="lista-serie" start="12">' in middle
    assert 'href="/series/spots/">Ver la serie completa</a>' in middle
    assert "spot-largo-09/" not in middle and "spot-largo-10/" in middle
    assert "spot-largo-20/" in middle and "spot-largo-21/" not in middle
    assert f"Recursos 1 a 11 de {total}, alrededor de este." in page(out, "recursos/spot-es/")
    last = page(out, "recursos/spot-largo-30/")
    assert f"Recursos 22 a 32 de {total}, alrededor de este." in last
    series_page = page(out, "series/spots/")
    assert all(f"spot-largo-{n:02d}/" in series_page for n in range(1, LONG_SERIES + 1))


def test_the_preview_shows_a_draft_with_its_mark(example_catalog: Path, tmp_path: Path) -> None:
    record = example_catalog / "videos" / "video-de-prueba.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "borrador: true\n", encoding="utf-8")
    out = tmp_path / "_site"
    report = build_site(preview_build(example_options(example_catalog, out)))
    assert report.records == 4 and report.drafts == 0
    draft = page(out, "recursos/video-de-prueba/")
    assert '<p class="borrador-aviso"><strong>Borrador</strong>' in draft
    assert '<span class="borrador">Borrador</span>' in page(out, "videos/")
    assert "borrador" not in (GOLDEN / "videos" / "index.html").read_text(encoding="utf-8")


def test_every_record_page_carries_its_qr_code(
    printed_site: Path, shipped_catalog: Catalog
) -> None:
    for record in shipped_catalog.records:
        folder = printed_site / "recursos" / record.id
        assert (folder / "qr.svg").read_bytes().startswith(b"<svg")
        html = (folder / "index.html").read_text(encoding="utf-8")
        assert f'<img src="{PRINT_PREFIX}recursos/{record.id}/qr.svg"' in html


def test_the_qr_codes_follow_the_published_address(tmp_path: Path) -> None:
    """`--site-url` and `--base-url` win over site.yaml, as for every other absolute link."""
    out = tmp_path / "_site"
    options = example_options(
        EXAMPLE, out, pdf=True, base_url="/otra-ruta/", site_url="https://ejemplo.gob.pe"
    )
    build_site(options)
    svg = (out / "recursos" / "spot-es" / "qr.svg").read_bytes()
    assert svg == qr_svg("https://ejemplo.gob.pe/otra-ruta/recursos/spot-es/")
