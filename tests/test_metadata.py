"""Machine-readable descriptions of each record page: schema.org JSON-LD of the type its
vocabulary names, and Highwire `citation_*` tags for document records only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from catalogo.catalog import Catalog
from catalogo.loader import load_catalog
from catalogo.metadata import json_ld as describe
from catalogo.metadata import record_meta_tags
from catalogo.urls import SiteUrls
from tests.support import EXAMPLE
from tests.support import SHIPPED_ORIGIN as ORIGIN
from tests.support import SHIPPED_PREFIX as BASE

URLS = SiteUrls(BASE, ORIGIN)


def json_ld(page: Path) -> dict[str, Any]:
    text = page.read_text(encoding="utf-8")
    start = text.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    data: dict[str, Any] = json.loads(text[start : text.index("</script>", start)])
    return data


def test_every_resource_page_has_json_ld_of_the_right_type(
    shipped_site: Path, shipped_catalog: Catalog
) -> None:
    site, catalog = shipped_site, shipped_catalog
    for record in catalog.records:
        data = json_ld(site / "recursos" / record.id / "index.html")
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == catalog.vocabularies.tipos[record.tipo].schema_org
        assert data["name"] == record.titulo
        assert data["inLanguage"] == record.idioma
        assert data["publisher"]["name"] == "Organización Internacional del Trabajo"
        assert data["url"] == f"{ORIGIN}{BASE}recursos/{record.id}/"
        if record.first_year:
            assert data["datePublished"].startswith(str(record.first_year))
    kinds = {json_ld(site / "recursos" / r.id / "index.html")["@type"] for r in catalog.records}
    assert {"VideoObject", "AudioObject", "Report", "Book", "Legislation"} <= kinds


def test_document_pages_carry_highwire_tags(shipped_site: Path, shipped_catalog: Catalog) -> None:
    site, catalog = shipped_site, shipped_catalog
    for record in catalog.records:
        page = (site / "recursos" / record.id / "index.html").read_text(encoding="utf-8")
        is_document = record.tipo not in ("video", "spot-radial")
        assert ('name="citation_title"' in page) == is_document, record.id
        if is_document and any(link.formato == "pdf" for link in record.enlaces):
            assert 'name="citation_pdf_url"' in page, record.id


def test_a_record_names_its_authors_issuers_series_and_video() -> None:
    catalog = load_catalog(EXAMPLE).catalog
    guide = describe(catalog.record("guia-de-prueba"), catalog, URLS)
    assert guide["datePublished"] == "2021-03"
    assert "author" not in guide, "the issuing institution is not an author"
    assert guide["encoding"]["contentUrl"] == "https://example.org/guia.pdf"
    assert guide["audience"] == [
        {"@type": "Audience", "audienceType": "Policía"},
        {"@type": "Audience", "audienceType": "Fiscalía"},
    ]
    spot = describe(catalog.record("spot-quz"), catalog, URLS)
    assert spot["isPartOf"] == {
        "@type": "CreativeWorkSeries",
        "name": "Spots de prueba",
        "url": f"{ORIGIN}{BASE}series/spots/",
    }
    assert spot["position"] == 2 and spot["inLanguage"] == "quz"
    video = describe(catalog.record("video-de-prueba"), catalog, URLS)
    assert video["embedUrl"] == "https://www.youtube-nocookie.com/embed/abcdefghijk"
    assert video["thumbnailUrl"] == "https://i.ytimg.com/vi/abcdefghijk/hqdefault.jpg"
    assert "datePublished" not in video


def test_highwire_tags_are_for_documents_and_point_at_the_pdf() -> None:
    catalog = load_catalog(EXAMPLE).catalog
    tags = record_meta_tags(catalog.record("guia-de-prueba"), catalog, URLS)
    assert ("citation_publication_date", "2021/03") in tags
    assert ("citation_pdf_url", "https://example.org/guia.pdf") in tags
    assert ("citation_abstract_html_url", f"{ORIGIN}{BASE}recursos/guia-de-prueba/") in tags
    assert record_meta_tags(catalog.record("video-de-prueba"), catalog, URLS) == []
