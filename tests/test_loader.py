from __future__ import annotations

import os
from pathlib import Path

import pytest

from catalogo.catalogfiles import slugify
from catalogo.loader import load_catalog
from catalogo.problems import CatalogError, Severity, report
from catalogo.recordfile import LoadCache
from tests.conftest import DATA, EXAMPLE, ROOT


def load_problems(catalog: Path) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        load_catalog(catalog)
    return report(caught.value.problems).splitlines()


def test_invalid_catalog_gives_exactly_the_expected_report() -> None:
    """Wording and line numbers are part of the contract with editors."""
    expected = (DATA / "invalido.esperado.txt").read_text(encoding="utf-8").splitlines()
    assert load_problems(DATA / "invalido") == expected


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


def test_shipped_catalog_has_no_errors() -> None:
    result = load_catalog(ROOT / "catalog")
    assert result.catalog.records


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_typo_in_a_key_is_reported_once_with_a_suggestion(example_catalog: Path) -> None:
    write(example_catalog / "guias" / "nueva.yaml", "titulo: Nueva\ntipo: guia\nanyo: 2020\n")
    lines = load_problems(example_catalog)
    assert lines[0].endswith(
        "guias/nueva.yaml:3: anyo: clave desconocida «anyo». ¿Quisiste decir «anio»? "
        "Claves válidas: «anio», «autores», «borrador», «correcciones», «descripcion», "
        "«enlaces», «fecha_alta», «idioma», «idioma_titulo», «instituciones», «mes», "
        "«notas_editoriales», «orden», «publico», «publico_inferido», «relacionados», "
        "«serie», «sin_anio», «sin_descripcion», «tipo», «titulo»"
    )
    assert lines[-1] == "1 problema en 1 archivo"


def test_bad_year_is_reported_with_file_and_line(example_catalog: Path) -> None:
    write(example_catalog / "guias" / "nueva.yaml", "titulo: Nueva\n\ntipo: guia\nanio: 202\n")
    lines = load_problems(example_catalog)
    assert ":4: anio: el año 202 está fuera de rango" in lines[0]


def test_folder_that_is_not_a_section_is_reported(example_catalog: Path) -> None:
    write(example_catalog / "guia" / "x.yaml", "titulo: X\ntipo: guia\n")
    lines = load_problems(example_catalog)
    assert "la carpeta «guia» no es una sección. ¿Quisiste decir «guias»?" in lines[0]


def test_record_outside_a_section_is_reported(example_catalog: Path) -> None:
    write(example_catalog / "suelto.yaml", "titulo: X\ntipo: guia\n")
    assert "van dentro de la carpeta de su sección" in load_problems(example_catalog)[0]


def test_missing_vocabulary_file_is_reported(example_catalog: Path) -> None:
    (example_catalog / "_tipos.yaml").unlink()
    lines = load_problems(example_catalog)
    assert "_tipos.yaml: falta el archivo de tipos de recurso" in lines[0]


def test_unknown_settings_file_gets_a_suggestion(example_catalog: Path) -> None:
    write(example_catalog / "_tipo.yaml", "guia:\n  nombre: Guía\n")
    lines = load_problems(example_catalog)
    assert "¿Quisiste decir «_tipos.yaml»?" in lines[0]


def test_series_position_taken_twice(example_catalog: Path) -> None:
    path = example_catalog / "videos" / "spot-quz.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("orden: 2", "orden: 1"), encoding="utf-8"
    )
    lines = load_problems(example_catalog)
    assert "orden: la posición 1 de la serie «spots» ya la ocupa «spot-es»" in lines[0]


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_symlink_out_of_the_catalog_is_refused(example_catalog: Path, tmp_path: Path) -> None:
    outside = tmp_path / "fuera.yaml"
    outside.write_text("titulo: Fuera\ntipo: guia\n", encoding="utf-8")
    (example_catalog / "guias" / "enlace.yaml").symlink_to(outside)
    lines = load_problems(example_catalog)
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


def test_warnings_flag_doubtful_records(example_catalog: Path) -> None:
    write(
        example_catalog / "guias" / "dudosa.yaml",
        "titulo: Dudosa\ntipo: guia\nenlaces:\n  - url: http://drive.google.com/file/d/x\n"
        "notas_editoriales:\n  - Revisar el año.\n",
    )
    warnings = report(load_catalog(example_catalog).warnings)
    assert "dudosa.yaml:4: aviso: enlaces[1].url: enlace «http://» sin cifrar" in warnings
    assert "dudosa.yaml:4: aviso: enlaces[1].url: enlace a Google Drive/Docs" in warnings
    assert "dudosa.yaml:1: aviso: anio: el registro no tiene año" in warnings
    assert "dudosa.yaml:1: aviso: descripcion: el registro no tiene descripción" in warnings
    assert (
        "dudosa.yaml:6: aviso: notas_editoriales: nota editorial pendiente: Revisar el año."
        in warnings
    )


def test_slugify_makes_ids_from_titles() -> None:
    assert (
        slugify("Guía de Evaluación Psicológica: Ley Nº 30364")
        == "guia-de-evaluacion-psicologica-ley-no-30364"
    )
    assert slugify("¡¿?!") == "registro"
