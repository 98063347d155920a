"""The command contract, run as editors run it: `python3 build.py <command>`: problems
print without a traceback and exit with status 1, each command answers to its English and
its Spanish name, `test` hands its options to pytest, and the console script is installed.
(What each command does: test_commands.py; its arguments in Spanish: test_cliparser.py.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support import EXAMPLE, ROOT, run


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
    missing = subprocess.run(
        [str(script), "validate", "--catalog", str(ROOT / "no-existe")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert missing.returncode == 1
    assert "no existe la carpeta del catálogo" in missing.stderr
