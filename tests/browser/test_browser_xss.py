"""Hostile catalog text never runs: payloads in every text field of the records and the
catalog files are built into a site, and every page is opened in Chromium. No dialog
opens, no injected script or handler exists, the payload reads as text, and external
links carry rel="noopener noreferrer"."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
import yaml

from catalogo.pipeline import build_site
from catalogo.problems import CatalogError
from tests.browser.support import NewPage, SiteServer, wait_for_search
from tests.support import EXAMPLE, example_options

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{7*7}}",
    "</script><script>alert(1)</script>",
    "');alert(1);//",
]
TEXT = "XSS " + " ".join(PAYLOADS)
MARKDOWN = (
    TEXT
    + "\n\n[enlace](javascript:alert(1)) <a href=\"javascript:alert(1)\">a</a> "
    + "![img](javascript:alert(1)) <img src=x onerror=alert(1)> <svg onload=alert(1)>"
    + "\n\n<script>alert(1)</script>"
)
HOSTILE_URL = "https://example.org/?q=\"><script>alert(1)</script>&x=');alert(1);//"
TEXT_KEYS = {
    "titulo", "subtitulo", "editor", "editor_siglas", "nota_reuso", "linea_denuncia",
    "nombre", "plural", "siglas", "nombre_corto", "etiqueta", "rotulo", "autores",
}
MARKDOWN_KEYS = {"descripcion", "introduccion", "creditos"}


def poison(value: Any, key: str | None = None) -> Any:
    """The same data with a payload in every free-text field."""
    if isinstance(value, dict):
        poisoned = {name: poison(item, name) for name, item in value.items()}
        if "url" in poisoned and "formato" in poisoned:
            poisoned.setdefault("etiqueta", TEXT)
        return poisoned
    if isinstance(value, list):
        return [poison(item, key) for item in value]
    if isinstance(value, str) and key in TEXT_KEYS:
        return TEXT
    if isinstance(value, str) and key in MARKDOWN_KEYS:
        return MARKDOWN
    return value


def hostile_catalog(target: Path) -> Path:
    shutil.copytree(EXAMPLE, target)
    for path in sorted(target.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = poison(data)
        if path.name == "_catalogo.yaml":
            data["sinonimos"] = [*data.get("sinonimos", []), [TEXT, "víctima"]]
        if path.name == "guia-de-prueba.yaml":
            data["enlaces"].append({"url": HOSTILE_URL, "formato": "pdf"})
            data["autores"] = [TEXT]
        if path.parent.name != target.name and "descripcion" not in data:
            data["descripcion"] = MARKDOWN
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    folder = tmp_path_factory.mktemp("xss")
    catalog = hostile_catalog(folder / "catalogo")
    site = folder / "_site"
    server = SiteServer(site).start()
    build_site(
        example_options(catalog, site, base_url="/catalogo-trata/", search=True, site_url=server.origin)
    )
    yield server
    server.stop()


def test_a_javascript_url_is_refused_by_validation(tmp_path: Path) -> None:
    catalog = hostile_catalog(tmp_path / "catalogo")
    record = catalog / "guias" / "guia-de-prueba.yaml"
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    data["enlaces"][0]["url"] = "javascript:alert(1)"
    record.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        build_site(example_options(catalog, tmp_path / "_site"))
    assert any("esquema" in problem.message for problem in caught.value.problems)
    assert not (tmp_path / "_site").exists()


INSPECT = """() => {
    const found = {handlers: [], scripts: [], badLinks: [], openers: []};
    for (const element of document.querySelectorAll("*")) {
        for (const attribute of element.attributes) {
            if (attribute.name.startsWith("on")) { found.handlers.push(element.outerHTML.slice(0, 120)); }
        }
    }
    for (const script of document.scripts) {
        const own = script.src && new URL(script.src).origin === location.origin;
        const data = ["application/ld+json", "application/json", "importmap"].includes(script.type);
        if (!own && !data) { found.scripts.push(script.outerHTML.slice(0, 120)); }
    }
    for (const link of document.querySelectorAll("a[href], area[href], iframe[src], img[src]")) {
        const url = new URL(link.getAttribute("href") || link.getAttribute("src"), location.href);
        if (!["http:", "https:", "tel:", "mailto:"].includes(url.protocol)) { found.badLinks.push(url.href); }
        if (link.tagName === "A" && url.origin !== location.origin && url.protocol.startsWith("http")
            && link.getAttribute("rel") !== "noopener noreferrer") { found.openers.push(url.href); }
    }
    return found;
}"""


def inspect(page: Page) -> dict[str, list[str]]:
    return dict(page.evaluate(INSPECT))


def test_no_payload_runs_on_any_page(hostile_site: SiteServer, new_page: NewPage) -> None:
    page = new_page()
    dialogs: list[str] = []
    violations: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.expose_function("reportViolation", lambda text: violations.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => window.reportViolation(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.route(
        "https://www.youtube-nocookie.com/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<!doctype html>"),
    )
    site = hostile_site.site
    pages = sorted(
        path.relative_to(site).as_posix().removesuffix("index.html")
        for path in site.rglob("*.html")
    )
    assert len(pages) > 15
    text_seen = 0
    for relative in [*pages, "buscar/?q=alert", "buscar/?q=XSS"]:
        response = page.goto(hostile_site.url(relative))
        assert response is not None
        if relative.startswith("buscar/?"):
            wait_for_search(page)
            page.locator("#panel-filtros summary").click()
        if page.locator(".video-portada").count():
            page.locator(".video-portada").first.click()
            page.locator(".video iframe").wait_for()
        found = inspect(page)
        assert found == {"handlers": [], "scripts": [], "badLinks": [], "openers": []}, relative
        body = page.inner_text("body")
        if "<script>alert(1)</script>" in body:
            text_seen += 1
            assert "{{7*7}}" in body and "');alert(1);//" in body, relative
            assert '"><img src=x onerror=alert(1)>' in body, relative
    # Every page but the 404 shows it; the browser editor's page (admin/) shows no records.
    readers_pages = [relative for relative in pages if not relative.startswith("admin/")]
    assert text_seen >= len(readers_pages) - 1, "the payload should show as text on every page"
    assert dialogs == []
    assert violations == []
    assert [error for error in errors if "404" not in error] == []
    assert page.evaluate("typeof window.__xss") == "undefined"


def test_hostile_url_stays_inside_its_attribute(hostile_site: SiteServer, new_page: NewPage) -> None:
    page = new_page()
    page.goto(hostile_site.url("recursos/guia-de-prueba/"))
    hrefs = page.eval_on_selector_all(".enlaces a.boton", "links => links.map(a => a.href)")
    assert any(urlsplit(href).query.startswith("q=%22%3E%3Cscript%3E") or "script" in href for href in hrefs)
    assert page.locator(".enlaces a.boton").count() == 2
    assert page.locator("main script").count() == 0
