"""The search page in a real browser, over the real catalog's Pagefind index: accents,
«ñ», synonyms, filters with counts, the query in the URL, and the empty states."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from tests.browser.support import SiteServer, result_titles, wait_for_search

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

ECV = re.compile(r"\bECV\b|centrado en la víctima", re.IGNORECASE)
ECV_RECORDS = [
    "ecv-buenas-practicas-medicos-legistas",
    "ecv-buenas-practicas-personal-administrativo-iml",
    "ecv-buenas-practicas-psicologos-iml",
    "ecv-indicadores-defensores-publicos",
    "ecv-indicadores-fiscales",
    "ecv-indicadores-policia",
    "ecv-lista-items-jueces",
]


def search(page: Page, server: SiteServer, query: str = "", **filters: str) -> str:
    params = ([f"q={quote(query)}"] if query else []) + [
        f"{quote(name)}={quote(value)}" for name, value in filters.items()
    ]
    page.goto(server.url("buscar/") + ("?" + "&".join(params) if params else ""))
    return wait_for_search(page)


def all_titles(page: Page) -> list[str]:
    while page.locator("#mas").is_visible():
        count = page.locator("#resultados > li").count()
        page.locator("#mas").click()
        page.wait_for_function(
            "n => document.querySelectorAll('#resultados > li').length > n", arg=count
        )
    return result_titles(page)


def result_count(status: str) -> int:
    found = re.match(r"(\d+) resultados?", status)
    assert found, status
    return int(found.group(1))


def test_victima_without_accent_finds_the_victim_centred_records(
    real_site: SiteServer, phone: Page
) -> None:
    status = search(phone, real_site, "victima")
    plain = all_titles(phone)
    assert result_count(status) == len(plain) > 10
    found = phone.eval_on_selector_all("#resultados h3 a", "links => links.map(a => a.pathname)")
    ecv = [f"/catalogo-trata/recursos/{name}/" for name in ECV_RECORDS]
    assert set(ecv) <= set(found), found
    assert sum(bool(ECV.search(title)) for title in plain) >= 5, plain
    assert phone.locator("#resultados mark").first.inner_text().lower().startswith("víctima")
    search(phone, real_site, "víctima")
    assert sorted(all_titles(phone)) == sorted(plain)


def test_a_query_typed_without_its_enie_shows_the_enie_results_at_once(
    real_site: SiteServer, phone: Page
) -> None:
    status = search(phone, real_site, "niños")
    with_enie = all_titles(phone)
    assert result_count(status) > 10
    for typed in ("nino", "ninos"):
        status = search(phone, real_site, typed)
        assert status == f"{len(with_enie)} resultados para «niños».", typed
        assert sorted(all_titles(phone)) == sorted(with_enie)
        hint = phone.locator("#sugerencia")
        assert hint.inner_text() == f"Mostrando resultados de «niños». Buscar solo «{typed}»"
        assert "ñ" not in phone.inner_text("#buscador")  # no lecture about the letter
    phone.locator("#sugerencia").get_by_role("link", name="Buscar solo «ninos»").click()
    assert wait_for_search(phone) == "0 resultados para «ninos»."
    assert parse_qs(urlsplit(phone.url).query) == {"q": ["ninos"], "exacto": ["1"]}
    assert "¿Buscabas niños?" in phone.inner_text("#sugerencia")
    phone.reload()
    assert wait_for_search(phone) == "0 resultados para «ninos»."
    status = search(phone, real_site, "ano")
    assert status == f"{result_count(status)} resultados para «año»."
    assert "Mostrando resultados de «año»." in phone.inner_text("#sugerencia")
    assert all("año" in text.lower() for text in phone.locator(".extracto").all_inner_texts())


def test_synonyms_expand_nna(real_site: SiteServer, phone: Page) -> None:
    status = search(phone, real_site, "NNA")
    titles = all_titles(phone)
    assert result_count(status) == len(titles) > 10
    assert any("niñas, niños y adolescentes" in title.lower() for title in titles)
    assert "También se buscó: «niñas niños y adolescentes»" in phone.inner_text("#sugerencia")
    status = search(phone, real_site, "ECV")
    assert any("centrado en la víctima" in title.lower() for title in all_titles(phone))


def test_filters_combine_and_show_counts(real_site: SiteServer, phone: Page) -> None:
    search(phone, real_site, "victima")
    panel = phone.locator("#panel-filtros")
    assert panel.get_attribute("open") is None
    phone.get_by_text("Filtrar por sección, tipo, público, año o idioma").click()
    checklist = phone.get_by_role("checkbox", name=re.compile(r"^Lista de verificación \(\d+\)$"))
    expected = int(re.findall(r"\d+", checklist.locator("xpath=..").inner_text())[-1])
    checklist.check()
    status = wait_for_search(phone)
    assert result_count(status) == expected
    assert "con los filtros elegidos" in status
    police = phone.get_by_role("checkbox", name=re.compile(r"^Policía Nacional del Perú \(\d+\)$"))
    expected = int(re.findall(r"\d+", police.locator("xpath=..").inner_text())[-1])
    police.check()
    status = wait_for_search(phone)
    assert result_count(status) == expected >= 1
    assert phone.evaluate("document.activeElement.name") == "Público"
    titles = all_titles(phone)
    assert all("Policía" in title for title in titles), titles
    params = parse_qs(urlsplit(phone.url).query)
    assert params == {
        "q": ["victima"],
        "Tipo": ["Lista de verificación"],
        "Público": ["Policía Nacional del Perú"],
    }
    other_type = phone.get_by_role("checkbox", name=re.compile(r"^Guía \(\d+\)$"))
    assert other_type.count() in (0, 1)
    assert "(2 activos)" in phone.inner_text("#panel-filtros summary")
    phone.reload()
    assert result_count(wait_for_search(phone)) == len(titles)
    phone.get_by_text("Filtrar por sección").click()
    assert phone.get_by_role("checkbox", name=re.compile("^Lista de verificación")).is_checked()
    phone.get_by_role("button", name="Quitar filtros").click()
    assert "filtros" not in wait_for_search(phone)
    assert parse_qs(urlsplit(phone.url).query) == {"q": ["victima"]}


def test_filters_alone_browse_the_catalog(real_site: SiteServer, phone: Page) -> None:
    status = search(phone, real_site, **{"Tipo": "Boletín jurisprudencial"})
    assert result_count(status) == 6
    assert all(title.startswith("Boletín") for title in result_titles(phone))


def test_the_query_lives_in_the_url(real_site: SiteServer, phone: Page) -> None:
    search(phone, real_site, "boletín")
    assert phone.get_by_role("searchbox", name="Palabras a buscar").input_value() == "boletín"
    box = phone.get_by_role("searchbox", name="Palabras a buscar")
    box.fill("protocolo")
    box.press("Enter")
    status = wait_for_search(phone)
    assert status.endswith("para «protocolo».")
    assert parse_qs(urlsplit(phone.url).query) == {"q": ["protocolo"]}
    box.fill("guía de")
    phone.wait_for_function("() => location.search.includes('gu%C3%ADa')")
    assert wait_for_search(phone).endswith("para «guía de».")


def test_no_results_are_explained(real_site: SiteServer, phone: Page) -> None:
    status = search(phone, real_site, "xyzzyq")
    assert status == "0 resultados para «xyzzyq»."
    empty = phone.locator("#resultados .sin-resultados")
    assert "No encontramos recursos para «xyzzyq»" in empty.inner_text()
    assert empty.get_by_role("link", name="por público").get_attribute("href") == (
        "/catalogo-trata/publico/"
    )
    assert phone.locator("#mas").is_hidden()


def test_empty_search_offers_examples(real_site: SiteServer, phone: Page) -> None:
    phone.goto(real_site.url("buscar/"))
    phone.wait_for_function(
        "() => document.getElementById('resultados').getAttribute('aria-busy') === 'false'"
    )
    assert phone.inner_text("#estado") == ""
    examples = phone.locator("#sugerencias")
    assert examples.is_visible()
    examples.get_by_role("link", name="NNA").click()
    assert result_count(wait_for_search(phone)) > 10


def test_more_results_move_the_focus_to_the_first_new_one(
    real_site: SiteServer, phone: Page
) -> None:
    status = search(phone, real_site, "trata")
    assert result_count(status) > 10
    assert phone.locator("#resultados > li").count() == 10
    phone.locator("#mas").click()
    phone.wait_for_function("() => document.querySelectorAll('#resultados > li').length > 10")
    focused = phone.evaluate(
        "document.activeElement.closest('li') === document.querySelectorAll('#resultados > li')[10]"
    )
    assert focused


def test_quechua_results_say_their_language(real_site: SiteServer, phone: Page) -> None:
    search(phone, real_site, **{"Idioma": "Quechua Cusco"})
    links = phone.locator("#resultados h3 a")
    assert links.count() == 6
    # Their titles are Spanish: no lang="quz" on them; the facts line names the language.
    assert {links.nth(i).get_attribute("lang") for i in range(6)} == {None}
    facts = phone.locator("#resultados .ficha-datos").all_inner_texts()
    assert facts == ["Spot radial · Quechua Cusco"] * 6


def test_an_index_in_parts_finds_what_the_whole_index_finds(
    real_site: SiteServer, split_site: SiteServer, phone: Page
) -> None:
    parts = split_site.url("buscar/")
    assert split_site.site.joinpath("pagefind", "parte-4", "pagefind-entry.json").is_file()
    assert not split_site.site.joinpath("pagefind", "parte-5").exists()
    for query, filters in (
        ("victima", {}),
        ("trata", {"Tipo": "Guía"}),
        ("", {"Tipo": "Boletín jurisprudencial"}),
    ):
        whole = search(phone, real_site, query, **filters)
        whole_titles = sorted(all_titles(phone))
        split = search(phone, split_site, query, **filters)
        assert phone.url.startswith(parts)
        assert result_count(split) == result_count(whole) == len(whole_titles) > 0, query
        assert sorted(all_titles(phone)) == whole_titles, query
    search(phone, split_site, "victima")
    phone.get_by_text("Filtrar por sección, tipo, público, año o idioma").click()
    police = phone.get_by_role("checkbox", name=re.compile(r"^Policía Nacional del Perú \(\d+\)$"))
    split_label = police.locator("xpath=..").inner_text()
    search(phone, real_site, "victima")
    phone.get_by_text("Filtrar por sección, tipo, público, año o idioma").click()
    police = phone.get_by_role("checkbox", name=re.compile(r"^Policía Nacional del Perú \(\d+\)$"))
    assert police.locator("xpath=..").inner_text() == split_label, "filter counts add up"
