"""Reading without a connection, in Chromium, as a reader does it: open the site, see what
saving costs, save, lose the connection, then browse, search with a filter and open a
record; a new build published meanwhile arrives, whole, and never mixed with the old one.

Each test publishes its own copy of the shipped catalog under /catalogo-trata/ (the
service worker's scope), on its own address, so no test sees another's worker or caches.
Screenshots of every state go to tmp_path (their paths are printed)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from catalogo import offline
from catalogo.pipeline import build_site
from catalogo.serve import preview_build
from tests.browser.support import (
    CHROMIUM_ARGS,
    PREFIX,
    ROOT,
    NewPage,
    SiteServer,
    axe_violations,
    chromium_path,
    describe,
    result_titles,
    wait_for_search,
)
from tests.support import example_options

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

RECORD = "objetivo-1/guia-operativa-investigacion-trata.yaml"
RECORD_PAGE = "recursos/guia-operativa-investigacion-trata/"
TITLE = "Guía Operativa para la investigación del delito de trata de personas"
NEW_TITLE = TITLE + " (segunda edición)"
SAVE = "Guardar el catálogo para leer sin conexión"
SAVED = "Listo: el catálogo está guardado en este dispositivo"
NEW_VERSION = "Hay una versión nueva del catálogo."
NOT_STORED = "No tienes conexión y esta página no está guardada en este dispositivo."
NEEDS_CONNECTION = "(necesita conexión)"


@dataclass
class Published:
    """A copy of the shipped catalog, built with search and served under PREFIX."""

    catalog: Path
    site: Path
    server: SiteServer

    def url(self, path: str = "") -> str:
        return self.server.url(path)

    def publish(self) -> None:
        build_site(
            example_options(
                self.catalog,
                self.site,
                base_url=PREFIX,
                search=True,
                settings_file=ROOT / "site.yaml",
                site_url=self.server.origin,
            )
        )

    def worker(self) -> dict[str, Any]:
        header = (self.site / offline.WORKER).read_text(encoding="utf-8").splitlines()[1]
        found = re.fullmatch(r"var BUILD = (\{.*\});", header)
        assert found
        facts: dict[str, Any] = json.loads(found.group(1))
        return facts

    def kept(self) -> dict[str, str]:
        """Every file the worker may keep (its list and the list itself), key -> digest."""
        digests: dict[str, str] = {}
        for key, digest in self.worker()["parts"]:
            digests[key] = digest
            part = json.loads((self.site / key).read_text(encoding="utf-8"))
            digests.update({name: value[0] for name, value in part.items()})
        return digests

    def digest_of(self, key: str) -> str:
        path = self.site / (key + "index.html" if key == "" or key.endswith("/") else key)
        return hashlib.sha256(path.read_bytes()).hexdigest()[: offline.DIGEST_CHARS]


def publish_copy(folder: Path) -> Published:
    catalog = folder / "catalog"
    shutil.copytree(ROOT / "catalog", catalog)
    site = folder / "_site"
    published = Published(catalog, site, SiteServer(site).start())
    published.publish()
    return published


@pytest.fixture
def published(tmp_path: Path) -> Iterator[Published]:
    site = publish_copy(tmp_path)
    yield site
    site.server.stop()


Shoot = Callable[..., None]


@pytest.fixture
def shoot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Shoot:
    def take(page: Page, name: str, selector: str | None = None) -> None:
        path = tmp_path / f"{name}.png"
        if selector:
            page.locator(selector).first.screenshot(path=str(path))
        else:
            page.screenshot(path=str(path))
        with capsys.disabled():
            print(f"\n[captura] {path}")

    return take


def stored_files(page: Page, cache: str) -> dict[str, str]:
    """What one of the worker's caches holds, key -> the first 16 hex digits of the SHA-256
    of the bytes (the marker of a saved catalog left out)."""
    stored: dict[str, str] = page.evaluate(
        """async ([name, prefix]) => {
            const found = {};
            const cache = await caches.open(name);
            for (const request of await cache.keys()) {
                const address = new URL(request.url);
                if (address.search) continue;
                const body = await (await cache.match(request)).arrayBuffer();
                const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
                found[address.pathname.slice(prefix.length)] = Array.from(hash.slice(0, 8))
                    .map(byte => byte.toString(16).padStart(2, "0")).join("");
            }
            return found;
        }""",
        [cache, PREFIX],
    )
    return stored


def cache_of(version: str) -> str:
    return f"catalogo {PREFIX} {version}"


def cache_names(page: Page) -> list[str]:
    names: list[str] = page.evaluate("() => caches.keys()")
    return names


def wait_until(page: Page, script: str, arg: object = None, timeout: float = 30) -> None:
    """Waits until `script` (a function, which may return a promise) gives a true value."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {script}"
        page.wait_for_timeout(200)


