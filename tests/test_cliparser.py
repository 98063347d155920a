"""argparse in Spanish: help and usage lines, and each argparse error as a Spanish sentence
with a «¿Quisiste decir…?», as editors meet them on the command line (`python3 build.py`)
and as another command's parser would get them."""

from __future__ import annotations

import re

import pytest

from catalogo.cliparser import SpanishParser
from tests.support import run

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


def parse_error(parser: SpanishParser, args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as stopped:
        parser.parse_args(args)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("uso: prueba")
    return err.splitlines()[-1]


def test_errors_of_any_parser_are_spanish(capsys: pytest.CaptureFixture[str]) -> None:
    parser = SpanishParser(prog="prueba")
    both = parser.add_mutually_exclusive_group()
    both.add_argument("--rapido", action="store_true")
    both.add_argument("--lento", action="store_true")
    parser.add_argument("--nivel", type=float)
    parser.add_argument("--modo", choices=["texto", "github"])
    assert parse_error(parser, ["--rapido", "--lento"], capsys) == (
        "prueba: error: la opción --lento no se puede usar junto con --rapido"
    )
    assert parse_error(parser, ["--nivel", "alto"], capsys) == (
        "prueba: error: la opción --nivel espera un número, no «alto»"
    )
    assert parse_error(parser, ["--modo", "txt"], capsys) == (
        "prueba: error: «txt» no es un valor válido para --modo. ¿Quisiste decir «texto»? "
        "Valores: «texto», «github»"
    )
    assert not ARGPARSE_ENGLISH.search(capsys.readouterr().err)


def test_the_help_of_any_parser_is_spanish(capsys: pytest.CaptureFixture[str]) -> None:
    parser = SpanishParser(prog="prueba", description="Una prueba.")
    parser.add_argument("archivo")
    with pytest.raises(SystemExit):
        parser.parse_args(["--help"])
    shown = capsys.readouterr().out
    assert shown.startswith("uso: prueba [-h] archivo")
    assert "argumentos:" in shown and "opciones:" in shown
    assert "-h, --help  muestra esta ayuda y termina" in shown
    assert not ARGPARSE_ENGLISH.search(shown)
