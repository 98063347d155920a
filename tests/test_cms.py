"""The browser editor's configuration (schema/cms.json), generated from the record model, the
vocabularies and the sections, so the form never drifts from what the loader accepts.
(The vendored editor: test_cms_vendor.py; its page in the site: test_admin.py.)"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel, Field

from catalogo.catalog import Catalog
from catalogo.cli import main
from catalogo.cms import CONFIG_FILE, RECORDS_COLLECTION, cms_config, render_config, write_config
from catalogo.models import MAX_YEAR, MIN_YEAR, RecordFields, Text, TypeId
from tests.browser.support import NODE_MODULES, require
from tests.support import EXAMPLE, ROOT

CONFIG = ROOT / "schema" / CONFIG_FILE
SITE_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' "
    "data:; media-src 'none'; frame-src https://www.youtube-nocookie.com; connect-src 'self'; "
    "worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
)


@pytest.fixture(scope="module")
def config(shipped_catalog: Catalog) -> dict[str, Any]:
    return cms_config(shipped_catalog)


def fields_of(config: dict[str, Any], collection: str = "objetivo-1") -> dict[str, Any]:
    found = next(c for c in config["collections"] if c["name"] == collection)
    return {field["name"]: field for field in found["fields"]}


def options(field: dict[str, Any]) -> list[Any]:
    return [option["value"] for option in field["options"]]


# --- The configuration -----------------------------------------------------------------


def test_committed_config_is_current(shipped_catalog: Catalog) -> None:
    assert CONFIG.read_text(encoding="utf-8") == render_config(shipped_catalog), (
        "schema/cms.json is stale: run «python3 build.py cms»"
    )


def test_cms_command_writes_then_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert write_config(tmp_path, EXAMPLE, check=True) == 1
    assert "no está al día" in capsys.readouterr().out
    assert main(["cms", "--catalog", str(EXAMPLE), "--out", str(tmp_path)]) == 0
    assert main(["cms", "--catalog", str(EXAMPLE), "--out", str(tmp_path), "--check"]) == 0
    assert "está al día" in capsys.readouterr().out
    (tmp_path / CONFIG_FILE).write_text("{}\n", encoding="utf-8")
    assert main(["cms", "--catalog", str(EXAMPLE), "--out", str(tmp_path), "--check"]) == 1


def test_one_collection_per_section_in_its_folder(shipped_catalog: Catalog, config: dict[str, Any]) -> None:
    sections = [c for c in config["collections"] if c["name"] != RECORDS_COLLECTION]
    assert [c["name"] for c in sections] == list(shipped_catalog.sections)
    for collection in sections:
        key = collection["name"]
        assert collection["folder"] == f"catalog/{key}"
        assert collection["label"] == shipped_catalog.sections[key].nombre_corto
        assert collection["description"] == shipped_catalog.sections[key].titulo
        assert (collection["extension"], collection["format"]) == ("yaml", "yaml")
        assert collection["identifier_field"] == "titulo"
        assert collection["slug"] == "{{titulo}}"  # the id is the slug of the title
        assert collection["delete"] is False
    assert config["slug"] == {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}


def test_fields_follow_the_record_files_order(config: dict[str, Any]) -> None:
    for collection in config["collections"]:
        assert [f["name"] for f in collection["fields"]] == list(RecordFields.model_fields)


def test_labels_are_spanish_and_hints_are_the_model_descriptions(config: dict[str, Any]) -> None:
    fields = fields_of(config)
    assert fields["titulo"]["label"] == "Título"
    assert fields["fecha_alta"]["label"] == "Fecha de alta"
    for name, info in RecordFields.model_fields.items():
        assert info.description and fields[name]["hint"].startswith(info.description), name
    link = {f["name"]: f for f in fields["enlaces"]["fields"]}
    assert link["url"]["hint"] == "Dirección completa del recurso, empezando por https://"


def test_required_fields_are_required(config: dict[str, Any]) -> None:
    fields = fields_of(config)
    required = {name for name, field in fields.items() if field["required"]}
    assert required == {"titulo", "tipo"}
    link = {f["name"]: f["required"] for f in fields["enlaces"]["fields"]}
    assert link == {
        "url": True,
        "formato": False,
        "etiqueta": False,
        "idioma": False,
        "agregado_por_editor": False,
    }
    correction = {f["name"]: f["required"] for f in fields["correcciones"]["fields"]}
    assert correction == {"campo": True, "original": True, "motivo": False}


def test_text_fields(config: dict[str, Any]) -> None:
    fields = fields_of(config)
    assert fields["titulo"]["widget"] == "string"
    assert fields["titulo"]["maxlength"] == 400
    assert fields["descripcion"]["widget"] == "markdown"  # its description says Markdown
    assert fields["descripcion"]["editor_components"] == []  # no images: records hold no files
    link = {f["name"]: f for f in fields["enlaces"]["fields"]}
    assert link["url"]["widget"] == "string"
    assert link["url"]["type"] == "url"
    assert link["etiqueta"]["widget"] == "string"


def test_vocabularies_are_lists_to_choose_from(shipped_catalog: Catalog, config: dict[str, Any]) -> None:
    fields = fields_of(config)
    vocab = shipped_catalog.vocabularies
    assert fields["tipo"]["widget"] == "select"
    assert options(fields["tipo"]) == list(vocab.tipos)
    assert fields["tipo"]["options"][0]["label"] == vocab.tipos["estudio"].nombre
    assert "multiple" not in fields["tipo"]
    for name, values in (("publico", vocab.publicos), ("instituciones", vocab.instituciones)):
        assert fields[name]["widget"] == "select"
        assert fields[name]["multiple"] is True
        assert options(fields[name]) == list(values)
    pnp = next(o for o in fields["instituciones"]["options"] if o["value"] == "pnp")
    assert pnp["label"] == "Policía Nacional del Perú (PNP)"
    assert options(fields["idioma"]) == list(vocab.idiomas)
    assert fields["idioma"]["default"] == "es"
    assert options(fields["serie"]) == list(shipped_catalog.series)
    assert fields["serie"]["options"][0]["label"] == next(iter(shipped_catalog.series.values())).titulo
    link = {f["name"]: f for f in fields["enlaces"]["fields"]}
    assert options(link["formato"]) == list(vocab.formatos)
    assert options(link["idioma"]) == list(vocab.idiomas)


def test_years_months_and_positions_keep_the_model_limits(config: dict[str, Any]) -> None:
    fields = fields_of(config)
    years = fields["anio"]
    assert years["widget"] == "select" and years["multiple"] is True
    assert options(years) == list(range(MAX_YEAR, MIN_YEAR - 1, -1))
    assert years["required"] is False
    assert fields["mes"] | {"hint": ""} == {
        "name": "mes",
        "label": "Mes",
        "widget": "number",
        "value_type": "int",
        "min": 1,
        "max": 12,
        "hint": "",
        "required": False,
    }
    assert fields["orden"]["min"] == 1 and "max" not in fields["orden"]


def test_dates_booleans_lists_and_relations(config: dict[str, Any]) -> None:
    fields = fields_of(config)
    assert fields["fecha_alta"]["widget"] == "datetime"
    assert fields["fecha_alta"]["format"] == "YYYY-MM-DD"
    assert fields["fecha_alta"]["time_format"] is False
    assert fields["fecha_alta"]["default"] == "{{now}}"
    link = {f["name"]: f for f in fields["enlaces"]["fields"]}
    assert link["agregado_por_editor"]["widget"] == "boolean"
    assert link["agregado_por_editor"]["default"] is False
    assert fields["enlaces"]["widget"] == "list"
    assert fields["enlaces"]["summary"] == "{{fields.url}}"
    assert [f["name"] for f in fields["enlaces"]["fields"]] == [
        "url",
        "formato",
        "etiqueta",
        "idioma",
        "agregado_por_editor",
    ]
    assert fields["notas_editoriales"]["widget"] == "list"
    assert fields["notas_editoriales"]["field"]["widget"] == "text"
    assert fields["correcciones"]["widget"] == "list"
    related = fields["relacionados"]
    assert related["widget"] == "relation"
    assert related["collection"] == RECORDS_COLLECTION
    assert related["value_field"] == "{{slug}}"
    assert related["multiple"] is True
    every = next(c for c in config["collections"] if c["name"] == RECORDS_COLLECTION)
    assert every["folder"] == "catalog" and every["hide"] is True and every["create"] is False
    assert every["nested"] == {"depth": 2, "subfolders": False}


class Tag(BaseModel):
    nombre: Text = Field(description="Nombre de la etiqueta.")
    peso: float | None = Field(default=None, gt=0, lt=10, description="Peso.")


class GrownRecord(RecordFields):
    """What another change to the model might add."""

    coautores: list[Text] = Field(default_factory=list, description="Personas coautoras.")
    revisado: bool = Field(default=False, description="Revisado por el equipo.")
    fecha_revision: datetime.date | None = Field(default=None, description="Cuándo.")
    tipo_secundario: TypeId | None = Field(default=None, description="Otro tipo.")
    etiqueta_principal: Tag | None = Field(default=None, description="Una etiqueta.")
    etiquetas: list[Tag] = Field(default_factory=list, description="Etiquetas.")


def test_a_field_added_to_the_model_appears_in_the_form(shipped_catalog: Catalog) -> None:
    fields = fields_of(cms_config(shipped_catalog, GrownRecord))
    assert list(fields)[-6:] == [
        "coautores",
        "revisado",
        "fecha_revision",
        "tipo_secundario",
        "etiqueta_principal",
        "etiquetas",
    ]
    assert fields["coautores"]["label"] == "Coautores"
    assert fields["coautores"]["hint"] == "Personas coautoras."
    assert fields["coautores"]["widget"] == "list"
    assert fields["revisado"]["widget"] == "boolean"
    assert fields["fecha_revision"]["widget"] == "datetime"
    assert options(fields["tipo_secundario"]) == list(shipped_catalog.vocabularies.tipos)
    assert fields["etiqueta_principal"]["widget"] == "object"
    tag = {f["name"]: f for f in fields["etiquetas"]["fields"]}
    assert tag["peso"] | {"hint": ""} == {
        "name": "peso",
        "label": "Peso",
        "widget": "number",
        "value_type": "float",
        "min": 1,
        "max": 9,
        "hint": "",
        "required": False,
    }


def test_config_is_valid_for_the_editor(config: dict[str, Any]) -> None:
    """Checked against the editor's own JSON Schema, from its npm package."""
    schema_file = NODE_MODULES / "@sveltia" / "cms" / "schema" / "sveltia-cms.json"
    require(schema_file.exists(), "@sveltia/cms (cd tests/browser && npm ci)")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    complete = {**config, "backend": {**config["backend"], "repo": "oit/catalogo"}}
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(complete))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
