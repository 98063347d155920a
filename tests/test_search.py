"""The search index: made by Pagefind from the staged pages, reused while they are the same,
in parts past a size, and kept as it was while serve publishes an edit first."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from catalogo import search
from catalogo.incremental import Memo
from catalogo.output import Manifest, open_stage, publish, stage_static
from catalogo.pipeline import build_site
from catalogo.search import SearchIndex, update_index
from tests.support import example_options


class FakeIndexer:
    """Stands for Pagefind: writes a one-file index and counts its runs."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self, root: Path, part_pages: int) -> SearchIndex:
        self.runs += 1
        (root / "pagefind").mkdir()
        (root / "pagefind" / "pagefind.js").write_text(f"indice {self.runs}", encoding="utf-8")
        return SearchIndex(None, pages=1)


@pytest.fixture
def indexer(monkeypatch: pytest.MonkeyPatch) -> FakeIndexer:
    fake = FakeIndexer()
    monkeypatch.setattr(search, "index_site", fake)
    return fake


def publish_with_index(out: Path, page: bytes, keep_stale: bool = False) -> SearchIndex:
    stage = open_stage(out, [])
    files = {"index.html": stage.put("index.html", page)} | stage_static(stage, None)
    made = update_index(stage, files, search.PART_PAGES, keep_stale)
    publish(stage, Manifest(files, {"pagefind": made.key} if made.key else {}))
    return made


def test_an_index_of_the_same_pages_is_reused(indexer: FakeIndexer, tmp_path: Path) -> None:
    out = tmp_path / "_site"
    for page in (b"a", b"a", b"a", b"b"):
        publish_with_index(out, page)
    assert indexer.runs == 2, "made for «a», copied and kept for «a», made again for «b»"
    assert (out / "pagefind" / "pagefind.js").read_text(encoding="utf-8") == "indice 2"


def test_a_stale_index_is_kept_while_serve_publishes_first(
    indexer: FakeIndexer, tmp_path: Path
) -> None:
    out = tmp_path / "_site"
    publish_with_index(out, b"uno")
    quick = publish_with_index(out, b"dos", keep_stale=True)
    assert quick.stale and indexer.runs == 1
    assert (out / "pagefind" / "pagefind.js").read_text(encoding="utf-8") == "indice 1"
    full = publish_with_index(out, b"dos")
    assert not full.stale and indexer.runs == 2
    again = publish_with_index(out, b"dos", keep_stale=True)
    assert not again.stale and indexer.runs == 2, "the published index is current: copied"


def test_a_build_without_search_drops_the_index(example_catalog: Path, tmp_path: Path) -> None:
    out = tmp_path / "_site"
    build_site(example_options(example_catalog, out, search=True))
    assert (out / "pagefind" / "pagefind.js").is_file()
    build_site(example_options(example_catalog, out, search=False))
    assert not (out / "pagefind").exists()


def test_a_large_index_is_made_in_parts_that_the_search_page_merges(
    example_catalog: Path, tmp_path: Path
) -> None:
    out = tmp_path / "_site"
    options = example_options(example_catalog, out, search=True, search_part_pages=3)
    report = build_site(options)
    assert report.search_pages == 4  # 3 in pagefind/, 1 in pagefind/parte-2/
    assert (out / "pagefind" / "pagefind.js").is_file()
    assert (out / "pagefind" / "parte-2" / "pagefind-entry.json").is_file()
    assert not (out / "pagefind" / "parte-3").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".indice")], "no leftovers"
    search_page = (out / "buscar" / "index.html").read_text(encoding="utf-8")
    assert 'data-partes="[&#34;/pagefind/parte-2/&#34;]"' in search_page
    whole = build_site(replace(options, search_part_pages=2000), Memo())
    assert whole.search_pages == 4 and not (out / "pagefind" / "parte-2").exists()
    assert 'data-partes="[]"' in (out / "buscar" / "index.html").read_text(encoding="utf-8")
