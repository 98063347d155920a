"""The link facts file: what `links` writes is what the build reads back, byte for byte."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml

from catalogo.linkfacts import (
    HEADER,
    LinkFact,
    merge_facts,
    read_facts,
    render_facts,
    write_facts,
)
from catalogo.problems import CatalogError

OLD = datetime.date(2020, 1, 1)
NEW = datetime.date(2026, 11, 30)


def fact(day: datetime.date = NEW, **fields: object) -> LinkFact:
    return LinkFact.model_validate({"comprobado": day, **fields})


def test_rendered_facts_read_back_the_same_with_any_url(tmp_path: Path) -> None:
    facts = {
        "https://example.org/b.pdf": fact(tipo="application/pdf", bytes=2412345),
        'https://example.org/se\u00f1al?a="1"&b=#x': fact(tipo="text/html"),
        "https://example.org/a": fact(OLD, final="https://example.org/a/#inicio"),
    }
    path = tmp_path / "_enlaces.yaml"
    assert write_facts(path, facts) is True
    text = path.read_text(encoding="utf-8")
    assert text.startswith(HEADER)
    assert list(yaml.safe_load(text)) == sorted(facts), "keys sorted by URL"
    assert read_facts(path) == facts
    assert write_facts(path, dict(reversed(facts.items()))) is False, "same facts, same bytes"


def test_an_entry_has_only_the_fields_the_server_gave() -> None:
    text = render_facts({"https://example.org/x": fact()})
    assert text == HEADER + '"https://example.org/x":\n  comprobado: 2026-11-30\n'


def test_no_facts_is_an_empty_mapping(tmp_path: Path) -> None:
    path = tmp_path / "_enlaces.yaml"
    write_facts(path, {})
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {}
    assert read_facts(path) == {}
    assert read_facts(tmp_path / "no-existe.yaml") == {}


def test_fresh_facts_win_failures_keep_old_ones_and_removed_urls_go() -> None:
    previous = {
        "https://a.org/cambia": fact(OLD, bytes=1),
        "https://a.org/falla": fact(OLD, bytes=2),
        "https://a.org/quitado": fact(OLD, bytes=3),
    }
    fresh = {"https://a.org/cambia": fact(bytes=10), "https://a.org/nuevo": fact(bytes=20)}
    catalog = ["https://a.org/nuevo", "https://a.org/falla", "https://a.org/cambia"]
    merged = merge_facts(previous, fresh, catalog)
    assert merged == {
        "https://a.org/cambia": fact(bytes=10),
        "https://a.org/falla": fact(OLD, bytes=2),
        "https://a.org/nuevo": fact(bytes=20),
    }
    assert list(merged) == sorted(merged)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '"https://a.org/x":\n  tipo: PDF\n  comprobado: 2020-01-01\n',
            ":3: https://a.org/x.tipo:",
        ),
        ('"https://a.org/x":\n  comprobado: 2020-01-01\n  byte: 3\n', "¿Quisiste decir «bytes»?"),
        (
            '"https://a.org/x":\n  tipo: application/pdf\n',
            "falta el campo obligatorio «comprobado»",
        ),
        ("- https://a.org/x\n", "no es una lista de direcciones con sus datos"),
    ],
)
def test_a_file_that_cannot_be_used_is_explained(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "_enlaces.yaml"
    path.write_text(HEADER + text, encoding="utf-8")
    with pytest.raises(CatalogError) as raised:
        read_facts(path)
    [problem] = raised.value.problems
    shown = f"{problem.path}:{problem.line}: {problem.field}: {problem.message}"
    assert expected in shown
    assert shown.endswith("bórralo y vuelve a ejecutarlo")
