"""Property-based tests: whatever an editor (or a broken disk) puts in a file, the loader
answers with a valid catalog or with Problems that name the file; it never raises anything
else, never hangs, never prints English from the libraries.

Runs are deterministic (derandomize=True, no example database), so CI sees the same cases
every time; raise FUZZ_EXAMPLES to search longer locally.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import unicodedata
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogo.loader import load_catalog
from catalogo.problems import CatalogError, Problem, report
from catalogo.yamlfile import Document, parse_document
from tests.support import EXAMPLE, render_in_memory

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "250"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ENGLISH = re.compile(
    r"Traceback|Input should|Value error|Field required|Extra inputs|unacceptable character|"
    r"object has no attribute|invalid literal|Exceeds the limit|could not convert"
)
INVISIBLE = {"Cc", "Cs", "Cf", "Zl", "Zp"}  # never printed as they are
RECORD = Path("guias") / "guia-de-prueba.yaml"
RECORD_KEYS = [
    "titulo", "tipo", "anio", "mes", "serie", "orden", "descripcion", "publico",
    "instituciones", "idioma", "enlaces", "relacionados", "fecha_alta", "notas_editoriales",
    "correcciones",
]  # fmt: skip
LINK_KEYS = ["url", "formato", "etiqueta", "idioma", "agregado_por_editor"]
KNOWN_VALUES = [
    "guia", "video", "spot-radial", "policia", "fiscalia", "oe", "es", "quz", "pdf", "video",
    "carpeta", "spots", "spot-es", "guia-de-prueba", "https://example.org/a.pdf",
    "javascript:alert(1)", "//x.org", "data:,x", "2021", "", " ", "~", "null", "yes", "no",
]  # fmt: skip
YAML_FRAGMENTS = [
    "- ", ": ", "? ", "[", "]", "{", "}", ",", "&a ", "*a", "&b ", "*b", "<<: *a", "!!python/object ",
    "!!binary ", "!!set ", "!local ", "!!bool ", "!!timestamp ", "!!int ", "|", ">-", "'", '"', "#",
    "%YAML 1.1\n", "---\n", "...\n", "\t", "\n", "\r\n", "\r", "  ", "    ", "\\x07", "\\e", "\\0",
    "\\u2028", "\\ud800", "\u2028", "\x85", "\ufeff", "\x00", "\x1b", "0x1F", "1:20:30", "0o17",
    "2024-02-30", "2024-13-01 25:61", ".inf", ".nan", "-.inf", "1e400", "9" * 30, "@", "`",
    "%", "titulo", "tipo", "anio", "enlaces", "url", "guia",
]  # fmt: skip


def check_problems(
    problems: list[Problem], text_lines: int | None = None, changed: str = "x.yaml"
) -> None:
    assert problems
    for problem in problems:
        assert isinstance(problem, Problem)
        assert isinstance(problem.path, str) and problem.path
        assert isinstance(problem.message, str) and problem.message
        assert problem.line is None or (isinstance(problem.line, int) and problem.line >= 1)
        if text_lines is not None and problem.line and problem.path.endswith(changed):
            assert problem.line <= text_lines + 1, problem
        assert not ENGLISH.search(problem.message), problem
        shown = problem.path + problem.field + problem.message
        assert not [c for c in shown if unicodedata.category(c) in INVISIBLE], problem
    assert report(problems)
    assert report(problems, "github")


def count_lines(raw: bytes) -> int:
    return raw.count(b"\n") + raw.count(b"\r") + raw.count("\u2028".encode()) + 1


# parse_document on its own -------------------------------------------------------------


def check_parse(raw: bytes) -> None:
    result = parse_document(raw, Path("x.yaml"), "x.yaml")
    if isinstance(result, Problem):
        assert result.path == "x.yaml"
        check_problems([result], count_lines(raw))
    else:
        assert isinstance(result, Document)
        assert all(line >= 1 for line in result.lines.values())


@FUZZ
@given(st.binary(max_size=2048))
def test_parse_document_survives_random_bytes(raw: bytes) -> None:
    check_parse(raw)


yaml_like_text = st.lists(st.sampled_from(YAML_FRAGMENTS) | st.text(max_size=12), max_size=60).map(
    "".join
)


TAGS = ["", "", "", "!!bool ", "!!int ", "!!float ", "!!timestamp ", "!!null ", "!!str ",
        "!!binary ", "!!python/object ", "!local ", "&a ", "*a ", "!!map ", "!!seq "]  # fmt: skip
line_values = st.sampled_from(YAML_FRAGMENTS + KNOWN_VALUES) | st.text(max_size=12)


@st.composite
def yaml_like_documents(draw: st.DrawFn) -> str:
    """Lines shaped like a record (`key: value`, `- item`), with tags, anchors and odd values."""
    lines = []
    for _ in range(draw(st.integers(min_value=1, max_value=12))):
        indent = " " * draw(st.sampled_from([0, 0, 0, 2, 4, 1, 3]))
        key = draw(st.sampled_from(RECORD_KEYS + LINK_KEYS + ["- ", "- url", "<<"]))
        tag = draw(st.sampled_from(TAGS))
        value = draw(line_values)
        lines.append(f"{indent}{key}: {tag}{value}" if key != "- " else f"{indent}- {tag}{value}")
    return "\n".join(lines) + "\n"


@FUZZ
@given(yaml_like_text | yaml_like_documents())
def test_parse_document_survives_yaml_like_text(text: str) -> None:
    check_parse(text.encode("utf-8", "surrogatepass"))


# The whole loader, with one record mutated ---------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats()
    | st.text(max_size=30)
    | st.text(st.characters(codec="utf-8"), max_size=30)  # control characters included
    | st.dates()
    | st.datetimes()
    | st.sampled_from(KNOWN_VALUES)
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(RECORD_KEYS + LINK_KEYS) | st.text(max_size=8), children, max_size=4
        )
    ),
    max_leaves=12,
)


@st.composite
def mutated_records(draw: st.DrawFn) -> dict[Any, Any]:
    """A valid record with a few keys dropped, renamed or given another value."""
    record: dict[Any, Any] = {
        "titulo": "Guía de prueba",
        "tipo": "guia",
        "anio": 2021,
        "mes": 3,
        "descripcion": "Una guía.",
        "publico": ["policia", "fiscalia"],
        "instituciones": ["oe"],
        "enlaces": [{"url": "https://example.org/guia.pdf", "formato": "pdf"}],
        "relacionados": ["video-de-prueba"],
        "fecha_alta": "2024-05-01",
    }
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        operation = draw(st.sampled_from(["drop", "rename", "set", "set-link", "add"]))
        if operation == "drop" and record:
            del record[draw(st.sampled_from(sorted(record, key=str)))]
        elif operation == "rename" and record:
            old = draw(st.sampled_from(sorted(record, key=str)))
            new = draw(st.sampled_from(RECORD_KEYS) | st.text(max_size=10))
            record[new] = record.pop(old)
        elif operation == "set":
            record[draw(st.sampled_from(RECORD_KEYS))] = draw(values)
        elif operation == "set-link":
            link = {"url": "https://example.org/a.pdf", "formato": "pdf"}
            link[draw(st.sampled_from(LINK_KEYS) | st.text(max_size=6))] = draw(values)
            record["enlaces"] = [link]
        else:
            record[draw(st.text(max_size=10))] = draw(values)
    return record


def dump(record: dict[Any, Any]) -> bytes:
    return yaml.safe_dump(record, allow_unicode=True, sort_keys=False).encode("utf-8")


@st.composite
def damaged_bytes(draw: st.DrawFn) -> bytes:
    """The YAML of a mutated record, then bytes or YAML fragments cut or spliced into it."""
    raw = dump(draw(mutated_records()))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        at = draw(st.integers(min_value=0, max_value=len(raw)))
        operation = draw(st.sampled_from(["fragment", "bytes", "cut"]))
        if operation == "fragment":
            piece = draw(st.sampled_from(YAML_FRAGMENTS)).encode("utf-8", "surrogatepass")
        elif operation == "bytes":
            piece = draw(st.binary(min_size=1, max_size=8))
        else:
            raw = raw[:at] + raw[at + draw(st.integers(min_value=1, max_value=20)) :]
            continue
        raw = raw[:at] + piece + raw[at:]
    return raw


@pytest.fixture(scope="module")
def fuzz_catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One copy of the example catalog for the whole module; each example restores it."""
    folder = tmp_path_factory.mktemp("fuzz") / "catalogo"
    shutil.copytree(EXAMPLE, folder)
    yield folder


