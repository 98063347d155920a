"""What a reader sees beside each access button, from the link facts (catalog/_enlaces.yaml,
written by `links`): what the link opens, its size for a download, and where it ends.
(How the build loads that file is tested in test_loader.py.)"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from catalogo.catalog import FormatEntry, LinkFact
from catalogo.linksummary import format_size, summarize_link
from catalogo.models import Link

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


def test_the_example_site_shows_the_facts_of_its_fixture_file(example_site: Path) -> None:
    out = example_site
    guide = (out / "recursos" / "guia-de-prueba" / "index.html").read_text(encoding="utf-8")
    assert '<span class="fuente" id="enlace-1">PDF · 2,3\u00a0MB</span>' in guide
    assert 'aria-describedby="enlace-1">Descargar PDF</a>' in guide
    spots = (out / "recursos" / "spot-es" / "index.html").read_text(encoding="utf-8")
    assert "Carpeta · archivo.example.net" in spots  # where the redirects ended
    quechua = (out / "recursos" / "spot-quz" / "index.html").read_text(encoding="utf-8")
    assert "Carpeta · example.org" in quechua  # no facts: format and host, no size
