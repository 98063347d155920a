"""Loading a catalog folder: every problem of its layout, its settings and vocabulary files
and its records, in one report with files and lines; a stable order; the cache serve keeps;
texts cut by a comment, byte order marks, audiences that include others, and the link facts
file. (Messages about one field are tested in test_validation.py, warnings in test_checks.py,
checks between records in test_crosschecks.py.)"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from catalogo.catalog import Catalog
from catalogo.catalogfiles import slugify
from catalogo.loader import load_catalog
from catalogo.problems import CatalogError, Severity, display_path
from catalogo.recordfile import LoadCache
from tests.support import DATA, EXAMPLE, load_errors, write

NEW = "guias/nueva.yaml"


def test_invalid_catalog_gives_exactly_the_expected_report() -> None:
    """Wording and line numbers are part of the contract with editors."""
    expected = (DATA / "invalido.esperado.txt").read_text(encoding="utf-8").splitlines()
    assert load_errors(DATA / "invalido") == expected


def test_example_catalog_loads_in_a_stable_order() -> None:
    result = load_catalog(EXAMPLE)
    assert [r.id for r in result.catalog.records] == [
        "guia-de-prueba",
        "spot-es",
        "spot-quz",
        "video-de-prueba",
    ]
    guide = result.catalog.record("guia-de-prueba")
    assert guide.seccion == "guias"
    assert guide.first_year == 2021
    assert all(p.severity is Severity.WARNING for p in result.warnings)


def test_shipped_catalog_loads(shipped_catalog: Catalog) -> None:
    assert len(shipped_catalog.records) == 96


def test_folder_that_is_not_a_section_is_reported(example_catalog: Path) -> None:
    write(example_catalog / "guia" / "x.yaml", "titulo: X\ntipo: guia\n")
    lines = load_errors(example_catalog)
    assert "la carpeta «guia» no es una sección. ¿Quisiste decir «guias»?" in lines[0]


def test_record_outside_a_section_is_reported(example_catalog: Path) -> None:
    write(example_catalog / "suelto.yaml", "titulo: X\ntipo: guia\n")
    assert "van dentro de la carpeta de su sección" in load_errors(example_catalog)[0]


def test_missing_vocabulary_file_is_reported(example_catalog: Path) -> None:
    (example_catalog / "_tipos.yaml").unlink()
    lines = load_errors(example_catalog)
    assert "_tipos.yaml: falta el archivo de tipos de recurso" in lines[0]


def test_unknown_settings_file_gets_a_suggestion(example_catalog: Path) -> None:
    write(example_catalog / "_tipo.yaml", "guia:\n  nombre: Guía\n")
    lines = load_errors(example_catalog)
    assert "¿Quisiste decir «_tipos.yaml»?" in lines[0]


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_symlink_out_of_the_catalog_is_refused(example_catalog: Path, tmp_path: Path) -> None:
    outside = tmp_path / "fuera.yaml"
    outside.write_text("titulo: Fuera\ntipo: guia\n", encoding="utf-8")
    (example_catalog / "guias" / "enlace.yaml").symlink_to(outside)
    lines = load_errors(example_catalog)
    assert "apunta fuera del catálogo" in lines[0]


def test_cache_reuses_unchanged_files_and_sees_edits(example_catalog: Path) -> None:
    cache = LoadCache()
    load_catalog(example_catalog, cache)
    assert cache.misses == 4 and cache.hits == 0
    load_catalog(example_catalog, cache)
    assert cache.hits == 4
    path = example_catalog / "guias" / "guia-de-prueba.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("anio: 2021", "anio: 2019"), encoding="utf-8"
    )
    os.utime(path, ns=(1, 1))
    result = load_catalog(example_catalog, cache)
    assert result.catalog.record("guia-de-prueba").anio == 2019
    assert cache.misses == 5


def test_slugify_makes_ids_from_titles() -> None:
    assert (
        slugify("Guía de Evaluación Psicológica: Ley Nº 30364")
        == "guia-de-evaluacion-psicologica-ley-no-30364"
    )
    assert slugify("¡¿?!") == "registro"


# --- Texts cut by a comment ------------------------------------------------------------------


def test_a_title_cut_by_a_comment_is_an_error_with_the_quoted_fix(example_catalog: Path) -> None:
    write(example_catalog / NEW, "titulo: Guía Operativa #1 para la investigación\ntipo: guia\n")
    assert load_errors(example_catalog) == [
        f"{display_path(example_catalog / NEW)}:1: titulo: el texto se corta en «#»: lo que "
        "sigue a « #» se toma como un comentario y no se publica; pon el valor entre comillas: "
        'titulo: "Guía Operativa #1 para la investigación"',
        "1 problema en 1 archivo",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "titulo: Guía\ntipo: guia\nenlaces:\n  - url: https://example.org/a.pdf\n"
        "    etiqueta: Tomo #2\n",
        "titulo: Guía\ntipo: guia\nnotas_editoriales:\n  - Revisar la #3\n",
        "titulo: Guía\ntipo: guia\ndescripcion: Ver el punto #4\n",
    ],
)
def test_every_text_field_cut_by_a_comment_is_reported(example_catalog: Path, text: str) -> None:
    write(example_catalog / NEW, text)
    assert "el texto se corta en «#»" in load_errors(example_catalog)[0]


def test_a_comment_after_a_code_value_is_fine(example_catalog: Path) -> None:
    write(example_catalog / NEW, "titulo: Guía\ntipo: guia  # un tipo\nanio: 2020 # dudoso\n")
    assert "nueva" in {record.id for record in load_catalog(example_catalog).catalog.records}


# --- Byte order marks -----------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["registro", "vocabulario"])
def test_a_byte_order_mark_from_notepad_is_accepted(example_catalog: Path, variant: str) -> None:
    source = DATA / "con-bom" / variant
    for path in source.rglob("*.yaml"):
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
        target = example_catalog / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    catalog = load_catalog(example_catalog).catalog
    assert "quz" in catalog.vocabularies.idiomas
    if variant == "registro":
        assert catalog.record("bom").titulo == "Guía"


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
