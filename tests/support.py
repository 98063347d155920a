"""Helpers shared by the test modules: where things are, the options of a test build, the
command line as editors run it, the preview as a child process, and small file helpers.

Fixtures live in conftest.py; plain functions and constants live here, so that no test
module imports another (or conftest.py) for a helper.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from catalogo.catalog import Catalog
from catalogo.incremental import Memo
from catalogo.loader import load_catalog
from catalogo.pages import site_map
from catalogo.pipeline import BuildOptions, prepare_site
from catalogo.problems import CatalogError, report
from catalogo.render import render_entry
from catalogo.yamlfile import SafeLoader
from catalogo.yamlsyntax import diagnose

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
EXAMPLE = DATA / "ejemplo"
GOLDEN = DATA / "ejemplo.golden"

# The shipped catalog as GitHub project pages publish it (conftest.shipped_site).
SHIPPED_PREFIX = "/catalogo-trata/"
SHIPPED_ORIGIN = "https://oit.github.io"
# The shipped catalog with its print files (conftest.printed_site).
PDF_REQUIRE_ENV = "CATALOGO_REQUIRE_PDF"
PRINT_PREFIX = "/catalogo-trata/"
PRINT_ORIGIN = "https://oit.github.io"

# Files of a built site that are not compared with the golden output: the markers of a
# site folder, static files (copied as they are), Pagefind's index (not byte-for-byte
# deterministic) and the browser editor's vendored files (tests/test_cms_vendor.py checks
# them; its generated page and configuration are compared).
SITE_MARKERS = {".catalogo-sitio", ".catalogo-manifiesto.json"}
ADMIN_GENERATED = {"admin/index.html", "admin/config.json"}


# --- Builds ----------------------------------------------------------------------------------


def example_options(catalog: Path, out: Path, **changes: object) -> BuildOptions:
    """The options of a test build: the repository's templates and static files, no
    settings file, no search index unless asked."""
    options = {
        "catalog_dir": catalog,
        "out_dir": out,
        "templates_dir": ROOT / "templates",
        "static_dir": ROOT / "static",
        "settings_file": None,
        "base_url": "/",
        "site_url": "https://ejemplo.org",
        "search": False,
    }
    options.update(changes)
    return BuildOptions(**options)  # type: ignore[arg-type]


def shipped_options(out: Path, base_url: str, site_url: str, **changes: object) -> BuildOptions:
    """The options of a build of the shipped catalog with its site.yaml, published at
    `site_url` under `base_url` (GitHub project pages)."""
    settings = {"settings_file": ROOT / "site.yaml", **changes}
    return example_options(ROOT / "catalog", out, base_url=base_url, site_url=site_url, **settings)


def render_in_memory(catalog: Catalog, **changes: object) -> dict[str, bytes]:
    """Every file the site map renders for `catalog`, without writing a site."""
    options = example_options(EXAMPLE, ROOT / "_sin_uso", **changes)
    site = prepare_site(catalog, options, Memo(enabled=False))
    return {
        path: data
        for entry in site_map(site)
        for path, data in zip(entry.paths, render_entry(site, entry), strict=True)
    }


def require_pdf() -> None:
    """Skip a test that needs WeasyPrint's Pango library where it is missing, or fail it
    when CI demands the PDF (.ci/run installs Pango)."""
    from catalogo.pdf import pdf_unavailable

    problem = pdf_unavailable()
    if problem is None:
        return
    if os.environ.get(PDF_REQUIRE_ENV):
        pytest.fail(f"WeasyPrint cannot run and {PDF_REQUIRE_ENV} is set: {problem}")
    pytest.skip(f"WeasyPrint cannot run here ({problem})")


def pdf_text(text: str) -> str:
    """PDF text as one line: words joined across line ends, words hyphenated at a line end
    (WeasyPrint writes U+2010) made whole again."""
    return " ".join(re.sub("\u2010\\s*\n", "", text).split())


def copy_project(tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the example catalog and of the templates, for tests that edit them."""
    catalog = tmp_path / "catalogo"
    templates = tmp_path / "plantillas"
    shutil.copytree(EXAMPLE, catalog)
    shutil.copytree(ROOT / "templates", templates)
    return catalog, templates


