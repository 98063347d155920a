"""Fixtures for the browser tests: the real catalog built once under /catalogo-trata/,
served on 127.0.0.1, and Debian's chromium driven by Playwright (sync API)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.support import (
    CHROMIUM_ARGS,
    PHONE,
    NewPage,
    SiteServer,
    chromium_path,
    require,
    serve_shipped_catalog,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    server = serve_shipped_catalog(tmp_path_factory, "sitio-real")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def split_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """The search index in parts of 30 record pages, as a catalog of more than 2,000
    records gets it (search.py): the page merges the bundles."""
    server = serve_shipped_catalog(tmp_path_factory, "sitio-partes", search_part_pages=30)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One chromium per test module: Playwright's sync API keeps an asyncio loop running
    while it is open, which would break later tests that call asyncio.run()."""
    executable = chromium_path()
    require(executable is not None, "chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        require(False, "the Python playwright package")
        raise
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[NewPage]:
    """Opens pages in fresh phone-sized contexts (Spanish, Peru); closes them afterwards."""
    contexts = []

    def open_page(**options: Any) -> Page:
        settings: dict[str, Any] = {"viewport": PHONE, "locale": "es-PE", "device_scale_factor": 2}
        settings.update(options)
        context = browser.new_context(**settings)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def phone(new_page: NewPage) -> Page:
    return new_page()
