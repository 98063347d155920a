"""A YAML syntax error explained the way an editor can fix it: the line to change (often not
the one where the parser noticed) and what to write there, in Spanish. The parser's English
stays only when no rule knows the slip, and is marked as such. (Slips with quotes, brackets
and special characters: test_yamlquotes.py; the corpus of common slips, checked through the
loader: test_deslices.py.)"""

from __future__ import annotations

import pytest

from tests.support import explain


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "titulo: X\n---\ntitulo: Y\n",
            2,
            "el archivo tiene más de un documento YAML; borra la línea «---» o «...» que los "
            "separa",
        ),
        (
            "titulo: X\nenlaces:\n  - url: https://a.org\n   formato: pdf\n",
            4,
            "«formato» no está alineada con «url» (línea 3): escríbela con 4 espacios delante, "
            "justo debajo de «url»",
        ),
        (
            "titulo: X\ntipo guia\nanio: 2020\n",
            2,
            "falta «:» después de «tipo»: escribe «tipo: guia»",
        ),
    ],
)
def test_a_slip_is_explained_on_the_line_to_change(text: str, line: int, message: str) -> None:
    assert explain(text) == (line, message)


def test_an_unknown_slip_keeps_the_parsers_words_marked_as_english() -> None:
    line, message = explain("%YAML 1.1\n%YAML 1.1\n---\na: 1\n")
    assert line == 2
    assert message == (
        "hay un error de escritura en esta línea o en la anterior: revisa los «:», las comillas "
        "y la sangría (el analizador de YAML dice, en inglés: found duplicate %YAML directive)"
    )


def test_a_first_line_without_its_colon_is_the_line_to_change() -> None:
    assert explain("titulo Guía de prueba\ntipo: guia\n") == (
        1,
        "falta «:» después de «titulo»: escribe «titulo: Guía de prueba»",
    )
    assert explain("# Guía\n\ntipo guia\nanio: 2021\n") == (
        3,
        "falta «:» después de «tipo»: escribe «tipo: guia»",
    )
