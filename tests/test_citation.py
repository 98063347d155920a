"""Citations: APA texts checked word for word, and BibTeX, RIS and CSL-JSON parsed back with
independent parsers (bibtexparser, rispy, json) and compared with the records."""

from __future__ import annotations

import calendar
import json
import re
from typing import Any

import bibtexparser
import pytest
import rispy
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogo import citation
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
EDITOR = "Organización Internacional del Trabajo"
SPECIAL_TITLE = r"Guía 100% «útil» de C&A: $5 #1 mi_archivo ~casi x^2 {llaves} a\b"
YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
PROTOCOL_PDF = "https://www.gob.pe/uploads/protocolo.pdf"
SPOT_AUDIO = "https://drive.google.com/file/d/spot2/view"
LATEX_ESCAPE = re.compile(r"\\(text[a-z]+)\{\}|\\([%&$#_])")
LATEX_NAMED = {
    "textbackslash": "\\",
    "textasciicircum": "^",
    "textasciitilde": "~",
    "textbraceleft": "{",
    "textbraceright": "}",
}


def page_url(record: Record) -> str:
    return f"{SITE}/recursos/{record.id}/"


def make_record(record_id: str, **fields: Any) -> Record:
    return Record.model_validate({"id": record_id, "seccion": "objetivo-1", **fields})


def make_type(nombre: str, schema_org: str, csl: str, bibtex: str, ris: str) -> TypeEntry:
    return TypeEntry(nombre=nombre, schema_org=schema_org, csl=csl, bibtex=bibtex, ris=ris)


def make_vocabularies() -> Vocabularies:
    return Vocabularies(
        tipos={
            "protocolo": make_type("Protocolo", "DigitalDocument", "report", "techreport", "RPRT"),
            "guia": make_type("Guía", "DigitalDocument", "report", "techreport", "RPRT"),
            "manual": make_type("Manual", "Book", "book", "book", "BOOK"),
            "boletin": make_type(
                "Boletín jurisprudencial", "PublicationIssue", "article-journal", "article", "JOUR"
            ),
            "video": make_type("Video", "VideoObject", "motion_picture", "misc", "VIDEO"),
            "spot-radial": make_type("Spot radial", "AudioObject", "broadcast", "misc", "SOUND"),
        },
        publicos={
            "policia": VocabularyEntry(nombre="Policía Nacional del Perú"),
            "fiscalia": VocabularyEntry(nombre="Fiscalía"),
        },
        instituciones={
            "oit": InstitutionEntry(nombre=EDITOR, siglas="OIT"),
            "poder-judicial": InstitutionEntry(nombre="Poder Judicial del Perú", siglas="PJ"),
            "ministerio-publico": InstitutionEntry(
                nombre="Ministerio Público - Fiscalía de la Nación", siglas="MP"
            ),
        },
        idiomas={"es": LanguageEntry(nombre="Español"), "quz": LanguageEntry(nombre="Quechua")},
        formatos={
            "pdf": FormatEntry(nombre="PDF", etiqueta="Descargar PDF"),
            "video": FormatEntry(nombre="Video", etiqueta="Ver video"),
        },
    )


