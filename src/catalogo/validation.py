"""Turn pydantic validation errors, and files that hold no keys at all, into Problems an
editor can act on, in Spanish."""

from __future__ import annotations

import types
import typing
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from catalogo.problems import Problem, list_choices, suggest
from catalogo.yamlfile import Document, Location, field_label
from catalogo.yamlsyntax import dash_message

MESSAGES: dict[str, str] = {
    "string_type": "debe ser un texto; si empieza por un número o un símbolo, escríbelo "
    "entre comillas",
    "string_too_short": "no puede quedar vacío; escribe un valor o borra la línea",
    "string_too_long": "es demasiado largo (máximo {max_length} caracteres)",
    "int_type": "debe ser un número entero, sin comillas ni decimales (por ejemplo 2021)",
    "int_parsing": "debe ser un número entero, sin comillas ni decimales (por ejemplo 2021)",
    "int_from_float": "debe ser un número entero, sin decimales",
    "int_parsing_size": "es un número demasiado grande; revisa que esté bien escrito",
    "finite_number": "debe ser un número entero, sin comillas ni decimales (por ejemplo 2021)",
    "float_type": "debe ser un número",
    "float_parsing": "debe ser un número",
    "bool_type": "debe ser true o false",
    "bool_parsing": "debe ser true o false",
    "list_type": "debe ser una lista: escribe cada valor en una línea que empiece con «- », "
    "o entre corchetes, por ejemplo [policia, fiscalia]",
    "model_type": "debe ser un grupo de claves, por ejemplo «url: https://...» y "
    "«formato: pdf» en líneas con la misma sangría",
    "dict_type": "debe ser un grupo de claves («clave: valor»), una por línea",
    "model_attributes_type": "debe ser un grupo de claves («clave: valor»), una por línea",
    "greater_than_equal": "debe ser como mínimo {ge}",
    "less_than_equal": "debe ser como máximo {le}",
    "greater_than": "debe ser mayor que {gt}",
    "date_type": "debe ser una fecha con el formato AAAA-MM-DD, por ejemplo 2024-03-15",
    "date_parsing": "debe ser una fecha con el formato AAAA-MM-DD, por ejemplo 2024-03-15",
    "date_from_datetime_parsing": "debe ser una fecha con el formato AAAA-MM-DD, por ejemplo "
    "2024-03-15",
    "date_from_datetime_inexact": "debe ser solo una fecha (AAAA-MM-DD), sin hora",
    "none_required": "debe quedar vacío",
    # A plain Python error inside a validator (our own raise PydanticCustomError in Spanish):
    # never show the English text of an exception to an editor.
    "value_error": "el valor no es válido; revisa cómo está escrito",
    "assertion_error": "el valor no es válido; revisa cómo está escrito",
}


def describe_error(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind == "value_error" and error["loc"] and error["loc"][-1] == "url":
        return (
            "la dirección no es válida; cópiala completa desde la barra del navegador, "
            "por ejemplo https://www.gob.pe/..."
        )
    template = MESSAGES.get(kind)
    if template is None:
        # Our own validators raise PydanticCustomError with a Spanish message already.
        return error["msg"]
    context = error.get("ctx") or {}
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return template


def not_a_mapping(document: Document) -> Problem:
    """The problem of a file that holds no keys: the data of every catalog file is a
    mapping of keys to values, which is what its model validates."""
    if document.data is None:
        return Problem(
            document.display,
            1,
            "",
            "el archivo está vacío; escribe sus campos, una «clave: valor» por línea "
            "(en un registro: titulo, tipo, anio...)",
        )
    kind = "una lista" if isinstance(document.data, list) else "un valor suelto"
    return Problem(
        document.display,
        document.line_of(()),
        "",
        f"el archivo contiene {kind}; debe contener claves con sus valores, una por línea, "
        "por ejemplo «titulo: ...»",
    )


def model_at(model: type[BaseModel], location: Location) -> type[BaseModel] | None:
    """The model that validates the mapping found at `location` inside `model`."""
    current: type[BaseModel] | None = model
    for part in location:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = _model_in(field.annotation)
    return current


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, dict, typing.Annotated) or origin:
        for argument in get_args(annotation):
            found = _model_in(argument)
            if found is not None:
                return found
    return None


