"""axe-core (WCAG 2.0/2.1/2.2 A and AA) finds no violation on any kind of page, on a phone
and on a desktop screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.support import (
    AXE,
    NewPage,
    SiteServer,
    axe_violations,
    describe,
    require,
    wait_for_search,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

PAGES = {
    "home": "",
    "section": "objetivo-1/",
    "section with spots": "audiovisual/",
    "resource (document)": "recursos/curso-capacitacion-pnp-investigacion-trata/",
    "resource (video)": "recursos/video-buenas-practicas-jueces/",
    "resource (Quechua spot)": "recursos/spot-captacion-quz/",
    "types": "tipos/",
    "type": "tipos/guia/",
    "audience": "publico/jueces/",
    "year": "anios/2021/",
    "series": "series/boletines-jurisprudenciales/",
    "search with results": "buscar/?q=victima",
    "search without results": "buscar/?q=nino",
    "about": "acerca/",
    "data": "datos/",
    "404": "recursos/no-existe/",
    "offline reading": "sin-conexion/",
}
DESKTOP = {"width": 1280, "height": 900}


def open_for_audit(new_page: NewPage, server: SiteServer, path: str, **options: Any) -> Page:
    require(AXE.exists(), "axe-core (cd tests/browser && npm ci)")
    page = new_page(bypass_csp=True, **options)
    page.goto(server.url(path))
    if path in ("", "sin-conexion/"):
        page.locator("[data-guardar]").wait_for()  # shown once the service worker is ready
    if path.startswith("buscar/"):
        wait_for_search(page)
        page.locator("#panel-filtros summary").click()
    return page


@pytest.mark.parametrize("path", list(PAGES.values()), ids=list(PAGES))
def test_no_axe_violations_on_a_phone(real_site: SiteServer, new_page: NewPage, path: str) -> None:
    page = open_for_audit(new_page, real_site, path)
    violations = axe_violations(page)
    assert not violations, describe(violations)


@pytest.mark.parametrize("path", ["", "buscar/?q=victima", "recursos/spot-captacion-quz/"])
def test_no_axe_violations_on_a_desktop(real_site: SiteServer, new_page: NewPage, path: str) -> None:
    page = open_for_audit(new_page, real_site, path, viewport=DESKTOP, device_scale_factor=1)
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_no_axe_violations_with_the_video_playing(real_site: SiteServer, new_page: NewPage) -> None:
    page = open_for_audit(new_page, real_site, "recursos/video-buenas-practicas-jueces/")
    page.route(
        "https://www.youtube-nocookie.com/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<!doctype html>"),
    )
    page.locator(".video-portada").click()
    page.locator(".video iframe").wait_for()
    violations = axe_violations(page)
    assert not violations, describe(violations)