def make_records() -> tuple[Record, ...]:
    return (
        make_record(
            "protocolo-conjunto",
            titulo="Protocolo intersectorial de actuación conjunta",
            tipo="protocolo",
            anio=2021,
            mes=3,
            autores=[
                "Poder Judicial del Perú",
                "Ministerio Público - Fiscalía de la Nación",
                "Organización Internacional del Trabajo",
            ],
            instituciones=["poder-judicial", "ministerio-publico", "oit"],
            publico=["policia", "fiscalia"],
            descripcion='Aprobado por **resolución** "conjunta".\n\n- Uno\n- Dos',
            enlaces=[{"url": PROTOCOL_PDF, "formato": "pdf"}],
        ),
        make_record("guia-especial", titulo=SPECIAL_TITLE, tipo="guia"),
        make_record(
            "boletin-3",
            titulo="Trata de personas y explotación laboral",
            tipo="boletin",
            anio=[2023, 2022],
            mes=5,
            serie="boletines",
            orden=3,
            instituciones=["poder-judicial"],
            enlaces=[{"url": "https://www.pj.gob.pe/boletin-3.pdf", "formato": "pdf"}],
        ),
        make_record(
            "video-tutorial",
            titulo="¿Cómo aplicar la guía?",
            tipo="video",
            anio=2022,
            instituciones=["oit"],
            enlaces=[{"url": YOUTUBE, "formato": "video"}],
        ),
        make_record(
            "spot-quechua",
            titulo="Willakuy",
            tipo="spot-radial",
            anio=2023,
            idioma="quz",
            serie="spots",
            orden=2,
            enlaces=[{"url": SPOT_AUDIO}],
        ),
        make_record(
            "manual-dos-autores",
            titulo="Manual de investigación",
            tipo="manual",
            anio=2020,
            autores=["Ministerio Público - Fiscalía de la Nación", "Poder Judicial del Perú"],
            instituciones=["ministerio-publico", "poder-judicial"],
        ),
    )


def make_catalog() -> Catalog:
    return Catalog(
        info=CatalogInfo(
            titulo="Catálogo de prueba",
            editor=EDITOR,
            introduccion="Introducción.",
            nota_reuso="Libre.",
            creditos="Créditos.",
            linea_denuncia="Denuncia.",
        ),
        sections={"objetivo-1": Section(titulo="Objetivo 1", nombre_corto="Objetivo 1", orden=1)},
        series={
            "boletines": Series(titulo="Boletines jurisprudenciales", seccion="objetivo-1"),
            "spots": Series(
                titulo="Spots radiales",
                seccion="objetivo-1",
                descripcion="Spots en *quechua* Cusco.",
            ),
        },
        vocabularies=make_vocabularies(),
        records=make_records(),
    )


@pytest.fixture
def catalog() -> Catalog:
    return make_catalog()


def decode_latex(text: str) -> str:
    """Inverse of the escapes a BibTeX reader must undo; written here, not imported."""
    return LATEX_ESCAPE.sub(lambda m: LATEX_NAMED[m.group(1)] if m.group(1) else m.group(2), text)


def unprotect(value: str) -> str:
    assert value.startswith("{") and value.endswith("}"), value
    return value[1:-1]


def parse_bibtex(text: str) -> dict[str, dict[str, str]]:
    entries: list[dict[str, str]] = bibtexparser.loads(text).entries
    return {entry["ID"]: entry for entry in entries}


def parse_ris(text: str) -> dict[str, dict[str, Any]]:
    """RIS entries by title (RIS has no id tag here)."""
    entries: list[dict[str, Any]] = rispy.loads(text)
    return {entry["title"]: entry for entry in entries}


# --- APA -----------------------------------------------------------------------------------


def apa_text(catalog: Catalog, record_id: str) -> str:
    record = catalog.record(record_id)
    return citation.apa(record, catalog, page_url(record)).text


def test_apa_with_three_institutions_and_month(catalog: Catalog) -> None:
    assert apa_text(catalog, "protocolo-conjunto") == (
        "Poder Judicial del Perú, Ministerio Público - Fiscalía de la Nación y "
        "Organización Internacional del Trabajo. (2021, marzo). Protocolo intersectorial de "
        f"actuación conjunta. {PROTOCOL_PDF}"
    )


def test_apa_two_institutions_are_joined_with_y(catalog: Catalog) -> None:
    assert apa_text(catalog, "manual-dos-autores") == (
        "Ministerio Público - Fiscalía de la Nación y Poder Judicial del Perú. (2020). "
        f"Manual de investigación. {SITE}/recursos/manual-dos-autores/"
    )


