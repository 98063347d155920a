"""The one memo layer: what `serve` keeps from one rebuild to the next, so that an edit
costs what it changes.

- The parsed and validated record files (recordfile.LoadCache), while each file is unchanged.
- For each generated file, what it was made of (its key: the site's key and the
  fingerprints of the records it shows) and the digest of its bytes. A file whose key is
  unchanged is not rendered again: the stage keeps it, or links it from the published site.
- Pieces made per record (its entry in lists, its part of the open data, its words with
  «ñ»), by record fingerprint; values made from the whole catalog (the related records),
  with what they were made from.
- The compiled templates, and the Markdown texts converted (markup.Conversions).

A one-off `build` uses a memo that is switched off (`Memo(enabled=False)`): it forgets
everything at the end of the build, so nothing outlives it, and every file is rendered. The
memo never changes a byte of the site: tests/test_incremental.py checks that rebuilds with
it write the same files as rebuilds without it, and as a cold build.

While `serve` publishes the pages of an edit (`deferring`), the files marked `later` in the
site map (the catalog-wide open data, the search page's word list), the search index and
the printable catalog may stay as the last build left them; they are listed in `stale`, and
serve's follow-up build brings them up to date.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from catalogo.markup import Conversions
from catalogo.recordfile import LoadCache

T = TypeVar("T")
Key = tuple[object, ...]


@dataclass
class Memo:
    enabled: bool = True
    load: LoadCache = field(default_factory=LoadCache)
    files: dict[str, tuple[Key, str]] = field(default_factory=dict)  # path -> (key, digest)
    # per-record pieces, by kind; each key starts with the record's fingerprint
    pieces: dict[str, dict[tuple[Any, ...], Any]] = field(default_factory=dict)
    site_key: str = ""  # the site key the pieces were made with
    values: dict[str, tuple[Key, Any]] = field(default_factory=dict)  # by name: (key, value)
    bytecode: dict[str, bytes] = field(default_factory=dict)
    conversions: Conversions = field(default_factory=Conversions)  # Markdown, by text
    deferring: bool = False
    stale: set[str] = field(default_factory=set)
    rendered: int = 0  # files rendered by the last build, for tests and benchmarks

    def load_cache(self) -> LoadCache | None:
        return self.load if self.enabled else None

    def begin(self, site_key: str) -> None:
        """A build starts: pieces made for another site key (templates, vocabularies,
        addresses changed) are forgotten."""
        if site_key != self.site_key:
            self.pieces.clear()
            self.values.clear()
            self.site_key = site_key
        self.stale.clear()
        self.rendered = 0

    def piece_store(self, kind: str) -> dict[tuple[Any, ...], Any]:
        return self.pieces.setdefault(kind, {})

    def piece(self, kind: str, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        store = self.piece_store(kind)
        if key in store:
            value: T = store[key]
            return value
        made = store[key] = make()
        return made

    def value(self, name: str, key: Key, make: Callable[[], T]) -> T:
        """A value computed from the whole catalog, made again only when its key changed."""
        kept = self.values.get(name) if self.enabled else None
        if kept is not None and kept[0] == key:
            value: T = kept[1]
            return value
        made = make()
        if self.enabled:
            self.values[name] = (key, made)
        return made

    def known(self, path: str, key: Key) -> str | None:
        """The digest of the file at `path` if it was made of the same things."""
        if not self.enabled:
            return None
        kept = self.files.get(path)
        return kept[1] if kept is not None and kept[0] == key else None

    def kept_while_deferring(self, path: str) -> str | None:
        """The digest the file had at the last build, while serve publishes an edit first."""
        kept = self.files.get(path) if self.enabled and self.deferring else None
        return kept[1] if kept is not None else None

    def remember(self, path: str, key: Key, file_digest: str) -> None:
        if self.enabled:
            self.files[path] = (key, file_digest)

    def finish(self, paths: set[str], fingerprints: set[str]) -> None:
        """A build ended: forget what it no longer has, so a long `serve` does not grow; a
        memo that is switched off forgets everything."""
        if not self.enabled:
            self.pieces.clear()
            self.bytecode.clear()
            self.conversions = Conversions()
            return
        for path in [path for path in self.files if path not in paths]:
            del self.files[path]
        for store in self.pieces.values():
            for key in [key for key in store if key[0] not in fingerprints]:
                del store[key]

    @contextlib.contextmanager
    def publishing_first(self) -> Iterator[None]:
        """serve's quick rebuild: the pages now, the slow catalog-wide files after."""
        self.deferring = True
        try:
            yield
        finally:
            self.deferring = False
