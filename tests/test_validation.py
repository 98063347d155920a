"""pydantic's errors as an editor reads them: one Spanish problem per mistake, on the line of
the key (or of the mapping missing one), with the field as the editor wrote it and what to
write instead; never pydantic's English."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from catalogo.models import RecordFields
from catalogo.problems import Problem
from catalogo.validation import problems_from_validation
from catalogo.yamlfile import Document, parse_document
from tests.support import load_errors, write

ENGLISH = re.compile(r"Input should|Field required|Extra inputs|Value error|validation error")
CONTEXT = {"tipos": {"guia", "video"}, "publicos": {"policia", "fiscalia"}, "formatos": {"pdf"}}


def problems_of(text: str, context: dict[str, Any] | None = None) -> list[tuple[int, str, str]]:
    """(line, field, message) of each problem of a record file with this text."""
    document = parse_document(text.encode("utf-8"), Path("x.yaml"), "x.yaml")
    assert isinstance(document, Document), document
    with pytest.raises(ValidationError) as caught:
        RecordFields.model_validate(document.data, context=context or CONTEXT)
    problems = problems_from_validation(caught.value, document, RecordFields)
    assert all(isinstance(problem, Problem) for problem in problems)
    assert not [p for p in problems if ENGLISH.search(p.message)], problems
    return [(problem.line or 0, problem.field, problem.message) for problem in problems]


def test_a_typo_in_a_key_is_reported_once_with_a_suggestion(example_catalog: Path) -> None:
    write(example_catalog / "guias" / "nueva.yaml", "titulo: Nueva\ntipo: guia\nanyo: 2020\n")
    lines = load_errors(example_catalog)
    assert lines[0].endswith(
        "guias/nueva.yaml:3: anyo: clave desconocida «anyo». ¿Quisiste decir «anio»? "
        "Claves válidas: «anio», «autores», «borrador», «correcciones», «descripcion», "
        "«enlaces», «fecha_alta», «idioma», «idioma_titulo», «instituciones», «mes», "
        "«notas_editoriales», «orden», «publico», «publico_inferido», «relacionados», "
        "«serie», «sin_anio», «sin_descripcion», «tipo», «titulo»"
    )
    assert lines[-1] == "1 problema en 1 archivo"


def test_a_bad_year_is_reported_with_file_and_line(example_catalog: Path) -> None:
    write(example_catalog / "guias" / "nueva.yaml", "titulo: Nueva\n\ntipo: guia\nanio: 202\n")
    assert ":4: anio: el año 202 está fuera de rango" in load_errors(example_catalog)[0]


def test_a_misspelled_required_key_is_one_problem_not_two() -> None:
    [(line, field, message)] = problems_of("titlo: Guía\ntipo: guia\n")
    assert (line, field) == (1, "titlo")
    assert message.startswith("clave desconocida «titlo». ¿Quisiste decir «titulo»?")


def test_a_missing_key_is_reported_on_the_mapping_that_lacks_it() -> None:
    problems = problems_of("titulo: Guía\ntipo: guia\nenlaces:\n  - formato: pdf\n")
    assert problems == [
        (
            4,
            "enlaces[1].url",
            "falta el campo obligatorio «url»; añade una línea «url: ...»",
        )
    ]
    [(line, field, _)] = problems_of("titulo: Guía\n")
    assert (line, field) == (1, "tipo")


def test_nested_values_point_at_their_own_line_and_say_what_to_write() -> None:
    text = (
        "titulo: Guía\ntipo: guia\nmes: 13\npublico: policia\n"
        "enlaces:\n  - url: https://example.org/a.pdf\n    formato: PDF\n"
    )
    assert problems_of(text) == [
        (3, "mes", "debe ser como máximo 12"),
        (
            4,
            "publico",
            "debe ser una lista: escribe cada valor en una línea que empiece con «- », o entre "
            "corchetes, por ejemplo [policia, fiscalia]",
        ),
        (
            7,
            "enlaces[1].formato",
            "«PDF» no es un formato conocido. ¿Quisiste decir «pdf»? Valores válidos: «pdf» "
            "(para añadir uno, edita _formatos.yaml)",
        ),
    ]


def test_a_year_in_words_names_the_key_not_pydantics_branches() -> None:
    [(line, field, message)] = problems_of("titulo: Guía\ntipo: guia\nanio: dos mil\n")
    assert (line, field) == (3, "anio")
    assert message.startswith("«dos mil» no es un año; escribe el año con cuatro cifras")


def test_a_list_item_without_a_space_after_its_dash_is_explained() -> None:
    [(line, field, message)] = problems_of("titulo: Guía\ntipo: guia\npublico:\n  -policia\n")
    assert (line, field) == (4, "publico")
    assert message == "falta un espacio después del guion: escribe «- policia»"
