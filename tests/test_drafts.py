"""Drafts (borrador: true): seen in the preview with a mark, absent from everything the
published build makes (pages, lists, exports, feed, sitemap, search index)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from catalogo.pipeline import build_site
from catalogo.serve import preview_build
from tests.conftest import ROOT, example_options
from tests.test_cli import run

DRAFT = "video-de-prueba"


@pytest.fixture
def with_draft(example_catalog: Path) -> Path:
    """The example catalog with one record marked as a draft; another record names it in
    `relacionados` (guia-de-prueba)."""
    record = example_catalog / "videos" / f"{DRAFT}.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "borrador: true\n", encoding="utf-8")
    return example_catalog


def site_text(out: Path) -> str:
    """Every text file of a built site, search fragments decompressed."""
    parts = []
    for path in sorted(out.rglob("*")):
        if path.suffix in (".html", ".xml", ".json", ".csv", ".bib", ".ris", ".txt"):
            parts.append(path.read_text(encoding="utf-8"))
        elif path.suffix == ".pf_fragment":
            parts.append(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
    return "\n".join(parts)


def test_a_published_build_leaves_a_draft_out_of_everything(with_draft: Path, tmp_path: Path) -> None:
    out = tmp_path / "_site"
    report = build_site(example_options(with_draft, out, search=True, base_url="/catalogo/"))
    assert report.records == 3 and report.drafts == 1
    assert not (out / "recursos" / DRAFT).exists()
    text = site_text(out)
    assert list(out.glob("pagefind/fragment/*.pf_fragment")), "the search index was built"
    assert DRAFT not in text, "no page, export, feed, sitemap or search entry names the draft"
    assert "Video de prueba" not in text
    guide = (out / "recursos" / "guia-de-prueba" / "index.html").read_text(encoding="utf-8")
    assert "Guía de prueba" in guide, "a record naming the draft builds, without that link"


def test_the_preview_shows_a_draft_with_its_mark(with_draft: Path, tmp_path: Path) -> None:
    out = tmp_path / "_site"
    report = build_site(preview_build(example_options(with_draft, out)))
    assert report.records == 4 and report.drafts == 0
    page = (out / "recursos" / DRAFT / "index.html").read_text(encoding="utf-8")
    assert '<p class="borrador-aviso"><strong>Borrador</strong>' in page
    listing = (out / "videos" / "index.html").read_text(encoding="utf-8")
    assert '<span class="borrador">Borrador</span>' in listing
    published = (ROOT / "tests" / "data" / "ejemplo.golden" / "videos" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "borrador" not in published


def test_validate_and_build_say_what_is_left_out(with_draft: Path, tmp_path: Path) -> None:
    validate = run("validate", "--catalog", with_draft)
    assert validate.returncode == 0, validate.stderr
    assert "Catálogo válido: 4 registros en 2 secciones (1 borrador, sin publicar)." in validate.stdout
    assert (
        f"relacionados[1]: «{DRAFT}» es un borrador: el sitio publicado no muestra este "
        "relacionado hasta que se publique" in validate.stderr
    )
    build = run("build", "--catalog", with_draft, "--out", tmp_path / "_site", "--sin-busqueda")
    assert build.returncode == 0, build.stderr
    assert "3 registros (1 en borrador, sin publicar)" in build.stdout
