"""Explain a YAML syntax error the way an editor can fix it: the line to change and what to
write there, in Spanish.

PyYAML stops where it notices trouble, which is often a line or several after the slip (a
missing «:» is noticed on the next line; an unindented line inside a description four lines
later), and its words describe the parser, not the mistake ("did not find expected key" for
a stray quote). Each rule below recognises one common slip from the parser's complaint plus
the text of the lines around it, and names the line the editor must change. The parser's
own English is kept only when no rule recognises the error, marked as such.

Rules about quotes, brackets and special characters are in yamlquotes.py; what the rules
share (the text line by line, indentation, quoting) in yamllines.py.

tests/data/deslices/ holds a corpus of slips with the exact message each one gets.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import yaml
from pydantic import BaseModel

from catalogo import catalog, models
from catalogo.yamllines import (
    KEY_LINE,
    Diagnosis,
    Source,
    double_quoted,
    error_marks,
    indent,
    key_column,
    spaces,
    without_comment,
)
from catalogo.yamlquotes import (
    after_closing_message,
    block_scalar_header,
    flow_collection,
    quoted_scalar,
    token_start,
    unclosed_quote_above,
    unknown_escape,
)

# Every key of every catalog file: a word followed by a space is a key missing its «:»
# when it is one of these.
KNOWN_KEYS = frozenset(
    name
    for module in (models, catalog)
    for model in vars(module).values()
    if isinstance(model, type) and issubclass(model, BaseModel)
    for name in model.model_fields
)
NO_SPACE = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>\w[\w-]*):(?P<value>[^\s:].*)$")
NO_COLON = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>\w[\w-]*) *(?:[=;.,] *| +)(?P<value>\S.*)$")
DASH_NO_SPACE = re.compile(r"^(?P<indent> *)-(?P<rest>\w[\w-]*:.*)$")
BLOCK_INDICATOR = re.compile(r"^[|>][+-]?\d?\s*(#.*)?$")


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


def dash_without_space(source: Source, error: yaml.MarkedYAMLError) -> Diagnosis | None:
    """`-url: ...` for `- url: ...`: the dash becomes part of a key, and the parser trips
    over the next line of the list item."""
    _, _, last, _ = error_marks(error)
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
    number = error_marks(error)[0]
    line = source.text(number)
    no_space = NO_SPACE.match(line)
    if no_space and no_space["key"] in KNOWN_KEYS:
        return number, _no_space_message(no_space)
    no_colon = NO_COLON.match(line)
    if no_colon and no_colon["key"] in KNOWN_KEYS:
        return number, _no_colon_message(no_colon)
    return number, _unindented_message(source, number)


def _no_colon_message(found: re.Match[str]) -> str:
    fixed = f"{found['indent']}{found['dash'] or ''}{found['key']}: {found['value']}"
    return f"falta «:» después de «{found['key']}»: escribe «{fixed.strip()}»"


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
    _, _, number, column = error_marks(error)
    line = source.text(number)
    before = line[:column].strip()
    if before.startswith("- "):
        before = before[2:].strip()
    above = source.previous_content(number)
    if re.fullmatch(r"\w[\w-]*", before) and above is not None:
        no_space = NO_SPACE.match(source.text(above))
        if no_space and indent(line) > indent(source.text(above)):
            return above, _no_space_message(no_space)
        # The first line of a file without its «:» is read as the start of a text that the
        # next key's «:» then interrupts: the line to change is the one above.
        no_colon = NO_COLON.match(source.text(above))
        if no_colon and no_colon["key"] in KNOWN_KEYS and source.owner(above) is None:
            return above, _no_colon_message(no_colon)
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
    _, _, number, column = error_marks(error)
    unclosed = unclosed_quote_above(source, number)
    if unclosed is not None:
        return unclosed
    line = source.text(number)
    found = KEY_LINE.match(line)
    if found and found["value"][:1] in ("'", '"', "[", "{") and column > len(line) - len(found["value"]):
        return number, after_closing_message(found)
    if line.lstrip().startswith("-"):
        return _misaligned_dash(source, number)
    if found:
        return _misaligned_key(source, number)
    return None


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
    start, _, number, _ = error_marks(error)
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
