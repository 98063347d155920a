"""Doubts about a valid catalog: things an editor should look at, which do not stop a build.

`validate` lists them; `validate --strict` turns them into a failure.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlsplit

from catalogo.models import Catalog, Record
from catalogo.problems import Problem, Severity
from catalogo.video import youtube_id
from catalogo.yamlfile import Document

NON_ARCHIVAL_HOSTS = ("drive.google.com", "docs.google.com")


def link_identity(url: str) -> str:
    """Two URLs that open the same thing share an identity (a YouTube video, say)."""
    video = youtube_id(url)
    if video:
        return f"youtube:{video}"
    return url.rstrip("/")


def collect_warnings(catalog: Catalog, documents: dict[str, Document]) -> list[Problem]:
    warnings: list[Problem] = []
    users: dict[str, list[Record]] = defaultdict(list)
    first_use: dict[tuple[str, str], int] = {}  # (record id, identity) -> its first link
    for record in catalog.records:
        document = documents[record.id]
        for index, link in enumerate(record.enlaces):
            identity = link_identity(link.url)
            if (record.id, identity) not in first_use:
                users[identity].append(record)
                first_use[(record.id, identity)] = index
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
            host = (parts.hostname or "").lower()
            if host in NON_ARCHIVAL_HOSTS:
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
        series = catalog.series.get(record.serie) if record.serie else None
        if not record.descripcion and not (series and series.descripcion):
            warnings.append(
                _warn(
                    document,
                    (),
                    "descripcion",
                    "el registro no tiene descripción; añade "
                    "«descripcion: ...» con una o dos frases",
                )
            )
        if record.anio is None:
            warnings.append(
                _warn(
                    document,
                    (),
                    "anio",
                    "el registro no tiene año; si la fuente lo da, añade «anio: AAAA»",
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
        for index, note in enumerate(record.notas_editoriales):
            warnings.append(
                _warn(
                    document,
                    ("notas_editoriales", index),
                    "notas_editoriales",
                    f"nota editorial pendiente: {note}",
                )
            )
    for identity, records in sorted(users.items()):
        if len(records) < 2:
            continue
        for record in records:
            document = documents[record.id]
            others = name_some([r.id for r in records[:6] if r.id != record.id], len(records) - 1)
            index = first_use[(record.id, identity)]
            warnings.append(
                _warn(
                    document,
                    ("enlaces", index, "url"),
                    f"enlaces[{index + 1}].url",
                    f"la misma dirección la usa también: {others}",
                )
            )
    return warnings


def name_some(ids: list[str], total: int, limit: int = 5) -> str:
    """«a, b, c» or «a, b, c, d, e y 12 más»: a warning line stays readable."""
    shown = ", ".join(ids[:limit])
    return shown + (f" y {total - limit} más" if total > limit else "")


def _warn(document: Document, location: tuple[str | int, ...], field: str, message: str) -> Problem:
    return Problem(document.display, document.line_of(location), field, message, Severity.WARNING)