def test_apa_without_author_year_or_link_puts_title_first(catalog: Catalog) -> None:
    assert apa_text(catalog, "guia-especial") == (
        f"{SPECIAL_TITLE}. (s. f.). {SITE}/recursos/guia-especial/"
    )


def test_apa_series_issue_spans_years_without_month(catalog: Catalog) -> None:
    # The issuing institution is not an author: APA's rule for works without author.
    assert apa_text(catalog, "boletin-3") == (
        "Trata de personas y explotación laboral (Boletines jurisprudenciales n.º 3). "
        "(2022–2023). https://www.pj.gob.pe/boletin-3.pdf"
    )


def test_apa_youtube_video_keeps_question_mark(catalog: Catalog) -> None:
    assert apa_text(catalog, "video-tutorial") == (
        f"¿Cómo aplicar la guía? [Video]. (2022). YouTube. {YOUTUBE}"
    )


def test_institutions_never_become_authors(catalog: Catalog) -> None:
    record = catalog.record("video-tutorial")
    assert record.instituciones and not record.autores
    assert "Organización Internacional del Trabajo." not in apa_text(catalog, "video-tutorial")
    entry = parse_bibtex(citation.bibtex_entry(record, catalog, page_url(record)))
    assert "author" not in entry["video-tutorial"]
    assert "authors" not in parse_ris(citation.ris_entry(record, catalog, page_url(record)))[
        record.titulo
    ]
    assert "author" not in citation.csl_item(record, catalog, page_url(record))


def test_apa_quechua_spot_without_author(catalog: Catalog) -> None:
    assert apa_text(catalog, "spot-quechua") == (
        f"Willakuy (Spots radiales n.º 2) [Audio]. (2023). {SPOT_AUDIO}"
    )


def test_apa_parts_isolate_the_title_for_italics(catalog: Catalog) -> None:
    record = catalog.record("manual-dos-autores")
    result = citation.apa(record, catalog, page_url(record))
    assert result.before == (
        "Ministerio Público - Fiscalía de la Nación y Poder Judicial del Perú. (2020). "
    )
    assert result.title == "Manual de investigación"
    assert result.after == f". {SITE}/recursos/manual-dos-autores/"


def test_apa_title_first_parts(catalog: Catalog) -> None:
    record = catalog.record("spot-quechua")
    result = citation.apa(record, catalog, page_url(record))
    assert (result.before, result.title) == ("", "Willakuy")
    assert result.after.startswith(" (Spots radiales n.º 2) [Audio]. (2023). ")


def test_apa_author_list_past_twenty_keeps_nineteen_and_the_last() -> None:
    names = [f"Institución {number}" for number in range(1, 23)]
    joined = citation.join_apa_names(names)
    assert joined.startswith("Institución 1, Institución 2, ")
    assert joined.endswith("Institución 19, . . . Institución 22")


# --- BibTeX --------------------------------------------------------------------------------


def test_bibtex_round_trip_of_every_record(catalog: Catalog) -> None:
    entries = parse_bibtex(citation.bibtex(catalog.records, catalog, page_url))
    assert list(entries) == [record.id for record in catalog.records]
    for record in catalog.records:
        entry = entries[record.id]
        assert entry["ENTRYTYPE"] == catalog.vocabularies.tipos[record.tipo].bibtex
        assert decode_latex(unprotect(entry["title"])) == record.titulo
        year = entry.get("year")
        assert year == (str(record.first_year) if record.first_year else None)


def test_bibtex_fields_of_a_report(catalog: Catalog) -> None:
    entry = parse_bibtex(citation.bibtex(catalog.records, catalog, page_url))["protocolo-conjunto"]
    assert entry["author"] == (
        "{Poder Judicial del Perú} and {Ministerio Público - Fiscalía de la Nación} and "
        "{Organización Internacional del Trabajo}"
    )
    assert entry["institution"] == entry["author"]
    assert entry["type"] == "Protocolo"
    assert entry["month"] == calendar.month_name[3]
    assert entry["url"] == PROTOCOL_PDF
    assert entry["language"] == "spanish"
    assert entry["abstract"] == 'Aprobado por resolución "conjunta". Uno Dos'
    assert entry["keywords"] == "Protocolo, Policía Nacional del Perú, Fiscalía"


