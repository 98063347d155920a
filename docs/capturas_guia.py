#!/usr/bin/env python3
"""Screenshots and generated parts of the editor's guide (docs/guia-del-editor.md).

    .venv/bin/python docs/capturas_guia.py            # images and the guide's generated part
    .venv/bin/python docs/capturas_guia.py --comprobar  # only check the generated part is current

The images come from the real thing: `build.py serve` on a copy of the shipped catalog,
opened in Chromium (Debian's, driven by Playwright), with a real slip typed into a record,
so the overlay and the terminal show the messages an editor gets (the terminal image is
serve's own output, set in a page to photograph it). They are written to
docs/img/guia/ as small palette PNGs (Pillow: `pip install -e '.[docs]'`).

The guide's section on the most common mistakes is generated from the corpus of slips that
the tests check (tests/data/deslices/_casos.yaml), so its messages cannot drift from what
`validate` says.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "guia-del-editor.md"
IMAGES = ROOT / "docs" / "img" / "guia"
SLIPS = ROOT / "tests" / "data" / "deslices"
START = "<!-- errores-frecuentes: generado por docs/capturas_guia.py; no editar a mano -->"
END = "<!-- fin de errores-frecuentes -->"
MISTAKES = 12
RECORD = Path("objetivo-1") / "guia-operativa-investigacion-trata.yaml"
VIEWPORT = {"width": 1000, "height": 680}
COLOURS = 96  # palette size: screenshots of a flat site stay sharp with few colours
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# ----------------------------------------------------------------- the generated section


def mistakes_section() -> str:
    """The guide's «errores más comunes», from the first cases of the corpus."""
    cases: list[dict[str, Any]] = yaml.safe_load(
        (SLIPS / "_casos.yaml").read_text(encoding="utf-8")
    )
    parts = [START, ""]
    for number, case in enumerate(cases[:MISTAKES], start=1):
        parts += describe_mistake(number, case)
    parts.append(END)
    return "\n".join(parts)


def describe_mistake(number: int, case: dict[str, Any]) -> list[str]:
    lines = (SLIPS / case["archivo"]).read_text(encoding="utf-8").split("\n")
    line = int(case["linea"])
    first, last = max(1, line - 2), min(len(lines), line + 1)
    shown = [
        f"{n:>2} | {visible(lines[n - 1])}" for n in range(first, last + 1) if n <= len(lines)
    ]
    has_tab = any("\t" in lines[n - 1] for n in range(first, last + 1))
    place = f"catalog/objetivo-1/{case['archivo']}:{case['linea']}"
    fix = [visible(text) for text in str(case["arreglo"]).split("\n")]
    out = [
        f"### {number}. {case['titulo']}",
        "",
        "Así está escrito (el número de la izquierda es el de la línea):",
        "",
        "```",
        *shown,
        "```",
        "",
    ]
    if has_tab:
        out += ["(`⇥` marca un tabulador: en el archivo no se ve.)", ""]
    out += [
        "Lo que dice la vista previa (y `python3 build.py validar`):",
        "",
        "```",
        f"{place}: {case['mensaje']}",
        "```",
        "",
        f"Cómo queda la línea {case['linea']}, corregida:",
        "",
        "```yaml",
        *fix,
        "```",
        "",
    ]
    return out


def visible(text: str) -> str:
    return text.replace("\t", "⇥   ")


def update_guide(check: bool) -> bool:
    """Put the generated section in the guide; with `check`, only say whether it is current."""
    text = GUIDE.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"{GUIDE} no tiene la sección generada ({START})")
    new = pattern.sub(lambda _: mistakes_section(), text)
    if check:
        return new == text
    if new != text:
        GUIDE.write_text(new, encoding="utf-8", newline="\n")
    return True


# ------------------------------------------------------------------------- screenshots


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def wait_until_up(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"la vista previa no respondió en {url}")


def shrink(path: Path) -> None:
    """A palette PNG: a tenth of the size of the browser's screenshot, as sharp."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT)
        small.save(path, optimize=True)


def edit(record: Path, old: str, new: str) -> None:
    text = record.read_text(encoding="utf-8")
    assert old in text, old
    record.write_text(text.replace(old, new, 1), encoding="utf-8")


def terminal_page(log: str) -> str:
    """The preview's terminal output as a page, to photograph it like the window it is."""
    return (
        "<!doctype html><meta charset='utf-8'><style>"
        "body{margin:0;background:#0c0c0c;color:#e6e6e6;font:15px/1.45 'DejaVu Sans Mono',"
        "monospace;padding:14px 18px}pre{margin:0;white-space:pre-wrap;word-break:break-word}"
        f"</style><pre>{html.escape(log.strip())}</pre>"
    )


def take_screenshots() -> list[Path]:
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="capturas-guia-"))
    catalog = work / "catalog"
    shutil.copytree(ROOT / "catalog", catalog)
    record = catalog / RECORD
    port = 8000 if port_is_free(8000) else free_port()  # the address an editor sees
    origin = f"http://127.0.0.1:{port}"
    log_path = work / "serve.log"
    command = [
        sys.executable, str(ROOT / "build.py"), "serve", "--catalog", str(catalog),
        "--out", str(work / "_site"), "--port", str(port), "--sin-navegador",
    ]  # fmt: skip
    IMAGES.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with log_path.open("w", encoding="utf-8") as log:
        server = subprocess.Popen(command, cwd=work, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_up(origin + "/")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
                )
                page = browser.new_page(viewport=VIEWPORT, locale="es-PE", device_scale_factor=1)

                def shot(name: str) -> None:
                    path = IMAGES / name
                    page.screenshot(path=str(path))
                    written.append(path)

                def connected(url: str) -> None:
                    page.goto(url)
                    page.wait_for_selector("html[data-vista-previa='conectada']", state="attached")

                connected(origin + "/")
                shot("portada.png")
                connected(f"{origin}/recursos/{RECORD.stem}/")
                shot("registro.png")
                edit(record, "tipo: guia", "tipo guia")
                page.locator("#catalogo-problemas").wait_for()
                shot("problema.png")
                edit(record, "tipo guia", "tipo: guia")
                page.locator("#catalogo-problemas").wait_for(state="detached")
                edit(record, "tipo: guia\n", "tipo: guia\nborrador: true\n")
                page.locator(".borrador-aviso").wait_for()
                shot("borrador.png")
                edit(record, "tipo: guia\nborrador: true\n", "tipo: guia\n")
                page.locator(".borrador-aviso").wait_for(state="detached")
                time.sleep(0.5)
                output = log_path.read_text(encoding="utf-8")
                page.goto("about:blank")  # the site's CSP would refuse the page's own style
                page.set_viewport_size({"width": VIEWPORT["width"], "height": 360})
                page.set_content(terminal_page(output))
                shot("terminal.png")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    shutil.rmtree(work, ignore_errors=True)
    for path in written:
        shrink(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--comprobar", action="store_true", help="solo comprueba que la guía está al día"
    )
    args = parser.parse_args()
    if args.comprobar:
        current = update_guide(check=True)
        print("La guía está al día." if current else "La guía no está al día: ejecuta docs/capturas_guia.py")
        raise SystemExit(0 if current else 1)
    update_guide(check=False)
    for path in take_screenshots():
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
