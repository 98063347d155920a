"""Weight budgets, measured from the browser's network log: the first view of the home, a
section and a resource page transfers at most 100 KB, with nothing from another host.
The test server does not compress, so these are upper bounds of what GitHub Pages sends.

What the service worker fetches when it installs, after the page has loaded (the offline
shell: the search, offline and 404 pages, the scripts, the manifest), is not part of the
first view; it has its own budget, and is printed beside it."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from tests.browser.support import FIRST_VIEW_BUDGET, NewPage, SiteServer, first_view

if TYPE_CHECKING:
    pass

pytestmark = pytest.mark.browser

OFFLINE_SHELL_BUDGET = 150 * 1024
BUDGETED = {
    "home": "",
    "section": "objetivo-2/",
    "largest section": "audiovisual/",
    "resource (document)": "recursos/curso-capacitacion-pnp-investigacion-trata/",
    "resource (video)": "recursos/video-buenas-practicas-jueces/",
    "resource (Quechua spot)": "recursos/spot-captacion-quz/",
}


def detail(loaded: list[tuple[str, int]]) -> str:
    return ", ".join(f"{urlsplit(url).path.rsplit('/', 2)[-2] or 'index'}"
                     f"/{urlsplit(url).path.rsplit('/', 1)[-1]} {size / 1024:.1f}"
                     for url, size in loaded)


@pytest.mark.parametrize("path", list(BUDGETED.values()), ids=list(BUDGETED))
def test_first_view_fits_the_budget(
    real_site: SiteServer, new_page: NewPage, path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    worker: list[tuple[str, int]] = []
    total, loaded = first_view(new_page(), real_site.url(path), worker=worker)
    hosts = {urlsplit(url).hostname for url, _ in loaded + worker}
    assert hosts == {"127.0.0.1"}
    shell = sum(size for _, size in worker)
    with capsys.disabled():
        print(f"\n[budget] {path or 'home'}: {total / 1024:.1f} KB in {len(loaded)} requests "
              f"({detail(loaded)}); then the offline shell: {shell / 1024:.1f} KB in "
              f"{len(worker)} requests")
    assert total <= FIRST_VIEW_BUDGET, loaded
    assert shell <= OFFLINE_SHELL_BUDGET, worker


def test_search_page_weight_is_reported(
    real_site: SiteServer, new_page: NewPage, capsys: pytest.CaptureFixture[str]
) -> None:
    worker: list[tuple[str, int]] = []
    total, loaded = first_view(
        new_page(), real_site.url("buscar/?q=victima"), search=True, worker=worker
    )
    shell = sum(size for _, size in worker)
    with capsys.disabled():
        print(f"\n[budget] buscar/?q=victima: {total / 1024:.1f} KB in {len(loaded)} requests "
              "(not budgeted: the search engine and index load here); then the offline "
              f"shell: {shell / 1024:.1f} KB in {len(worker)} requests")
    assert {urlsplit(url).hostname for url, _ in loaded + worker} == {"127.0.0.1"}
