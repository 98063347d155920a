"""One record file, read and validated against the vocabularies; and LoadCache, what a load
keeps for the next one (serve, benchmarks) so that a file is read again only when it changed.

A file counts as unchanged while its size, modification time and inode are the same and
the vocabularies it was validated against are too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from catalogo.checks import WarningsMemo
from catalogo.digests import digest_text
from catalogo.models import FREE_TEXT_KEYS, Record, RecordFields
from catalogo.problems import Problem
from catalogo.validation import not_a_mapping, problems_from_validation
from catalogo.yamlfile import MAX_BYTES, Document, read_document


@dataclass(frozen=True)
class FileStamp:
    """What identifies one version of a file without reading it."""

    size: int
    mtime_ns: int
    inode: int


@dataclass
class RecordSource:
    """One record file as read: its document (for line numbers) and its validated fields."""

    stamp: FileStamp | None
    document: Document | None
    fields: RecordFields | None
    problems: list[Problem]
    context_key: str  # the vocabularies it was validated against
    record: Record | None = None  # made once from `fields`, reused while the file is unchanged


@dataclass
class LoadCache:
    """Parsed and validated record files kept between builds of `serve` and benchmarks.

    A file is parsed again only when its size, modification time or inode changed.
    """

    records: dict[str, RecordSource] = field(default_factory=dict)  # by file path
    paths: dict[str, Path] = field(default_factory=dict)  # record files seen, by path
    warnings: WarningsMemo = field(default_factory=dict)  # by record id
    hits: int = 0
    misses: int = 0
    parsed: list[str] = field(default_factory=list)  # files read afresh by the last load


def context_key(context: dict[str, Any]) -> str:
    """A short key for the vocabularies: comparing it instead of the sets themselves keeps
    a cached load linear (it was quadratic: 2.7 s at 10,000)."""
    return digest_text(repr(sorted((key, sorted(values)) for key, values in context.items())))


def read_record(
    path: Path,
    display: str,
    cache: LoadCache | None,
    context: dict[str, Any],
    key: str,
) -> RecordSource:
    """The record file at `path`, from the cache while it is unchanged."""
    stamp = _stamp(path)
    if cache is not None and stamp is not None:
        cached = cache.records.get(os.fspath(path))
        if cached is not None and cached.stamp == stamp and cached.context_key == key:
            cache.hits += 1
            return cached
        cache.misses += 1
        cache.parsed.append(display)
    source = _parse_record(path, display, stamp, context, key)
    if cache is not None and stamp is not None:
        cache.records[os.fspath(path)] = source
    return source


def _parse_record(
    path: Path,
    display: str,
    stamp: FileStamp | None,
    context: dict[str, Any],
    key: str,
) -> RecordSource:
    document = read_document(path, display, MAX_BYTES)
    if isinstance(document, Problem):
        return RecordSource(stamp, None, None, [document], key)
    if not isinstance(document.data, dict):
        return RecordSource(stamp, document, None, [not_a_mapping(document)], key)
    cut = document.cut_text_problems(FREE_TEXT_KEYS)
    try:
        fields = RecordFields.model_validate(document.data, context=context)
    except ValidationError as error:
        problems = cut + problems_from_validation(error, document, RecordFields)
        return RecordSource(stamp, document, None, problems, key)
    return RecordSource(stamp, document, fields, cut, key)


def _stamp(path: Path) -> FileStamp | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return FileStamp(status.st_size, status.st_mtime_ns, status.st_ino)


def forget_missing(cache: LoadCache, present: set[str]) -> None:
    """Drop the files that are gone, so a long `serve` does not grow."""
    for path in list(cache.records):
        if path not in present:
            del cache.records[path]
    if len(cache.paths) > len(present):
        for path in [path for path in cache.paths if path not in present]:
            del cache.paths[path]
