"""The shape of a record, with no file around it: unknown keys refused, web addresses and
years checked with a Spanish message that says what to write, vocabulary values checked
against the catalog's own vocabularies (with a suggestion), and what a record is made of
(its years, its fingerprint, the resource it publishes)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from catalogo.models import Link, Record, RecordFields

VOCABULARIES = {"tipos": {"guia", "video"}, "publicos": {"policia", "fiscalia"}}


def record(**fields: Any) -> Record:
    return Record.model_validate(
        {"id": "x", "seccion": "guias", "titulo": "X", "tipo": "guia", **fields}
    )


def errors(data: dict[str, Any], context: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    """(field, message) of each error pydantic gives for these record fields."""
    with pytest.raises(ValidationError) as caught:
        RecordFields.model_validate(data, context=context)
    return [(".".join(map(str, e["loc"])), e["msg"]) for e in caught.value.errors()]


def test_an_unknown_key_is_refused() -> None:
    assert [kind for kind in errors({"titulo": "X", "tipo": "guia", "anyo": 2020})] == [
        ("anyo", "Extra inputs are not permitted")  # validation.py words it for editors
    ]


@pytest.mark.parametrize(
    ("url", "words"),
    [
        (
            "javascript:alert(1)",
            "debe empezar con https:// (o http://); su esquema es «javascript:»",
        ),
        ("www.gob.pe/guia.pdf", "su esquema es ninguno"),
        ("https://www.gob.pe/mi guia.pdf", "la dirección tiene espacios o saltos de línea"),
        ("https://localhost/guia.pdf", "la dirección no tiene un dominio válido"),
    ],
)
def test_a_link_must_be_a_web_address(url: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Link(url=url)
    assert words in caught.value.errors()[0]["msg"]


def test_web_addresses_are_kept_as_written() -> None:
    assert Link(url="HTTPS://www.gob.pe/Guía.pdf?x=1#p").url == "HTTPS://www.gob.pe/Guía.pdf?x=1#p"


@pytest.mark.parametrize(
    ("value", "years"),
    [(2021, [2021]), ("2021", [2021]), ([2023, 2022], [2022, 2023]), (None, [])],
)
def test_a_year_or_several(value: object, years: list[int]) -> None:
    made = record(anio=value)
    assert made.years == years
    assert made.first_year == (years[0] if years else None)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (202, "el año 202 está fuera de rango; escribe un año de cuatro cifras entre 1900 y 2100"),
        ([], "la lista de años está vacía"),
        ("dos mil", "«dos mil» no es un año; escribe el año con cuatro cifras"),
        ([2021, 3000], "el año 3000 está fuera de rango"),
    ],
)
def test_a_wrong_year_says_what_to_write(value: object, words: str) -> None:
    [(_, message)] = errors({"titulo": "X", "tipo": "guia", "anio": value})
    assert message.startswith(words)


def test_true_or_false_is_not_a_year() -> None:
    [(_, message)] = errors({"titulo": "X", "tipo": "guia", "anio": True})
    assert "no es un año; escribe el año con cuatro cifras" in message


def test_vocabulary_values_are_checked_against_the_catalogs_own_files() -> None:
    data = {"titulo": "X", "tipo": "guía", "publico": ["policia", "jueces"]}
    found = dict(errors(data, VOCABULARIES))
    assert found["tipo"].startswith("«guía» no es un tipo conocido. ¿Quisiste decir «guia»?")
    assert found["tipo"].endswith("(para añadir uno, edita _tipos.yaml)")
    assert found["publico.1"].startswith("«jueces» no es un público conocido.")
    assert RecordFields.model_validate(data).tipo == "guía", "without vocabularies, all pass"


def test_the_title_language_is_the_records_unless_said() -> None:
    assert record(idioma="quz").title_language == "quz"
    assert record(idioma="quz", idioma_titulo="es").title_language == "es"


def test_a_fingerprint_follows_every_field_and_a_copy_gets_its_own() -> None:
    original = record(descripcion="Uno.")
    assert record(descripcion="Uno.").fingerprint == original.fingerprint
    assert record(descripcion="Dos.").fingerprint != original.fingerprint
    copy = original.model_copy(update={"titulo": "Otro", "anio": 2020})
    assert copy.fingerprint != original.fingerprint
    assert copy.years == [2020] and original.years == []


def test_one_resource_is_the_same_title_and_the_same_links() -> None:
    video = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    first = record(titulo="Guía  de Prueba", enlaces=[{"url": video}])
    second = record(titulo="guía de prueba", enlaces=[{"url": "https://youtu.be/dQw4w9WgXcQ"}])
    assert first.resource_key == second.resource_key
    other = record(titulo="Guía de prueba", enlaces=[{"url": "https://www.gob.pe/otra.pdf"}])
    assert other.resource_key != first.resource_key
