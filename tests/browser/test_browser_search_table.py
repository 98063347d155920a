"""What readers type, and what they should find first, on the shipped catalog: role words,
types, topics, Quechua and misspellings. Also the ranking rules (titles above body text, a
document above the video of the same title, a series in its order) and the excerpts (whole
words, «…» where cut, never the title again)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest

from tests.browser.support import SiteServer, wait_for_search

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

# (query, the records expected first, in this order). Each query is what a reader of the
# catalog types; the expectation is what that reader needs, checked by a person.
TABLE = [
    # Role words
    ("fiscal", ["modulo-lgbti-jueces-fiscales", "ecv-indicadores-fiscales",
                "guia-operativa-investigacion-trata"]),
    ("jueces", ["ecv-lista-items-jueces", "modulo-lgbti-jueces-fiscales"]),
    ("juez", ["modulo-lgbti-jueces-fiscales", "ecv-lista-items-jueces"]),
    ("policía", ["curso-capacitacion-pnp-investigacion-trata"]),
    ("defensor público", ["ecv-indicadores-defensores-publicos",
                          "video-buenas-practicas-defensores-publicos"]),
    ("médico legista", ["ecv-buenas-practicas-medicos-legistas"]),
    ("psicólogo", ["ecv-buenas-practicas-psicologos-iml", "guia-evaluacion-psicologica-forense"]),
    ("serenazgo", ["guia-deteccion-serenazgo-fiscalizadores", "video-guia-identificacion-serenazgo"]),
    ("salud", ["orientaciones-tecnicas-salud-mental-minsa", "guia-deteccion-profesionales-salud",
               "video-guia-deteccion-profesionales-salud"]),
    # Types
    ("boletín", [f"boletin-jurisprudencial-0{n}" for n in range(1, 7)]),
    ("protocolo", ["protocolo-acreditacion-vulnerabilidad-victimas"]),
    ("lista de verificación", ["ecv-indicadores-policia", "ecv-lista-items-jueces",
                               "ecv-indicadores-fiscales", "ecv-indicadores-defensores-publicos"]),
    ("spot denuncia", ["spot-denuncia-es", "spot-denuncia-quz"]),
    ("congreso", ["v-congreso-internacional-trata-tomo-1", "v-congreso-internacional-trata-tomo-2"]),
    # Topics
    ("guía operativa", ["guia-operativa-investigacion-trata",
                        "videotutorial-guia-operativa-investigacion"]),
    ("política nacional", ["politica-nacional-trata-2030",
                           "politica-nacional-trata-2030-version-amigable",
                           "video-politica-nacional-trata-2030"]),
    ("acuerdo plenario", ["acuerdo-plenario-6-2019"]),
    ("1818", ["video-denuncia-1818-1", "video-denuncia-1818-2"]),
    ("reintegración", ["guia-plan-reintegracion-individual"]),
    ("LGBTI", ["herramientas-atencion-nna-lgbti"]),
    ("consulados", ["guia-procedimientos-victimas-nacionales-extranjero"]),
    ("monitoreo", [f"sistema-monitoreo-videotutorial-{n}-{name}" for n, name in (
        (1, "ingreso-y-dashboard"), (2, "central-de-alertas"), (3, "agregar-registro"))]),
    ("ECV", ["ecv-indicadores-policia", "ecv-lista-items-jueces"]),
    ("trauma", ["video-enfoque-basado-en-el-trauma"]),
    ("migrantes", ["protocolo-ministerio-publico-atencion-victimas"]),
    # Quechua
    ("quechua", ["spot-padrinazgo-quz", "spot-sensibilizacion-quz", "spot-captacion-quz"]),
    # Typed without «ñ»
    ("nino", ["herramientas-atencion-nna-lgbti"]),
]


def first_records(page: Page, count: int) -> list[str]:
    links = page.eval_on_selector_all(
        "#resultados > li h3 a", "links => links.map(a => a.pathname)"
    )
    return [re.sub(r"^.*/recursos/([^/]+)/$", r"\1", link) for link in links[:count]]


def search(page: Page, server: SiteServer, query: str) -> str:
    page.goto(server.url("buscar/") + "?q=" + quote(query))
    return wait_for_search(page)


@pytest.mark.parametrize(("query", "expected"), TABLE, ids=[query for query, _ in TABLE])
def test_readers_find_the_right_record_first(
    real_site: SiteServer, phone: Page, query: str, expected: list[str]
) -> None:
    search(phone, real_site, query)
    assert first_records(phone, len(expected)) == expected


def test_the_table_covers_at_least_twenty_queries() -> None:
    assert len(TABLE) >= 20


@pytest.mark.parametrize(
    ("typed", "meant", "first"),
    [
        ("protcolo", "protocolo", "protocolo-acreditacion-vulnerabilidad-victimas"),
        ("polisia", "policía", "curso-capacitacion-pnp-investigacion-trata"),
    ],
)
def test_a_misspelt_query_with_no_match_offers_close_catalog_words(
    real_site: SiteServer, phone: Page, typed: str, meant: str, first: str
) -> None:
    assert search(phone, real_site, typed) == f"0 resultados para «{typed}»."
    close = phone.locator(".sin-resultados .parecidas")
    close.wait_for()
    assert close.inner_text().startswith(f"Palabras parecidas del catálogo: «{meant}» (")
    close.get_by_role("link", name=f"«{meant}»").click()
    status = wait_for_search(phone)
    assert status.endswith(f"para «{meant}».") and not status.startswith("0 ")
    assert first_records(phone, 1) == [first]


def test_a_misspelt_word_with_few_results_gets_a_question(
    real_site: SiteServer, phone: Page
) -> None:
    search(phone, real_site, "victma")
    hint = phone.locator("#sugerencia")
    phone.wait_for_function("() => document.getElementById('sugerencia').textContent.includes('Quisiste')")
    assert re.fullmatch(r"¿Quisiste decir «víctima» \(\d+ resultados\)\?", hint.inner_text())
    hint.get_by_role("link", name="«víctima»").click()
    assert wait_for_search(phone).endswith("para «víctima».")
    assert first_records(phone, 1) == ["cartilla-enfoque-centrado-victima"]


def test_a_role_word_offers_everything_for_that_role(real_site: SiteServer, phone: Page) -> None:
    search(phone, real_site, "fiscal")
    link = phone.locator("#sugerencia").get_by_role("link", name=re.compile("Fiscalía"))
    count = int(re.search(r"\((\d+)\)", link.inner_text()).group(1))  # type: ignore[union-attr]
    link.click()
    assert phone.url == real_site.url("publico/fiscalia/")
    assert phone.locator("main .ficha").count() == count


def test_body_matches_rank_below_title_matches_and_above_longer_words(
    real_site: SiteServer, phone: Page
) -> None:
    search(phone, real_site, "fiscal")
    titles = phone.locator("#resultados > li h3").all_inner_texts()
    operative = titles.index("Guía Operativa para la investigación del delito de trata de personas")
    assert operative < 3, titles  # «la labor fiscal» in its text
    inspectors = [i for i, t in enumerate(titles) if "fiscalizadores" in t]
    assert inspectors and min(inspectors) > operative, titles


RECORD_TEXT_JS = """async (href) => {
    const html = await (await fetch(href)).text();
    const doc = new DOMParser().parseFromString(html, 'text/html');
    return [...doc.querySelectorAll('article .texto')].map(e => e.textContent).join(' ');
}"""


def test_excerpts_are_whole_words_of_the_text_and_never_the_title(
    real_site: SiteServer, phone: Page
) -> None:
    checked = 0
    for query in ("fiscal", "boletín", "víctima", "NNA"):
        search(phone, real_site, query)
        for item in phone.locator("#resultados > li").all():
            title = item.locator("h3").inner_text()
            excerpt = item.locator(".extracto")
            if not excerpt.count():
                continue
            text = " ".join(excerpt.inner_text().split())
            assert not text.removeprefix("…").startswith(title), (query, title)
            core = text.removeprefix("…").removesuffix("…")
            href = item.locator("h3 a").get_attribute("href")
            body = " ".join(phone.evaluate(RECORD_TEXT_JS, href).split())
            # A run of whole words of the record's own text, cut where «…» says so.
            match = re.search(r"(?<![\w])" + re.escape(core.rstrip(",;:")) , body)
            assert match, (query, title, text)
            assert text.startswith("…") == (match.start() > 0), (title, text)
            after = body[match.end():match.end() + 1]
            assert not after.isalnum(), (title, text)
            checked += 1
    assert checked > 20
    search(phone, real_site, "guía operativa")
    video = phone.locator("#resultados > li").nth(1)
    assert video.locator("h3").inner_text().startswith("Videotutorial")
    assert video.locator(".extracto").count() == 0  # a video without text: no excerpt


def test_excerpts_mark_the_words_found(real_site: SiteServer, phone: Page) -> None:
    search(phone, real_site, "labor fiscal")
    first = phone.locator("#resultados > li").first
    marks = first.locator(".extracto mark").all_inner_texts()
    assert marks[:2] == ["labor", "fiscal"]
    assert first.locator(".extracto").inner_text().startswith("…")
