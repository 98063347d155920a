"""The example site against its golden output (tests/data/ejemplo.golden/): every file a
build renders, byte for byte. A difference is shown file by file, as a unified diff, with
the command that accepts it when it is meant."""

from __future__ import annotations

import difflib
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest

from tests.support import GOLDEN, ROOT, edit, generated_files

UPDATE_VARIABLE = "CATALOGO_UPDATE_GOLDEN"
REGENERATE = f"{UPDATE_VARIABLE}=1 python3 build.py test -k golden"
DIFF_LINES = 60  # of each file's diff; the rest is counted


def shown(folder: Path) -> str:
    return folder.relative_to(ROOT).as_posix() if folder.is_relative_to(ROOT) else str(folder)


def file_diff(name: str, expected: bytes, made: bytes, golden: str) -> list[str]:
    try:
        before, after = expected.decode("utf-8"), made.decode("utf-8")
    except UnicodeDecodeError:
        return [f"Binary file {name} differs: {len(expected)} bytes expected, {len(made)} made"]
    lines = list(
        difflib.unified_diff(
            before.splitlines(),
            after.splitlines(),
            f"{golden}/{name}",
            f"build/{name}",
            lineterm="",
        )
    )
    if len(lines) > DIFF_LINES:
        rest = len(lines) - DIFF_LINES
        lines = [*lines[:DIFF_LINES], f"... and {rest} more lines of difference in {name}"]
    return lines


def differences(files: Mapping[str, bytes], golden: Path) -> str:
    """What a maintainer needs to see when a build differs from `golden`; "" when not."""
    expected = generated_files(golden)
    where = shown(golden)
    parts = []
    gone = sorted(set(expected) - set(files))
    new = sorted(set(files) - set(expected))
    if gone:
        parts.append(
            "Files of the golden output the build no longer makes:\n  " + "\n  ".join(gone)
        )
    if new:
        parts.append("Files the build makes that the golden output lacks:\n  " + "\n  ".join(new))
    for name in sorted(set(files) & set(expected)):
        if files[name] != expected[name]:
            parts.append("\n".join(file_diff(name, expected[name], files[name], where)))
    if not parts:
        return ""
    return "\n\n".join(
        [
            f"The example site differs from its golden output ({where}/).",
            *parts,
            "If the change is meant, regenerate the golden output, look at its diff and commit "
            f"it saying why:\n  {REGENERATE}",
        ]
    )


def write_golden(files: Mapping[str, bytes], golden: Path) -> None:
    shutil.rmtree(golden, ignore_errors=True)
    for name, data in files.items():
        target = golden / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def test_example_site_matches_golden_output(example_site: Path) -> None:
    files = generated_files(example_site)
    if os.environ.get(UPDATE_VARIABLE):
        write_golden(files, GOLDEN)
    found = differences(files, GOLDEN)
    if found:
        pytest.fail(found, pytrace=False)


def test_a_golden_difference_is_shown_as_a_diff_with_the_command_that_accepts_it(
    example_site: Path, tmp_path: Path
) -> None:
    golden = tmp_path / "ejemplo.golden"
    shutil.copytree(GOLDEN, golden)
    edit(golden / "acerca" / "index.html", "<h1>", '<h1 class="viejo">')
    (golden / "feed.xml").unlink()
    (golden / "viejo.html").write_text("<p>ya no se genera</p>\n", encoding="utf-8")
    long_change = "".join(f"<!-- línea {number} -->\n" for number in range(200))
    (golden / "sitemap.xml").write_text(long_change, encoding="utf-8")

    message = differences(generated_files(example_site), golden)

    assert message.startswith(f"The example site differs from its golden output ({golden}/).")
    assert "the build no longer makes:\n  viejo.html\n" in message
    assert "the golden output lacks:\n  feed.xml\n" in message
    about = message[message.index(f"--- {golden}/acerca/index.html") :]
    assert about.startswith(f"--- {golden}/acerca/index.html\n+++ build/acerca/index.html\n@@ ")
    removed = next(line for line in about.splitlines() if line.startswith("-") and "<h1" in line)
    added = next(line for line in about.splitlines() if line.startswith("+") and "<h1" in line)
    assert removed.replace('<h1 class="viejo">', "<h1>")[1:] == added[1:]
    sitemap = message[message.index(f"--- {golden}/sitemap.xml") :].split("\n\n")[0]
    assert len(sitemap.splitlines()) == DIFF_LINES + 1
    assert sitemap.splitlines()[-1].startswith("... and ")
    assert sitemap.splitlines()[-1].endswith(" more lines of difference in sitemap.xml")
    assert "404.html" not in message, "files that match are not mentioned"
    assert message.endswith(f"\n  {REGENERATE}")


def test_a_regenerated_golden_output_matches_the_build(example_site: Path, tmp_path: Path) -> None:
    files = generated_files(example_site)
    golden = tmp_path / "ejemplo.golden"
    write_golden(files, golden)
    assert differences(files, golden) == ""
