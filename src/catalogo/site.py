"""Build the site: load -> validate -> render in memory -> index -> write atomically.

    report = build_site(options)

reads like the recipe it is. Any problem in the catalog, the settings or the templates
raises CatalogError before a single file is written, so the previous site stays as it was.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import gc
import sys
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from pydantic import ValidationError

from catalogo.cache import BuildCache, RenderCache
from catalogo.loader import load_catalog
from catalogo.lock import output_lock
from catalogo.models import Catalog, SiteSettings
from catalogo.offline import finisher as offline_finisher
from catalogo.output import (
    OutputError,
    SearchStep,
    WriteReport,
    content_digest,
    digest,
    manifest_files,
    read_manifest,
    recover_interrupted,
    write_site,
)
from catalogo.pdf import PrintedCatalog, PrintLink, make_pdf
from catalogo.problems import CatalogError, Problem, display_path
from catalogo.render import Pages, render_site
from catalogo.search import (
    PAGEFIND_VERSION,
    PART_PAGES,
    SearchIndexError,
    index_site,
    part_folders,
)
from catalogo.urls import BaseUrlError, SiteUrls, normalize_base, normalize_origin
from catalogo.validation import problems_from_validation
from catalogo.yamlfile import read_document


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
    search_later: bool = False  # serve: keep the old index now, the preview reindexes after
    data_later: bool = False  # serve: keep the old open-data files now, made again after
    search_part_pages: int = PART_PAGES  # record pages per search bundle (search.py)
    preview: bool = False  # serve: adds the live problem overlay to every page
    pdf: bool = False  # the print files: catalogo.pdf and each record page's QR code (pdf.py)
    repository: str | None = None  # GitHub owner/name for the browser editor (site.yaml's)


@dataclass
class BuildReport:
    records: int
    pages: int
    files: int
    bytes_written: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    search_pages: int = 0
    written: WriteReport = field(default_factory=WriteReport)
    data_stale: bool = False  # open-data files kept from the last build (data_later)
    drafts: int = 0  # records left out of a published build (borrador: true)
    notices: list[str] = field(default_factory=list)  # for the person building, e.g. no PDF

    @property
    def stale(self) -> bool:
        """Something was left for the follow-up build: the search index or open data."""
        return self.written.search_stale or self.data_stale


def load_settings(path: Path | None) -> SiteSettings:
    """Publishing settings from site.yaml; defaults when there is no such file."""
    if path is None or not path.exists():
        return SiteSettings()
    display = display_path(path)
    document = read_document(path, display)
    if isinstance(document, Problem):
        raise CatalogError([document])
    if document.data is None:
        return SiteSettings()
    if not isinstance(document.data, dict):
        raise CatalogError(
            [Problem(display, 1, "", "site.yaml debe contener claves, p. ej. «url: https://...»")]
        )
    try:
        return SiteSettings.model_validate(document.data)
    except ValidationError as error:
        raise CatalogError(problems_from_validation(error, document, SiteSettings)) from error


def with_repository(settings: SiteSettings, repository: str | None) -> SiteSettings:
    """The settings, with the repository given on the command line (GitHub Actions knows
    it) in place of site.yaml's."""
    if not repository:
        return settings
    try:
        return SiteSettings.model_validate({**settings.model_dump(), "repositorio": repository})
    except ValidationError as error:
        message = error.errors()[0]["msg"]
        raise CatalogError([Problem("--repositorio", None, "", message)]) from error


def resolve_urls(options: BuildOptions, settings: SiteSettings) -> SiteUrls:
    try:
        base = normalize_base(
            options.base_url if options.base_url is not None else settings.ruta_base
        )
        origin = normalize_origin(options.site_url or settings.url)
    except BaseUrlError as error:
        raise CatalogError([Problem("--base-url", None, "", str(error))]) from error
    return SiteUrls(base=base, origin=origin)


def template_problem(error: Exception, templates_dir: Path) -> Problem:
    """Where a template went wrong: its file and line, from Jinja's own traceback."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        name = error.filename or error.name or "plantilla"
        return Problem(
            display_path(Path(name)), error.lineno, "", f"error en la plantilla: {error.message}"
        )
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename.endswith(".html") or frame.filename.endswith(".xml")
    ]
    if frames:
        frame = frames[-1]
        return Problem(
            display_path(Path(frame.filename)), frame.lineno, "", f"error en la plantilla: {error}"
        )
    return Problem(display_path(templates_dir), None, "", f"error en las plantillas: {error}")


def render_or_report(
    catalog: Catalog,
    settings: SiteSettings,
    site_urls: SiteUrls,
    options: BuildOptions,
    cache: RenderCache | None = None,
    published: Mapping[str, str] | None = None,
    print_link: PrintLink | None = None,
) -> Pages:
    if not options.templates_dir.is_dir():
        raise CatalogError(
            [
                Problem(
                    display_path(options.templates_dir),
                    None,
                    "",
                    "no existe la carpeta de plantillas",
                )
            ]
        )
    try:
        return render_site(
            catalog,
            settings,
            site_urls,
            options.templates_dir,
            options.preview,
            cache,
            published,
            options.data_later,
            part_folders(len(catalog.records), options.search_part_pages) if options.search else [],
            print_link,
            options.pdf,
        )
    except (jinja2.TemplateError, TypeError, AttributeError) as error:
        if isinstance(error, jinja2.TemplateError) or _raised_in_template(error):
            raise CatalogError([template_problem(error, options.templates_dir)]) from error
        raise


def pdf_or_report(
    catalog: Catalog,
    site_urls: SiteUrls,
    options: BuildOptions,
    cache: RenderCache,
    published: Mapping[str, str],
) -> PrintedCatalog:
    """The build's PDF (pdf.make_pdf); a mistake in its templates is the editor's problem,
    told with the file and line like any other template's."""
    try:
        return make_pdf(
            catalog,
            site_urls,
            options.templates_dir,
            cache,
            published,
            options.out_dir,
            later=options.data_later,
        )
    except (jinja2.TemplateError, TypeError, AttributeError) as error:
        if isinstance(error, jinja2.TemplateError) or _raised_in_template(error):
            raise CatalogError([template_problem(error, options.templates_dir)]) from error
        raise


