"""Helpers for the browser tests: where the tools are, how to skip or fail without them,
and a static server that publishes a built site under a sub-path, like GitHub Pages."""

from __future__ import annotations

import http.server
import os
import shutil
import threading
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

import pytest

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

            def __init__(self, *args: object, **kwargs: object) -> None:
                super().__init__(*args, directory=str(owner.site), **kwargs)  # type: ignore[arg-type]

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
