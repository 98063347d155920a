"""The build's print step: catalogo.pdf is made only when something it shows changed (the
published site's manifest says what its PDF was made from), beside the pages; while serve
publishes an edit first, the last PDF stays until the follow-up build makes the new one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from catalogo import pdf, printing
from catalogo.incremental import Memo
from catalogo.pipeline import BuildReport, build_site
from tests.support import copy_project, edit, example_options, pdf_text, require_pdf

pypdf = pytest.importorskip("pypdf")


class Renders:
    """Counts the PDFs made, in whichever process makes them (printing.py forks one)."""

    def __init__(self, log: Path) -> None:
        self.log = log

    def __len__(self) -> int:
        return len(self.log.read_text(encoding="utf-8")) if self.log.exists() else 0


def count_renders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Renders:
    renders = Renders(tmp_path / "pdf-hechos.txt")
    real = pdf.render_pdf

    def counted(*args: Any, **kwargs: Any) -> bytes:
        with renders.log.open("a", encoding="utf-8") as log:
            log.write("x")
        return real(*args, **kwargs)

    monkeypatch.setattr(printing, "render_pdf", counted)
    return renders


def test_pdf_is_made_again_only_when_something_it_shows_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each build runs as `build` does: with nothing kept from the previous one but the site
    itself, whose manifest says what its PDF was made from."""
    require_pdf()
    catalog, templates = copy_project(tmp_path)
    out = tmp_path / "_site"
    options = example_options(catalog, out, templates_dir=templates, pdf=True)
    calls = count_renders(monkeypatch, tmp_path)

    def build() -> bytes:
        build_site(options)
        return (out / pdf.PDF_FILE).read_bytes()

    first = build()
    assert len(calls) == 1
    assert build() == first
    assert build() == first  # the spare folder holds it too: kept, not made
    assert len(calls) == 1
    home = templates / "home.html"
    home.write_text(home.read_text(encoding="utf-8") + "{# otro comentario #}\n", "utf-8")
    assert build() == first  # the home page is not part of the PDF
    assert len(calls) == 1
    assert "Catálogo para imprimir (PDF, " in (out / "index.html").read_text(encoding="utf-8")
    edit(catalog / "guias" / "guia-de-prueba.yaml", 'titulo: "', 'titulo: "Nueva edición de la ')
    changed = build()
    assert len(calls) == 2
    assert "Nueva edición de la" in pdf_text(
        " ".join(p.extract_text() for p in pypdf.PdfReader(out / pdf.PDF_FILE).pages)
    )
    assert changed != first


def test_serve_shows_the_pages_first_and_makes_the_pdf_right_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_pdf()
    catalog, _ = copy_project(tmp_path)
    out = tmp_path / "_site"
    options = example_options(catalog, out, pdf=True)
    memo = Memo()
    calls = count_renders(monkeypatch, tmp_path)

    def quick() -> BuildReport:
        with memo.publishing_first():
            return build_site(options, memo)

    report = quick()
    assert report.stale and not len(calls)  # the pages first, even the very first time
    assert not (out / pdf.PDF_FILE).exists()
    assert "Catálogo para imprimir" not in (out / "index.html").read_text(encoding="utf-8")
    build_site(options, memo)  # what serve runs right after
    assert len(calls) == 1
    first = (out / pdf.PDF_FILE).read_bytes()
    assert "Catálogo para imprimir" in (out / "index.html").read_text(encoding="utf-8")
    edit(catalog / "guias" / "guia-de-prueba.yaml", 'titulo: "', 'titulo: "Nueva edición de la ')
    report = quick()
    assert len(calls) == 1
    assert report.stale  # serve calls the full build next
    assert quick().stale  # still, until then
    assert (out / pdf.PDF_FILE).read_bytes() == first
    build_site(options, memo)
    assert len(calls) == 2
    assert (out / pdf.PDF_FILE).read_bytes() != first
