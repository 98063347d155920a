"""The PNG icons of the web app manifest and the Apple touch icon, from static/icono.svg.

    .venv/bin/python docs/iconos_app.py

Phones want bitmaps to put the catalog on their home screen: Android 192 and 512 px
(and a "maskable" one, which it crops to its own shape), iOS 180 px. This script draws
static/icono.svg at those sizes in Debian's chromium (Playwright, installed with the test
tools) and writes them to static/. The maskable and Apple icons fill the whole square
(no rounded corners: the phone rounds them); the document drawn on it already sits inside
the central circle a maskable icon must keep (its corners are 33 % of the width from the
centre; the limit is 40 %). Run it again after changing static/icono.svg, and commit
the PNGs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "static"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
ICONS = {
    "icono-192.png": (192, False),
    "icono-512.png": (512, False),
    "icono-maskable-512.png": (512, True),
    "icono-180.png": (180, True),
}


def chromium() -> str:
    for candidate in (os.environ.get("CATALOGO_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    sys.exit("Falta chromium (apt-get install chromium).")


def drawing(full_bleed: bool) -> str:
    svg = (STATIC / "icono.svg").read_text(encoding="utf-8")
    if full_bleed:
        svg = svg.replace(' rx="6"', "")
    return svg.replace("<svg ", '<svg width="100%" height="100%" ', 1)


def main() -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        for name, (size, full_bleed) in ICONS.items():
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(
                "<!doctype html><html><body style='margin:0;overflow:hidden'>"
                f"<div style='width:{size}px;height:{size}px'>{drawing(full_bleed)}</div>"
                "</body></html>"
            )
            page.screenshot(path=str(STATIC / name), omit_background=True)
            page.close()
            print(f"{name}: {size}x{size}, {(STATIC / name).stat().st_size} bytes")
        browser.close()


if __name__ == "__main__":
    main()
