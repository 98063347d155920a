"""What a browser downloads for a first search query: read Pagefind's own index files
(CBOR) to know which files a query fetches, and add up their sizes.
"""

from __future__ import annotations

import gzip
import json
import unicodedata
from pathlib import Path
from typing import Any

QUERY = "víctima"  # a typical one-word query of the real users
RESULTS_SHOWN = 10  # static/buscar.js shows results 10 at a time (PAGE_SIZE)


def _cbor(data: bytes, at: int = 0) -> tuple[Any, int]:
    """A minimal CBOR decoder, enough for Pagefind's index files."""
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        value: Any = info
    elif info in (24, 25, 26, 27):
        width = {24: 1, 25: 2, 26: 4, 27: 8}[info]
        value = int.from_bytes(data[at : at + width], "big")
        at += width
    elif info == 31:
        value = None  # indefinite length
    else:
        raise ValueError(f"unsupported CBOR item {head:#x}")
    if major == 0:
        return value, at
    if major == 1:
        return -1 - value, at
    if major in (2, 3):
        raw = data[at : at + value]
        return (raw.decode("utf-8") if major == 3 else raw), at + value
    if major == 4:
        items = []
        if value is None:
            while data[at] != 0xFF:
                item, at = _cbor(data, at)
                items.append(item)
            return items, at + 1
        for _ in range(value):
            item, at = _cbor(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(value):
            key, at = _cbor(data, at)
            mapping[key], at = _cbor(data, at)
        return mapping, at
    if major == 7:
        return {20: False, 21: True, 22: None}.get(info, value), at
    raise ValueError(f"unsupported CBOR major type {major}")


def _pagefind_file(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    signature = b"pagefind_dcd"
    if not data.startswith(signature):
        raise ValueError(f"{path.name}: not a Pagefind data file")
    return _cbor(data, len(signature))[0]


def _normalize(term: str) -> str:
    """What pagefind.js does to a query before asking for index chunks."""
    folded = unicodedata.normalize("NFD", term.lower())
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def first_query_download(site: Path, query: str = QUERY) -> dict[str, int]:
    """Bytes a browser fetches from pagefind/ for a first one-word query, by file kind.

    Method (Pagefind 1.x, as static/buscar.js drives it; computed from the files, no browser):
    buscar.js imports pagefind.js, which starts pagefind-worker.js; the worker reads
    pagefind-entry.json, then the language's metadata (pagefind.<hash>.pf_meta) and its
    WebAssembly (wasm.<lang>.pagefind). buscar.js then calls pagefind.filters(), which
    loads every filter chunk listed in the metadata. For the query, Pagefind lowercases and
    strips accents and loads the one index chunk whose [from, to] word range holds the term
    (pagefind_web's request_indexes; else the first chunk that may hold an extension of it).
    Then buscar.js asks data() for the first 10 results: one fragment each. To find them,
    the chunk is decoded and the pages of every word starting with the query's stem (the
    term without trailing vowels, approximating the Spanish stemmer) are ranked by number of
    occurrences; a browser ranks by BM25, but fragments are of similar size, so the
    difference is small. Sizes are of the files as written: the .pf_* files and the wasm are
    already gzip-compressed; pagefind.js, the worker and the entry JSON are plain text a
    server may compress further (the `js_gzip` entry says by how much).
    A catalog indexed in parts (search.py: pagefind/parte-N/) costs, for each part, its
    entry, metadata, filters and index chunk too (pagefind.mergeIndex); the first 10
    results are the best of all parts.
    """
    bundle = site / "pagefind"
    others = sorted(
        (p for p in bundle.glob("parte-*") if p.is_dir()), key=lambda p: int(p.name[6:])
    )
    parts = [bundle, *others]
    sizes = {
        "pagefind.js": (bundle / "pagefind.js").stat().st_size,
        "worker": _size(bundle / "pagefind-worker.js"),
        "entry": 0,
        "meta": 0,
        "wasm": 0,
        "filters": 0,
        "index": 0,
    }
    term = _normalize(query)
    found: list[tuple[int, int]] = []  # (occurrences, fragment size) of each page found
    for part in parts:
        part_sizes, part_found = _bundle_query(part, term)
        for key, value in part_sizes.items():
            sizes[key] += value
        found += part_found
    best = sorted(found, key=lambda item: -item[0])[:RESULTS_SHOWN]
    sizes["fragments"] = sum(size for _, size in best)
    sizes["results"] = len(found)
    sizes["parts"] = len(parts)
    text = b"".join(
        (bundle / name).read_bytes()
        for name in ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json")
        if (bundle / name).exists()
    )
    sizes["js_gzip"] = len(gzip.compress(text, 6))
    sizes["total"] = sum(v for k, v in sizes.items() if k not in ("results", "js_gzip", "parts"))
    return sizes


def _bundle_query(bundle: Path, term: str) -> tuple[dict[str, int], list[tuple[int, int]]]:
    """What one bundle costs a first query (see first_query_download), and its pages found."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    languages = entry["languages"]
    language = languages.get("es") or next(iter(languages.values()))
    meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
    meta = _pagefind_file(meta_path)
    pages, chunks, filters = meta[1], meta[2], meta[3]
    primary = bundle.name == "pagefind"  # merged parts use the first bundle's wasm
    sizes = {
        "entry": (bundle / "pagefind-entry.json").stat().st_size,
        "meta": meta_path.stat().st_size,
        "wasm": (bundle / f"wasm.{language['wasm']}.pagefind").stat().st_size if primary else 0,
        "filters": sum(_size(bundle / "filter" / f"{h}.pf_filter") for _, h in filters),
    }
    chunk = next((c for c in chunks if c[0] <= term <= c[1]), None)
    if chunk is None:
        chunk = next(
            (c for c in chunks if term[: len(c[0])] >= c[0][: len(term)] and term <= c[1]),
            chunks[0],
        )
    chunk_path = bundle / "index" / f"{chunk[2]}.pf_index"
    sizes["index"] = chunk_path.stat().st_size
    stem = term.rstrip("aeiou") or term
    hits: dict[int, int] = {}
    for word_entry in _pagefind_file(chunk_path)[0]:
        if str(word_entry[0]).startswith(stem):
            for page, count in _word_pages(word_entry):
                hits[page] = hits.get(page, 0) + count
    found = [
        (count, _size(bundle / "fragment" / f"{pages[page][0]}.pf_fragment"))
        for page, count in hits.items()
    ]
    return sizes, found


def _word_pages(word_entry: list[Any]) -> list[tuple[int, int]]:
    """(page number, occurrences) of one index word. In Pagefind 1.5 a word is
    [stem, pages, [[variant, pages], ...]]; each page is [page delta, locations, ...], with
    page numbers delta-encoded within their list and negative location values as weights."""
    lists = [word_entry[1]] if len(word_entry) > 1 and isinstance(word_entry[1], list) else []
    if len(word_entry) > 2 and isinstance(word_entry[2], list):
        lists += [v[1] for v in word_entry[2] if isinstance(v, list) and len(v) > 1]
    found = []
    for pages in lists:
        number = 0
        for page in pages:
            number += page[0]
            found.append((number, sum(1 for loc in page[1] if loc >= 0)))
    return found


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0
