"""The live preview in Chromium, as an editor uses it: a page stays open while the YAML is
edited on disk, and it follows by itself. The test never reloads the page."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.support import NewPage
from tests.support import ROOT, free_port, get, running_preview, serve_command, wait_for

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page

pytestmark = pytest.mark.browser

RECORD = Path("objetivo-1") / "guia-operativa-investigacion-trata.yaml"
TITLE = "Guía Operativa para la investigación del delito de trata de personas"
SECTION_PAGE = "/objetivo-1/"


@dataclass
class Preview:
    origin: str
    catalog: Path
    log: Path

    @property
    def record(self) -> Path:
        return self.catalog / RECORD

    def edit(self, old: str, new: str) -> None:
        text = self.record.read_text(encoding="utf-8")
        assert old in text
        self.record.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    """`serve` on a copy of the shipped catalog, as an editor starts it (no browser of its
    own: this test brings one)."""
    folder = tmp_path_factory.mktemp("vista-previa")
    catalog = folder / "catalog"
    shutil.copytree(ROOT / "catalog", catalog)
    log = folder / "serve.log"
    with running_preview(catalog, folder / "_site", log, "--sin-busqueda") as origin:
        wait_for(lambda: get(origin + SECTION_PAGE)[0] == 200, seconds=60)
        yield Preview(origin, catalog, log)


@dataclass
class Watched:
    """What the page did on its own: its console, its loads, its errors."""

    console: list[str] = field(default_factory=list)
    loads: int = 0

    def attach(self, page: Page) -> None:
        page.on("console", self.note)
        page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))
        page.on("load", lambda _: self.count_load())

    def note(self, message: ConsoleMessage) -> None:
        self.console.append(f"{message.type}: {message.text}")

    def count_load(self) -> None:
        self.loads += 1


def wait_for_loads(page: Page, watched: Watched, count: int, seconds: float = 10.0) -> None:
    """Let Playwright deliver the page's load events: the new content can be on screen a
    moment before the `load` event reaches the test (under load, tens of milliseconds)."""
    page.wait_for_load_state("load")
    waited = 0.0
    while watched.loads < count and waited < seconds:
        page.wait_for_timeout(50)
        waited += 0.05


def open_connected(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("html[data-vista-previa='conectada']", state="attached")


def test_an_open_page_follows_edits_and_shows_and_clears_problems_by_itself(
    preview: Preview, new_page: NewPage
) -> None:
    page = new_page()
    watched = Watched()
    watched.attach(page)
    open_connected(page, preview.origin + SECTION_PAGE)
    assert page.get_by_role("link", name=TITLE).count() == 1
    page.evaluate("window.scrollTo(0, 700)")
    page.wait_for_function("() => window.scrollY > 650")
    loads = watched.loads

    preview.edit(f"titulo: {TITLE}", "titulo: Guía Operativa editada en la vista previa")
    page.get_by_role("link", name="Guía Operativa editada en la vista previa").wait_for()
    wait_for_loads(page, watched, loads + 1)
    assert watched.loads == loads + 1, "the page reloaded itself, once"
    page.wait_for_function("() => Math.abs(window.scrollY - 700) < 5")

    preview.edit("tipo: guia", "tipo: guía")
    overlay = page.locator("#catalogo-problemas")
    overlay.wait_for()
    shown = overlay.inner_text()
    assert "El catálogo tiene problemas" in shown
    assert f"{(preview.catalog / RECORD).as_posix()}:3: tipo: «guía» no es un tipo conocido" in shown
    assert "1 problema en 1 archivo. Corrige y guarda: la página se actualizará sola." in shown
    assert page.get_by_role("link", name="Guía Operativa editada en la vista previa").count() == 1

    preview.edit("tipo: guía", "tipo: guia")
    overlay.wait_for(state="detached")
    page.wait_for_selector("html[data-vista-previa-estado='bien']", state="attached")
    assert page.get_by_role("link", name="Guía Operativa editada en la vista previa").count() == 1
    assert not [line for line in watched.console if "Content Security Policy" in line]
    assert not [line for line in watched.console if line.startswith(("error", "pageerror"))]


def test_a_draft_shows_in_the_preview_with_its_badge(preview: Preview, new_page: NewPage) -> None:
    page = new_page()
    record_page = preview.origin + "/recursos/guia-operativa-investigacion-trata/"
    open_connected(page, record_page)
    preview.edit("tipo: guia\n", "tipo: guia\nborrador: true\n")
    try:
        page.locator(".borrador-aviso").wait_for()
        assert "Borrador" in page.locator(".borrador-aviso").inner_text()
        open_connected(page, preview.origin + SECTION_PAGE)
        badge = page.locator(".ficha-titulo .borrador")
        assert badge.count() == 1 and badge.inner_text() == "Borrador"
    finally:
        preview.edit("tipo: guia\nborrador: true\n", "tipo: guia\n")


def test_a_page_waits_for_a_stopped_preview_and_follows_it_when_it_runs_again(
    new_page: NewPage, example_catalog: Path, tmp_path: Path
) -> None:
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    command = serve_command(example_catalog, tmp_path / "_site", port, "--sin-busqueda")
    first = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: get(origin + "/acerca/")[0] == 200, seconds=60)
        page = new_page()
        open_connected(page, origin + "/acerca/")
        page.evaluate("document.body.dataset.antes = 'si'")
    finally:
        first.terminate()
        first.wait(timeout=30)
    page.wait_for_selector("html[data-vista-previa='desconectada']", state="attached")
    second = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        page.wait_for_function("() => document.body.dataset.antes !== 'si'", timeout=60_000)
        page.wait_for_selector("html[data-vista-previa='conectada']", state="attached")
        assert page.locator("h1").count() == 1
    finally:
        second.terminate()
        second.wait(timeout=30)