def wait_for_worker(page: Page) -> None:
    page.wait_for_function("() => !!navigator.serviceWorker.controller")


def wait_for_waiting_worker(page: Page) -> None:
    wait_until(page, "() => navigator.serviceWorker.getRegistration().then(r => !!(r && r.waiting))")


def save_catalog(page: Page, published: Published, shoot: Shoot | None = None) -> None:
    """Opens the home page, checks the size shown, presses the button, waits for the end."""
    page.goto(published.url(""))
    panel = page.locator("[data-guardar]")
    panel.wait_for(state="visible")
    size = published.worker()["total"]["text"]
    assert f"Ocupa {size} en este dispositivo" in panel.inner_text()
    button = page.get_by_role("button", name=SAVE)
    assert button.is_visible() and page.get_by_text(SAVED).count() == 0
    if shoot:
        shoot(page, "1-guardar-antes", "[data-guardar]")
    button.click()
    page.get_by_text(SAVED).wait_for(timeout=60_000)
    assert not button.is_visible()
    assert page.locator("[data-guardar-progreso]").is_hidden()


def assert_no_axe_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_a_saved_catalog_is_read_and_searched_without_a_connection(
    published: Published, new_page: NewPage, shoot: Shoot
) -> None:
    page = new_page(bypass_csp=True)  # axe is injected as a script
    save_catalog(page, published, shoot)
    shoot(page, "2-guardado", "[data-guardar]")
    assert_no_axe_violations(page)

    # Every file of the list is stored, with exactly this build's bytes.
    assert cache_names(page) == [cache_of(published.worker()["version"])]
    assert stored_files(page, cache_names(page)[0]) == published.kept()

    # It stays saved across a reload.
    page.reload()
    page.get_by_text(SAVED).wait_for()
    assert page.get_by_role("button", name=SAVE).is_hidden()

    # The network goes: the browser is offline and the server is gone too.
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.context.set_offline(True)
    published.server.stop()
    page.locator(".menu summary").click()
    page.get_by_role("link", name="Por público").click()
    assert page.locator("h1").inner_text() == "¿Quién eres?"
    note = page.locator(".aviso-sin-red")
    assert "Sin conexión" in note.inner_text()
    page.get_by_role("link", name=re.compile(r"^Jueces y juezas")).click()
    assert "Jueces" in page.locator("h1").inner_text()
    assert page.locator(f"a:has-text('{NEEDS_CONNECTION}')").count() == 0  # all stored

    # Search, with a filter.
    page.get_by_role("link", name="Buscar").first.click()
    page.fill("#q", "víctima")
    page.press("#q", "Enter")
    status = wait_for_search(page)
    everything = int(re.match(r"(\d+) resultados", status).group(1))  # type: ignore[union-attr]
    page.get_by_text("Filtrar por sección, tipo, público, año o idioma").click()
    guides = page.get_by_role("checkbox", name=re.compile(r"^Guía \(\d+\)$"))
    expected = int(re.findall(r"\d+", guides.locator("xpath=..").inner_text())[-1])
    guides.check()
    status = wait_for_search(page)
    assert status.startswith(f"{expected} resultado") and expected < everything
    page.evaluate("() => window.scrollTo(0, 0)")
    shoot(page, "3-busqueda-sin-conexion")
    # Pagefind asks for its entry file with the build's version (metaCacheTag), not the time.
    entry = published.url("pagefind/pagefind-entry.json?ts=" + published.worker()["version"])
    assert entry in asked
    first = result_titles(page)[0]

    # Open a record: it shows, and its access buttons say they need a connection.
    page.locator("#resultados > li h3 a").first.click()
    assert page.locator("h1").inner_text() == first
    buttons = page.locator(".enlaces a.boton")
    assert buttons.count() >= 1
    for index in range(buttons.count()):
        assert NEEDS_CONNECTION in buttons.nth(index).inner_text()
    shoot(page, "4-ficha-sin-conexion")
    assert_no_axe_violations(page)
    # Its citation file, which readers put in reports, is there too.
    ris = page.evaluate(
        "href => fetch(href).then(r => r.text())",
        page.locator("a[href$='cita.ris']").get_attribute("href"),
    )
    assert ris.startswith("TY  - ")


