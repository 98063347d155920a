"""Load a catalog folder into a validated, cross-checked Catalog, or report every problem.

Layout of a catalog folder:

    _catalogo.yaml      what the catalog is (home and about pages)
    _secciones.yaml     sections; each one is a folder of records
    _series.yaml        series (groups of records)
    _tipos.yaml _publicos.yaml _instituciones.yaml _idiomas.yaml _formatos.yaml
                        vocabularies
    _explorar.yaml      ways to explore the catalog: browse pages by type, audience, year...
                        (optional; without it there are none)
    _enlaces.yaml       what `links` found at each address (optional; see linkfacts.py)
    <seccion>/<id>.yaml one record per file; the id is the file name
    *.md                notes for editors (ignored by the build)
"""

from __future__ import annotations

import dataclasses
import os
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from catalogo import urls
from catalogo.catalog import (
    AudienceEntry,
    BrowsePage,
    Catalog,
    CatalogInfo,
    FormatEntry,
    InstitutionEntry,
    LanguageEntry,
    LinkFact,
    Section,
    Series,
    TypeEntry,
    Vocabularies,
    audience_members,
)
from catalogo.catalogfiles import unread_file_problem
from catalogo.checks import WarningsMemo, collect_warnings, series_warnings
from catalogo.crosschecks import check_related, cross_check_records
from catalogo.digests import digest_text
from catalogo.invisible import show_invisible
from catalogo.linkfacts import FACTS_FILE, facts_from_document
from catalogo.models import FREE_TEXT_KEYS, SLUG, Record, RecordFields
from catalogo.problems import (
    CatalogError,
    Problem,
    display_path,
    list_choices,
    problem_order,
    suggest,
)
from catalogo.validation import problems_from_validation
from catalogo.yamlfile import MAX_BYTES, Document, field_label, read_document

RECORD_SUFFIX = ".yaml"
SETTINGS_FILES = {
    "_catalogo.yaml": "qué es el catálogo (portada y «Acerca»)",
    "_secciones.yaml": "secciones",
    "_series.yaml": "series",
    "_tipos.yaml": "tipos de recurso",
    "_publicos.yaml": "públicos",
    "_instituciones.yaml": "instituciones",
    "_idiomas.yaml": "idiomas",
    "_formatos.yaml": "formatos de enlace",
}
# Settings files a catalog may go without.
OPTIONAL_FILES = {"_explorar.yaml": "páginas para explorar el catálogo"}
IGNORED_SUFFIXES = (".md", ".txt")
# Written by `links` (see linkfacts.py), not by editors: not a settings file, not a mistake.
TOOL_FILES = frozenset({"_enlaces.yaml"})
M = TypeVar("M", bound=BaseModel)


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


@dataclass(frozen=True)
class LoadResult:
    catalog: Catalog
    warnings: list[Problem]
    documents: dict[str, Document]


def load_catalog(directory: Path, cache: LoadCache | None = None) -> LoadResult:
    """Load, validate and cross-check everything; raise CatalogError listing every problem."""
    try:
        result = _load_catalog(directory, cache)
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


