"""Load a catalog folder into a validated, cross-checked Catalog, or report every problem.

Layout of a catalog folder:

    _*.yaml             settings files: what the catalog is, sections, series, the
                        vocabularies, the ways to explore it (settingsfiles.py)
    _enlaces.yaml       what `links` found at each address (optional; see linkfacts.py)
    <seccion>/<id>.yaml one record per file; the id is the file name (catalogfiles.py
                        finds them, recordfile.py reads each one)
    *.md                notes for editors (ignored by the build)

Everything is read and checked before anything is built: the settings files, every record
file (read_catalog), then the checks across files (check_catalog), so an editor sees every
problem of every file at once. load_catalog does both; a build does them apart, to convert
the records' Markdown in workers while it checks them (pipeline.py).
"""

from __future__ import annotations

import dataclasses
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalogo.catalog import BrowsePage, Catalog, LinkFact, Section, Series, Vocabularies
from catalogo.catalogfiles import RecordFile, find_record_files
from catalogo.checks import browse_warnings, collect_warnings, series_warnings
from catalogo.crosschecks import check_related, cross_check_records
from catalogo.invisible import show_invisible
from catalogo.models import Record
from catalogo.problems import CatalogError, Problem, display_path, problem_order
from catalogo.recordfile import LoadCache, forget_missing
from catalogo.recordreader import PARALLEL_FROM, read_record_files
from catalogo.settingsfiles import (
    SETTINGS_FILES,
    check_folders,
    cross_check_settings,
    load_link_facts,
    load_settings_files,
    validation_context,
)
from catalogo.yamlfile import Document


@dataclass(frozen=True)
class LoadResult:
    catalog: Catalog
    warnings: list[Problem]
    documents: dict[str, Document]


@dataclass
class RecordsRead:
    """The record files of a load: the records that validated, the documents read (for
    line numbers), and the files of each id (two files with one id are a problem)."""

    records: list[Record] = field(default_factory=list)
    documents: dict[str, Document] = field(default_factory=dict)
    paths_by_id: dict[str, list[Path]] = field(default_factory=lambda: defaultdict(list))


@dataclass
class CatalogRead:
    """A catalog folder read file by file (read_catalog), before the checks across files
    (check_catalog)."""

    settings: dict[str, Any]
    setting_documents: dict[str, Document]
    link_facts: dict[str, LinkFact]
    records: RecordsRead
    problems: list[Problem]
    cache: LoadCache | None

    def texts(self) -> list[str]:
        """The Markdown of the records and series read: their descriptions."""
        texts = [record.descripcion for record in self.records.records if record.descripcion]
        series: dict[str, Series] = self.settings.get("_series.yaml", {})
        return texts + [entry.descripcion for entry in series.values() if entry.descripcion]


def load_catalog(
    directory: Path, cache: LoadCache | None = None, parallel_from: int = PARALLEL_FROM
) -> LoadResult:
    """Load, validate and cross-check everything; raise CatalogError listing every problem.
    Without a cache, `parallel_from` record files or more are read across the machine's
    cores (recordreader.py)."""
    return check_catalog(read_catalog(directory, cache, parallel_from))


def read_catalog(
    directory: Path, cache: LoadCache | None = None, parallel_from: int = PARALLEL_FROM
) -> CatalogRead:
    """Every settings and record file, each parsed and validated on its own; what is
    wrong in them waits for check_catalog, which reports it with the rest."""
    try:
        return _read_catalog(directory, cache, parallel_from)
    except CatalogError as error:
        raise CatalogError([printable(problem) for problem in error.problems]) from None


def check_catalog(read: CatalogRead) -> LoadResult:
    """The checks across files, then the Catalog and its warnings; raise CatalogError
    listing every problem of every file."""
    try:
        result = _check_catalog(read)
    except CatalogError as error:
        raise CatalogError([printable(problem) for problem in error.problems]) from None
    warnings = [printable(problem) for problem in result.warnings]
    return LoadResult(catalog=result.catalog, warnings=warnings, documents=result.documents)


def printable(problem: Problem) -> Problem:
    """The problem with file names made printable: a name may hold bytes that are not UTF-8
    (a zip made on Windows) or control characters, which would break the terminal, GitHub
    annotations or the printing itself."""
    if problem.path.isprintable() and problem.field.isprintable() and problem.message.isprintable():
        return problem
    return dataclasses.replace(
        problem,
        path=show_invisible(problem.path),
        field=show_invisible(problem.field),
        message=show_invisible(problem.message),
    )


def _read_catalog(root: Path, cache: LoadCache | None, parallel_from: int) -> CatalogRead:
    if not root.is_dir():
        raise CatalogError(
            [Problem(display_path(root), None, "", "no existe la carpeta del catálogo")]
        )
    if cache is not None:
        cache.parsed.clear()
    problems: list[Problem] = []
    setting_documents: dict[str, Document] = {}
    settings = load_settings_files(root, problems, setting_documents)
    link_facts = load_link_facts(root, problems)
    known_paths = cache.paths if cache is not None else None
    files = find_record_files(root, settings.get("_secciones.yaml"), problems, known_paths)
    read = _read_records(files, validation_context(settings), cache, problems, parallel_from)
    return CatalogRead(settings, setting_documents, link_facts, read, problems, cache)


