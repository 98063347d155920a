"""Audiences that reach every reader: umbrellas (`incluye`), inferred audiences, the warning
for a record without one, and the order of every list (a series in its order)."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogo.loader import load_catalog
from catalogo.pipeline import build_site
from catalogo.problems import CatalogError, report
from catalogo.views import index_catalog
from tests.conftest import EXAMPLE, ROOT, example_options

JUSTICE = ["policia", "fiscalia", "jueces", "defensa-publica"]


def problems_of(catalog: Path) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        load_catalog(catalog)
    return report(caught.value.problems).splitlines()


def test_an_umbrella_names_known_audiences_without_loops(example_catalog: Path) -> None:
    (example_catalog / "_publicos.yaml").write_text(
        "policia:\n  nombre: Policía\n  incluye: [operadores-justicia]\n"
        "fiscalia:\n  nombre: Fiscalía\n  incluye: [fiscalia]\n"
        "operadores-justicia:\n  nombre: Operadores de justicia\n"
        "  incluye: [policia, fiscalias]\n",
        encoding="utf-8",
    )
    lines = problems_of(example_catalog)
    assert any(
        line.endswith("_publicos.yaml:3: policia.incluye[1]: «policia» no puede incluir a "
                      "«operadores-justicia»: «operadores-justicia» ya incluye a «policia»; "
                      "borra este valor")
        for line in lines
    ), lines
    assert any("_publicos.yaml:6: fiscalia.incluye[1]: «fiscalia» no puede incluir a "
               "«fiscalia»: un público no se incluye a sí mismo" in line for line in lines), lines
    assert any("_publicos.yaml:9: operadores-justicia.incluye[2]: «fiscalias» no es un público "
               "conocido. ¿Quisiste decir «fiscalia»?" in line for line in lines), lines


def test_an_inferred_audience_needs_an_audience(example_catalog: Path) -> None:
    path = example_catalog / "videos" / "spot-quz.yaml"
    path.write_text(path.read_text("utf-8") + "publico_inferido: true\n", "utf-8")
    lines = problems_of(example_catalog)
    assert lines[0].endswith(
        "spot-quz.yaml:12: publico_inferido: «publico_inferido: true» dice que el público lo "
        "dedujo el editor, pero «publico» está vacío; escribe el público deducido o borra la "
        "línea"
    )


def test_validate_warns_about_a_record_without_an_audience() -> None:
    warnings = [str(p.path) + " " + p.message for p in load_catalog(EXAMPLE).warnings]
    assert any(
        line.startswith("tests/data/ejemplo/videos/spot-quz.yaml ")
        and "no dice a quién va dirigido" in line
        for line in warnings
    ), warnings
    assert not any("guia-de-prueba.yaml" in line and "dirigido" in line for line in warnings)


def test_every_shipped_record_has_an_audience_and_inferences_are_listed() -> None:
    catalog = load_catalog(ROOT / "catalog").catalog
    assert [record.id for record in catalog.records if not record.publico] == []
    notes = (ROOT / "catalog" / "NOTAS.md").read_text(encoding="utf-8")
    listed = notes.split("## Públicos deducidos", 1)[1].split("\n## ", 1)[0]
    inferred = [record for record in catalog.records if record.publico_inferido]
    assert len(inferred) == 60
    for record in inferred:
        spots = record.id.startswith("spot-") and "`audiovisual/spot-*.yaml`" in listed
        assert spots or f"`{record.seccion}/{record.id}.yaml`" in listed, record.id


def test_case_law_bulletins_reach_judges_prosecutors_and_defence() -> None:
    catalog = load_catalog(ROOT / "catalog").catalog
    index = index_catalog(catalog)
    bulletins = [r.id for r in index.by_type["boletin"]]
    for audience in ("jueces", "fiscalia", "defensa-publica", "operadores-justicia"):
        assert {r.id for r in index.by_audience[audience]} >= set(bulletins), audience
    assert index.audience_members["operadores-justicia"] == JUSTICE


def test_a_member_lists_the_umbrella_records_once_and_counts_them() -> None:
    catalog = load_catalog(ROOT / "catalog").catalog
    index = index_catalog(catalog)
    own = {r.id for r in index.by_audience["jueces"]}
    ((umbrella, shared),) = index.facets["publicos"].shared["jueces"]
    assert umbrella == "operadores-justicia"
    shared_ids = {r.id for r in shared}
    assert shared_ids and not shared_ids & own
    assert shared_ids | own >= {r.id for r in index.by_audience["operadores-justicia"]}
    assert index.audience_count("jueces") == len(own) + len(shared_ids)
    assert index.facets["publicos"].shared["operadores-justicia"] == []


def test_a_series_keeps_its_order_in_every_list() -> None:
    catalog = load_catalog(ROOT / "catalog").catalog
    index = index_catalog(catalog)
    numbers = [r.orden for r in index.by_type["boletin"]]
    assert numbers == [1, 2, 3, 4, 5, 6]  # was 5, 6, 1, 2, 3, 4 (newest year first)
    by_year = index.facets["anios"].values
    assert [r.orden for r in by_year[2022] if r.serie == "boletines-jurisprudenciales"] == [
        1, 2, 3, 4
    ]
    for records in [*index.by_audience.values(), *index.by_type.values(), *by_year.values()]:
        seen: dict[str, list[int]] = {}
        for record in records:
            if record.serie and record.orden:
                seen.setdefault(record.serie, []).append(record.orden)
        for orders in seen.values():
            assert orders == sorted(orders)


def test_the_member_page_says_it_lists_the_umbrella_records(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    build_site(example_options(EXAMPLE, out))
    page = (out / "publico" / "policia" / "index.html").read_text(encoding="utf-8")
    assert "3 recursos: 2 dirigidos a «Policía» y 1 a «Operadores de justicia»." in page
    assert "«Operadores de justicia» incluye a «Policía»" in page
    assert page.index("Video de prueba") < page.index("Spot: Captación")
    umbrella = (out / "publico" / "operadores-justicia" / "index.html").read_text("utf-8")
    assert 'href="/publico/policia/">Policía</a>' in umbrella
    record = (out / "recursos" / "spot-es" / "index.html").read_text(encoding="utf-8")
    # Readers see the audience the record names; the search filters also know its members.
    assert ">Operadores de justicia</a>" in record and ">Policía</a>" not in record
    assert 'data-pagefind-filter="Público:Policía"' in record
    assert "publico_inferido" not in record and "dedujo" not in record
