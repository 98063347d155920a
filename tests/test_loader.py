"""Loading a catalog folder: every problem of its files, its settings and its records in one
report with files and lines, or the catalog in a stable order; texts cut by a comment and
byte order marks in any file. (Where the pieces are tested: the folder's files in
test_catalogfiles.py, the settings files in test_settingsfiles.py, one record file and the
cache in test_recordfile.py, the files read across the cores in test_recordreader.py, one
field's messages in test_validation.py, warnings in test_checks.py, checks between records
in test_crosschecks.py.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalogo.catalog import Catalog
from catalogo.loader import load_catalog
from catalogo.problems import Severity, display_path
from tests.support import DATA, EXAMPLE, load_errors, write

NEW = "guias/nueva.yaml"


def test_invalid_catalog_gives_exactly_the_expected_report() -> None:
    """Wording and line numbers are part of the contract with editors."""
    expected = (DATA / "invalido.esperado.txt").read_text(encoding="utf-8").splitlines()
    assert load_errors(DATA / "invalido") == expected


def test_example_catalog_loads_in_a_stable_order() -> None:
    result = load_catalog(EXAMPLE)
    assert [r.id for r in result.catalog.records] == [
        "guia-de-prueba",
        "spot-es",
        "spot-quz",
        "video-de-prueba",
    ]
    guide = result.catalog.record("guia-de-prueba")
    assert guide.seccion == "guias"
    assert guide.first_year == 2021
    assert all(p.severity is Severity.WARNING for p in result.warnings)


def test_shipped_catalog_loads(shipped_catalog: Catalog) -> None:
    assert len(shipped_catalog.records) == 96


# --- Texts cut by a comment ------------------------------------------------------------------


def test_a_title_cut_by_a_comment_is_an_error_with_the_quoted_fix(example_catalog: Path) -> None:
    write(example_catalog / NEW, "titulo: Guía Operativa #1 para la investigación\ntipo: guia\n")
    assert load_errors(example_catalog) == [
        f"{display_path(example_catalog / NEW)}:1: titulo: el texto se corta en «#»: lo que "
        "sigue a « #» se toma como un comentario y no se publica; pon el valor entre comillas: "
        'titulo: "Guía Operativa #1 para la investigación"',
        "1 problema en 1 archivo",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "titulo: Guía\ntipo: guia\nenlaces:\n  - url: https://example.org/a.pdf\n"
        "    etiqueta: Tomo #2\n",
        "titulo: Guía\ntipo: guia\nnotas_editoriales:\n  - Revisar la #3\n",
        "titulo: Guía\ntipo: guia\ndescripcion: Ver el punto #4\n",
    ],
)
def test_every_text_field_cut_by_a_comment_is_reported(example_catalog: Path, text: str) -> None:
    write(example_catalog / NEW, text)
    assert "el texto se corta en «#»" in load_errors(example_catalog)[0]


def test_a_comment_after_a_code_value_is_fine(example_catalog: Path) -> None:
    write(example_catalog / NEW, "titulo: Guía\ntipo: guia  # un tipo\nanio: 2020 # dudoso\n")
    assert "nueva" in {record.id for record in load_catalog(example_catalog).catalog.records}


# --- Byte order marks -----------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["registro", "vocabulario"])
def test_a_byte_order_mark_from_notepad_is_accepted(example_catalog: Path, variant: str) -> None:
    source = DATA / "con-bom" / variant
    for path in source.rglob("*.yaml"):
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
        target = example_catalog / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    catalog = load_catalog(example_catalog).catalog
    assert "quz" in catalog.vocabularies.idiomas
    if variant == "registro":
        assert catalog.record("bom").titulo == "Guía"
