#!/usr/bin/env python3
"""Warm rebuilds and serve's rebuild after one edit, timed inside the project's Python.

    python serve_worker.py CATALOG OUT PROJECT TIMES BUDGET

run.py starts it with the Python and PYTHONPATH of the checkout it measures, which may be
an older one: each step uses whichever API that checkout has. It prints one JSON line.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from timing import cpu_clock


def worker_warm(catalog: Path, out: Path, project: Path, times: int, budget: float) -> None:
    """Runs inside the project's Python: warm build_site and serve.rebuild timings."""
    import contextlib
    import io
    from dataclasses import replace

    from catalogo import serve as serve_module
    from catalogo.loader import load_catalog

    try:
        from catalogo.pipeline import BuildOptions, build_site
    except ImportError:  # checkouts before the pipeline module
        from catalogo.site import BuildOptions, build_site  # type: ignore[no-redef]

    options = BuildOptions(
        catalog_dir=catalog,
        out_dir=out,
        templates_dir=project / "templates",
        static_dir=project / "static",
        settings_file=project / "site.yaml",
        search=True,
    )
    cache: Any
    started = time.perf_counter()
    try:  # newer checkouts: one memo layer (parsed records, what each file was made of)
        from catalogo.incremental import Memo

        cache = Memo()
        build_site(options, cache)  # serve's first build fills it
    except ImportError:
        try:  # one BuildCache (parsed records and rendered files)
            from catalogo.cache import BuildCache

            cache = BuildCache()
            build_site(options, cache)
        except ImportError:  # older ones: a LoadCache of parsed records; loading fills it
            from catalogo.loader import LoadCache  # type: ignore[attr-defined]

            cache = LoadCache()
            load_catalog(catalog, cache)
    result: dict[str, Any] = {"first": time.perf_counter() - started}
    files = sorted(catalog.glob("*/*.yaml"))
    target = files[len(files) // 2]
    original = target.read_bytes()

    def edit(number: int) -> None:
        lines = original.decode("utf-8").splitlines(keepends=True)
        for index, line in enumerate(lines):
            if line.startswith("titulo: "):
                body = line.rstrip("\n")
                suffix = f" (editado {number})"
                body = body[:-1] + suffix + '"' if body.endswith('"') else body + suffix
                lines[index] = body + "\n"
                break
        target.write_text("".join(lines), encoding="utf-8")

    try:
        warm: list[float] = []
        timings: list[dict[str, float]] = []
        warm_cpu: list[float] = []
        for number in range(times):
            edit(number)
            started, started_cpu = time.perf_counter(), cpu_clock()
            report = build_site(options, cache)
            warm.append(time.perf_counter() - started)
            warm_cpu.append(cpu_clock() - started_cpu)
            timings.append(report.timings)
            if warm[0] > budget:
                break
        result["warm"] = warm
        result["warm_cpu"] = warm_cpu
        result["warm_timings"] = {
            key: statistics.median(t[key] for t in timings) for key in timings[0]
        }
        counted = getattr(cache, "render", cache)  # BuildCache counts pages in .render
        result["cache"] = {
            "hits": getattr(counted, "hits", None),
            "misses": getattr(counted, "misses", None),
        }
        if hasattr(serve_module, "preview_build"):  # the preview's own options (drafts, overlay)
            preview = serve_module.preview_build(options)
        else:
            preview = replace(options, preview=True)
        steps = serve_steps(serve_module, preview, cache)
        # serve starts with a preview build (every page carries the overlay script): do the
        # same, untimed, so the timed rebuilds below are rebuilds after one edit
        with contextlib.redirect_stdout(io.StringIO()):
            steps.first()
        serve: list[float] = []
        serve_cpu: list[float] = []
        reindex: list[float] = []
        for number in range(times):
            edit(100 + number)
            started, started_cpu = time.perf_counter(), cpu_clock()
            with contextlib.redirect_stdout(io.StringIO()):
                ok = steps.rebuild()
            serve.append(time.perf_counter() - started)
            serve_cpu.append(cpu_clock() - started_cpu)
            if steps.later is not None:  # serve publishes first, then brings the index up to date
                started = time.perf_counter()
                with contextlib.redirect_stdout(io.StringIO()):
                    steps.later()
                reindex.append(time.perf_counter() - started)
            if not ok:
                raise SystemExit(f"serve rebuild failed: {steps.summary()}")
            if serve[0] > budget:
                break
        result["serve"] = serve
        result["serve_cpu"] = serve_cpu
        result["reindex"] = reindex
    finally:
        target.write_bytes(original)
    result["poll"] = livereload_poll_seconds(catalog)
    print(json.dumps(result))


@dataclass
class ServeSteps:
    """serve's first build, rebuild and follow-up, whichever API the checkout has."""

    first: Callable[[], object]
    rebuild: Callable[[], bool]
    later: Callable[[], object] | None
    summary: Callable[[], str]


def serve_steps(serve_module: Any, preview: Any, cache: Any) -> ServeSteps:
    if hasattr(serve_module, "Preview"):  # one object per running preview
        runner = serve_module.Preview(preview)
        if hasattr(runner, "memo"):
            runner.memo = cache
        else:
            runner.cache = cache
        return ServeSteps(
            runner.first_build, runner.rebuild, runner.reindex, lambda: runner.state.summary
        )
    state = serve_module.PreviewState()  # older checkouts: functions of (options, cache, state)
    first = getattr(serve_module, "first_build", serve_module.rebuild)
    later = getattr(serve_module, "reindex", None)
    return ServeSteps(
        lambda: first(preview, cache, serve_module.PreviewState()),
        lambda: bool(serve_module.rebuild(preview, cache, state)),
        (lambda: later(preview, cache)) if later is not None else None,
        lambda: str(state.summary),
    )


def livereload_poll_seconds(catalog: Path) -> float | None:
    """What one look at the catalog folder costs (livereload's Watcher, as serve uses it)."""
    try:
        from livereload.watcher import Watcher
    except ImportError:
        return None
    watcher = Watcher()
    watcher.watch(str(catalog), lambda: None, delay=0.2)
    watcher.examine()  # first pass records every file's mtime
    started = time.perf_counter()
    watcher.examine()
    return time.perf_counter() - started


if __name__ == "__main__":
    catalog, out, project, times, budget = sys.argv[1:6]
    worker_warm(Path(catalog), Path(out), Path(project), int(times), float(budget))
