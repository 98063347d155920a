"""Command line: `python3 build.py <command>` or `catalogo <command>`.

Every command is one entry of COMMANDS: its English name (checks and CI use it), its
Spanish name, its help, the function that adds its options and the one that runs it. A new
command is one more entry; its two functions are in commands.py (but `test`'s, here). Help,
usage lines and argument errors are Spanish (cliparser.py).

Problems in the catalog print as `file:line: field: message` lines and exit with status 1,
without a traceback. Anything else that goes wrong is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from catalogo.cliparser import SpanishParser
from catalogo.commands import (
    add_build_arguments,
    add_cms_arguments,
    add_links_arguments,
    add_new_arguments,
    add_schema_arguments,
    add_serve_arguments,
    add_validate_arguments,
    run_build,
    run_cms,
    run_links,
    run_new,
    run_schema,
    run_serve,
    run_validate,
)
from catalogo.problems import CatalogError, Problem, report

EXIT_PROBLEMS = 1
TEST_COMMAND = "test"


@dataclass(frozen=True)
class Command:
    name: str  # English: scripts, CI and the README use it
    spanish: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser, Path], None]
    run: Callable[[argparse.Namespace, Path], int]


# test: here, because parse_arguments hands it everything typed after its name -----------


def add_test_arguments(command: argparse.ArgumentParser, root: Path) -> None:
    command.add_argument(
        "pytest_args",
        nargs=argparse.REMAINDER,
        metavar="argumentos de pytest",
        help="se pasan a pytest tal cual, p. ej. -k catalogo",
    )


def run_test_command(args: argparse.Namespace, root: Path) -> int:
    return run_tests(root, args.pytest_args)


def run_tests(root: Path, extra: Sequence[str]) -> int:
    """ruff, mypy (strict on src/) and pytest, each run even if an earlier one failed."""
    python = sys.executable
    steps = [
        ("ruff", [python, "-m", "ruff", "check", "."]),
        ("mypy", [python, "-m", "mypy"]),
        ("pytest", [python, "-m", "pytest", *extra]),
    ]
    failed = []
    for name, command in steps:
        print(f"== {name}: {' '.join(command[1:])}", flush=True)
        code = subprocess.run(command, cwd=root).returncode
        if code != 0:
            failed.append(f"{name} (código {code})")
    if failed:
        print(f"Fallaron: {', '.join(failed)}", file=sys.stderr)
        return 1
    print("Todo en orden: ruff, mypy y pytest pasaron.")
    return 0


COMMANDS: tuple[Command, ...] = (
    Command(
        "serve",
        "servir",
        "genera el sitio, lo abre en el navegador y lo actualiza al guardar",
        add_serve_arguments,
        run_serve,
    ),
    Command("build", "construir", "genera el sitio en _site/", add_build_arguments, run_build),
    Command(
        "validate",
        "validar",
        "revisa el catálogo (o solo los archivos indicados) sin generar nada",
        add_validate_arguments,
        run_validate,
    ),
    Command("new", "nuevo", "crea un registro nuevo a partir de un título", add_new_arguments, run_new),
    Command(
        "schema", "esquema", "regenera el JSON Schema de schema/", add_schema_arguments, run_schema
    ),
    Command(
        "cms",
        "editor",
        "regenera la configuración del editor en el navegador (schema/cms.json)",
        add_cms_arguments,
        run_cms,
    ),
    Command(
        "links",
        "enlaces",
        "comprueba los enlaces externos del catálogo",
        add_links_arguments,
        run_links,
    ),
    Command(
        TEST_COMMAND, "pruebas", "ruff, mypy y todas las pruebas", add_test_arguments, run_test_command
    ),
)


def build_parser(root: Path) -> argparse.ArgumentParser:
    parser = SpanishParser(
        prog="build.py",
        description="Catálogo: genera, valida y sirve el sitio del catálogo. Cada comando "
        "tiene un nombre en inglés y otro en español; los dos sirven.",
        epilog="Ayuda de un comando: python3 build.py <comando> --help",
    )
    commands = parser.add_subparsers(
        dest="command", metavar="comando", title="comandos", required=True
    )
    for command in COMMANDS:
        sub = commands.add_parser(
            command.name, aliases=[command.spanish], help=command.help, description=command.help
        )
        command.add_arguments(sub, root)
        sub.set_defaults(run=command.run)
    return parser


def parse_arguments(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """argparse, except for `test`: everything after it goes to pytest as typed (argparse
    would take `-k X` for options of its own and refuse them)."""
    if argv and argv[0] in test_names():
        return argparse.Namespace(command=argv[0], run=run_test_command, pytest_args=argv[1:])
    if not argv:
        parser.print_help(sys.stderr)
        parser.exit(2)
    return parser.parse_args(argv)


def test_names() -> tuple[str, ...]:
    command = next(c for c in COMMANDS if c.name == TEST_COMMAND)
    return (command.name, command.spanish)


def main(argv: Sequence[str] | None = None, project_root: Path | None = None) -> int:
    root = project_root if project_root is not None else Path.cwd()
    parser = build_parser(root)
    args = parse_arguments(parser, list(sys.argv[1:] if argv is None else argv))
    try:
        code: int = args.run(args, root)
    except CatalogError as error:
        print_problems(error.problems, getattr(args, "format", "text"))
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130
    return code


def entry() -> None:
    """The `catalogo` command: main(), then the end of the process without collecting what
    the command left behind (as build.py's leave(): 0.35 s after a 10,000-record build)."""
    code = main()
    gc.freeze()
    sys.exit(code)


def print_problems(problems: Sequence[Problem], output_format: str = "text") -> None:
    sys.stdout.flush()
    print(
        report(problems, output_format), file=sys.stderr if output_format == "text" else sys.stdout
    )
