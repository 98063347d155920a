"""The browser editor's configuration (Sveltia CMS), generated from the record model, the
catalog's vocabularies and its sections, so the form never drifts from what the loader
accepts.

One collection per section (its folder, one YAML file per record named by its id), the
record's fields in the model's order (the order of the record files), Spanish labels,
the model's descriptions as hints, a list to choose from for every vocabulary, and the
model's own limits (required fields, years, months, lengths). A field added to the model
appears in the form with no change here: its widget follows its type.

    python3 build.py cms            writes schema/cms.json
    python3 build.py cms --check    fails when it is stale (CI)

`build` writes the same file into the site as admin/config.json; the admin page adds the
repository to it (admin.py).
"""

from __future__ import annotations

import datetime
import inspect
import json
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from annotated_types import Ge, Gt, Le, Lt, MaxLen
from pydantic import AfterValidator, BaseModel, BeforeValidator, StringConstraints
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from catalogo.catalog import Catalog
from catalogo.loader import load_catalog
from catalogo.models import MAX_YEAR, MIN_YEAR, RecordFields, parse_years
from catalogo.problems import display_path

CONFIG_FILE = "cms.json"
RECORDS_COLLECTION = "registros"  # hidden: every record, for the relation widget
# Spanish labels of the fields the models have today. A field without one is labelled
# from its name ("autores" -> "Autores"), so a new field still shows.
LABELS = {
    "titulo": "Título",
    "tipo": "Tipo de recurso",
    "anio": "Año de publicación",
    "mes": "Mes",
    "sin_anio": "Por qué no hay año",
    "sin_descripcion": "Por qué no hay descripción",
    "borrador": "Borrador (no se publica todavía)",
    "serie": "Serie",
    "orden": "Orden en la serie",
    "descripcion": "Descripción",
    "publico": "Público",
    "instituciones": "Instituciones",
    "idioma": "Idioma",
    "enlaces": "Enlaces",
    "relacionados": "Registros relacionados",
    "fecha_alta": "Fecha de alta",
    "notas_editoriales": "Notas editoriales",
    "correcciones": "Correcciones",
    "url": "Dirección (URL)",
    "formato": "Formato",
    "etiqueta": "Texto del botón",
    "agregado_por_editor": "Añadido por un editor",
    "campo": "Campo corregido",
    "original": "Texto original",
    "motivo": "Motivo",
}
# The model types a related record's id as a plain id (the loader checks that the record
# exists), so these fields are known by name: they choose among the catalog's records.
RECORD_REFERENCES = frozenset({"relacionados"})
SINGULAR_LABELS = {
    "anio": "año",
    "enlaces": "enlace",
    "notas_editoriales": "nota",
    "correcciones": "corrección",
}
YEAR_HINT = " Escribe el año para buscarlo; si la obra salió en varios años, elige cada uno."


def cms_config(catalog: Catalog, model: type[BaseModel] = RecordFields) -> dict[str, Any]:
    """The whole configuration, except the repository (known only when the site is built)."""
    fields = model_fields(model, catalog)
    collections = [
        section_collection(key, section.nombre_corto, section.titulo, fields)
        for key, section in catalog.sections.items()
    ]
    collections.append(records_collection(fields))
    return {
        "app_title": f"Editor · {catalog.info.titulo}",
        "backend": {
            "name": "github",
            "branch": "main",
            "auth_methods": ["token"],
            "commit_messages": {
                "create": "Add {{path}} (browser editor)",
                "update": "Update {{path}} (browser editor)",
                "delete": "Delete {{path}} (browser editor)",
                "uploadMedia": "Upload {{path}} (browser editor)",
                "deleteMedia": "Delete {{path}} (browser editor)",
            },
        },
        "publish_mode": "simple",
        # The editor requires a media folder; records hold no files, so it gets its own
        # (empty) one, and the site's styles and scripts stay out of its file list.
        "media_folder": "static/subidas",
        "public_folder": "/static/subidas",
        "show_preview_links": False,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "editor": {"preview": True},
        "collections": collections,
    }


def section_collection(
    key: str, short_name: str, title: str, fields: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "name": key,
        "label": short_name,
        "label_singular": f"registro de {short_name}",
        "description": title,
        "folder": f"catalog/{key}",
        "extension": "yaml",
        "format": "yaml",
        "create": True,
        "delete": False,
        "identifier_field": "titulo",
        "slug": "{{titulo}}",
        "summary": "{{titulo}}",
        "sortable_fields": ["titulo", "fecha_alta"],
        "fields": fields,
    }


