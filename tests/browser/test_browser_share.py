"""«Compartir» on a record page, as a reader uses it: the phone's own share sheet where the
browser has the Web Share API; otherwise a WhatsApp link and a button that copies the
address; without JavaScript, the link and the address to copy by hand. No third-party
script, and no request to a third party before the reader asks."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.support import NewPage, SiteServer

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request

pytestmark = pytest.mark.browser

RECORD = "recursos/guia-operativa-investigacion-trata/"
TITLE = "Guía Operativa para la investigación del delito de trata de personas"
WEB_SHARE = """
window.__shared = [];
Object.defineProperty(Navigator.prototype, 'share', {
  configurable: true,
  value: function (data) { window.__shared.push(data); return Promise.resolve(); },
});
"""
NO_WEB_SHARE = "delete Navigator.prototype.share;"


def hosts_requested(page: Page) -> list[str]:
    found: list[str] = []

    def log(request: Request) -> None:
        found.append(urlsplit(request.url).hostname or "")

    page.on("request", log)
    return found


def test_the_phone_share_sheet_opens_where_the_browser_has_one(
    real_site: SiteServer, phone: Page
) -> None:
    phone.add_init_script(WEB_SHARE)
    phone.goto(real_site.url(RECORD))
    phone.get_by_text("Compartir", exact=True).click()
    shared = phone.evaluate("window.__shared")
    assert shared == [{"title": TITLE, "url": real_site.url(RECORD)}]
    assert phone.locator("details.compartir").get_attribute("open") is None


def test_without_web_share_the_reader_gets_whatsapp_and_copy(
    real_site: SiteServer, new_page: NewPage
) -> None:
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    page.add_init_script(NO_WEB_SHARE)
    hosts = hosts_requested(page)
    page.goto(real_site.url(RECORD))
    page.wait_for_load_state("networkidle")
    page.get_by_text("Compartir", exact=True).click()
    whatsapp = page.get_by_role("link", name="Enviar por WhatsApp")
    assert whatsapp.is_visible()
    href = whatsapp.get_attribute("href") or ""
    assert href.startswith("https://wa.me/?text=")
    assert parse_qs(urlsplit(href).query)["text"] == [f"{TITLE} {real_site.url(RECORD)}"]
    assert whatsapp.get_attribute("rel") == "noopener noreferrer"
    copy = page.get_by_role("button", name="Copiar el enlace")
    copy.click()
    status = page.locator(".estado-copia")
    status.wait_for()
    assert status.inner_text().startswith("Enlace copiado")
    assert page.evaluate("navigator.clipboard.readText()") == real_site.url(RECORD)
    assert set(hosts) == {"127.0.0.1"}, hosts  # nothing from WhatsApp until tapped
    assert page.locator("script[src*='//']").count() == 0


def test_without_javascript_the_link_and_the_address_remain(
    real_site: SiteServer, new_page: NewPage
) -> None:
    page = new_page(java_script_enabled=False)
    page.goto(real_site.url(RECORD))
    page.get_by_text("Compartir", exact=True).click()
    assert page.get_by_role("link", name="Enviar por WhatsApp").is_visible()
    field = page.get_by_label("Enlace a esta página")
    assert field.input_value() == real_site.url(RECORD)
    assert not page.get_by_role("button", name="Copiar el enlace").is_visible()
