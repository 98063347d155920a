"""Mistakes that used to pass without a word: a title cut by « #», a record saved under a
name that is never read, a record copied under a second name, a related id that does not
exist, a byte order mark; and the warnings an editor can settle (sin_anio, series notes)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalogo.loader import load_catalog
from catalogo.problems import CatalogError, display_path, report
from catalogo.settings import load_settings
from tests.conftest import DATA

NEW = "guias/nueva.yaml"


def write(catalog: Path, name: str, text: str) -> Path:
    path = catalog / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def errors(catalog: Path) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        load_catalog(catalog)
    return report(caught.value.problems).splitlines()


def shown(catalog: Path, name: str) -> str:
    return display_path(catalog / name)


def test_a_title_cut_by_a_comment_is_an_error_with_the_quoted_fix(example_catalog: Path) -> None:
    write(example_catalog, NEW, "titulo: Guía Operativa #1 para la investigación\ntipo: guia\n")
    assert errors(example_catalog) == [
        f"{shown(example_catalog, NEW)}:1: titulo: el texto se corta en «#»: lo que sigue a "
        "« #» se toma como un comentario y no se publica; pon el valor entre comillas: "
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
    write(example_catalog, NEW, text)
    lines = errors(example_catalog)
    assert "el texto se corta en «#»" in lines[0]


def test_a_comment_after_a_code_value_is_fine(example_catalog: Path) -> None:
    write(example_catalog, NEW, "titulo: Guía\ntipo: guia  # un tipo\nanio: 2020 # dudoso\n")
    assert "nueva" in {record.id for record in load_catalog(example_catalog).catalog.records}


@pytest.mark.parametrize(
    ("name", "severity", "words"),
    [
        ("guias/nota.yaml.txt", "", "renómbralo a «nota.yaml»"),
        ("guias/nota.YML", "", "renómbralo a «nota.yaml»"),
        ("guias/nota.json", "", "guárdalo como «nota.yaml»"),
        ("guias/nota.yaml~", "aviso: ", "renómbrala a «nota.yaml»"),
        ("guias/nota.bak", "aviso: ", "renómbrala a «nota.yaml»"),
        ("guias/guia-de-prueba.yaml.bak", "aviso: ", "es una copia de seguridad de guia-de-prueba.yaml"),
        ("_series.yaml~", "aviso: ", "es una copia de seguridad de _series.yaml"),
        ("suelto.yaml.txt", "", "renómbralo a «suelto.yaml»"),
    ],
)
def test_files_that_look_like_records_but_are_not_read_are_reported(
    example_catalog: Path, name: str, severity: str, words: str
) -> None:
    write(example_catalog, name, "titulo: Nota\ntipo: guia\n")
    if severity:
        lines = report(load_catalog(example_catalog).warnings).splitlines()
    else:
        lines = errors(example_catalog)
    expected = f"{shown(example_catalog, name)}: {severity}"
    assert any(line.startswith(expected) and words in line for line in lines), lines


def test_hidden_files_and_notes_stay_silent(example_catalog: Path) -> None:
    write(example_catalog, "guias/.nueva.yaml.swp", "x")
    write(example_catalog, "guias/notas.txt", "x")
    write(example_catalog, "guias/LEEME.md", "x")
    assert not [w for w in load_catalog(example_catalog).warnings if "nueva" in w.path]


def test_a_record_copied_under_a_second_name_is_an_error_naming_both(example_catalog: Path) -> None:
    original = example_catalog / "guias" / "guia-de-prueba.yaml"
    copy = example_catalog / "videos" / "guia-copia.yaml"
    shutil.copyfile(original, copy)
    lines = errors(example_catalog)
    assert lines[0].startswith(f"{display_path(original)}:2: titulo: este registro tiene el mismo título")
    assert display_path(copy) in lines[0]
    assert lines[1].startswith(f"{display_path(copy)}:2: titulo:") and display_path(original) in lines[1]
    assert "parece una copia" in lines[1]


def test_same_title_with_other_links_is_not_a_copy(example_catalog: Path) -> None:
    original = example_catalog / "guias" / "guia-de-prueba.yaml"
    text = original.read_text(encoding="utf-8").replace("guia.pdf", "tomo-2.pdf")
    write(example_catalog, "guias/tomo-2.yaml", text)
    assert len(load_catalog(example_catalog).catalog.records) == 5


def test_a_missing_related_id_says_remove_it_and_never_suggests_the_record_itself(
    example_catalog: Path,
) -> None:
    write(
        example_catalog,
        NEW,
        "titulo: Nueva\ntipo: guia\nrelacionados: [nueva-x, video-de-prueva, borrado]\n",
    )
    lines = errors(example_catalog)
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


def test_site_settings_with_a_byte_order_mark_are_read() -> None:
    assert load_settings(DATA / "con-bom" / "ajustes" / "site.yaml").url == "https://ejemplo.org"


def test_sin_anio_and_sin_descripcion_silence_their_warnings(example_catalog: Path) -> None:
    write(example_catalog, NEW, "titulo: Nueva\ntipo: guia\nsin_anio: la fuente no indica el año\n"
          "sin_descripcion: la fuente no da descripción\npublico: [policia]\n"
          "enlaces:\n  - url: https://example.org/n\n")
    warnings = [w for w in load_catalog(example_catalog).warnings if w.path.endswith("nueva.yaml")]
    assert warnings == []


def test_sin_anio_beside_a_year_is_an_error(example_catalog: Path) -> None:
    write(example_catalog, NEW, "titulo: Nueva\ntipo: guia\nsin_anio: la fuente no lo da\nanio: 2020\n")
    assert errors(example_catalog)[0] == (
        f"{shown(example_catalog, NEW)}:3: sin_anio: sobra «sin_anio»: el registro ya tiene "
        "«anio» (línea 4); borra una de las dos líneas"
    )


def test_notes_of_series_reach_validate(example_catalog: Path) -> None:
    series = example_catalog / "_series.yaml"
    series.write_text(
        series.read_text(encoding="utf-8") + "  notas_editoriales:\n    - Falta el año de la serie.\n",
        encoding="utf-8",
    )
    lines = report(load_catalog(example_catalog).warnings).splitlines()
    assert any(
        line.startswith(f"{display_path(series)}:")
        and "aviso: spots.notas_editoriales: nota editorial pendiente: Falta el año de la serie."
        in line
        for line in lines
    ), lines
