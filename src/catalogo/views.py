"""Derived views of a catalog, computed once per build: the lists every browse page shows
(in one reading order), related records, series windows, and links as readers see them.

Nothing here renders or writes: the page functions in render.py read these views.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from catalogo.linksummary import summarize_link
from catalogo.models import Catalog, Record, audience_members
from catalogo.video import embed_url, youtube_id, youtube_start

RELATED_LIMIT = 6
POOL_PER_BUCKET = 40
SERIES_LISTED_WHOLE = 12  # the longest series of the real catalog (the radio spots)
SERIES_NEIGHBOURS = 5  # shown on each side of a record in a longer series

ListKey = tuple[int, str, str, int, str, str]


@dataclass
class SiteIndex:
    """The catalog seen from every angle a page needs. Derived once per build."""

    by_section: dict[str, list[Record]] = field(default_factory=dict)
    by_type: dict[str, list[Record]] = field(default_factory=dict)
    # Records whose `publico` names the audience, and, for an audience that another one
    # includes (jueces in operadores-justicia), the other's records not already listed.
    by_audience: dict[str, list[Record]] = field(default_factory=dict)
    audience_shared: dict[str, list[tuple[str, list[Record]]]] = field(default_factory=dict)
    audience_members: dict[str, list[str]] = field(default_factory=dict)  # umbrella -> members
    by_year: dict[int, list[Record]] = field(default_factory=dict)
    by_series: dict[str, list[Record]] = field(default_factory=dict)
    series_position: dict[str, int] = field(default_factory=dict)  # record id -> its place
    without_year: list[Record] = field(default_factory=list)
    referrers: dict[str, list[str]] = field(default_factory=dict)

    def audience_count(self, key: str) -> int:
        """Everything an audience's page lists: its own records and the shared ones."""
        own = len(self.by_audience.get(key, []))
        return own + sum(len(records) for _, records in self.audience_shared.get(key, []))

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
    index = SiteIndex()
    sections: dict[str, list[Record]] = {key: [] for key in catalog.sections}
    types: dict[str, list[Record]] = defaultdict(list)
    audiences: dict[str, list[Record]] = defaultdict(list)
    years: dict[int, list[Record]] = defaultdict(list)
    series: dict[str, list[Record]] = defaultdict(list)
    referrers: dict[str, list[str]] = defaultdict(list)
    # Every list is filled in reading order: one sort of the whole catalog instead of one
    # per list (40 sorts cost 80 ms at 10,000 records).
    for record in sorted(catalog.records, key=list_order(catalog)):
        sections[record.seccion].append(record)
        types[record.tipo].append(record)
        for audience in record.publico:
            audiences[audience].append(record)
        for year in record.years:
            years[year].append(record)
        if not record.years:
            index.without_year.append(record)
        if record.serie:
            series[record.serie].append(record)
    for record in catalog.records:  # in catalog order, as before
        for other in record.relacionados:
            referrers[other].append(record.id)
    vocab = catalog.vocabularies
    index.by_section = sections
    index.by_type = {key: types[key] for key in vocab.tipos if types.get(key)}
    index_audiences(index, catalog, audiences)
    index.by_year = {year: years[year] for year in sorted(years, reverse=True)}
    index.by_series = {
        key: in_series_order(series[key]) for key in catalog.series if series.get(key)
    }
    index.series_position = {
        record.id: position
        for members in index.by_series.values()
        for position, record in enumerate(members)
    }
    index.referrers = dict(referrers)
    return index


def index_audiences(
    index: SiteIndex, catalog: Catalog, audiences: dict[str, list[Record]]
) -> None:
    """Each audience's own records, and what it shares with the audiences including it."""
    vocab = catalog.vocabularies.publicos
    index.audience_members = {
        key: [member for member in vocab if member in audience_members(vocab, key)]
        for key in vocab
        if vocab[key].incluye
    }
    for key in vocab:
        own = audiences.get(key, [])
        listed = {record.id for record in own}
        shared: list[tuple[str, list[Record]]] = []
        for umbrella, members in index.audience_members.items():
            if key not in members:
                continue
            extra = [record for record in audiences.get(umbrella, []) if record.id not in listed]
            listed.update(record.id for record in extra)
            if extra:
                shared.append((umbrella, extra))
        if own or shared:
            index.by_audience[key] = own
            index.audience_shared[key] = shared


def relate_records(catalog: Catalog, index: SiteIndex) -> dict[str, list[Record]]:
    """Related records of every record, computed once per build.

    Explicit relations come first, in both directions. The rest are the closest records by
    shared audiences (3 points each), same type (2) and same section (1), newest first on
    ties; never the record itself nor the other items of its series (shown apart).
    Candidates come from the newest POOL_PER_BUCKET records of each audience and of the
    type, and records with the same audiences, type and section share one ranking, so this
    stays near-linear: the exact all-pairs ranking took 197 s for 10,000 records.
    """
    by_id = {record.id: record for record in catalog.records}
    audiences = {key: records[:POOL_PER_BUCKET] for key, records in index.by_audience.items()}
    types = {key: records[:POOL_PER_BUCKET] for key, records in index.by_type.items()}
    rankings: dict[tuple[frozenset[str], str, str], list[Record]] = {}
    related: dict[str, list[Record]] = {}
    for record in catalog.records:
        audience_set = frozenset(record.publico)
        signature = (audience_set, record.tipo, record.seccion)
        ranking = rankings.get(signature)
        if ranking is None:
            pool: dict[str, Record] = {}
            for key in sorted(audience_set):
                pool.update((other.id, other) for other in audiences.get(key, []))
            pool.update((other.id, other) for other in types.get(record.tipo, []))

            def score(
                other: Record, signature: tuple[frozenset[str], str, str] = signature
            ) -> tuple[int, int, str]:
                shared = len(signature[0].intersection(other.publico))
                value = (
                    3 * shared + 2 * (other.tipo == signature[1]) + (other.seccion == signature[2])
                )
                return (-value, -(other.first_year or 0), other.id)

            ranking = sorted(pool.values(), key=score)
            rankings[signature] = ranking
        chosen: list[str] = []
        for other_id in [*record.relacionados, *index.referrers.get(record.id, [])]:
            if other_id not in chosen and other_id != record.id and other_id in by_id:
                chosen.append(other_id)
        excluded = {r.id for r in index.by_series.get(record.serie or "", [])}
        excluded.add(record.id)
        for other in ranking:
            if len(chosen) >= RELATED_LIMIT:
                break
            if other.id not in excluded and other.id not in chosen:
                chosen.append(other.id)
        related[record.id] = [by_id[other_id] for other_id in chosen[:RELATED_LIMIT]]
    return related


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
