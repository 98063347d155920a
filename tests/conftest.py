"""Shared fixtures: the repository root, the tiny example catalog, a built example site."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalogo.catalog import Catalog
from catalogo.incremental import Memo
from catalogo.pages import site_map
from catalogo.pipeline import BuildOptions, prepare_site
from catalogo.render import render_entry

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
EXAMPLE = DATA / "ejemplo"


@pytest.fixture(autouse=True)
def _run_from_repository_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Problem paths are shown relative to the working folder, as editors see them; build
    caches of commands run by tests go to a temporary folder, not the checkout's .cache/."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("CATALOGO_CACHE", str(tmp_path / "cache"))


@pytest.fixture
def example_catalog(tmp_path: Path) -> Path:
    """A private copy of the example catalog that a test may change."""
    target = tmp_path / "catalogo"
    shutil.copytree(EXAMPLE, target)
    return target


def example_options(catalog: Path, out: Path, **changes: object) -> BuildOptions:
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


def render_in_memory(catalog: Catalog, **changes: object) -> dict[str, bytes]:
    """Every file the site map renders for `catalog`, without writing a site."""
    options = example_options(EXAMPLE, ROOT / "_sin_uso", **changes)
    site = prepare_site(catalog, options, Memo(enabled=False))
    return {
        path: data
        for entry in site_map(site)
        for path, data in zip(entry.paths, render_entry(site, entry), strict=True)
    }


@pytest.fixture
def built_example(tmp_path: Path) -> Iterator[Path]:
    from catalogo.pipeline import build_site

    out = tmp_path / "_site"
    build_site(example_options(EXAMPLE, out))
    yield out


PDF_REQUIRE_ENV = "CATALOGO_REQUIRE_PDF"
PRINT_PREFIX = "/catalogo-trata/"
PRINT_ORIGIN = "https://oit.github.io"


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


@pytest.fixture(scope="session")
def printed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped catalog built once with its print files (catalogo.pdf and each record's
    QR code), published under a project-pages prefix."""
    from catalogo.pipeline import build_site

    require_pdf()
    out = tmp_path_factory.mktemp("impreso") / "_site"
    options = example_options(
        ROOT / "catalog",
        out,
        base_url=PRINT_PREFIX,
        site_url=PRINT_ORIGIN,
        settings_file=ROOT / "site.yaml",
        pdf=True,
    )
    build_site(options)
    return out