def _load_catalog(directory: Path, cache: LoadCache | None) -> LoadResult:
    problems: list[Problem] = []
    root = directory
    if not root.is_dir():
        raise CatalogError(
            [Problem(display_path(root), None, "", "no existe la carpeta del catálogo")]
        )
    if cache is not None:
        cache.parsed.clear()
    setting_documents: dict[str, Document] = {}
    settings = _load_settings(root, problems, setting_documents)
    link_facts = _load_link_facts(root, problems)
    known_paths = cache.paths if cache is not None else None
    record_paths = _scan(root, settings.get("_secciones.yaml"), problems, known_paths)

    documents: dict[str, Document] = {}
    records: list[Record] = []
    paths_by_id: dict[str, list[Path]] = defaultdict(list)
    context = validation_context(settings)
    key = context_key(context)
    for section_id, path, display in record_paths:
        record_id = path.stem
        source = _read_record(path, display, cache, context, key)
        problems.extend(source.problems)
        if source.document is not None:
            documents[record_id] = source.document
        paths_by_id[record_id].append(path)
        if source.fields is not None and source.document and SLUG.fullmatch(record_id):
            if source.record is None or source.record.seccion != section_id:
                source.record = Record.from_file(
                    source.fields, record_id, section_id, source.document.digest
                )
            records.append(source.record)
    if cache is not None:
        _forget_missing(cache, {os.fspath(path) for _, path, _ in record_paths})

    for record_id, paths in paths_by_id.items():
        if len(paths) > 1:
            others = ", ".join(display_path(p) for p in paths)
            for path in paths:
                problems.append(
                    Problem(
                        display_path(path),
                        1,
                        "",
                        f"el identificador «{record_id}» se repite en {others}; cada registro "
                        "necesita un nombre de archivo único: renombra uno de ellos",
                    )
                )

    if not all(name in settings for name in SETTINGS_FILES):
        raise_errors(problems)  # without vocabularies nothing else can be checked
    info = settings["_catalogo.yaml"]
    vocabularies = Vocabularies(
        tipos=settings["_tipos.yaml"],
        publicos=settings["_publicos.yaml"],
        instituciones=settings["_instituciones.yaml"],
        idiomas=settings["_idiomas.yaml"],
        formatos=settings["_formatos.yaml"],
    )
    sections: dict[str, Section] = settings["_secciones.yaml"]
    series: dict[str, Series] = settings["_series.yaml"]
    browse: dict[str, BrowsePage] = settings.get("_explorar.yaml", {})
    problems.extend(_cross_check_settings(setting_documents, info, sections, series, vocabularies))
    problems.extend(_check_folders(setting_documents, sections, browse))
    # Records that validated are cross-checked even when other files have errors, so an
    # editor sees every problem of every file at once.
    record_ids = frozenset(paths_by_id)
    for record_id, document in documents.items():
        problems.extend(check_related(record_id, document, record_ids))
    problems.extend(cross_check_records(records, documents))
    raise_errors(problems)

    ordered = tuple(
        sorted(
            records,
            key=lambda r: (sections[r.seccion].orden, r.seccion, r.first_year or 9999, r.id),
        )
    )
    catalog = Catalog(
        info=info,
        sections=dict(sorted(sections.items(), key=lambda item: (item[1].orden, item[0]))),
        series=dict(sorted(series.items())),
        vocabularies=vocabularies,
        records=ordered,
        link_facts=link_facts,
        browse=browse,
    )
    memo = cache.warnings if cache is not None else None
    found = collect_warnings(catalog, documents, memo)
    found += series_warnings(series, setting_documents["_series.yaml"])
    warnings = sorted(problems + found, key=problem_order)
    return LoadResult(catalog=catalog, warnings=warnings, documents=documents)


def raise_errors(problems: list[Problem]) -> None:
    """Stop with the errors found so far, if any. The warnings found meanwhile (a backup
    file, say) wait for a catalog without errors: they would only bury the errors."""
    errors = [problem for problem in problems if problem.is_error]
    if errors:
        raise CatalogError(errors)


def _load_settings(
    root: Path, problems: list[Problem], documents: dict[str, Document]
) -> dict[str, Any]:
    loaders: dict[str, Callable[[Document], tuple[Any, list[Problem]]]] = {
        "_catalogo.yaml": lambda d: _validate_model(d, CatalogInfo),
        "_secciones.yaml": lambda d: _validate_mapping(d, Section),
        "_series.yaml": lambda d: _validate_mapping(d, Series),
        "_tipos.yaml": lambda d: _validate_mapping(d, TypeEntry),
        "_publicos.yaml": lambda d: _validate_mapping(d, AudienceEntry),
        "_instituciones.yaml": lambda d: _validate_mapping(d, InstitutionEntry),
        "_idiomas.yaml": lambda d: _validate_mapping(d, LanguageEntry),
        "_formatos.yaml": lambda d: _validate_mapping(d, FormatEntry),
        "_explorar.yaml": lambda d: _validate_mapping(d, BrowsePage),
    }
    settings: dict[str, Any] = {}
    for name, load in loaders.items():
        path = root / name
        display = display_path(path)
        if not path.exists() and not path.is_symlink():
            if name in OPTIONAL_FILES:
                settings[name] = {}
                continue
            problems.append(
                Problem(
                    display,
                    None,
                    "",
                    f"falta el archivo de {SETTINGS_FILES[name]}; créalo en la carpeta del catálogo",
                )
            )
            continue
        outside = _escapes(root, path)
        if outside:
            problems.append(Problem(display, None, "", outside))
            continue
        document = read_document(path, display, MAX_BYTES)
        if isinstance(document, Problem):
            problems.append(document)
            continue
        documents[name] = document
        value, found = load(document)
        found += document.cut_text_problems(FREE_TEXT_KEYS)
        problems.extend(found)
        if not found:
            settings[name] = value
    for path in sorted(root.glob("_*")):
        if path.name in TOOL_FILES:
            continue
        unread = unread_file_problem(display_path(path), path.name, {*SETTINGS_FILES, *OPTIONAL_FILES, *TOOL_FILES})
        if unread is not None:
            problems.append(unread)
            continue
        known = {**SETTINGS_FILES, **OPTIONAL_FILES}
        if path.name not in known and not path.name.endswith(IGNORED_SUFFIXES):
            problems.append(
                Problem(
                    display_path(path),
                    None,
                    "",
                    f"archivo de configuración desconocido.{suggest(path.name, known)} "
                    f"Los archivos con «_» son: {list_choices(known)}",
                )
            )
    return settings


