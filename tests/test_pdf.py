"""The printable catalog, read back the way readers meet it: its text and page numbers in
a PDF viewer, its bookmarks and links, and its QR codes through a phone's decoder
(the page rendered to pixels with PDFium, decoded with zxing-cpp).

The shipped catalog's PDF is built once per session (`printed_site` in conftest.py); the
tests that build again use the four-record example catalog.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from catalogo import pdf
from catalogo.catalog import Catalog
from catalogo.linksummary import format_size
from catalogo.markup import render_markdown
from catalogo.pipeline import build_site
from catalogo.problems import CatalogError
from tests.support import (
    EXAMPLE,
    PRINT_ORIGIN,
    PRINT_PREFIX,
    ROOT,
    copy_project,
    example_options,
    pdf_text,
    require_pdf,
)

pypdf = pytest.importorskip("pypdf")

A4 = (595.28, 841.89)  # points
HREF = re.compile(r'href="([^"]+)"')


def address(path: str = "") -> str:
    return PRINT_ORIGIN + PRINT_PREFIX + path


def record_address(record_id: str) -> str:
    return address(f"recursos/{record_id}/")


@pytest.fixture(scope="module")
def pdf_path(printed_site: Path) -> Path:
    return printed_site / pdf.PDF_FILE


@pytest.fixture(scope="module")
def reader(pdf_path: Path) -> Any:
    return pypdf.PdfReader(pdf_path)


@pytest.fixture(scope="module")
def page_texts(reader: Any) -> list[str]:
    return [pdf_text(page.extract_text()) for page in reader.pages]


@pytest.fixture(scope="module")
def bookmarks(reader: Any) -> list[tuple[int, str, int]]:
    """(level, title, page number from 1) of every bookmark, in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return found


@pytest.fixture(scope="module")
def record_pages(bookmarks: list[tuple[int, str, int]], shipped_catalog: Catalog) -> dict[str, int]:
    """The page each record starts on, from its bookmark (bookmarks are in catalog order)."""
    records = [page for level, _, page in bookmarks if level == 1]
    assert len(records) == len(shipped_catalog.records)
    return {record.id: page for record, page in zip(shipped_catalog.records, records, strict=True)}


def section_heading(shipped_catalog: Catalog, key: str) -> str:
    section = shipped_catalog.sections[key]
    return f"{section.nombre_corto}: {section.titulo}"


def test_pdf_is_a4_tagged_spanish_and_within_budget(
    pdf_path: Path, reader: Any, shipped_catalog: Catalog
) -> None:
    assert pdf_path.stat().st_size < 3_000_000
    for page in reader.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=0.5)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "es"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == shipped_catalog.info.titulo
    assert reader.metadata.author == shipped_catalog.info.editor


def test_pdf_embeds_the_packaged_font_and_no_other(reader: Any) -> None:
    fonts = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts
    for name, font in fonts.items():
        # A glyph missing from the packaged font would pull in a system font here.
        assert re.fullmatch(r"/[A-Z]{6}\+Noto-Sans(-Bold|-Italic|-BoldItalic)?", name), name
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        assert "/FontFile2" in descendant["/FontDescriptor"], f"{name} is not embedded"


def test_bookmarks_list_the_contents_then_each_section_with_its_records(
    bookmarks: list[tuple[int, str, int]], shipped_catalog: Catalog
) -> None:
    expected = [(0, "Contenido")]
    for key in shipped_catalog.sections:
        expected.append((0, section_heading(shipped_catalog, key)))
        expected += [(1, r.titulo) for r in shipped_catalog.records if r.seccion == key]
    assert [(level, title) for level, title, _ in bookmarks] == expected
    pages = [page for _, _, page in bookmarks]
    assert pages == sorted(pages)


def test_text_has_every_record_title_in_catalog_order(
    page_texts: list[str], bookmarks: list[tuple[int, str, int]], shipped_catalog: Catalog
) -> None:
    first_section = bookmarks[1][2]
    body = " ".join(page_texts[first_section - 1 :])
    position = 0
    for record in shipped_catalog.records:
        found = body.find(record.titulo, position)
        assert found >= 0, f"«{record.titulo}» missing or out of catalog order"
        position = found + len(record.titulo)


def test_editors_notes_never_reach_paper(page_texts: list[str], shipped_catalog: Catalog) -> None:
    text = " ".join(page_texts)
    notes = [note for record in shipped_catalog.records for note in record.notas_editoriales]
    notes += [note for series in shipped_catalog.series.values() for note in series.notas_editoriales]
    notes += [fix.motivo for record in shipped_catalog.records for fix in record.correcciones if fix.motivo]
    assert notes
    for note in notes:
        assert pdf_text(note)[:60] not in text, note


