"""The catalog's settings files (`catalog/_*.yaml`): a missing or unknown one is named with
the right name; each is validated, then checked against the others (audiences that include
others without loops); the link facts file `links` writes is read, or explained with its
file and line. (Site settings, site.yaml: test_settings.py; browse pages: test_catalog.py
and test_browse_settings.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogo.loader import load_catalog
from catalogo.problems import CatalogError
from tests.support import EXAMPLE, load_errors, write


def test_missing_vocabulary_file_is_reported(example_catalog: Path) -> None:
    (example_catalog / "_tipos.yaml").unlink()
    lines = load_errors(example_catalog)
    assert "_tipos.yaml: falta el archivo de tipos de recurso" in lines[0]


def test_unknown_settings_file_gets_a_suggestion(example_catalog: Path) -> None:
    write(example_catalog / "_tipo.yaml", "guia:\n  nombre: Guía\n")
    lines = load_errors(example_catalog)
    assert "¿Quisiste decir «_tipos.yaml»?" in lines[0]


# --- Audiences that include others ----------------------------------------------------------


def test_an_umbrella_names_known_audiences_without_loops(example_catalog: Path) -> None:
    (example_catalog / "_publicos.yaml").write_text(
        "policia:\n  nombre: Policía\n  incluye: [operadores-justicia]\n"
        "fiscalia:\n  nombre: Fiscalía\n  incluye: [fiscalia]\n"
        "operadores-justicia:\n  nombre: Operadores de justicia\n"
        "  incluye: [policia, fiscalias]\n",
        encoding="utf-8",
    )
    lines = load_errors(example_catalog)
    assert any(
        line.endswith(
            "_publicos.yaml:3: policia.incluye[1]: «policia» no puede incluir a "
            "«operadores-justicia»: «operadores-justicia» ya incluye a «policia»; borra este "
            "valor"
        )
        for line in lines
    ), lines
    assert any(
        "_publicos.yaml:6: fiscalia.incluye[1]: «fiscalia» no puede incluir a «fiscalia»: un "
        "público no se incluye a sí mismo" in line
        for line in lines
    ), lines
    assert any(
        "_publicos.yaml:9: operadores-justicia.incluye[2]: «fiscalias» no es un público "
        "conocido. ¿Quisiste decir «fiscalia»?" in line
        for line in lines
    ), lines


# --- The link facts file (catalog/_enlaces.yaml, written by `links`) ------------------------


def test_without_the_facts_file_the_catalog_has_no_facts(example_catalog: Path) -> None:
    (example_catalog / "_enlaces.yaml").unlink()
    assert load_catalog(example_catalog).catalog.link_facts == {}


def test_the_facts_file_loads() -> None:
    facts = load_catalog(EXAMPLE).catalog.link_facts
    assert facts["https://example.org/guia.pdf"].bytes == 2_412_345
    assert facts["https://example.org/spots-es/"].final == "https://archivo.example.net/spots-es/"


def test_a_malformed_facts_file_is_reported_with_file_and_line(example_catalog: Path) -> None:
    (example_catalog / "_enlaces.yaml").write_text(
        '"https://example.org/guia.pdf":\n'
        "  tipo: application/pdf\n"
        "  bytes: mucho\n"
        "  comprobado: 2026-11-30\n"
        '"ftp://example.org/x":\n'
        "  comprobado: 2026-11-30\n"
        '"https://example.org/y":\n'
        "  tipo: text/html\n",
        encoding="utf-8",
    )
    lines = load_errors(example_catalog)
    assert any(
        "_enlaces.yaml:3: https://example.org/guia.pdf.bytes: debe ser un número entero, sin "
        "comillas ni decimales (por ejemplo 2021); este archivo lo escribe «python3 build.py "
        "links»: bórralo y vuelve a ejecutarlo" in line
        for line in lines
    ), lines
    assert any(
        "_enlaces.yaml:5: ftp://example.org/x: la dirección debe empezar con https://" in line
        for line in lines
    ), lines
    assert any(
        "_enlaces.yaml:7: https://example.org/y.comprobado: falta el campo obligatorio "
        "«comprobado»" in line
        for line in lines
    ), lines


def test_a_facts_file_that_is_not_a_mapping_says_how_to_remake_it(example_catalog: Path) -> None:
    (example_catalog / "_enlaces.yaml").write_text("- https://example.org/a.pdf\n", "utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog(example_catalog)
    (problem,) = caught.value.problems
    assert problem.path.endswith("_enlaces.yaml") and problem.line == 1
    assert "python3 build.py links" in problem.message