def _load_link_facts(root: Path, problems: list[Problem]) -> dict[str, LinkFact]:
    """catalog/_enlaces.yaml when it is there (no file: no facts, links show no size)."""
    path = root / FACTS_FILE
    if not path.exists() and not path.is_symlink():
        return {}
    display = display_path(path)
    outside = _escapes(root, path)
    if outside:
        problems.append(Problem(display, None, "", outside))
        return {}
    document = read_document(path, display, MAX_BYTES)
    if isinstance(document, Problem):
        problems.append(document)
        return {}
    facts, found = facts_from_document(document)
    problems.extend(found)
    return facts


def _validate_model(document: Document, model: type[M]) -> tuple[M | None, list[Problem]]:
    if not isinstance(document.data, dict):
        return None, [_not_a_mapping(document)]
    try:
        return model.model_validate(document.data), []
    except ValidationError as error:
        return None, problems_from_validation(error, document, model)


def _validate_mapping(
    document: Document, model: type[M]
) -> tuple[dict[str, M] | None, list[Problem]]:
    """A vocabulary-like file: `id:` keys, each with the fields of `model`."""
    if document.data is None:
        return {}, []  # a vocabulary with only comments is empty, not wrong
    if not isinstance(document.data, dict):
        return None, [_not_a_mapping(document)]
    entries: dict[str, M] = {}
    problems: list[Problem] = []
    adapter = TypeAdapter(model)
    for key, value in document.data.items():
        key_text = str(key)
        if not SLUG.fullmatch(key_text):
            problems.append(
                Problem(
                    document.display,
                    document.line_of((key_text,)),
                    key_text,
                    f"«{key_text}» no es un identificador válido; usa minúsculas sin tildes, "
                    "cifras y guiones",
                )
            )
            continue
        try:
            entries[key_text] = adapter.validate_python(value)
        except ValidationError as error:
            problems.extend(problems_from_validation(error, document, model, (key_text,)))
    return entries, problems


def _not_a_mapping(document: Document) -> Problem:
    if document.data is None:
        return Problem(
            document.display,
            1,
            "",
            "el archivo está vacío; escribe sus campos, una «clave: valor» por línea "
            "(en un registro: titulo, tipo, anio...)",
        )
    kind = "una lista" if isinstance(document.data, list) else "un valor suelto"
    return Problem(
        document.display,
        document.line_of(()),
        "",
        f"el archivo contiene {kind}; debe contener claves con sus valores, una por línea, "
        "por ejemplo «titulo: ...»",
    )


def _scan(
    root: Path,
    sections: dict[str, Section] | None,
    problems: list[Problem],
    paths: dict[str, Path] | None = None,
) -> list[tuple[str, Path, str]]:
    """Find the record files (section, path, path as shown), section by section, in a
    stable order."""
    records: list[tuple[str, Path, str]] = []
    known = sections or {}
    for entry in _sorted_entries(root):
        name = entry.name
        if name.startswith(("_", ".")):
            continue
        display = display_path(entry)
        unread = unread_file_problem(display, name, set())
        if unread is not None:
            problems.append(unread)
            continue
        if name.endswith(IGNORED_SUFFIXES):
            continue
        outside = _escapes(root, entry)
        if outside:
            problems.append(Problem(display, None, "", outside))
            continue
        if entry.is_dir():
            if sections is not None and name not in known:
                problems.append(
                    Problem(
                        display,
                        None,
                        "",
                        f"la carpeta «{name}» no es una sección.{suggest(name, known)} "
                        f"Secciones: {list_choices(known) or 'ninguna todavía'} (se definen en "
                        "_secciones.yaml)",
                    )
                )
                continue
            records.extend(
                (name, path, display)
                for path, display in _scan_section(root, entry, problems, paths)
            )
            continue
        problems.append(
            Problem(
                display,
                None,
                "",
                "los registros van dentro de la carpeta de su sección, por ejemplo "
                f"objetivo-1/{entry.stem}.yaml",
            )
        )
    return records


