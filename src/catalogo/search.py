"""The search index: Pagefind run over the staged site, before it is swapped in.

Pagefind (the `pagefind_bin` wheel: its binary alone) stems Spanish, folds accents and builds
filter counts.
Only pages marked `data-pagefind-body` (the resource pages) are indexed, so menus and lists
never pollute results. The command-line indexer is used rather than Pagefind's Python
service: measured here on the real catalog, the CLI indexes 96 pages in 0.2 s where the
service took 10 s. A catalog of more than PART_PAGES records is indexed in parts, one
Pagefind run each, which the search page merges (static/buscar.js): Pagefind holds all it
indexes in memory, 650 MB for 10,000 record pages in one run, 124 MB for 2,000.

The index is made from the site's pages: a stage whose index was made from the same pages
(the key in its manifest) keeps it, or copies the published site's; only otherwise does
Pagefind run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pagefind_bin import get_executable

from catalogo.digests import digest_text
from catalogo.output import Stage
from catalogo.urls import RECORDS, SEARCH_INDEX
from catalogo.workers import available_cores

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
class SearchIndex:
    """What the index step did: the key of the index the stage holds, how many pages
    Pagefind indexed (None when an index was reused), and whether it predates the pages."""

    key: str | None
    pages: int | None = None
    stale: bool = False


PART_PAGES = 2000  # record pages per Pagefind run; each run holds about 60 KB per page
PARTS_FOLDER = "parte-"  # pagefind/parte-2/, pagefind/parte-3/...: the other bundles
RECORD_PAGE = "index.html"


def count_parts(pages: int, part_pages: int = PART_PAGES) -> int:
    """How many search bundles a site of `pages` record pages gets."""
    return max(1, -(-pages // part_pages))


def part_folders(pages: int, part_pages: int = PART_PAGES) -> list[str]:
    """The folders of the bundles after the first, relative to the site, in order; the
    search page merges them into the first (pagefind.mergeIndex)."""
    return [
        f"{SEARCH_INDEX}/{PARTS_FOLDER}{n}/" for n in range(2, count_parts(pages, part_pages) + 1)
    ]


def search_key(files: Mapping[str, str], part_pages: int) -> str:
    """What an index is made from: the site's pages (their digests), and Pagefind itself."""
    parts = [f"pagefind {PAGEFIND_VERSION} {part_pages}"]
    parts += [f"{path} {files[path]}" for path in sorted(files) if path.endswith(".html")]
    return digest_text("\n".join(parts))


def update_index(
    stage: Stage, files: Mapping[str, str], part_pages: int, keep_stale: bool = False
) -> SearchIndex:
    """Make the stage's index match its pages: keep the one it has, copy the published
    site's, or run Pagefind. With `keep_stale` (serve publishing an edit first), an index
    of older pages is kept as it is, for the follow-up build to bring up to date."""
    key = search_key(files, part_pages)
    folder = stage.root / SEARCH_INDEX
    held = stage.held.made_from.get(SEARCH_INDEX)
    live = stage.live.made_from.get(SEARCH_INDEX)
    if held == key and folder.is_dir():
        return SearchIndex(key)
    if keep_stale and held is not None and live != key and folder.is_dir():
        return SearchIndex(held, stale=True)
    shutil.rmtree(folder, ignore_errors=True)
    if live is not None and (live == key or keep_stale) and copy_published(stage, folder):
        return SearchIndex(live, stale=live != key)
    return SearchIndex(key, index_site(stage.root, part_pages).pages)


def copy_published(stage: Stage, folder: Path) -> bool:
    """The published site's index, into the stage (its files hard-linked)."""
    published = stage.out_dir / SEARCH_INDEX
    if not published.is_dir():
        return False
    try:
        shutil.copytree(published, folder, copy_function=os.link)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return False
    return True


def drop_index(stage: Stage) -> None:
    """A build without search publishes no stale index."""
    shutil.rmtree(stage.root / SEARCH_INDEX, ignore_errors=True)


def index_site(site_root: Path, part_pages: int = PART_PAGES) -> SearchIndex:
    """Write the Pagefind bundle into `site_root/pagefind/`.

    Pagefind holds every page it indexes in memory until it writes (650 MB for 10,000
    record pages), so a larger site is indexed in parts of `part_pages` record pages, one
    run each, each written as its own bundle; the search page merges them. A run keeps
    about one core busy, so the parts run as many at a time as the machine has cores
    (two runs of 2,000 pages: 250 MB)."""
    try:
        executable = str(get_executable())
    except FileNotFoundError as error:
        raise SearchIndexError(
            "no se encontró Pagefind; reinstala con «python3 build.py build» (o usa --sin-busqueda)"
        ) from error
    records = site_root / RECORDS
    pages = sorted(
        entry.name
        for entry in (os.scandir(records) if records.is_dir() else ())
        if entry.is_dir(follow_symlinks=False)
    )
    if count_parts(len(pages), part_pages) == 1:
        return SearchIndex(None, pages=_run(executable, site_root, None))
    shares = [pages[start : start + part_pages] for start in range(0, len(pages), part_pages)]
    parts = [site_root / f".indice-{PARTS_FOLDER}{n}" for n in range(1, len(shares) + 1)]
    # Each run writes apart (at the same time, none may write into another's folder); the
    # bundles then move into place: the first is pagefind/, the others pagefind/parte-N/.
    outputs = [part.with_name(part.name + "-indice") for part in parts]
    try:
        for part, names in zip(parts, shares, strict=True):
            link_pages(records, part, names)
        with ThreadPoolExecutor(max_workers=available_cores()) as runs:
            indexed = sum(runs.map(partial(_run, executable), parts, outputs))
        bundle = site_root / SEARCH_INDEX
        outputs[0].rename(bundle)
        for number, output in enumerate(outputs[1:], start=2):
            output.rename(bundle / f"{PARTS_FOLDER}{number}")
        return SearchIndex(None, pages=indexed)
    except OSError as error:
        raise SearchIndexError(f"no se pudo crear el índice de búsqueda: {error}") from error
    finally:
        for folder in parts + outputs:
            shutil.rmtree(folder, ignore_errors=True)


def link_pages(records: Path, part: Path, names: list[str]) -> None:
    """A folder holding only the record pages `names` (hard links), for one Pagefind run."""
    shutil.rmtree(part, ignore_errors=True)
    for name in names:
        folder = part / RECORDS / name
        folder.mkdir(parents=True)
        os.link(records / name / RECORD_PAGE, folder / RECORD_PAGE)


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
