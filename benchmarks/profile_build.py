"""Where a build spends its time, by kind of work, with little overhead.

    .venv/bin/python benchmarks/profile_build.py CATALOG [--out DIR] [--sin-busqueda]
        [--project DIR] [--cprofile FILE.pstats]

Wraps the functions that do each kind of work (YAML reading, pydantic validation, Markdown
and nh3, related records, Jinja per page kind, citation and metadata, data exports,
writing, Pagefind) with a timer that keeps a stack, so each second is counted once, in the
innermost kind that was running (exclusive time). The wrappers cost about a microsecond a
call, far less than cProfile, which inflates Python-heavy code two to three times.
Run it with the project's Python; --project measures another checkout (a prototype copy).
"""

from __future__ import annotations

import argparse
import functools
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

totals: dict[str, float] = defaultdict(float)  # wall seconds
cpu_totals: dict[str, float] = defaultdict(float)  # CPU seconds of this process and children
calls: dict[str, int] = defaultdict(int)
stack: list[list[Any]] = []  # [kind, wall start, cpu start, nested wall, nested cpu]


def cpu_clock() -> float:
    """CPU seconds of this process plus its finished children (Pagefind)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(kind: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        frame = [kind, time.perf_counter(), cpu_clock(), 0.0, 0.0]
        stack.append(frame)
        try:
            return function(*args, **kwargs)
        finally:
            stack.pop()
            spent = time.perf_counter() - frame[1]
            spent_cpu = cpu_clock() - frame[2]
            totals[kind] += spent - frame[3]
            cpu_totals[kind] += spent_cpu - frame[4]
            calls[kind] += 1
            if stack:
                stack[-1][3] += spent
                stack[-1][4] += spent_cpu

    return wrapper


def patch(owner: Any, name: str, kind: str) -> None:
    original = getattr(owner, name, None)
    if original is None:
        print(f"(no {owner.__name__}.{name} to measure)", file=sys.stderr)
        return
    setattr(owner, name, timed(kind, original))


def instrument() -> None:
    """Wrap the functions that do each kind of work where they are looked up when called.

    Pages are timed by the page function of their site map entry (render.render_entry), so
    a new page kind is measured without a line here."""
    from catalogo import markup, offline, output, render, search, yamlfile

    patch(yamlfile, "parse_document", "YAML: analizar (yamlfile)")
    patch(markup, "markdown_html", "Markdown + nh3")
    patch(output.Stage, "put", "escribir archivos (Stage.put)")
    patch(offline, "finish_site", "sin conexión: lista del trabajador")
    patch(search, "index_site", "Pagefind (subproceso)")
    original = render.render_entry

    def render_entry(site: Any, entry: Any) -> Any:
        kind = f"página: {getattr(entry.make, '__name__', 'otra')}"
        return timed(kind, original)(site, entry)

    render.render_entry = render_entry


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("catalog", type=Path)
    parser.add_argument("--out", type=Path, default=Path("/tmp/catalogo-perfil"))
    parser.add_argument("--project", type=Path, default=ROOT)
    parser.add_argument("--sin-busqueda", action="store_true")
    parser.add_argument("--cprofile", type=Path, help="also write cProfile stats here")
    parser.add_argument(
        "--nucleos",
        type=int,
        default=1,
        help="processes that render pages (default 1: the time of forked workers is not "
        "split by kind of work; 0 leaves the build's own choice)",
    )
    args = parser.parse_args(argv)
    if args.nucleos == 0:
        args.nucleos = None
    sys.path.insert(0, str(args.project / "src"))

    from catalogo.pipeline import BuildOptions, build_site

    instrument()
    if args.nucleos is not None:
        from catalogo import render

        render.available_cores = lambda: args.nucleos  # workers' time is not attributed
    options = BuildOptions(
        catalog_dir=args.catalog,
        out_dir=args.out,
        templates_dir=args.project / "templates",
        static_dir=args.project / "static",
        settings_file=args.project / "site.yaml",
        search=not args.sin_busqueda,
    )
    profiler = None
    if args.cprofile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started, started_cpu = time.perf_counter(), cpu_clock()
    report = build_site(options)
    total, total_cpu = time.perf_counter() - started, cpu_clock() - started_cpu
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.cprofile)
    other = total - sum(totals.values())
    other_cpu = total_cpu - sum(cpu_totals.values())
    rows = sorted(cpu_totals.items(), key=lambda item: -item[1])
    print(
        f"{report.records} registros, {report.files} archivos: build_site {total:.2f} s de "
        f"reloj, {total_cpu:.2f} s de CPU (Python + Pagefind)"
    )
    print(f"pasos (reloj): {', '.join(f'{k} {v:.2f} s' for k, v in report.timings.items())}")
    width = max(len(kind) for kind, _ in rows)
    print(f"  {'tipo de trabajo'.ljust(width)}  {'CPU':>9}  {'%CPU':>6}  {'reloj':>9}  llamadas")
    for kind, seconds in rows:
        share = 100 * seconds / total_cpu
        print(
            f"  {kind.ljust(width)}  {seconds:7.2f} s  {share:5.1f} %  {totals[kind]:7.2f} s"
            f"  {calls[kind]}"
        )
    print(
        f"  {'sin asignar'.ljust(width)}  {other_cpu:7.2f} s  {100 * other_cpu / total_cpu:5.1f} %"
        f"  {other:7.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
