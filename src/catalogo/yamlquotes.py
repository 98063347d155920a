"""Explain YAML syntax errors about quotes, brackets and special characters: a quote never
closed or closed too soon, a list «[» never closed, a value starting with a character YAML
reserves, a backslash inside double quotes, text after «|» or «>».

Each rule gets the file's text and PyYAML's complaint, and returns the line to change and
a Spanish message, or None when the error is not its kind (yamlsyntax.RULES tries them).
"""

from __future__ import annotations

import re

import yaml

from catalogo.yamllines import (
    KEY_LINE,
    Diagnosis,
    Source,
    double_quoted,
    error_marks,
    single_quoted,
    without_comment,
)


def after_closing_message(found: re.Match[str]) -> str:
    key, value = found["key"], without_comment(found["value"])
    lead = f"{found['dash'] or ''}{key}"
    opening = value[0]
    if opening in "[{":
        kind = "una lista" if opening == "[" else "un grupo de claves"
        return (
            f"un valor que empieza con «{opening}» se lee como {kind} y no puede seguir después "
            f"de «{']' if opening == '[' else '}'}»: si es un texto, ponlo entre comillas: "
            f"{lead}: {double_quoted(value)}"
        )
    closing = value.find(opening, 1)
    while opening == "'" and closing + 1 < len(value) and value[closing + 1] == "'":
        closing = value.find(opening, closing + 2)
    rest = value[closing + 1 :]
    if opening == "'" and rest[:1].isalnum():
        inner = value[1:-1] if value.endswith("'") else value[1:]
        word = value[: closing + 1].split()[-1] + rest.split()[0] if rest.split() else value
        return (
            f"el apóstrofo de «{word.lstrip(chr(39))}» cierra las comillas simples antes de "
            f"tiempo: dentro de comillas simples, escríbelo doble: {lead}: "
            f"{single_quoted(inner)}"
        )
    return (
        "el valor empieza con comillas y sigue después de cerrarlas: si las comillas son "
        "parte del texto, encierra todo el valor entre comillas simples: "
        f"{lead}: {single_quoted(value)}"
    )


def unclosed_quote_above(source: Source, number: int) -> Diagnosis | None:
    """A key line above whose quoted value is never closed on its own line: the quote runs
    on until another quote further down, where PyYAML finally complains."""
    for above in range(1, number):
        found = KEY_LINE.match(source.text(above))
        if not found or found["value"][:1] not in ("'", '"'):
            continue
        value = found["value"]
        if not _closes(value):
            return above, _unclosed_quote_message(source.text(above), value[0])
    return None


def _closes(value: str) -> bool:
    """Whether a quoted value opened at value[0] is closed on the same line."""
    quote = value[0]
    rest = value[1:]
    if quote == "'":
        return "'" in rest.replace("''", "")
    return re.search(r'(?<!\\)(?:\\\\)*"', rest) is not None


def _unclosed_quote_message(line: str, quote: str) -> str:
    name = "comillas dobles" if quote == '"' else "comillas simples"
    return (
        f"faltan las {name} de cierre: el valor empieza con «{quote}» y no termina con otra; "
        f"escribe: {line.strip()}{quote}"
    )


def quoted_scalar(source: Source, error: yaml.MarkedYAMLError) -> Diagnosis | None:
    if error.context != "while scanning a quoted scalar":
        return None
    number, column = error_marks(error)[:2]
    line = source.text(number)
    return number, _unclosed_quote_message(line, line[column : column + 1] or '"')


def flow_collection(source: Source, error: yaml.MarkedYAMLError) -> Diagnosis | None:
    """A list `[...]` or group `{...}` never closed: PyYAML points at where it opens, or,
    when the file ends inside it, at the end of the file."""
    if error.context == "while parsing a flow node":
        return _unclosed_bracket_above(source, error_marks(error)[2])
    if error.context not in ("while parsing a flow sequence", "while parsing a flow mapping"):
        return None
    number, column = error_marks(error)[:2]
    return _unclosed_bracket_message(source, number, column)


def _unclosed_bracket_above(source: Source, last: int) -> Diagnosis | None:
    for number in range(min(last, len(source.lines)), 0, -1):
        found = KEY_LINE.match(source.text(number))
        if found and found["value"][:1] in ("[", "{"):
            column = len(source.text(number)) - len(found["value"])
            return _unclosed_bracket_message(source, number, column)
    return None


def _unclosed_bracket_message(source: Source, number: int, column: int) -> Diagnosis | None:
    line = source.text(number)
    opening = line[column : column + 1]
    closing = "]" if opening == "[" else "}"
    if closing in line[column:]:
        return None
    kind = "la lista" if opening == "[" else "el grupo"
    return number, (
        f"falta cerrar {kind} con «{closing}»: escribe {line.strip()}{closing} (si es un texto "
        "que empieza con un corchete, ponlo entre comillas)"
    )


def token_start(source: Source, error: yaml.MarkedYAMLError) -> Diagnosis | None:
    problem = error.problem or ""
    if "cannot start any token" not in problem and error.context != "while scanning a tag":
        return None
    _, _, number, column = error_marks(error)
    if error.context == "while scanning a tag":
        number, column = error_marks(error)[:2]
    line = source.text(number)
    character = line[column : column + 1]
    found = KEY_LINE.match(line)
    if found and found["value"].startswith(character):
        fixed = f"{found['dash'] or ''}{found['key']}: {double_quoted(without_comment(found['value']))}"
        return number, (
            f"un valor no puede empezar con «{character}»: ponlo entre comillas: {fixed}"
        )
    return number, f"«{character}» no puede ir aquí: si es parte de un texto, pon el texto entre comillas"


def unknown_escape(source: Source, error: yaml.MarkedYAMLError) -> Diagnosis | None:
    if error.problem != "found unknown escape character":
        return None
    _, _, number, column = error_marks(error)
    line = source.text(number)
    found = KEY_LINE.match(line)
    escape = line[column - 1 : column + 1] if column else "\\"
    hint = ""
    if found and found["value"].startswith('"') and found["value"].rstrip().endswith('"'):
        inner = found["value"].rstrip()[1:-1]
        hint = f": {found['dash'] or ''}{found['key']}: {single_quoted(inner)}"
    return number, (
        f"dentro de comillas dobles, «{escape}» no es válido (la barra «\\» empieza un código "
        f"especial): usa comillas simples{hint}"
    )


def block_scalar_header(source: Source, error: yaml.MarkedYAMLError) -> Diagnosis | None:
    if error.context != "while scanning a block scalar":
        return None
    number, column = error_marks(error)[:2]
    line = source.text(number)
    indicator = line[column:].split()[0] if line[column:].split() else ">-"
    return number, (
        f"después de «{indicator}» no puede ir texto en la misma línea: deja «{indicator}» solo "
        "al final de la línea y escribe el texto en las líneas siguientes, con dos espacios de "
        "sangría"
    )
