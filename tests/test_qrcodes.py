"""QR codes that open a page of the published site from paper: drawn at 3 cm on a page, seen
as a phone sees it (the page rendered to pixels with PDFium, decoded with zxing-cpp), a code
gives back its address; it carries its own quiet zone and takes the size it is shown at."""

from __future__ import annotations

import base64
import re

import pytest

from catalogo.qrcodes import data_uri, qr_svg
from tests.support import require_pdf

ADDRESSES = [
    "https://oit.github.io/catalogo-trata/",
    "https://oit.github.io/catalogo-trata/recursos/guia-operativa-investigacion-trata/",
    "https://ejemplo.gob.pe/catálogo/recursos/niñas-y-niños/",
]


def scan(svg: bytes, page_colour: str = "#fff") -> list[tuple[str, str]]:
    """What a phone reads in a code printed 3 cm wide on a page of `page_colour`: each
    code's text and its error correction level."""
    require_pdf()
    pdfium = pytest.importorskip("pypdfium2")
    zxingcpp = pytest.importorskip("zxingcpp")
    from weasyprint import HTML

    page = (
        f'<body style="background: {page_colour}; margin: 0; padding: 2cm">'
        f'<img src="{data_uri(svg)}" style="width: 3cm; height: 3cm; display: block"></body>'
    )
    document = pdfium.PdfDocument(HTML(string=page).write_pdf())
    image = document[0].render(scale=2, grayscale=True).to_pil()
    codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return [(code.text, code.ec_level) for code in codes]


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_printed_code_opens_its_address(address: str) -> None:
    """Error correction M (15 %): a creased or photocopied page still scans."""
    assert scan(qr_svg(address)) == [(address, "M")]


def test_a_code_carries_its_quiet_zone_and_scans_on_a_dark_page() -> None:
    assert scan(qr_svg(ADDRESSES[0]), page_colour="#000") == [(ADDRESSES[0], "M")]


def test_a_code_has_its_quiet_zone_and_the_size_it_is_shown_at() -> None:
    svg = qr_svg(ADDRESSES[1]).decode("utf-8")
    found = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    assert found and found[1] == found[2]
    modules = int(found[1]) - 2 * 4  # four light modules on each side
    assert modules >= 21 and (modules - 21) % 4 == 0, "a QR code's side is 21 + 4k modules"
    assert not re.search(r"<svg[^>]* (width|height)=", svg), "no fixed size: the page sets it"
    assert 'fill="#fff"' in svg, "a light background, whatever the paper"
    assert qr_svg(ADDRESSES[1]).decode("utf-8") == svg, "the same address, the same code"


def test_a_code_travels_inside_a_document_as_a_data_address() -> None:
    svg = qr_svg(ADDRESSES[0])
    uri = data_uri(svg)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]) == svg
