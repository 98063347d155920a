"""Live preview for editors: build, serve on 127.0.0.1, rebuild and reload on every change.

A change that breaks the catalog keeps the last good site online and shows the problems
in the terminal and in an overlay on the open page until they are fixed. Builds run on
the server's single event loop, so two rebuilds never overlap and no request ever sees a
half-written site (the swap in output.py happens while requests wait).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from livereload import Server
from livereload.handlers import StaticFileHandler
from tornado import web
from tornado.ioloop import IOLoop

from catalogo.cache import BuildCache
from catalogo.problems import CatalogError, format_problem, report, summarize
from catalogo.site import BuildOptions, build_site


@dataclass
class PreviewState:
    """What the overlay shows: the problems of the last build attempt, if any."""

    ok: bool = True
    problems: list[str] = field(default_factory=list)
    summary: str = ""
    built_at: float = 0.0

    def as_json(self) -> bytes:
        return json.dumps(
            {
                "ok": self.ok,
                "problems": self.problems,
                "summary": self.summary,
                "built_at": self.built_at,
            },
            ensure_ascii=False,
        ).encode("utf-8")


class StateHandler(web.RequestHandler):
    def initialize(self, state: PreviewState) -> None:
        self.state = state

    def get(self) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(self.state.as_json())


class AssetHandler(web.RequestHandler):
    """The overlay's own script and style, served from the package, never from the site."""

    def get(self, name: str) -> None:
        if name not in ("overlay.js", "overlay.css"):
            raise web.HTTPError(404)
        kind = "text/javascript" if name.endswith(".js") else "text/css"
        self.set_header("Content-Type", f"{kind}; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(resources.files("catalogo.preview").joinpath(name).read_bytes())


class SiteHandler(StaticFileHandler):  # type: ignore[misc]
    """Static files with livereload's script injected, and the site's own 404 page."""

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        page = Path(self.root) / "404.html"
        if status_code == 404 and page.is_file():
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(page.read_bytes())
            return
        super().write_error(status_code, **kwargs)


class PreviewServer(Server):  # type: ignore[misc]
    def __init__(self, state: PreviewState) -> None:
        super().__init__()
        self.state = state
        self.SFH = SiteHandler

    def get_web_handlers(self, script: Any) -> list[Any]:
        own = [
            (r"/__catalogo/estado\.json", StateHandler, {"state": self.state}),
            (r"/__catalogo/([a-z]+\.(?:js|css))", AssetHandler),
        ]
        return own + list(super().get_web_handlers(script))


def rebuild(options: BuildOptions, cache: BuildCache, state: PreviewState) -> bool:
    """One build attempt; updates the overlay state and prints the outcome and its time.

    Pages are published at once; when the search index or the open-data files are then
    stale (they take seconds on a large catalog), they are made right after, so an edit
    shows in the browser without waiting for them."""
    started = time.perf_counter()
    tidy_later()
    try:
        with paused_gc():
            result = build_site(quick_options(options), cache)
    except CatalogError as error:
        state.ok = False
        state.problems = [format_problem(p) for p in error.problems]
        state.summary = summarize(error.problems)
        state.built_at = time.time()
        print(report(error.problems), flush=True)
        print(
            f"Se sigue mostrando la última versión correcta ({time.perf_counter() - started:.2f} s).",
            flush=True,
        )
        return False
    state.ok = True
    state.problems = []
    state.summary = ""
    state.built_at = time.time()
    warnings = f"; {summarize(result.warnings)}" if result.warnings else ""
    print(
        f"Sitio actualizado en {result.seconds * 1000:.0f} ms: {result.records} registros"
        f"{warnings}.",
        flush=True,
    )
    if result.stale:
        IOLoop.current().add_callback(reindex, options, cache)
    return True


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection during a rebuild. The collector walked every object
    of the build cache kept between rebuilds (millions at 10,000 records): a quarter of a
    rebuild, and its time jumped from one edit to the next. tidy_memory collects later."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


TIDY_DELAY = 5.0  # seconds after the last rebuild, when the editor is reading the page
_tidy: list[object] = []  # the pending tidy_memory call, if any


def tidy_later() -> None:
    """Run tidy_memory once the edits pause (each rebuild moves it later)."""
    loop = IOLoop.current()
    while _tidy:
        loop.remove_timeout(_tidy.pop())
    _tidy.append(loop.call_later(TIDY_DELAY, tidy_memory))


def tidy_memory() -> None:
    """Collect the cycles the last rebuilds left, then freeze what is left (the build
    cache): later collections, during requests or rebuilds, no longer walk it."""
    _tidy.clear()
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def quick_options(options: BuildOptions) -> BuildOptions:
    """A rebuild that publishes the pages now and leaves the search index and the
    open-data files to `reindex`."""
    return dataclasses.replace(options, search_later=options.search, data_later=True)


def first_build(options: BuildOptions, cache: BuildCache, state: PreviewState) -> bool:
    """serve's first build, then the same build once more, quietly. Each build brings the
    spare site folder up to date and swaps it in (output.py): after the first, the spare
    holds an older site, so the first edit would rewrite or re-link every file (40,000 at
    10,000 records: 2 s). The second build does that now, and the first edit is as quick
    as the others."""
    ok = rebuild(options, cache, state)
    if ok:
        try:
            with paused_gc():
                build_site(quick_options(options), cache)
        except CatalogError:
            pass  # the catalog changed meanwhile: the watcher's rebuild reports it
    return ok


def reindex(options: BuildOptions, cache: BuildCache) -> None:
    """Bring the search index and the open-data files up to date after a quick rebuild
    (the pages are already as they should be)."""
    tidy_later()
    try:
        with paused_gc():
            result = build_site(options, cache)
    except CatalogError:
        return  # the catalog broke meanwhile: the next rebuild reports it
    if result.search_pages:
        print(
            f"Búsqueda actualizada en {result.timings.get('indexar', 0) * 1000:.0f} ms.", flush=True
        )
    print(f"Datos abiertos y búsqueda al día ({result.seconds * 1000:.0f} ms).", flush=True)


def watched_paths(options: BuildOptions) -> list[Path]:
    paths = [options.catalog_dir, options.templates_dir, options.static_dir]
    if options.settings_file is not None:
        paths.append(options.settings_file)
    return paths


def serve(options: BuildOptions, host: str, port: int) -> int:
    state = PreviewState()
    cache = BuildCache()
    first = first_build(options, cache, state)
    if not first and not options.out_dir.is_dir():
        print(
            "No hay una versión anterior del sitio que mostrar: corrige los problemas y "
            "vuelve a ejecutar «python3 build.py serve».",
            flush=True,
        )
        return 1
    server = PreviewServer(state)
    for path in watched_paths(options):
        server.watch(str(path), lambda: rebuild(options, cache, state), delay=0.2)
    logging.getLogger("livereload").setLevel(logging.WARNING)
    print(
        f"Sirviendo el catálogo en http://{host}:{port}/ (Ctrl+C para salir). "
        "Los cambios en catalog/, templates/ y static/ se ven al guardar.",
        flush=True,
    )
    server.serve(host=host, port=port, root=str(options.out_dir), restart_delay=0)
    return 0