def test_bibtex_escapes_latex_specials_and_keeps_accents(catalog: Catalog) -> None:
    record = catalog.record("guia-especial")
    text = citation.bibtex_entry(record, catalog, page_url(record))
    assert (
        r"title = {{Guía 100\% «útil» de C\&A: \$5 \#1 mi\_archivo \textasciitilde{}casi "
        r"x\textasciicircum{}2 \textbraceleft{}llaves\textbraceright{} "
        r"a\textbackslash{}b}}," in text
    )
    entry = parse_bibtex(text)["guia-especial"]
    assert "author" not in entry
    assert entry["institution"] == "{Organización Internacional del Trabajo}"
    assert entry["url"] == page_url(record)


def test_bibtex_series_issue_and_several_years(catalog: Catalog) -> None:
    entry = parse_bibtex(citation.bibtex(catalog.records, catalog, page_url))["boletin-3"]
    assert entry["journal"] == "Boletines jurisprudenciales"
    assert entry["number"] == "3"
    assert entry["year"] == "2022"
    assert "month" not in entry


def test_bibtex_media_and_language(catalog: Catalog) -> None:
    entries = parse_bibtex(citation.bibtex(catalog.records, catalog, page_url))
    assert entries["video-tutorial"]["howpublished"] == "Video, YouTube"
    spot = entries["spot-quechua"]
    assert spot["howpublished"] == "Spot radial"
    assert spot["language"] == "quechua"
    assert spot["series"] == "Spots radiales"
    assert spot["abstract"] == "Spots en quechua Cusco."
    assert entries["manual-dos-autores"]["publisher"] == "{Organización Internacional del Trabajo}"


@pytest.mark.parametrize(
    ("record_id", "key"),
    [
        ("guia-operativa", "guia-operativa"),
        ("guía operativa", "guia-operativa"),
        ("a{b}%c", "a-b-c"),
        ("a_b.c", "a-b-c"),
        ("???", "registro"),
    ],
)
def test_bibtex_key_is_safe(record_id: str, key: str) -> None:
    assert citation.bibtex_key(record_id) == key


def test_bibtex_url_braces_are_percent_encoded() -> None:
    assert citation.bibtex_url("https://x.org/a{b}\\c?q=%20#f") == (
        "https://x.org/a%7Bb%7D%5Cc?q=%20#f"
    )


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
        min_size=1,
        max_size=60,
    ).filter(str.strip)
)
def test_bibtex_title_survives_any_text(title: str) -> None:
    catalog = make_catalog()
    record = make_record("titulo-libre", titulo=title, tipo="guia")
    entry = parse_bibtex(citation.bibtex_entry(record, catalog, page_url(record)))["titulo-libre"]
    assert decode_latex(unprotect(entry["title"])) == " ".join(title.split())


# --- RIS -----------------------------------------------------------------------------------


def test_ris_lines_follow_the_tag_format(catalog: Catalog) -> None:
    text = citation.ris(catalog.records, catalog, page_url)
    for line in text.splitlines():
        assert line == "" or re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line), line
    assert text.count("ER  - \n") == len(catalog.records)


def test_ris_round_trip(catalog: Catalog) -> None:
    entries = parse_ris(citation.ris(catalog.records, catalog, page_url))
    assert len(entries) == len(catalog.records)
    protocol = entries["Protocolo intersectorial de actuación conjunta"]
    assert protocol["type_of_reference"] == "RPRT"
    assert protocol["authors"] == [
        "Poder Judicial del Perú",
        "Ministerio Público - Fiscalía de la Nación",
        "Organización Internacional del Trabajo",
    ]
    assert protocol["year"] == "2021"
    assert protocol["date"] == "2021/03//"
    assert protocol["urls"] == [PROTOCOL_PDF]
    assert protocol["abstract"] == 'Aprobado por resolución "conjunta". Uno Dos'
    assert protocol["language"] == "es"
    assert protocol["keywords"] == ["Protocolo", "Policía Nacional del Perú", "Fiscalía"]
    # The editor is already an author, so it is not repeated as publisher.
    assert "publisher" not in protocol


