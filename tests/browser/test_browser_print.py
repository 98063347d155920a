"""A record page printed from Chromium, as a reader prints it (Ctrl+P; here `page.pdf()`,
which uses the same print layout): one clean A4 sheet with the title, the facts, the
description, every link's full address and the page's QR code, and nothing to click. On
screen, the QR code costs nothing: the browser fetches it only to print."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from catalogo.catalog import Catalog
from catalogo.models import Record
from tests.browser.support import FIRST_VIEW_BUDGET, PREFIX, NewPage, SiteServer, first_view
from tests.support import PRINT_ORIGIN, PRINT_PREFIX

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

# The longest record page of the shipped catalog, a video, and a Quechua radio spot.
PRINTED = ("boletin-jurisprudencial-04", "video-buenas-practicas-jueces", "spot-captacion-quz")
NOT_ON_PAPER = (
    "Saltar al contenido",
    "Buscar recursos",
    "Por público",
    "Recursos relacionados",
    "Descarga la referencia",
    "Llamar al 1818",
    "Datos abiertos",
    "En la serie",
)


@pytest.fixture(scope="module")
def print_server(printed_site: Path) -> Iterator[SiteServer]:
    assert PREFIX == PRINT_PREFIX
    server = SiteServer(printed_site).start()
    yield server
    server.stop()


def printed_pdf(page: Page, url: str) -> tuple[bytes, list[str]]:
    """The page as Chromium prints it on A4, and the addresses it fetched meanwhile.

    Chrome's print preview waits for the lazy images that printing starts loading (the QR
    code); `page.pdf()` prints at once. So the page is put in print mode first, and printed
    once its images have loaded, as the preview shows it (under the service worker the
    QR code arrives a few milliseconds after the instant page.pdf() would print)."""
    fetched: list[str] = []
    page.goto(url, wait_until="networkidle")
    page.on("request", lambda request: fetched.append(request.url))
    page.emulate_media(media="print")
    page.wait_for_function(
        "() => [...document.images].every(image => image.complete && image.naturalWidth > 0)"
    )
    return page.pdf(format="A4"), fetched


def words(text: str) -> str:
    return " ".join(re.sub("-\n", "-", text).split())


@pytest.mark.parametrize("record_id", PRINTED)
def test_a_record_page_prints_on_one_clean_sheet_with_its_qr_code(
    print_server: SiteServer, new_page: NewPage, shipped_catalog: Catalog, record_id: str
) -> None:
    pypdf = pytest.importorskip("pypdf")
    pdfium = pytest.importorskip("pypdfium2")
    zxingcpp = pytest.importorskip("zxingcpp")
    record = shipped_catalog.record(record_id)
    page_address = f"{PRINT_ORIGIN}{PRINT_PREFIX}recursos/{record_id}/"
    data, fetched = printed_pdf(new_page(), print_server.url(f"recursos/{record_id}/"))
    assert print_server.url(f"recursos/{record_id}/qr.svg") in fetched

    document = pypdf.PdfReader(io.BytesIO(data))
    assert len(document.pages) == 1
    text = words(document.pages[0].extract_text())
    # Long addresses wrap where the browser likes: compare them without spaces.
    compact = text.replace(" ", "")
    for expected in expected_text(shipped_catalog, record):
        assert words(expected) in text, expected
    for link in record.enlaces:
        assert link.url in compact, link.url
    assert page_address in compact
    for absent in NOT_ON_PAPER:
        assert absent not in text, absent

    image = pdfium.PdfDocument(data)[0].render(scale=2, grayscale=True).to_pil()
    codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert [code.text for code in codes] == [page_address]


def expected_text(catalog: Catalog, record: Record) -> list[str]:
    """What the sheet must say: the title, the facts, the description."""
    vocab = catalog.vocabularies
    expected = [record.titulo, vocab.tipos[record.tipo].nombre]
    expected += [str(year) for year in record.years]
    expected += [vocab.publicos[key].nombre for key in record.publico]
    if record.descripcion:
        first_sentence = record.descripcion.split(". ")[0]
        expected.append(first_sentence.replace("**", ""))
    return expected


def test_on_screen_the_qr_code_is_not_even_downloaded(
    print_server: SiteServer, new_page: NewPage
) -> None:
    page = new_page()
    total, loaded = first_view(page, print_server.url(f"recursos/{PRINTED[0]}/"))
    assert not [url for url, _ in loaded if url.endswith("qr.svg")]
    assert total <= FIRST_VIEW_BUDGET
    assert not page.locator(".impresion").is_visible()


def test_print_emulation_shows_the_qr_code_and_hides_the_navigation(
    print_server: SiteServer, new_page: NewPage, tmp_path: Path
) -> None:
    page = new_page(viewport={"width": 794, "height": 1123}, device_scale_factor=1)
    page.emulate_media(media="print")
    page.goto(print_server.url(f"recursos/{PRINTED[1]}/"), wait_until="networkidle")
    code = page.locator(".impresion img")
    code.wait_for()
    assert code.evaluate("image => image.complete && image.naturalWidth > 0")
    for hidden in (".cabecera", ".migas", ".busqueda-corta", ".relacionados", ".pie-enlaces"):
        assert not page.locator(hidden).first.is_visible(), hidden
    page.screenshot(path=str(tmp_path / "ficha-impresa.png"), full_page=True)
