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


def test_syntax_error_gives_the_line_and_a_spanish_fix_without_the_parser_english() -> None:
    found = problem("tipo: guia\ntitulo: Informe N°5: la respuesta\n")
    assert found.line == 2
    assert found.message == (
        "el texto de «titulo» tiene «:», y YAML lo toma por una clave nueva: pon el valor "
        'entre comillas: titulo: "Informe N°5: la respuesta"'
    )


def test_a_byte_order_mark_is_accepted_as_notepad_writes_it() -> None:
    document = parse(b"\xef\xbb\xbftitulo: A\ntipo: guia\n")
    assert isinstance(document, Document)
    assert document.data == {"titulo": "A", "tipo": "guia"}
    assert document.line_of(("tipo",)) == 2


def test_bytes_that_are_not_utf8_point_at_their_line_and_name_notepads_ansi() -> None:
    found = problem(b"titulo: A\ndescripcion: Gu\xeda\n")
    assert found.line == 2
    assert "UTF-8" in found.message
    assert "«ANSI»" in found.message and "Bloc de notas" in found.message


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        # Trojan Source: an override that makes «admin» read backwards
        ("titulo: A\ndescripcion: usuario \u202eadmin\n", 2, "(U+202E) en la columna 22: cambia"),
        ("titulo: A\u2066B\n", 1, "(U+2066) en la columna 10"),
        ("titulo: Gu\u200bía\n", 1, "(U+200B, espacio de ancho cero) en la columna 11"),
        ("titulo: pro\xadtocolo\n", 1, "(U+00AD, guion suave invisible) en la columna 12"),
        ("titulo: A\ntipo: g\ufeffuia\n", 2, "(U+FEFF, marca BOM en medio del texto) en la columna 8"),
        ("titulo: A\x1bB\n", 1, "(U+001B) en la columna 10"),
    ],
)
def test_invisible_characters_are_refused_with_their_position(
    text: str, line: int, words: str
) -> None:
    found = problem(text)
    assert found.line == line
    assert "carácter invisible no permitido " + words in found.message


@pytest.mark.parametrize("escape", ["\\u202e", "\\u200b", "\\x1b", "\\u2066"])
def test_invisible_characters_written_as_escapes_are_refused_too(escape: str) -> None:
    found = problem(f'titulo: A\ndescripcion: "x{escape}y"\n')
    assert found.line == 2 and found.field == "descripcion"
    assert "carácter invisible no permitido" in found.message


def test_a_comment_that_cuts_a_plain_value_is_noted_with_the_fix() -> None:
    document = parse("titulo: Guía Operativa #1 para la investigación\ntipo: guia # un tipo\n")
    assert isinstance(document, Document)
    assert document.data["titulo"] == "Guía Operativa"
    problems = document.cut_text_problems({"titulo"})
    assert [(p.line, p.field, p.message) for p in problems] == [
        (
            1,
            "titulo",
            "el texto se corta en «#»: lo que sigue a « #» se toma como un comentario y no se "
            'publica; pon el valor entre comillas: titulo: "Guía Operativa #1 para la '
            'investigación"',
        )
    ]


def test_quoted_values_and_hashes_inside_words_are_not_cut() -> None:
    document = parse('titulo: "Guía #1"\netiqueta: Tomo#2\nnotas:\n  - "Ver #3" # ok\n')
    assert isinstance(document, Document)
    assert document.cut_text_problems({"titulo", "etiqueta", "notas"}) == []


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
