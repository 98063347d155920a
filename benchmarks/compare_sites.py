#!/usr/bin/env python3
"""Build a catalog with two checkouts of the generator and compare the sites, file by file.

    python3 benchmarks/compare_sites.py OTHER_CHECKOUT [--catalog DIR] [--sin-pdf]

A change to the generator's code should not change what readers get unless it says so:
this builds the catalog with this checkout and with OTHER_CHECKOUT (each with its own code
and, unless --catalog names one for both, its own catalog/ folder, whose settings files may
differ between versions; the same Python), publishing under the same base path and address,
and lists every file that is only in one site or differs. The search index (pagefind/) is
compared by its file names only where Pagefind's own output is not deterministic, and the
manifest is left out: it records how the site was built, not what readers get.
Standard library only; the builds run with this checkout's .venv Python.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = (".catalogo-manifiesto.json", "pagefind/")
BUILD_ARGS = [
    "--base-url",
    "/catalogo-trata/",
    "--site-url",
    "https://oit.github.io",
    "--repositorio",
    "oit/catalogo-trata",
]


def python() -> str:
    candidate = ROOT / ".venv" / "bin" / "python"
    return str(candidate) if candidate.exists() else sys.executable


def build(checkout: Path, catalog: Path, out: Path, extra: list[str]) -> None:
    env = dict(os.environ, PYTHONPATH=str(checkout / "src"), PYTHONDONTWRITEBYTECODE="1")
    command = [python(), str(checkout / "build.py"), "build", "--catalog", str(catalog)]
    command += ["--out", str(out), "--settings", str(checkout / "site.yaml"), *BUILD_ARGS]
    result = subprocess.run(
        [*command, *extra], env=env, cwd=checkout, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"the build with {checkout} failed:\n{result.stdout}{result.stderr}")


def files_of(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file() and not path.relative_to(site).as_posix().startswith(SKIPPED)
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("other", type=Path, help="the other checkout (e.g. main's)")
    parser.add_argument("--catalog", type=Path, default=None, help="one catalog for both")
    parser.add_argument("--sin-pdf", action="store_true", help="build both without the PDF")
    args = parser.parse_args(argv)
    extra = ["--sin-pdf"] if args.sin_pdf else []
    with tempfile.TemporaryDirectory() as work:
        ours, theirs = Path(work) / "nuestro", Path(work) / "otro"
        other = args.other.resolve()
        build(ROOT, (args.catalog or ROOT / "catalog").resolve(), ours, extra)
        build(other, (args.catalog or other / "catalog").resolve(), theirs, extra)
        mine, others = files_of(ours), files_of(theirs)
    only_ours = sorted(set(mine) - set(others))
    only_theirs = sorted(set(others) - set(mine))
    changed = sorted(name for name in set(mine) & set(others) if mine[name] != others[name])
    for label, names in (("only here", only_ours), ("only there", only_theirs)):
        for name in names:
            print(f"{label}: {name}")
    for name in changed:
        print(f"differs: {name}")
    same = len(set(mine) & set(others)) - len(changed)
    print(f"{same} files identical, {len(changed)} differ, {len(only_ours)} only here, "
          f"{len(only_theirs)} only there")
    return 1 if changed or only_ours or only_theirs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
