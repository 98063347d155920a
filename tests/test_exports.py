"""Open data exports: JSON and CSV parsed back with the standard library and compared with
the records; BibTeX, RIS and CSL-JSON files parsed back with their own parsers."""

from __future__ import annotations

import csv
import datetime
import io
import json
from typing import Any

import bibtexparser
import pytest
import rispy
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogo import exports
from catalogo.catalog import (
    Catalog,
    CatalogInfo,
    FormatEntry,
    InstitutionEntry,
    LanguageEntry,
    Section,
    Series,
    TypeEntry,
    Vocabularies,
    VocabularyEntry,
)
from catalogo.models import Record

SITE = "https://catalogo.example.org"
BOM = b"\xef\xbb\xbf"
TRICKY_DESCRIPTION = 'Dice "hola", luego; coma\ny salto.\n\n- Lista | con barra'
RECORD_KEYS = [
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
    "autores",
    "publico_inferido",
]
CSV_COLUMNS = [
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
    "formatos",
    "relacionados",
    "fecha_alta",
    "url",
    "autores",
    "publico_inferido",
]


def page_url(record: Record) -> str:
    return f"{SITE}/recursos/{record.id}/"


def make_record(record_id: str, seccion: str = "objetivo-1", **fields: Any) -> Record:
    return Record.model_validate({"id": record_id, "seccion": seccion, **fields})


