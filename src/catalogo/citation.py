"""How to cite a record: an APA 7 reference in Spanish for people, and BibTeX, RIS and
CSL-JSON for reference managers (Zotero, Mendeley, JabRef, Pandoc).

Everything here is computed from the record and the catalog's vocabularies, so an editor
who adds a type or an institution never has to touch this module: the citation types come
from `catalog/_tipos.yaml`. Authors come only from a record's explicit `autores`: the
institutions that issued or approved a resource are not its authors, and a work without a
named author is cited as APA prescribes, title first. Those facts of a record (authors,
institutions, series, abstract, medium...) come from recordfacts.py, shared with metadata.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from catalogo.catalog import Catalog
from catalogo.models import Record
from catalogo.recordfacts import (
    abstract_of,
    author_names,
    institution_names,
    keywords_of,
    medium_of,
    platform_of,
    publisher_of,
    resource_url,
    series_of,
    type_entry,
)

SPANISH_MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
BIBTEX_MONTHS = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)
NO_DATE = "s. f."
# APA 7 writes year ranges with an en dash, not a hyphen.
YEAR_RANGE_DASH = "\u2013"
# RAE abbreviation of «número», used where APA writes «No.».
NUMBER_ABBREVIATION = "n.\u00ba"
# babel/biblatex language names; an unlisted code falls back to the vocabulary name.
BIBTEX_LANGUAGES = MappingProxyType(
    {
        "es": "spanish",
        "quz": "quechua",
        "qu": "quechua",
        "que": "quechua",
        "ay": "aymara",
        "en": "english",
        "pt": "portuguese",
        "fr": "french",
    }
)
LATEX_ESCAPES = MappingProxyType(
    {
        "\\": r"\textbackslash{}",
        # BibTeX counts braces even after a backslash, so «\{» would unbalance a lone brace.
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "%": r"\%",
        "&": r"\&",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "^": r"\textasciicircum{}",
        "~": r"\textasciitilde{}",
    }
)
LATEX_SPECIAL = re.compile(r"[\\{}%&$#_^~]")
BIBTEX_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9-]+")
# Characters that cannot appear raw in a URL and would unbalance a BibTeX value.
URL_BRACE_ESCAPES = MappingProxyType({"{": "%7B", "}": "%7D", "\\": "%5C"})
SENTENCE_END = (".", "?", "!")
APA_MAX_AUTHORS = 20


@dataclass(frozen=True)
class Citation:
    """An APA reference split so a template can italicize the title and escape the rest."""

    before: str
    title: str
    after: str

    @property
    def text(self) -> str:
        """The plain reference, for the copy button."""
        return f"{self.before}{self.title}{self.after}"


def single_line(text: str) -> str:
    """Collapse whitespace: every export format here stores a value on one line."""
    return " ".join(text.split())


# --- APA 7 ---------------------------------------------------------------------------------


def apa(record: Record, catalog: Catalog, page_url: str) -> Citation:
    """APA 7 reference in Spanish. Authors are the record's `autores`; without them, the
    title takes the author position, as APA prescribes for works without author."""
    title = single_line(record.titulo)
    described = apa_title_suffix(record, catalog)
    closing = "" if not described and title.endswith(SENTENCE_END) else "."
    date = f"({apa_date(record)})."
    source = apa_source(record, page_url)
    authors = author_names(record, catalog)
    if not authors:
        return Citation(before="", title=title, after=f"{described}{closing} {date} {source}")
    author = end_sentence(join_apa_names(authors))
    return Citation(before=f"{author} {date} ", title=title, after=f"{described}{closing} {source}")


def join_apa_names(names: list[str]) -> str:
    """«A», «A y B», «A, B y C»; past 20 authors APA keeps 19, an ellipsis and the last."""
    if len(names) > APA_MAX_AUTHORS:
        return ", ".join(names[: APA_MAX_AUTHORS - 1]) + ", . . . " + names[-1]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " y " + names[-1]


def apa_date(record: Record) -> str:
    """«2022», «2022, marzo», «2022–2023» or «s. f.»."""
    years = record.years
    if not years:
        return NO_DATE
    if years[0] != years[-1]:
        # A month cannot belong to a span of several years, so it is left out.
        return f"{years[0]}{YEAR_RANGE_DASH}{years[-1]}"
    if record.mes:
        return f"{years[0]}, {SPANISH_MONTHS[record.mes - 1]}"
    return str(years[0])


def apa_title_suffix(record: Record, catalog: Catalog) -> str:
    """What follows the italic title: the numbered series, as APA does for report series
    («(Boletines jurisprudenciales n.º 3)»), then the medium («[Video]»)."""
    suffix = ""
    series = series_of(record, catalog)
    if series is not None and record.orden is not None:
        suffix += f" ({single_line(series.titulo)} {NUMBER_ABBREVIATION} {record.orden})"
    medium = medium_of(record, catalog)
    if medium:
        suffix += f" [{medium}]"
    return suffix


def apa_source(record: Record, page_url: str) -> str:
    """The platform, when known, and the URL (APA ends with the URL, without a period)."""
    url = resource_url(record, page_url)
    platform = platform_of(url)
    return f"{platform}. {url}" if platform else url


def end_sentence(text: str) -> str:
    return text if text.endswith(SENTENCE_END) else text + "."


# --- BibTeX --------------------------------------------------------------------------------


def bibtex(records: Iterable[Record], catalog: Catalog, url_of: Callable[[Record], str]) -> str:
    """A .bib file: one entry per record, separated by blank lines."""
    return "\n".join(bibtex_entry(record, catalog, url_of(record)) for record in records)


def bibtex_entry(record: Record, catalog: Catalog, page_url: str) -> str:
    kind = type_entry(record, catalog).bibtex
    fields = bibtex_fields(record, catalog, page_url)
    body = "".join(f"  {name} = {value},\n" for name, value in fields)
    return f"@{kind}{{{bibtex_key(record.id)},\n{body}}}\n"


def bibtex_fields(record: Record, catalog: Catalog, page_url: str) -> list[tuple[str, str]]:
    """(name, value) pairs, values already delimited and escaped."""
    # Double braces keep the title's capitals as published (BibTeX styles lowercase them).
    fields = [("title", "{" + braced(record.titulo) + "}")]
    authors = author_names(record, catalog)
    if authors:
        fields.append(("author", bibtex_name_list(authors)))
    if record.first_year is not None:
        fields.append(("year", braced(str(record.first_year))))
        if record.mes and len(set(record.years)) == 1:
            # The month macros (jan, feb...) work in BibTeX and biblatex alike.
            fields.append(("month", BIBTEX_MONTHS[record.mes - 1]))
    fields += bibtex_type_fields(record, catalog)
    fields.append(("url", "{" + bibtex_url(resource_url(record, page_url)) + "}"))
    fields.append(("language", braced(bibtex_language(record, catalog))))
    abstract = abstract_of(record, catalog)
    if abstract:
        fields.append(("abstract", braced(abstract)))
    fields.append(("keywords", braced(", ".join(keywords_of(record, catalog)))))
    return fields


def bibtex_type_fields(record: Record, catalog: Catalog) -> list[tuple[str, str]]:
    """The fields each entry type requires or uses (journal, institution, publisher...)."""
    kind = type_entry(record, catalog).bibtex.lower()
    series = series_of(record, catalog)
    number = [("number", braced(str(record.orden)))] if series and record.orden else []
    if kind == "article":
        # A bulletin issue: the series is the periodical; the type name stands in without one.
        journal = series.titulo if series else type_entry(record, catalog).nombre
        return [("journal", braced(journal)), *number]
    fields = [("series", braced(series.titulo))] if series else []
    fields += number
    # A report's issuing body, not an author: the institutions, else the catalog's editor.
    issuers = institution_names(record, catalog) or [catalog.info.editor]
    if kind in ("techreport", "report"):
        fields.append(("institution", bibtex_name_list(issuers)))
        # Replaces the «Technical Report» label with the catalog's own type name.
        fields.append(("type", braced(type_entry(record, catalog).nombre)))
    elif kind in ("book", "inbook", "mvbook"):
        fields.append(("publisher", bibtex_name_list([catalog.info.editor])))
    elif kind in ("misc", "booklet"):
        fields.append(("howpublished", braced(bibtex_howpublished(record, catalog))))
    return fields


def bibtex_howpublished(record: Record, catalog: Catalog) -> str:
    """The type name, with the platform when the resource lives on one: «Video, YouTube»."""
    name = type_entry(record, catalog).nombre
    platform = platform_of(record.enlaces[0].url) if record.enlaces else None
    return f"{name}, {platform}" if platform else name


def bibtex_key(record_id: str) -> str:
    """The record id, ASCII only; hyphens are kept since BibTeX and biblatex accept them."""
    ascii_id = unicodedata.normalize("NFKD", record_id).encode("ascii", "ignore").decode()
    return BIBTEX_KEY_UNSAFE.sub("-", ascii_id).strip("-") or "registro"


def bibtex_name_list(names: list[str]) -> str:
    """Organizations in braces, so BibTeX never splits them into first and last names."""
    return "{" + " and ".join("{" + latex_escape(name) + "}" for name in names) + "}"


def bibtex_language(record: Record, catalog: Catalog) -> str:
    known = BIBTEX_LANGUAGES.get(record.idioma)
    if known:
        return known
    entry = catalog.vocabularies.idiomas.get(record.idioma)
    return entry.nombre.lower() if entry else record.idioma


def bibtex_url(url: str) -> str:
    """URLs are read verbatim by biblatex, so only braces and backslashes are encoded."""
    return "".join(URL_BRACE_ESCAPES.get(ch, ch) for ch in url)


def braced(text: str) -> str:
    return "{" + latex_escape(text) + "}"


def latex_escape(text: str) -> str:
    """Escape LaTeX specials in one pass, so the backslashes added are not escaped again.
    Accented letters stay as UTF-8: biblatex with biber reads them as they are."""
    return LATEX_SPECIAL.sub(lambda match: LATEX_ESCAPES[match.group()], single_line(text))


# --- RIS -----------------------------------------------------------------------------------


def ris(records: Iterable[Record], catalog: Catalog, url_of: Callable[[Record], str]) -> str:
    """A .ris file: one reference per record, separated by blank lines."""
    return "\n".join(ris_entry(record, catalog, url_of(record)) for record in records)


def ris_entry(record: Record, catalog: Catalog, page_url: str) -> str:
    return "".join(f"{tag}  - {value}\n" for tag, value in ris_tags(record, catalog, page_url))


def ris_tags(record: Record, catalog: Catalog, page_url: str) -> list[tuple[str, str]]:
    tags = [("TY", type_entry(record, catalog).ris), ("TI", single_line(record.titulo))]
    tags += [("AU", name) for name in author_names(record, catalog)]
    if record.first_year is not None:
        tags.append(("PY", str(record.first_year)))
        if record.mes and len(set(record.years)) == 1:
            tags.append(("DA", f"{record.first_year}/{record.mes:02d}//"))
    series = series_of(record, catalog)
    if series is not None:
        # T2 is the journal of JOUR, the series of BOOK and RPRT in Zotero's RIS mapping.
        tags.append(("T2", single_line(series.titulo)))
        if record.orden is not None:
            tags.append(("IS", str(record.orden)))
    tags.append(("UR", resource_url(record, page_url)))
    abstract = abstract_of(record, catalog)
    if abstract:
        tags.append(("AB", abstract))
    tags.append(("LA", record.idioma))
    tags += [("KW", keyword) for keyword in keywords_of(record, catalog)]
    publisher = publisher_of(record, catalog)
    if publisher:
        tags.append(("PB", publisher))
    # The spec's end tag keeps its trailing space: «ER  - ».
    tags.append(("ER", ""))
    return tags


# --- CSL-JSON ------------------------------------------------------------------------------


def csl_json(
    records: Iterable[Record], catalog: Catalog, url_of: Callable[[Record], str]
) -> list[dict[str, Any]]:
    return [csl_item(record, catalog, url_of(record)) for record in records]


def csl_item(record: Record, catalog: Catalog, page_url: str) -> dict[str, Any]:
    """A CSL-JSON item, as Zotero and Pandoc (citeproc) read it."""
    kind = type_entry(record, catalog).csl
    item: dict[str, Any] = {"id": record.id, "type": kind, "title": single_line(record.titulo)}
    authors = author_names(record, catalog)
    if authors:
        item["author"] = [{"literal": name} for name in authors]
    issued = csl_issued(record)
    if issued:
        item["issued"] = issued
    medium = medium_of(record, catalog)
    if medium:
        item["medium"] = medium
    item["URL"] = resource_url(record, page_url)
    abstract = abstract_of(record, catalog)
    if abstract:
        item["abstract"] = abstract
    item["language"] = record.idioma
    publisher = publisher_of(record, catalog)
    if publisher:
        item["publisher"] = publisher
    item.update(csl_series(record, catalog, kind))
    return item


def csl_issued(record: Record) -> dict[str, Any] | None:
    """`[[2022, 3]]`, `[[2022]]`, or a range `[[2022], [2023]]` for several years."""
    years = record.years
    if not years:
        return None
    if years[0] != years[-1]:
        return {"date-parts": [[years[0]], [years[-1]]]}
    if record.mes:
        return {"date-parts": [[years[0], record.mes]]}
    return {"date-parts": [[years[0]]]}


def csl_series(record: Record, catalog: Catalog, kind: str) -> dict[str, Any]:
    series = series_of(record, catalog)
    if series is None:
        return {}
    fields: dict[str, Any] = {"collection-title": single_line(series.titulo)}
    if record.orden is not None:
        fields["collection-number"] = record.orden
    if kind.startswith("article"):
        # Styles render an article's periodical from container-title, not collection-title.
        fields["container-title"] = fields["collection-title"]
        if record.orden is not None:
            fields["issue"] = record.orden
    return fields
