"""The catalog's own files as models, and the Catalog they make with the records: audiences
that include others (through others, without looping), the ways to explore it, the
publishing settings, and what `links` found at an address."""

from __future__ import annotations

import datetime

import pytest
from pydantic import ValidationError

from catalogo.catalog import (
    AudienceEntry,
    BrowsePage,
    LinkFact,
    SiteSettings,
    audience_members,
)
from catalogo.loader import load_catalog
from tests.support import EXAMPLE


def message_of(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return str(error.value.errors()[0]["msg"])


def test_an_audience_includes_the_members_of_its_members_once() -> None:
    audiences = {
        "justicia": AudienceEntry(nombre="Justicia", incluye=["policia", "fiscalia"]),
        "fiscalia": AudienceEntry(nombre="Fiscalía", incluye=["fiscalia-provincial"]),
        "fiscalia-provincial": AudienceEntry(nombre="Fiscalía provincial", incluye=["justicia"]),
        "policia": AudienceEntry(nombre="Policía", incluye=["no-existe"]),
    }
    assert audience_members(audiences, "justicia") == {
        "policia",
        "fiscalia",
        "fiscalia-provincial",
        "justicia",  # through a loop (the loader reports it): found, not followed forever
    }
    assert audience_members(audiences, "policia") == set(), "unknown members are left out"
    assert audience_members(audiences, "nadie") == set()


def test_a_way_to_explore_names_a_vocabulary_that_can_be_explored() -> None:
    page = BrowsePage(vocabulario="anios", titulo="Por año", introduccion="Según su año.")
    assert page.breadcrumb == "Por año" and page.heading("2021") == "2021"
    worded = BrowsePage(
        vocabulario="tipos",
        titulo="Recursos por tipo",
        introduccion="Estudios, guías...",
        miga="Por tipo",
        encabezado="Recursos de {nombre}",
    )
    assert worded.breadcrumb == "Por tipo" and worded.heading("Guías") == "Recursos de Guías"
    with pytest.raises(ValidationError) as caught:
        BrowsePage(vocabulario="tipo", titulo="X", introduccion="Y")
    assert message_of(caught).startswith("«tipo» no se puede explorar. ¿Quisiste decir «tipos»?")


def test_the_page_of_records_without_a_value_needs_a_folder_name() -> None:
    with pytest.raises(ValidationError) as caught:
        BrowsePage.model_validate(
            {
                "vocabulario": "anios",
                "titulo": "Por año",
                "introduccion": "Según su año.",
                "sin_valor": {"ruta": "Sin Año", "nombre": "Sin fecha"},
            }
        )
    assert message_of(caught).startswith("«Sin Año» no es un identificador válido")


def test_publishing_settings_are_normalized_or_explained() -> None:
    settings = SiteSettings(url="https://oit.github.io/", ruta_base="catalogo-trata")
    assert (settings.url, settings.ruta_base) == ("https://oit.github.io", "/catalogo-trata/")
    with pytest.raises(ValidationError) as caught:
        SiteSettings(repositorio="oit/catalogo/extra")
    assert message_of(caught).startswith("«oit/catalogo/extra» no es un repositorio de GitHub")
    with pytest.raises(ValidationError) as caught:
        SiteSettings(ruta_base="https://oit.github.io/catalogo/")
    assert "debe ser solo una ruta" in message_of(caught)


def test_a_link_fact_holds_a_media_type_and_a_size() -> None:
    day = datetime.date(2026, 11, 30)
    fact = LinkFact(tipo="application/pdf", bytes=2048, comprobado=day)
    assert (fact.tipo, fact.bytes, fact.final) == ("application/pdf", 2048, None)
    for wrong in ({"tipo": "PDF"}, {"bytes": 0}, {"talla": 3}):
        with pytest.raises(ValidationError):
            LinkFact.model_validate({"comprobado": day, **wrong})


def test_the_catalog_finds_records_and_the_pages_of_values() -> None:
    catalog = load_catalog(EXAMPLE).catalog
    assert catalog.record("spot-es").titulo == "Spot: Captación"
    with pytest.raises(KeyError):
        catalog.record("no-existe")
    assert catalog.browse_path("tipos", "guia") == "tipos/guia/"
    assert catalog.browse_path("anios", 2021) == "anios/2021/"
    assert catalog.browse_path("instituciones", "oe") is None, "no browse pages for it"
