"""The commands as editors run them (`python3 build.py build ...`): what `build` writes and
says, and how a mistake in its options is told. (`validate`: test_review.py; `new`:
test_scaffold.py; `links`: test_linkcheck.py; `cms`: test_cms.py; `schema`:
test_schema.py; `serve`: test_serve.py.)"""

from __future__ import annotations

from pathlib import Path

from tests.support import DATA, EXAMPLE, run


def test_build_writes_the_site_and_a_failed_build_keeps_it(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    result = run("build", "--catalog", EXAMPLE, "--out", out, "--sin-busqueda")
    assert result.returncode == 0, result.stderr
    assert "Sitio generado en" in result.stdout
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    failed = run("build", "--catalog", DATA / "invalido", "--out", out)
    assert failed.returncode == 1
    assert "20 problemas en 11 archivos" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == before


def test_build_says_what_drafts_leave_out(example_catalog: Path, tmp_path: Path) -> None:
    record = example_catalog / "videos" / "video-de-prueba.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "borrador: true\n", encoding="utf-8")
    build = run("build", "--catalog", example_catalog, "--out", tmp_path / "_site", "--sin-busqueda")
    assert build.returncode == 0, build.stderr
    assert "3 registros (1 en borrador, sin publicar)" in build.stdout


def test_build_with_search_writes_the_pagefind_bundle(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    result = run("build", "--catalog", EXAMPLE, "--out", out, "--base-url", "/catalogo-trata/")
    assert result.returncode == 0, result.stderr
    assert (out / "pagefind" / "pagefind.js").is_file()
    assert (out / "pagefind" / "pagefind-entry.json").is_file()


def test_bad_base_url_is_a_clear_problem(tmp_path: Path) -> None:
    result = run(
        "build", "--catalog", EXAMPLE, "--out", tmp_path / "_site", "--base-url", "https://x.org/a/"
    )
    assert result.returncode == 1
    assert "debe ser solo una ruta" in result.stderr
