"""The catalog transcribed from the OIT source catalog: counts, links, series and anomalies.

These tests pin the numbers that follow from the source text
(`shared/seeds/000_809c43e6d69c09bf.txt`, next to this repository). When the source is not
there the link tests are skipped, unless CATALOGO_REQUIRE_SOURCE is set (CI with the source).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest

from catalogo.loader import LoadResult
from catalogo.models import Record
from catalogo.problems import report
from catalogo.video import youtube_id
from tests.support import ROOT

CATALOG = ROOT / "catalog"
SOURCE_NAME = Path("shared") / "seeds" / "000_809c43e6d69c09bf.txt"


def find_source() -> Path:
    """The source text: $CATALOGO_SOURCE, else ../shared/ beside the checkout, else /work/."""
    candidates = [Path(os.environ["CATALOGO_SOURCE"])] if os.environ.get("CATALOGO_SOURCE") else []
    candidates += [Path(__file__).resolve().parents[2] / SOURCE_NAME, Path("/work") / SOURCE_NAME]
    return next((path for path in candidates if path.is_file()), candidates[0])


SOURCE = find_source()
SOURCE_URL_LINES = 106  # URL lines in the source, repeated ones included

SECTION_COUNTS = {"objetivo-1": 21, "objetivo-2": 26, "objetivo-3": 4, "audiovisual": 45}
TYPE_COUNTS = {
    "video": 33,
    "spot-radial": 12,
    "guia": 9,
    "capacitacion": 8,
    "lista-verificacion": 7,
    "boletin": 6,
    "estudio": 4,
    "protocolo": 4,
    "libro": 4,
    "lineamientos": 3,
    "politica": 2,
    "jurisprudencia": 1,
    "informe": 1,
    "manual": 1,
    "cartilla": 1,
}
SERIES_SIZES = {
    "boletines-jurisprudenciales": 6,
    "listas-verificacion-ecv": 7,
    "guias-deteccion-derivacion": 3,
    "guias-procedimientos-rree": 2,
    "politica-nacional-trata-2030": 2,
    "v-congreso-internacional-trata": 2,
    "modulos-lgbti": 4,
    "sistema-monitoreo-videotutoriales": 4,
    "spots-radiales": 12,
}
# Number -> (year, month, how the link ends), from the source's list of issues.
BULLETINS = {
    1: (2022, 3, "-formas-de-explotacion/"),
    2: (2022, 6, "-n2-2022/"),
    3: (2022, 9, "-n3-2022/"),
    4: (2022, 12, "-n4-2022/"),
    5: (2023, 3, "-n5-2023/"),
    6: (2023, 8, "-no-6/"),
}
# Records whose source has an anomaly: each must tell the editor about it.
FLAGGED = [
    "guia-plan-reintegracion-individual",
    "herramientas-atencion-nna-lgbti",
    "guia-capacitacion-atencion-nna-lgbti",
    "modulo-lgbti-basico",
    "modulo-lgbti-jueces-fiscales",
    "modulo-lgbti-policia",
    "modulo-lgbti-operadores-servicios",
    "boletin-jurisprudencial-01",
    "boletin-jurisprudencial-03",
    "boletin-jurisprudencial-04",
    "boletin-jurisprudencial-05",
    "boletin-jurisprudencial-06",
    "guia-deteccion-serenazgo-fiscalizadores",
    "guia-deteccion-profesionales-salud",
    "guia-deteccion-policia",
    "guia-procedimientos-victimas-nacionales-extranjero",
    "guia-procedimientos-rree-victimas-extranjeras",
    "v-congreso-internacional-trata-tomo-1",
    "v-congreso-internacional-trata-tomo-2",
    "modelo-operacional-care-trata",
    "promocion-medios-vida-sostenibles",
    "video-piloto-integracion-economica-jovenes",
    "video-politica-nacional-trata-2030",
    "video-protocolo-ministerio-publico",
    "videotutorial-guia-operativa-investigacion",
    "video-cursos-diplomados-2020-lgbti",
    "videotutorial-policias-atencion-lgtbi",
    "video-denuncia-1818-1",
    "video-denuncia-1818-2",
]
FLAGGED_SERIES = [
    "boletines-jurisprudenciales",
    "v-congreso-internacional-trata",
    "listas-verificacion-ecv",
    "guias-deteccion-derivacion",
    "guias-procedimientos-rree",
    "modulos-lgbti",
    "spots-radiales",
]
# Typos of the source that must not survive in titles or descriptions.
TYPOS = ["Policia ", "Politica ", "Ilicíto", "Persecusión", "Video: Video:", "incluyendi"]


@pytest.fixture(scope="module")
def loaded(shipped_loaded: LoadResult) -> LoadResult:
    return shipped_loaded


@pytest.fixture(scope="module")
def records(loaded: LoadResult) -> dict[str, Record]:
    return {record.id: record for record in loaded.catalog.records}


@pytest.fixture(scope="module")
def source_urls() -> list[str]:
    if not SOURCE.is_file():
        if os.environ.get("CATALOGO_REQUIRE_SOURCE"):
            pytest.fail(f"falta la fuente {SOURCE} y CATALOGO_REQUIRE_SOURCE está activado")
        pytest.skip(f"fuente no disponible: {SOURCE}")
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip().startswith("http")]


def series_items(records: dict[str, Record], series_id: str) -> list[Record]:
    return sorted((r for r in records.values() if r.serie == series_id), key=lambda r: r.orden or 0)


def test_catalog_loads_without_errors(loaded: LoadResult) -> None:
    errors = [problem for problem in loaded.warnings if problem.is_error]
    assert not errors, report(errors)


def test_counts_per_section(records: dict[str, Record]) -> None:
    assert Counter(r.seccion for r in records.values()) == SECTION_COUNTS


def test_counts_per_type(records: dict[str, Record]) -> None:
    assert Counter(r.tipo for r in records.values()) == TYPE_COUNTS
    assert sum(TYPE_COUNTS.values()) == sum(SECTION_COUNTS.values()) == len(records)


def test_every_source_url_is_in_some_record(
    records: dict[str, Record], source_urls: list[str]
) -> None:
    assert len(source_urls) == SOURCE_URL_LINES
    in_records = {link.url for r in records.values() for link in r.enlaces}
    missing = [url for url in source_urls if url not in in_records]
    assert not missing, missing


def test_every_record_url_comes_from_the_source(
    records: dict[str, Record], source_urls: list[str]
) -> None:
    known = set(source_urls)
    foreign = [
        (r.id, link.url)
        for r in records.values()
        for link in r.enlaces
        if link.url not in known and not link.agregado_por_editor
    ]
    assert not foreign, foreign


def test_series_sizes(loaded: LoadResult, records: dict[str, Record]) -> None:
    sizes = Counter(r.serie for r in records.values() if r.serie)
    assert sizes == SERIES_SIZES
    assert set(loaded.catalog.series) == set(SERIES_SIZES)
    for series_id, entry in loaded.catalog.series.items():
        sections = {r.seccion for r in series_items(records, series_id)}
        assert sections == {entry.seccion}, series_id


def test_series_items_have_unique_positions(records: dict[str, Record]) -> None:
    for series_id, size in SERIES_SIZES.items():
        positions = [r.orden for r in series_items(records, series_id)]
        assert positions == list(range(1, size + 1)), series_id


def test_spots_in_both_languages(records: dict[str, Record]) -> None:
    spots = series_items(records, "spots-radiales")
    assert Counter(r.idioma for r in spots) == {"es": 6, "quz": 6}
    assert all(r.tipo == "spot-radial" for r in spots)
    for spot in spots:
        assert len(spot.enlaces) == 1
        assert spot.enlaces[0].formato == "carpeta"
        assert spot.notas_editoriales, spot.id


def test_bulletins(records: dict[str, Record]) -> None:
    for number, (year, month, ending) in BULLETINS.items():
        bulletin = records[f"boletin-jurisprudencial-{number:02d}"]
        assert bulletin.serie == "boletines-jurisprudenciales"
        assert bulletin.orden == number
        assert (bulletin.anio, bulletin.mes) == (year, month)
        assert len(bulletin.enlaces) == 1
        assert bulletin.enlaces[0].url.endswith(ending), bulletin.id
        assert f"Número {number}" in bulletin.titulo
    for number in (1, 2, 3, 5):
        assert not records[f"boletin-jurisprudencial-{number:02d}"].descripcion
    for number in (4, 6):
        assert records[f"boletin-jurisprudencial-{number:02d}"].descripcion


def test_detection_guides_years_follow_print_order(records: dict[str, Record]) -> None:
    guides = series_items(records, "guias-deteccion-derivacion")
    assert [g.anio for g in guides] == [2020, 2021, 2021]


def test_congress_volumes_keep_both_years(records: dict[str, Record]) -> None:
    for volume in series_items(records, "v-congreso-internacional-trata"):
        assert volume.anio == [2022, 2023]


def test_flagged_records_carry_editorial_notes(
    loaded: LoadResult, records: dict[str, Record]
) -> None:
    without = [rid for rid in FLAGGED if not records[rid].notas_editoriales]
    assert not without, without
    series_without = [
        sid for sid in FLAGGED_SERIES if not loaded.catalog.series[sid].notas_editoriales
    ]
    assert not series_without, series_without


def test_known_anomalies_are_handled(records: dict[str, Record]) -> None:
    assert not records["guia-plan-reintegracion-individual"].descripcion
    assert not records["modulo-lgbti-basico"].enlaces
    shared = "https://aula.lim.ilo.org/mod/page/view.php?id=208"
    for rid in ("herramientas-atencion-nna-lgbti", "guia-capacitacion-atencion-nna-lgbti"):
        assert [link.url for link in records[rid].enlaces] == [shared]


def test_repeated_videos_are_one_record(records: dict[str, Record]) -> None:
    users: dict[str, set[str]] = {}
    for record in records.values():
        for link in record.enlaces:
            video = youtube_id(link.url)
            if video:
                users.setdefault(video, set()).add(record.id)
    for video in ("9DwtMm1IrrI", "OAVf5YJnWj8", "x9Ec90T76yE", "oCb4MrU2WPk"):
        assert len(users[video]) == 1, video
    assert users["K77bcvvQkIk"] == {
        "video-cursos-diplomados-2020-lgbti",
        "videotutorial-policias-atencion-lgtbi",
    }
    assert records["video-denuncia-1818-1"].titulo == records["video-denuncia-1818-2"].titulo
    videos = [r for r in records.values() if r.tipo == "video"]
    assert all(r.seccion == "audiovisual" for r in videos)
    assert all(r.anio is None and not r.descripcion for r in videos)


def test_every_record_has_an_audience_and_inferences_are_listed(
    records: dict[str, Record],
) -> None:
    assert [record.id for record in records.values() if not record.publico] == []
    notes = (CATALOG / "NOTAS.md").read_text(encoding="utf-8")
    listed = notes.split("## Públicos deducidos", 1)[1].split("\n## ", 1)[0]
    inferred = [record for record in records.values() if record.publico_inferido]
    assert len(inferred) == 60
    for record in inferred:
        spots = record.id.startswith("spot-") and "`audiovisual/spot-*.yaml`" in listed
        assert spots or f"`{record.seccion}/{record.id}.yaml`" in listed, record.id


def test_fixed_typos_are_recorded(records: dict[str, Record]) -> None:
    for record in records.values():
        for typo in TYPOS:
            assert typo not in record.titulo, (record.id, typo)
            assert typo not in (record.descripcion or ""), (record.id, typo)
    for rid in (
        "curso-capacitacion-pnp-investigacion-trata",
        "segundo-analisis-casos-trata",
        "plataforma-virtual-comision-multisectorial",
        "video-piloto-integracion-economica-jovenes",
        "video-politica-nacional-trata-2030",
        "spot-persecucion-es",
        "spot-persecucion-quz",
    ):
        assert records[rid].correcciones, rid


def test_related_records_exist(records: dict[str, Record]) -> None:
    for record in records.values():
        for other in record.relacionados:
            assert other in records, (record.id, other)


def source_text() -> str:
    if not SOURCE.is_file():
        if os.environ.get("CATALOGO_REQUIRE_SOURCE"):
            pytest.fail(f"falta la fuente {SOURCE} y CATALOGO_REQUIRE_SOURCE está activado")
        pytest.skip(f"fuente no disponible: {SOURCE}")
    return SOURCE.read_text(encoding="utf-8")


def test_the_source_lacks_every_year_and_description_marked_as_missing(
    records: dict[str, Record],
) -> None:
    """sin_anio and sin_descripcion say that the source does not give a fact. They are used
    only in the audiovisual part of the source, which lists titles and links and nothing
    else: the only four-digit numbers there belong to titles."""
    text = source_text()
    audiovisual = text[text.index("Recursos audiovisuales") :]
    for line in audiovisual.splitlines():
        if re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)", line):
            assert any(
                line.strip() in record.titulo for record in records.values()
            ), f"a year the source gives: {line!r}"
    marked = [r for r in records.values() if r.sin_anio or r.sin_descripcion]
    assert len(marked) == 45
    assert {r.seccion for r in marked} == {"audiovisual"}
    assert not [r.id for r in marked if r.sin_anio and r.anio is not None]
    assert not [r.id for r in marked if r.sin_descripcion and r.descripcion]
