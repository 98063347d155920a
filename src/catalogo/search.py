"""The search index: Pagefind, fed with the rendered record pages straight from memory.

Pagefind runs as a local helper process (the `pagefind_bin` wheel); it stems Spanish,
folds accents and builds filter counts. Only pages marked `data-pagefind-body` (the
resource pages) are sent, so the index never holds menus or lists.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

BODY_MARKER = b"data-pagefind-body"
BATCH = 64


class SearchIndexError(Exception):
    """Pagefind could not build the index (the message says why)."""


@dataclass(frozen=True)
class SearchStats:
    pages: int


def page_url(base: str, relative: str) -> str:
    return base + relative.removesuffix("index.html")


def indexable_pages(pages: Mapping[str, bytes]) -> list[tuple[str, bytes]]:
    return [
        (path, html)
        for path, html in pages.items()
        if path.endswith(".html") and BODY_MARKER in html
    ]


async def _build_index(pages: list[tuple[str, bytes]], base: str, output: Path) -> None:
    config: IndexConfig = {"force_language": "es", "output_path": str(output)}
    async with PagefindIndex(config=config) as index:
        for start in range(0, len(pages), BATCH):
            batch = pages[start : start + BATCH]
            await asyncio.gather(
                *(
                    index.add_html_file(content=html.decode("utf-8"), url=page_url(base, path))
                    for path, html in batch
                )
            )
        await index.write_files(output_path=str(output))


def index_site(pages: Mapping[str, bytes], site_root: Path, base: str) -> SearchStats:
    """Write the Pagefind bundle into `site_root/pagefind/`."""
    selected = indexable_pages(pages)
    try:
        asyncio.run(_build_index(selected, base, site_root / "pagefind"))
    except (OSError, AssertionError, RuntimeError) as error:
        raise SearchIndexError(f"no se pudo crear el índice de búsqueda: {error}") from error
    return SearchStats(pages=len(selected))
