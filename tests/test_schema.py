"""The JSON Schema editors get in VS Code: current, Spanish, and agreeing with the loader."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from catalogo.loader import LoadResult
from catalogo.schema import RECORD_SCHEMA, record_schema, render_schema, write_schemas
from catalogo.yamlfile import Document
from tests.support import EXAMPLE, ROOT

SCHEMA_FILE = ROOT / "schema" / RECORD_SCHEMA


def as_json_data(value: Any) -> Any:
    """YAML dates become the strings JSON Schema expects."""
    return json.loads(
        json.dumps(
            value, default=lambda v: v.isoformat() if isinstance(v, datetime.date) else str(v)
        )
    )


def test_committed_schema_is_current() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == render_schema(ROOT / "catalog"), (
        "schema/recurso.schema.json is stale: run «python3 build.py schema»"
    )


def test_every_field_has_a_spanish_description() -> None:
    schema = record_schema(ROOT / "catalog")
    for name, prop in schema["properties"].items():
        assert prop.get("description"), name
    for definition in schema["$defs"].values():
        assert definition.get("description")
        for name, prop in definition["properties"].items():
            assert prop.get("description"), name
    assert "Un enlace" in schema["$defs"]["Link"]["description"]


def test_vocabulary_values_are_offered_for_completion() -> None:
    schema = record_schema(ROOT / "catalog")
    assert "guia" in schema["properties"]["tipo"]["enum"]
    assert "policia" in schema["properties"]["publico"]["items"]["enum"]
    assert schema["additionalProperties"] is False


def test_every_record_validates_against_the_schema_too(shipped_loaded: LoadResult) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    documents: dict[str, Document] = shipped_loaded.documents
    assert len(documents) > 90
    for record_id, document in documents.items():
        errors = list(validator.iter_errors(as_json_data(document.data)))
        assert not errors, f"{record_id}: {errors[0].message}"


@pytest.mark.parametrize(
    "data",
    [
        {"tipo": "guia"},
        {"titulo": "x", "tipo": "guía"},
        {"titulo": "x", "tipo": "guia", "anyo": 2020},
        {"titulo": "x", "tipo": "guia", "publico": ["policias"]},
    ],
)
def test_schema_rejects_what_the_loader_rejects(data: dict[str, Any]) -> None:
    schema = record_schema(ROOT / "catalog")
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data))


def test_records_point_at_the_schema() -> None:
    for path in sorted((ROOT / "catalog").glob("*/*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schema/recurso.schema.json", path


def test_schema_command_writes_and_checks(tmp_path: Path) -> None:
    assert write_schemas(tmp_path, EXAMPLE, check=True) == 1
    assert write_schemas(tmp_path, EXAMPLE) == 0
    assert write_schemas(tmp_path, EXAMPLE, check=True) == 0
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"]["./schema/recurso.schema.json"] == ["catalog/*/*.yaml"]