def make_records() -> tuple[Record, ...]:
    return (
        make_record(
            "protocolo-conjunto",
            titulo="Protocolo de actuación «conjunta»",
            tipo="protocolo",
            anio=2021,
            mes=3,
            publico=["policia", "fiscalia"],
            publico_inferido=True,
            autores=["Poder Judicial del Perú"],
            instituciones=["poder-judicial", "oit"],
            descripcion=TRICKY_DESCRIPTION,
            enlaces=[
                {"url": "https://www.gob.pe/protocolo.pdf", "formato": "pdf", "etiqueta": "Tomo I"},
                {"url": "https://www.gob.pe/protocolo", "idioma": "es"},
                {"url": "https://www.gob.pe/anexo.pdf", "formato": "pdf"},
            ],
            relacionados=["boletin-3"],
            fecha_alta=datetime.date(2024, 5, 2),
            notas_editoriales=["Revisar el año con el PDF."],
            correcciones=[{"campo": "titulo", "original": "Protocolo de actuasión"}],
        ),
        make_record("guia-sin-datos", titulo="Guía 100% C&A {x} \\ ~ ^ # _ $", tipo="guia"),
        make_record(
            "boletin-3",
            titulo="Boletín N.° 3",
            tipo="boletin",
            anio=[2023, 2022],
            serie="boletines",
            orden=3,
            instituciones=["poder-judicial"],
        ),
        make_record(
            "spot-quechua",
            seccion="audiovisual",
            titulo="Willakuy",
            tipo="spot-radial",
            anio=2023,
            idioma="quz",
            enlaces=[{"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "formato": "video"}],
        ),
    )


def make_catalog(records: tuple[Record, ...] | None = None) -> Catalog:
    return Catalog(
        info=CatalogInfo(
            titulo="Catálogo de prueba",
            editor="Organización Internacional del Trabajo",
            introduccion="Introducción.",
            nota_reuso="Libre.",
            creditos="Créditos.",
            linea_denuncia="Denuncia.",
        ),
        sections={
            "objetivo-1": Section(titulo="Objetivo 1", nombre_corto="Objetivo 1", orden=1),
            "audiovisual": Section(titulo="Audiovisual", nombre_corto="Audiovisual", orden=2),
        },
        series={"boletines": Series(titulo="Boletines jurisprudenciales", seccion="objetivo-1")},
        vocabularies=Vocabularies(
            tipos={
                "protocolo": TypeEntry(nombre="Protocolo", bibtex="techreport", ris="RPRT"),
                "guia": TypeEntry(nombre="Guía", bibtex="techreport", ris="RPRT"),
                "boletin": TypeEntry(
                    nombre="Boletín", csl="article-journal", bibtex="article", ris="JOUR"
                ),
                "spot-radial": TypeEntry(
                    nombre="Spot radial", schema_org="AudioObject", csl="broadcast", ris="SOUND"
                ),
            },
            publicos={
                "policia": VocabularyEntry(nombre="Policía"),
                "fiscalia": VocabularyEntry(nombre="Fiscalía"),
            },
            instituciones={
                "oit": InstitutionEntry(nombre="Organización Internacional del Trabajo"),
                "poder-judicial": InstitutionEntry(nombre="Poder Judicial del Perú"),
            },
            idiomas={"es": LanguageEntry(nombre="Español"), "quz": LanguageEntry(nombre="Quechua")},
            formatos={
                "pdf": FormatEntry(nombre="PDF", etiqueta="Descargar PDF"),
                "video": FormatEntry(nombre="Video", etiqueta="Ver video"),
            },
        ),
        records=make_records() if records is None else records,
    )


@pytest.fixture
def catalog() -> Catalog:
    return make_catalog()


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# --- Records as data -----------------------------------------------------------------------


def test_records_keep_catalog_order_and_key_order(catalog: Catalog) -> None:
    records = exports.export_records(catalog, page_url)
    assert [item["id"] for item in records] == [record.id for record in catalog.records]
    for item in records:
        assert list(item) == RECORD_KEYS


def test_record_with_every_field(catalog: Catalog) -> None:
    item = exports.export_records(catalog, page_url)[0]
    assert item == {
        "id": "protocolo-conjunto",
        "titulo": "Protocolo de actuación «conjunta»",
        "seccion": "objetivo-1",
        "tipo": "protocolo",
        "anio": 2021,
        "anios": [2021],
        "mes": 3,
        "idioma": "es",
        "publico": ["policia", "fiscalia"],
        "instituciones": ["poder-judicial", "oit"],
        "serie": None,
        "orden": None,
        "descripcion": TRICKY_DESCRIPTION,
        "enlaces": [
            {"url": "https://www.gob.pe/protocolo.pdf", "formato": "pdf", "etiqueta": "Tomo I"},
            {"url": "https://www.gob.pe/protocolo", "formato": None},
            {"url": "https://www.gob.pe/anexo.pdf", "formato": "pdf"},
        ],
        "relacionados": ["boletin-3"],
        "fecha_alta": "2024-05-02",
        "url": f"{SITE}/recursos/protocolo-conjunto/",
        "autores": ["Poder Judicial del Perú"],
        "publico_inferido": True,
    }


def test_record_without_data_and_with_several_years(catalog: Catalog) -> None:
    bare, bulletin = exports.export_records(catalog, page_url)[1:3]
    assert (bare["anio"], bare["anios"], bare["mes"], bare["fecha_alta"]) == (None, [], None, None)
    assert (bare["descripcion"], bare["enlaces"], bare["serie"]) == (None, [], None)
    assert (bulletin["anio"], bulletin["anios"]) == (2022, [2022, 2023])
    assert (bulletin["serie"], bulletin["orden"]) == ("boletines", 3)


def test_editorial_notes_and_corrections_are_not_exported(catalog: Catalog) -> None:
    text = exports.export_json(catalog, page_url).decode("utf-8")
    assert "notas_editoriales" not in text and "Revisar el año" not in text
    assert "correcciones" not in text and "actuasión" not in text
    csv_text = exports.export_csv(catalog, page_url).decode("utf-8-sig")
    assert "Revisar el año" not in csv_text and "actuasión" not in csv_text


# --- JSON ----------------------------------------------------------------------------------


def test_json_round_trip(catalog: Catalog) -> None:
    data = exports.export_json(catalog, page_url)
    assert json.loads(data.decode("utf-8")) == exports.export_records(catalog, page_url)


def test_json_is_readable_utf8_and_deterministic(catalog: Catalog) -> None:
    data = exports.export_json(catalog, page_url)
    assert data == exports.export_json(make_catalog(), page_url)
    assert data.endswith(b"}\n]\n")
    assert "«conjunta»".encode() in data
    assert b'\n  {\n    "id": "protocolo-conjunto",\n' in data


def test_json_of_an_empty_catalog() -> None:
    assert exports.export_json(make_catalog(records=()), page_url) == b"[]\n"


# --- CSV -----------------------------------------------------------------------------------


def test_csv_has_bom_crlf_and_the_public_columns(catalog: Catalog) -> None:
    data = exports.export_csv(catalog, page_url)
    assert data.startswith(BOM)
    assert data.endswith(b"\r\n")
    header = data[len(BOM) :].split(b"\r\n")[0].decode("utf-8")
    assert header.split(",") == CSV_COLUMNS


def test_csv_round_trip(catalog: Catalog) -> None:
    rows = read_csv(exports.export_csv(catalog, page_url))
    assert [row["id"] for row in rows] == [record.id for record in catalog.records]
    for row, record in zip(rows, catalog.records, strict=True):
        assert row["titulo"] == record.titulo
        assert row["seccion"] == record.seccion
        assert row["tipo"] == record.tipo
        assert row["anio"] == (str(record.first_year) if record.first_year else "")
        assert row["descripcion"] == (record.descripcion or "")
        assert row["url"] == page_url(record)
        assert row["enlaces"] == " | ".join(link.url for link in record.enlaces)


def test_csv_lists_and_aligned_formats(catalog: Catalog) -> None:
    first, bare, bulletin, spot = read_csv(exports.export_csv(catalog, page_url))
    assert first["publico"] == "policia | fiscalia"
    assert first["instituciones"] == "poder-judicial | oit"
    assert first["enlaces"].split(" | ") == [
        "https://www.gob.pe/protocolo.pdf",
        "https://www.gob.pe/protocolo",
        "https://www.gob.pe/anexo.pdf",
    ]
    assert first["formatos"].split(" | ") == ["pdf", "", "pdf"]
    assert (first["mes"], first["fecha_alta"], first["relacionados"]) == (
        "3",
        "2024-05-02",
        "boletin-3",
    )
    assert (bare["anio"], bare["anios"], bare["enlaces"], bare["formatos"]) == ("", "", "", "")
    assert (bulletin["anios"], bulletin["serie"], bulletin["orden"]) == (
        "2022 | 2023",
        "boletines",
        "3",
    )
    assert (spot["idioma"], spot["formatos"]) == ("quz", "video")


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Co")), max_size=80))
def test_csv_keeps_any_description(description: str) -> None:
    record = make_record("libre", titulo="Libre", tipo="guia", descripcion=description)
    rows = read_csv(exports.export_csv(make_catalog(records=(record,)), page_url))
    expected = record.descripcion or ""
    if expected.startswith(("=", "+", "-", "@", "\t", "\r")):
        expected = "'" + expected  # neutralized for spreadsheets
    assert rows[0]["descripcion"] == expected


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "- lista"])
def test_csv_cells_cannot_run_as_spreadsheet_formulas(text: str) -> None:
    record = make_record("formula", titulo=text, tipo="guia", descripcion=text)
    rows = read_csv(exports.export_csv(make_catalog(records=(record,)), page_url))
    assert rows[0]["titulo"] == "'" + record.titulo
    assert json.loads(exports.export_json(make_catalog(records=(record,)), page_url))[0][
        "titulo"
    ] == record.titulo


