"""Open data: the whole catalog as JSON and CSV, and as BibTeX, RIS and CSL-JSON files for
reference managers.

The JSON keys and CSV columns are a public interface that people build on: rename or
reorder them only with a note in the changelog. Editorial notes and corrections are
internal to the editors and are never exported.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import orjson

from catalogo import citation
from catalogo.catalog import Catalog
from catalogo.models import Link, Record

RECORD_FIELDS = (
    "id",
    "titulo",
    "seccion",
    "tipo",
    "anio",
    "anios",
    "mes",
    "idioma",
    "publico",
    "instituciones",
    "serie",
    "orden",
    "descripcion",
    "enlaces",
    "relacionados",
    "fecha_alta",
    "url",
    # Added later, so at the end: existing columns keep their places.
    "autores",
    "publico_inferido",
)
# A spreadsheet cell holds text only, so link formats get a column of their own, aligned
# one to one with the link URLs of the «enlaces» column.
CSV_FIELDS = (
    *RECORD_FIELDS[: RECORD_FIELDS.index("enlaces") + 1],
    "formatos",
    *RECORD_FIELDS[RECORD_FIELDS.index("enlaces") + 1 :],
)
LIST_SEPARATOR = " | "

UrlOf = Callable[[Record], str]


def export_records(catalog: Catalog, url_of: UrlOf) -> list[dict[str, Any]]:
    """One object per record, in catalog order, with the keys of RECORD_FIELDS in order."""
    return [export_record(record, url_of(record)) for record in catalog.records]


def export_record(record: Record, url: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": record.id,
        "titulo": record.titulo,
        "seccion": record.seccion,
        "tipo": record.tipo,
        "anio": record.first_year,
        "anios": record.years,
        "mes": record.mes,
        "idioma": record.idioma,
        "publico": list(record.publico),
        "instituciones": list(record.instituciones),
        "serie": record.serie,
        "orden": record.orden,
        "descripcion": record.descripcion,
        "enlaces": [export_link(link) for link in record.enlaces],
        "relacionados": list(record.relacionados),
        "fecha_alta": record.fecha_alta.isoformat() if record.fecha_alta else None,
        "url": url,
        "autores": list(record.autores),
        "publico_inferido": record.publico_inferido,
    }
    return data


def export_link(link: Link) -> dict[str, Any]:
    data: dict[str, Any] = {"url": link.url, "formato": link.formato}
    if link.etiqueta:
        data["etiqueta"] = link.etiqueta
    return data


def export_json(catalog: Catalog, url_of: UrlOf) -> bytes:
    return json_bytes(export_records(catalog, url_of))


@dataclass(frozen=True)
class RecordExports:
    """One record's part of every catalog-wide export. The files under datos/ are these
    parts joined, so a build that changed one record recomputes one part, not 10,000."""

    json: str  # its object, indented as an item of the catalogo.json array
    csv: str  # its row, CRLF-terminated
    bibtex: str
    ris: str
    csl: str  # its CSL item, indented as an item of an array


def record_exports(record: Record, catalog: Catalog, url: str) -> RecordExports:
    row = io.StringIO(newline="")
    csv.writer(row, lineterminator="\r\n").writerow(csv_row(record, url))
    return RecordExports(
        json=array_item(export_record(record, url)),
        csv=row.getvalue(),
        bibtex=citation.bibtex_entry(record, catalog, url),
        ris=citation.ris_entry(record, catalog, url),
        csl=array_item(citation.csl_item(record, catalog, url)),
    )


def array_item(data: object) -> str:
    """`data` as json.dumps(data, ensure_ascii=False, indent=2) writes it, indented as an
    item of an array: orjson writes the same (tests/test_exports.py checks) 5 times faster,
    where the json module indents in pure Python (0.65 s of a 10,000-record build)."""
    text = orjson.dumps(data, option=orjson.OPT_INDENT_2).decode("utf-8")
    return "  " + text.replace("\n", "\n  ")


def json_array(items: Iterable[str]) -> bytes:
    """The same bytes as json_bytes(list) for items made by array_item."""
    body = ",\n".join(items)
    return (("[\n" + body + "\n]") if body else "[]").encode("utf-8") + b"\n"


def join_exports(parts: list[RecordExports]) -> dict[str, bytes]:
    """The catalog-wide open-data files from each record's parts, in catalog order."""
    header = io.StringIO(newline="")
    csv.writer(header, lineterminator="\r\n").writerow(CSV_FIELDS)
    return {
        "datos/catalogo.json": json_array(part.json for part in parts),
        "datos/catalogo.csv": (header.getvalue() + "".join(p.csv for p in parts)).encode(
            "utf-8-sig"
        ),
        "datos/catalogo.bib": "\n".join(part.bibtex for part in parts).encode("utf-8"),
        "datos/catalogo.ris": "\n".join(part.ris for part in parts).encode("utf-8"),
        "datos/catalogo-csl.json": json_array(part.csl for part in parts),
    }


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_csv(catalog: Catalog, url_of: UrlOf) -> bytes:
    """RFC 4180 CSV (CRLF row ends) in UTF-8 with a BOM, which Excel needs to show accents."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    writer.writerows(csv_row(record, url_of(record)) for record in catalog.records)
    return buffer.getvalue().encode("utf-8-sig")


def csv_row(record: Record, url: str) -> list[str]:
    data = export_record(record, url)
    data["enlaces"] = [link.url for link in record.enlaces]
    data["formatos"] = [link.formato or "" for link in record.enlaces]
    return [csv_cell(data[name]) for name in CSV_FIELDS]


def csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"  # as in the JSON export
    if isinstance(value, list):
        return neutralize_formula(LIST_SEPARATOR.join(str(item) for item in value))
    return neutralize_formula(str(value))


def neutralize_formula(text: str) -> str:
    """Excel and LibreOffice run a cell that starts with = + - @ (or a tab or CR) as a formula:
    a leading apostrophe keeps it text, as OWASP advises. The JSON export keeps exact text."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_bibtex(catalog: Catalog, url_of: UrlOf) -> bytes:
    return citation.bibtex(catalog.records, catalog, url_of).encode("utf-8")


def export_ris(catalog: Catalog, url_of: UrlOf) -> bytes:
    return citation.ris(catalog.records, catalog, url_of).encode("utf-8")


def export_csl_json(catalog: Catalog, url_of: UrlOf) -> bytes:
    return json_bytes(citation.csl_json(catalog.records, catalog, url_of))


def json_bytes(data: object) -> bytes:
    """Stable output: key order as built, UTF-8 text readable by people, final newline."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