def test_table_of_contents_page_numbers_match_the_pages(
    page_texts: list[str],
    bookmarks: list[tuple[int, str, int]],
    record_pages: dict[str, int],
    shipped_catalog: Catalog,
) -> None:
    contents_page, first_section = bookmarks[0][2], bookmarks[1][2]
    contents = " ".join(page_texts[contents_page - 1 : first_section - 1])
    entries: list[tuple[str, int]] = []
    section_pages = {title: page for level, title, page in bookmarks if level == 0}
    for key in shipped_catalog.sections:
        heading = section_heading(shipped_catalog, key)
        entries.append((heading, section_pages[heading]))
        entries += [(r.titulo, record_pages[r.id]) for r in shipped_catalog.records if r.seccion == key]
    position = 0
    for title, page in entries:
        found = contents.find(title, position)
        assert found >= 0, f"«{title}» missing from the contents"
        number = re.match(r"[ .]*(\d+)", contents[found + len(title) :])
        assert number, f"no page number after «{title}»"
        assert int(number.group(1)) == page, f"«{title}»: contents say {number.group(1)}"
        assert title in page_texts[page - 1], f"«{title}» is not on page {page}"
        position = found + len(title) + number.end()


def link_targets(reader: Any) -> dict[int, list[str]]:
    """The web addresses of the link annotations of each page (numbered from 1)."""
    targets: dict[int, list[str]] = defaultdict(list)
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and action.get("/S") == "/URI":
                targets[number].append(str(action["/URI"]))
    return targets


def described_links(text: str | None) -> set[str]:
    return {unquote(html.unescape(href)) for href in HREF.findall(render_markdown(text or ""))}


def test_every_link_annotation_points_where_its_record_says(
    reader: Any, record_pages: dict[str, int], shipped_catalog: Catalog
) -> None:
    # A PDF link holds an ASCII address: «Módulo» is written «M%C3%B3dulo» there.
    targets = {page: [unquote(t) for t in found] for page, found in link_targets(reader).items()}
    targets = defaultdict(list, targets)
    allowed = {address()}
    for record in shipped_catalog.records:
        page = record_pages[record.id]
        on_page = set(targets[page])
        assert record_address(record.id) in on_page, f"{record.id}: no link to its page"
        for link in record.enlaces:
            url = unquote(link.url)
            assert url in on_page, f"{record.id}: {url} is not linked on page {page}"
        allowed |= {record_address(record.id), *(unquote(link.url) for link in record.enlaces)}
        allowed |= described_links(record.descripcion)
    for part in [*shipped_catalog.series.values(), *shipped_catalog.sections.values()]:
        allowed |= described_links(part.descripcion)
    everything = {target for page_targets in targets.values() for target in page_targets}
    assert everything <= allowed, everything - allowed
    assert address() in targets[1]  # the cover links the site


def test_every_qr_code_opens_its_record_page_under_the_base_url(
    pdf_path: Path, record_pages: dict[str, int], shipped_catalog: Catalog
) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    zxingcpp = pytest.importorskip("zxingcpp")
    expected: dict[int, set[str]] = defaultdict(set)
    expected[1].add(address())
    for record in shipped_catalog.records:
        expected[record_pages[record.id]].add(record_address(record.id))
    document = pdfium.PdfDocument(pdf_path)
    decoded: dict[int, list[str]] = {}
    for number in range(1, len(document) + 1):
        image = document[number - 1].render(scale=2, grayscale=True).to_pil()
        codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        if codes:
            decoded[number] = sorted(code.text for code in codes)
    assert decoded == {page: sorted(codes) for page, codes in expected.items()}


def test_home_and_data_pages_link_the_pdf_with_its_size(printed_site: Path) -> None:
    size = format_size((printed_site / pdf.PDF_FILE).stat().st_size)
    link = f'<a href="{PRINT_PREFIX}catalogo.pdf">Catálogo para imprimir (PDF, {size})</a>'
    for page in ("index.html", "datos/index.html"):
        assert link in (printed_site / page).read_text(encoding="utf-8"), page


@pytest.mark.parametrize(
    ("url", "short"),
    [
        ("https://aula.lim.ilo.org/mod/page/view.php?id=207", "aula.lim.ilo.org/mod/page/view.php?id=207"),
        ("https://www.youtube.com/watch?v=JZOIuCIKbds", "youtube.com/watch?v=JZOIuCIKbds"),
        (
            "https://drive.google.com/drive/folders/11EONL8Ci_EkxLpV73s3R2MOlMh70e7M6",
            "drive.google.com/…/11EONL8Ci_EkxLpV73s3R2MOlMh70e7M6",
        ),
        (
            "https://cdn.www.gob.pe/uploads/document/file/4897235/Lecciones%20sobre%20el%20delito%20de%20trata%20de%20personas.pdf",
            "cdn.www.gob.pe/…/Lecciones sobre el delito de trata de pers…",
        ),
        ("https://oit.github.io/catalogo-trata/", "oit.github.io/catalogo-trata"),
    ],
)
def test_short_addresses_stay_recognizable(url: str, short: str) -> None:
    assert pdf.short_address(url) == short
    assert len(pdf.short_address(url)) <= pdf.SHORT_ADDRESS


