"""A phone-first layout, measured in Chromium at 320, 390 and 1280 px: where the content
starts, no sideways scrolling, tap targets of 44×44 px, lines of at most about 75
characters on a desktop with the facts beside the text, and list numbers that stay on the
first line of a wrapped item."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.support import PAGE_KINDS, NewPage, SiteServer, wait_for_search

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

PHONE_SMALL = {"width": 320, "height": 640}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
CONTENT_TOP_LIMIT = 120  # px from the top of the screen to `main` on a 390 px phone
TARGET = 44  # px, the smallest tap target
MAX_LINE = 80  # characters: «about 75», with room for a long word at the end of a line
LAYOUT_PAGES = {**PAGE_KINDS, "404": "recursos/no-existe/", "search (no match)": "buscar/?q=nino"}

# Every interactive element a reader can tap, with its size; links inside a sentence are
# left out (WCAG's inline exception): their line is their target.
TARGETS_JS = """
() => {
  const found = [];
  for (const el of document.querySelectorAll('a[href], button, summary, input, select, textarea')) {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || el.closest('[hidden], .oculto')) continue;
    let box = el.getBoundingClientRect();
    if (el.matches('input[type=checkbox], input[type=radio]') && el.closest('label')) {
      box = el.closest('label').getBoundingClientRect();
    }
    if (box.width === 0 || box.height === 0 || box.bottom < 0) continue;
    if (el.tagName === 'A' && style.display === 'inline') {
      const block = el.parentElement.closest('p, li, dd, td, dt');
      const own = el.textContent.trim().length;
      if (block && block.textContent.replace(/\\s+/g, ' ').trim().length > own) continue;
    }
    found.push({
      what: el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ' «' +
        (el.textContent || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40) + '»',
      width: Math.round(box.width * 10) / 10,
      height: Math.round(box.height * 10) / 10,
    });
  }
  return found;
}
"""

# The most characters on one rendered line of each text block of `main`.
LINES_JS = """
() => {
  const range = document.createRange();
  const worst = [];
  for (const el of document.querySelectorAll('main p, main li, main dd, main blockquote')) {
    // Blocks of blocks are measured through their children; a breadcrumb trail is one
    // clipped line of labels, not text to read.
    if (el.querySelector('p, li, dd, ul, ol') || el.closest('nav')) continue;
    const lines = new Map();
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      for (let i = 0; i < node.textContent.length; i++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect || rect.width === 0) continue;
        const key = Math.round(rect.top / 4);
        lines.set(key, (lines.get(key) || 0) + 1);
      }
    }
    const most = Math.max(0, ...lines.values());
    worst.push({ text: el.textContent.trim().slice(0, 50), most: most });
  }
  return worst;
}
"""


def open_at(new_page: NewPage, server: SiteServer, path: str, viewport: dict[str, int]) -> Page:
    page = new_page(viewport=viewport, device_scale_factor=1)
    page.goto(server.url(path))
    if path.startswith("buscar/"):
        wait_for_search(page)
    return page


@pytest.mark.parametrize("path", list(LAYOUT_PAGES.values()), ids=list(LAYOUT_PAGES))
def test_phone_pages_start_high_and_never_scroll_sideways(
    real_site: SiteServer, new_page: NewPage, path: str
) -> None:
    for viewport in (PHONE_SMALL, PHONE):
        page = open_at(new_page, real_site, path, viewport)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{viewport['width']} px: {overflow} px of sideways scroll"
        top = page.evaluate("() => document.querySelector('main').getBoundingClientRect().top")
        if viewport == PHONE:
            assert top <= CONTENT_TOP_LIMIT, f"main starts at {top} px"
        page.context.close()


@pytest.mark.parametrize("path", list(LAYOUT_PAGES.values()), ids=list(LAYOUT_PAGES))
def test_tap_targets_are_at_least_44_px(
    real_site: SiteServer, new_page: NewPage, path: str
) -> None:
    page = open_at(new_page, real_site, path, PHONE)
    for summary in page.locator("main details > summary").all():
        summary.click()  # the panels' own controls count too
    small = [
        target
        for target in page.evaluate(TARGETS_JS)
        if target["width"] < TARGET - 0.5 or target["height"] < TARGET - 0.5
    ]
    assert small == [], small


def test_the_menu_opens_and_leads_to_a_section_on_a_phone(
    real_site: SiteServer, phone: Page
) -> None:
    phone.goto(real_site.url("recursos/acuerdo-plenario-6-2019/"))
    menu = phone.get_by_role("navigation", name="Principal")
    assert not menu.is_visible()
    phone.locator(".menu > summary").click()
    assert menu.is_visible()
    link = menu.get_by_role("link", name="Atención y protección")
    assert link.is_visible()
    link.click()
    assert phone.url == real_site.url("objetivo-2/")
    assert phone.get_by_role("heading", level=1).inner_text().endswith("Atención y protección")


def test_the_desktop_shows_the_menu_and_a_search_field(
    real_site: SiteServer, new_page: NewPage
) -> None:
    page = open_at(new_page, real_site, "objetivo-1/", DESKTOP)
    menu = page.get_by_role("navigation", name="Principal")
    assert menu.is_visible()
    assert not page.locator(".menu > summary").is_visible()
    names = menu.get_by_role("link").all_inner_texts()
    assert names[:2] == ["Por público", "Por tipo"]
    assert "Investigación y sanción" in names and not any("Objetivo" in n for n in names)
    boxes = [link.bounding_box() for link in menu.get_by_role("link").all()]
    assert len({round(box["y"]) for box in boxes if box}) == 1, "the menu fits on one row"
    assert page.get_by_role("searchbox", name="Buscar en el catálogo").is_visible()


@pytest.mark.parametrize(
    "path",
    [
        "recursos/boletin-jurisprudencial-04/",
        "recursos/guia-operativa-investigacion-trata/",
        "objetivo-2/",
        "publico/jueces/",
        "acerca/",
        "datos/",
        "buscar/?q=victima",
    ],
)
def test_desktop_lines_stay_under_about_75_characters(
    real_site: SiteServer, new_page: NewPage, path: str
) -> None:
    page = open_at(new_page, real_site, path, DESKTOP)
    long_lines = [block for block in page.evaluate(LINES_JS) if block["most"] > MAX_LINE]
    assert long_lines == [], long_lines


def test_desktop_record_facts_sit_beside_the_text(
    real_site: SiteServer, new_page: NewPage
) -> None:
    page = open_at(new_page, real_site, "recursos/boletin-jurisprudencial-04/", DESKTOP)
    facts = page.locator(".datos").bounding_box()
    text = page.locator(".descripcion .texto").first.bounding_box()
    access = page.locator(".enlaces").bounding_box()
    assert facts and text and access
    assert facts["x"] >= text["x"] + text["width"], "the facts are to the right of the text"
    assert facts["y"] < text["y"] + text["height"] and text["y"] < facts["y"] + facts["height"]
    assert access["x"] == text["x"]
    phone = open_at(new_page, real_site, "recursos/boletin-jurisprudencial-04/", PHONE)
    box = phone.locator(".datos").bounding_box()
    described = phone.locator(".descripcion .texto").first.bounding_box()
    assert box and described and box["y"] + box["height"] <= described["y"], "stacked on a phone"


def dark_rows(page: Page, clip: dict[str, float]) -> list[int]:
    """Rows of a screenshot area that hold dark pixels (text), decoded by the browser."""
    png = base64.b64encode(page.screenshot(clip=clip)).decode("ascii")
    rows: list[int] = page.evaluate(
        """async (data) => {
            const image = new Image();
            image.src = data;  // the page's policy allows data: images, not fetch()
            await image.decode();
            const canvas = document.createElement('canvas');
            canvas.width = image.width;
            canvas.height = image.height;
            const context = canvas.getContext('2d');
            context.drawImage(image, 0, 0);
            const pixels = context.getImageData(0, 0, image.width, image.height).data;
            const rows = [];
            for (let y = 0; y < image.height; y++) {
                for (let x = 0; x < image.width; x++) {
                    const i = (y * image.width + x) * 4;
                    if (pixels[i] + pixels[i + 1] + pixels[i + 2] < 300) { rows.push(y); break; }
                }
            }
            return rows;
        }""",
        "data:image/png;base64," + png,
    )
    return rows


def test_wrapped_series_items_keep_their_number_on_the_first_line(
    real_site: SiteServer, new_page: NewPage
) -> None:
    page = open_at(new_page, real_site, "recursos/boletin-jurisprudencial-04/", PHONE_SMALL)
    items: list[dict[str, Any]] = page.evaluate(
        """() => [...document.querySelectorAll('.lista-serie > li')].map(li => {
            const box = li.getBoundingClientRect();
            const range = document.createRange();
            const text = li.querySelector('a, span').firstChild;
            range.setStart(text, 0);
            range.setEnd(text, 1);
            const first = range.getClientRects()[0];
            return {x: box.x, y: box.y + window.scrollY, height: box.height,
                    firstTop: first.top + window.scrollY, firstBottom: first.bottom + window.scrollY};
        })"""
    )
    wrapped = [item for item in items if item["height"] > 2 * (item["firstBottom"] - item["firstTop"])]
    assert len(wrapped) >= 3, "the bulletins' long titles wrap at 320 px"
    page.set_viewport_size({"width": 320, "height": 4000})
    for item in wrapped:
        clip = {"x": item["x"] - 26, "y": item["y"], "width": 24, "height": item["height"]}
        rows = dark_rows(page, clip)
        assert rows, "the number is drawn in the gutter"
        number_bottom = item["y"] + max(rows)
        assert number_bottom <= item["firstBottom"] + 1, (item, rows)
