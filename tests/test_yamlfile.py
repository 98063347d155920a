from __future__ import annotations

from pathlib import Path

import pytest

from catalogo.problems import Problem
from catalogo.yamlfile import Document, parse_document, read_document


def parse(text: str | bytes) -> Document | Problem:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return parse_document(raw, Path("x.yaml"), "x.yaml")


def problem(text: str | bytes) -> Problem:
    result = parse(text)
    assert isinstance(result, Problem), result
    return result


def test_keys_and_list_items_keep_their_lines() -> None:
    document = parse("titulo: A\nenlaces:\n  - url: u\n    formato: pdf\n  - url: v\n")
    assert isinstance(document, Document)
    assert document.data == {"titulo": "A", "enlaces": [{"url": "u", "formato": "pdf"}, {"url": "v"}]}
    assert document.line_of(("titulo",)) == 1
    assert document.line_of(("enlaces", 0, "formato")) == 4
    assert document.line_of(("enlaces", 1, "url")) == 5
    assert document.line_of(("enlaces", 1, "missing")) == 5
    assert document.line_of(()) == 1


def test_scalars_are_plain_python_values() -> None:
    document = parse("anio: 2021\nok: true\nfecha: 2024-05-01\nnada:\ntexto: '2021'\n")
    assert isinstance(document, Document)
    assert document.data["anio"] == 2021
    assert document.data["ok"] is True
    assert str(document.data["fecha"]) == "2024-05-01"
    assert document.data["nada"] is None
    assert document.data["texto"] == "2021"


def test_syntax_error_gives_parser_line_and_spanish_hint() -> None:
    found = problem("tipo: guia\ntitulo: Informe N°5: la respuesta\n")
    assert found.line == 2
    assert "enciérralo entre comillas" in found.message
    assert "mapping values are not allowed" in found.message


def test_bom_is_refused_with_instructions() -> None:
    found = problem(b"\xef\xbb\xbftitulo: A\n")
    assert found.line == 1
    assert "BOM" in found.message and "UTF-8" in found.message


def test_bytes_that_are_not_utf8_point_at_their_line() -> None:
    found = problem(b"titulo: A\ndescripcion: Gu\xeda\n")
    assert found.line == 2
    assert "UTF-8" in found.message


def test_tab_indentation_is_refused_at_its_line() -> None:
    found = problem("titulo: A\nenlaces:\n\t- url: x\n")
    assert found.line == 3
    assert "tabuladores" in found.message


def test_tab_inside_a_value_is_fine() -> None:
    assert isinstance(parse("titulo: A\tB\n"), Document)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x [1, 2]\nb: *x\n",
        "base: &b {x: 1}\notro:\n  <<: *b\n",
    ],
)
def test_anchors_and_aliases_are_refused(text: str) -> None:
    found = problem(text)
    assert "alias" in found.message


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 9):
        previous = chr(ord("a") + index - 1)
        current = chr(ord("a") + index)
        lines.append(f"{current}: &{current} [" + ",".join([f"*{previous}"] * 9) + "]")
    found = problem("\n".join(lines) + "\n")
    assert "alias" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "titulo: !!python/object/apply:os.system ['echo hola']\n",
        "titulo: !!binary aGVsbG8=\n",
        "datos: !!set {a, b}\n",
    ],
)
def test_yaml_tags_are_refused(text: str) -> None:
    found = problem(text)
    assert "etiqueta YAML" in found.message or "sintaxis" in found.message


def test_deep_nesting_is_refused() -> None:
    found = problem("a: " + "[" * 40 + "]" * 40 + "\n")
    assert "anidación" in found.message


def test_duplicate_keys_are_refused_with_both_lines() -> None:
    found = problem("titulo: A\ntipo: guia\ntitulo: B\n")
    assert found.line == 3
    assert "repetida" in found.message and "línea 1" in found.message


def test_comments_only_is_an_empty_document() -> None:
    document = parse("# nada\n")
    assert isinstance(document, Document)
    assert document.data is None


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "grande.yaml"
    path.write_text("descripcion: " + "a" * 2000 + "\n", encoding="utf-8")
    found = read_document(path, "grande.yaml", max_bytes=1024)
    assert isinstance(found, Problem)
    assert "KB" in found.message
