"""Derived views of a catalog, computed once per build: the lists every page shows (in one
reading order), the records of each value of a vocabulary, related records, series windows,
and links as readers see them.

Nothing here renders or writes: the page functions in pages.py read these views.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial

from catalogo.catalog import Catalog, audience_members
from catalogo.incremental import Memo
from catalogo.linksummary import summarize_link
from catalogo.models import Record
from catalogo.video import embed_url, youtube_id, youtube_start

RELATED_LIMIT = 6
POOL_PER_BUCKET = 40
SERIES_LISTED_WHOLE = 12  # the longest series of the real catalog (the radio spots)
SERIES_NEIGHBOURS = 5  # shown on each side of a record in a longer series

ListKey = tuple[int, str, str, int, str, str]
Value = str | int  # a vocabulary id, or a year
Shared = list[tuple[str, list[Record]]]  # (umbrella audience, its records listed here too)

# The values a record has in each vocabulary that can have browse pages (_explorar.yaml).
FACETS: dict[str, Callable[[Record], Iterable[Value]]] = {
    "tipos": lambda record: (record.tipo,),
    "publicos": lambda record: record.publico,
    "instituciones": lambda record: record.instituciones,
    "idiomas": lambda record: (record.idioma,),
    "anios": lambda record: record.years,
    "series": lambda record: (record.serie,) if record.serie else (),
}


@dataclass
class Facet:
    """The records of each value of one vocabulary, in reading order (a series' records in
    the series' order), only for values that have records; `missing` lists the records
    without any value (the records whose year the source does not give)."""

    values: dict[Value, list[Record]] = field(default_factory=dict)
    # An audience that another one includes (jueces in operadores-justicia) also lists the
    # other's records, apart: its page says so.
    shared: dict[Value, Shared] = field(default_factory=dict)
    missing: list[Record] = field(default_factory=list)

    def count(self, value: Value) -> int:
        """Every record the value's page lists: its own and the shared ones."""
        own = len(self.values.get(value, []))
        return own + sum(len(records) for _, records in self.shared.get(value, []))


@dataclass
class SiteIndex:
    """The catalog seen from every angle a page needs. Derived once per build."""

    by_section: dict[str, list[Record]] = field(default_factory=dict)
    facets: dict[str, Facet] = field(default_factory=dict)
    audience_members: dict[str, list[str]] = field(default_factory=dict)  # umbrella -> members
    series_position: dict[str, int] = field(default_factory=dict)  # record id -> its place
    referrers: dict[str, list[str]] = field(default_factory=dict)

    @property
    def by_type(self) -> dict[Value, list[Record]]:
        return self.facets["tipos"].values

    @property
    def by_audience(self) -> dict[Value, list[Record]]:
        return self.facets["publicos"].values

    @property
    def by_series(self) -> dict[Value, list[Record]]:
        return self.facets["series"].values

    def audience_count(self, key: str) -> int:
        return self.facets["publicos"].count(key)

    def implied_audiences(self, record: Record) -> list[str]:
        """The audiences a record reaches through an umbrella it names, beyond its own:
        a record for operadores-justicia is also listed on the page of jueces."""
        implied: list[str] = []
        for key in record.publico:
            for member in self.audience_members.get(key, []):
                if member not in record.publico and member not in implied:
                    implied.append(member)
        return implied


def list_order(catalog: Catalog) -> Callable[[Record], ListKey]:
    """The order of every list of records: newest first, except that the members of a
    series stay together, in their series order, where the newest of them would go
    (bulletins 1 to 6, never 5, 6, 1, 2, 3, 4)."""
    newest: dict[str, int] = {}
    for record in catalog.records:
        if record.serie:
            newest[record.serie] = max(newest.get(record.serie, 0), record.first_year or 0)

    def key(record: Record) -> ListKey:
        if record.serie:
            series = catalog.series.get(record.serie)
            name = series.titulo.casefold() if series else record.serie
            position = record.orden or 0
            return (-newest[record.serie], name, record.serie, position, "", record.id)
        title = record.titulo.casefold()
        return (-(record.first_year or 0), title, record.id, 0, "", record.id)

    return key


def in_series_order(records: Iterable[Record]) -> list[Record]:
    return sorted(records, key=lambda r: (r.orden or 0, r.titulo.casefold(), r.id))


def index_catalog(catalog: Catalog) -> SiteIndex:
    """Every list, filled in reading order: one sort of the whole catalog instead of one per
    list (40 sorts cost 80 ms at 10,000 records)."""
    reading = sorted(catalog.records, key=list_order(catalog))
    sections: dict[str, list[Record]] = {key: [] for key in catalog.sections}
    for record in reading:
        sections[record.seccion].append(record)
    referrers: dict[str, list[str]] = defaultdict(list)
    for record in catalog.records:  # in catalog order
        for other in record.relacionados:
            referrers[other].append(record.id)
    facets = {name: group_values(reading, values) for name, values in FACETS.items()}
    for name, facet in facets.items():
        facet.values = order_values(name, facet.values, catalog)
    index = SiteIndex(by_section=sections, facets=facets, referrers=dict(referrers))
    index_audiences(index, catalog)
    index.series_position = {
        record.id: position
        for members in index.by_series.values()
        for position, record in enumerate(members)
    }
    return index


def order_values(
    name: str, values: dict[Value, list[Record]], catalog: Catalog
) -> dict[Value, list[Record]]:
    """A vocabulary's values in the vocabulary's order; years newest first; a series' own
    records in the series' order."""
    if name == "anios":
        return {year: values[year] for year in sorted(values, key=int, reverse=True)}
    vocab = catalog.vocabularies
    orders: dict[str, Mapping[str, object]] = {
        "tipos": vocab.tipos,
        "publicos": vocab.publicos,
        "instituciones": vocab.instituciones,
        "idiomas": vocab.idiomas,
        "series": catalog.series,
    }
    ordered: dict[Value, list[Record]] = {key: values[key] for key in orders[name] if key in values}
    if name == "series":
        return {key: in_series_order(records) for key, records in ordered.items()}
    return ordered


def group_values(
    records: Iterable[Record], values_of: Callable[[Record], Iterable[Value]]
) -> Facet:
    facet = Facet(values=defaultdict(list))
    for record in records:
        values = values_of(record)
        for value in values:
            facet.values[value].append(record)
        if not values:
            facet.missing.append(record)
    facet.values = dict(facet.values)
    return facet


def index_audiences(index: SiteIndex, catalog: Catalog) -> None:
    """Each audience's own records, and what it shares with the audiences including it."""
    vocab = catalog.vocabularies.publicos
    facet = index.facets["publicos"]
    own_records = facet.values
    index.audience_members = {
        key: [member for member in vocab if member in audience_members(vocab, key)]
        for key in vocab
        if vocab[key].incluye
    }
    values: dict[Value, list[Record]] = {}
    for key in vocab:
        own = own_records.get(key, [])
        listed = {record.id for record in own}
        shared: Shared = []
        for umbrella, members in index.audience_members.items():
            if key not in members:
                continue
            extra = [r for r in own_records.get(umbrella, []) if r.id not in listed]
            listed.update(record.id for record in extra)
            if extra:
                shared.append((umbrella, extra))
        if own or shared:
            values[key] = own
            facet.shared[key] = shared
    facet.values = values


def relate_records(catalog: Catalog, index: SiteIndex, pools: Pools) -> dict[str, list[Record]]:
    """Related records of every record, computed once per build.

    Explicit relations come first, in both directions. The rest are the closest records by
    shared audiences (3 points each), same type (2) and same section (1), newest first on
    ties; never the record itself nor the other items of its series (shown apart).
    Candidates come from the newest POOL_PER_BUCKET records of each audience and of the
    type, and records with the same audiences, type and section share one ranking, so this
    stays near-linear: the exact all-pairs ranking took 197 s for 10,000 records.
    """
    by_id = {record.id: record for record in catalog.records}
    related: dict[str, list[Record]] = {}
    for record in catalog.records:
        chosen: list[str] = []
        for other_id in [*record.relacionados, *index.referrers.get(record.id, [])]:
            if other_id not in chosen and other_id != record.id and other_id in by_id:
                chosen.append(other_id)
        excluded = {r.id for r in index.by_series.get(record.serie or "", [])}
        excluded.add(record.id)
        for other in pools.ranking(record):
            if len(chosen) >= RELATED_LIMIT:
                break
            if other.id not in excluded and other.id not in chosen:
                chosen.append(other.id)
        related[record.id] = [by_id[other_id] for other_id in chosen[:RELATED_LIMIT]]
    return related


Signature = tuple[frozenset[str], str, str]


@dataclass
class Pools:
    """The candidates for related records, ranked once per (audiences, type, section)."""

    audiences: Mapping[Value, list[Record]]
    types: Mapping[Value, list[Record]]
    rankings: dict[Signature, list[Record]] = field(default_factory=dict)

    @classmethod
    def of(cls, index: SiteIndex) -> Pools:
        """The newest POOL_PER_BUCKET records of each audience and of each type."""
        return cls(
            {key: records[:POOL_PER_BUCKET] for key, records in index.by_audience.items()},
            {key: records[:POOL_PER_BUCKET] for key, records in index.by_type.items()},
        )

    def members(self) -> tuple[object, ...]:
        return tuple(
            (name, key, tuple(record.id for record in records))
            for name, buckets in (("publicos", self.audiences), ("tipos", self.types))
            for key, records in buckets.items()
        )

    def ranking(self, record: Record) -> list[Record]:
        signature = (frozenset(record.publico), record.tipo, record.seccion)
        ranking = self.rankings.get(signature)
        if ranking is None:
            pool: dict[str, Record] = {}
            for key in sorted(signature[0]):
                pool.update((other.id, other) for other in self.audiences.get(key, []))
            pool.update((other.id, other) for other in self.types.get(record.tipo, []))

            def score(other: Record) -> tuple[int, int, str]:
                shared = len(signature[0].intersection(other.publico))
                value = (
                    3 * shared + 2 * (other.tipo == signature[1]) + (other.seccion == signature[2])
                )
                return (-value, -(other.first_year or 0), other.id)

            ranking = self.rankings[signature] = sorted(pool.values(), key=score)
        return ranking


def series_window(siblings: list[Record], position: int) -> tuple[list[Record], int]:
    """The members of a series the page of its member at `position` lists, and the number
    of the first one.

    A series of up to SERIES_LISTED_WHOLE records is listed whole (every series of the
    real catalog); a longer one lists the records around this one and links to the series
    page, so a page in a series of 300 stays light on a phone, and an edit re-renders the
    pages of its neighbours, not those of the whole series."""
    if len(siblings) <= SERIES_LISTED_WHOLE:
        return siblings, 1
    size = 2 * SERIES_NEIGHBOURS + 1
    start = min(max(position - SERIES_NEIGHBOURS, 0), len(siblings) - size)
    return siblings[start : start + size], start + 1


@dataclass(frozen=True)
class LinkView:
    """A link as the reader sees it: the button, what it opens and where, its size when
    known, and whether it is a YouTube video (shown behind a facade)."""

    url: str
    label: str | None  # the button text; None when neither the link nor its format has one
    what: str | None  # «PDF», «Aula virtual»...
    size: str | None  # «2,3 MB», from catalog/_enlaces.yaml only
    where: str  # the host
    video_id: str | None
    embed: str | None
    lang: str | None


def link_views(record: Record, catalog: Catalog) -> list[LinkView]:
    formats = catalog.vocabularies.formatos
    views = []
    for link in record.enlaces:
        entry = formats.get(link.formato) if link.formato else None
        summary = summarize_link(link, catalog.link_facts.get(link.url), formats)
        video = youtube_id(link.url)
        views.append(
            LinkView(
                url=link.url,
                label=link.etiqueta or (entry.etiqueta if entry is not None else None),
                what=summary.what,
                size=summary.size,
                where=summary.where,
                video_id=video,
                embed=embed_url(video, youtube_start(link.url)) if video else None,
                lang=link.idioma,
            )
        )
    return views


@dataclass(frozen=True)
class Views:
    """Everything pages read besides the catalog itself: the lists and related records."""

    index: SiteIndex
    related: dict[str, list[Record]]


RelatedIds = dict[str, list[str]]


def make_views(catalog: Catalog, memo: Memo) -> Views:
    """The views of one build. The related records are computed again only when what they
    are made of changed: each record's audiences, type, section, year, explicit relations
    and series, and which records are the newest of each audience and type (an edited
    description, or a title, seldom changes any of it)."""
    index = index_catalog(catalog)
    pools = Pools.of(index)
    if not memo.enabled:  # a one-off build: nothing to compare with, nothing to keep
        return Views(index, relate_records(catalog, index, pools))
    facts = tuple(
        memo.piece("relation-facts", (record.fingerprint,), partial(relation_facts, record))
        for record in catalog.records
    )
    key = (facts, pools.members())

    def related_ids() -> RelatedIds:
        related = relate_records(catalog, index, pools)
        return {key: [record.id for record in records] for key, records in related.items()}

    by_id = {record.id: record for record in catalog.records}
    ids = memo.value("related", key, related_ids)
    return Views(index, {key: [by_id[other] for other in others] for key, others in ids.items()})


def relation_facts(record: Record) -> tuple[object, ...]:
    """What relate_records reads of each record, besides the pools."""
    return (
        record.id,
        tuple(record.publico),
        record.tipo,
        record.seccion,
        record.first_year,
        tuple(record.relacionados),
        record.serie,
    )