def check_loader(folder: Path, relative: Path, raw: bytes) -> None:
    target = folder / relative
    original = target.read_bytes()
    target.write_bytes(raw)
    try:
        try:
            result = load_catalog(folder)
        except CatalogError as error:
            check_problems(list(error.problems), count_lines(raw), relative.as_posix())
            assert any(p.path.endswith(relative.as_posix()) for p in error.problems)
        else:
            assert len(result.catalog.records) == 4
    finally:
        target.write_bytes(original)


@FUZZ
@given(mutated_records())
def test_loader_answers_problems_for_mutated_records(fuzz_catalog: Path, record: dict[Any, Any]) -> None:
    check_loader(fuzz_catalog, RECORD, dump(record))


@FUZZ
@given(damaged_bytes())
def test_loader_answers_problems_for_damaged_records(fuzz_catalog: Path, raw: bytes) -> None:
    check_loader(fuzz_catalog, RECORD, raw)


@settings(FUZZ, max_examples=max(EXAMPLES // 2, 10))
@given(
    st.sampled_from(
        ["_catalogo.yaml", "_secciones.yaml", "_series.yaml", "_tipos.yaml", "_formatos.yaml"]
    ),
    st.data(),
)
def test_loader_answers_problems_for_damaged_settings(
    fuzz_catalog: Path, name: str, data: st.DataObject
) -> None:
    document = yaml.safe_load((EXAMPLE / name).read_text(encoding="utf-8"))
    key = data.draw(st.sampled_from(sorted(document)))
    if data.draw(st.booleans()) and isinstance(document[key], dict) and document[key]:
        inner = data.draw(st.sampled_from(sorted(document[key])))
        document[key][inner] = data.draw(values)
    else:
        document[key] = data.draw(values)
    raw = yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode("utf-8")
    target = fuzz_catalog / name
    original = target.read_bytes()
    target.write_bytes(raw)
    try:
        try:
            load_catalog(fuzz_catalog)
        except CatalogError as error:
            check_problems(list(error.problems))
    finally:
        target.write_bytes(original)


# A valid record full of hostile text still renders: UTF-8 pages, well-formed XML and JSON,
# and nothing in the HTML that runs as script.

hostile_text = st.text(min_size=1, max_size=60) | st.sampled_from(
    [
        "</script><script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[enlace](javascript:alert(1))",
        "<a href='javascript:alert(1)'>x</a>",
        "]]>",
        "{{ 7*7 }}{% raw %}",
        "\"'><",
        "\u202eal revés",
        "\ufeff\u200b",
        "\U0001f600",
        "a" * 400,
        "\\",
        "--",
    ]
)


@settings(FUZZ, max_examples=max(EXAMPLES // 5, 10))
@given(hostile_text, hostile_text, hostile_text, hostile_text)
def test_valid_records_with_hostile_text_render_safely(
    fuzz_catalog: Path, titulo: str, descripcion: str, etiqueta: str, nota: str
) -> None:
    record = {
        "titulo": titulo,
        "tipo": "guia",
        "anio": 2021,
        "descripcion": descripcion,
        "enlaces": [{"url": "https://example.org/a.pdf", "formato": "pdf", "etiqueta": etiqueta}],
        "notas_editoriales": [nota],
        "correcciones": [{"campo": "titulo", "original": nota, "motivo": etiqueta}],
    }
    target = fuzz_catalog / RECORD
    original = target.read_bytes()
    target.write_bytes(dump(record))
    try:
        try:
            result = load_catalog(fuzz_catalog)
        except CatalogError as error:
            check_problems(list(error.problems))
            return
        pages = render_in_memory(result.catalog)
    finally:
        target.write_bytes(original)
    for name, data in pages.items():
        if name.endswith(".woff2"):
            continue  # the browser editor's fonts (admin/fuentes/)
        text = data.decode("utf-8")
        if name.endswith(".xml"):
            ElementTree.fromstring(data)
        elif name.endswith(".json"):
            json.loads(text)
        elif name.endswith(".html"):
            ScriptChecker(name).feed(text)


# Script elements that hold data, never code: metadata, and the browser editor's import
# map and preview vocabulary (admin/).
JSON_SCRIPTS = ("application/ld+json", "application/json", "importmap")


class ScriptChecker(HTMLParser):
    """Fails on anything in a page that would run text from the catalog as script."""

    def __init__(self, name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.name = name
        self.script: str | None = None  # the type of the <script> being read
        self.content = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for attribute, value in attrs:
            assert not attribute.startswith("on"), (self.name, tag, attribute)
            if attribute in ("href", "src", "action", "formaction") and value:
                scheme = value.strip().lower().replace("\t", "").replace("\n", "")
                assert not scheme.startswith(("javascript:", "vbscript:", "data:text")), (
                    self.name,
                    value,
                )
        if tag == "script":
            found = dict(attrs)
            assert found.get("src") or found.get("type") in JSON_SCRIPTS, (
                self.name,
                attrs,
            )
            self.script = found.get("type") or "src"
            self.content = ""

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.content += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            if self.script in JSON_SCRIPTS:
                json.loads(self.content)  # a title cannot close the block early
            else:
                assert not self.content.strip(), (self.name, self.content)
            self.script = None
