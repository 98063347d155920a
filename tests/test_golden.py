"""The example site against its golden output (tests/data/ejemplo.golden/): every file a
build renders, byte for byte."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.support import GOLDEN, generated_files


def test_example_site_matches_golden_output(example_site: Path) -> None:
    files = generated_files(example_site)
    if os.environ.get("CATALOGO_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, data in files.items():
            target = GOLDEN / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    expected = generated_files(GOLDEN)
    assert sorted(files) == sorted(expected)
    for name, data in files.items():
        assert data == expected[name], f"{name} differs from tests/data/ejemplo.golden/{name}"