def _scan_section(
    root: Path, folder: Path, problems: list[Problem], paths: dict[str, Path] | None
) -> Iterator[tuple[Path, str]]:
    """The records of one section folder. `paths` keeps the Path of each file seen before:
    making 10,000 Path objects took a tenth of a second on every rebuild of `serve`."""
    folder_display = display_path(folder)
    with os.scandir(folder) as found:
        listing = sorted(found, key=lambda item: item.name)
    names = {item.name for item in listing}
    for item in listing:
        name = item.name
        if name.startswith("."):
            continue  # hidden: editors' swap files, system files
        display = f"{folder_display}/{name}"
        if (
            name.endswith(RECORD_SUFFIX)
            and not item.is_symlink()
            and item.is_file(follow_symlinks=False)
            and SLUG.fullmatch(name[: -len(RECORD_SUFFIX)])
        ):
            path = paths.get(item.path) if paths is not None else None
            if path is None:
                path = Path(item.path)
                if paths is not None:
                    paths[item.path] = path
            yield path, display  # the usual case, without pathlib's checks
            continue
        entry = Path(item.path)
        outside = _escapes(root, entry)
        if outside:
            problems.append(Problem(display, None, "", outside))
            continue
        unread = unread_file_problem(display, name, names)
        if unread is not None:
            problems.append(unread)
            continue
        if entry.is_dir():
            problems.append(
                Problem(
                    display,
                    None,
                    "",
                    "no se admiten subcarpetas dentro de una sección; mueve sus registros a "
                    f"{display_path(folder)}/",
                )
            )
            continue
        if entry.suffix != RECORD_SUFFIX:
            if not name.endswith(IGNORED_SUFFIXES):
                problems.append(
                    Problem(
                        display,
                        None,
                        "",
                        "archivo inesperado en una sección: aquí solo van registros «.yaml» "
                        "(y notas «.md»); muévelo fuera del catálogo",
                    )
                )
            continue
        if not SLUG.fullmatch(entry.stem):
            problems.append(
                Problem(
                    display,
                    None,
                    "",
                    f"el nombre «{entry.stem}» no sirve como identificador; usa minúsculas sin "
                    f"tildes, cifras y guiones: renómbralo a «{slugify(entry.stem)}.yaml»",
                )
            )
            continue
        yield entry, display


def _sorted_entries(folder: Path) -> list[Path]:
    return sorted(folder.iterdir(), key=lambda p: p.name)


def _escapes(root: Path, path: Path) -> str:
    """A message when `path` is a link that leads out of the catalog folder."""
    if not path.is_symlink():
        return ""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "es un enlace simbólico roto; bórralo o reemplázalo por el archivo"
    if not target.is_relative_to(root.resolve()):
        return (
            "es un enlace simbólico que apunta fuera del catálogo; copia aquí el archivo "
            "en lugar de enlazarlo"
        )
    return ""


def validation_context(settings: dict[str, Any]) -> dict[str, Any]:
    """The vocabularies records are checked against (those that loaded without problems)."""
    names = {
        "tipos": "_tipos.yaml",
        "publicos": "_publicos.yaml",
        "instituciones": "_instituciones.yaml",
        "idiomas": "_idiomas.yaml",
        "formatos": "_formatos.yaml",
        "series": "_series.yaml",
    }
    return {
        key: frozenset(settings[file_name])
        for key, file_name in names.items()
        if file_name in settings
    }


def context_key(context: dict[str, Any]) -> str:
    """A short key for the vocabularies: comparing it instead of the sets themselves keeps
    a cached load linear (it was quadratic: 2.7 s at 10,000)."""
    return digest_text(repr(sorted((key, sorted(values)) for key, values in context.items())))


def _read_record(
    path: Path,
    display: str,
    cache: LoadCache | None,
    context: dict[str, Any],
    key: str,
) -> RecordSource:
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
        return RecordSource(stamp, document, None, [_not_a_mapping(document)], key)
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


def _forget_missing(cache: LoadCache, present: set[str]) -> None:
    for path in list(cache.records):
        if path not in present:
            del cache.records[path]
    if len(cache.paths) > len(present):
        for path in [path for path in cache.paths if path not in present]:
            del cache.paths[path]


