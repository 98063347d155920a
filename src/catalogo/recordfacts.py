"""What a record says about itself, in the words citations and machine-readable metadata
use: its type's entry, its authors and institutions, its series, the address of the
resource, a plain-text abstract, its medium and platform, its publisher, its keywords.

Authors come only from a record's explicit `autores`: the institutions that issued or
approved a resource are not its authors.
"""

from __future__ import annotations

from types import MappingProxyType
from urllib.parse import urlsplit

from catalogo.catalog import Catalog, Series, TypeEntry
from catalogo.markup import plain_text
from catalogo.models import Record
from catalogo.video import YOUTUBE_HOSTS

# APA marks non-text works with a bracketed description after the title.
MEDIUM_BY_SCHEMA_ORG = MappingProxyType({"VideoObject": "Video", "AudioObject": "Audio"})
PLATFORM_HOSTS = MappingProxyType({host: "YouTube" for host in (*YOUTUBE_HOSTS, "youtu.be")})


def type_entry(record: Record, catalog: Catalog) -> TypeEntry:
    return catalog.vocabularies.tipos[record.tipo]


def author_names(record: Record, catalog: Catalog) -> list[str]:
    """The authors the record names (`autores`), in its order; none when the source names
    no author, whatever institutions the record lists."""
    return list(record.autores)


def institution_names(record: Record, catalog: Catalog) -> list[str]:
    """Institution names in the record's order; ids missing from the vocabulary are skipped
    (the loader reports them)."""
    names = catalog.vocabularies.instituciones
    return [names[key].nombre for key in record.instituciones if key in names]


def series_of(record: Record, catalog: Catalog) -> Series | None:
    if record.serie is None:
        return None
    return catalog.series.get(record.serie)


def resource_url(record: Record, page_url: str) -> str:
    """The resource itself when it is online, else the catalog page that describes it."""
    return record.enlaces[0].url if record.enlaces else page_url


def abstract_of(record: Record, catalog: Catalog) -> str | None:
    """Plain-text description; a record of a series without its own text shares the series'."""
    series = series_of(record, catalog)
    source = record.descripcion or (series.descripcion if series else None)
    text = plain_text(source) if source else ""
    return text or None


def medium_of(record: Record, catalog: Catalog) -> str | None:
    """«Video» or «Audio» for audiovisual types, None for documents."""
    return MEDIUM_BY_SCHEMA_ORG.get(type_entry(record, catalog).schema_org)


def platform_of(url: str) -> str | None:
    """The site name APA puts before the URL of a video, e.g. «YouTube»."""
    return PLATFORM_HOSTS.get((urlsplit(url).hostname or "").lower())


def publisher_of(record: Record, catalog: Catalog) -> str | None:
    """The catalog editor, unless it is already an author (APA omits such a repetition)."""
    editor = catalog.info.editor
    return None if editor in author_names(record, catalog) else editor


def keywords_of(record: Record, catalog: Catalog) -> list[str]:
    """The type name and the audience names, as readers browse the catalog."""
    audiences = catalog.vocabularies.publicos
    names = [type_entry(record, catalog).nombre]
    names += [audiences[key].nombre for key in record.publico if key in audiences]
    return names
