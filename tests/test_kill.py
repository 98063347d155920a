"""A build killed at any moment cannot lose the published site.

`build.py build` of a few hundred synthetic records runs in a subprocess and is killed with
SIGKILL (the whole process group, Pagefind included) at chosen moments: as soon as its
`_site.tmp-*` folder exists, halfway through writing the pages, while Pagefind indexes, and
between the two renames of the swap. The previous site must be intact byte for byte (or,
for the swap, intact beside it in `_site.old-*`), and the next run must clean the leftovers
or restore the site.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from catalogo import output
from catalogo.output import MARKER, recover_interrupted
from catalogo.pipeline import build_site
from catalogo.problems import CatalogError
from tests.support import DATA, EXAMPLE, ROOT, example_options, snapshot

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name == "nt", reason="SIGKILL and process groups are POSIX"),
]

RECORDS = 200
NEW_RECORD = "registro-nuevo"


def add_records(catalog: Path, count: int) -> None:
    for index in range(count):
        section, kind = ("guias", "guia") if index % 2 else ("videos", "video")
        (catalog / section / f"sintetico-{index:04d}.yaml").write_text(
            f'titulo: "Registro sintético {index}: guía de prueba"\n'
            f"tipo: {kind}\n"
            f"anio: {1990 + index % 35}\n"
            "descripcion: >-\n"
            f"  Descripción del registro {index}. {'Texto de relleno. ' * 30}\n"
            "publico: [policia, fiscalia]\n"
            "instituciones: [oe]\n"
            "enlaces:\n"
            f"  - url: https://example.org/{index}.pdf\n"
            "    formato: pdf\n"
            "fecha_alta: 2024-05-01\n",
            encoding="utf-8",
        )


@dataclass(frozen=True)
class Catalogs:
    previous: Path  # what the published site was built from
    following: Path  # the same with one more record: the build that gets killed
    site: Path  # the published site of `previous`, to copy into each test
    files: dict[str, bytes]


@pytest.fixture(scope="module")
def catalogs(tmp_path_factory: pytest.TempPathFactory) -> Catalogs:
    base = tmp_path_factory.mktemp("matar")
    previous = base / "anterior"
    shutil.copytree(EXAMPLE, previous)
    add_records(previous, RECORDS)
    following = base / "siguiente"
    shutil.copytree(previous, following)
    (following / "guias" / f"{NEW_RECORD}.yaml").write_text(
        "titulo: Registro nuevo\ntipo: guia\nanio: 2024\n", encoding="utf-8"
    )
    site = base / "publicado" / "_site"
    build_site(example_options(previous, site))
    return Catalogs(previous, following, site, snapshot(site))


def published(catalogs: Catalogs, tmp_path: Path) -> Path:
    out = tmp_path / "web" / "_site"
    shutil.copytree(catalogs.site, out)
    return out


def staging_folders(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f"{out.name}.tmp-*"))


def files_in(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


def build_command(catalog: Path, out: Path, search: bool) -> list[str]:
    command = [sys.executable, str(ROOT / "build.py"), "build", "--catalog", str(catalog)]
    command += ["--out", str(out), "--base-url", "/", "--site-url", "https://ejemplo.org"]
    return command if search else [*command, "--sin-busqueda"]


def kill_when(command: list[str], moment: Callable[[], bool], timeout: float = 180) -> None:
    """Run `command` and SIGKILL its whole process group as soon as `moment()` is true."""
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group: Pagefind dies with it
    )
    deadline = time.monotonic() + timeout
    try:
        while process.poll() is None:
            if moment():
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                return
            if time.monotonic() > deadline:
                pytest.fail("la compilación no llegó al momento esperado a tiempo")
            time.sleep(0.001)
        pytest.fail(f"la compilación terminó (código {process.returncode}) antes del momento")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def check_next_runs(catalogs: Catalogs, out: Path) -> None:
    """A failed build keeps the site; the next good build cleans up and publishes."""
    with pytest.raises(CatalogError):
        build_site(example_options(DATA / "invalido", out))
    assert snapshot(out) == catalogs.files
    build_site(example_options(catalogs.following, out))
    assert sorted(p.name for p in out.parent.iterdir()) == ["_site", "_site.anterior"]
    assert (out / "recursos" / NEW_RECORD / "index.html").is_file()
    assert (out / MARKER).is_file()


MOMENTS = ["carpeta-creada", "a-mitad-de-escribir", "indexando"]


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_build_killed_while_writing_leaves_the_site_byte_for_byte(
    moment: str, catalogs: Catalogs, tmp_path: Path
) -> None:
    out = published(catalogs, tmp_path)
    half = len(catalogs.files) // 2

    def reached() -> bool:
        staging = staging_folders(out)
        if not staging:
            return False
        if moment == "carpeta-creada":
            return True
        if moment == "a-mitad-de-escribir":
            return files_in(staging[0]) >= half
        return (staging[0] / "pagefind").exists()  # written by Pagefind, after the pages

    kill_when(build_command(catalogs.following, out, search=moment == "indexando"), reached)
    assert snapshot(out) == catalogs.files
    # A killed build leaves its staging folder and its lock file (the next build takes over
    # both: check_next_runs); the published site is untouched.
    leftovers = [p.name for p in out.parent.iterdir() if p.name not in ("_site", "_site.lock")]
    assert leftovers and all(name.startswith("_site.tmp-") for name in leftovers)
    check_next_runs(catalogs, out)


# Between the two renames of the swap (the site moved aside, the new one not yet in place)
# the window is too short to hit from outside, so the build kills itself right there.
KILL_IN_SWAP = """
import os, signal, sys
real_replace = os.replace
def replace(source, target, *args, **kwargs):
    real_replace(source, target, *args, **kwargs)
    if ".old-" in os.fspath(target):
        os.kill(os.getpid(), signal.SIGKILL)
