"""Machine-readable descriptions of a record: schema.org JSON-LD for search engines and
Highwire `citation_*` meta tags for Google Scholar and Zotero."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from catalogo import urls
from catalogo.catalog import Catalog
from catalogo.markup import plain_text
from catalogo.models import Record
from catalogo.recordfacts import institution_names
from catalogo.urls import SiteUrls
from catalogo.video import embed_url, thumbnail_url, youtube_id

AUDIOVISUAL_TYPES = {"VideoObject", "AudioObject"}


def organization(name: str, url: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Organization", "name": name}
    if url:
        data["url"] = url
    return data


def json_ld(record: Record, catalog: Catalog, site_urls: SiteUrls) -> dict[str, Any]:
    """schema.org description of one record, of the type its vocabulary entry names."""
    kind = catalog.vocabularies.tipos[record.tipo].schema_org
    page = site_urls.absolute(urls.record_path(record.id))
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": kind,
        "@id": page,
        "name": record.titulo,
        "url": page,
        "inLanguage": record.idioma,
        "publisher": organization(catalog.info.editor),
        "isAccessibleForFree": True,
        "genre": catalog.vocabularies.tipos[record.tipo].nombre,
    }
    description = plain_text(record.descripcion) if record.descripcion else ""
    if description:
        data["description"] = description
    if record.first_year:
        month = f"-{record.mes:02d}" if record.mes else ""
        data["datePublished"] = f"{record.first_year}{month}"
    # Authors only when the record names them; the institutions are who issued it.
    institutions = institution_names(record, catalog)
    if record.autores:
        data["author"] = [
            organization(name) if name in institutions else {"@type": "Person", "name": name}
            for name in record.autores
        ]
    issuers = [organization(name) for name in institutions]
    if issuers:
        data["sourceOrganization"] = issuers
    audiences = [catalog.vocabularies.publicos[key].nombre for key in record.publico]
    if audiences:
        data["audience"] = [{"@type": "Audience", "audienceType": name} for name in audiences]
    if record.serie and record.serie in catalog.series:
        series = catalog.series[record.serie]
        data["isPartOf"] = {"@type": "CreativeWorkSeries", "name": series.titulo}
        series_page = catalog.browse_path("series", record.serie)
        if series_page is not None:
            data["isPartOf"]["url"] = site_urls.absolute(series_page)
        if record.orden:
            data["position"] = record.orden
    links = [link.url for link in record.enlaces]
    if links:
        if kind in AUDIOVISUAL_TYPES:
            data["contentUrl"] = links[0]
        data["sameAs"] = links
        pdfs = [link.url for link in record.enlaces if link.formato == "pdf"]
        if pdfs and kind not in AUDIOVISUAL_TYPES:
            data["encoding"] = {
                "@type": "MediaObject",
                "contentUrl": pdfs[0],
                "encodingFormat": "application/pdf",
            }
    video = next((youtube_id(url) for url in links if youtube_id(url)), None)
    if kind == "VideoObject" and video:
        data["embedUrl"] = embed_url(video).split("?")[0]
        data["thumbnailUrl"] = thumbnail_url(video)
    return data


def record_meta_tags(
    record: Record, catalog: Catalog, site_urls: SiteUrls
) -> list[tuple[str, str]]:
    """Highwire Press tags (name, content), for document records only."""
    kind = catalog.vocabularies.tipos[record.tipo].schema_org
    if kind in AUDIOVISUAL_TYPES:
        return []
    tags: list[tuple[str, str]] = [("citation_title", record.titulo)]
    for name in record.autores:
        tags.append(("citation_author", name))
    if record.first_year:
        month = f"/{record.mes:02d}" if record.mes else ""
        tags.append(("citation_publication_date", f"{record.first_year}{month}"))
    tags.append(("citation_publisher", catalog.info.editor))
    tags.append(("citation_language", record.idioma))
    if record.serie and record.serie in catalog.series:
        tags.append(("citation_series_title", catalog.series[record.serie].titulo))
        if record.orden:
            tags.append(("citation_issue", str(record.orden)))
    tags.append(("citation_abstract_html_url", site_urls.absolute(urls.record_path(record.id))))
    for link in record.enlaces:
        if link.formato == "pdf" or urlsplit(link.url).path.lower().endswith(".pdf"):
            tags.append(("citation_pdf_url", link.url))
            break
    return tags
