"""The Jinja environment the pages are rendered with: autoescaped, strict about undefined
names, and with the helpers templates call (one `url()` for every internal link, the paths of
records, sections and browse pages, summaries, link views, a record's entry in lists).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Mapping, MutableMapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from catalogo import urls
from catalogo.catalog import Catalog
from catalogo.markup import render_markdown, summary
from catalogo.models import Record
from catalogo.problems import CatalogError, Problem, display_path
from catalogo.urls import SiteUrls
from catalogo.views import Views, link_views

ItemKey = tuple[str, str, bool]  # a record's fingerprint, its heading, whether it has a summary


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in a dict between builds (serve: compiling them all took
    60 ms per rebuild); Jinja checks each against its template's source, so an edited
    template is compiled again."""

    def __init__(self, store: MutableMapping[str, bytes]) -> None:
        self.store = store

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


class BuildEnvironment(jinja2.Environment):
    """An environment for one build: its templates are read once (a build never sees a
    template change halfway: each file is checked for changes at every page otherwise), and
    each template's globals are a plain dict of the environment's, set before any template
    loads. Jinja's default, a ChainMap over them, was copied key by key into every page's
    context and searched on every `{% from ... import %}`: together with the checks for
    changes, a tenth of the time of a record page."""

    def __init__(self, **options: Any) -> None:
        super().__init__(auto_reload=False, **options)

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def make_environment(
    templates: Path, bytecode: MutableMapping[str, bytes] | None = None
) -> jinja2.Environment:
    return BuildEnvironment(
        loader=jinja2.FileSystemLoader(str(templates)),
        bytecode_cache=MemoryBytecodeCache(bytecode) if bytecode is not None else None,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def site_environment(
    templates: Path,
    catalog: Catalog,
    views: Views,
    site_urls: SiteUrls,
    items: MutableMapping[ItemKey, Markup],
    bytecode: MutableMapping[str, bytes] | None = None,
    extra: Mapping[str, object] | None = None,
) -> jinja2.Environment:
    """The environment of one build: its globals are the catalog and its views, the URL
    helpers and `record_item_html`, a record's entry in lists, rendered once per build (or
    kept in `items` while the record is unchanged): the same record appears in its section,
    type, audience, year and related lists."""
    env = make_environment(templates, bytecode)

    def record_item_html(record: Record, heading: str = "h3", show_summary: bool = True) -> Markup:
        key = (record.fingerprint, heading, show_summary)
        html = items.get(key)
        if html is None:
            macros = env.get_template("_macros.html").module
            html = Markup(macros.record_item(record, heading, show_summary))  # type: ignore[attr-defined]
            items[key] = html
        return html

    env.globals.update(
        catalog=catalog,
        info=catalog.info,
        vocab=catalog.vocabularies,
        sections=catalog.sections,
        series_all=catalog.series,
        index=views.index,
        **url_helpers(catalog, site_urls),
        links_of=lambda record: link_views(record, catalog),
        record_item_html=record_item_html,
        summary=summary,
        total_records=len(catalog.records),
        preview=False,
        print_qr=False,
    )
    env.globals.update(extra or {})
    env.filters["markdown"] = lambda text: Markup(render_markdown(text or ""))
    env.filters["years"] = format_years
    return env


def url_helpers(catalog: Catalog, site_urls: SiteUrls) -> dict[str, Callable[..., Any]]:
    """The templates' ways to an address: `url()` for any path of the site, and one helper
    per kind of page, each through the base path."""

    def link(path: str | None) -> str:
        return site_urls.url(path) if path is not None else ""

    def browse_url(vocabulary: str) -> Callable[[Any], str]:
        return lambda value: link(catalog.browse_path(vocabulary, value))

    def explore_links(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """(address, label) of each (vocabulary, label) the catalog has browse pages for:
        templates name ways to explore without assuming a catalog has them."""
        folders = {page.vocabulario: folder for folder, page in catalog.browse.items()}
        return [
            (site_urls.url(f"{folders[vocabulary]}/"), label)
            for vocabulary, label in choices
            if vocabulary in folders
        ]

    return {
        "url": site_urls.url,
        "absolute_url": site_urls.absolute,
        "record_url": lambda record: site_urls.url(urls.record_path(record.id)),
        "section_url": lambda key: site_urls.url(urls.section_path(key)),
        "type_url": browse_url("tipos"),
        "audience_url": browse_url("publicos"),
        "year_url": browse_url("anios"),
        "series_url": browse_url("series"),
        "explore_links": explore_links,
    }


def raised_in_template(error: Exception) -> bool:
    return any(
        frame.filename.endswith(".html") for frame in traceback.extract_tb(error.__traceback__)
    )


def template_problem(error: Exception, templates: Path) -> Problem:
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
    return Problem(display_path(templates), None, "", f"error en las plantillas: {error}")


def templates_folder(env: jinja2.Environment) -> Path:
    folders = getattr(env.loader, "searchpath", ["templates"])
    return Path(folders[0])


def compile_templates(env: jinja2.Environment) -> list[str]:
    """Compile every template before a file is written: a syntax error stops the build
    with its file and line while the stage is untouched (and the compiled templates are
    there for every worker process). Their names."""
    names = env.list_templates(filter_func=lambda name: "/" not in name)
    for name in names:
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as error:
            raise CatalogError([template_problem(error, templates_folder(env))]) from error
    return names


def format_years(record: Record) -> str:
    """«2021», «2022-2023» or «2019, 2021»; nothing for a record without a year (readers
    need no «s. f.»: the year is simply not shown)."""
    years = record.years
    if not years:
        return ""
    if len(years) == 1:
        return str(years[0])
    return (
        f"{years[0]}-{years[-1]}"
        if years == list(range(years[0], years[-1] + 1))
        else ", ".join(str(y) for y in years)
    )
