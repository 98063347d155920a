"""Checks of records against each other and against what a single record cannot say
alone (vocabularies are checked while validating, see models.in_vocabulary)."""

from __future__ import annotations

import difflib
from collections import defaultdict

from catalogo.models import Record
from catalogo.problems import Problem, list_choices
from catalogo.yamlfile import Document, field_label


def cross_check_records(records: list[Record], documents: dict[str, Document]) -> list[Problem]:
    problems: list[Problem] = []
    for record in records:
        document = documents[record.id]
        problems += check_record(record, document)
    problems += check_series_order(records, documents)
    problems += check_copies(records, documents)
    return problems


def check_record(record: Record, document: Document) -> list[Problem]:
    problems: list[Problem] = []
    if record.orden is not None and record.serie is None:
        problems.append(
            Problem(
                document.display,
                document.line_of(("orden",)),
                "orden",
                "«orden» solo tiene sentido dentro de una serie; añade «serie: ...» o borra "
                "la línea",
            )
        )
    pairs = (("sin_anio", record.sin_anio, "anio", record.anio), ("sin_descripcion", record.sin_descripcion, "descripcion", record.descripcion))
    for marker, reason, key, value in pairs:
        if reason and value:
            problems.append(
                Problem(
                    document.display,
                    document.line_of((marker,)),
                    marker,
                    f"sobra «{marker}»: el registro ya tiene «{key}» (línea "
                    f"{document.line_of((key,))}); borra una de las dos líneas",
                )
            )
    if record.publico_inferido and not record.publico:
        problems.append(
            Problem(
                document.display,
                document.line_of(("publico_inferido",)),
                "publico_inferido",
                "«publico_inferido: true» dice que el público lo dedujo el editor, pero "
                "«publico» está vacío; escribe el público deducido o borra la línea",
            )
        )
    return problems


def check_related(record_id: str, document: Document, record_ids: frozenset[str]) -> list[Problem]:
    """Every id in `relacionados` names another record that exists. Read from the file
    itself, so a record with other errors gets this one reported too."""
    related = document.data.get("relacionados") if isinstance(document.data, dict) else None
    if not isinstance(related, list):
        return []  # missing, or not a list: validation says so
    problems: list[Problem] = []
    for index, other in enumerate(related):
        location = ("relacionados", index)
        if not isinstance(other, str):
            continue
        if other == record_id:
            message = "un registro no puede estar relacionado consigo mismo; borra este valor"
        elif other not in record_ids:
            message = f"«{other}» no existe: quita este id o escribe uno de {closest_ids(other, record_ids - {record_id})}"
        else:
            continue
        problems.append(
            Problem(document.display, document.line_of(location), field_label(location), message)
        )
    return problems


def closest_ids(wanted: str, record_ids: frozenset[str]) -> str:
    """What to write instead of a missing id: the nearest ids, or every id of a small
    catalog (a record's id is its file name). Never the record's own id."""
    choices = sorted(record_ids)
    close = difflib.get_close_matches(wanted, choices, n=3, cutoff=0.75)
    if close:  # nearest first
        return "estos, que se le parecen: " + ", ".join(f"«{other}»" for other in close)
    if len(choices) <= 12:
        return list_choices(choices)
    return "los registros del catálogo (el nombre de su archivo, sin «.yaml»)"


def check_series_order(records: list[Record], documents: dict[str, Document]) -> list[Problem]:
    problems: list[Problem] = []
    taken: dict[tuple[str, int], str] = {}
    for record in sorted(records, key=lambda r: r.id):
        if record.serie is None or record.orden is None:
            continue
        key = (record.serie, record.orden)
        if key in taken:
            document = documents[record.id]
            problems.append(
                Problem(
                    document.display,
                    document.line_of(("orden",)),
                    "orden",
                    f"la posición {record.orden} de la serie «{record.serie}» ya la ocupa "
                    f"«{taken[key]}»; usa otro número",
                )
            )
        else:
            taken[key] = record.id
    return problems


def check_copies(records: list[Record], documents: dict[str, Document]) -> list[Problem]:
    """Two published records with the same title and the same links are one resource
    published twice: usually a file copied under a second name and never changed."""
    groups: dict[tuple[str, tuple[str, ...]], list[Record]] = defaultdict(list)
    for record in records:
        if record.borrador:
            continue  # a draft copy is not published twice
        groups[record.resource_key].append(record)
    problems: list[Problem] = []
    for group in groups.values():
        if len(group) < 2:
            continue
        for record in group:
            document = documents[record.id]
            others = ", ".join(
                documents[other.id].display for other in group if other is not record
            )
            problems.append(
                Problem(
                    document.display,
                    document.line_of(("titulo",)),
                    "titulo",
                    f"este registro tiene el mismo título y los mismos enlaces que {others}: "
                    "parece una copia. Si es el mismo recurso, borra uno de los dos archivos; si "
                    "son recursos distintos, cambia el título o los enlaces",
                )
            )
    return problems
