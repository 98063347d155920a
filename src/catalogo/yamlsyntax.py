"""Explain a YAML syntax error the way an editor can fix it: the line to change and what to
write there, in Spanish.

PyYAML stops where it notices trouble, which is often a line or several after the slip (a
missing «:» is noticed on the next line; an unindented line inside a description four lines
later), and its words describe the parser, not the mistake ("did not find expected key" for
a stray quote). Each rule below recognises one common slip from the parser's complaint plus
the text of the lines around it, and names the line the editor must change. The parser's
own English is kept only when no rule recognises the error, marked as such.

tests/data/deslices/ holds a corpus of slips with the exact message each one gets.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml
from pydantic import BaseModel

from catalogo import catalog, models

# Every key of every catalog file: a word followed by a space is a key missing its «:»
# when it is one of these.
KNOWN_KEYS = frozenset(
    name
    for module in (models, catalog)
    for model in vars(module).values()
    if isinstance(model, type) and issubclass(model, BaseModel)
    for name in model.model_fields
)
KEY_LINE = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>\w[\w-]*) *:(?:[ \t]+|$)(?P<value>.*)$")
NO_SPACE = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>\w[\w-]*):(?P<value>[^\s:].*)$")
NO_COLON = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>\w[\w-]*) *(?:[=;.,] *| +)(?P<value>\S.*)$")
DASH_NO_SPACE = re.compile(r"^(?P<indent> *)-(?P<rest>\w[\w-]*:.*)$")
LINE_BREAK = re.compile(r"\r\n|\r|\n")
BLOCK_INDICATOR = re.compile(r"^[|>][+-]?\d?\s*(#.*)?$")

Diagnosis = tuple[int, str]  # the line to change (1-based) and the message


@dataclass(frozen=True)
class Source:
    """The text of a file, line by line, as the editor sees it."""

    lines: list[str]

    @classmethod
    def of(cls, text: str) -> Source:
        return cls(LINE_BREAK.split(text))  # YAML's own line breaks, as its marks count them

    def text(self, number: int) -> str:
        return self.lines[number - 1] if 1 <= number <= len(self.lines) else ""

    def previous_content(self, number: int) -> int | None:
        """The nearest line above `number` that is neither blank nor a comment."""
        for above in range(number - 1, 0, -1):
            stripped = self.text(above).strip()
            if stripped and not stripped.startswith("#"):
                return above
        return None

    def owner(self, number: int) -> int | None:
        """The nearest key line above `number` indented no deeper than it: the key whose
        value the line belongs to."""
        depth = indent(self.text(number))
        for above in range(number - 1, 0, -1):
            line = self.text(above)
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if indent(line) <= depth and KEY_LINE.match(line):
                return above
        return None


def indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def key_column(line: str) -> int:
    """Where the key of `line` starts (after a list dash, if any)."""
    found = KEY_LINE.match(line)
    if not found:
        return indent(line)
    return len(found["indent"]) + len(found["dash"] or "")


def spaces(count: int) -> str:
    if count == 0:
        return "sin espacios delante"
    return f"con {count} espacio{'s' if count != 1 else ''} delante"


def double_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def single_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def without_comment(value: str) -> str:
    return re.split(r"\s#", value, maxsplit=1)[0].rstrip()


def diagnose(text: str, error: yaml.MarkedYAMLError) -> Diagnosis:
    """The line to change and a Spanish explanation of a YAML syntax error."""
    source = Source.of(text)
    for rule in RULES:
        found = rule(source, error)
        if found is not None:
            return found
    return fallback(error)


def fallback(error: yaml.MarkedYAMLError) -> Diagnosis:
    mark = error.problem_mark or error.context_mark
    original = " ".join(str(part) for part in (error.context, error.problem) if part)
    return (
        mark.line + 1 if mark else 1,
        "hay un error de escritura en esta línea o en la anterior: revisa los «:», las "
        f"comillas y la sangría (el analizador de YAML dice, en inglés: {original})",
    )


def _lines(error: yaml.MarkedYAMLError) -> tuple[int, int, int, int]:
    """(context line, context column, problem line, problem column), lines from 1."""
    context, problem = error.context_mark, error.problem_mark
    return (
        context.line + 1 if context else 0,
        context.column if context else 0,
        problem.line + 1 if problem else 0,
        problem.column if problem else 0,
    )


def dash_without_space(source: Source, error: yaml.MarkedYAMLError) -> Diagnosis | None:
    """`-url: ...` for `- url: ...`: the dash becomes part of a key, and the parser trips
    over the next line of the list item."""
    _, _, last, _ = _lines(error)
    for number in range(1, last + 1):
        found = DASH_NO_SPACE.match(source.text(number))
        if found:
            return number, dash_message(found["rest"])
    return None


def dash_message(rest: str) -> str:
    """The message for a list item written `-valor` instead of `- valor`."""
    return f"falta un espacio después del guion: escribe «- {rest.strip()}»"


def simple_key(source: Source, error: yaml.MarkedYAMLError) -> Diagnosis | None:
    """A line without «:» among keys: PyYAML notices on the next line."""
    if error.context != "while scanning a simple key":
        return None
    number = _lines(error)[0]
    line = source.text(number)
    no_space = NO_SPACE.match(line)
    if no_space and no_space["key"] in KNOWN_KEYS:
        return number, _no_space_message(no_space)
    no_colon = NO_COLON.match(line)
    if no_colon and no_colon["key"] in KNOWN_KEYS:
        fixed = f"{no_colon['indent']}{no_colon['dash'] or ''}{no_colon['key']}: {no_colon['value']}"
        return number, (
            f"falta «:» después de «{no_colon['key']}»: escribe «{fixed.strip()}»"
        )
    return number, _unindented_message(source, number)


def _no_space_message(found: re.Match[str]) -> str:
    fixed = f"{found['dash'] or ''}{found['key']}: {found['value']}"
    return f"falta un espacio después de «{found['key']}:»: escribe «{fixed}»"


def _unindented_message(source: Source, number: int) -> str:
    line = source.text(number)
    owner = source.owner(number)
    if owner is None:
        return (
            "esta línea no tiene la forma «clave: valor»: escribe «:» después del nombre de la "
            "clave"
        )
    found = KEY_LINE.match(source.text(owner))
    assert found is not None  # owner() only returns key lines
    key = found["key"]
    depth = _text_indent(source, owner, number)
    block = bool(BLOCK_INDICATOR.match(found["value"]))
    continued = any(indent(source.text(n)) > indent(source.text(owner)) for n in range(owner + 1, number))
    if block or continued or not found["value"] or len(line.split()) >= 3:
        return (
            f"esta línea sigue el texto de «{key}» (línea {owner}) pero no tiene sangría: "
            f"escríbela {spaces(depth)}, como las demás líneas del texto"
        )
    return (
        f"esta línea no tiene «:». Si es una clave, escribe «:» después de su nombre; si sigue "
        f"el texto de «{key}» (línea {owner}), escríbela {spaces(depth)}"
    )


def _text_indent(source: Source, owner: int, number: int) -> int:
    """How far the lines of the text owned by `owner` are indented (two more than the key,
    unless earlier lines of the same text show otherwise)."""
    for between in range(owner + 1, number):
        line = source.text(between)
        if line.strip() and indent(line) > indent(source.text(owner)):
            return indent(line)
    return key_column(source.text(owner)) + 2


def mapping_values(source: Source, error: yaml.MarkedYAMLError) -> Diagnosis | None:
    """A «:» where a value was being read: a colon inside a text, a key indented too far,
    or the line above missing the space after its own «:»."""
    if not (error.problem or "").startswith("mapping values are not allowed"):
        return None
    _, _, number, column = _lines(error)
    line = source.text(number)
    before = line[:column].strip()
    if before.startswith("- "):
        before = before[2:].strip()
    above = source.previous_content(number)
    if re.fullmatch(r"\w[\w-]*", before) and above is not None:
        no_space = NO_SPACE.match(source.text(above))
        if no_space and indent(line) > indent(source.text(above)):
            return above, _no_space_message(no_space)
        owner_line = source.text(above)
        if KEY_LINE.match(owner_line) and indent(line) > key_column(owner_line):
            target = key_column(owner_line)
            owner_key = KEY_LINE.match(owner_line)
            assert owner_key is not None
            return number, (
                f"«{before}» tiene más sangría que «{owner_key['key']}» (línea {above}): "
                f"escríbela {spaces(target)}, alineada con «{owner_key['key']}»"
            )
    return _colon_in_text(source, number)


def _colon_in_text(source: Source, number: int) -> Diagnosis:
    line = source.text(number)
    found = KEY_LINE.match(line)
    if found and found["value"] and not BLOCK_INDICATOR.match(found["value"]):
        value = without_comment(found["value"])
        fixed = f"{found['dash'] or ''}{found['key']}: {double_quoted(value)}"
        return number, (
            f"el texto de «{found['key']}» tiene «:», y YAML lo toma por una clave nueva: pon "
            f"el valor entre comillas: {fixed}"
        )
    owner = source.owner(number) or number
    key_line = KEY_LINE.match(source.text(owner))
    key = key_line["key"] if key_line else "la clave"
    return owner, (
        f"el texto de «{key}» tiene «:» en una de sus líneas, y YAML lo toma por una clave "
        f"nueva: escribe «{key}: >-» y, debajo, el texto con dos espacios de sangría"
    )


def block_mapping_key(source: Source, error: yaml.MarkedYAMLError) -> Diagnosis | None:
    """Something after a complete value on the same line (text after closing quotes or
    brackets), an unclosed quote further up, or a line that is not aligned."""
    if error.problem != "did not find expected key":
        return None
    _, _, number, column = _lines(error)
    unclosed = _unclosed_quote_above(source, number)
    if unclosed is not None:
        return unclosed
    line = source.text(number)
    found = KEY_LINE.match(line)
    if found and found["value"][:1] in ("'", '"', "[", "{") and column > len(line) - len(found["value"]):
        return number, _after_closing_message(found)
    if line.lstrip().startswith("-"):
        return _misaligned_dash(source, number)
    if found:
        return _misaligned_key(source, number)
    return None


def _after_closing_message(found: re.Match[str]) -> str:
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


def _unclosed_quote_above(source: Source, number: int) -> Diagnosis | None:
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


def _misaligned_dash(source: Source, number: int) -> Diagnosis:
    line = source.text(number)
    for above in range(number - 1, 0, -1):
        other = source.text(above)
        if other.lstrip().startswith("- ") and indent(other) != indent(line):
            return number, (
                f"el guion «-» no está alineado con el de la línea {above}: escríbelo "
                f"{spaces(indent(other))}, como los demás elementos de la lista"
            )
        if other.strip() and indent(other) < indent(line) and not other.lstrip().startswith("-"):
            break
    return number, "el guion «-» no está alineado con los elementos de la lista de arriba"


def _misaligned_key(source: Source, number: int) -> Diagnosis:
    line = source.text(number)
    found = KEY_LINE.match(line)
    key = found["key"] if found else line.strip()
    for above in range(number - 1, 0, -1):
        other = source.text(above)
        other_key = KEY_LINE.match(other)
        if other_key and key_column(other) != indent(line) and not other_key["dash"]:
            return number, (
                f"«{key}» no está alineada con «{other_key['key']}» (línea {above}): escríbela "
                f"{spaces(key_column(other))}, como las demás claves"
            )
    return number, f"«{key}» no está alineada con las claves de arriba"


def block_collection(source: Source, error: yaml.MarkedYAMLError) -> Diagnosis | None:
    """A key of a list item indented less than the first key of the item."""
    if error.problem != "did not find expected '-' indicator":
        return None
    start, _, number, _ = _lines(error)
    line = source.text(number)
    if line.lstrip().startswith("-"):
        return _misaligned_dash(source, number)
    found = KEY_LINE.match(line)
    for above in range(number - 1, start - 1, -1):
        item = KEY_LINE.match(source.text(above))
        if item and item["dash"]:
            target = key_column(source.text(above))
            key = found["key"] if found else line.strip()
            return number, (
                f"«{key}» no está alineada con «{item['key']}» (línea {above}): escríbela "
                f"{spaces(target)}, justo debajo de «{item['key']}»"
            )
    return None


def quoted_scalar(source: Source, error: yaml.MarkedYAMLError) -> Diagnosis | None:
    if error.context != "while scanning a quoted scalar":
        return None
    number, column = _lines(error)[:2]
    line = source.text(number)
    return number, _unclosed_quote_message(line, line[column : column + 1] or '"')


def flow_collection(source: Source, error: yaml.MarkedYAMLError) -> Diagnosis | None:
    """A list `[...]` or group `{...}` never closed: PyYAML points at where it opens, or,
    when the file ends inside it, at the end of the file."""
    if error.context == "while parsing a flow node":
        return _unclosed_bracket_above(source, _lines(error)[2])
    if error.context not in ("while parsing a flow sequence", "while parsing a flow mapping"):
        return None
    number, column = _lines(error)[:2]
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
    _, _, number, column = _lines(error)
    if error.context == "while scanning a tag":
        number, column = _lines(error)[:2]
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
    _, _, number, column = _lines(error)
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
    number, column = _lines(error)[:2]
    line = source.text(number)
    indicator = line[column:].split()[0] if line[column:].split() else ">-"
    return number, (
        f"después de «{indicator}» no puede ir texto en la misma línea: deja «{indicator}» solo "
        "al final de la línea y escribe el texto en las líneas siguientes, con dos espacios de "
        "sangría"
    )


def document_start(source: Source, error: yaml.MarkedYAMLError) -> Diagnosis | None:
    if error.problem != "did not find expected <document start>":
        return None
    for number, line in enumerate(source.lines, start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            if indent(line):
                return number, (
                    "la primera clave tiene espacios delante: las claves principales van sin "
                    "sangría, al comienzo de la línea"
                )
            break
    return None


# Errors whose place PyYAML gets right: only the words need explaining.
WORDED = (
    (
        "expected a single document",
        "el archivo tiene más de un documento YAML; borra la línea «---» o «...» que los separa",
    ),
    ("found undefined alias", "un valor empieza con «*»: enciérralo entre comillas"),
    (
        "found duplicate anchor",
        "no se permiten anclas de YAML (&nombre); si el valor empieza con «&», enciérralo "
        "entre comillas",
    ),
    ("while scanning an anchor", "un valor empieza con «&»: enciérralo entre comillas"),
    ("while scanning an alias", "un valor empieza con «*»: enciérralo entre comillas"),
    ("found undefined tag handle", "un valor empieza con «!»: enciérralo entre comillas"),
    (
        "block sequence entries are not allowed",
        "hay un «- » donde no se espera; si el texto empieza con un guion, enciérralo entre "
        "comillas, o empieza la lista en la línea siguiente",
    ),
    (
        "found unexpected end of stream",
        "el archivo termina antes de tiempo: falta cerrar unas comillas o un corchete",
    ),
    ("exceeded maximum nesting depth", "el valor tiene demasiados niveles de anidación"),
)


def worded(source: Source, error: yaml.MarkedYAMLError) -> Diagnosis | None:
    original = " ".join(str(part) for part in (error.context, error.problem) if part)
    for needle, hint in WORDED:
        if needle in original:
            mark = error.problem_mark or error.context_mark
            return (mark.line + 1 if mark else 1), hint
    return None


RULES: tuple[Callable[[Source, yaml.MarkedYAMLError], Diagnosis | None], ...] = (
    dash_without_space,
    simple_key,
    mapping_values,
    block_mapping_key,
    block_collection,
    quoted_scalar,
    flow_collection,
    token_start,
    unknown_escape,
    block_scalar_header,
    document_start,
    worded,
)