os.replace = replace
from catalogo.cli import main
sys.exit(main(sys.argv[1:]))
"""


def killed_in_swap(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    out = tmp_path / "web" / "_site"
    build_site(example_options(EXAMPLE, out))
    files = snapshot(out)
    catalog = tmp_path / "catalogo"
    shutil.copytree(EXAMPLE, catalog)
    (catalog / "guias" / f"{NEW_RECORD}.yaml").write_text(
        "titulo: Registro nuevo\ntipo: guia\n", encoding="utf-8"
    )
    command = build_command(catalog, out, search=False)
    result = subprocess.run(
        [sys.executable, "-c", KILL_IN_SWAP, *command[2:]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert not out.exists()
    olds = sorted(out.parent.glob("_site.old-*"))
    assert len(olds) == 1 and snapshot(olds[0]) == files  # the site, intact, beside it
    assert len(staging_folders(out)) == 1
    return out, files


def test_a_build_killed_in_the_swap_keeps_the_site_beside_and_recovery_restores_it(
    tmp_path: Path,
) -> None:
    out, files = killed_in_swap(tmp_path)
    recover_interrupted(out)
    assert snapshot(out) == files
    assert sorted(p.name for p in out.parent.iterdir()) == ["_site", "_site.lock"]


def test_after_a_kill_in_the_swap_the_next_build_publishes_and_cleans(tmp_path: Path) -> None:
    out, _ = killed_in_swap(tmp_path)
    catalog = tmp_path / "catalogo"
    build_site(example_options(catalog, out))
    assert (out / "recursos" / NEW_RECORD / "index.html").is_file()
    assert sorted(p.name for p in out.parent.iterdir()) == ["_site", "_site.anterior"]


def test_after_a_kill_in_the_swap_even_a_failed_build_restores_the_site(tmp_path: Path) -> None:
    out, files = killed_in_swap(tmp_path)
    with pytest.raises(CatalogError):
        build_site(example_options(DATA / "invalido", out))
    assert snapshot(out) == files


# A disk that fails (full, read-only) is a problem for the editor, not a traceback, and the
# site is kept.


def test_a_disk_error_while_writing_is_a_problem_and_keeps_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "web" / "_site"
    build_site(example_options(EXAMPLE, out))
    files = snapshot(out)
    real_write = output.write_file
    written = 0

    def full_disk(path: str, data: bytes) -> None:
        nonlocal written
        written += 1
        if written > 5:
            raise OSError(errno.ENOSPC, "No queda espacio en el dispositivo", path)
        real_write(path, data)

    monkeypatch.setattr(output, "write_file", full_disk)
    with pytest.raises(CatalogError) as caught:
        # Another address changes every page, so they are written, not linked.
        build_site(example_options(EXAMPLE, out, site_url="https://otro.example.org"))
    monkeypatch.undo()
    message = caught.value.problems[0].message
    assert message.startswith(f"no se pudo escribir el sitio en {out}: No queda espacio")
    assert message.endswith("el sitio anterior sigue como estaba")
    assert snapshot(out) == files
    assert sorted(p.name for p in out.parent.iterdir()) == ["_site"]


def test_the_published_folder_has_the_usual_permissions(tmp_path: Path) -> None:
    """Not the private 0700 of a temporary folder: a web server must be able to read it."""
    out = tmp_path / "_site"
    build_site(example_options(EXAMPLE, out))
    usual = tmp_path / "carpeta-normal"
    usual.mkdir()
    assert stat.S_IMODE(out.stat().st_mode) == stat.S_IMODE(usual.stat().st_mode)
