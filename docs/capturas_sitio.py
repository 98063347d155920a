"""Screenshots of the real site for the README: what readers get on a phone and on a desktop.

    .venv/bin/python docs/capturas_sitio.py [nombre ...]

Builds the shipped catalog (with its search index) into a temporary folder, serves it on
127.0.0.1, opens it in Debian's chromium through Playwright (installed with the test
tools: `python3 build.py test` sets them up) and writes small PNGs to docs/img/sitio/.
With Pillow installed (`pip install -e '.[docs]'`) the PNGs are reduced to a palette of
colours, which makes them about four times smaller. Names (e.g. `movil-sin-conexion`) take
only those screenshots.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from catalogo.pipeline import BuildOptions, build_site  # noqa: E402

OUT = ROOT / "docs" / "img" / "sitio"
PREFIX = "/catalogo-trata/"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
COLOURS = 96  # enough for anti-aliased text on a flat design


@dataclass(frozen=True)
class Shot:
    name: str
    path: str
    viewport: dict[str, int]
    # "search": wait for the results; "menu": open the menu; "save": the offline panel,
    # then save the catalog; "offline": the page without a connection (after "save")
    action: str = ""


SHOTS = [
    Shot("movil-portada", "", PHONE),
    Shot("movil-menu", "publico/jueces/", PHONE, "menu"),
    Shot("movil-publico", "publico/jueces/", PHONE),
    Shot("movil-recurso", "recursos/guia-operativa-investigacion-trata/", PHONE),
    Shot("movil-busqueda", "buscar/?q=ninos", PHONE, "search"),
    Shot("escritorio-portada", "", DESKTOP),
    Shot("escritorio-recurso", "recursos/boletin-jurisprudencial-04/", DESKTOP),
    Shot("escritorio-busqueda", "buscar/?q=fiscal", DESKTOP, "search"),
    Shot("movil-guardar", "", PHONE, "save"),
    Shot("movil-sin-conexion", "recursos/guia-operativa-investigacion-trata/", PHONE, "offline"),
]


def chromium() -> str:
    for candidate in (os.environ.get("CATALOGO_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise SystemExit("No se encontró chromium: instálalo con «apt-get install chromium».")
    return found


def serve(site: Path) -> http.server.ThreadingHTTPServer:
    """The site under PREFIX, as GitHub Pages publishes it."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        extensions_map = {  # noqa: RUF012 - the base class declares it as a plain dict
            **http.server.SimpleHTTPRequestHandler.extensions_map,
            ".js": "text/javascript",
            ".wasm": "application/wasm",
        }

        def translate_path(self, path: str) -> str:
            return super().translate_path("/" + path.removeprefix(PREFIX))

        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = functools.partial(Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def take(page: Any, site_url: str, shot: Shot, target: Path) -> None:
    page.set_viewport_size(shot.viewport)
    page.context.set_offline(shot.action == "offline")
    page.goto(site_url + shot.path)
    if shot.action == "save":
        panel = page.locator("[data-guardar]")
        panel.wait_for()
        panel.scroll_into_view_if_needed()
        page.evaluate("() => window.scrollBy(0, -60)")
        page.wait_for_timeout(200)
        page.screenshot(path=str(target))
        page.get_by_role("button", name="Guardar el catálogo para leer sin conexión").click()
        page.get_by_text("Listo: el catálogo está guardado").wait_for(timeout=60_000)
        return
    if shot.action == "search":
        page.wait_for_function(
            "() => document.getElementById('resultados').getAttribute('aria-busy') === 'false'"
            " && document.getElementById('estado').textContent.includes('resultado')"
        )
    if shot.action == "menu":
        page.locator(".menu > summary").click()
    page.wait_for_timeout(200)
    page.screenshot(path=str(target))


def shrink(target: Path) -> None:
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(target) as image:
        reduced = image.convert("RGB").quantize(COLOURS, method=Image.Quantize.MEDIANCUT)
        reduced.save(target, optimize=True)


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "_site"
        server = serve(site)
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        build_site(
            BuildOptions(
                catalog_dir=ROOT / "catalog",
                out_dir=site,
                templates_dir=ROOT / "templates",
                static_dir=ROOT / "static",
                settings_file=ROOT / "site.yaml",
                base_url=PREFIX,
                site_url=origin,
            )
        )
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
            context = browser.new_context(locale="es-PE", device_scale_factor=1)
            page = context.new_page()
            wanted = sys.argv[1:]
            for shot in SHOTS:
                if wanted and shot.name not in wanted and shot.action != "save":
                    continue
                target = OUT / f"{shot.name}.png"
                take(page, origin + PREFIX, shot, target)
                shrink(target)
                print(f"{target.relative_to(ROOT)}: {target.stat().st_size // 1024} KB")
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
