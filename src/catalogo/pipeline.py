"""Build the site: read the files -> check them across files and prepare (while workers
convert the Markdown) -> render into the stage (the PDF beside it) -> index -> offline
files -> publish (swap).

    report = build_site(options)

reads like the recipe it is. Any problem in the catalog, the settings or the templates'
syntax raises CatalogError before a single file is written; anything that fails later
(a template that breaks on some record, a full disk) leaves the published site as it was.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import ParamSpec, TypeVar

from catalogo.blocks import BLOCKS_FROM, block_reads, remember_blocks
from catalogo.catalog import Catalog, SiteSettings
from catalogo.digests import digest, digest_text
from catalogo.environment import compile_templates, site_environment
from catalogo.incremental import Memo
from catalogo.loader import CatalogRead, check_catalog, read_catalog
from catalogo.lock import output_lock
from catalogo.markup import kept_in
from catalogo.offline import add_offline_files
from catalogo.output import (
    Manifest,
    OutputError,
    Stage,
    WriteReport,
    cannot_write,
    open_stage,
    publish,
    recover_interrupted,
    stage_static,
)
from catalogo.pages import site_map
from catalogo.pdf import PDF_FILE
from catalogo.printing import Printing, cancel_printing, finish_printing, start_printing
from catalogo.problems import CatalogError, Problem, display_path
from catalogo.render import Entry, Site, converting_meanwhile, render_entries
from catalogo.search import (
    PART_PAGES,
    SearchIndex,
    SearchIndexError,
    drop_index,
    part_folders,
    update_index,
)
from catalogo.settings import load_settings, site_urls, with_repository
from catalogo.urls import SEARCH_INDEX, SiteUrls
from catalogo.views import make_views

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class BuildOptions:
    catalog_dir: Path
    out_dir: Path
    templates_dir: Path
    static_dir: Path
    settings_file: Path | None = None
    base_url: str | None = None
    site_url: str | None = None
    search: bool = True
    search_part_pages: int = PART_PAGES  # record pages per search bundle (search.py)
    pdf: bool = False  # the print files: catalogo.pdf and each record page's QR code
    repository: str | None = None  # GitHub owner/name for the browser editor (site.yaml's)
    drafts: bool = False  # records marked `borrador: true` are shown (the preview does)
    offline: bool = True  # the worker for offline reading; False: one that removes itself
    page_globals: Mapping[str, object] = field(default_factory=dict)  # e.g. serve's overlay


@dataclass
class BuildReport:
    records: int
    pages: int
    files: int
    seconds: float
    written: WriteReport
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    search_pages: int | None = None  # pages Pagefind indexed; None when an index was reused
    drafts: int = 0  # records left out of a published build (borrador: true)
    notices: list[str] = field(default_factory=list)  # for the person building, e.g. no PDF
    stale: bool = False  # something waits for serve's follow-up build (incremental.py)
    rendered: int = 0  # files rendered (the others were unchanged: incremental.py)


class Clock:
    """The time of each step, for the report (and for whoever listens: benchmarks)."""

    def __init__(self, on_step: Callable[[str, float], None] | None) -> None:
        self.started = time.perf_counter()
        self.timings: dict[str, float] = {}
        self.on_step = on_step

    def time(self, name: str, step: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        started = time.perf_counter()
        result = step(*args, **kwargs)
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started
        if self.on_step is not None:
            self.on_step(name, self.timings[name])
        return result


def build_site(
    options: BuildOptions,
    memo: Memo | None = None,
    on_step: Callable[[str, float], None] | None = None,
    on_wait: Callable[[Path], None] | None = None,
) -> BuildReport:
    """Build the whole site or raise CatalogError. Builds into the same output folder take
    turns (lock.py); `on_wait` hears of a wait. `memo` is serve's (incremental.py)."""
    memo = memo if memo is not None else Memo(enabled=False)
    clock = Clock(on_step)
    with paused_collector(), output_lock(options.out_dir, on_wait), kept_in(memo.conversions):
        # A build killed between the two renames of a swap left the site aside: put it back
        # first, so even a build that fails below leaves the published site in place.
        recover_interrupted(options.out_dir)
        read = clock.time("leer", read_catalog, options.catalog_dir, memo.load_cache())
        with converting_meanwhile(read.texts(), memo):  # the Markdown, in workers meanwhile
            catalog, warnings = clock.time("comprobar", check, read)
            del read  # its parsed documents, a third of the memory at 10,000 records
            site = clock.time("preparar", prepare_site, catalog, options, memo)
            table = site_map(site)
            stage = open_stage_or_report(options)
        printing = None
        try:
            printing = start_print_step(site, stage, options)
            files = clock.time("generar", render_entries, site, before_print(table), stage)
            site = clock.time("imprimir", finish_print_step, site, printing, stage)
            files |= printed_files(printing)
            files |= render_entries(site, after_print(table), stage)
            files |= stage_static(stage, options.static_dir)
            search = clock.time("indexar", index_step, stage, files, options, memo)
            files |= clock.time("sin conexión", offline_step, stage, files, site, options)
            clock.time("publicar", publish, stage, Manifest(files, made_from(search, printing)))
        except BaseException as error:
            cancel_printing(printing)
            stage.discard()
            if isinstance(error, OutputError | SearchIndexError):
                raise output_problem(options, error) from error
            raise
    memo.finish(set(files), {record.fingerprint for record in site.catalog.records})
    return build_report(clock, site, files, stage, search, printing, warnings, catalog)