def records_collection(fields: list[dict[str, Any]]) -> dict[str, Any]:
    """Every record of every section, hidden: `relacionados` chooses among them. A
    relation widget reads one collection, and a related record may be in any section.
    The editor's search lists its records too, but a hidden collection does not open:
    its label tells the editor to pick the section's result instead."""
    return {
        "name": RECORDS_COLLECTION,
        "label": "Para relacionar (ábrelo desde su sección)",
        "folder": "catalog",
        "nested": {"depth": 2, "subfolders": False},
        # Records only: not the vocabularies beside the section folders.
        "filter": {"field": "tipo", "pattern": "."},
        "extension": "yaml",
        "format": "yaml",
        "hide": True,
        "create": False,
        "delete": False,
        "identifier_field": "titulo",
        "summary": "{{titulo}}",
        "fields": fields,
    }


def model_fields(model: type[BaseModel], catalog: Catalog) -> list[dict[str, Any]]:
    return [field_config(name, info, catalog) for name, info in model.model_fields.items()]


def field_config(name: str, info: FieldInfo, catalog: Catalog) -> dict[str, Any]:
    """One form field: its label, hint, whether it is required, and a widget for its type."""
    config: dict[str, Any] = {"name": name, "label": label_of(name)}
    config.update(widget_for(name, info.annotation, list(info.metadata), catalog, info))
    hint = info.description or ""
    if any(_is_years(item) for item in info.metadata):
        hint += YEAR_HINT
    if hint:
        config["hint"] = hint.strip()
    config["required"] = info.is_required()
    default = info.get_default(call_default_factory=True)
    if default not in (None, [], PydanticUndefined) and not isinstance(default, BaseModel):
        config["default"] = default
    if name == "fecha_alta":
        config["default"] = "{{now}}"  # the day the record was added: the day it is created
    return config


def widget_for(
    name: str,
    annotation: Any,
    metadata: list[Any],
    catalog: Catalog,
    info: FieldInfo | None = None,
) -> dict[str, Any]:
    """The widget of a type: vocabularies become lists to choose from, numbers keep their
    limits, a list of models becomes a list of small forms."""
    base, inner_metadata = unwrap(annotation)
    metadata = metadata + inner_metadata
    if any(_is_years(item) for item in metadata):
        # A year or a list of years: a choice of several among the years the model
        # accepts, newest first. (A list field would not read a single `anio: 2021`.)
        return {
            "widget": "select",
            "multiple": True,
            "options": [
                {"label": str(year), "value": year} for year in range(MAX_YEAR, MIN_YEAR - 1, -1)
            ],
        }
    vocabulary = vocabulary_of(metadata)
    if vocabulary is not None:
        return vocabulary_widget(vocabulary, catalog, multiple=False)
    origin = get_origin(base)
    if origin is list:
        (item,) = get_args(base) or (str,)
        return list_widget(name, item, catalog)
    if isinstance(base, type) and issubclass(base, BaseModel):
        return {"widget": "object", "fields": model_fields(base, catalog)}
    if base is bool:
        return {"widget": "boolean"}
    if base is int:
        return {"widget": "number", "value_type": "int", **number_limits(metadata)}
    if base is float:
        return {"widget": "number", "value_type": "float", **number_limits(metadata)}
    if base is datetime.date:
        return {"widget": "datetime", "format": "YYYY-MM-DD", "time_format": False}
    description = info.description if info is not None else ""
    if not text_limits(metadata) and "Markdown" in (description or ""):
        return {"widget": "markdown", "buttons": MARKDOWN_BUTTONS, "editor_components": []}
    widget: dict[str, Any] = {"widget": "string", **text_limits(metadata)}
    if name == "url":
        widget["type"] = "url"
    return widget


MARKDOWN_BUTTONS = ["bold", "italic", "link", "bulleted-list", "numbered-list"]


def list_widget(name: str, item: Any, catalog: Catalog) -> dict[str, Any]:
    base, metadata = unwrap(item)
    vocabulary = "registros" if name in RECORD_REFERENCES else vocabulary_of(metadata)
    if vocabulary is not None:
        return vocabulary_widget(vocabulary, catalog, multiple=True)
    if isinstance(base, type) and issubclass(base, BaseModel):
        fields = model_fields(base, catalog)
        widget: dict[str, Any] = {"widget": "list", "fields": fields}
        widget["summary"] = "{{fields." + fields[0]["name"] + "}}"
        widget["label_singular"] = SINGULAR_LABELS.get(name, "elemento")
        return widget
    sub = widget_for(name, item, [], catalog)
    if sub.get("widget") == "string":
        sub["widget"] = "text"  # a list of texts holds sentences (notes), not words
    return {
        "widget": "list",
        "label_singular": SINGULAR_LABELS.get(name, "elemento"),
        "field": {"name": name, "label": label_of(name), "required": True, **sub},
    }


