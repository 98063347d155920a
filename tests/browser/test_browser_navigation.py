"""Readers' journeys on a phone: from the home page to a resource and its link, the video
facade, keyboard-only use, a judge and a police officer finding their material, and the
site without JavaScript."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from tests.browser.support import (
    DOCUMENT,
    PAGE_KINDS,
    VIDEO,
    NewPage,
    SiteServer,
    result_titles,
    wait_for_search,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request, Route

pytestmark = pytest.mark.browser

NOCOOKIE = "www.youtube-nocookie.com"



def test_home_leads_to_a_resource_and_its_download_link(
    real_site: SiteServer, phone: Page
) -> None:
    phone.goto(real_site.url())
    assert phone.title().startswith("Catálogo de recursos")
    phone.get_by_role("link", name=re.compile(r"^Policía Nacional del Perú \(\d+\)$")).click()
    assert phone.url == real_site.url("publico/policia/")
    heading = phone.get_by_role("heading", level=1).inner_text()
    assert heading.split() == ["Recursos", "para", "Policía", "Nacional", "del", "Perú"]
    phone.get_by_role("link", name=re.compile("^Curso de Capacitación en procedimiento")).click()
    assert phone.url == real_site.url(DOCUMENT)
    download = phone.get_by_role("link", name="Descargar PDF")
    href = download.get_attribute("href") or ""
    assert href.startswith("https://") and urlsplit(href).path.lower().endswith(".pdf")
    assert download.get_attribute("rel") == "noopener noreferrer"
    assert download.is_visible()
    box = download.bounding_box()
    assert box is not None and box["height"] >= 24 and box["width"] >= 24
    assert "PDF" in phone.locator(".enlaces .fuente").first.inner_text()
    assert phone.locator(".cita").is_hidden()  # folded under «Citar»
    phone.get_by_text("Citar", exact=True).click()
    citation = phone.locator(".cita").inner_text()
    assert "Curso de Capacitación" in citation and "2021" in citation
    assert not citation.startswith("Policía Nacional del Perú"), "no invented author"
    assert phone.get_by_role("link", name="RIS").is_visible()


def test_links_are_labelled_by_what_they_open(real_site: SiteServer, phone: Page) -> None:
    expected = {
        DOCUMENT: "Descargar PDF",
        "recursos/spot-captacion-quz/": "Escuchar spots (carpeta)",
        "recursos/guia-procedimientos-rree-victimas-extranjeras/": "Abrir documento",
        VIDEO: "Ver video",
    }
    for path, label in expected.items():
        phone.goto(real_site.url(path))
        links = phone.locator(".enlaces a.boton, .enlaces a.video-portada")
        labels = [text.split(":")[0].strip() for text in links.all_inner_texts()]
        assert label in labels, (path, labels)


def test_section_groups_by_type_and_spots_by_language(real_site: SiteServer, phone: Page) -> None:
    phone.goto(real_site.url("audiovisual/"))
    headings = phone.locator("main h2").all_inner_texts()
    assert "Videos" in headings and "Spots radiales" in headings
    assert phone.locator("#spot-radial-es").inner_text().startswith("En español")
    assert phone.locator("#spot-radial-quz").inner_text().startswith("En Quechua Cusco")
    quechua = phone.locator("#spot-radial-quz + .fichas > li")
    assert quechua.count() == 6
    # Their titles are Spanish (composed by the editors): nothing is marked as Quechua.
    assert phone.locator("main [lang]").count() == 0
    assert quechua.first.locator(".ficha-datos").inner_text().split() == [
        "Spot", "radial", "Quechua", "Cusco"
    ]
    phone.get_by_role("link", name=re.compile(r"^Spots radiales \(12\)$")).click()
    assert phone.evaluate("location.hash") == "#spot-radial"


def test_quechua_spot_marks_only_quechua_text_as_quechua(
    real_site: SiteServer, phone: Page
) -> None:
    phone.goto(real_site.url("recursos/spot-captacion-quz/"))
    assert phone.locator("html").get_attribute("lang") == "es"
    # «Spot radial: Captación (Quechua Cusco)» is Spanish: no lang="quz" on it, nor on the
    # Spanish titles of the series list.
    assert phone.locator("h1").get_attribute("lang") is None
    assert phone.locator("body [lang='quz']").count() == 0
    assert "Quechua Cusco" in phone.locator(".datos").inner_text()
    assert phone.locator(".lista-serie li").count() == 12


def test_video_facade_calls_youtube_nocookie_only_after_a_click(
    real_site: SiteServer, phone: Page
) -> None:
    requests: list[str] = []

    def log(request: Request) -> None:
        requests.append(request.url)

    def fake_player(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>video</title>")

    phone.on("request", log)
    phone.route(f"https://{NOCOOKIE}/**", fake_player)
    phone.goto(real_site.url(VIDEO))
    phone.wait_for_load_state("networkidle")
    hosts = {urlsplit(url).hostname for url in requests}
    assert hosts == {"127.0.0.1"}, requests
    assert not any(re.search(r"\.(jpe?g|png|webp)(\?|$)", url) for url in requests)
    assert phone.locator("iframe").count() == 0
    facade = phone.locator(".video-portada")
    assert facade.get_attribute("href") == "https://www.youtube.com/watch?v=DxiZNqGV2zU"
    assert facade.inner_text().startswith("Ver video")

    before = len(requests)
    facade.click()
    frame = phone.locator(".video iframe")
    frame.wait_for()
    src = frame.get_attribute("src") or ""
    assert src.startswith(f"https://{NOCOOKIE}/embed/DxiZNqGV2zU")
    assert "Buenas prácticas" in (frame.get_attribute("title") or "")
    phone.wait_for_load_state("networkidle")
    later = {urlsplit(url).hostname for url in requests[before:]}
    assert later <= {"127.0.0.1", NOCOOKIE}
    assert NOCOOKIE in later
    assert phone.evaluate("document.activeElement.tagName") == "IFRAME"


def test_video_facade_is_a_plain_link_without_javascript(
    real_site: SiteServer, new_page: NewPage
) -> None:
    page = new_page(java_script_enabled=False)
    page.goto(real_site.url(VIDEO))
    facade = page.get_by_role("link", name=re.compile("^Ver video"))
    assert facade.get_attribute("href") == "https://www.youtube.com/watch?v=DxiZNqGV2zU"
    assert page.locator("iframe").count() == 0
    assert page.locator("script[src$='video.js']").count() == 1


def test_keyboard_only_reaches_the_search_box_and_the_results(
    real_site: SiteServer, phone: Page
) -> None:
    phone.goto(real_site.url())
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent") == "Saltar al contenido"
    assert phone.locator(".saltar").is_visible()
    for _ in range(30):
        phone.keyboard.press("Tab")
        if phone.evaluate("document.activeElement.id") == "q-portada":
            break
    else:
        pytest.fail("Tab never reached the search box of the home page")
    phone.keyboard.type("victima")
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(r"/buscar/\?q=victima$"))
    wait_for_search(phone)
    assert phone.evaluate("document.activeElement.tagName") == "BODY"
    for _ in range(40):
        phone.keyboard.press("Tab")
        if phone.evaluate("!!document.activeElement.closest('#resultados')"):
            break
    else:
        pytest.fail("Tab never reached a search result")
    target = phone.evaluate("document.activeElement.getAttribute('href')")
    assert target.startswith("/catalogo-trata/recursos/")
    outline = phone.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    phone.keyboard.press("Enter")
    phone.wait_for_url(real_site.origin + target)
    assert phone.locator("article.recurso h1").count() == 1


def test_skip_link_moves_to_the_content(real_site: SiteServer, phone: Page) -> None:
    phone.goto(real_site.url(DOCUMENT))
    phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")
    assert phone.evaluate("location.hash") == "#contenido"
    phone.keyboard.press("Tab")
    inside = phone.evaluate("!!document.activeElement.closest('main')")
    assert inside


def test_a_judge_finds_the_case_law_bulletins(real_site: SiteServer, phone: Page) -> None:
    phone.goto(real_site.url())
    phone.get_by_role("link", name=re.compile(r"^Jueces y juezas \(\d+\)$")).click()
    judges = phone.locator("main .ficha-titulo").all_inner_texts()
    assert any("jueces" in title.lower() for title in judges)
    numbers = [t.rsplit(" ", 1)[-1] for t in judges if t.startswith("Boletín Jurisprudencial")]
    assert numbers == ["1", "2", "3", "4", "5", "6"], judges
    assert phone.get_by_text("también son para ti").is_visible()
    phone.locator(".cabecera").get_by_role("link", name="Buscar").click()
    phone.get_by_role("searchbox", name="Palabras a buscar").fill("boletín")
    phone.keyboard.press("Enter")
    wait_for_search(phone)
    titles = result_titles(phone)
    bulletins = [title for title in titles if title.startswith("Boletín Jurisprudencial")]
    assert len(bulletins) == 6, titles
    phone.goto(real_site.url())
    phone.get_by_role("link", name=re.compile(r"^Boletines jurisprudenciales \(6\)$")).click()
    assert phone.locator("main .ficha").count() == 6


def test_a_police_officer_finds_what_is_for_the_police(real_site: SiteServer, phone: Page) -> None:
    phone.goto(real_site.url("publico/"))
    phone.get_by_role("link", name="Policía Nacional del Perú").click()
    listed = phone.locator("main .ficha-titulo a").all_inner_texts()
    own = phone.locator("main section:not([aria-labelledby^='tambien']) .ficha-titulo a")
    assert 8 <= own.count() < len(listed), "its own records, then those for all operators"
    phone.goto(real_site.url("buscar/?P%C3%BAblico=Polic%C3%ADa+Nacional+del+Per%C3%BA"))
    assert wait_for_search(phone).startswith(f"{len(listed)} resultados")
    while phone.locator("#mas").is_visible():
        count = phone.locator("#resultados > li").count()
        phone.locator("#mas").click()
        phone.wait_for_function(
            "n => document.querySelectorAll('#resultados > li').length > n", arg=count
        )
    assert sorted(result_titles(phone)) == sorted(listed)
    phone.goto(real_site.url("buscar/?q=PNP"))
    wait_for_search(phone)
    titles = result_titles(phone)
    assert any("Policía Nacional del Perú" in title for title in titles), titles


def test_site_works_without_javascript(real_site: SiteServer, new_page: NewPage) -> None:
    page = new_page(java_script_enabled=False)
    page.goto(real_site.url())
    page.get_by_role("searchbox", name=re.compile("^Busca por tema")).fill("víctima")
    page.get_by_role("button", name="Buscar").click()
    page.wait_for_url(re.compile(r"/buscar/\?q=v%C3%ADctima$"))
    assert page.locator("noscript").count() == 1
    assert "necesita JavaScript" in page.inner_text("main")
    page.get_by_role("link", name="por público").first.click()
    assert page.url == real_site.url("publico/")
    page.get_by_role("link", name="Fiscalía").click()
    page.locator("main .ficha-titulo a").first.click()
    assert page.url.startswith(real_site.url("recursos/"))


def test_missing_pages_answer_with_the_404_page(real_site: SiteServer, phone: Page) -> None:
    response = phone.goto(real_site.url("recursos/no-existe/"))
    assert response is not None and response.status == 404
    assert phone.locator("h1").inner_text() == "No encontramos esta página"
    phone.get_by_role("searchbox", name="Busca el recurso en el catálogo").fill("protocolo")
    phone.keyboard.press("Enter")
    assert wait_for_search(phone).endswith("para «protocolo».")


@pytest.mark.parametrize("path", list(PAGE_KINDS.values()), ids=list(PAGE_KINDS))
def test_pages_have_no_console_errors_nor_csp_violations(
    real_site: SiteServer, phone: Page, path: str
) -> None:
    problems: list[str] = []
    phone.on("console", lambda message: problems.append(message.text) if message.type in ("error", "warning") else None)
    phone.on("pageerror", lambda error: problems.append(str(error)))
    phone.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('CSP ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    phone.goto(real_site.url(path))
    if path.startswith("buscar/"):
        wait_for_search(phone)
    phone.wait_for_load_state("networkidle")
    assert problems == []
    csp = phone.locator("meta[http-equiv='Content-Security-Policy']").get_attribute("content")
    assert csp is not None and "frame-src https://www.youtube-nocookie.com;" in csp
    assert phone.locator("script:not([src]):not([type='application/ld+json'])").count() == 0
    assert phone.locator("[style]").count() == 0
    assert phone.locator("style").count() == 0
