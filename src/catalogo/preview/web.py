"""The preview's web side: the built site, a WebSocket that tells open pages when the site
changed or broke, and the preview's own script and style, on one tornado application.

Nothing is injected into the pages. A preview build adds one script tag
(`/__catalogo/overlay.js`, templates/base.html), served from the preview's own origin, so
the site's Content-Security-Policy (`script-src 'self'`, `connect-src 'self'`) stays as
strict as in the published site. Every response carries the version of the site it comes
from in a `Server-Timing` header, which the page script reads to know whether it is current.
"""

from __future__ import annotations

import errno
import json
import logging
import secrets
import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from tornado import httpserver, netutil, web, websocket

ASSETS = {"overlay.js": "text/javascript", "overlay.css": "text/css"}
BUSY = {errno.EADDRINUSE, errno.EACCES, 10048, 10013}  # the last two: Windows' WSAE codes
PORT_ATTEMPTS = 20
ERROR_LOG = Path(tempfile.gettempdir()) / "catalogo-vista-previa.log"


@dataclass
class PreviewState:
    """What open pages need to know: which site is current and what broke the last build.
    `version` changes with every successful build; a page from another version reloads."""

    session: str = field(default_factory=lambda: secrets.token_hex(4))
    builds: int = 0
    ok: bool = True
    problems: list[str] = field(default_factory=list)
    summary: str = ""
    pages: set[PageSocket] = field(default_factory=set)

    @property
    def version(self) -> str:
        return f"{self.session}-{self.builds}"

    def as_json(self) -> str:
        return json.dumps(
            {
                "version": self.version,
                "ok": self.ok,
                "problems": self.problems,
                "summary": self.summary,
            },
            ensure_ascii=False,
        )

    def built(self) -> None:
        self.builds += 1
        self.ok = True
        self.problems = []
        self.summary = ""
        self.tell_pages()

    def failed(self, problems: list[str], summary: str) -> None:
        self.ok = False
        self.problems = problems
        self.summary = summary
        self.tell_pages()

    def tell_pages(self) -> None:
        message = self.as_json()
        for page in list(self.pages):
            page.send(message)


class PageSocket(websocket.WebSocketHandler):
    """One open page: it hears the state now and after every build."""

    def initialize(self, state: PreviewState) -> None:
        self.state = state

    def open(self, *args: str, **kwargs: str) -> None:
        self.state.pages.add(self)
        self.send(self.state.as_json())

    def on_close(self) -> None:
        self.state.pages.discard(self)

    def on_message(self, message: str | bytes) -> None:
        pass  # pages only listen

    def send(self, message: str) -> None:
        try:
            self.write_message(message)
        except websocket.WebSocketClosedError:
            self.state.pages.discard(self)


class StateHandler(web.RequestHandler):
    def initialize(self, state: PreviewState) -> None:
        self.state = state

    def get(self) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(self.state.as_json())


class AssetHandler(web.RequestHandler):
    """The preview's own script and style, from the package, never from the site."""

    def get(self, name: str) -> None:
        kind = ASSETS.get(name)
        if kind is None:
            raise web.HTTPError(404)
        self.set_header("Content-Type", f"{kind}; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(resources.files("catalogo.preview").joinpath(name).read_bytes())


class SiteHandler(web.StaticFileHandler):
    """The built site, never cached by the browser, with the site's own 404 page and the
    version of the site in `Server-Timing` (which scripts of the same origin can read)."""

    def set_default_headers(self) -> None:
        # Called before initialize() (and again for error pages): the state comes from the
        # application's settings.
        state: PreviewState = self.application.settings["preview_state"]
        self.set_header("Cache-Control", "no-store")
        self.set_header("Server-Timing", f'catalogo;desc="{state.version}"')

    def should_return_304(self) -> bool:
        return False

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        page = Path(self.root) / "404.html"
        if status_code == 404 and page.is_file():
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(page.read_bytes())
            return
        super().write_error(status_code, **kwargs)


def make_application(state: PreviewState, root: Path) -> web.Application:
    return web.Application(
        [
            (r"/__catalogo/eventos", PageSocket, {"state": state}),
            (r"/__catalogo/estado\.json", StateHandler, {"state": state}),
            (r"/__catalogo/([a-z]+\.(?:js|css))", AssetHandler),
            (r"/(.*)", SiteHandler, {"path": str(root), "default_filename": "index.html"}),
        ],
        log_function=lambda handler: None,  # no access log in the editor's terminal
        preview_state=state,
    )


def listen(application: web.Application, host: str, port: int) -> int | None:
    """Serve on `port`, or on the next free one, saying so in Spanish. Returns the port,
    or None (after saying why) when none of the next ports is free."""
    for candidate in range(port, port + PORT_ATTEMPTS):
        try:
            sockets = netutil.bind_sockets(candidate, address=host)
        except OSError as error:
            if error.errno not in BUSY and getattr(error, "winerror", None) not in BUSY:
                raise
            print(
                f"El puerto {candidate} está ocupado (quizá por otra vista previa abierta); "
                f"pruebo con el {candidate + 1}.",
                flush=True,
            )
            continue
        server = httpserver.HTTPServer(application)
        server.add_sockets(sockets)
        bound: int = sockets[0].getsockname()[1]
        return bound
    print(
        f"No hay ningún puerto libre entre el {port} y el {port + PORT_ATTEMPTS - 1}; cierra "
        "otras vistas previas o elige otro con «--port».",
        flush=True,
    )
    return None


class SpanishErrors(logging.Handler):
    """Library log records never reach the editor's terminal in English: errors become one
    Spanish line, with the details (for whoever maintains the catalog) in a log file."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.ERROR:
            return
        try:
            with ERROR_LOG.open("a", encoding="utf-8") as log:
                log.write(f"{record.name}: {record.getMessage()}\n")
                if record.exc_info:
                    log.write("".join(traceback.format_exception(*record.exc_info)))
        except OSError:
            pass
        print(
            "La vista previa tuvo un error interno y sigue funcionando; si se repite, avisa a "
            f"quien mantiene el catálogo (detalles en {ERROR_LOG}).",
            file=sys.stderr,
            flush=True,
        )


def quiet_library_logs() -> None:
    handler = SpanishErrors()
    for name in ("tornado", "livereload", "asyncio"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.propagate = False
        logger.setLevel(logging.ERROR)