def _vocabulary_problem(
    document: Document,
    location: tuple[str | int, ...],
    value: str,
    vocabulary: Iterable[str],
    what: str,
    file_name: str,
) -> Problem:
    choices = list(vocabulary)
    return Problem(
        document.display,
        document.line_of(location),
        field_label(location),
        f"«{value}» no es {what}.{suggest(value, choices)} Valores válidos: "
        f"{list_choices(choices, limit=30) or 'ninguno todavía'} (para añadir uno, edita "
        f"{file_name})",
    )


def _cross_check_settings(
    documents: dict[str, Document],
    info: CatalogInfo,
    sections: dict[str, Section],
    series: dict[str, Series],
    vocabularies: Vocabularies,
) -> list[Problem]:
    problems: list[Problem] = []
    series_document = documents["_series.yaml"]
    for series_id, entry in series.items():
        if entry.seccion not in sections:
            problems.append(
                _vocabulary_problem(
                    series_document,
                    (series_id, "seccion"),
                    entry.seccion,
                    sections,
                    "una sección conocida",
                    "_secciones.yaml",
                )
            )
    problems.extend(_check_audience_umbrellas(documents["_publicos.yaml"], vocabularies.publicos))
    if info.idioma not in vocabularies.idiomas:
        problems.append(
            _vocabulary_problem(
                documents["_catalogo.yaml"],
                ("idioma",),
                info.idioma,
                vocabularies.idiomas,
                "un idioma conocido",
                "_idiomas.yaml",
            )
        )
    return problems


def _check_folders(
    documents: dict[str, Document], sections: dict[str, Section], browse: dict[str, BrowsePage]
) -> list[Problem]:
    """Sections and ways to explore each take a folder of the site (/<id>/): never one the
    site already uses, nor each other's; and each vocabulary is explored in one place."""
    problems: list[Problem] = []
    taken = set(urls.SITE_FOLDERS)
    reserved = list_choices(urls.SITE_FOLDERS | set(browse))
    for section_id in sections:
        if section_id in taken or section_id in browse:
            document = documents["_secciones.yaml"]
            problems.append(
                Problem(
                    document.display,
                    document.line_of((section_id,)),
                    section_id,
                    f"«{section_id}» no sirve como sección: el sitio ya usa /{section_id}/ para "
                    "otra página; elige otro identificador (y renombra su carpeta). Reservados: "
                    f"{reserved}",
                )
            )
    explored: dict[str, str] = {}
    for folder, page in browse.items():
        document = documents["_explorar.yaml"]
        message = ""
        if folder in taken:
            message = (
                f"el sitio ya usa /{folder}/ para otra página; elige otra carpeta. Reservadas: "
                f"{list_choices(urls.SITE_FOLDERS)}"
            )
        elif page.vocabulario in explored:
            message = (
                f"«{page.vocabulario}» ya se explora en /{explored[page.vocabulario]}/; borra "
                "una de las dos entradas"
            )
        explored.setdefault(page.vocabulario, folder)
        if message:
            problems.append(
                Problem(document.display, document.line_of((folder,)), folder, message)
            )
    return problems


def _check_audience_umbrellas(
    document: Document, audiences: dict[str, AudienceEntry]
) -> list[Problem]:
    """`incluye` names known audiences, never the audience itself, and never loops: the
    page of an audience lists the records of every audience that includes it."""
    problems: list[Problem] = []
    for key, entry in audiences.items():
        for index, member in enumerate(entry.incluye):
            where = (key, "incluye", index)
            if member not in audiences:
                problems.append(
                    _vocabulary_problem(
                        document, where, member, audiences, "un público conocido", "_publicos.yaml"
                    )
                )
            elif member == key or key in audience_members(audiences, member):
                problems.append(
                    Problem(
                        document.display,
                        document.line_of(where),
                        f"{key}.{field_label(where[1:])}",
                        f"«{key}» no puede incluir a «{member}»: "
                        + (
                            "un público no se incluye a sí mismo"
                            if member == key
                            else f"«{member}» ya incluye a «{key}»"
                        )
                        + "; borra este valor",
                    )
                )
    return problems


def slugify(text: str) -> str:
    """An id from any text: lowercase ascii letters, digits and hyphens."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = "".join(ch if ch.isalnum() else " " for ch in plain.lower()).split()
    return "-".join(words)[:80].strip("-") or "registro"