# --- Citation files ------------------------------------------------------------------------


def test_bibtex_file_parses_back(catalog: Catalog) -> None:
    data = exports.export_bibtex(catalog, page_url)
    entries = bibtexparser.loads(data.decode("utf-8")).entries
    assert [entry["ID"] for entry in entries] == [record.id for record in catalog.records]
    assert [entry["ENTRYTYPE"] for entry in entries] == [
        "techreport",
        "techreport",
        "article",
        "misc",
    ]


def test_ris_file_parses_back(catalog: Catalog) -> None:
    entries: list[dict[str, Any]] = rispy.loads(exports.export_ris(catalog, page_url).decode())
    assert [entry["title"] for entry in entries] == [record.titulo for record in catalog.records]
    assert [entry["type_of_reference"] for entry in entries] == ["RPRT", "RPRT", "JOUR", "SOUND"]


def test_csl_json_file_parses_back(catalog: Catalog) -> None:
    data = exports.export_csl_json(catalog, page_url)
    assert data.endswith(b"\n")
    items: list[dict[str, Any]] = json.loads(data.decode("utf-8"))
    assert [item["id"] for item in items] == [record.id for record in catalog.records]
    assert items[3]["language"] == "quz"


def test_catalog_exports_joined_from_record_parts_equal_the_direct_exports(
    shipped_catalog: Catalog,
) -> None:
    """Builds join per-record parts (so one edit recomputes one part): same bytes."""
    catalog = shipped_catalog
    url_of = page_url

    parts = [exports.record_exports(r, catalog, url_of(r)) for r in catalog.records]
    joined = exports.join_exports(parts)
    assert joined["datos/catalogo.json"] == exports.export_json(catalog, url_of)
    assert joined["datos/catalogo.csv"] == exports.export_csv(catalog, url_of)
    assert joined["datos/catalogo.bib"] == exports.export_bibtex(catalog, url_of)
    assert joined["datos/catalogo.ris"] == exports.export_ris(catalog, url_of)
    assert joined["datos/catalogo-csl.json"] == exports.export_csl_json(catalog, url_of)
    assert exports.json_array([]) == exports.json_bytes([])


JSON_TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
JSON_DATA = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | JSON_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(JSON_TEXT, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(JSON_DATA)
def test_array_items_are_what_the_json_module_writes(data: Any) -> None:
    """orjson writes the open data's items: the bytes the json module would write."""
    assert_written_as_by_the_json_module(data)


def assert_written_as_by_the_json_module(data: Any) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2)
    assert exports.array_item(data) == "\n".join("  " + line for line in text.split("\n"))


@pytest.mark.parametrize(
    "text", ["\u2028\u2029", "\x00\x1f\x7f", 'comillas " y \\ barra', "😀 ñ", "</script>"]
)
def test_array_items_escape_as_the_json_module(text: str) -> None:
    data = {"titulo": text, "lista": [text, {"k": text}], "vacia": [], "objeto": {}}
    assert_written_as_by_the_json_module(data)
