"""The command contract, run as editors run it: `python3 build.py <command>`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_validate_strict_fails_on_warnings_and_its_last_line_says_so(tmp_path: Path) -> None:
    result = run("validate", "--catalog", EXAMPLE, "--strict")
    assert result.returncode == 1
    assert "aviso" in result.stderr
    assert "Catálogo válido" not in result.stdout
    assert result.stderr.splitlines()[-1] == (
        "Falla la validación estricta (--strict): 3 avisos en 2 archivos; con --strict los "
        "avisos cuentan como problemas."
    )


def test_validate_given_files_checks_just_those(tmp_path: Path) -> None:
    record = EXAMPLE / "guias" / "guia-de-prueba.yaml"
    result = run("validar", "--catalog", EXAMPLE, record)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Sin errores en tests/data/ejemplo/guias/guia-de-prueba.yaml."
    assert result.stderr == ""
    videos = run("validate", "--catalog", EXAMPLE, EXAMPLE / "videos")
    assert "videos/video-de-prueba.yaml:1: aviso" in videos.stderr
    assert "guia-de-prueba" not in videos.stderr


def test_validate_given_a_good_file_in_a_broken_catalog_says_the_file_is_fine() -> None:
    good = DATA / "invalido" / "guias" / "anio-malo.yaml"
    result = run("validate", "--catalog", DATA / "invalido", good)
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        "tests/data/invalido/guias/anio-malo.yaml:3: anio: el año 20211 está fuera de rango; "
        "escribe un año de cuatro cifras entre 1900 y 2100, por ejemplo 2021",
        "tests/data/invalido/guias/anio-malo.yaml:4: publico[2]: «fiscalias» no es un público "
        "conocido. ¿Quisiste decir «fiscalia»? Valores válidos: «fiscalia», «policia» (para "
        "añadir uno, edita _publicos.yaml)",
    ]
    assert "Otros 10 archivos del catálogo tienen problemas" in result.stderr
    missing = run("validate", "--catalog", EXAMPLE, "no-existe.yaml")
    assert missing.returncode == 1
    assert "no-existe.yaml: no existe este archivo" in missing.stderr


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


# argparse's own English words: an editor must never see them.
ARGPARSE_ENGLISH = re.compile(
    r"usage:|positional arguments|options:|show this help|required|invalid choice|"
    r"choose from|unrecognized arguments|expected one argument|invalid int value"
)


def test_help_lists_every_command_in_spanish_with_its_spanish_name() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("uso: build.py")
    assert not ARGPARSE_ENGLISH.search(result.stdout)
    for english, spanish in [
        ("serve", "servir"),
        ("build", "construir"),
        ("validate", "validar"),
        ("new", "nuevo"),
        ("schema", "esquema"),
        ("links", "enlaces"),
        ("test", "pruebas"),
    ]:
        assert f"{english} ({spanish})" in result.stdout
    serve_help = run("servir", "--help")
    assert "--sin-navegador" in serve_help.stdout and "muestra esta ayuda" in serve_help.stdout
    assert not ARGPARSE_ENGLISH.search(serve_help.stdout)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["servr"],
            "build.py: error: «servr» no es un comando. ¿Quisiste decir «servir»? Comandos: serve "
            "(servir), build (construir), validate (validar), new (nuevo), schema (esquema), cms "
            "(editor), links (enlaces), test (pruebas)",
        ),
        (["validr"], "«validr» no es un comando. ¿Quisiste decir «validar»?"),
        (["new", "Título"], "faltan argumentos obligatorios: --seccion, --tipo"),
        (
            ["build", "--sin-busqeda"],
            "argumentos no reconocidos: --sin-busqeda. ¿Quisiste decir «--sin-busqueda»?",
        ),
        (["validar", "--catalg", "x"], "--catalg. ¿Quisiste decir «--catalog»?"),
        (["serve", "--port", "ocho"], "la opción --port espera un número entero, no «ocho»"),
        (["serve", "--port"], "la opción --port necesita un valor"),
        (
            ["validate", "--format", "githb"],
            "«githb» no es un valor válido para --format. ¿Quisiste decir «github»? Valores: "
            "«text», «github»",
        ),
        ([], "uso: build.py"),
    ],
)
def test_usage_errors_are_spanish_with_a_suggestion(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert not ARGPARSE_ENGLISH.search(result.stderr), result.stderr
    assert "Traceback" not in result.stderr


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