def test_pages_a_reader_opened_stay_without_saving_and_the_rest_says_so(
    published: Published, new_page: NewPage, shoot: Shoot
) -> None:
    page = new_page(bypass_csp=True)
    page.goto(published.url(""))
    wait_for_worker(page)
    page.goto(published.url(RECORD_PAGE))
    page.goto(published.url("buscar/?q=protocolo"))
    online = wait_for_search(page)
    online_titles = result_titles(page)

    page.context.set_offline(True)
    page.goto(published.url(RECORD_PAGE))
    assert page.locator("h1").inner_text() == TITLE
    page.goto(published.url("buscar/?q=protocolo"))
    assert wait_for_search(page) == online
    assert result_titles(page) == online_titles
    # A record never opened: the offline page says it is not stored.
    page.goto(published.url("recursos/boletin-jurisprudencial-04/"))
    assert page.get_by_text(NOT_STORED).is_visible()
    shoot(page, "5-pagina-no-guardada")
    assert_no_axe_violations(page)
    # The home marks the links that will not open; the ones opened before are not marked.
    page.goto(published.url(""))
    page.locator(f"a:has-text('{NEEDS_CONNECTION}')").first.wait_for(state="attached")
    record_link = page.locator(f"a[href$='{RECORD_PAGE}']")
    if record_link.count():
        assert NEEDS_CONNECTION not in record_link.first.inner_text()
    assert NEEDS_CONNECTION in page.get_by_role("link", name=re.compile("^Datos abiertos")).inner_text()
    # Back online, the marks go.
    page.context.set_offline(False)
    page.wait_for_function("() => !document.querySelector('.sin-red-marca')")
    assert page.locator(".aviso-sin-red").count() == 0


