"""The command contract, run as editors run it: `python3 build.py <command>`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support import DATA, EXAMPLE, ROOT, run


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


def test_missing_catalog_folder_is_a_clear_problem(tmp_path: Path) -> None:
    result = run("validate", "--catalog", tmp_path / "no-existe")
    assert result.returncode == 1
    assert "no existe la carpeta del catálogo" in result.stderr


def test_spanish_and_english_command_names_do_the_same(tmp_path: Path) -> None:
    english = run("build", "--catalog", EXAMPLE, "--out", tmp_path / "a", "--sin-busqueda")
    spanish = run("construir", "--catalog", EXAMPLE, "--out", tmp_path / "b", "--sin-busqueda")
    assert english.returncode == spanish.returncode == 0
    assert (tmp_path / "a" / "index.html").read_bytes() == (tmp_path / "b" / "index.html").read_bytes()


def test_the_test_command_passes_pytest_options_through(tmp_path: Path) -> None:
    """`build.py test -k X` runs ruff, mypy and then pytest with `-k X`, as the README says.
    Here a fake tool stands in for all three, recording what it was asked."""
    from catalogo.cli import main

    calls: list[list[str]] = []

    class Done:
        returncode = 0

    def record(command: list[str], cwd: Path) -> Done:
        calls.append(command[1:])
        return Done()

    import catalogo.cli as cli

    original = cli.subprocess.run
    cli.subprocess.run = record  # type: ignore[assignment]
    try:
        assert main(["test", "-k", "catalogo", "--co", "-q"], project_root=ROOT) == 0
    finally:
        cli.subprocess.run = original
    assert calls == [
        ["-m", "ruff", "check", "."],
        ["-m", "mypy"],
        ["-m", "pytest", "-k", "catalogo", "--co", "-q"],
    ]


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / (
        "catalogo.exe" if sys.platform == "win32" else "catalogo"
    )
    assert script.exists()
    result = subprocess.run(
        [str(script), "validate", "--catalog", str(EXAMPLE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
