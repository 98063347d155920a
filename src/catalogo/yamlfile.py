"""Read one YAML file safely, keeping the line of every key so problems can point at it.

Only plain YAML is accepted: mappings, lists, texts, numbers, booleans, dates. Anchors and
aliases are refused (they make "billion laughs" bombs possible and editors do not need them),
so are tags such as `!!python/object`, tabs used for indentation, a byte order mark, bytes that
are not UTF-8, invisible control characters, very deep nesting, huge numbers, oversized files
and anything that is not a regular file (a named pipe would block the build forever). Each
refusal is a Problem with a line, never an exception.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from catalogo.problems import Problem

try:  # libyaml is 11x faster; the pure-Python loader is a fallback for odd platforms.
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]

MAX_BYTES = 256 * 1024
MAX_DEPTH = 20
UTF8_BOM = b"\xef\xbb\xbf"
TAG_PREFIX = "tag:yaml.org,2002:"
PLAIN_SCALAR_TAGS = frozenset(
    TAG_PREFIX + name for name in ("str", "int", "float", "bool", "null", "timestamp")
)
LEADING_TAB = re.compile(r"^[ ]*\t", re.MULTILINE)
# What YAML refuses anywhere in a file (outside its printable set), plus the line breaks
# that YAML counts but text editors do not show (NEL, U+2028, U+2029): they would shift the
# line number of every problem below them.
HIDDEN_CHARACTER = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
# What a double-quoted escape ("\x07", "\e", "\0", "\L") can still put inside a value: control
# characters end up in pages, feeds and terminals, where they break XML or hide text.
HIDDEN_IN_VALUE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]"
)
# Years, months and positions are small; a huge number (0xFFFF... or 1:0:0:0... can make
# one with thousands of digits) cannot even be printed in a message.
MAX_NUMBER = 10**15
SCALAR_KINDS = {
    TAG_PREFIX + "int": "un número entero",
    TAG_PREFIX + "float": "un número",
    TAG_PREFIX + "bool": "true o false",
    TAG_PREFIX + "timestamp": "una fecha real con el formato AAAA-MM-DD (por ejemplo 2024-03-15)",
    TAG_PREFIX + "null": "un valor vacío",
}

Location = tuple[str | int, ...]


@dataclass
class Document:
    """The data of one YAML file and the line where each key or list item starts."""

    path: Path
    display: str
    data: Any
    lines: dict[Location, int] = field(default_factory=dict)

    def line_of(self, location: Location) -> int:
        """The line of the deepest known part of `location` (1 for the whole document)."""
        for end in range(len(location), 0, -1):
            line = self.lines.get(tuple(location[:end]))
            if line is not None:
                return line
        return self.lines.get((), 1)


class _Refused(Exception):
    """A construct the catalog does not accept, found while converting nodes."""

    def __init__(
        self, line: int, message: str, location: Location = (), alias: bool = False
    ) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.location = location
        self.alias = alias


def read_document(path: Path, display: str, max_bytes: int = MAX_BYTES) -> Document | Problem:
    """Read and parse one file; a Problem explains why it could not be used."""
    # O_NONBLOCK: opening a named pipe must not wait forever for something to write to it.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        return _unreadable(display, error)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            return _unreadable(display, IsADirectoryError())
        if status.st_size > max_bytes:
            return _too_big(display, status.st_size, max_bytes)
        raw = b""
        while len(raw) <= max_bytes:  # the file may grow while it is read
            chunk = os.read(descriptor, max_bytes + 1 - len(raw))
            if not chunk:
                break
            raw += chunk
    except OSError as error:
        return _unreadable(display, error)
    finally:
        os.close(descriptor)
    if len(raw) > max_bytes:
        return _too_big(display, len(raw), max_bytes)
    return parse_document(raw, path, display)


def _unreadable(display: str, error: OSError) -> Problem:
    if isinstance(error, IsADirectoryError):
        reason = (
            "no es un archivo normal (es una carpeta, una tubería o un dispositivo); aquí "
            "solo van archivos de texto «.yaml»"
        )
    elif isinstance(error, PermissionError):
        reason = "no se pudo leer el archivo: no tienes permiso; revisa sus permisos"
    else:
        reason = f"no se pudo leer el archivo ({error.strerror or type(error).__name__})"
    return Problem(display, 1, "", reason)


def _too_big(display: str, size: int, max_bytes: int) -> Problem:
    return Problem(
        display,
        1,
        "",
        f"el archivo pesa {size // 1024} KB y el máximo es {max_bytes // 1024} KB; "
        "un registro del catálogo debería ocupar pocos KB: revisa que sea el archivo "
        "correcto",
    )


def parse_document(raw: bytes, path: Path, display: str) -> Document | Problem:
    if raw.startswith(UTF8_BOM):
        return Problem(
            display,
            1,
            "",
            "el archivo empieza con una marca BOM; guárdalo como «UTF-8» sin BOM "
            "(en VS Code: clic en «UTF-8 with BOM» en la barra inferior, «Guardar con "
            "codificación», «UTF-8»)",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return Problem(
            display,
            line,
            "",
            "el archivo no está en UTF-8 (tiene bytes que no son texto UTF-8); guárdalo "
            "con la codificación «UTF-8» (en VS Code: «Guardar con codificación», «UTF-8»)",
        )
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return Problem(display, line, "", "el archivo contiene caracteres nulos: no es texto")
    hidden = HIDDEN_CHARACTER.search(text)
    if hidden:
        line = text[: hidden.start()].count("\n") + 1
        return Problem(display, line, "", _hidden_message("el archivo", hidden.group()))
    tab = LEADING_TAB.search(text)
    if tab:
        line = text[: tab.start()].count("\n") + 1
        return Problem(
            display,
            line,
            "",
            "la sangría usa tabuladores; YAML solo admite espacios: reemplaza cada "
            "tabulador del inicio de la línea por espacios",
        )
    try:
        node = yaml.compose(text, Loader=SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return Problem(display, mark.line + 1 if mark else 1, "", explain_syntax_error(error))
    except yaml.YAMLError as error:  # pragma: no cover - the checks above catch reader errors
        return Problem(display, 1, "", f"error de sintaxis YAML: {error}")
    if node is None:  # only comments or nothing: callers decide whether that is fine
        return Document(path=path, display=display, data=None, lines={(): 1})
    document = Document(path=path, display=display, data=None)
    try:
        document.data = _convert(node, (), document.lines, set(), SafeConstructor(), 0)
    except _Refused as refused:
        line = (_first_alias_line(text) if refused.alias else None) or refused.line
        return Problem(display, line, _dotted(refused.location), refused.message)
    document.lines.setdefault((), node.start_mark.line + 1)
    return document


def _convert(
    node: Node,
    location: Location,
    lines: dict[Location, int],
    seen: set[int],
    constructor: SafeConstructor,
    depth: int,
) -> Any:
    line = node.start_mark.line + 1
    if id(node) in seen:
        raise _Refused(
            line,
            "no se permiten anclas ni alias de YAML (&nombre, *nombre); escribe el valor completo",
            location,
            alias=True,
        )
    seen.add(id(node))
    if depth > MAX_DEPTH:
        raise _Refused(
            line,
            f"el valor tiene más de {MAX_DEPTH} niveles de anidación; un registro solo usa dos o tres",
            location,
        )
    if isinstance(node, ScalarNode):
        if node.tag not in PLAIN_SCALAR_TAGS:
            raise _Refused(line, _tag_message(node.tag), location)
        try:
            value = constructor.construct_object(node)
        except Exception as error:  # an explicit tag (!!bool, !!timestamp) on an odd text
            if node.tag == TAG_PREFIX + "int" and node.value.lstrip("+-").isdigit():
                raise _Refused(line, _too_big_number(node.value), location) from error
            kind = SCALAR_KINDS.get(node.tag, "un valor")
            raise _Refused(
                line,
                f"«{_shorten(node.value)}» no se puede leer como {kind}; si es un texto, "
                "escríbelo entre comillas",
                location,
            ) from error
        if isinstance(value, str):
            hidden = HIDDEN_IN_VALUE.search(value)
            if hidden:
                raise _Refused(line, _hidden_message("el texto", hidden.group()), location)
        elif isinstance(value, int) and not -MAX_NUMBER <= value <= MAX_NUMBER:
            raise _Refused(line, _too_big_number(node.value), location)
        return value
    if isinstance(node, SequenceNode):
        if node.tag != TAG_PREFIX + "seq":
            raise _Refused(line, _tag_message(node.tag), location)
        items = []
        for index, child in enumerate(node.value):
            child_location = (*location, index)
            lines[child_location] = child.start_mark.line + 1
            items.append(_convert(child, child_location, lines, seen, constructor, depth + 1))
        return items
    if isinstance(node, MappingNode):
        if node.tag != TAG_PREFIX + "map":
            raise _Refused(line, _tag_message(node.tag), location)
        mapping: dict[Hashable, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                raise _Refused(
                    key_line,
                    "una clave debe ser una palabra (como «titulo»), no una lista",
                    location,
                )
            if key_node.tag == TAG_PREFIX + "merge":
                raise _Refused(
                    key_line,
                    "no se permiten anclas ni alias de YAML («<<:»); escribe el valor completo",
                    location,
                )
            if key_node.tag not in PLAIN_SCALAR_TAGS:
                raise _Refused(key_line, _tag_message(key_node.tag), location)
            key = key_node.value
            hidden = HIDDEN_IN_VALUE.search(key)
            if hidden:
                raise _Refused(key_line, _hidden_message("la clave", hidden.group()), location)
            child_location = (*location, key)
            if key in mapping:
                raise _Refused(
                    key_line,
                    f"la clave «{key}» está repetida (ya aparece en la línea "
                    f"{lines[child_location]}); deja solo una",
                    child_location,
                )
            lines[child_location] = key_line
            mapping[key] = _convert(value_node, child_location, lines, seen, constructor, depth + 1)
        return mapping
    raise _Refused(line, "valor YAML no reconocido", location)  # pragma: no cover


def _first_alias_line(text: str) -> int | None:
    """The line of the first `*alias`: a composed node only knows where its anchor is.

    Nodes are converted in document order, so the first node seen twice is the first alias."""
    try:
        for event in yaml.parse(text, Loader=SafeLoader):
            if isinstance(event, yaml.AliasEvent) and event.start_mark is not None:
                return int(event.start_mark.line) + 1
    except yaml.YAMLError:  # pragma: no cover - the text was composed without errors
        return None
    return None  # pragma: no cover - only aliases make a node appear twice


def _hidden_message(where: str, character: str) -> str:
    code = f"U+{ord(character):04X}"
    if character in "\x85\u2028\u2029":
        return (
            f"{where} contiene un salto de línea especial ({code}) que los editores no muestran; "
            "bórralo y, si hace falta, usa un salto de línea normal (suele llegar al copiar y "
            "pegar desde un PDF o un procesador de textos)"
        )
    origin = "" if where == "el archivo" else ", o de una «\\» entre comillas dobles"
    return (
        f"{where} contiene un carácter invisible no permitido ({code}); bórralo (suele llegar "
        f"al copiar y pegar desde un PDF o un procesador de textos{origin})"
    )


def _too_big_number(text: str) -> str:
    return (
        f"el número «{_shorten(text)}» es demasiado grande; revisa que esté bien escrito "
        "(un año tiene cuatro cifras) y, si es un texto, escríbelo entre comillas"
    )


def _shorten(text: str, limit: int = 60) -> str:
    """A value quoted in a message: cut, with invisible characters written as escapes."""
    if not text.isprintable():
        text = "".join(
            repr(c)[1:-1] if unicodedata.category(c) in ("Cc", "Cs", "Cf", "Zl", "Zp") else c
            for c in text
        )
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _tag_message(tag: str) -> str:
    shown = tag.replace(TAG_PREFIX, "!!")
    return (
        f"la etiqueta YAML «{shown}» no está permitida; escribe el valor sin etiqueta "
        "(solo se admiten textos, números, fechas, listas y claves)"
    )


def _dotted(location: Location) -> str:
    parts: list[str] = []
    for part in location:
        if isinstance(part, int):
            parts.append(f"[{part + 1}]")
        else:
            parts.append(("." if parts else "") + part)
    return "".join(parts)


SYNTAX_HINTS = (
    (
        "mapping values are not allowed",
        "hay un «:» donde no se espera; si el texto contiene dos puntos, enciérralo entre "
        'comillas, por ejemplo: titulo: "Informe N°5: la respuesta"',
    ),
    (
        "could not find expected ':'",
        "falta «:» después de una clave, o una línea del texto quedó mal sangrada; "
        "escribe «clave: valor» o continúa el texto con la misma sangría",
    ),
    (
        "did not find expected key",
        "la sangría no coincide con la de las líneas de arriba; alinea la clave con las demás",
    ),
    (
        "did not find expected '-' indicator",
        "la sangría de la lista no coincide; cada elemento empieza con «- » a la misma altura",
    ),
    (
        "found character that cannot start any token",
        "hay un carácter que no puede empezar un valor (por ejemplo «@» o «`»); "
        "encierra el valor entre comillas",
    ),
    (
        "found undefined tag handle",
        "un valor empieza con «!»: enciérralo entre comillas",
    ),
    (
        "found unexpected end of stream",
        "el archivo termina antes de tiempo: falta cerrar unas comillas o un corchete",
    ),
    (
        "found unknown escape character",
        "hay una «\\» no válida dentro de comillas dobles; usa comillas simples o escribe «\\\\»",
    ),
    (
        "while parsing a flow",
        "falta cerrar un corchete «]» o una llave «}»",
    ),
    (
        "while scanning a quoted scalar",
        "faltan las comillas de cierre",
    ),
    (
        "expected a single document",
        "el archivo tiene más de un documento YAML; borra la línea «---» o «...» que los separa",
    ),
    (
        "found undefined alias",
        "un valor empieza con «*»: enciérralo entre comillas (no se usan alias de YAML)",
    ),
    (
        "found duplicate anchor",
        "no se permiten anclas de YAML (&nombre); si el valor empieza con «&», enciérralo "
        "entre comillas",
    ),
    (
        "while scanning an anchor",
        "un valor empieza con «&»: enciérralo entre comillas",
    ),
    (
        "while scanning an alias",
        "un valor empieza con «*»: enciérralo entre comillas",
    ),
    (
        "block sequence entries are not allowed",
        "hay un «- » donde no se espera; si el texto empieza con un guion, enciérralo entre "
        "comillas, o empieza la lista en la línea siguiente",
    ),
    (
        "exceeded maximum nesting depth",
        "el valor tiene demasiados niveles de anidación",
    ),
)


def explain_syntax_error(error: yaml.MarkedYAMLError) -> str:
    """A Spanish explanation of a YAML syntax error, with the parser's own words after it."""
    original = " ".join(str(part) for part in (error.context, error.problem) if part)
    for needle, hint in SYNTAX_HINTS:
        if needle in original:
            return f"error de sintaxis YAML: {hint} (el analizador dice: {original})"
    return f"error de sintaxis YAML (el analizador dice: {original})"
