"""Run the site map: render each entry's files and write them straight into the stage, one
at a time, so the site is never held in memory.

The site map (pages.py) is a list of Entry rows: the files a row makes, the page function
that makes them and its arguments, and what they depend on. A page function reads the Site,
the same for every page of a build.

An entry whose key (the site's key and what the entry depends on) is the one the memo
knows is not rendered: the stage keeps its files, or links them from the published site.
A one-off build renders its entries across the machine's cores: this process and forked
workers (workers.py), which inherit the site, take pieces of the table, each the next
piece whenever it is free (pieces_of); each writes its files, and a worker answers with
their digests. Entries that share work (a record's exports: its citation files and the
open data) are one piece. Every process shows records it does not render (in lists,
related records): the catalog's Markdown is converted across the cores first, while the
site is prepared (converting_meanwhile), so that none converts every description again.
With few entries, or where fork is not available, or for serve (whose memo must see every
file made), one process renders them all.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jinja2

from catalogo import markup
from catalogo.catalog import Catalog, SiteSettings
from catalogo.digests import digest_text
from catalogo.environment import raised_in_template, template_problem, templates_folder
from catalogo.incremental import Key, Memo
from catalogo.output import OutputError, Stage, WriteReport, cannot_write
from catalogo.problems import CatalogError
from catalogo.urls import SiteUrls
from catalogo.views import Views
from catalogo.workers import MAX_PIECES, Pulled, available_cores, can_fork, run_pulled, runs

if TYPE_CHECKING:
    from catalogo.pdf import PrintLink

POOL_MIN = 1000  # entries to render: below it, forking and gathering cost more than they save
RUN = 100  # entries a worker takes at a time, of a page function used this often or more
Made = tuple[str, Key, str]  # a file made: its path, its key, its digest
EntryBytes = bytes | tuple[bytes, ...]  # one file's bytes, or one per path of the entry


@dataclass(frozen=True)
class Site:
    """Everything a page function reads: the same for every page of one build."""

    catalog: Catalog
    views: Views
    env: jinja2.Environment
    settings: SiteSettings
    urls: SiteUrls
    key: str  # everything every page depends on: templates, settings, vocabularies, addresses
    memo: Memo
    print_files: bool = False  # each record page gets a QR code for printing
    search_parts: tuple[str, ...] = ()  # search bundles merged into pagefind/ (search.py)
    print_link: PrintLink | None = None  # catalogo.pdf once made: home, data, offline pages

    @property
    def catalog_key(self) -> str:
        """Changes whenever any record does: for the pages that show the whole catalog."""
        return digest_text("".join(record.fingerprint for record in self.catalog.records))


@dataclass(frozen=True)
class Entry:
    paths: tuple[str, ...]  # the files it makes, relative to the site
    make: Callable[..., EntryBytes]  # make(site, *args)
    args: tuple[Any, ...] = ()
    depends: tuple[object, ...] = ()  # what its files are made of, besides the site's key
    later: bool = False  # serve may publish it after the pages (catalog-wide files)
    after_print: bool = False  # shows the printable catalog's link: made once the PDF is
    together: str = ""  # entries that share work, rendered in one process (render_all)


def render_entries(site: Site, entries: list[Entry], stage: Stage) -> dict[str, str]:
    """Every file of `entries` in the stage; their digests by path."""
    files: dict[str, str] = {}
    todo: list[tuple[Entry, Key]] = []
    for entry in entries:
        key = entry_key(site, entry)
        reused = reuse(site, entry, key, stage)
        if reused is None:
            todo.append((entry, key))
        else:
            files.update(reused)
    made = render_all(site, todo, stage)
    for path, key, file_digest in made:
        site.memo.remember(path, key, file_digest)
        files[path] = file_digest
    site.memo.rendered += len(made)
    return files


def entry_key(site: Site, entry: Entry) -> Key:
    key: Key = (site.key, *entry.depends)
    return (*key, repr(site.print_link)) if entry.after_print else key


def reuse(site: Site, entry: Entry, key: Key, stage: Stage) -> dict[str, str] | None:
    """The entry's files without rendering them, when the memo knows their bytes and the
    stage or the published site holds them; while serve publishes an edit first, the files
    of a `later` entry as the last build made them."""
    memo = site.memo
    known = {path: memo.known(path, key) for path in entry.paths}
    stale = False
    if entry.later and None in known.values():
        known = {path: memo.kept_while_deferring(path) for path in entry.paths}
        stale = True
    if None in known.values():
        return None
    digests = {path: file_digest for path, file_digest in known.items() if file_digest}
    if not all(stage.reuse(path, file_digest) for path, file_digest in digests.items()):
        return None
    if stale:
        memo.stale.update(entry.paths)
    return digests


def render_all(site: Site, todo: list[tuple[Entry, Key]], stage: Stage) -> list[Made]:
    shares = min(available_cores(), len(todo) // (POOL_MIN // 2))
    if shares < 2 or not can_fork() or site.memo.enabled:
        made, report = render_share(site, todo, stage)
        stage.report.add(report)
        return made
    pieces = pieces_of(todo)
    answers = run_pulled(
        lambda piece: render_share(site, pieces[piece], stage), len(pieces), shares
    )
    made = []
    for piece_made, report in answers:
        made += piece_made
        stage.report.add(report)
    return made


def pieces_of(todo: list[tuple[Entry, Key]]) -> list[list[tuple[Entry, Key]]]:
    """The entries in the pieces workers take, whichever is free first (workers.run_pulled):
    each group of entries that share work (Entry.together) whole, so that one process does
    it once; then the entries of page functions used only a few times, one by one (pages
    of the whole catalog: they cost the most, and are not left for the end); then the rest
    (a page per record) in runs."""
    groups: dict[str, list[tuple[Entry, Key]]] = {}
    rest: list[tuple[Entry, Key]] = []
    for item in todo:
        if item[0].together:
            groups.setdefault(item[0].together, []).append(item)
        else:
            rest.append(item)
    uses = Counter(entry.make for entry, _ in rest)
    few = [item for item in rest if uses[item[0].make] < RUN]
    many = [item for item in rest if uses[item[0].make] >= RUN]
    pieces = [*groups.values(), *runs(few, min(len(few), MAX_PIECES // 2))]
    return pieces + runs(many, min(len(many) // RUN, MAX_PIECES - len(pieces)))


@contextlib.contextmanager
def converting_meanwhile(texts: list[str], memo: Memo) -> Iterator[None]:
    """Convert the catalog's Markdown `texts` in workers while this process goes on (it
    checks the catalog and prepares the site), and learn their conversions at the end of
    the block, into the build's (markup.kept_in); on an error in the block, stop them.
    Every worker that renders pages would otherwise convert nearly every description,
    which it shows in lists, related records or the open data (1.6 s of CPU each at
    10,000 records). Not for serve, which renders in
    one process (render_all)."""
    conversions = markup.CURRENT.get()
    todo = sorted(set(texts) - conversions.html.keys()) if conversions is not None else []
    cores = available_cores()
    if conversions is None or len(todo) < POOL_MIN or cores < 2 or not can_fork() or memo.enabled:
        yield
        return
    pieces = runs(todo, min(len(todo) // 50, MAX_PIECES))
    convert = conversions.convert
    # Workers start now; this process takes what they left at the end of the block.
    converting = Pulled(
        lambda piece: {text: convert(text) for text in pieces[piece]}, len(pieces), cores - 1
    )
    try:
        yield
    except BaseException:
        converting.cancel()
        raise
    for converted in converting.finish():
        conversions.learn(converted)


def render_share(
    site: Site, todo: list[tuple[Entry, Key]], stage: Stage
) -> tuple[list[Made], WriteReport]:
    """Render and write some entries; what was made, and what writing it took."""
    share = dataclasses.replace(stage, report=WriteReport())
    made: list[Made] = []
    for entry, key in todo:
        for path, data in zip(entry.paths, render_entry(site, entry), strict=True):
            try:
                made.append((path, key, share.put(path, data)))
            except OSError as error:
                raise OutputError(cannot_write(stage.out_dir, error)) from error
    return made, share.report


def render_entry(site: Site, entry: Entry) -> tuple[bytes, ...]:
    """The entry's bytes, one per path; a mistake in a template is the editor's problem,
    told with the template's file and line."""
    try:
        made = entry.make(site, *entry.args)
    except (jinja2.TemplateError, TypeError, AttributeError) as error:
        if isinstance(error, jinja2.TemplateError) or raised_in_template(error):
            raise CatalogError([template_problem(error, templates_folder(site.env))]) from error
        raise
    return (made,) if isinstance(made, bytes) else made
