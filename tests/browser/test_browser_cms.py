"""The browser editor (/admin/), end to end and offline, as an editor uses it: Sveltia
CMS's test backend (the browser's private file system) holds the shipped catalog; the
editor changes a title, creates a record choosing from the lists, is stopped with a
Spanish message for an empty title, and what the editor would commit passes `validate`
and loads to the same records. Nothing is loaded from outside the site."""

from __future__ import annotations

import difflib
import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from catalogo.cli import main
from catalogo.loader import load_catalog
from catalogo.models import Record, RecordFields
from tests.browser.support import ROOT, NewPage, SiteServer, serve_shipped_catalog

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

pytestmark = pytest.mark.browser

CATALOG = ROOT / "catalog"
SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/recurso.schema.json"
DESKTOP = {"width": 1280, "height": 900}
GUIDE = "catalog/objetivo-1/guia-operativa-investigacion-trata.yaml"
GUIDE_TITLE = "Guía Operativa para la investigación del delito de trata de personas"
# Writes the catalog into the test backend's folder of the browser's private file system.
SEED = """async (files) => {
  const root = await navigator.storage.getDirectory();
  await root.removeEntry("sveltia-cms-test", { recursive: true }).catch(() => {});
  const base = await root.getDirectoryHandle("sveltia-cms-test", { create: true });
  for (const [path, text] of Object.entries(files)) {
    const parts = path.split("/");
    let folder = base;
    for (const part of parts.slice(0, -1)) {
      folder = await folder.getDirectoryHandle(part, { create: true });
    }
    const file = await folder.getFileHandle(parts.at(-1), { create: true });
    const writer = await file.createWritable();
    await writer.write(text);
    await writer.close();
  }
}"""
# Everything in the test backend's folder: what the editor would have committed.
READ = """async () => {
  const files = {};
  const walk = async (folder, prefix) => {
    for await (const [name, handle] of folder.entries()) {
      const path = prefix ? `${prefix}/${name}` : name;
      if (handle.kind === "directory") {
        await walk(handle, path);
        continue;
      }
      // A file the editor is writing right now is read on the next look.
      const text = await handle.getFile().then((file) => file.text(), () => null);
      if (text !== null) files[path] = text;
    }
  };
  const root = await navigator.storage.getDirectory();
  await walk(await root.getDirectoryHandle("sveltia-cms-test"), "");
  return files;
}"""


def shipped_files() -> dict[str, str]:
    paths = sorted(CATALOG.glob("*/*.yaml")) + sorted(CATALOG.glob("_*.yaml"))
    return {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in paths}


@pytest.fixture(scope="module")
def cms_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    server = serve_shipped_catalog(
        tmp_path_factory, "sitio-cms", search=False, repository="oit/catalogo-trata"
    )
    yield server
    server.stop()