@contextlib.contextmanager
def paused_collector() -> Iterator[None]:
    """No cyclic garbage collection during a build: a build makes millions of objects that
    live until it ends (the catalog, its views; serve's memo between rebuilds) and leaves
    next to no cycles, so the collector only walked them again and again (0.7 s of the
    load and 0.4 s of the offline list at 10,000 records; a quarter of a serve rebuild).
    Peak memory is the same. serve collects between edits (serve.tidy_memory).

    At the end, what the build made is handed to the oldest generation (freeze, then
    unfreeze): left in the youngest, the first collection after the build walked all of
    it (0.2 s at 10,000 records)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


def check(read: CatalogRead) -> tuple[Catalog, list[Problem]]:
    """The catalog and its warnings, checked across files. The parsed documents (with the
    line of every key) are let go: pages never need them."""
    loaded = check_catalog(read)
    return loaded.catalog, loaded.warnings


def prepare_site(catalog: Catalog, options: BuildOptions, memo: Memo) -> Site:
    """The catalog readers see, its views and the Jinja environment: everything a page
    function reads. Every template is compiled here, so a syntax error stops the build
    before anything is written."""
    catalog = catalog if options.drafts else published_catalog(catalog)
    settings = with_repository(load_settings(options.settings_file), options.repository)
    urls = site_urls(settings, options.base_url, options.site_url)
    if not options.templates_dir.is_dir():
        folder = display_path(options.templates_dir)
        raise CatalogError([Problem(folder, None, "", "no existe la carpeta de plantillas")])
    key = site_key(catalog, settings, urls, options)
    memo.begin(key)
    views = make_views(catalog, memo)
    extra = {"print_qr": options.pdf, **options.page_globals}
    bytecode = memo.bytecode if memo.enabled else None
    items = memo.piece_store("item")
    env = site_environment(options.templates_dir, catalog, views, urls, items, bytecode, extra)
    names = compile_templates(env)
    if len(catalog.records) >= BLOCKS_FROM:
        # Each block's output is kept for the values it reads (blocks.py); what it reads is
        # told by the templates, so serve tells it again only when they change.
        reads = memo.value("bloques", (key,), lambda: block_reads(env, names))
        remember_blocks(env, names, reads)
    parts = part_folders(len(catalog.records), options.search_part_pages) if options.search else []
    return Site(catalog, views, env, settings, urls, key, memo, options.pdf, tuple(parts))


def published_catalog(catalog: Catalog) -> Catalog:
    """The catalog a reader sees: without drafts (borrador: true), and without links to them
    in `relacionados` (validate warns about those). Filtered once, before rendering, so
    every page, the exports, the feed, the sitemap and the search index follow."""
    drafts = {record.id for record in catalog.records if record.borrador}
    if not drafts:
        return catalog
    records = tuple(
        record
        if not drafts.intersection(record.relacionados)
        else record.model_copy(
            update={"relacionados": [r for r in record.relacionados if r not in drafts]}
        )
        for record in catalog.records
        if not record.borrador
    )
    return dataclasses.replace(catalog, records=records)


def site_key(
    catalog: Catalog, settings: SiteSettings, urls: SiteUrls, options: BuildOptions
) -> str:
    """Everything every page depends on besides its records: the templates, the catalog's
    settings and vocabularies, what `links` found, the addresses and the build's options."""
    parts = [repr(urls), settings.model_dump_json(), catalog.info.model_dump_json()]
    parts.append(repr((options.pdf, sorted(options.page_globals.items()))))
    vocab = catalog.vocabularies
    for group in (catalog.sections, catalog.series, catalog.browse, vocab.tipos, vocab.publicos):
        parts += [f"{key}={value.model_dump_json()}" for key, value in group.items()]
    for more in (vocab.instituciones, vocab.idiomas, vocab.formatos, catalog.link_facts):
        parts += [f"{key}={value.model_dump_json()}" for key, value in more.items()]
    for path in sorted(options.templates_dir.rglob("*")):
        if path.is_file():
            relative = path.relative_to(options.templates_dir).as_posix()
            parts.append(f"{relative}={digest(path.read_bytes())}")
    return digest_text("\n".join(parts))


