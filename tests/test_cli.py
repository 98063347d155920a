"""The command contract, run as editors run it: `python3 build.py <command>`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import DATA, EXAMPLE, ROOT


def run(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )


def test_validate_reports_every_problem_and_exits_1_without_traceback() -> None:
    result = run("validate", "--catalog", DATA / "invalido")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    expected = (DATA / "invalido.esperado.txt").read_text(encoding="utf-8")
    assert result.stderr == expected


def test_validate_github_format_prints_annotations() -> None:
    result = run("validate", "--catalog", DATA / "invalido", "--format", "github")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::error file=tests/data/invalido/guias/Mayusculas.yaml::")
    assert (
        "::error file=tests/data/invalido/guias/anio-malo.yaml,line=3::anio: el año 20211"
        in result.stdout
    )


def test_validate_valid_catalog_exits_0() -> None:
    result = run("validate", "--catalog", EXAMPLE)
    assert result.returncode == 0, result.stderr
    assert "Catálogo válido: 4 registros en 2 secciones." in result.stdout


def test_validate_strict_fails_on_warnings(tmp_path: Path) -> None:
    result = run("validate", "--catalog", EXAMPLE, "--strict")
    assert result.returncode == 1
    assert "aviso" in result.stderr


def test_build_writes_the_site_and_a_failed_build_keeps_it(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    result = run("build", "--catalog", EXAMPLE, "--out", out, "--sin-busqueda")
    assert result.returncode == 0, result.stderr
    assert "Sitio generado en" in result.stdout
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    failed = run("build", "--catalog", DATA / "invalido", "--out", out)
    assert failed.returncode == 1
    assert "19 problemas en 11 archivos" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == before


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


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("serve", "test", "build", "validate", "new", "schema", "links"):
        assert command in result.stdout


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