# The last step (a reader searching on a page of the old build) timed out once in a full
# CI run on 2026-12-01, with no stale answer from the test server left to blame (see
# support.SiteServer); it passed 13 times in a row here, alone and under load. Cause not
# found: one rerun, said in the README.
@pytest.mark.flaky(reruns=1)
def test_a_new_build_arrives_whole_and_never_mixed(
    published: Published, new_page: NewPage, shoot: Shoot
) -> None:
    # Three readers: one saved the catalog and presses «Actualizar», one saved it and just
    # goes on reading, one never saved it and searches on a page of the old build.
    pressing = new_page(bypass_csp=True)
    reading = new_page()
    searching = new_page()
    save_catalog(pressing, published)
    save_catalog(reading, published)
    # Its first page came before the worker, which stores it too once it is in charge.
    searching.goto(published.url(RECORD_PAGE))
    wait_until(searching, "url => caches.match(url).then(found => !!found)", searching.url)
    searching.goto(published.url("buscar/"))
    old = published.kept()
    old_cache = cache_of(published.worker()["version"])
    assert stored_files(pressing, old_cache) == old

    record = published.catalog / RECORD
    record.write_text(
        record.read_text(encoding="utf-8").replace(f"titulo: {TITLE}", f"titulo: {NEW_TITLE}"),
        encoding="utf-8",
    )
    published.publish()
    new = published.kept()
    new_cache = cache_of(published.worker()["version"])
    changed = {key for key in new if old.get(key) != new[key]}
    assert RECORD_PAGE in changed and "static/estilo.css" not in changed

    # The reader who presses «Actualizar».
    pressing.goto(published.url(RECORD_PAGE))
    assert pressing.locator("h1").inner_text() == TITLE  # the saved page, old build
    pressing.get_by_text(NEW_VERSION).wait_for(timeout=30_000)
    shoot(pressing, "6-version-nueva")
    assert_no_axe_violations(pressing)
    # The new build is stored beside the old one, each whole and unmixed, until it takes over.
    assert sorted(cache_names(pressing)) == sorted([old_cache, new_cache])
    assert stored_files(pressing, old_cache) == old
    assert stored_files(pressing, new_cache) == new
    pressing.get_by_role("button", name="Actualizar").click()
    pressing.wait_for_function(
        "title => document.querySelector('h1').textContent === title", arg=NEW_TITLE
    )
    wait_until(pressing, "() => caches.keys().then(k => k.length === 1)")
    # The saved catalog is now the new build, whole; the old cache is gone.
    assert cache_names(pressing) == [new_cache]
    assert stored_files(pressing, new_cache) == new

    # The reader who goes on reading gets the new build at the next page they open.
    reading.goto(published.url(""))
    wait_for_waiting_worker(reading)
    reading.locator(".tarjeta a", has_text="Investigación y sanción").click()
    reading.get_by_role("link", name=NEW_TITLE, exact=True).click()
    assert reading.locator("h1").inner_text() == NEW_TITLE
    wait_until(reading, "() => caches.keys().then(k => k.length === 1)")
    assert cache_names(reading) == [new_cache]
    assert stored_files(reading, new_cache) == new

    # The reader on an old search page: the old build's index is gone from the server, so
    # the page reloads into the new build and finds the new title.
    searching.fill("#q", "segunda edición")
    searching.press("#q", "Enter")
    searching.wait_for_function(
        "title => [...document.querySelectorAll('#resultados h3')].some(h => h.textContent === title)",
        arg=NEW_TITLE,
        timeout=30_000,
    )
    assert cache_names(searching) == [new_cache]
    kept_by_searching = stored_files(searching, new_cache)
    assert set(kept_by_searching.items()) <= set(new.items())
    assert kept_by_searching[RECORD_PAGE] == new[RECORD_PAGE]  # the page it had read, renewed

    # Offline, the updated catalog searches the new titles.
    pressing.context.set_offline(True)
    pressing.goto(published.url("buscar/?q=segunda%20edici%C3%B3n"))
    wait_for_search(pressing)
    assert NEW_TITLE in result_titles(pressing)


def test_the_worker_is_scoped_to_the_base_path(published: Published, new_page: NewPage) -> None:
    page = new_page()
    page.goto(published.url(""))
    wait_for_worker(page)
    scope = page.evaluate("() => navigator.serviceWorker.getRegistration().then(r => r.scope)")
    assert scope == published.server.origin + PREFIX
    assert page.evaluate("() => navigator.serviceWorker.controller.scriptURL") == (
        published.server.origin + PREFIX + "sw.js"
    )
    # The browser editor is left to the network, and so are pages outside the base path.
    response = page.goto(published.url("admin/"))
    assert response is not None and not response.from_service_worker
    response = page.goto(published.url("acerca/"))
    assert response is not None and response.from_service_worker
    # A page of the same address outside the base path is not the catalog's.
    page.goto(published.server.origin + "/otro-sitio/")
    assert page.evaluate("() => navigator.serviceWorker.controller") is None
    assert page.evaluate("() => navigator.serviceWorker.getRegistration('/otro-sitio/')") is None


