"""The derived views pages read: the lists of each vocabulary value in one reading order (a
series in its own order), audiences that include others, related records, the window of a
long series a record page shows, and links as readers see them."""

from __future__ import annotations

from pathlib import Path

from catalogo.catalog import Catalog
from catalogo.incremental import Memo
from catalogo.loader import load_catalog
from catalogo.views import (
    RELATED_LIMIT,
    SERIES_LISTED_WHOLE,
    index_catalog,
    link_views,
    make_views,
    series_window,
)
from tests.support import EXAMPLE, add_long_series

JUSTICE = ["policia", "fiscalia", "jueces", "defensa-publica"]


def test_case_law_bulletins_reach_judges_prosecutors_and_defence(
    shipped_catalog: Catalog,
) -> None:
    index = index_catalog(shipped_catalog)
    bulletins = [r.id for r in index.by_type["boletin"]]
    for audience in ("jueces", "fiscalia", "defensa-publica", "operadores-justicia"):
        assert {r.id for r in index.by_audience[audience]} >= set(bulletins), audience
    assert index.audience_members["operadores-justicia"] == JUSTICE


def test_a_member_lists_the_umbrella_records_once_and_counts_them(
    shipped_catalog: Catalog,
) -> None:
    index = index_catalog(shipped_catalog)
    own = {r.id for r in index.by_audience["jueces"]}
    ((umbrella, shared),) = index.facets["publicos"].shared["jueces"]
    assert umbrella == "operadores-justicia"
    shared_ids = {r.id for r in shared}
    assert shared_ids and not shared_ids & own
    assert shared_ids | own >= {r.id for r in index.by_audience["operadores-justicia"]}
    assert index.audience_count("jueces") == len(own) + len(shared_ids)
    assert index.facets["publicos"].shared["operadores-justicia"] == []


def test_a_series_keeps_its_order_in_every_list(shipped_catalog: Catalog) -> None:
    index = index_catalog(shipped_catalog)
    numbers = [r.orden for r in index.by_type["boletin"]]
    assert numbers == [1, 2, 3, 4, 5, 6]  # was 5, 6, 1, 2, 3, 4 (newest year first)
    by_year = index.facets["anios"].values
    assert [r.orden for r in by_year[2022] if r.serie == "boletines-jurisprudenciales"] == [
        1, 2, 3, 4
    ]  # fmt: skip
    for records in [*index.by_audience.values(), *index.by_type.values(), *by_year.values()]:
        seen: dict[str, list[int]] = {}
        for record in records:
            if record.serie and record.orden:
                seen.setdefault(record.serie, []).append(record.orden)
        for orders in seen.values():
            assert orders == sorted(orders)


def test_records_without_a_value_are_listed_apart_and_umbrellas_reach_members() -> None:
    catalog = load_catalog(EXAMPLE).catalog
    index = index_catalog(catalog)
    assert [r.id for r in index.facets["anios"].missing] == ["video-de-prueba"]
    assert list(index.facets["anios"].values) == [2022, 2021], "years newest first"
    spot = catalog.record("spot-es")  # for «operadores-justicia», which includes two others
    assert index.implied_audiences(spot) == ["policia", "fiscalia"]
    assert index.implied_audiences(catalog.record("guia-de-prueba")) == []


def test_a_series_page_lists_a_window_of_a_long_series() -> None:
    short = list(range(SERIES_LISTED_WHOLE))
    assert series_window(short, 7) == (short, 1), "a short series is listed whole"
    long = list(range(32))
    assert series_window(long, 16) == (long[11:22], 12)
    assert series_window(long, 0) == (long[0:11], 1)
    assert series_window(long, 31) == (long[21:32], 22)


def test_related_records_put_explicit_relations_first_and_leave_the_series_out(
    example_catalog: Path,
) -> None:
    add_long_series(example_catalog)
    catalog = load_catalog(example_catalog).catalog
    related = make_views(catalog, Memo(enabled=False)).related
    # guia-de-prueba names video-de-prueba: each is the other's first related record.
    assert related["guia-de-prueba"][0].id == "video-de-prueba"
    assert related["video-de-prueba"][0].id == "guia-de-prueba"
    for record in catalog.records:
        ids = [other.id for other in related[record.id]]
        assert len(ids) <= RELATED_LIMIT and len(ids) == len(set(ids))
        assert record.id not in ids
        if record.serie:
            assert not [other for other in related[record.id] if other.serie == record.serie]
    # Closest first: the same audience (police) and type count before the rest.
    assert related["spot-largo-01"][0].id == "video-de-prueba"


def test_links_as_readers_see_them() -> None:
    catalog = load_catalog(EXAMPLE).catalog
    [pdf] = link_views(catalog.record("guia-de-prueba"), catalog)
    assert (pdf.label, pdf.what, pdf.size, pdf.where) == (
        "Descargar PDF",  # the format's button
        "PDF",
        "2,3\u00a0MB",  # from the example's _enlaces.yaml
        "example.org",
    )
    assert pdf.video_id is None and pdf.embed is None
    [video] = link_views(catalog.record("video-de-prueba"), catalog)
    assert video.label == "Ver video" and video.video_id == "abcdefghijk"
    assert video.embed is not None and "/embed/abcdefghijk?" in video.embed
    [folder] = link_views(catalog.record("spot-es"), catalog)
    assert folder.label == "Escuchar spots (carpeta)", "the link's own label wins"
