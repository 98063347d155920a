"""Shared fixtures: the working folder, the example catalog (a private copy, or built once
as a site), the shipped catalog (loaded once, built once, built once with its print files),
and an environment without proxies. Plain helpers are in tests/support.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalogo.catalog import Catalog
from catalogo.loader import LoadResult, load_catalog
from catalogo.pipeline import build_site
from tests.support import (
    EXAMPLE,
    PRINT_ORIGIN,
    PRINT_PREFIX,
    ROOT,
    SHIPPED_ORIGIN,
    SHIPPED_PREFIX,
    example_options,
    require_pdf,
    shipped_options,
)

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture(autouse=True)
def _run_from_repository_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Problem paths are shown relative to the working folder, as editors see them; build
    caches of commands run by tests go to a temporary folder, not the checkout's .cache/."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("CATALOGO_CACHE", str(tmp_path / "cache"))


@pytest.fixture
def without_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every link test decides its own proxies: none unless it sets them."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)


@pytest.fixture
def example_catalog(tmp_path: Path) -> Path:
    """A private copy of the example catalog that a test may change."""
    target = tmp_path / "catalogo"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example catalog built once, as the golden output has it. Read it, never change it."""
    out = tmp_path_factory.mktemp("ejemplo") / "_site"
    build_site(example_options(EXAMPLE, out))
    return out


@pytest.fixture(scope="session")
def shipped_loaded() -> LoadResult:
    """The shipped catalog, loaded once (with its warnings and parsed documents)."""
    return load_catalog(ROOT / "catalog")


@pytest.fixture(scope="session")
def shipped_catalog(shipped_loaded: LoadResult) -> Catalog:
    return shipped_loaded.catalog


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped catalog built once with its search index, as GitHub project pages
    publish it (under SHIPPED_PREFIX at SHIPPED_ORIGIN). Read it, never change it."""
    out = tmp_path_factory.mktemp("publicado") / "_site"
    build_site(shipped_options(out, SHIPPED_PREFIX, SHIPPED_ORIGIN, search=True))
    return out


@pytest.fixture(scope="session")
def printed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped catalog built once with its print files (catalogo.pdf and each record's
    QR code), published under a project-pages prefix."""
    require_pdf()
    out = tmp_path_factory.mktemp("impreso") / "_site"
    build_site(shipped_options(out, PRINT_PREFIX, PRINT_ORIGIN, pdf=True))
    return out
