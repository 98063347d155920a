"""Doubts about a valid catalog: things an editor should look at, which do not stop a build.

`validate` lists them; `validate --strict` turns them into a failure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from catalogo.catalog import BrowsePage, Catalog, Series
from catalogo.models import Record
from catalogo.problems import Problem, Severity
from catalogo.video import link_identity
from catalogo.yamlfile import Document

NON_ARCHIVAL_HOSTS = ("drive.google.com", "docs.google.com")


@dataclass(frozen=True)
class RecordWarnings:
    """What one record alone gives rise to, kept while the record and its file are the same
    objects (the load cache reuses both while the file is unchanged)."""

    record: Record
    document: Document
    series_described: bool
    warnings: list[Problem]
    identities: list[tuple[str, int]]  # (link identity, its first link), in link order


WarningsMemo = dict[str, RecordWarnings]


def collect_warnings(
    catalog: Catalog, documents: dict[str, Document], memo: WarningsMemo | None = None
) -> list[Problem]:
    """Every warning of a valid catalog. With `memo`, a record whose file did not change
    since the last call is not looked at again: a rebuild in `serve` pays only for the
    edited record and for the one pass over links shared between records."""
    warnings: list[Problem] = []
    users: dict[str, list[tuple[Record, int]]] = defaultdict(list)
    for record in catalog.records:
        document = documents[record.id]
        series = catalog.series.get(record.serie) if record.serie else None
        described = bool(series and series.descripcion)
        own = memo.get(record.id) if memo is not None else None
        if (
            own is None
            or own.record is not record
            or own.document is not document
            or own.series_described != described
        ):
            own = record_warnings(record, document, described)
            if memo is not None:
                memo[record.id] = own
        warnings += own.warnings
        for identity, index in own.identities:
            users[identity].append((record, index))
    if memo is not None and len(memo) > len(catalog.records):
        present = {record.id for record in catalog.records}
        for key in [key for key in memo if key not in present]:
            del memo[key]
    warnings += draft_link_warnings(catalog, documents)
    shared = sorted((identity, uses) for identity, uses in users.items() if len(uses) > 1)
    for _identity, uses in shared:
        for record, index in uses:
            document = documents[record.id]
            others = name_some([r.id for r, _ in uses[:6] if r.id != record.id], len(uses) - 1)
            warnings.append(
                _warn(
                    document,
                    ("enlaces", index, "url"),
                    f"enlaces[{index + 1}].url",
                    f"la misma dirección la usa también: {others}",
                )
            )
    return warnings


def record_warnings(record: Record, document: Document, series_described: bool) -> RecordWarnings:
    warnings = link_warnings(record, document)
    warnings += missing_facts(record, document, series_described)
    for index, note in enumerate(record.notas_editoriales):
        warnings.append(
            _warn(
                document,
                ("notas_editoriales", index),
                "notas_editoriales",
                f"nota editorial pendiente: {note}",
            )
        )
    identities: dict[str, int] = {}  # identity -> its first link
    for index, link in enumerate(record.enlaces):
        identities.setdefault(link_identity(link.url), index)
    return RecordWarnings(record, document, series_described, warnings, list(identities.items()))


def link_warnings(record: Record, document: Document) -> list[Problem]:
    """Links that work today but may not tomorrow: unencrypted, or on Google Drive."""
    warnings = []
    for index, link in enumerate(record.enlaces):
        where = ("enlaces", index, "url")
        label = f"enlaces[{index + 1}].url"
        parts = urlsplit(link.url)
        if parts.scheme.lower() == "http":
            warnings.append(
                _warn(
                    document,
                    where,
                    label,
                    "enlace «http://» sin cifrar; prueba si funciona con «https://» y cámbialo",
                )
            )
        if (parts.hostname or "").lower() in NON_ARCHIVAL_HOSTS:
            warnings.append(
                _warn(
                    document,
                    where,
                    label,
                    "enlace a Google Drive/Docs: no es un archivo "
                    "permanente y puede cambiar de permisos; conviene publicar el "
                    "documento en un repositorio institucional (gob.pe, OIT)",
                )
            )
    return warnings


def missing_facts(record: Record, document: Document, series_described: bool) -> list[Problem]:
    """What readers would miss: a description, a year, an audience, a link."""
    warnings = []
    if not record.descripcion and not series_described and not record.sin_descripcion:
        warnings.append(
            _warn(
                document,
                (),
                "descripcion",
                "el registro no tiene descripción; añade «descripcion: ...» con una o dos frases "
                "(si la fuente no da ninguna, escribe «sin_descripcion: la fuente no da "
                "descripción» y este aviso desaparece)",
            )
        )
    if record.anio is None and not record.sin_anio:
        warnings.append(
            _warn(
                document,
                (),
                "anio",
                "el registro no tiene año; si la fuente lo da, añade «anio: AAAA» (si no lo "
                "da, escribe «sin_anio: la fuente no indica el año» y este aviso desaparece)",
            )
        )
    if not record.publico:
        warnings.append(
            _warn(
                document,
                (),
                "publico",
                "el registro no dice a quién va dirigido y no aparecerá en ninguna página «Por "
                "público»; añade «publico: [...]» (si la fuente no lo nombra y lo deduces del "
                "contenido, añade también «publico_inferido: true» y anota el motivo en NOTAS.md)",
            )
        )
    if not record.enlaces:
        warnings.append(
            _warn(
                document,
                (),
                "enlaces",
                "el registro no tiene enlaces: el lector no podrá abrir el recurso",
            )
        )
    return warnings


def draft_link_warnings(catalog: Catalog, documents: dict[str, Document]) -> list[Problem]:
    """A published record that names a draft in `relacionados`: the published site leaves
    that link out until the draft is published (site.published_catalog)."""
    drafts = {record.id for record in catalog.records if record.borrador}
    if not drafts:
        return []
    warnings = []
    for record in catalog.records:
        if record.borrador:
            continue
        for index, other in enumerate(record.relacionados):
            if other in drafts:
                warnings.append(
                    _warn(
                        documents[record.id],
                        ("relacionados", index),
                        f"relacionados[{index + 1}]",
                        f"«{other}» es un borrador: el sitio publicado no muestra este "
                        "relacionado hasta que se publique",
                    )
                )
    return warnings


def series_warnings(series: dict[str, Series], document: Document) -> list[Problem]:
    """Editorial notes of `_series.yaml`, listed like those of records."""
    warnings = []
    for series_id, entry in series.items():
        for index, note in enumerate(entry.notas_editoriales):
            warnings.append(
                _warn(
                    document,
                    (series_id, "notas_editoriales", index),
                    f"{series_id}.notas_editoriales",
                    f"nota editorial pendiente: {note}",
                )
            )
    return warnings


def browse_warnings(
    browse: Mapping[str, BrowsePage], document: Document | None
) -> list[Problem]:
    """Ways to explore that no reader is led to: when none says where the site links it
    (`enlace`), the menu and the footer show none of them (a catalog written before
    `enlace` existed)."""
    if document is None or not browse or any(page.enlace for page in browse.values()):
        return []
    first = next(iter(browse))
    return [
        _warn(
            document,
            (first,),
            f"{first}.enlace",
            "ninguna página para explorar dice dónde enlazarla, así que ni el menú ni el pie "
            "las muestran; añade «enlace: menu» o «enlace: pie» a las que los lectores deben "
            "encontrar",
        )
    ]


def name_some(ids: list[str], total: int, limit: int = 5) -> str:
    """«a, b, c» or «a, b, c, d, e y 12 más»: a warning line stays readable."""
    shown = ", ".join(ids[:limit])
    return shown + (f" y {total - limit} más" if total > limit else "")


def _warn(document: Document, location: tuple[str | int, ...], field: str, message: str) -> Problem:
    return Problem(document.display, document.line_of(location), field, message, Severity.WARNING)