def test_the_site_can_be_installed_on_a_phone(
    published: Published, browser: Browser, tmp_path: Path
) -> None:
    """Chromium's own installability check (what makes it offer «Instalar» or «Agregar a la
    pantalla de inicio»), in a real profile: private windows never offer it."""
    executable = chromium_path()
    assert executable is not None
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "perfil", executable_path=executable, args=CHROMIUM_ARGS
    )
    try:
        page = context.new_page()
        page.goto(published.url(""))
        wait_for_worker(page)
        session = context.new_cdp_session(page)
        manifest = session.send("Page.getAppManifest")
        assert manifest["errors"] == []
        assert manifest["url"] == published.url("manifest.webmanifest")
        assert session.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        assert session.send("Page.getAppId")["appId"] == published.url("")
        for icon in json.loads(manifest["data"])["icons"]:
            assert page.request.get(published.server.origin + icon["src"]).ok, icon
    finally:
        context.close()


def test_the_preview_removes_a_worker_a_published_build_left(
    tmp_path: Path, new_page: NewPage
) -> None:
    """An editor who opened a built site on the preview's address, then runs `serve` there:
    the preview's sw.js replaces the catalog's worker, so their changes show at once."""
    catalog = tmp_path / "catalog"
    shutil.copytree(ROOT / "catalog", catalog)
    site = tmp_path / "_site"
    server = SiteServer(site, prefix="/").start()
    try:
        options = example_options(catalog, site, site_url=server.origin, search=False)
        build_site(options)
        page = new_page()
        page.goto(server.url(RECORD_PAGE))
        wait_for_worker(page)
        wait_until(page, "url => caches.match(url).then(found => !!found)", page.url)

        record = catalog / RECORD
        record.write_text(
            record.read_text(encoding="utf-8").replace(f"titulo: {TITLE}", f"titulo: {NEW_TITLE}"),
            encoding="utf-8",
        )
        build_site(preview_build(options))
        page.goto(server.url(RECORD_PAGE))
        # Chromium fetches the new sw.js in its own time after the navigation: 3 s to the
        # new title on a quiet machine here. If it has not within 15 s, the test asks for the
        # update a browser makes on its next visit, and checks what the new worker does.
        from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

        shows_new_title = "title => document.querySelector('h1').textContent === title"
        try:
            page.wait_for_function(shows_new_title, arg=NEW_TITLE, timeout=15_000)
        except PlaywrightTimeoutError:
            page.evaluate("() => navigator.serviceWorker.getRegistration().then(r => r.update())")
            page.wait_for_function(shows_new_title, arg=NEW_TITLE, timeout=30_000)
        wait_until(page, "() => navigator.serviceWorker.getRegistration().then(r => !r)")
        assert cache_names(page) == []
    finally:
        server.stop()


def test_a_save_cut_short_says_so_and_the_next_press_finishes_it(
    published: Published, new_page: NewPage, shoot: Shoot
) -> None:
    page = new_page()
    page.goto(published.url(""))
    wait_for_worker(page)
    # The connection fails for one page while saving (context.route also catches the
    # requests of the service worker).
    broken = published.url("recursos/boletin-jurisprudencial-04/")
    page.context.route(broken, lambda route: route.abort("internetdisconnected"))
    page.get_by_role("button", name=SAVE).click()
    page.get_by_text("No se pudo guardar todo: revisa tu conexión").wait_for(timeout=60_000)
    shoot(page, "7-guardado-incompleto", "[data-guardar]")
    version = published.worker()["version"]
    stored = stored_files(page, cache_of(version))
    assert RECORD_PAGE in stored and "recursos/boletin-jurisprudencial-04/" not in stored
    page.context.unroute(broken)
    page.get_by_role("button", name=SAVE).click()
    page.get_by_text(SAVED).wait_for(timeout=60_000)
    assert stored_files(page, cache_of(version)) == published.kept()
