"""Checks of records against each other and of what one record's fields say together:
related ids that exist, positions in a series, a record copied under a second name, and
keys that contradict each other. Each error names the file, the line and what to do."""

from __future__ import annotations

import shutil
from pathlib import Path

from catalogo.loader import load_catalog
from catalogo.problems import display_path
from tests.support import edit, load_errors, write

NEW = "guias/nueva.yaml"


def shown(catalog: Path, name: str) -> str:
    return display_path(catalog / name)


def test_a_missing_related_id_says_remove_it_and_never_suggests_the_record_itself(
    example_catalog: Path,
) -> None:
    write(
        example_catalog / NEW,
        "titulo: Nueva\ntipo: guia\nrelacionados: [nueva-x, video-de-prueva, borrado]\n",
    )
    lines = load_errors(example_catalog)
    where = f"{shown(example_catalog, NEW)}:3"
    assert lines[:3] == [
        f"{where}: relacionados[1]: «nueva-x» no existe: quita este id o escribe uno de "
        "«guia-de-prueba», «spot-es», «spot-quz», «video-de-prueba»",
        f"{where}: relacionados[2]: «video-de-prueva» no existe: quita este id o escribe uno "
        "de estos, que se le parecen: «video-de-prueba»",
        f"{where}: relacionados[3]: «borrado» no existe: quita este id o escribe uno de "
        "«guia-de-prueba», «spot-es», «spot-quz», «video-de-prueba»",
    ]
    assert "«nueva»" not in "\n".join(lines)


def test_a_record_related_to_itself_is_an_error(example_catalog: Path) -> None:
    write(example_catalog / NEW, "titulo: Nueva\ntipo: guia\nrelacionados:\n  - nueva\n")
    assert load_errors(example_catalog)[0] == (
        f"{shown(example_catalog, NEW)}:4: relacionados[1]: un registro no puede estar "
        "relacionado consigo mismo; borra este valor"
    )


def test_in_a_large_catalog_a_missing_id_points_at_the_file_names(
    example_catalog: Path,
) -> None:
    for number in range(12):
        other = example_catalog / "guias" / f"otra-{number}.yaml"
        write(other, f"titulo: Otra {number}\ntipo: guia\n")
    write(example_catalog / NEW, "titulo: Nueva\ntipo: guia\nrelacionados: [zzz]\n")
    assert load_errors(example_catalog)[0].endswith(
        "relacionados[1]: «zzz» no existe: quita este id o escribe uno de los registros del "
        "catálogo (el nombre de su archivo, sin «.yaml»)"
    )


def test_a_series_position_taken_twice_names_who_holds_it(example_catalog: Path) -> None:
    edit(example_catalog / "videos" / "spot-quz.yaml", "orden: 2", "orden: 1")
    lines = load_errors(example_catalog)
    assert lines[0] == (
        f"{shown(example_catalog, 'videos/spot-quz.yaml')}:5: orden: la posición 1 de la serie "
        "«spots» ya la ocupa «spot-es»; usa otro número"
    )


def test_a_position_outside_a_series_is_an_error(example_catalog: Path) -> None:
    write(example_catalog / NEW, "titulo: Nueva\ntipo: guia\norden: 3\n")
    assert load_errors(example_catalog)[0] == (
        f"{shown(example_catalog, NEW)}:3: orden: «orden» solo tiene sentido dentro de una "
        "serie; añade «serie: ...» o borra la línea"
    )


def test_a_record_copied_under_a_second_name_is_an_error_naming_both(
    example_catalog: Path,
) -> None:
    original = example_catalog / "guias" / "guia-de-prueba.yaml"
    copy = example_catalog / "videos" / "guia-copia.yaml"
    shutil.copyfile(original, copy)
    lines = load_errors(example_catalog)
    assert lines[0].startswith(
        f"{display_path(original)}:2: titulo: este registro tiene el mismo título"
    )
    assert display_path(copy) in lines[0]
    assert lines[1].startswith(f"{display_path(copy)}:2: titulo:")
    assert display_path(original) in lines[1] and "parece una copia" in lines[1]


def test_same_title_with_other_links_is_not_a_copy(example_catalog: Path) -> None:
    original = example_catalog / "guias" / "guia-de-prueba.yaml"
    text = original.read_text(encoding="utf-8").replace("guia.pdf", "tomo-2.pdf")
    write(example_catalog / "guias" / "tomo-2.yaml", text)
    assert len(load_catalog(example_catalog).catalog.records) == 5


def test_a_draft_copy_is_not_published_twice(example_catalog: Path) -> None:
    original = example_catalog / "guias" / "guia-de-prueba.yaml"
    text = original.read_text(encoding="utf-8") + "borrador: true\n"
    write(example_catalog / "guias" / "guia-nueva-edicion.yaml", text)
    assert len(load_catalog(example_catalog).catalog.records) == 5


def test_sin_anio_beside_a_year_is_an_error(example_catalog: Path) -> None:
    write(
        example_catalog / NEW,
        "titulo: Nueva\ntipo: guia\nsin_anio: la fuente no lo da\nanio: 2020\n",
    )
    assert load_errors(example_catalog)[0] == (
        f"{shown(example_catalog, NEW)}:3: sin_anio: sobra «sin_anio»: el registro ya tiene "
        "«anio» (línea 4); borra una de las dos líneas"
    )


def test_an_inferred_audience_needs_an_audience(example_catalog: Path) -> None:
    path = example_catalog / "videos" / "spot-quz.yaml"
    write(path, path.read_text(encoding="utf-8") + "publico_inferido: true\n")
    assert load_errors(example_catalog)[0].endswith(
        "spot-quz.yaml:12: publico_inferido: «publico_inferido: true» dice que el público lo "
        "dedujo el editor, pero «publico» está vacío; escribe el público deducido o borra la "
        "línea"
    )
