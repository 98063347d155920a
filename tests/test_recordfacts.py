"""What a record says about itself in the words citations and metadata use: authors only
when the record names them (the institutions that issued it are not authors), its series'
description when it has none, the resource's own address, its medium and platform, a
publisher that is not already an author, and keywords as readers browse the catalog."""

from __future__ import annotations

from catalogo.catalog import Catalog
from catalogo.loader import load_catalog
from catalogo.recordfacts import (
    abstract_of,
    author_names,
    institution_names,
    keywords_of,
    medium_of,
    platform_of,
    publisher_of,
    resource_url,
)
from tests.support import EXAMPLE

PAGE = "https://ejemplo.org/recursos/x/"


def example() -> Catalog:
    return load_catalog(EXAMPLE).catalog


def test_institutions_are_not_authors_unless_the_record_names_them() -> None:
    catalog = example()
    guide = catalog.record("guia-de-prueba")
    assert institution_names(guide, catalog) == ["Organización de Ejemplo"]
    assert author_names(guide, catalog) == []
    editor = catalog.info.editor
    assert publisher_of(guide, catalog) == editor
    named = guide.model_copy(update={"autores": [editor, "Pérez, A."]})
    assert author_names(named, catalog) == [editor, "Pérez, A."]
    assert publisher_of(named, catalog) is None, "the editor is already an author"


def test_a_series_member_without_a_description_shares_the_series_one() -> None:
    catalog = example()
    spot = catalog.record("spot-es")
    assert spot.descripcion is None
    assert abstract_of(spot, catalog) == "Spots radiales en dos idiomas."
    guide = catalog.record("guia-de-prueba")
    assert abstract_of(guide, catalog) == (
        "Una guía para policías y fiscales. Ver https://example.org/mas."
    )
    assert abstract_of(catalog.record("video-de-prueba"), catalog) is None


def test_the_resource_is_its_first_link_else_its_page() -> None:
    catalog = example()
    assert resource_url(catalog.record("guia-de-prueba"), PAGE) == "https://example.org/guia.pdf"
    bare = catalog.record("guia-de-prueba").model_copy(update={"enlaces": []})
    assert resource_url(bare, PAGE) == PAGE


def test_medium_platform_and_keywords() -> None:
    catalog = example()
    video = catalog.record("video-de-prueba")
    assert medium_of(video, catalog) == "Video"
    assert medium_of(catalog.record("spot-es"), catalog) == "Audio"
    assert medium_of(catalog.record("guia-de-prueba"), catalog) is None
    assert platform_of("https://youtu.be/abcdefghijk") == "YouTube"
    assert platform_of("https://WWW.YOUTUBE.COM/watch?v=abcdefghijk") == "YouTube"
    assert platform_of("https://vimeo.com/1") is None
    assert keywords_of(catalog.record("guia-de-prueba"), catalog) == ["Guía", "Policía", "Fiscalía"]
