"""Warnings: doubts about a valid catalog that an editor should look at, each with its file,
its line and what to do; the keys an editor writes to settle them; notes of series too."""

from __future__ import annotations

from pathlib import Path

from catalogo.checks import name_some
from catalogo.loader import load_catalog
from catalogo.problems import Severity, display_path, report
from tests.support import EXAMPLE, write

NEW = "guias/nueva.yaml"


def warning_lines(catalog: Path) -> list[str]:
    loaded = load_catalog(catalog)
    assert all(problem.severity is Severity.WARNING for problem in loaded.warnings)
    return report(loaded.warnings).splitlines()


def test_warnings_flag_doubtful_records(example_catalog: Path) -> None:
    write(
        example_catalog / "guias" / "dudosa.yaml",
        "titulo: Dudosa\ntipo: guia\nenlaces:\n  - url: http://drive.google.com/file/d/x\n"
        "notas_editoriales:\n  - Revisar el año.\n",
    )
    warnings = "\n".join(warning_lines(example_catalog))
    assert "dudosa.yaml:4: aviso: enlaces[1].url: enlace «http://» sin cifrar" in warnings
    assert "dudosa.yaml:4: aviso: enlaces[1].url: enlace a Google Drive/Docs" in warnings
    assert "dudosa.yaml:1: aviso: anio: el registro no tiene año" in warnings
    assert "dudosa.yaml:1: aviso: descripcion: el registro no tiene descripción" in warnings
    assert (
        "dudosa.yaml:6: aviso: notas_editoriales: nota editorial pendiente: Revisar el año."
        in warnings
    )


def test_a_record_without_an_audience_is_warned_about() -> None:
    warnings = [f"{p.path} {p.field}: {p.message}" for p in load_catalog(EXAMPLE).warnings]
    assert any(
        line.startswith("tests/data/ejemplo/videos/spot-quz.yaml publico: ")
        and "no dice a quién va dirigido" in line
        for line in warnings
    ), warnings
    assert not any("guia-de-prueba.yaml" in line and "dirigido" in line for line in warnings)


def test_sin_anio_and_sin_descripcion_silence_their_warnings(example_catalog: Path) -> None:
    write(
        example_catalog / NEW,
        "titulo: Nueva\ntipo: guia\nsin_anio: la fuente no indica el año\n"
        "sin_descripcion: la fuente no da descripción\npublico: [policia]\n"
        "enlaces:\n  - url: https://example.org/n\n",
    )
    warnings = [w for w in load_catalog(example_catalog).warnings if w.path.endswith("nueva.yaml")]
    assert warnings == []


def test_notes_of_series_reach_validate(example_catalog: Path) -> None:
    series = example_catalog / "_series.yaml"
    write(
        series,
        series.read_text(encoding="utf-8")
        + "  notas_editoriales:\n    - Falta el año de la serie.\n",
    )
    lines = warning_lines(example_catalog)
    assert any(
        line.startswith(f"{display_path(series)}:")
        and "aviso: spots.notas_editoriales: nota editorial pendiente: Falta el año de la serie."
        in line
        for line in lines
    ), lines


def test_one_address_in_two_records_is_warned_about_in_both(example_catalog: Path) -> None:
    write(
        example_catalog / NEW,
        "titulo: Nueva\ntipo: guia\nanio: 2020\ndescripcion: Otra.\npublico: [policia]\n"
        "enlaces:\n  - url: https://example.org/guia.pdf\n",
    )
    lines = warning_lines(example_catalog)
    assert any(
        "nueva.yaml:7: aviso: enlaces[1].url: la misma dirección la usa también: guia-de-prueba"
        in line
        for line in lines
    ), lines
    assert any(
        "guia-de-prueba.yaml:11: aviso: enlaces[1].url: la misma dirección la usa también: nueva"
        in line
        for line in lines
    ), lines


def test_a_relation_to_a_draft_is_warned_about(example_catalog: Path) -> None:
    record = example_catalog / "videos" / "video-de-prueba.yaml"
    write(record, record.read_text(encoding="utf-8") + "borrador: true\n")
    lines = warning_lines(example_catalog)
    assert any(
        "guia-de-prueba.yaml:13: aviso: relacionados[1]: «video-de-prueba» es un borrador: el "
        "sitio publicado no muestra este relacionado hasta que se publique" in line
        for line in lines
    ), lines


def test_long_lists_of_records_are_cut_in_a_warning() -> None:
    assert name_some(["a", "b"], 2) == "a, b"
    assert name_some([f"r{n}" for n in range(6)], 17) == "r0, r1, r2, r3, r4 y 12 más"
