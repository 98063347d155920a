"""Time loading a catalog in one process and across the machine's cores:
`.venv/bin/python benchmarks/load.py [CATALOG ...] [--sizes 100,300,1000] [--repeat 5]`.

For each catalog given, and for a synthetic catalog of each size in --sizes (make_catalog.py,
written to a temporary folder), it prints the median wall and CPU seconds (this process and
the children it forked) of `load_catalog` without a cache, read one file after another and
read across the cores (recordreader.py), one after the other in turns so both meet the same
load on the machine. The size where the second starts to win is where PARALLEL_FROM belongs.
Loads run as a build runs them, without cyclic garbage collection (pipeline.py);
--con-recolector leaves the collector on, as `validate` and `links` load.
A script that reports numbers, not a test: nothing fails on a slow result.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_catalog import generate  # noqa: E402

from catalogo.loader import load_catalog  # noqa: E402
from catalogo.pipeline import paused_collector  # noqa: E402
from catalogo.recordreader import PARALLEL_FROM  # noqa: E402
from catalogo.workers import available_cores  # noqa: E402

ONE_PROCESS = sys.maxsize  # a parallel_from no catalog reaches
ACROSS_CORES = 1


def cpu_seconds() -> float:
    """User and system time of this process and of the children it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def time_load(catalog: Path, parallel_from: int) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), cpu_seconds()
    loaded = load_catalog(catalog, parallel_from=parallel_from)
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    del loaded
    return wall, cpu


def compare(catalog: Path, repeat: int) -> str:
    """One line: the catalog's record count, then both ways of loading it."""
    count = len(load_catalog(catalog, parallel_from=ONE_PROCESS).catalog.records)  # warms up
    times: dict[int, list[tuple[float, float]]] = {ONE_PROCESS: [], ACROSS_CORES: []}
    for _ in range(repeat):
        for parallel_from, runs in times.items():
            runs.append(time_load(catalog, parallel_from))
    one, across = (
        (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
        for runs in times.values()
    )
    return (
        f"{catalog.name} ({count} registros): un proceso {one[0]:.3f} s reloj, "
        f"{one[1]:.3f} s CPU; repartido {across[0]:.3f} s reloj, {across[1]:.3f} s CPU "
        f"({across[0] / one[0]:.2f}× el reloj)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("catalogs", nargs="*", type=Path, help="catalog folders to load")
    parser.add_argument("--sizes", default="", help="synthetic catalogs, e.g. 100,300,1000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--con-recolector", action="store_true", help="cyclic GC left on")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size]
    print(f"Núcleos: {available_cores()}; PARALLEL_FROM = {PARALLEL_FROM} archivos")
    print(f"Recolector de ciclos: {'activo' if args.con_recolector else 'en pausa, como en build'}")
    print(f"Carga al empezar: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    collector = contextlib.nullcontext() if args.con_recolector else paused_collector()
    with collector, tempfile.TemporaryDirectory(prefix="load-bench-") as work:
        for catalog in args.catalogs:
            print(compare(catalog, args.repeat), flush=True)
        for size in sizes:
            catalog = generate(size, Path(work) / f"catalogo-{size}")
            print(compare(catalog, args.repeat), flush=True)
    print(f"Carga al terminar: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
