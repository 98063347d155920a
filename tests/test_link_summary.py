"""What a reader sees beside each access button, from the link facts (catalog/_enlaces.yaml,
written by `links`), and how the build loads that file: absent, fine, or with mistakes
reported with the file and line among the catalog's other problems."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from catalogo.catalog import FormatEntry, LinkFact
from catalogo.linksummary import format_size, summarize_link
from catalogo.loader import load_catalog
from catalogo.models import Link
from catalogo.pipeline import build_site
from catalogo.problems import CatalogError, report
from tests.conftest import EXAMPLE, example_options

FORMATS = {
    "pdf": FormatEntry(nombre="PDF", etiqueta="Descargar PDF", tipos_mime=["application/pdf"]),
    "web": FormatEntry(nombre="Página web", etiqueta="Abrir página", tipos_mime=["text/html"]),
    "aula-virtual": FormatEntry(nombre="Aula virtual", etiqueta="Abrir", tipos_mime=["text/html"]),
    "documento": FormatEntry(nombre="Documento en línea", etiqueta="Abrir documento"),
}
DAY = datetime.date(2026, 11, 30)


def fact(tipo: str | None, size: int | None = None, final: str | None = None) -> LinkFact:
    return LinkFact(tipo=tipo, bytes=size, comprobado=DAY, final=final)


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (1, "1\u00a0KB"),
        (500, "1\u00a0KB"),
        (870_000, "850\u00a0KB"),
        (1_000_000, "977\u00a0KB"),
        (1_048_576, "1,0\u00a0MB"),
        (2_412_345, "2,3\u00a0MB"),
        (9_950_000, "9,5\u00a0MB"),
        (15_728_640, "15\u00a0MB"),
        (3 * 1024**3, "3,0\u00a0GB"),
    ],
)
def test_sizes_read_as_a_phone_shows_them(size: int, shown: str) -> None:
    assert format_size(size) == shown


def test_a_pdf_says_its_size_and_a_page_says_what_and_where() -> None:
    pdf = Link(url="https://www.gob.pe/guia.pdf", formato="pdf")
    summary = summarize_link(pdf, fact("application/pdf", 2_412_345), FORMATS)
    assert (summary.what, summary.size, summary.where) == ("PDF", "2,3\u00a0MB", "gob.pe")
    course = Link(url="https://aula.lim.ilo.org/mod/page/view.php?id=207", formato="aula-virtual")
    summary = summarize_link(course, fact("text/html", 51_234), FORMATS)
    assert (summary.what, summary.size, summary.where) == (
        "Aula virtual",
        None,  # a page's length says nothing a reader can use
        "aula.lim.ilo.org",
    )


def test_without_facts_no_size_is_invented() -> None:
    pdf = Link(url="https://cdn.www.gob.pe/uploads/x.pdf", formato="pdf")
    summary = summarize_link(pdf, None, FORMATS)
    assert (summary.what, summary.size, summary.where) == ("PDF", None, "cdn.www.gob.pe")


def test_the_content_type_corrects_a_format_that_contradicts_it() -> None:
    page = Link(url="https://example.org/informe", formato="web")
    summary = summarize_link(page, fact("application/pdf", 1_048_576), FORMATS)
    assert (summary.what, summary.size) == ("PDF", "1,0\u00a0MB")
    unknown = Link(url="https://example.org/x")
    assert summarize_link(unknown, fact("application/pdf", 10), FORMATS).what == "PDF"
    assert summarize_link(unknown, None, FORMATS).what is None


def test_a_format_without_declared_types_keeps_its_name() -> None:
    document = Link(url="https://docs.google.com/document/d/x/edit", formato="documento")
    summary = summarize_link(document, fact("text/html"), FORMATS)
    assert (summary.what, summary.size) == ("Documento en línea", None)


def test_a_redirect_shows_where_the_link_ends() -> None:
    link = Link(url="https://bit.example/abc", formato="pdf")
    summary = summarize_link(
        link, fact("application/pdf", 2048, final="https://www.gob.pe/a.pdf"), FORMATS
    )
    assert summary.where == "gob.pe"


def test_the_example_site_shows_the_facts_of_its_fixture_file(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    build_site(example_options(EXAMPLE, out))
    guide = (out / "recursos" / "guia-de-prueba" / "index.html").read_text(encoding="utf-8")
    assert '<span class="fuente" id="enlace-1">PDF · 2,3\u00a0MB</span>' in guide
    assert 'aria-describedby="enlace-1">Descargar PDF</a>' in guide
    spots = (out / "recursos" / "spot-es" / "index.html").read_text(encoding="utf-8")
    assert "Carpeta · archivo.example.net" in spots  # where the redirects ended
    quechua = (out / "recursos" / "spot-quz" / "index.html").read_text(encoding="utf-8")
    assert "Carpeta · example.org" in quechua  # no facts: format and host, no size


def test_without_the_file_the_catalog_has_no_facts(example_catalog: Path) -> None:
    (example_catalog / "_enlaces.yaml").unlink()
    assert load_catalog(example_catalog).catalog.link_facts == {}


def test_the_facts_file_loads() -> None:
    facts = load_catalog(EXAMPLE).catalog.link_facts
    assert facts["https://example.org/guia.pdf"].bytes == 2_412_345
    assert facts["https://example.org/spots-es/"].final == "https://archivo.example.net/spots-es/"


def test_a_malformed_facts_file_is_reported_with_file_and_line(example_catalog: Path) -> None:
    (example_catalog / "_enlaces.yaml").write_text(
        '"https://example.org/guia.pdf":\n'
        "  tipo: application/pdf\n"
        "  bytes: mucho\n"
        "  comprobado: 2026-11-30\n"
        '"ftp://example.org/x":\n'
        "  comprobado: 2026-11-30\n"
        '"https://example.org/y":\n'
        "  tipo: text/html\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogError) as caught:
        load_catalog(example_catalog)
    lines = report(caught.value.problems).splitlines()
    assert any(
        "_enlaces.yaml:3: https://example.org/guia.pdf.bytes: debe ser un número entero, sin "
        "comillas ni decimales (por ejemplo 2021); este archivo lo escribe «python3 build.py "
        "links»: bórralo y vuelve a ejecutarlo" in line
        for line in lines
    ), lines
    assert any("_enlaces.yaml:5: ftp://example.org/x: la dirección debe empezar con https://"
               in line for line in lines), lines
    assert any("_enlaces.yaml:7: https://example.org/y.comprobado: falta el campo obligatorio "
               "«comprobado»" in line for line in lines), lines


def test_a_facts_file_that_is_not_a_mapping_says_how_to_remake_it(example_catalog: Path) -> None:
    (example_catalog / "_enlaces.yaml").write_text("- https://example.org/a.pdf\n", "utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog(example_catalog)
    (problem,) = caught.value.problems
    assert problem.path.endswith("_enlaces.yaml") and problem.line == 1
    assert "python3 build.py links" in problem.message
