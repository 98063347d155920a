"""A YAML file's text line by line, as the rules that explain syntax errors read it: lines
counted as YAML counts them (any line break), the line a value belongs to, where a key
starts, and a value written back between quotes so that YAML reads it as it was."""

from __future__ import annotations

import pytest
import yaml

from catalogo.yamlfile import SafeLoader
from catalogo.yamllines import (
    Source,
    double_quoted,
    error_marks,
    key_column,
    single_quoted,
    spaces,
    without_comment,
)

TEXT = (
    "titulo: Guía\r\n"  # 1: Windows line ends, as Notepad writes them
    "descripcion: >-\r"  # 2: an old Mac line end
    "  Una guía\n"  # 3
    "\n"  # 4
    "  # una nota\n"  # 5
    "  para fiscales.\n"  # 6
    "enlaces:\n"  # 7
    "  - url: https://a.org\n"  # 8
    "    formato: pdf\n"  # 9
)


def test_lines_are_counted_as_yaml_counts_them() -> None:
    source = Source.of(TEXT)
    assert source.text(2) == "descripcion: >-" and source.text(3) == "  Una guía"
    assert source.text(0) == source.text(99) == ""


def test_a_line_belongs_to_the_key_above_it_no_deeper_than_itself() -> None:
    source = Source.of(TEXT)
    assert source.previous_content(6) == 3, "blank lines and comments are skipped"
    assert source.owner(6) == 2
    assert source.owner(9) == 8 and source.owner(8) == 7
    assert source.previous_content(1) is None and source.owner(1) is None


def test_where_a_key_starts() -> None:
    assert key_column("  - url: https://a.org") == 4
    assert key_column("    formato: pdf") == 4
    assert key_column("  texto sin clave") == 2
    assert [spaces(n) for n in (0, 1, 4)] == [
        "sin espacios delante",
        "con 1 espacio delante",
        "con 4 espacios delante",
    ]


@pytest.mark.parametrize(
    "value", ['Informe N°5: la "respuesta"', "Guía de l'OIT", "C:\\carpeta #2", "a: b # c"]
)
def test_a_value_written_between_quotes_reads_back_the_same(value: str) -> None:
    for quoted in (double_quoted(value), single_quoted(value)):
        assert yaml.load(f"titulo: {quoted}\n", Loader=SafeLoader) == {"titulo": value}


def test_a_comment_after_a_value_is_left_out() -> None:
    assert without_comment("guia  # un tipo") == "guia"
    assert without_comment("Tomo#2") == "Tomo#2", "a # inside a word starts no comment"


def test_the_lines_of_an_error_count_from_one() -> None:
    with pytest.raises(yaml.MarkedYAMLError) as caught:
        yaml.compose("titulo: X\npublico: [policia\ntipo: guia\n", Loader=SafeLoader)
    context_line, _, problem_line, _ = error_marks(caught.value)
    assert context_line == 2 and problem_line == 3