def _check_catalog(catalog_read: CatalogRead) -> LoadResult:
    settings, setting_documents = catalog_read.settings, catalog_read.setting_documents
    read, problems = catalog_read.records, list(catalog_read.problems)
    problems.extend(_repeated_ids(read.paths_by_id))
    if not all(name in settings for name in SETTINGS_FILES):
        raise_errors(problems)  # without vocabularies nothing else can be checked
    vocabularies = Vocabularies(
        tipos=settings["_tipos.yaml"],
        publicos=settings["_publicos.yaml"],
        instituciones=settings["_instituciones.yaml"],
        idiomas=settings["_idiomas.yaml"],
        formatos=settings["_formatos.yaml"],
    )
    problems.extend(_cross_check(settings, setting_documents, vocabularies, read))
    raise_errors(problems)

    catalog = _make_catalog(settings, vocabularies, read.records, catalog_read.link_facts)
    memo = catalog_read.cache.warnings if catalog_read.cache is not None else None
    found = collect_warnings(catalog, read.documents, memo)
    found += series_warnings(settings["_series.yaml"], setting_documents["_series.yaml"])
    found += browse_warnings(catalog.browse, setting_documents.get("_explorar.yaml"))
    warnings = sorted(problems + found, key=problem_order)
    return LoadResult(catalog=catalog, warnings=warnings, documents=read.documents)


def raise_errors(problems: list[Problem]) -> None:
    """Stop with the errors found so far, if any. The warnings found meanwhile (a backup
    file, say) wait for a catalog without errors: they would only bury the errors."""
    errors = [problem for problem in problems if problem.is_error]
    if errors:
        raise CatalogError(errors)


def _read_records(
    files: list[RecordFile],
    context: dict[str, Any],
    cache: LoadCache | None,
    problems: list[Problem],
    parallel_from: int,
) -> RecordsRead:
    """Every record file, validated against the vocabularies that loaded."""
    read = RecordsRead()
    reads = read_record_files(files, context, cache, parallel_from)
    for (_, path, _), (file_problems, document, record) in zip(files, reads, strict=True):
        record_id = path.stem
        problems.extend(file_problems)
        if document is not None:
            read.documents[record_id] = document
        read.paths_by_id[record_id].append(path)
        if record is not None:
            read.records.append(record)
    if cache is not None:
        forget_missing(cache, {os.fspath(path) for _, path, _ in files})
    return read


def _repeated_ids(paths_by_id: dict[str, list[Path]]) -> list[Problem]:
    problems: list[Problem] = []
    for record_id, paths in paths_by_id.items():
        if len(paths) > 1:
            others = ", ".join(display_path(p) for p in paths)
            problems.extend(
                Problem(
                    display_path(path),
                    1,
                    "",
                    f"el identificador «{record_id}» se repite en {others}; cada registro "
                    "necesita un nombre de archivo único: renombra uno de ellos",
                )
                for path in paths
            )
    return problems


def _cross_check(
    settings: dict[str, Any],
    documents: dict[str, Document],
    vocabularies: Vocabularies,
    read: RecordsRead,
) -> list[Problem]:
    """The checks across files. Records that validated are cross-checked even when other
    files have errors, so an editor sees every problem of every file at once."""
    sections: dict[str, Section] = settings["_secciones.yaml"]
    browse: dict[str, BrowsePage] = settings.get("_explorar.yaml", {})
    problems = cross_check_settings(
        documents, settings["_catalogo.yaml"], sections, settings["_series.yaml"], vocabularies
    )
    problems.extend(check_folders(documents, sections, browse))
    record_ids = frozenset(read.paths_by_id)
    for record_id, document in read.documents.items():
        problems.extend(check_related(record_id, document, record_ids))
    problems.extend(cross_check_records(read.records, read.documents))
    return problems


def _make_catalog(
    settings: dict[str, Any],
    vocabularies: Vocabularies,
    records: list[Record],
    link_facts: dict[str, LinkFact],
) -> Catalog:
    """The Catalog, its sections, series and records in reading order."""
    sections: dict[str, Section] = settings["_secciones.yaml"]
    series: dict[str, Series] = settings["_series.yaml"]
    ordered = tuple(
        sorted(
            records,
            key=lambda r: (sections[r.seccion].orden, r.seccion, r.first_year or 9999, r.id),
        )
    )
    return Catalog(
        info=settings["_catalogo.yaml"],
        sections=dict(sorted(sections.items(), key=lambda item: (item[1].orden, item[0]))),
        series=dict(sorted(series.items())),
        vocabularies=vocabularies,
        records=ordered,
        link_facts=link_facts,
        browse=settings.get("_explorar.yaml", {}),
    )
