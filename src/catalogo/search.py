"""The search index: Pagefind run over the freshly written site, before it is swapped in.

Pagefind (the `pagefind[bin]` wheel) stems Spanish, folds accents and builds filter counts.
Only pages marked `data-pagefind-body` (the resource pages) are indexed, so menus and lists
never pollute results. The command-line indexer is used rather than Pagefind's Python
service: measured here on the real catalog, the CLI indexes 96 pages in 0.2 s where the
service took 10 s. A catalog of more than PART_PAGES records is indexed in parts, one
Pagefind run each, which the search page merges (static/buscar.js): Pagefind holds all it
indexes in memory, 650 MB for 10,000 record pages in one run, 124 MB for 2,000.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pagefind_bin import get_executable

INDEXED = re.compile(r"Indexed (\d+) pages?")


def pagefind_version() -> str:
    try:
        return version("pagefind_bin")
    except PackageNotFoundError:  # pragma: no cover - installed with the project
        return "desconocida"


PAGEFIND_VERSION = pagefind_version()


class SearchIndexError(Exception):
    """Pagefind could not build the index (the message says why)."""


@dataclass(frozen=True)
class SearchStats:
    pages: int


PART_PAGES = 2000  # record pages per Pagefind run; each run holds about 60 KB per page
PARTS_FOLDER = "parte-"  # pagefind/parte-2/, pagefind/parte-3/...: the other bundles
RECORD_PAGE = "index.html"


def count_parts(pages: int, part_pages: int = PART_PAGES) -> int:
    """How many search bundles a site of `pages` record pages gets."""
    return max(1, -(-pages // part_pages))


def part_folders(pages: int, part_pages: int = PART_PAGES) -> list[str]:
    """The folders of the bundles after the first, relative to the site, in order; the
    search page merges them into the first (pagefind.mergeIndex)."""
    return [f"pagefind/{PARTS_FOLDER}{n}/" for n in range(2, count_parts(pages, part_pages) + 1)]


def index_site(site_root: Path, part_pages: int = PART_PAGES) -> SearchStats:
    """Write the Pagefind bundle into `site_root/pagefind/`.

    Pagefind holds every page it indexes in memory until it writes (650 MB for 10,000
    record pages), so a larger site is indexed in parts of `part_pages` record pages, one
    run each, each written as its own bundle; the search page merges them."""
    try:
        executable = str(get_executable())
    except FileNotFoundError as error:
        raise SearchIndexError(
            "no se encontró Pagefind; reinstala con «python3 build.py build» (o usa --sin-busqueda)"
        ) from error
    records = site_root / "recursos"
    pages = sorted(
        entry.name
        for entry in (os.scandir(records) if records.is_dir() else ())
        if entry.is_dir(follow_symlinks=False)
    )
    if count_parts(len(pages), part_pages) == 1:
        return SearchStats(pages=_run(executable, site_root, None))
    indexed = 0
    for number, start in enumerate(range(0, len(pages), part_pages), start=1):
        part = site_root / f".indice-{PARTS_FOLDER}{number}"
        shutil.rmtree(part, ignore_errors=True)
        try:
            for name in pages[start : start + part_pages]:
                folder = part / "recursos" / name
                folder.mkdir(parents=True)
                os.link(records / name / RECORD_PAGE, folder / RECORD_PAGE)
            output = site_root / "pagefind"
            if number > 1:
                output = output / f"{PARTS_FOLDER}{number}"
            indexed += _run(executable, part, output)
        except OSError as error:
            raise SearchIndexError(f"no se pudo crear el índice de búsqueda: {error}") from error
        finally:
            shutil.rmtree(part, ignore_errors=True)
    return SearchStats(pages=indexed)


def _run(executable: str, site: Path, output: Path | None) -> int:
    command = [executable, "--site", str(site), "--force-language", "es"]
    if output is not None:
        command += ["--output-path", str(output.resolve())]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SearchIndexError(f"no se pudo crear el índice de búsqueda: {error}") from error
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise SearchIndexError(f"no se pudo crear el índice de búsqueda: {' '.join(detail)}")
    found = INDEXED.search(result.stdout)
    return int(found.group(1)) if found else 0