def test_pdf_build_is_deterministic(tmp_path: Path) -> None:
    require_pdf()
    made = []
    for name in ("uno", "dos"):
        build_site(example_options(EXAMPLE, tmp_path / name, pdf=True))
        made.append((tmp_path / name / pdf.PDF_FILE).read_bytes())
    assert made[0] == made[1]


def test_a_mistake_in_the_pdf_template_names_its_file_and_line(tmp_path: Path) -> None:
    require_pdf()
    catalog, templates = copy_project(tmp_path)
    page = templates / "pdf" / "catalogo.html"
    lines = page.read_text(encoding="utf-8").splitlines()
    lines[9] = "{% if %}"
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CatalogError) as raised:
        build_site(example_options(catalog, tmp_path / "_site", templates_dir=templates, pdf=True))
    problem = raised.value.problems[0]
    assert problem.path.endswith("pdf/catalogo.html")
    assert problem.line == 10
    assert not (tmp_path / "_site").exists()


def test_the_pdf_reads_nothing_but_its_own_folder() -> None:
    require_pdf()
    folder = ROOT / "templates" / "pdf"
    fetch = pdf.local_fetcher(folder)
    assert fetch((folder / "catalogo.css").resolve().as_uri()) is not None
    outside = (folder / ".." / ".." / "pyproject.toml").as_uri()  # «..» kept in the address
    for url in ("file:///etc/passwd", outside, "https://example.org/imagen.png"):
        with pytest.raises(ValueError):
            fetch(url)


def run_build(out: Path, *extra: str, before: str = "") -> subprocess.CompletedProcess[str]:
    """`build` of the example catalog in a new process, after the Python in `before`."""
    arguments = ["build", "--catalog", str(EXAMPLE), "--out", str(out), "--sin-busqueda", *extra]
    script = (
        f"{before}\nimport sys\nfrom pathlib import Path\nfrom catalogo.cli import main\n"
        f"code = main({arguments!r}, Path({str(ROOT)!r}))\n"
        "print('MODULES', 'weasyprint' in sys.modules, 'segno' in sys.modules)\n"
        "sys.exit(code)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT
    )


def test_a_machine_without_pango_builds_the_site_and_says_why_there_is_no_pdf(
    tmp_path: Path,
) -> None:
    out = tmp_path / "_site"
    # As on Windows without Pango: WeasyPrint installs, but cannot load the library.
    no_pango = (
        "import cffi\n"
        "def refuse(self, name, *args, **kwargs):\n"
        "    raise OSError(f'cannot load library {name!r}')\n"
        "cffi.FFI.dlopen = refuse"
    )
    result = run_build(out, before=no_pango)
    assert result.returncode == 0, result.stderr
    assert "Sitio generado en" in result.stdout
    assert "Aviso: no se generó catalogo.pdf. WeasyPrint, que genera catalogo.pdf, necesita la biblioteca Pango" in result.stdout
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in result.stdout
    assert "El resto del sitio se generó; usa --sin-pdf para no intentarlo." in result.stdout
    assert "WeasyPrint could not import" not in result.stdout + result.stderr
    assert not (out / pdf.PDF_FILE).exists()
    assert "Catálogo para imprimir" not in (out / "index.html").read_text(encoding="utf-8")
    assert (out / "recursos" / "guia-de-prueba" / "qr.svg").is_file()


def test_sin_pdf_makes_no_print_files_and_never_loads_weasyprint(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    result = run_build(out, "--sin-pdf")
    assert result.returncode == 0, result.stderr
    assert "MODULES False False" in result.stdout  # neither WeasyPrint nor segno loaded
    assert not (out / pdf.PDF_FILE).exists()
    assert not list(out.glob("recursos/*/qr.svg"))
    assert "Catálogo para imprimir" not in (out / "index.html").read_text(encoding="utf-8")


def test_drafts_stay_out_of_the_published_pdf_and_are_marked_in_the_preview(
    tmp_path: Path,
) -> None:
    require_pdf()
    catalog, _ = copy_project(tmp_path)
    record = catalog / "guias" / "guia-de-prueba.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "borrador: true\n", "utf-8")
    texts = {}
    for preview in (False, True):
        out = tmp_path / f"sitio-{preview}"
        build_site(example_options(catalog, out, pdf=True, drafts=preview))
        reader = pypdf.PdfReader(out / pdf.PDF_FILE)
        texts[preview] = pdf_text(" ".join(page.extract_text() for page in reader.pages))
    title = "Guía de prueba: atención a víctimas"
    assert title not in texts[False]
    assert "Borrador" not in texts[False]
    assert f"{title} Borrador: solo está en la vista previa; no se publica." in texts[True]
