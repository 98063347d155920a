"""What a build can reuse from the previous one.

- Parsed and validated record files (loader.LoadCache), keyed by file size, time and inode.
- Rendered files, keyed by a digest of everything they are made from (the record, its
  related records, the templates, the vocabularies...). A file whose key did not change is
  not rendered again: its bytes come from memory (`serve`), or, when the cache was read
  from disk, from the published site (a `Published` reference, linked, never re-read).

`serve` keeps one BuildCache in memory; `build` stores one under `.cache/` so a new
process can reuse the previous build's work. A cache that cannot be read is ignored: it
only ever saves time, never changes the output.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from catalogo import __version__
from catalogo.digests import digest, digest_text
from catalogo.exports import RecordExports
from catalogo.loader import LoadCache
from catalogo.output import Content, Published

CACHE_VERSION = 1


@dataclass
class CachedFile:
    key: str
    digest: str
    content: bytes | None  # None when the bytes are only in the published site


@dataclass
class RenderCache:
    files: dict[str, CachedFile] = field(default_factory=dict)
    items: dict[tuple[str, str, bool], Markup] = field(default_factory=dict)
    exports: dict[str, RecordExports] = field(default_factory=dict)
    # a record's page: (what it was made of, (name, bytes)), by record id; in memory only
    record_pages: dict[str, tuple[tuple[str, ...], tuple[str, Content]]] = field(
        default_factory=dict
    )
    # a record's citation files (name, bytes), by record token: kept in memory only
    record_files: dict[str, tuple[tuple[str, Content], ...]] = field(default_factory=dict)
    items_key: str = ""  # the global token the items and exports were made with
    relations: dict[str, list[str]] = field(default_factory=dict)
    relations_key: str = ""
    relation_facts: dict[str, str] = field(default_factory=dict)  # by record token
    bytecode: dict[str, bytes] = field(default_factory=dict)  # compiled templates
    enie_words: list[str] = field(default_factory=list)
    record_words: dict[str, frozenset[str]] = field(default_factory=dict)  # by record token
    enie_key: str = ""
    stale: set[str] = field(default_factory=set)  # files the last render kept out of date
    # serve keeps the bytes of every file for the next rebuild; a one-off build keeps only
    # digests, so its pages can be freed once written
    keep_content: bool = True
    hits: int = 0
    misses: int = 0

    def lookup(self, path: str, key: str, published: Mapping[str, str]) -> bytes | Published | None:
        cached = self.files.get(path)
        if cached is None or cached.key != key:
            self.misses += 1
            return None
        if cached.content is not None:
            self.hits += 1
            return cached.content
        if published.get(path) == cached.digest:
            self.hits += 1
            return Published(cached.digest)
        self.misses += 1
        return None

    def store(self, path: str, key: str, content: bytes | Published, digest: str) -> None:
        data = content if isinstance(content, bytes) and self.keep_content else None
        self.files[path] = CachedFile(key, digest, data)

    def digests(self) -> dict[str, str]:
        return {path: cached.digest for path, cached in self.files.items()}

    def forget_except(self, paths: set[str], tokens: set[str]) -> None:
        """Drop what the last build no longer has, so a long `serve` does not grow."""
        for path in list(self.files):
            if path not in paths:
                del self.files[path]
        for token in list(self.exports):
            if token not in tokens:
                del self.exports[token]
        for key in list(self.items):
            if key[0] not in tokens:
                del self.items[key]
        for memo in (self.record_words, self.relation_facts, self.record_files):
            for token in [token for token in memo if token not in tokens]:
                del memo[token]
        for name in [name for name, (_, page) in self.record_pages.items() if page[0] not in paths]:
            del self.record_pages[name]


@dataclass
class BuildCache:
    load: LoadCache = field(default_factory=LoadCache)
    render: RenderCache = field(default_factory=RenderCache)

    def save(self, path: Path) -> None:
        """Store the cache without file contents (they are in the published site)."""
        slim = RenderCache(
            files={name: CachedFile(c.key, c.digest, None) for name, c in self.render.files.items()}
        )
        data = pickle.dumps(
            (CACHE_VERSION, code_digest(), self.load.records, slim.files),
            protocol=pickle.HIGHEST_PROTOCOL,
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + f".{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)

    @classmethod
    def read(cls, path: Path) -> BuildCache:
        """The stored cache, or an empty one when it is missing, stale or unreadable."""
        try:
            version, code, records, files = pickle.loads(path.read_bytes())
        except Exception:  # a broken cache is never the editor's problem: start afresh
            return cls()
        if version != CACHE_VERSION or code != code_digest():
            return cls()
        cache = cls()
        cache.load.records = records
        cache.render.files = files
        return cache


def code_digest() -> str:
    """Changes whenever the generator's own code changes, so no stale output survives."""
    parts = [__version__]
    package = Path(__file__).parent
    for source in sorted(package.glob("*.py")):
        with contextlib.suppress(OSError):
            parts.append(f"{source.name} {digest(source.read_bytes())}")
    return digest_text("\n".join(parts))


def cache_file(cache_dir: Path, catalog_dir: Path, out_dir: Path) -> Path:
    """One cache per catalog and output folder."""
    name = f"{catalog_dir.resolve()}\0{out_dir.resolve()}".encode()
    return cache_dir / f"build-{digest(name)[:16]}.pickle"
