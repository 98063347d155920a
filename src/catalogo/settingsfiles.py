"""The catalog's settings files, `catalog/_*.yaml`: each read and validated on its own, then
checked against the others (a series names a known section, a section does not take a
folder the site uses, an audience does not include itself).

    _catalogo.yaml      what the catalog is (home and about pages)
    _secciones.yaml     sections; each one is a folder of records
    _series.yaml        series (groups of records)
    _tipos.yaml _publicos.yaml _instituciones.yaml _idiomas.yaml _formatos.yaml
                        vocabularies
    _explorar.yaml      ways to explore the catalog (optional; without it there are none)
    _enlaces.yaml       what `links` found at each address (optional; see linkfacts.py)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from catalogo import urls
from catalogo.catalog import (
    AudienceEntry,
    BrowsePage,
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
from catalogo.catalogfiles import IGNORED_SUFFIXES, escapes, unread_file_problem
from catalogo.linkfacts import FACTS_FILE, facts_from_document
from catalogo.models import FREE_TEXT_KEYS, SLUG
from catalogo.problems import Problem, display_path, list_choices, suggest
from catalogo.validation import not_a_mapping, problems_from_validation
from catalogo.yamlfile import MAX_BYTES, Document, field_label, read_document

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
# Written by `links` (see linkfacts.py), not by editors: not a settings file, not a mistake.
TOOL_FILES = frozenset({FACTS_FILE})
M = TypeVar("M", bound=BaseModel)
SettingsLoader = Callable[[Document], tuple[Any, list[Problem]]]


def load_settings_files(
    root: Path, problems: list[Problem], documents: dict[str, Document]
) -> dict[str, Any]:
    """Every settings file that validated, by file name; `documents` gets each file read."""
    settings: dict[str, Any] = {}
    for name, load in _settings_loaders().items():
        path = root / name
        if not path.exists() and not path.is_symlink():
            if name in OPTIONAL_FILES:
                settings[name] = {}
                continue
            problems.append(
                Problem(
                    display_path(path),
                    None,
                    "",
                    f"falta el archivo de {SETTINGS_FILES[name]}; créalo en la carpeta del catálogo",
                )
            )
            continue
        document = _read_settings_file(root, path, problems)
        if document is None:
            continue
        documents[name] = document
        value, found = load(document)
        found += document.cut_text_problems(FREE_TEXT_KEYS)
        problems.extend(found)
        if not found:
            settings[name] = value
    problems.extend(_unknown_settings_files(root))
    return settings


def _settings_loaders() -> dict[str, SettingsLoader]:
    return {
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


def _read_settings_file(root: Path, path: Path, problems: list[Problem]) -> Document | None:
    display = display_path(path)
    outside = escapes(root, path)
    if outside:
        problems.append(Problem(display, None, "", outside))
        return None
    document = read_document(path, display, MAX_BYTES)
    if isinstance(document, Problem):
        problems.append(document)
        return None
    return document


def _unknown_settings_files(root: Path) -> list[Problem]:
    """A file starting with «_» that is none of the settings files: a typo in a name, or
    a settings file saved under a name that is not read."""
    problems: list[Problem] = []
    known = {**SETTINGS_FILES, **OPTIONAL_FILES}
    for path in sorted(root.glob("_*")):
        if path.name in TOOL_FILES:
            continue
        unread = unread_file_problem(display_path(path), path.name, {*known, *TOOL_FILES})
        if unread is not None:
            problems.append(unread)
            continue
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
    return problems


def load_link_facts(root: Path, problems: list[Problem]) -> dict[str, LinkFact]:
    """catalog/_enlaces.yaml when it is there (no file: no facts, links show no size)."""
    path = root / FACTS_FILE
    if not path.exists() and not path.is_symlink():
        return {}
    document = _read_settings_file(root, path, problems)
    if document is None:
        return {}
    facts, found = facts_from_document(document)
    problems.extend(found)
    return facts


def _validate_model(document: Document, model: type[M]) -> tuple[M | None, list[Problem]]:
    if not isinstance(document.data, dict):
        return None, [not_a_mapping(document)]
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
        return None, [not_a_mapping(document)]
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


def cross_check_settings(
    documents: dict[str, Document],
    info: CatalogInfo,
    sections: dict[str, Section],
    series: dict[str, Series],
    vocabularies: Vocabularies,
) -> list[Problem]:
    """Series in known sections, audiences including known audiences, a known language."""
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


def check_folders(
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
