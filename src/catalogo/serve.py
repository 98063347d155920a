"""Live preview for editors: build, serve on 127.0.0.1, open the browser, rebuild on every
save and update the open pages by themselves.

A change that breaks the catalog keeps the last good site online and shows the problems in
the terminal and in an overlay on the open pages until they are fixed. Builds run on the
server's single event loop, so two rebuilds never overlap and no request ever sees a
half-written site (the swap in output.py happens while requests wait). The files are
watched with livereload's Watcher, polled at an interval that follows its cost.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import signal
import sys
import threading
import time
import webbrowser
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from livereload.watcher import Watcher
from tornado.ioloop import IOLoop

from catalogo.incremental import Memo
from catalogo.pipeline import BuildOptions, build_site
from catalogo.preview.web import PreviewState, listen, make_application, quiet_library_logs
from catalogo.problems import (
    CatalogError,
    Problem,
    display_path,
    format_problem,
    report,
    summarize,
)

TIDY_DELAY = 5.0  # seconds after the last rebuild, when the editor is reading the page
SETTLE_DELAY = 0.05  # an editor may save a file in two writes: let the second one land
POLL_LIMITS = (0.2, 1.0)  # seconds between two looks at the files, at least and at most
POLL_COST_RATIO = 4  # wait four times what a look costs (83 ms at 10,000 records)


@dataclass(frozen=True)
class ServeOptions:
    """What `serve` is asked for: the site to build, and where and how to show it."""

    site: BuildOptions
    host: str = "127.0.0.1"
    port: int = 8000
    open_browser: bool = True


def preview_build(options: BuildOptions) -> BuildOptions:
    """The site as the preview builds it: drafts shown, and every page loads the preview's
    script (templates/base.html), which reloads it after a save and shows what broke."""
    return dataclasses.replace(
        options,
        drafts=True,
        offline=False,
        page_globals={**options.page_globals, "preview": True},
    )


class Preview:
    """One running preview: its build options, memo, state, watcher and timers."""

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.memo = Memo()
        self.state = PreviewState()
        self.watcher = Watcher()
        self.tidy_handle: object | None = None
        self.settings_stamps: dict[str, float] = {}

    def rebuild(self, first: bool = False) -> bool:
        """One build attempt; tells the pages and prints the outcome, its time and the
        warnings of the files just saved. Pages are published at once; a stale search index
        or open-data files (seconds on a large catalog) are made right after."""
        started = time.perf_counter()
        self.tidy_later()
        saved = self.saved_settings()
        try:
            with self.memo.publishing_first():
                result = build_site(self.options, self.memo, on_wait=say_waiting)
        except CatalogError as error:
            self.state.failed(
                [format_problem(p) for p in error.problems], summarize(error.problems)
            )
            print(report(error.problems), flush=True)
            print(
                "Se sigue mostrando la última versión correcta "
                f"({time.perf_counter() - started:.2f} s).",
                flush=True,
            )
            return False
        self.state.built()
        total = f"; {summarize(result.warnings)}" if result.warnings else ""
        print(
            f"Sitio actualizado en {result.seconds * 1000:.0f} ms: {result.records} registros"
            f"{total}.",
            flush=True,
        )
        if first:
            if result.warnings:
                print("Lista completa de avisos: python3 build.py validar", flush=True)
        else:
            print_saved_warnings(result.warnings, [*self.memo.load.parsed, *saved])
        if result.stale:
            IOLoop.current().add_callback(self.reindex)
        return True

    def saved_settings(self) -> list[str]:
        """The catalog's `_*.yaml` files changed since the last build (the loader reads them
        every time, so its cache cannot say)."""
        changed = []
        for path in sorted(self.options.catalog_dir.glob("_*.yaml")):
            shown = display_path(path)
            with contextlib.suppress(OSError):
                stamp = path.stat().st_mtime
                if self.settings_stamps.get(shown, stamp) != stamp:
                    changed.append(shown)
                self.settings_stamps[shown] = stamp
        return changed

    def first_build(self) -> bool:
        """serve's first build, then the same build once more, quietly. Each build brings the
        spare site folder up to date and swaps it in (output.py): after the first, the spare
        holds an older site, so the first edit would rewrite or re-link every file (40,000 at
        10,000 records: 2 s). The second build does that now, and the first edit is as quick
        as the others."""
        ok = self.rebuild(first=True)
        if ok:
            try:
                with self.memo.publishing_first():
                    build_site(self.options, self.memo)
            except CatalogError:
                pass  # the catalog changed meanwhile: the watcher's rebuild reports it
        return ok

    def reindex(self) -> None:
        """Bring the search index and the open-data files up to date after a quick rebuild
        (the pages are already as they should be)."""
        self.tidy_later()
        try:
            result = build_site(self.options, self.memo)
        except CatalogError:
            return  # the catalog broke meanwhile: the next rebuild reports it
        if result.search_pages:
            print(
                f"Búsqueda actualizada en {result.timings.get('indexar', 0) * 1000:.0f} ms.",
                flush=True,
            )
        print(f"Datos abiertos y búsqueda al día ({result.seconds * 1000:.0f} ms).", flush=True)

    def watch(self) -> None:
        for path in watched_paths(self.options):
            self.watcher.watch(str(path))

    def poll(self) -> None:
        """Look at the watched files once; rebuild if any changed; look again later."""
        started = time.perf_counter()
        changed, _ = self.watcher.examine()
        cost = time.perf_counter() - started
        loop = IOLoop.current()
        if changed:
            loop.call_later(SETTLE_DELAY, self.rebuild_and_poll)
            return
        low, high = POLL_LIMITS
        loop.call_later(min(high, max(low, cost * POLL_COST_RATIO)), self.poll)

    def rebuild_and_poll(self) -> None:
        self.watcher.examine()  # take in the rest of a save in two writes
        self.rebuild()
        IOLoop.current().call_later(POLL_LIMITS[0], self.poll)

    def tidy_later(self) -> None:
        """Run tidy_memory once the edits pause (each rebuild moves it later)."""
        loop = IOLoop.current()
        if self.tidy_handle is not None:
            loop.remove_timeout(self.tidy_handle)
        self.tidy_handle = loop.call_later(TIDY_DELAY, self.tidy_memory)

    def tidy_memory(self) -> None:
        """Collect the cycles the last rebuilds left, then freeze what is left (the build
        memo): later collections, during requests or rebuilds, no longer walk it."""
        self.tidy_handle = None
        gc.unfreeze()
        gc.collect()
        gc.freeze()


def print_saved_warnings(warnings: list[Problem], saved: list[str]) -> None:
    """The warnings of the files just saved, so an editor sees what is left to do in the
    file they are editing, not a total."""
    for shown in sorted(set(saved)):
        own = [warning for warning in warnings if warning.path == shown]
        if not own:
            print(f"  {shown}: sin avisos.", flush=True)
        for warning in own:
            print(f"  {format_problem(warning)}", flush=True)


def say_waiting(out_dir: Path) -> None:
    print("Otra generación del sitio está escribiendo en la misma carpeta: espero.", flush=True)


def watched_paths(options: BuildOptions) -> list[Path]:
    paths = [options.catalog_dir, options.templates_dir, options.static_dir]
    if options.settings_file is not None and options.settings_file.exists():
        paths.append(options.settings_file)
    return paths


def open_browser(url: str) -> None:
    """Open the preview in the editor's browser, from a thread (it may take a moment). On
    Linux without a desktop, webbrowser would start a text browser in this very terminal."""
    desktop = sys.platform != "linux" or any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER")
    )
    if desktop and webbrowser.open(url):
        return
    print(f"Abre {url} en tu navegador.", flush=True)


def stop_on_signals() -> None:
    """Closing the terminal window (SIGHUP) or a kill (SIGTERM) stops the preview like
    Ctrl+C: a child process of the build (Pagefind) is killed with it."""

    def interrupt(number: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGHUP", "SIGBREAK"):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, interrupt)


def serve(serving: ServeOptions) -> int:
    quiet_library_logs()
    stop_on_signals()
    options = preview_build(serving.site)
    preview = Preview(options)
    application = make_application(preview.state, options.out_dir)
    bound = listen(application, serving.host, serving.port)
    if bound is None:
        return 1
    url = f"http://{serving.host}:{bound}/"
    if options.site_url is None:
        preview.options = options = dataclasses.replace(options, site_url=url.rstrip("/"))
    preview.watch()
    preview.watcher.examine()  # note the files as they are before the first build
    if not preview.first_build() and not options.out_dir.is_dir():
        print(
            "No hay una versión anterior del sitio que mostrar: corrige los problemas y "
            "vuelve a ejecutar «python3 build.py serve».",
            flush=True,
        )
        return 1
    print(
        f"Vista previa en {url} (Ctrl+C o cerrar esta ventana para salir). Al guardar un "
        "cambio en catalog/, templates/ o static/, la página abierta se actualiza sola.",
        flush=True,
    )
    loop = IOLoop.current()
    loop.call_later(POLL_LIMITS[0], preview.poll)
    if serving.open_browser:
        threading.Thread(target=open_browser, args=(url,), daemon=True).start()
    try:
        loop.start()
    except KeyboardInterrupt:
        print("Vista previa detenida.", flush=True)
    return 0
