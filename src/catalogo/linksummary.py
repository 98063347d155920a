"""What a reader learns about a link before tapping it: «PDF · 2,3 MB» for a download,
«Aula virtual · aula.lim.ilo.org» for a page.

What a link opens («PDF», «Aula virtual», «Página de la publicación») is the name of its
format in `catalog/_formatos.yaml`: the editor who knows that a link leads to a course or to
a publisher's page says so with the link's `formato`, which the server's Content-Type cannot
tell, and the words stay data another catalog can change. The Content-Type that `links`
recorded (linkfacts.py) only corrects the name when it contradicts the format (a «web» link
that answers with a PDF), through each format's `tipos_mime`. Sizes come only from those
facts: without them, a link shows its host and never a size.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from catalogo.catalog import FormatEntry, LinkFact
from catalogo.models import Link

# Web pages: their Content-Length says nothing a reader can use (a page loads more).
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
SIZE_UNITS = ("KB", "MB", "GB")


@dataclass(frozen=True)
class LinkSummary:
    what: str | None  # the format's name: «PDF», «Aula virtual»; None when unknown
    size: str | None  # «2,3 MB», only for downloads whose size the server gave
    where: str  # the host the link ends on, without «www.»


def summarize_link(
    link: Link, fact: LinkFact | None, formats: Mapping[str, FormatEntry]
) -> LinkSummary:
    entry = formats.get(link.formato) if link.formato else None
    what = entry.nombre if entry is not None else None
    size = None
    if fact is not None and fact.tipo:
        # A format without declared types (a Google Docs document, a Drive folder) keeps
        # its name: its server's «text/html» says less than the editor did.
        if entry is None or (entry.tipos_mime and fact.tipo not in entry.tipos_mime):
            named = next((f for f in formats.values() if fact.tipo in f.tipos_mime), None)
            if named is not None:
                what = named.nombre
        if fact.bytes is not None and fact.tipo not in PAGE_TYPES:
            size = format_size(fact.bytes)
    target = fact.final if fact is not None and fact.final else link.url
    return LinkSummary(what=what, size=size, where=host_of(target))


def format_size(size: int) -> str:
    """A size as phones show it, with a Spanish decimal comma: «850 KB», «2,3 MB», «15 MB».
    Units of 1,024 bytes; one decimal below ten units; never less than «1 KB»."""
    value = size / 1024
    unit = SIZE_UNITS[0]
    for bigger in SIZE_UNITS[1:]:
        if round(value) < 1000:
            break
        value /= 1024
        unit = bigger
    if unit == SIZE_UNITS[0] or round(value, 1) >= 10:
        shown = str(max(1, round(value)))
    else:
        shown = f"{value:.1f}".replace(".", ",")
    return f"{shown}\u00a0{unit}"


def host_of(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")
