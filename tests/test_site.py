"""The tiny example site against its golden output, and site-wide properties."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from catalogo.pipeline import build_site
from catalogo.problems import CatalogError
from tests.conftest import DATA, EXAMPLE, example_options

GOLDEN = DATA / "ejemplo.golden"
SKIP = {".catalogo-sitio", ".catalogo-manifiesto.json"}
# Static files are copied as they are; Pagefind's index is not byte-for-byte deterministic.
# The browser editor's page and configuration are generated; its scripts, styles and the
# vendored editor are copied as they are, and tests/test_cms.py checks them.
ADMIN_GENERATED = {"admin/index.html", "admin/config.json"}


def generated_files(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file()
        and path.name not in SKIP
        and not path.relative_to(site).as_posix().startswith(("static/", "pagefind/"))
        and (
            not path.relative_to(site).as_posix().startswith("admin/")
            or path.relative_to(site).as_posix() in ADMIN_GENERATED
        )
    }


def test_example_site_matches_golden_output(built_example: Path) -> None:
    files = generated_files(built_example)
    if os.environ.get("CATALOGO_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, data in files.items():
            target = GOLDEN / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    expected = generated_files(GOLDEN)
    assert sorted(files) == sorted(expected)
    for name, data in files.items():
        assert data == expected[name], f"{name} differs from tests/data/ejemplo.golden/{name}"


def test_build_is_deterministic(tmp_path: Path) -> None:
    first = tmp_path / "uno"
    second = tmp_path / "dos"
    build_site(example_options(EXAMPLE, first))
    build_site(example_options(EXAMPLE, second))
    assert generated_files(first) == generated_files(second)


def test_open_data_export_lists_every_record(built_example: Path) -> None:
    data = json.loads((built_example / "datos" / "catalogo.json").read_text(encoding="utf-8"))
    assert [item["id"] for item in data] == [
        "guia-de-prueba",
        "spot-es",
        "spot-quz",
        "video-de-prueba",
    ]
    guide = data[0]
    for key in (
        "id",
        "titulo",
        "seccion",
        "tipo",
        "anio",
        "idioma",
        "publico",
        "descripcion",
        "enlaces",
    ):
        assert key in guide
    assert guide["anio"] == 2021
    assert guide["enlaces"] == [{"url": "https://example.org/guia.pdf", "formato": "pdf"}]
    assert data[3]["anio"] is None


def test_every_record_has_its_page(built_example: Path) -> None:
    for record_id in ("guia-de-prueba", "spot-es", "spot-quz", "video-de-prueba"):
        page = (built_example / "recursos" / record_id / "index.html").read_text(encoding="utf-8")
        assert "<h1" in page


def test_base_url_prefixes_every_internal_link(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    build_site(example_options(EXAMPLE, out, base_url="catalogo-trata"))
    page = (out / "recursos" / "guia-de-prueba" / "index.html").read_text(encoding="utf-8")
    assert 'href="/catalogo-trata/static/estilo.css"' in page
    assert 'href="/catalogo-trata/recursos/video-de-prueba/"' in page
    assert 'href="/recursos/' not in page
    assert "https://ejemplo.org/catalogo-trata/recursos/guia-de-prueba/" in page


def test_a_failed_build_leaves_the_previous_site_untouched(
    example_catalog: Path, tmp_path: Path
) -> None:
    out = tmp_path / "_site"
    build_site(example_options(example_catalog, out))
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    (example_catalog / "guias" / "guia-de-prueba.yaml").write_text(
        "titulo: [roto\n", encoding="utf-8"
    )
    with pytest.raises(CatalogError):
        build_site(example_options(example_catalog, out))
    after = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site", "catalogo"]


def test_template_mistakes_are_reported_with_file_and_line(
    example_catalog: Path, tmp_path: Path
) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(Path("templates"), templates)
    page = templates / "about.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "{{ info.nota_reuso }}", "{{ info.nota_reusar }}", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(CatalogError) as caught:
        build_site(example_options(example_catalog, tmp_path / "_site", templates_dir=templates))
    problem = caught.value.problems[0]
    assert problem.path.endswith("templates/about.html")
    assert problem.line is not None and problem.line > 1
    assert "nota_reusar" in problem.message
    assert not (tmp_path / "_site").exists()


def test_descriptions_cannot_inject_markup(example_catalog: Path, tmp_path: Path) -> None:
    path = example_catalog / "guias" / "guia-de-prueba.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "Una guía para **policías** y fiscales.",
        "<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))",
    )
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "_site"
    build_site(example_options(example_catalog, out))
    page = (out / "recursos" / "guia-de-prueba" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page
    assert "onerror" not in page
    assert "javascript:" not in page