def search_key(pages: Pages, known: Mapping[str, str]) -> str:
    """What the search index is built from: the site's pages, and Pagefind itself."""
    parts = [f"pagefind {PAGEFIND_VERSION}"]
    parts += [
        f"{path} {known.get(path) or content_digest(content)}"
        for path, content in pages.items()  # in path order (render_site sorts them)
        if path.endswith(".html")
    ]
    return digest("\n".join(parts).encode("utf-8"))


def _raised_in_template(error: Exception) -> bool:
    return any(
        frame.filename.endswith(".html") for frame in traceback.extract_tb(error.__traceback__)
    )


def release_memory() -> None:
    """Give freed memory back to the system: collect the cycles, and on Linux ask glibc to
    return the free parts of its heap (it keeps them otherwise, and the process stays as
    large as it ever was)."""
    gc.collect()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)


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


def build_site(
    options: BuildOptions,
    cache: BuildCache | None = None,
    on_step: Callable[[str, float], None] | None = None,
    on_wait: Callable[[Path], None] | None = None,
) -> BuildReport:
    """Build the whole site or raise CatalogError; the previous output is untouched on error.
    Builds into the same output folder take turns (lock.py); `on_wait` hears of a wait."""
    with output_lock(options.out_dir, on_wait):
        return _build_site(options, cache, on_step)


def _build_site(
    options: BuildOptions,
    cache: BuildCache | None,
    on_step: Callable[[str, float], None] | None,
) -> BuildReport:
    started = time.perf_counter()
    timings: dict[str, float] = {}
    clock = started

    def step(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now
        if on_step is not None:
            on_step(name, timings[name])

    # A build killed between the two renames of the last swap left the site aside: put it
    # back first, so even a build that fails below leaves the previous site in place.
    recover_interrupted(options.out_dir)
    loaded = load_catalog(options.catalog_dir, cache.load if cache else None)
    catalog = loaded.catalog if options.preview else published_catalog(loaded.catalog)
    settings = with_repository(load_settings(options.settings_file), options.repository)
    site_urls = resolve_urls(options, settings)
    step("cargar")
    published = manifest_files(read_manifest(options.out_dir)) if cache else {}
    render_cache = cache.render if cache else RenderCache(keep_content=False)
    printed = None
    if options.pdf:
        printed = pdf_or_report(catalog, site_urls, options, render_cache, published)
        step("pdf")
    pages = render_or_report(
        catalog,
        settings,
        site_urls,
        options,
        render_cache,
        published,
        printed.link(site_urls) if printed else None,
    )
    if printed:
        printed.publish(pages, render_cache)
    known = render_cache.digests()
    step("generar")
    index_seconds = 0.0

    html_pages = sum(1 for name in pages if name.endswith(".html"))
    files_count = len(pages)

    def run_index(root: Path) -> int:
        nonlocal index_seconds
        # The pages are on disk now: let them go before Pagefind starts, so the two
        # processes do not peak together (at 10,000 records: 250 MB less beside Pagefind).
        pages.clear()
        release_memory()
        started_index = time.perf_counter()
        pages_indexed = index_site(root, options.search_part_pages).pages
        index_seconds = time.perf_counter() - started_index
        return pages_indexed

    search = SearchStep(key=search_key(pages, known), run=run_index, later=options.search_later)
    protected = [options.catalog_dir, options.templates_dir, options.static_dir, Path.cwd()]
    try:
        written = write_site(
            pages,
            options.static_dir,
            options.out_dir,
            search if options.search else None,
            protected,
            known,
            # Offline reading: the service worker lists the finished site's files.
            finish=offline_finisher(site_urls.base, options.preview),
        )
    except (OutputError, SearchIndexError) as error:
        raise CatalogError(
            [Problem(display_path(options.out_dir), None, "", str(error))]
        ) from error
    step("escribir")
    if index_seconds:
        timings["escribir"] -= index_seconds
        timings["indexar"] = index_seconds
    return BuildReport(
        records=len(catalog.records),
        pages=html_pages,
        files=files_count,
        bytes_written=written.bytes_written,
        written=written,
        seconds=time.perf_counter() - started,
        timings=timings,
        warnings=loaded.warnings,
        search_pages=written.search_pages or 0,
        data_stale=bool(render_cache.stale),
        drafts=len(loaded.catalog.records) - len(catalog.records),
        notices=[printed.notice] if printed and printed.notice else [],
    )
