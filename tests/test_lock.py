"""Two builds into the same output folder take turns, across processes (lock.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from catalogo.digests import digest
from catalogo.lock import lock_path, output_lock
from catalogo.output import read_manifest
from tests.support import EXAMPLE, ROOT


def build_process(catalog: Path, out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "build",
            "--catalog",
            str(catalog),
            "--out",
            str(out),
            "--sin-busqueda",
            "--sin-cache",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
    )


def test_a_build_waits_while_another_process_holds_the_output(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    with output_lock(out):
        process = build_process(EXAMPLE, out)
        assert process.stdout is not None
        first_line = process.stdout.readline()
        assert first_line.startswith("Otra generación del sitio está escribiendo en ")
        assert first_line.rstrip().endswith("_site/: espero a que termine...")
        time.sleep(1.0)
        assert process.poll() is None, "it waits"
        assert not out.exists(), "and writes nothing meanwhile"
    rest, _ = process.communicate(timeout=120)
    assert process.returncode == 0, rest
    assert "Sitio generado en" in rest
    assert (out / "index.html").is_file()
    assert not lock_path(out).exists(), "nothing is left beside the site"


def complete(out: Path) -> dict[str, str]:
    """The site's manifest, after checking every file in it has the bytes it lists."""
    manifest = read_manifest(out)
    assert manifest is not None and manifest.files
    files = dict(manifest.files)
    for name, expected in files.items():
        assert digest((out / name).read_bytes()) == expected, name
    return files


def test_two_builds_started_together_never_mix_their_sites(tmp_path: Path) -> None:
    """The shipped catalog and a copy with one more record, built at the same moment into
    one folder, four times: each time the site is one of the two, whole."""
    catalog = ROOT / "catalog"
    other = tmp_path / "otro"
    shutil.copytree(catalog, other)
    (other / "objetivo-1" / "guia-extra.yaml").write_text(
        "titulo: Guía extra\ntipo: guia\nanio: 2022\n", encoding="utf-8"
    )
    out = tmp_path / "_site"
    for _ in range(4):
        first, second = build_process(catalog, out), build_process(other, out)
        outputs = [process.communicate(timeout=180)[0] for process in (first, second)]
        assert [first.returncode, second.returncode] == [0, 0], outputs
        files = complete(out)
        has_extra = "recursos/guia-extra/index.html" in files
        assert has_extra == (out / "recursos" / "guia-extra").is_dir()
        listing = (out / "objetivo-1" / "index.html").read_text(encoding="utf-8")
        assert ("Guía extra" in listing) == has_extra, "pages of one catalog only"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["_site", "_site.anterior", "otro"]
