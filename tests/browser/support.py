"""Helpers for the browser tests: where the tools are, how to skip or fail without them,
and a static server that publishes a built site under a sub-path, like GitHub Pages."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import unquote, urlsplit

import pytest

from catalogo.digests import digest
from catalogo.pipeline import build_site
from tests.support import shipped_options

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request

ROOT = Path(__file__).resolve().parents[2]
BROWSER_DIR = ROOT / "tests" / "browser"
NODE_MODULES = BROWSER_DIR / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = NODE_MODULES / "lighthouse" / "cli" / "index.js"
PREFIX = "/catalogo-trata/"
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REQUIRE_ENV = "CATALOGO_REQUIRE_BROWSER"
FIRST_VIEW_BUDGET = 100 * 1024  # bytes a page's first view may transfer
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
VIDEO = "recursos/video-buenas-practicas-jueces/"
DOCUMENT = "recursos/curso-capacitacion-pnp-investigacion-trata/"
# One page of every kind the site has, by what it is.
PAGE_KINDS = {
    "home": "",
    "section": "objetivo-1/",
    "resource (document)": DOCUMENT,
    "resource (video)": VIDEO,
    "resource (Quechua spot)": "recursos/spot-captacion-quz/",
    "types": "tipos/",
    "type": "tipos/guia/",
    "audiences": "publico/",
    "audience": "publico/jueces/",
    "years": "anios/",
    "year": "anios/2021/",
    "no year": "anios/sin-anio/",
    "series list": "series/",
    "series": "series/spots-radiales/",
    "search": "buscar/?q=victima",
    "about": "acerca/",
    "data": "datos/",
}

NewPage = Callable[..., "Page"]  # the new_page fixture: opens a page in a fresh context


def require(available: bool, what: str) -> None:
    """Skip a test whose tool is missing, or fail it when CI demands the browser tests."""
    if available:
        return
    if os.environ.get(REQUIRE_ENV):
        pytest.fail(f"{what} is missing and {REQUIRE_ENV} is set", pytrace=False)
    pytest.skip(f"{what} is missing (install it, or set {REQUIRE_ENV} to fail instead)")


def chromium_path() -> str | None:
    configured = os.environ.get("CATALOGO_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def node_path() -> str | None:
    return shutil.which("node")


def java_path() -> str | None:
    return shutil.which("java")


def content_tag(path: Path) -> str | None:
    """The ETag of the file a path serves (a folder serves its index.html), or None."""
    if path.is_dir():
        path = path / "index.html"
    if not path.is_file():
        return None
    return f'"{digest(path.read_bytes())}"'


class SiteServer:
    """Serves `site` under `prefix` on 127.0.0.1 from a thread. Paths outside the prefix
    and missing files answer 404 with the site's own 404.html, as GitHub Pages does."""

    def __init__(self, site: Path, prefix: str = PREFIX) -> None:
        self.site = site
        self.prefix = prefix
        handler = self._handler()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = int(self.server.server_address[1])
        self.origin = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> SiteServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str = "") -> str:
        return self.origin + self.prefix + path.lstrip("/")

    def _handler(self) -> type[http.server.SimpleHTTPRequestHandler]:
        owner = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            extensions_map: ClassVar[dict[str, str]] = {
                **http.server.SimpleHTTPRequestHandler.extensions_map,
                ".js": "text/javascript",
                ".json": "application/json",
                ".wasm": "application/wasm",
                ".xml": "application/xml",
            }

            # HTTP/1.1, as GitHub Pages: Chromium ignores the ETag of an HTTP/1.0 answer.
            protocol_version = "HTTP/1.1"

            def __init__(self, *args: object, **kwargs: object) -> None:
                super().__init__(*args, directory=str(owner.site), **kwargs)  # type: ignore[arg-type]

            tag: str | None = None

            def handle_one_request(self) -> None:
                self.tag = None  # a kept connection serves several requests
                super().handle_one_request()

            def send_head(self) -> Any:
                # A copy the browser kept is checked by its content, as GitHub Pages does
                # (ETag). The standard handler checks the modification time in whole seconds:
                # a build published within the same second as the one before would look
                # unchanged, and the browser would keep the old page.
                del self.headers["If-Modified-Since"]
                target = Path(self.translate_path(self.path))
                redirected = target.is_dir() and not urlsplit(self.path).path.endswith("/")
                self.tag = None if redirected else content_tag(target)
                if self.tag and self.tag == self.headers.get("If-None-Match"):
                    self.send_response(304)
                    self.end_headers()
                    return None
                return super().send_head()

            def end_headers(self) -> None:
                if self.tag:
                    self.send_header("ETag", self.tag)
                super().end_headers()

            def translate_path(self, path: str) -> str:
                route = unquote(urlsplit(path).path)
                if not route.startswith(owner.prefix):
                    return str(owner.site / "__fuera_del_prefijo__")
                return super().translate_path("/" + path[len(owner.prefix):])

            def send_error(
                self, code: int, message: str | None = None, explain: str | None = None
            ) -> None:
                page = owner.site / "404.html"
                if code != 404 or not page.exists():
                    super().send_error(code, message, explain)
                    return
                body = page.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


