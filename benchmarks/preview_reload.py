#!/usr/bin/env python3
"""From a save to the updated page: how long an editor waits in the live preview.

    .venv/bin/python benchmarks/preview_reload.py [--catalog catalog] [--repeat 10]

Starts `build.py serve` on a copy of the catalog (without the search index, as the first
thing an editor sees does not need it), opens a record page in Chromium (Debian's, driven by
Playwright), then edits the record's title on disk again and again. Each time it measures
from the moment the file is written to the moment the open page shows the new title (the
page reloads by itself: nothing here reloads it). It reports every time, the median and the
slowest, and the rebuild times serve printed. A script that reports numbers, not a test.
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RECORD = Path("objetivo-1") / "guia-operativa-investigacion-trata.yaml"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_server(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the preview did not answer at {url}")


def measure(catalog: Path, repeat: int) -> None:
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="vista-previa-"))
    copy = work / "catalog"
    shutil.copytree(catalog, copy)
    record = copy / RECORD
    original = record.read_text(encoding="utf-8")
    title = re.search(r"^titulo: (.*)$", original, re.MULTILINE)
    assert title, "the record has a title line"
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    log = (work / "serve.log").open("w", encoding="utf-8")
    command = [
        sys.executable, str(ROOT / "build.py"), "serve", "--catalog", str(copy),
        "--out", str(work / "_site"), "--port", str(port), "--sin-busqueda", "--sin-navegador",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    times: list[float] = []
    try:
        wait_for_server(origin + "/")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            page = browser.new_page()
            page.goto(f"{origin}/recursos/{RECORD.stem}/")
            page.wait_for_selector("html[data-vista-previa='conectada']", state="attached")
            for number in range(1, repeat + 1):
                new_title = f"{title.group(1)} (edición {number})"
                text = original.replace(title.group(0), f"titulo: {new_title}", 1)
                time.sleep(0.5)  # an editor reads before saving again
                started = time.perf_counter()
                record.write_text(text, encoding="utf-8")
                page.get_by_role("heading", level=1, name=new_title).wait_for(timeout=30_000)
                times.append(time.perf_counter() - started)
                page.wait_for_selector("html[data-vista-previa='conectada']", state="attached")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    rebuilds = [
        float(found)
        for found in re.findall(r"Sitio actualizado en (\d+) ms", (work / "serve.log").read_text())
    ][1:]  # the first is serve's start
    shutil.rmtree(work, ignore_errors=True)
    report(catalog, times, rebuilds)


def report(catalog: Path, times: list[float], rebuilds: list[float]) -> None:
    records = sum(1 for _ in catalog.glob("*/*.yaml"))
    print(f"Catálogo: {catalog} ({records} registros), {len(times)} ediciones del título")
    print("Desde guardar hasta ver la página actualizada (s): " + ", ".join(f"{t:.2f}" for t in times))
    print(f"  mediana {statistics.median(times):.2f} s, la más lenta {max(times):.2f} s (objetivo: 1.5 s)")
    if rebuilds:
        print(
            f"Reconstrucción en serve (ms): mediana {statistics.median(rebuilds):.0f}, "
            f"la más lenta {max(rebuilds):.0f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalog", type=Path, default=ROOT / "catalog")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    measure(args.catalog.resolve(), args.repeat)


if __name__ == "__main__":
    main()
