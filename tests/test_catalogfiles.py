"""The files of a catalog folder: records are found section by section; a folder that is not
a section, a record outside its section, a link out of the catalog, and files that look like
records but would not be read (a Notepad `.yaml.txt`, a `.yml`, a `.json`, an editor's
backup copy) are reported with the name to use, never skipped without a word; hidden files
and notes stay silent; ids are made from titles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from catalogo.catalogfiles import backup_target, slugify, unread_file_problem
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


def test_folder_that_is_not_a_section_is_reported(example_catalog: Path) -> None:
    write(example_catalog / "guia" / "x.yaml", "titulo: X\ntipo: guia\n")
    lines = load_errors(example_catalog)
    assert "la carpeta «guia» no es una sección. ¿Quisiste decir «guias»?" in lines[0]


def test_record_outside_a_section_is_reported(example_catalog: Path) -> None:
    write(example_catalog / "suelto.yaml", "titulo: X\ntipo: guia\n")
    assert "van dentro de la carpeta de su sección" in load_errors(example_catalog)[0]


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_symlink_out_of_the_catalog_is_refused(example_catalog: Path, tmp_path: Path) -> None:
    outside = tmp_path / "fuera.yaml"
    outside.write_text("titulo: Fuera\ntipo: guia\n", encoding="utf-8")
    (example_catalog / "guias" / "enlace.yaml").symlink_to(outside)
    lines = load_errors(example_catalog)
    assert "apunta fuera del catálogo" in lines[0]


def test_slugify_makes_ids_from_titles() -> None:
    assert (
        slugify("Guía de Evaluación Psicológica: Ley Nº 30364")
        == "guia-de-evaluacion-psicologica-ley-no-30364"
    )
    assert slugify("¡¿?!") == "registro"
