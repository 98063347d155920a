"""Read one YAML file safely, keeping the line of every key so problems can point at it.

Only plain YAML is accepted: mappings, lists, texts, numbers, booleans, dates. Anchors and
aliases are refused (they make "billion laughs" bombs possible and editors do not need them),
so are tags such as `!!python/object`, tabs used for indentation, a byte order mark, bytes that
are not UTF-8, very deep nesting and oversized files. Each refusal is a Problem, never an
exception.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
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

    def __init__(self, line: int, message: str, location: Location = ()) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.location = location


def read_document(path: Path, display: str, max_bytes: int = MAX_BYTES) -> Document | Problem:
    """Read and parse one file; a Problem explains why it could not be used."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return Problem(
                display,
                None,
                "",
                f"el archivo pesa {size // 1024} KB y el máximo es {max_bytes // 1024} KB; "
                "un registro del catálogo debería ocupar pocos KB: revisa que sea el archivo "
                "correcto",
            )
        raw = path.read_bytes()
    except OSError as error:
        return Problem(display, None, "", f"no se pudo leer el archivo ({error.strerror})")
    return parse_document(raw, path, display)


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
        return Problem(display, mark.line + 1 if mark else None, "", explain_syntax_error(error))
    except yaml.YAMLError as error:  # pragma: no cover - libyaml reports marks for all errors
        return Problem(display, None, "", f"error de sintaxis YAML: {error}")
    if node is None:  # only comments or nothing: callers decide whether that is fine
        return Document(path=path, display=display, data=None, lines={(): 1})
    document = Document(path=path, display=display, data=None)
    try:
        document.data = _convert(node, (), document.lines, set(), SafeConstructor(), 0)
    except _Refused as refused:
        return Problem(display, refused.line, _dotted(refused.location), refused.message)
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
            return constructor.construct_object(node)
        except (ConstructorError, ValueError) as error:
            raise _Refused(line, f"valor no válido «{node.value}» ({error})", location) from error
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
            key = key_node.value
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