class Editor:
    """The admin page on the test backend, and what it did: the requests it made and the
    policy violations it met."""

    def __init__(self, page: Page, server: SiteServer, shots: Path) -> None:
        self.page = page
        self.shots = shots
        self.server = server
        self.requests: list[str] = []
        self.violations: list[str] = []
        self.before = shipped_files()
        page.on("request", lambda request: self.requests.append(request.url))
        page.on(
            "console",
            lambda message: self.violations.append(message.text)
            if "Content Security Policy" in message.text
            else None,
        )

    def open(self) -> Editor:
        page = self.page
        page.goto(self.server.url())  # any page of the site: its origin holds the files
        page.evaluate(SEED, self.before)
        # The published page signs in to GitHub; only the backend is swapped, here.
        page.route(f"{self.server.url('admin/')}", self.test_backend)
        page.goto(self.server.url("admin/"))
        page.get_by_role("button", name="Trabajar con un repositorio de prueba").click()
        page.get_by_role("treeitem", name="Investigación y sanción").wait_for()
        return self

    @staticmethod
    def test_backend(route: Route) -> None:
        response = route.fetch()
        html = response.text()
        assert 'data-backend="github"' in html
        route.fulfill(response=response, body=html.replace('data-backend="github"', 'data-backend="test-repo"'))

    def create_in(self, collection: str) -> None:
        """Opens a collection's list and starts a new record there, each step once the one
        before shows: the list has its own «Crear» button, and a press that reached the
        list still on screen would start the record elsewhere."""
        page = self.page
        page.get_by_role("treeitem", name=collection).click()
        page.get_by_role("treeitem", name=collection, selected=True).wait_for()
        page.get_by_role("button", name="Crear una nueva entrada").click()
        # «Creando registro de …»: the interface sets the words after «Creando» apart
        # with bidirectional isolation marks.
        page.get_by_text(re.compile(f"^Creando\\W+registro de {re.escape(collection)}\\W*$")).wait_for()

    def save(self) -> None:
        """Presses «Guardar» and waits for the editor's own word that the record was saved."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

        self.page.get_by_role("button", name="Guardar").click()
        saved = self.page.get_by_role("status").filter(has_text="Entrada guardada.")
        try:
            saved.wait_for(timeout=15_000)
        except PlaywrightTimeoutError:
            raise AssertionError(f"the save was not confirmed; {self.explain()}") from None

    def committed(self) -> dict[str, str]:
        files: dict[str, str] = self.page.evaluate(READ)
        return files

    def changes(self) -> dict[str, str]:
        """The files the editor wrote, once there are any; fails with what the page shows
        when none comes within 10 s."""
        deadline = time.monotonic() + 10
        while True:
            now = self.committed()
            changed = {k: v for k, v in now.items() if self.before.get(k) != v}
            if changed:
                return changed
            if time.monotonic() > deadline:
                raise AssertionError(f"no file written; {self.explain()}")
            self.page.wait_for_timeout(100)

    def explain(self) -> str:
        """What the editor sees when a save is not confirmed or writes nothing: where the
        page is, its alerts and messages, and a screenshot («sin-guardar.png»)."""
        self.shot("sin-guardar.png")
        alerts = self.page.locator("[role=alert], [role=status], [aria-invalid=true]").all_inner_texts()
        return f"page {self.page.url}, messages {alerts}, screenshot {self.shots / 'sin-guardar.png'}"

    def reveal(self, role: str, name: str) -> Any:
        """The form draws its fields as they scroll into view: scroll down, as a person
        does, until the field is there."""
        found = self.page.get_by_role(role, name=name)
        for _ in range(30):
            if found.count():
                break
            self.page.mouse.move(300, 600)
            self.page.mouse.wheel(0, 600)
            self.page.wait_for_timeout(100)
        found.scroll_into_view_if_needed()
        return found

    def choose(self, field: str, option: str, search: str | None = None) -> None:
        """Opens a list, types to filter it if asked (the filter has the focus), picks."""
        self.reveal("combobox", field).click()
        listbox = self.page.get_by_role("listbox").filter(visible=True)
        listbox.wait_for()
        if search is not None:
            self.page.keyboard.type(search)
        listbox.get_by_role("option", name=option, exact=True).click()
        listbox.wait_for(state="hidden")

    def preview_frame(self) -> Any:
        return self.page.frame_locator("iframe").first

    def shot(self, name: str) -> None:
        """A screenshot to look at (pytest's temporary folder, «capturas-cms»)."""
        self.page.screenshot(path=str(self.shots / name))


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("capturas-cms")


@pytest.fixture(scope="module")
def opened(cms_site: SiteServer, browser: Browser, shots: Path) -> Iterator[Editor]:
    """One editor for the module: it loads once (seconds), and each test starts from the
    collection list with what is committed so far as its starting point."""
    context = browser.new_context(viewport=DESKTOP, locale="es-PE")
    context.set_default_timeout(15_000)
    yield Editor(context.new_page(), cms_site, shots).open()
    context.close()


@pytest.fixture
def editor(opened: Editor) -> Editor:
    opened.before = opened.committed()
    opened.page.evaluate("location.hash = '#/collections/objetivo-1'")
    opened.page.get_by_role("grid", name="Entradas").wait_for()
    return opened


def loaded_with(changes: dict[str, str], tmp_path: Path) -> dict[str, Record]:
    """The catalog as it would be after the commit: it passes `validate`, and loads."""
    catalog = tmp_path / "catalog"
    shutil.copytree(CATALOG, catalog)
    for path, text in changes.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
    assert main(["validate", "--catalog", str(catalog)]) == 0
    return {record.id: record for record in load_catalog(catalog).catalog.records}


def test_editor_changes_a_title_and_commits_only_that_line(editor: Editor, tmp_path: Path) -> None:
    page = editor.page
    assert page.get_by_role("treeitem", name="Videos y spots").inner_text().endswith("45")
    page.get_by_role("row", name=GUIDE_TITLE, exact=True).click()
    title = page.get_by_role("textbox", name="Título")
    assert title.input_value() == GUIDE_TITLE
    new_title = GUIDE_TITLE + " (segunda edición)"
    title.fill(new_title)
    heading = editor.preview_frame().get_by_role("heading", level=1)
    assert heading.inner_text() == new_title  # the preview follows the form
    editor.shot("editar-registro.png")
    editor.save()

    changes = editor.changes()
    assert list(changes) == [GUIDE]
    diff = [
        line
        for line in difflib.unified_diff(editor.before[GUIDE].splitlines(), changes[GUIDE].splitlines(), lineterm="")
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert diff == [f"-titulo: {GUIDE_TITLE}", f"+titulo: {new_title}"]

    after = {key: r.model_dump() for key, r in loaded_with(changes, tmp_path).items()}
    before = {r.id: r.model_dump() for r in load_catalog(CATALOG).catalog.records}
    assert after.pop("guia-operativa-investigacion-trata") == {
        **before.pop("guia-operativa-investigacion-trata"),
        "titulo": new_title,
    }
    assert after == before  # every other record loads exactly as before



def test_editor_creates_a_record_choosing_from_the_lists(editor: Editor, tmp_path: Path) -> None:
    page = editor.page
    editor.create_in("Atención y protección")
    page.get_by_role("textbox", name="Título").fill("Guía de atención: niñas y niños «víctimas»")
    editor.choose("Tipo de recurso", "Guía")
    editor.choose("Año de publicación", "2025", search="2025")
    editor.choose("Público", "Salud")
    editor.choose("Público", "Fiscalía")
    editor.choose("Registros relacionados", "Acuerdo Plenario 6-2019", search="Acuerdo")
    preview = editor.preview_frame()
    assert preview.get_by_text("Salud").first.is_visible()
    editor.shot("nuevo-registro.png")
    editor.save()

    path = "catalog/objetivo-2/guia-de-atencion-ninas-y-ninos-victimas.yaml"
    changes = editor.changes()
    assert list(changes) == [path]  # in the section chosen, named by its title
    text = changes[path]
    assert text.splitlines()[0] == SCHEMA_LINE
    assert list(yaml.safe_load(text)) == ["titulo", "tipo", "anio", "publico", "relacionados", "fecha_alta"]
    record = loaded_with(changes, tmp_path)["guia-de-atencion-ninas-y-ninos-victimas"]
    assert record.seccion == "objetivo-2"
    assert record.titulo == "Guía de atención: niñas y niños «víctimas»"
    assert (record.tipo, record.anio, record.publico) == ("guia", 2025, ["salud", "fiscalia"])
    assert record.relacionados == ["acuerdo-plenario-6-2019"]  # any section's record, by its id
    assert record.idioma == "es"
    assert record.fecha_alta is not None


def test_preview_looks_like_the_record_page(editor: Editor, cms_site: SiteServer, new_page: NewPage) -> None:
    page = editor.page
    page.get_by_role("row", name="Acuerdo Plenario 6-2019", exact=True).click()
    preview = editor.preview_frame()
    preview.get_by_role("heading", level=1).wait_for()
    # The record page at the preview pane's width: the site's layout depends on it.
    width = int(page.locator("iframe").first.evaluate("frame => frame.clientWidth"))
    real = new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
    real.goto(cms_site.url("recursos/acuerdo-plenario-6-2019/"))
    style = """(element) => {
        const s = getComputedStyle(element);
        return [s.fontFamily, s.fontSize, s.fontWeight, s.color, s.borderTopStyle, s.display].join("|");
    }"""
    for selector in ("h1", ".datos", ".datos dt", ".lista-enlaces .boton", ".texto p"):
        shown = preview.locator(selector).first.evaluate(style)
        assert shown == real.locator(selector).first.evaluate(style), selector
    facts = preview.locator(".datos").inner_text()
    for text in ("Jurisprudencia", "2019", "Poder Judicial del Perú (PJ)", "Investigación y sanción"):
        assert text in facts
    assert preview.get_by_role("link", name="Descargar PDF").is_visible()
    editor.shot("vista-previa.png")


def test_writer_keeps_every_shipped_record(editor: Editor) -> None:
    """The editor's YAML writer, given each shipped record, writes a file that reads back
    to the same data, with the schema line first and the keys in the model's order."""
    records = {}
    for path in sorted(CATALOG.glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        records[path.relative_to(ROOT).as_posix()] = json.loads(json.dumps(data, default=str))
    written: dict[str, str] = editor.page.evaluate(
        """async (records) => {
            const config = await (await fetch("config.json")).json();
            const fields = config.collections[0].fields;
            return Object.fromEntries(
                Object.entries(records).map(([path, data]) => [path, window.catalogoEscribirRegistro(data, fields)]));
        }""",
        records,
    )
    order = list(RecordFields.model_fields)
    same = reordered = 0
    for path, text in written.items():
        original = (ROOT / path).read_text(encoding="utf-8")
        assert text.splitlines()[0] == SCHEMA_LINE
        data = yaml.safe_load(text)
        assert data == yaml.safe_load(original), path
        assert list(data) == sorted(data, key=order.index), path
        same += text == original
        reordered += text != original and sorted(text.splitlines()) == sorted(original.splitlines())
        # Its style is the catalog's: the same lines, at most in the model's order; only the
        # corrections, quoted by hand in the shipped files, come back plain.
        assert sorted(text.splitlines()) == sorted(original.splitlines()) or "correcciones" in data, path
    print(
        f"\n[cms] shipped records written back: {same} of {len(written)} byte for byte, "
        f"{reordered} with the same lines in the model's order"
    )


def test_an_empty_title_is_refused_in_spanish(editor: Editor) -> None:
    page = editor.page
    editor.create_in("Políticas y gestión")
    editor.choose("Tipo de recurso", "Protocolo")
    page.get_by_role("button", name="Guardar").click()
    field = page.get_by_role("group", name="Campo “⁨Título⁩”")
    alert = field.get_by_role("alert")
    assert alert.is_visible()
    assert alert.inner_text().splitlines()[-1] == "Este campo es obligatorio."  # after its icon
    assert page.get_by_role("textbox", name="Título").get_attribute("aria-invalid") == "true"
    editor.shot("titulo-vacio.png")
    page.wait_for_timeout(500)
    assert editor.committed() == editor.before  # nothing was written
    page.get_by_role("button", name="Cancelar la edición").click()
    discard = page.get_by_role("button", name="Descartar")
    if discard.count():
        discard.click()


def test_nothing_is_loaded_from_outside_the_site(editor: Editor) -> None:
    """Over everything the tests above did: the editor, its fonts, its Spanish strings
    and the modules it imports all come from the site, within the page's policy."""
    origin = editor.server.origin
    outside = [url for url in editor.requests if not url.startswith((origin, "data:", "blob:"))]
    assert not outside, outside
    assert any(url.endswith("/admin/modulos/immutable.es.js") for url in editor.requests)
    assert any(url.endswith("/admin/locales/es-CO.json") for url in editor.requests)
    assert any(url.endswith("/admin/fuentes/material-symbols-outlined.woff2") for url in editor.requests)
    assert not editor.violations, editor.violations


def test_published_page_signs_in_to_github_with_a_token(cms_site: SiteServer, new_page: NewPage) -> None:
    """The page as published (GitHub backend): the editor asks for a personal access token,
    in Spanish, and its address to make one asks only for the repository's contents."""
    page = new_page(viewport=DESKTOP, device_scale_factor=1)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(cms_site.url("admin/"))
    assert page.title().startswith("Editor · Catálogo de recursos")
    page.get_by_role("button", name="Iniciar sesión con un token de acceso").click()
    dialog = page.get_by_role("alertdialog", name="Iniciar sesión con un token de acceso")
    assert dialog.get_by_role("textbox", name="Token de acceso personal").is_visible()
    link = dialog.get_by_role("link", name="página de configuración de usuario de ⁨GitHub⁩")
    assert link.get_attribute("href") == (
        "https://github.com/settings/personal-access-tokens/new?name=Sveltia+CMS&contents=write"
    )
    page.wait_for_timeout(300)
    assert not violations, violations