def problems_from_validation(
    error: ValidationError,
    document: Document,
    model: type[BaseModel],
    prefix: Location = (),
) -> list[Problem]:
    """One Problem per pydantic error, located with the YAML line marks of `document`."""
    problems: list[Problem] = []
    seen: set[tuple[Location, str]] = set()
    details_list = error.errors(include_url=False)
    # A missing required key that an unknown key resembles is the same mistake (a typo in
    # the key): report it once, on the misspelled key, with the suggestion.
    misspelled = _misspelled_keys(details_list, model)
    for details in details_list:
        location: Location = tuple(part for part in details["loc"] if isinstance(part, int | str))
        location = _drop_union_branches(location)
        key = ((*prefix, *location), details["type"])
        if key in seen:
            continue
        seen.add(key)
        if details["type"] == "missing" and (*location[:-1], str(location[-1])) in misspelled:
            continue
        problems.append(_problem_of(details, document, model, prefix, location))
    return problems


def _problem_of(
    details: ErrorDetails,
    document: Document,
    model: type[BaseModel],
    prefix: Location,
    location: Location,
) -> Problem:
    """The Problem of one pydantic error at `location` (without `prefix`) in `model`."""
    full = (*prefix, *location)
    kind = details["type"]
    if kind == "extra_forbidden":
        unknown = str(location[-1])
        owner = model_at(model, location[:-1])
        valid = list(owner.model_fields) if owner is not None else []
        message = f"clave desconocida «{unknown}».{suggest(unknown, valid)}"
        if valid:
            message += f" Claves válidas: {list_choices(valid, limit=30)}"
        return Problem(document.display, document.line_of(full), field_label(full), message)
    if kind == "missing":
        name = str(location[-1])
        parent_line = document.line_of(full[:-1]) if full[:-1] else 1
        return Problem(
            document.display,
            parent_line,
            field_label(full),
            f"falta el campo obligatorio «{name}»; añade una línea «{name}: ...»",
        )
    dash = _dash_without_space(details)
    if dash:
        return Problem(document.display, document.value_line_of(full), field_label(full), dash)
    return Problem(
        document.display, document.line_of(full), field_label(full), describe_error(details)
    )


def _dash_without_space(details: ErrorDetails) -> str:
    """A list written `-valor` (no space after the dash) reads as one text, or as a key
    `-url`: the editor meant a list item."""
    if details["type"] != "list_type":
        return ""
    value = details.get("input")
    if isinstance(value, str) and value.startswith("-") and not value.startswith("- "):
        first = value.split(" -")[0]
        return dash_message(first[1:])
    if isinstance(value, dict) and value:
        key, item = next(iter(value.items()))
        if isinstance(key, str) and key.startswith("-"):
            return dash_message(f"{key[1:]}: {item}" if isinstance(item, str) else f"{key[1:]}:")
    return ""


def _misspelled_keys(details_list: list[ErrorDetails], model: type[BaseModel]) -> set[Location]:
    """Locations of missing keys that an unknown key in the same mapping resembles."""
    found: set[Location] = set()
    for details in details_list:
        if details["type"] != "extra_forbidden":
            continue
        location = _drop_union_branches(
            tuple(p for p in details["loc"] if isinstance(p, int | str))
        )
        owner = model_at(model, location[:-1])
        if owner is None:
            continue
        guess = suggest(str(location[-1]), owner.model_fields)
        for name in owner.model_fields:
            if guess == suggest(name, [name]) and _is_missing(details_list, (*location[:-1], name)):
                found.add((*location[:-1], name))
    return found


def _is_missing(details_list: list[ErrorDetails], location: Location) -> bool:
    return any(
        d["type"] == "missing" and _drop_union_branches(tuple(d["loc"])) == location
        for d in details_list
    )


def _drop_union_branches(location: Location) -> Location:
    """pydantic names union branches in locations (`int`, `list[int]`, `function-after[...]`);
    those are not YAML keys, so they are dropped to point at the editor's key."""
    return tuple(part for part in location if not (isinstance(part, str) and _is_branch(part)))


def _is_branch(part: str) -> bool:
    return part in {"int", "str", "bool", "float", "none"} or (
        part.endswith("]") and "[" in part and not part.startswith("[")
    )
