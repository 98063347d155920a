"""Report what the printable catalog costs: `python3 benchmarks/pdf.py [--repeat 3]`.

For the shipped catalog (or --catalog DIR) it prints, as medians: the time to make
catalogo.pdf alone (wall and CPU), its size and page count, and a cold `build` (no cache,
no search index) with and without the PDF, in a fresh process each, with its peak memory.
A script that reports numbers, not a test: nothing fails on a slow result. Run it with the
project's `.venv` Python (it needs WeasyPrint and its Pango library).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from catalogo import pdf  # noqa: E402
from catalogo.loader import load_catalog  # noqa: E402
from catalogo.urls import SiteUrls  # noqa: E402

BUDGET_SECONDS = 15.0
BUDGET_BYTES = 3_000_000


def time_pdf(catalog_dir: Path, repeat: int) -> tuple[list[float], list[float], bytes]:
    catalog = load_catalog(catalog_dir).catalog
    site_urls = SiteUrls(base="/catalogo-trata/", origin="https://oit.github.io")
    pdf.render_pdf(catalog, site_urls, ROOT / "templates")  # WeasyPrint's imports, once
    walls, cpus = [], []
    made = b""
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        made = pdf.render_pdf(catalog, site_urls, ROOT / "templates")
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return walls, cpus, made


def time_build(catalog_dir: Path, with_pdf: bool) -> tuple[float, float, int]:
    """One cold build in a new process: wall seconds, CPU seconds, peak memory in MB."""
    work = Path(tempfile.mkdtemp(prefix="pdf-bench-"))
    command = [
        sys.executable,
        str(ROOT / "build.py"),
        "build",
        "--catalog",
        str(catalog_dir),
        "--out",
        str(work / "_site"),
        "--sin-busqueda",
        "--sin-cache",
    ]
    if not with_pdf:
        command.append("--sin-pdf")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    os.sync()
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    shutil.rmtree(work, ignore_errors=True)
    return wall, cpu, after.ru_maxrss // 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=ROOT / "catalog")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    problem = pdf.pdf_unavailable()
    if problem:
        print(problem)
        return 1
    print(f"Carga al empezar: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    # The builds first: a child process forked from this one once WeasyPrint is loaded
    # would count this process's memory as its own peak.
    for with_pdf in (False, True):
        runs = [time_build(args.catalog, with_pdf) for _ in range(args.repeat)]
        label = "build en frío con PDF" if with_pdf else "build en frío --sin-pdf"
        print(
            f"{label}: {statistics.median(r[0] for r in runs):.2f} s reloj, "
            f"{statistics.median(r[1] for r in runs):.2f} s CPU, "
            f"memoria máx. {max(r[2] for r in runs)} MB"
        )
    walls, cpus, made = time_pdf(args.catalog, args.repeat)
    from io import BytesIO

    from pypdf import PdfReader  # a test dependency: pip install -e '.[test]'

    pages = len(PdfReader(BytesIO(made)).pages)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    print(f"catalogo.pdf: {pdf.format_size(len(made))} ({len(made)} bytes), {pages} páginas")
    print(f"generar el PDF solo: {wall:.2f} s reloj, {cpu:.2f} s CPU (mediana de {args.repeat})")
    verdict = "PASS" if wall < BUDGET_SECONDS and len(made) < BUDGET_BYTES else "FAIL"
    print(f"Presupuesto (< {BUDGET_SECONDS:.0f} s, < 3 MB): {verdict}")
    print(f"Carga al terminar: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