def vocabulary_widget(vocabulary: str, catalog: Catalog, multiple: bool) -> dict[str, Any]:
    if vocabulary == "registros":
        return {
            "widget": "relation",
            "collection": RECORDS_COLLECTION,
            "value_field": "{{slug}}",
            "search_fields": ["titulo"],
            "display_fields": ["titulo"],
            "multiple": multiple,
        }
    widget: dict[str, Any] = {
        "widget": "select",
        "options": [
            {"label": label, "value": value}
            for value, label in vocabulary_labels(vocabulary, catalog).items()
        ],
    }
    if multiple:
        widget["multiple"] = True
    return widget


def vocabulary_labels(vocabulary: str, catalog: Catalog) -> dict[str, str]:
    """What an editor reads for each value of a vocabulary, in the vocabulary's own order."""
    vocab = catalog.vocabularies
    if vocabulary == "series":
        return {key: series.titulo for key, series in catalog.series.items()}
    if vocabulary == "instituciones":
        return {
            key: f"{entry.nombre} ({entry.siglas})" if entry.siglas else entry.nombre
            for key, entry in vocab.instituciones.items()
        }
    entries: Mapping[str, Any] = getattr(vocab, vocabulary)
    return {key: str(entry.nombre) for key, entry in entries.items()}


def unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """A type without `Optional[...]` and `Annotated[...]`, and the constraints it carried."""
    metadata: list[Any] = []
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation, *extra = get_args(annotation)
            metadata.extend(extra)
        elif origin in (Union, types.UnionType):
            options = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(options) != 1:
                return annotation, metadata
            annotation = options[0]
        else:
            return annotation, metadata


def vocabulary_of(metadata: list[Any]) -> str | None:
    """The vocabulary a value is checked against (models.in_vocabulary), if any."""
    for item in metadata:
        if isinstance(item, AfterValidator) and item.func.__qualname__.startswith("in_vocabulary"):
            found = inspect.getclosurevars(item.func).nonlocals.get("vocabulary")
            if isinstance(found, str):
                return found
    return None


def _is_years(item: Any) -> bool:
    return isinstance(item, BeforeValidator) and item.func is parse_years


def number_limits(metadata: list[Any]) -> dict[str, Any]:
    """The model's bounds of a number (ge, gt, le, lt) as the form's min and max."""
    limits: dict[str, Any] = {}
    for item in metadata:
        if isinstance(item, Ge):
            limits["min"] = item.ge
        elif isinstance(item, Gt):
            limits["min"] = item.gt + 1  # type: ignore[operator]
        elif isinstance(item, Le):
            limits["max"] = item.le
        elif isinstance(item, Lt):
            limits["max"] = item.lt - 1  # type: ignore[operator]
    return limits


def text_limits(metadata: list[Any]) -> dict[str, int]:
    """The model's longest text as the form's maxlength (it counts as the editor types)."""
    for item in metadata:
        longest = item.max_length if isinstance(item, MaxLen | StringConstraints) else None
        if longest is not None:
            return {"maxlength": longest}
    return {}


def label_of(name: str) -> str:
    return LABELS.get(name) or name.replace("_", " ").capitalize()


def render_config(catalog: Catalog) -> str:
    return compact_json(cms_config(catalog)) + "\n"


def compact_json(value: Any, indent: int = 0, width: int = 100) -> str:
    """JSON indented by two spaces, where an object or list that fits on one line (a
    choice, a short list) stays on one: the configuration is long, and read in reviews."""
    flat = json.dumps(value, ensure_ascii=False)
    if len(flat) + indent <= width or not isinstance(value, dict | list) or not value:
        return flat
    pad = " " * (indent + 2)
    if isinstance(value, dict):
        items = [
            f"{pad}{json.dumps(key, ensure_ascii=False)}: {compact_json(item, indent + 2, width)}"
            for key, item in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    items = [pad + compact_json(item, indent + 2, width) for item in value]
    return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"


def write_config(out_dir: Path, catalog_dir: Path, check: bool = False) -> int:
    """Write schema/cms.json, or with `check` say whether it is current."""
    target = out_dir / CONFIG_FILE
    text = render_config(load_catalog(catalog_dir).catalog)
    current = target.read_text(encoding="utf-8") if target.exists() else ""
    if check:
        if current != text:
            print(f"{display_path(target)} no está al día: ejecuta «python3 build.py cms».")
            return 1
        print(f"{display_path(target)} está al día.")
        return 0
    out_dir.mkdir(parents=True, exist_ok=True)
    if current != text:
        target.write_text(text, encoding="utf-8", newline="\n")
        print(f"Configuración del editor actualizada: {display_path(target)}")
    else:
        print(f"La configuración del editor ya estaba al día: {display_path(target)}")
    return 0
