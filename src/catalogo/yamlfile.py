"""Read one YAML file safely, keeping the line of every key so problems can point at it.

Only plain YAML is accepted: mappings, lists, texts, numbers, booleans, dates. Anchors and
aliases are refused (they make "billion laughs" bombs possible and editors do not need them),
so are tags such as `!!python/object`, tabs used for indentation, bytes that are not UTF-8,
invisible characters (the one rule of invisible.py, for the file and for every value), very deep
nesting, huge numbers, oversized files and anything that is not a regular file (a named pipe
would block the build forever). A UTF-8 byte order mark is accepted: Notepad writes one.
Each refusal is a Problem with a line, never an exception.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from catalogo.digests import digest
from catalogo.invisible import INVISIBLE, invisible_message, show_invisible
from catalogo.problems import Problem
from catalogo.yamllines import double_quoted
from catalogo.yamlsyntax import diagnose

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
# A plain value followed by a comment on its own line: ` #` ended the text there.
COMMENT_AFTER = re.compile(r"^[ \t]+#")
LINE_END = re.compile(r"\r\n|\r|\n")
MAX_LINE = 2000  # how far to look for the ends of a line around a value
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


@dataclass(frozen=True)
class CutText:
    """A plain value that ends where ` #` starts a comment on the same line."""

    line: int
    fixed: str  # the line as it should be written, with the whole value quoted


@dataclass
class Document:
    """The data of one YAML file and the line where each key or list item starts."""

    path: Path
    display: str
    data: Any
    lines: dict[Location, int] = field(default_factory=dict)
    value_lines: dict[Location, int] = field(default_factory=dict)  # where a value starts
    cut_texts: dict[Location, CutText] = field(default_factory=dict)
    digest: str = ""  # of the file's bytes: what a record made from it is made of

    def line_of(self, location: Location) -> int:
        """The line of the deepest known part of `location` (1 for the whole document)."""
        for end in range(len(location), 0, -1):
            line = self.lines.get(tuple(location[:end]))
            if line is not None:
                return line
        return self.lines.get((), 1)

    def value_line_of(self, location: Location) -> int:
        """The line where the value at `location` starts (its key's line if the same)."""
        return self.value_lines.get(location) or self.line_of(location)

    def cut_text_problems(self, text_keys: Iterable[str]) -> list[Problem]:
        """A problem for each text field whose value a ` #` comment cut short."""
        keys = frozenset(text_keys)
        problems = []
        for location, cut in sorted(self.cut_texts.items(), key=lambda item: item[1].line):
            names = [part for part in location if isinstance(part, str)]
            if not names or names[-1] not in keys:
                continue
            problems.append(
                Problem(
                    self.display,
                    cut.line,
                    field_label(location),
                    "el texto se corta en «#»: lo que sigue a « #» se toma como un comentario "
                    f"y no se publica; pon el valor entre comillas: {cut.fixed}",
                )
            )
        return problems


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
    raw = raw.removeprefix(UTF8_BOM)  # Notepad saves "UTF-8" with one
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return Problem(
            display,
            line,
            "",
            "el archivo no está en UTF-8 (quizá se guardó como «ANSI» o «Latin-1», y las tildes "
            "y eñes quedaron mal); guárdalo con la codificación «UTF-8» (en el Bloc de notas: "
            "«Guardar como», Codificación «UTF-8»; en VS Code: «Guardar con codificación», "
            "«UTF-8»)",
        )
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return Problem(display, line, "", "el archivo contiene caracteres nulos: no es texto")
    hidden = INVISIBLE.search(text)
    if hidden:
        start = hidden.start()
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        return Problem(display, line, "", invisible_message("el archivo", hidden.group(), column))
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
        line, message = diagnose(text, error)
        return Problem(display, line, "", message)
    except yaml.YAMLError as error:  # pragma: no cover - the checks above catch reader errors
        return Problem(display, 1, "", f"el archivo no se puede leer como YAML ({error})")
    if node is None:  # only comments or nothing: callers decide whether that is fine
        return Document(path=path, display=display, data=None, lines={(): 1}, digest=digest(raw))
    document = Document(path=path, display=display, data=None, digest=digest(raw))
    try:
        document.data = _Converter(document, text).convert(node, (), 0)
    except _Refused as refused:
        line = (_first_alias_line(text) if refused.alias else None) or refused.line
        return Problem(display, line, field_label(refused.location), refused.message)
    document.lines.setdefault((), node.start_mark.line + 1)
    return document


class _Converter:
    """Turns composed nodes into plain values, noting the lines of keys, list items and
    values, and the plain values a comment cut short."""

    def __init__(self, document: Document, text: str) -> None:
        self.document = document
        self.text = text
        self.seen: set[int] = set()
        self.constructor = SafeConstructor()

    def convert(self, node: Node, location: Location, depth: int) -> Any:
        line = node.start_mark.line + 1
        if id(node) in self.seen:
            raise _Refused(
                line,
                "no se permiten anclas ni alias de YAML (&nombre, *nombre); escribe el valor "
                "completo",
                location,
                alias=True,
            )
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise _Refused(
                line,
                f"el valor tiene más de {MAX_DEPTH} niveles de anidación; un registro solo usa "
                "dos o tres",
                location,
            )
        if isinstance(node, ScalarNode):
            return self.scalar(node, location)
        if isinstance(node, SequenceNode):
            if node.tag != TAG_PREFIX + "seq":
                raise _Refused(line, _tag_message(node.tag), location)
            items = []
            for index, child in enumerate(node.value):
                child_location = (*location, index)
                self.document.lines[child_location] = child.start_mark.line + 1
                items.append(self.convert(child, child_location, depth + 1))
            return items
        if isinstance(node, MappingNode):
            return self.mapping(node, location, depth)
        raise _Refused(line, "valor YAML no reconocido", location)  # pragma: no cover

    def scalar(self, node: ScalarNode, location: Location) -> Any:
        line = node.start_mark.line + 1
        if node.tag not in PLAIN_SCALAR_TAGS:
            raise _Refused(line, _tag_message(node.tag), location)
        try:
            value = self.constructor.construct_object(node)
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
            # The whole file was checked for invisible characters (parse_document): only a
            # double-quoted escape ("\u202e") can make one without writing it.
            hidden = INVISIBLE.search(value) if node.style == '"' else None
            if hidden:
                raise _Refused(line, invisible_message("el texto", hidden.group()), location)
            if not node.style:  # plain (libyaml says '', the Python loader None)
                self.note_comment(node, location)
        elif isinstance(value, int) and not -MAX_NUMBER <= value <= MAX_NUMBER:
            raise _Refused(line, _too_big_number(node.value), location)
        return value

    def note_comment(self, node: ScalarNode, location: Location) -> None:
        """Remember a plain value followed by ` #` on its last line: YAML reads the rest of
        the line as a comment, so `titulo: Guía #1` is published as «Guía»."""
        end = node.end_mark.index
        rest = LINE_END.split(self.text[end : end + MAX_LINE], maxsplit=1)[0]
        if not COMMENT_AFTER.match(rest):
            return
        before = self.text[max(0, node.start_mark.index - MAX_LINE) : node.start_mark.index]
        lead = LINE_END.split(before)[-1]
        whole = node.value + " " + rest.strip() if node.start_mark.line == node.end_mark.line else ""
        fixed = f"{lead.strip()} {double_quoted(whole)}" if whole else "«clave: \"texto con #\"»"
        self.document.cut_texts[location] = CutText(node.end_mark.line + 1, fixed.strip())

    def mapping(self, node: MappingNode, location: Location, depth: int) -> dict[Hashable, Any]:
        line = node.start_mark.line + 1
        if node.tag != TAG_PREFIX + "map":
            raise _Refused(line, _tag_message(node.tag), location)
        lines = self.document.lines
        mapping: dict[Hashable, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                raise _Refused(
                    key_line, "una clave debe ser una palabra (como «titulo»), no una lista", location
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
            hidden = INVISIBLE.search(key) if key_node.style == '"' else None
            if hidden:
                raise _Refused(key_line, invisible_message("la clave", hidden.group()), location)
            child_location = (*location, key)
            if key in mapping:
                raise _Refused(
                    key_line,
                    f"la clave «{key}» está repetida (ya aparece en la línea "
                    f"{lines[child_location]}); deja solo una",
                    child_location,
                )
            lines[child_location] = key_line
            value_line = value_node.start_mark.line + 1
            if value_line != key_line:
                self.document.value_lines[child_location] = value_line
            mapping[key] = self.convert(value_node, child_location, depth + 1)
        return mapping


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


def _too_big_number(text: str) -> str:
    return (
        f"el número «{_shorten(text)}» es demasiado grande; revisa que esté bien escrito "
        "(un año tiene cuatro cifras) y, si es un texto, escríbelo entre comillas"
    )


def _shorten(text: str, limit: int = 60) -> str:
    """A value quoted in a message: cut, with invisible characters written as escapes."""
    text = show_invisible(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _tag_message(tag: str) -> str:
    shown = tag.replace(TAG_PREFIX, "!!")
    return (
        f"la etiqueta YAML «{shown}» no está permitida; escribe el valor sin etiqueta "
        "(solo se admiten textos, números, fechas, listas y claves)"
    )


def field_label(location: Location) -> str:
    """`enlaces[2].url`: list positions counted from 1, as an editor counts them."""
    label = ""
    for part in location:
        if isinstance(part, int):
            label += f"[{part + 1}]"
        else:
            label += ("." if label else "") + part
    return label
