"""Reading the record files of a load across the machine's cores: the same catalog, warnings,
documents and problems, in the same order and with the same words, as one process reading
the files one after another; and which processes read the files, seen from the files' side.
(The threshold is lowered through `parallel_from`, so the shipped catalog's 96 files take
the path that a one-off build takes from PARALLEL_FROM files on.)"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from catalogo import recordfile
from catalogo.loader import load_catalog
from catalogo.problems import CatalogError, Problem, display_path, report
from catalogo.recordfile import LoadCache
from catalogo.recordreader import PARALLEL_FROM
from catalogo.workers import available_cores, can_fork
from tests.support import DATA, ROOT

pytestmark = pytest.mark.skipif(
    not can_fork() or available_cores() < 2, reason="reading across cores forks (Linux, 2 cores)"
)

SHIPPED = ROOT / "catalog"
ONE_PROCESS = sys.maxsize
ACROSS_CORES = 2


def test_across_cores_the_shipped_catalog_loads_as_in_one_process() -> None:
    one = load_catalog(SHIPPED, parallel_from=ONE_PROCESS)
    across = load_catalog(SHIPPED, parallel_from=ACROSS_CORES)
    assert across.catalog == one.catalog
    assert [r.id for r in across.catalog.records] == [r.id for r in one.catalog.records]
    assert [r.fingerprint for r in across.catalog.records] == [
        r.fingerprint for r in one.catalog.records
    ]
    assert across.warnings == one.warnings and len(one.warnings) > 50
    assert report(across.warnings) == report(one.warnings)
    assert across.documents == one.documents


def test_broken_files_in_every_share_are_reported_as_in_one_process(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    shutil.copytree(SHIPPED, catalog)
    files = sorted(catalog.glob("*/*.yaml"))  # the order they are read in: folder, then name
    first, third, two_thirds, last = (
        files[i] for i in (0, len(files) // 3, 2 * len(files) // 3, -1)
    )
    assert first.parent != last.parent
    tipo = replace_line(first, "tipo:", "tipo: guía")
    titulo = replace_line(third, "titulo:", "titulo: Informe N°5: la respuesta")
    two_thirds.write_text("titulo: Guía\ntipo: guia\nrelacionados: [no-existe]\n", "utf-8")
    twin = first.parent / last.name  # the last file's id, again in the first folder
    shutil.copyfile(last, twin)

    one = load_problems(catalog, ONE_PROCESS)
    across = load_problems(catalog, ACROSS_CORES)
    assert across == one
    lines = report(across).splitlines()
    expected = [
        f"{display_path(first)}:{tipo}: tipo: «guía» no es un tipo conocido",
        f"{display_path(third)}:{titulo}: el texto de «titulo» tiene «:»",
        f"{display_path(two_thirds)}:3: relacionados[1]: «no-existe» no existe",
        f"{display_path(twin)}:1: el identificador «{last.stem}» se repite",
        f"{display_path(last)}:1: el identificador «{last.stem}» se repite",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in lines), start


def test_across_cores_the_invalid_catalog_gives_exactly_the_expected_report() -> None:
    expected = (DATA / "invalido.esperado.txt").read_text(encoding="utf-8").splitlines()
    assert report(load_problems(DATA / "invalido", ACROSS_CORES)).splitlines() == expected


@pytest.mark.parametrize(
    ("parallel_from", "with_cache", "readers"),
    [
        (ACROSS_CORES, False, "one process per core"),
        (PARALLEL_FROM, False, "this process"),  # 96 files: too few to fork for
        (ACROSS_CORES, True, "this process"),  # serve's cache lives in this process
    ],
)
def test_which_processes_read_the_record_files(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    parallel_from: int,
    with_cache: bool,
    readers: str,
) -> None:
    readings = tmp_path / "readings"
    read_document = recordfile.read_document

    def read_and_note(path: Path, display: str, max_bytes: int) -> object:
        with readings.open("a", encoding="utf-8") as note:  # one short line: one write
            note.write(f"{os.getpid()} {display}\n")
        return read_document(path, display, max_bytes)

    monkeypatch.setattr(recordfile, "read_document", read_and_note)
    cache = LoadCache() if with_cache else None
    loaded = load_catalog(SHIPPED, cache, parallel_from=parallel_from)

    noted = [line.split(" ", 1) for line in readings.read_text(encoding="utf-8").splitlines()]
    assert sorted(display for _, display in noted) == sorted(
        display_path(path) for path in SHIPPED.glob("*/*.yaml")
    ), "every record file read once"
    pids = {int(pid) for pid, _ in noted}
    if readers == "one process per core":
        assert os.getpid() in pids and len(pids) == min(available_cores(), len(noted))
    else:
        assert pids == {os.getpid()}
    assert len(loaded.catalog.records) == 96


def replace_line(path: Path, start: str, new: str) -> int:
    """Replace the line of `path` that starts with `start`; its number."""
    text = path.read_text(encoding="utf-8")
    found = re.search(rf"^{re.escape(start)}.*$", text, re.MULTILINE)
    assert found is not None, f"no line {start!r} in {path}"
    path.write_text(text[: found.start()] + new + text[found.end() :], encoding="utf-8")
    return text.count("\n", 0, found.start()) + 1


def load_problems(catalog: Path, parallel_from: int) -> list[Problem]:
    with pytest.raises(CatalogError) as caught:
        load_catalog(catalog, parallel_from=parallel_from)
    return caught.value.problems
