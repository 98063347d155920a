"""The corpus of common YAML slips (tests/data/deslices/): each one gets exactly its expected
Spanish message, on the line the editor must change, and changing that line as the case says
makes the record valid."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from catalogo.loader import load_catalog
from catalogo.problems import CatalogError, display_path, format_problem
from tests.support import DATA, EXAMPLE

SLIPS = DATA / "deslices"
CASES: list[dict[str, Any]] = yaml.safe_load((SLIPS / "_casos.yaml").read_text(encoding="utf-8"))
# The parser's own English words: they may follow a Spanish explanation, never replace it.
ENGLISH = re.compile(r"mapping values|could not find|did not find|expected|scanning|parsing")


def test_the_corpus_holds_at_least_twelve_slips_each_with_its_file() -> None:
    assert len(CASES) >= 12
    assert sorted(case["archivo"] for case in CASES) == sorted(
        path.name for path in SLIPS.glob("*.yaml") if not path.name.startswith("_")
    )


def place(case: dict[str, Any], catalog: Path, text: str) -> Path:
    target = catalog / "guias" / case["archivo"]
    target.write_text(text, encoding="utf-8", newline="")
    return target


@pytest.mark.parametrize("case", CASES, ids=[c["archivo"] for c in CASES])
def test_each_slip_gets_its_line_and_spanish_message_and_its_fix_works(
    case: dict[str, Any], tmp_path: Path
) -> None:
    catalog = tmp_path / "catalogo"
    shutil.copytree(EXAMPLE, catalog)
    broken = (SLIPS / case["archivo"]).read_text(encoding="utf-8")
    target = place(case, catalog, broken)
    with pytest.raises(CatalogError) as caught:
        load_catalog(catalog)
    assert [format_problem(p) for p in caught.value.problems] == [
        f"{display_path(target)}:{case['linea']}: {case['mensaje']}"
    ]
    assert not ENGLISH.search(case["mensaje"]), "the explanation is Spanish"

    lines = broken.split("\n")
    lines[case["linea"] - 1] = case["arreglo"]
    place(case, catalog, "\n".join(lines))
    loaded = load_catalog(catalog)
    assert case["archivo"].removesuffix(".yaml") in {record.id for record in loaded.catalog.records}