def open_stage_or_report(options: BuildOptions) -> Stage:
    protected = [options.catalog_dir, options.templates_dir, options.static_dir, Path.cwd()]
    try:
        return open_stage(options.out_dir, protected)
    except OutputError as error:
        raise output_problem(options, error) from error


def output_problem(options: BuildOptions, error: Exception) -> CatalogError:
    return CatalogError([Problem(display_path(options.out_dir), None, "", str(error))])


def before_print(table: list[Entry]) -> list[Entry]:
    return [entry for entry in table if not entry.after_print]


def after_print(table: list[Entry]) -> list[Entry]:
    return [entry for entry in table if entry.after_print]


def start_print_step(site: Site, stage: Stage, options: BuildOptions) -> Printing | None:
    if not options.pdf:
        return None
    return start_printing(
        site.catalog, site.urls, options.templates_dir, stage, site.memo.deferring
    )


def finish_print_step(site: Site, printing: Printing | None, stage: Stage) -> Site:
    """The site, now with the printable catalog's link (home and data pages show it)."""
    if printing is None:
        return site
    finish_printing(printing, stage)
    if printing.stale:
        site.memo.stale.add(PDF_FILE)
    return dataclasses.replace(site, print_link=printing.link(site.urls))


def printed_files(printing: Printing | None) -> dict[str, str]:
    if printing is None or printing.digest is None:
        return {}
    return {PDF_FILE: printing.digest}


def index_step(
    stage: Stage, files: dict[str, str], options: BuildOptions, memo: Memo
) -> SearchIndex | None:
    if not options.search:
        drop_index(stage)
        return None
    search = update_index(stage, files, options.search_part_pages, keep_stale=memo.deferring)
    if search.stale:
        memo.stale.add(SEARCH_INDEX)
    return search


def offline_step(
    stage: Stage, files: dict[str, str], site: Site, options: BuildOptions
) -> dict[str, str]:
    """The service worker and the list of the finished site's files it may keep: made last,
    because it names every file of this build (offline.py)."""
    try:
        return add_offline_files(stage, files, site.urls.base, preview=not options.offline)
    except OSError as error:
        raise OutputError(cannot_write(options.out_dir, error)) from error


def made_from(search: SearchIndex | None, printing: Printing | None) -> dict[str, str]:
    """What the site's derived parts are made from, for the manifest."""
    keys = {}
    if search is not None and search.key is not None:
        keys[SEARCH_INDEX] = search.key
    if printing is not None and printing.key is not None and printing.digest is not None:
        keys[PDF_FILE] = printing.key
    return keys


def build_report(
    clock: Clock,
    site: Site,
    files: dict[str, str],
    stage: Stage,
    search: SearchIndex | None,
    printing: Printing | None,
    warnings: list[Problem],
    loaded: Catalog,
) -> BuildReport:
    return BuildReport(
        records=len(site.catalog.records),
        pages=sum(1 for path in files if path.endswith(".html")),
        files=len(files),
        seconds=time.perf_counter() - clock.started,
        written=stage.report,
        timings=clock.timings,
        warnings=warnings,
        search_pages=search.pages if search is not None else None,
        drafts=len(loaded.records) - len(site.catalog.records),
        notices=[printing.notice] if printing is not None and printing.notice else [],
        stale=bool(site.memo.stale),
        rendered=site.memo.rendered,
    )
