"""`new`: a starter record that validates as soon as it is written and filled in."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from catalogo.loader import load_catalog
from catalogo.problems import CatalogError, report
from catalogo.scaffold import create_record
from tests.support import run

TODAY = datetime.date(2026, 11, 27)


def test_new_record_is_written_with_an_id_from_the_title(example_catalog: Path) -> None:
    path = create_record(
        example_catalog, "guias", "guia", "Guía: Atención a NNA (2ª edición)", today=TODAY
    )
    assert path == example_catalog / "guias" / "guia-atencion-a-nna-2a-edicion.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/recurso.schema.json\n")
    assert "titulo: 'Guía: Atención a NNA (2ª edición)'" in text
    assert "fecha_alta: 2026-11-27" in text
    result = load_catalog(example_catalog)
    record = result.catalog.record("guia-atencion-a-nna-2a-edicion")
    assert record.titulo == "Guía: Atención a NNA (2ª edición)"
    assert record.tipo == "guia"


def test_filled_in_starter_record_validates(example_catalog: Path) -> None:
    path = create_record(example_catalog, "guias", "guia", "Guía nueva", today=TODAY)
    text = path.read_text(encoding="utf-8")
    text = text.replace("# anio: 2024", "anio: 2024").replace("publico: []", "publico: [policia]")
    text = text.replace(
        "enlaces: []\n# enlaces:\n#   - url: https://...\n#     formato: pdf\n"
        "#     agregado_por_editor: true",
        "enlaces:\n  - url: https://example.org/nueva.pdf\n    formato: pdf\n"
        "    agregado_por_editor: true",
    )
    path.write_text(text, encoding="utf-8")
    record = load_catalog(example_catalog).catalog.record("guia-nueva")
    assert record.anio == 2024
    assert record.enlaces[0].agregado_por_editor
    assert not record.borrador


def test_the_starter_record_offers_the_missing_fact_keys_and_draft(example_catalog: Path) -> None:
    path = create_record(example_catalog, "guias", "guia", "Guía en preparación", today=TODAY)
    text = path.read_text(encoding="utf-8")
    text = text.replace("# sin_anio: la fuente", "sin_anio: la fuente").replace(
        "# borrador: true", "borrador: true"
    )
    path.write_text(text, encoding="utf-8")
    loaded = load_catalog(example_catalog)
    record = loaded.catalog.record("guia-en-preparacion")
    assert record.borrador and record.sin_anio == "la fuente no indica el año"
    assert not [w for w in loaded.warnings if w.path.endswith("guia-en-preparacion.yaml") and w.field == "anio"]


def test_new_refuses_to_overwrite(example_catalog: Path) -> None:
    with pytest.raises(CatalogError) as caught:
        create_record(
            example_catalog, "videos", "guia", "Guía de prueba", record_id="guia-de-prueba"
        )
    assert "ya existe un registro «guia-de-prueba»; no se sobrescribe" in report(
        caught.value.problems
    )


def test_new_suggests_sections_and_types(example_catalog: Path) -> None:
    with pytest.raises(CatalogError) as caught:
        create_record(example_catalog, "guia", "guía", "Algo")
    text = report(caught.value.problems)
    assert "--seccion: «guia» no es una sección. ¿Quisiste decir «guias»?" in text
    assert "--tipo: «guía» no es un tipo. ¿Quisiste decir «guia»?" in text


def test_new_command_prints_the_path(example_catalog: Path) -> None:
    result = run(
        "new", "--catalog", example_catalog, "--seccion", "videos", "--tipo", "video", "Video nuevo"
    )
    assert result.returncode == 0, result.stderr
    assert "videos/video-nuevo.yaml" in result.stdout
    again = run(
        "new", "--catalog", example_catalog, "--seccion", "videos", "--tipo", "video", "Video nuevo"
    )
    assert again.returncode == 1
    assert "no se sobrescribe" in again.stderr
