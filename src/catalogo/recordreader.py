"""Every record file of a load, read one after another, or across the machine's cores when a
one-off build reads many of them.

Reading a file (YAML with the line of every key, then pydantic, then its Record) does not
depend on any other file, and it is most of a cold load: 1.8 s of 2.1 s at 10,000 records on
one core. A load without a LoadCache (a one-off build; `serve` keeps its cache and reads
here one file after another) of at least PARALLEL_FROM files splits them into one share
of consecutive files per core (workers.run_shares): this process reads the first, a forked
child each other one and sends back, in file order, what the loader keeps of each file: its
problems, its document and its record. The shares joined in order are what one process
reading every file gives, so the catalog, its problems and their order do not depend on the
way the files were read. A child sends the Record it made rather than the validated fields:
unpickling one costs about what unpickling the other does, and making 10,000 Records here
took another 0.2 s.
"""

from __future__ import annotations

import functools
from typing import Any

from catalogo.catalogfiles import RecordFile
from catalogo.models import SLUG, Record
from catalogo.problems import Problem
from catalogo.recordfile import LoadCache, context_key, read_record
from catalogo.workers import available_cores, can_fork, run_shares, runs
from catalogo.yamlfile import Document

# Measured with benchmarks/load.py on 2 cores: below about 400 files forking costs more than
# it saves (200 files: 45 ms in one process, 53 ms across the cores); 500 files load in 8 %
# less time across the cores, 1,000 in 21 % less, 10,000 in 22 % less (2.1 -> 1.7 s).
PARALLEL_FROM = 500
FileRead = tuple[list[Problem], Document | None, Record | None]  # problems, document, record


def read_record_files(
    files: list[RecordFile],
    context: dict[str, Any],
    cache: LoadCache | None,
    parallel_from: int = PARALLEL_FROM,
) -> list[FileRead]:
    """What each file gives, in file order. `parallel_from`: how many files it takes to read
    them across the machine's cores (never with a cache, which lives in this process)."""
    key = context_key(context)
    shares = min(available_cores(), len(files))
    if cache is None and shares > 1 and len(files) >= parallel_from and can_fork():
        work = functools.partial(_read_share, files, context, key)
        return [read for answer in run_shares(work, shares, first_here=True) for read in answer]
    return [read_record_file(file, cache, context, key) for file in files]


def read_record_file(
    file: RecordFile, cache: LoadCache | None, context: dict[str, Any], key: str
) -> FileRead:
    """One record file: its problems, its document if it could be read, and its record if
    it validated and its name can be an id."""
    section_id, path, display = file
    source = read_record(path, display, cache, context, key)
    record_id = path.stem
    if source.fields is None or source.document is None or not SLUG.fullmatch(record_id):
        return source.problems, source.document, None
    if source.record is None or source.record.seccion != section_id:
        source.record = Record.from_file(
            source.fields, record_id, section_id, source.document.digest
        )
    return source.problems, source.document, source.record


def _read_share(
    files: list[RecordFile], context: dict[str, Any], key: str, share: int, shares: int
) -> list[FileRead]:
    """One share of consecutive files."""
    return [read_record_file(file, None, context, key) for file in runs(files, shares)[share]]