def test_ris_without_year_or_author(catalog: Catalog) -> None:
    entry = parse_ris(citation.ris(catalog.records, catalog, page_url))[SPECIAL_TITLE]
    assert "year" not in entry and "authors" not in entry and "date" not in entry
    assert entry["urls"] == [f"{SITE}/recursos/guia-especial/"]
    assert entry["publisher"] == EDITOR


def test_ris_series_media_and_language(catalog: Catalog) -> None:
    entries = parse_ris(citation.ris(catalog.records, catalog, page_url))
    bulletin = entries["Trata de personas y explotación laboral"]
    assert bulletin["type_of_reference"] == "JOUR"
    assert bulletin["secondary_title"] == "Boletines jurisprudenciales"
    assert bulletin["number"] == "3"
    assert bulletin["year"] == "2022"
    assert "date" not in bulletin
    spot = entries["Willakuy"]
    assert spot["type_of_reference"] == "SOUND"
    assert spot["language"] == "quz"
    assert entries["¿Cómo aplicar la guía?"]["type_of_reference"] == "VIDEO"


# --- CSL-JSON ------------------------------------------------------------------------------


def csl_items(catalog: Catalog) -> dict[str, dict[str, Any]]:
    text = json.dumps(citation.csl_json(catalog.records, catalog, page_url), ensure_ascii=False)
    items: list[dict[str, Any]] = json.loads(text)
    return {item["id"]: item for item in items}


def test_csl_items_of_every_record(catalog: Catalog) -> None:
    items = csl_items(catalog)
    assert list(items) == [record.id for record in catalog.records]
    for record in catalog.records:
        item = items[record.id]
        assert item["type"] == catalog.vocabularies.tipos[record.tipo].csl
        assert item["title"] == record.titulo
        assert item["language"] == record.idioma


def test_csl_report_with_month(catalog: Catalog) -> None:
    item = csl_items(catalog)["protocolo-conjunto"]
    assert item["author"] == [
        {"literal": "Poder Judicial del Perú"},
        {"literal": "Ministerio Público - Fiscalía de la Nación"},
        {"literal": "Organización Internacional del Trabajo"},
    ]
    assert item["issued"] == {"date-parts": [[2021, 3]]}
    assert item["URL"] == PROTOCOL_PDF
    assert item["abstract"] == 'Aprobado por resolución "conjunta". Uno Dos'
    assert "publisher" not in item


def test_csl_without_year_or_author(catalog: Catalog) -> None:
    item = csl_items(catalog)["guia-especial"]
    assert "issued" not in item and "author" not in item
    assert item["publisher"] == EDITOR
    assert item["URL"] == f"{SITE}/recursos/guia-especial/"


def test_csl_series_issue_spans_years(catalog: Catalog) -> None:
    item = csl_items(catalog)["boletin-3"]
    assert item["issued"] == {"date-parts": [[2022], [2023]]}
    assert item["collection-title"] == "Boletines jurisprudenciales"
    assert item["collection-number"] == 3
    assert item["container-title"] == "Boletines jurisprudenciales"
    assert item["issue"] == 3


def test_csl_media(catalog: Catalog) -> None:
    items = csl_items(catalog)
    assert items["video-tutorial"]["medium"] == "Video"
    spot = items["spot-quechua"]
    assert spot["medium"] == "Audio"
    assert spot["language"] == "quz"
    assert spot["collection-number"] == 2
    assert "container-title" not in spot
    assert "medium" not in items["protocolo-conjunto"]
