"""Reader copy on every page of the shipped catalog: no editor or librarian wording, one
spelling of «video», citation files folded under «Citar», one search box on the 404 page,
sections named in readers' words, no year placeholder. (Quechua titles are marked in
test_pages.py.)"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

# Wording that belongs to editors, librarians or the project, never to readers' pages.
FORBIDDEN = [
    "La fuente no indica",
    "la fuente no",
    "s. f.",
    "Sin año",
    "Para: ",
    "Novedades (Atom)",
    "UTF-8 con BOM",
    "null",
    "publico_inferido",
    "notas_editoriales",
    "nota editorial",
    "vídeo",
]


class VisibleText(HTMLParser):
    """The text a reader can see (no scripts; no field names in <code>, which the open-data
    page documents), with the APA reference taken apart: it is the one place where «s. f.»
    belongs (APA's «sin fecha»)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.citation: list[str] = []
        self.skip = 0
        self.in_citation = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag in ("script", "style", "code"):
            self.skip += 1
        if tag == "p" and "cita" in classes:
            self.in_citation += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "code"):
            self.skip -= 1
        if tag == "p" and self.in_citation:
            self.in_citation -= 1

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        (self.citation if self.in_citation else self.parts).append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def pages_of(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(site.rglob("*.html"))
    }


def test_no_editor_or_librarian_wording_reaches_readers(shipped_site: Path) -> None:
    found = []
    for name, html in pages_of(shipped_site).items():
        text = visible_text(html)
        found += [(name, word) for word in FORBIDDEN if word in text]
    assert found == []


def test_citation_files_are_folded_under_one_citar_disclosure(shipped_site: Path) -> None:
    for name, html in pages_of(shipped_site).items():
        if not name.startswith("recursos/"):
            assert "cita.ris" not in html, name
            continue
        folded = re.search(r'<details class="citar">.*?</details>', html, re.DOTALL)
        assert folded and "<summary>Citar</summary>" in folded.group(0), name
        assert html.count("cita.ris") == folded.group(0).count("cita.ris") == 1, name


def test_the_404_page_has_one_search_box(shipped_site: Path) -> None:
    html = (shipped_site / "404.html").read_text(encoding="utf-8")
    assert html.count('type="search"') == 1


def test_sections_are_named_in_readers_words(shipped_site: Path) -> None:
    home = (shipped_site / "index.html").read_text(encoding="utf-8")
    menu = re.search(r'<nav aria-label="Principal">.*?</nav>', home, re.DOTALL)
    assert menu
    names = re.findall(r">([^<>]+)</a>", menu.group(0))
    assert names == [
        "Por público",
        "Por tipo",
        "Investigación y sanción",
        "Atención y protección",
        "Políticas y gestión",
        "Videos y spots",
        "Acerca",
    ]
    assert home.index("¿Quién eres?") < home.index("Secciones del catálogo")
    assert home.index("Secciones del catálogo") < home.index("Por tipo de recurso")
    assert home.index("Por tipo de recurso") < home.index("Lo más reciente")
    section = (shipped_site / "objetivo-1" / "index.html").read_text(encoding="utf-8")
    assert '<h1><span class="rotulo">Objetivo 1</span> Investigación y sanción</h1>' in section


def test_no_record_without_year_shows_a_year_placeholder(shipped_site: Path) -> None:
    page = (shipped_site / "recursos" / "documental-iml" / "index.html").read_text("utf-8")
    assert "<dt>Año</dt>" not in page
    assert 'data-pagefind-filter="Año"' not in page
    index = visible_text((shipped_site / "anios" / "index.html").read_text("utf-8"))
    assert "Sin fecha de publicación" in index
