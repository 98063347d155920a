"""What the `links` command learnt about each external link, and how a reader sees it
before tapping: «PDF · 2,3 MB» for a download, «Aula virtual · aula.lim.ilo.org» for a page.

The facts live in `catalog/_enlaces.yaml`, written only by `python3 build.py links`:

    "https://example.org/a.pdf":
      tipo: application/pdf        # Content-Type, lowercase, without parameters
      bytes: 2412345               # Content-Length, only when the server gave it
      comprobado: 2026-11-30       # date of the last successful check (UTC)
      final: "https://example.org/b.pdf"   # only when redirects ended elsewhere

The build reads the file when it is there and never goes to the network; without it, a
link shows its format and its host, never a size.

What a link opens («PDF», «Aula virtual», «Página de la editorial») is the name of its
format in `catalog/_formatos.yaml`: the editor who knows that a link leads to a course or
to a publisher's page says so with the link's `formato`, which the server's Content-Type
cannot tell. The Content-Type only corrects the name when it contradicts the format (a
«web» link that answers with a PDF), through each format's `tipos_mime`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from catalogo.models import FormatEntry, Link, Strict, check_web_url
from catalogo.problems import Problem
from catalogo.validation import problems_from_validation
from catalogo.yamlfile import Document

FACTS_FILE = "_enlaces.yaml"
# Web pages: their Content-Length says nothing a reader can use (a page loads more).
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
SIZE_UNITS = ("KB", "MB", "GB")


class LinkFact(Strict):
    """What one address answered the last time `links` checked it."""

    model_config = ConfigDict(populate_by_name=True)

    tipo: str | None = Field(
        default=None,
        description="Content-Type de la respuesta, en minúsculas y sin parámetros.",
    )
    size: int | None = Field(
        default=None,
        alias="bytes",
        ge=0,
        description="Content-Length de la respuesta, si el servidor lo dio.",
    )
    comprobado: datetime.date = Field(description="Fecha de la última comprobación (UTC).")
    final: str | None = Field(
        default=None,
        description="Dirección a la que llevaron las redirecciones, si no es la misma.",
    )

    @field_validator("tipo")
    @classmethod
    def _normalize_type(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return value.split(";", 1)[0].strip().lower() or None

    @field_validator("final")
    @classmethod
    def _check_final(cls, value: str | None) -> str | None:
        return None if value is None else check_web_url(value)


LinkFacts = Mapping[str, LinkFact]


def facts_from_document(document: Document) -> tuple[dict[str, LinkFact], list[Problem]]:
    """The facts of a parsed `_enlaces.yaml`, or the problems that keep them from loading."""
    if document.data is None:
        return {}, []
    if not isinstance(document.data, dict):
        return {}, [
            Problem(
                document.display,
                document.line_of(()),
                "",
                "este archivo lo escribe «python3 build.py links»: debe contener direcciones, "
                "cada una con sus datos (tipo, bytes, comprobado); bórralo y vuelve a "
                "ejecutar el comando",
            )
        ]
    facts: dict[str, LinkFact] = {}
    problems: list[Problem] = []
    adapter = TypeAdapter(LinkFact)
    for key, value in document.data.items():
        url = str(key)
        try:
            check_web_url(url)
        except PydanticCustomError as error:
            problems.append(
                Problem(document.display, document.line_of((url,)), url, str(error))
            )
            continue
        try:
            facts[url] = adapter.validate_python(value)
        except ValidationError as error:
            problems.extend(problems_from_validation(error, document, LinkFact, (url,)))
    return facts, problems


@dataclass(frozen=True)
class LinkSummary:
    """What a reader learns about a link before tapping it."""

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
        if fact.size is not None and fact.tipo not in PAGE_TYPES:
            size = format_size(fact.size)
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
