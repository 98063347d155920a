"""JSON Schema of a record, generated from the pydantic model plus the catalog's own
vocabularies, so VS Code (YAML extension) completes keys and values and underlines
mistakes while the editor types."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from catalogo.models import RecordFields
from catalogo.problems import display_path
from catalogo.scaffold import vocabulary_ids

RECORD_SCHEMA = "recurso.schema.json"
# The models' docstrings are English (code); editors read these instead in VS Code.
DEFINITION_DESCRIPTIONS = {
    "Link": "Un enlace para abrir o descargar el recurso: url, formato y, si hace falta, "
    "etiqueta del botón.",
    "Correction": "Una errata evidente de la fuente que el catálogo corrige: campo, texto "
    "original y motivo.",
}


def record_schema(catalog_dir: Path) -> dict[str, Any]:
    schema = RecordFields.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = RECORD_SCHEMA
    schema["title"] = "Registro del catálogo"
    schema["description"] = (
        "Un recurso del catálogo: catalog/<seccion>/<id>.yaml. El id es el nombre del archivo."
    )
    for name, description in DEFINITION_DESCRIPTIONS.items():
        if name in schema.get("$defs", {}):
            schema["$defs"][name]["description"] = description
    properties = schema["properties"]
    vocabularies = {
        "tipo": "_tipos.yaml",
        "idioma": "_idiomas.yaml",
        "idioma_titulo": "_idiomas.yaml",
        "serie": "_series.yaml",
    }
    for key, file_name in vocabularies.items():
        _restrict(properties[key], vocabulary_ids(catalog_dir, file_name))
    _restrict(properties["publico"]["items"], vocabulary_ids(catalog_dir, "_publicos.yaml"))
    _restrict(
        properties["instituciones"]["items"], vocabulary_ids(catalog_dir, "_instituciones.yaml")
    )
    link = schema["$defs"]["Link"]["properties"]
    _restrict(link["formato"], vocabulary_ids(catalog_dir, "_formatos.yaml"))
    _restrict(link["idioma"], vocabulary_ids(catalog_dir, "_idiomas.yaml"))
    return schema


def _restrict(prop: dict[str, Any], values: list[str]) -> None:
    """Limit a string (or optional string) property to the vocabulary's values."""
    enum = sorted(values)
    if "anyOf" in prop:
        for option in prop["anyOf"]:
            if option.get("type") == "string":
                option.pop("maxLength", None)
                option.pop("minLength", None)
                option["enum"] = enum
    else:
        prop.pop("maxLength", None)
        prop.pop("minLength", None)
        prop["enum"] = enum


def render_schema(catalog_dir: Path) -> str:
    return json.dumps(record_schema(catalog_dir), ensure_ascii=False, indent=2) + "\n"


def write_schemas(out_dir: Path, catalog_dir: Path, check: bool = False) -> int:
    """Write schema/recurso.schema.json, or with `check` say whether it is current."""
    target = out_dir / RECORD_SCHEMA
    text = render_schema(catalog_dir)
    current = target.read_text(encoding="utf-8") if target.exists() else ""
    if check:
        if current != text:
            print(f"{display_path(target)} no está al día: ejecuta «python3 build.py schema».")
            return 1
        print(f"{display_path(target)} está al día.")
        return 0
    out_dir.mkdir(parents=True, exist_ok=True)
    if current != text:
        target.write_text(text, encoding="utf-8", newline="\n")
        print(f"Esquema actualizado: {display_path(target)}")
    else:
        print(f"El esquema ya estaba al día: {display_path(target)}")
    return 0