# --- What a site holds -----------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every regular file under `folder` (symbolic links left out), by relative path."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def generated_files(site: Path) -> dict[str, bytes]:
    """The files a build renders, as the golden output holds them."""
    files = {}
    for name, data in snapshot(site).items():
        if name.rsplit("/", 1)[-1] in SITE_MARKERS or name.startswith(("static/", "pagefind/")):
            continue
        if name.startswith("admin/") and name not in ADMIN_GENERATED:
            continue
        files[name] = data
    return files


def page(site: Path, path: str) -> str:
    """The HTML of the page at `path` (`recursos/x/`, `404.html`)."""
    name = path + "index.html" if path == "" or path.endswith("/") else path
    return (site / name).read_text(encoding="utf-8")


# --- Editing files as editors do -------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def edit(path: Path, old: str, new: str) -> None:
    """Replace `old` by `new` in a text file; `old` must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


LONG_SERIES = 30  # records add_long_series adds to the example's series of two spots


def add_long_series(catalog: Path) -> None:
    """Thirty more spots in the example's series «spots», after its two (orden 11 to 40):
    longer than a record page lists whole."""
    for number in range(1, LONG_SERIES + 1):
        write(
            catalog / "videos" / f"spot-largo-{number:02d}.yaml",
            f'titulo: "Spot largo {number}"\ntipo: spot-radial\nanio: 2022\nserie: spots\n'
            f"orden: {number + 10}\npublico: [policia]\nidioma: es\n"
            "enlaces:\n  - url: https://www.gob.pe/spot\n",
        )


def load_errors(catalog: Path) -> list[str]:
    """The lines `validate` prints for a catalog that does not load."""
    with pytest.raises(CatalogError) as caught:
        load_catalog(catalog)
    return report(caught.value.problems).splitlines()


# --- The command line and the preview, in child processes ------------------------------------


def run(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """`python3 build.py <args>` as an editor runs it."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wait_for(check: Callable[[], bool], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("timed out waiting for the preview")


def serve_command(catalog: Path, out: Path, port: int, *extra: str) -> list[str]:
    return [
        sys.executable,
        str(ROOT / "build.py"),
        "serve",
        "--port",
        str(port),
        "--catalog",
        str(catalog),
        "--out",
        str(out),
        "--sin-navegador",
        *extra,
    ]


@contextlib.contextmanager
def running_preview(catalog: Path, out: Path, log: Path, *extra: str) -> Iterator[str]:
    """`serve` in a child process writing to `log`; yields its origin, stops it after."""
    port = free_port()
    with log.open("w", encoding="utf-8") as stream:
        process = subprocess.Popen(
            serve_command(catalog, out, port, *extra),
            cwd=ROOT,
            stdout=stream,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=10)


def explain(text: str) -> tuple[int, str]:
    """The line and Spanish message an editor gets for a YAML text with a syntax error."""
    try:
        yaml.compose(text, Loader=SafeLoader)
    except yaml.MarkedYAMLError as error:
        return diagnose(text, error)
    raise AssertionError(f"no syntax error in {text!r}")


class QuietServer(http.server.ThreadingHTTPServer):
    """A local test server on a free port of 127.0.0.1 that keeps the test output quiet:
    clients that give up (timeouts, early closes) are expected."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, handler: type[http.server.BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """Expected in these tests: nothing to print."""


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """A request handler that logs nothing."""

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


@contextlib.contextmanager
def serving(
    handler: type[http.server.BaseHTTPRequestHandler],
) -> Iterator[tuple[http.server.ThreadingHTTPServer, str]]:
    """A local HTTP server answering with `handler` on a free port: it and its origin."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
