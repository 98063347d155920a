"""Files that look like records but would not be read (a Notepad `.yaml.txt`, a `.yml`, a
`.json`, an editor's backup copy) are reported with the name to use, never skipped without a
word; hidden files and notes stay silent."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogo.catalogfiles import backup_target, unread_file_problem
from catalogo.loader import load_catalog
from catalogo.problems import Severity, display_path, report
from tests.support import load_errors, write


@pytest.mark.parametrize(
    ("name", "severity", "words"),
    [
        ("guias/nota.yaml.txt", "", "renómbralo a «nota.yaml»"),
        ("guias/nota.YML", "", "renómbralo a «nota.yaml»"),
        ("guias/nota.json", "", "guárdalo como «nota.yaml»"),
        ("guias/nota.yaml~", "aviso: ", "renómbrala a «nota.yaml»"),
        ("guias/nota.bak", "aviso: ", "renómbrala a «nota.yaml»"),
        (
            "guias/guia-de-prueba.yaml.bak",
            "aviso: ",
            "es una copia de seguridad de guia-de-prueba.yaml",
        ),
        ("_series.yaml~", "aviso: ", "es una copia de seguridad de _series.yaml"),
        ("suelto.yaml.txt", "", "renómbralo a «suelto.yaml»"),
    ],
)
def test_files_that_look_like_records_but_are_not_read_are_reported(
    example_catalog: Path, name: str, severity: str, words: str
) -> None:
    write(example_catalog / name, "titulo: Nota\ntipo: guia\n")
    if severity:
        lines = report(load_catalog(example_catalog).warnings).splitlines()
    else:
        lines = load_errors(example_catalog)
    expected = f"{display_path(example_catalog / name)}: {severity}"
    assert any(line.startswith(expected) and words in line for line in lines), lines


def test_hidden_files_and_notes_stay_silent(example_catalog: Path) -> None:
    write(example_catalog / "guias" / ".nueva.yaml.swp", "x")
    write(example_catalog / "guias" / "notas.txt", "x")
    write(example_catalog / "guias" / "LEEME.md", "x")
    assert not [w for w in load_catalog(example_catalog).warnings if "nueva" in w.path]


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("guia.yaml~", "guia.yaml"),
        ("guia.yaml.bak", "guia.yaml"),
        ("guia.BAK", "guia.yaml"),
        ("guia.orig", "guia.yaml"),
        ("#guia.yaml#", "guia.yaml"),
    ],
)
def test_a_backup_copy_names_the_file_it_copies(name: str, target: str) -> None:
    assert backup_target(name) == target
    problem = unread_file_problem(f"guias/{name}", name, {target})
    assert problem is not None and problem.severity is Severity.WARNING
    assert problem.message.startswith(f"es una copia de seguridad de {target} y no se lee")


@pytest.mark.parametrize("name", ["guia.yaml", "LEEME.md", "foto.png", ".oculto", "sin-punto"])
def test_other_files_are_not_records_in_disguise(name: str) -> None:
    assert unread_file_problem(f"guias/{name}", name, set()) is None