def wait_for_search(page: Any) -> str:
    """Waits until the search page has answered; returns its status line."""
    page.wait_for_function(
        """() => {
            const list = document.getElementById("resultados");
            const line = document.getElementById("estado");
            return list && list.getAttribute("aria-busy") === "false" && line.textContent !== "";
        }"""
    )
    return str(page.inner_text("#estado"))


def result_titles(page: Any) -> list[str]:
    return [str(text) for text in page.locator("#resultados > li h3").all_inner_texts()]


def serve_shipped_catalog(
    tmp_path_factory: pytest.TempPathFactory, name: str, **changes: object
) -> SiteServer:
    """The shipped catalog, built with search under the project-pages prefix. The server
    starts first so that canonical links and feeds point at it (Lighthouse checks them)."""
    site = tmp_path_factory.mktemp(name) / "_site"
    server = SiteServer(site).start()
    build_site(replace(shipped_options(site, PREFIX, server.origin, search=True), **changes))
    return server


def first_view(
    page: Page, url: str, search: bool = False, worker: list[tuple[str, int]] | None = None
) -> tuple[int, list[tuple[str, int]]]:
    """Bytes transferred (headers and encoded bodies) to show `url`, web workers included;
    what the service worker fetches goes to `worker`."""
    loaded: list[tuple[str, int]] = []

    def finished(request: Request) -> None:
        sizes = request.sizes()
        size = (request.url, sizes["responseHeadersSize"] + sizes["responseBodySize"])
        if request.service_worker is None:
            loaded.append(size)
        elif worker is not None:
            worker.append(size)

    page.context.on("requestfinished", finished)
    page.goto(url, wait_until="load")
    if search:
        wait_for_search(page)
    page.wait_for_function("() => !!navigator.serviceWorker.controller")
    page.wait_for_load_state("networkidle")
    return sum(size for _, size in loaded), loaded


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """WCAG 2.2 A and AA, plus the enhanced (7:1) text contrast that gob.pe requires."""
    page.add_script_tag(path=str(AXE))
    run = "options => axe.run(document, {...options, resultTypes: ['violations']})"
    found = page.evaluate(run, {"runOnly": {"type": "tag", "values": AXE_TAGS}})["violations"]
    enhanced = {"runOnly": {"type": "rule", "values": ["color-contrast-enhanced"]}}
    found += page.evaluate(run, enhanced)["violations"]
    return list(found)


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        targets = [node["target"] for node in violation["nodes"][:5]]
        lines.append(f"{violation['id']}: {violation['help']} -> {json.dumps(targets)}")
    return "\n".join(lines)
