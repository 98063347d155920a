"""Offline reading, on the built site: the service worker names every file it may keep with
the digest of its bytes, in this build only; the web app manifest points inside the site.
How a browser uses them is tested in tests/browser/test_browser_offline.py."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogo import offline
from catalogo.pipeline import build_site
from catalogo.problems import CatalogError
from catalogo.serve import preview_build
from tests.support import EXAMPLE, ROOT, edit, example_options

BASE = "/catalogo-trata/"


def worker_facts(site: Path) -> dict[str, object]:
    """The BUILD object the build wrote at the top of sw.js."""
    header = (site / offline.WORKER).read_text(encoding="utf-8").splitlines()[1]
    found = re.fullmatch(r"var BUILD = (\{.*\});", header)
    assert found, header
    facts: dict[str, object] = json.loads(found.group(1))
    return facts


def kept_files(site: Path) -> dict[str, list[object]]:
    facts = worker_facts(site)
    kept: dict[str, list[object]] = {}
    parts = facts["parts"]
    assert isinstance(parts, list)
    for key, _ in parts:
        kept.update(json.loads((site / key).read_text(encoding="utf-8")))
    return kept


def file_of(site: Path, key: str) -> Path:
    return site / (key + "index.html" if key == "" or key.endswith("/") else key)


def short_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[: offline.DIGEST_CHARS]


@pytest.fixture(scope="module")
def searchable_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example catalog with its search index, under a project-pages base path."""
    out = tmp_path_factory.mktemp("sin-conexion") / "_site"
    build_site(example_options(EXAMPLE, out, search=True, base_url=BASE))
    return out


def test_every_kept_file_is_listed_with_the_digest_of_its_bytes(searchable_site: Path) -> None:
    kept = kept_files(searchable_site)
    for key, (digest, size) in kept.items():
        data = file_of(searchable_site, key).read_bytes()
        assert (short_digest(data), len(data)) == (digest, size), key
    facts = worker_facts(searchable_site)
    parts = facts["parts"]
    assert isinstance(parts, list)
    for key, digest in parts:
        assert short_digest((searchable_site / key).read_bytes()) == digest


def test_the_worker_keeps_pages_search_and_citations_but_not_downloads(
    searchable_site: Path,
) -> None:
    kept = set(kept_files(searchable_site))
    pages = {
        offline.key_of(path.relative_to(searchable_site).as_posix())
        for path in searchable_site.rglob("*.html")
        if not path.relative_to(searchable_site).as_posix().startswith("admin/")
    }
    assert pages <= kept
    assert {
        "",
        "recursos/guia-de-prueba/",
        "recursos/guia-de-prueba/cita.ris",
        "buscar/palabras.json",
        "pagefind/pagefind.js",
        "pagefind/pagefind-worker.js",
        "pagefind/pagefind-entry.json",
        "pagefind/wasm.es.pagefind",
        "manifest.webmanifest",
        "static/sin-conexion.js",
    } <= kept
    search = {key for key in kept if key.startswith("pagefind/")}
    assert any(key.endswith(".pf_fragment") for key in search)
    assert any(key.endswith(".pf_index") for key in search)
    assert any(key.endswith(".pf_meta") for key in search)
    never = {
        "datos/catalogo.json",
        "datos/catalogo.csv",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "admin/",
        "admin/config.json",
        "static/compartir.png",
        "pagefind/pagefind-ui.js",
        "pagefind/wasm.unknown.pagefind",
        "sw.js",
    }
    assert not never & kept
    assert (searchable_site / "datos/catalogo.json").is_file()


def test_the_shell_is_what_every_visit_needs(searchable_site: Path) -> None:
    shell = worker_facts(searchable_site)["shell"]
    assert isinstance(shell, dict)
    assert set(shell) == {
        "",
        "buscar/",
        "sin-conexion/",
        "404.html",
        "manifest.webmanifest",
        "static/estilo.css",
        "static/buscar.js",
        "static/compartir.js",
        "static/video.js",
        "static/sin-conexion.js",
        "static/icono.svg",
        "static/favicon.ico",
    }
    kept = kept_files(searchable_site)
    assert all(kept[key][0] == digest for key, digest in shell.items())


def test_the_size_shown_is_everything_saving_stores(searchable_site: Path) -> None:
    facts = worker_facts(searchable_site)
    kept = kept_files(searchable_site)
    parts = facts["parts"]
    assert isinstance(parts, list)
    part_bytes = sum((searchable_site / key).stat().st_size for key, _ in parts)
    total = facts["total"]
    assert isinstance(total, dict)
    assert total["files"] == len(kept) + len(parts)
    assert total["bytes"] == sum(int(str(size)) for _, size in kept.values()) + part_bytes
    assert facts["base"] == BASE


def test_a_changed_record_makes_a_new_version_naming_its_new_bytes(tmp_path: Path) -> None:
    catalog = tmp_path / "catalogo"
    shutil.copytree(EXAMPLE, catalog)
    out = tmp_path / "_site"
    build_site(example_options(catalog, out, search=True, base_url=BASE))
    first = worker_facts(out)["version"]
    # Nothing changed: the same worker, byte for byte (the search index is reused: Pagefind
    # does not write the same bytes twice, so a fresh index would make a new version).
    worker = (out / offline.WORKER).read_bytes()
    build_site(example_options(catalog, out, search=True, base_url=BASE))
    assert (out / offline.WORKER).read_bytes() == worker
    edit(catalog / "guias" / "guia-de-prueba.yaml", 'titulo: "', 'titulo: "Nueva edición. ')
    before = kept_files(out)
    build_site(example_options(catalog, out, search=True, base_url=BASE))
    after = kept_files(out)
    assert worker_facts(out)["version"] != first
    changed = {key for key in after if before.get(key) != after[key]}
    assert "recursos/guia-de-prueba/" in changed
    assert "static/estilo.css" not in changed
    assert (
        short_digest((out / "recursos/guia-de-prueba/index.html").read_bytes())
        == (after["recursos/guia-de-prueba/"][0])
    )


def test_a_long_list_is_split_where_the_worker_looks_for_each_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(offline, "PART_ENTRIES", 10)
    out = tmp_path / "_site"
    build_site(example_options(EXAMPLE, out, search=True, base_url=BASE))
    parts = worker_facts(out)["parts"]
    assert isinstance(parts, list) and len(parts) > 2
    for number, (key, _) in enumerate(parts):
        for listed in json.loads((out / key).read_text(encoding="utf-8")):
            assert offline.part_of(listed, len(parts)) == number


def test_part_of_is_fnv1a() -> None:
    # Reference values of 32-bit FNV-1a, which serviceworker.js's partOf computes too.
    assert offline.part_of("", 2**32) == 0x811C9DC5
    assert offline.part_of("a", 2**32) == 0xE40C292C
    assert offline.part_of("foobar", 2**32) == 0xBF9CF968


def test_keys_are_addresses_as_links_write_them() -> None:
    assert offline.key_of("index.html") == ""
    assert offline.key_of("recursos/x/index.html") == "recursos/x/"
    assert offline.key_of("404.html") == "404.html"
    assert offline.key_of("anios/sin-año/index.html") == "anios/sin-a%C3%B1o/"
    assert offline.key_of("recursos/a b/cita.bib") == "recursos/a%20b/cita.bib"


@given(st.lists(st.sampled_from(["recursos", "año", "a b", "index.html", "x~y", "%", ""])))
def test_plain_paths_skip_quote_and_get_the_same_keys(parts: list[str]) -> None:
    """key_of keeps a path of unreserved characters as it is, without quote()."""
    path = "/".join(parts)
    page = path == "index.html" or path.endswith("/index.html")
    assert offline.key_of(path) == quote(
        path.removesuffix("index.html") if page else path, safe="/-._~"
    )


def test_the_preview_gets_a_worker_that_keeps_nothing(tmp_path: Path) -> None:
    """The preview's worker only removes the one a published build left at the same
    address: Chromium checks that it does (test_browser_offline.py); here, that it names no
    file to keep and that no page loads the offline reading script."""
    out = tmp_path / "_site"
    build_site(preview_build(example_options(EXAMPLE, out)))
    worker = (out / offline.WORKER).read_text(encoding="utf-8")
    assert "BUILD" not in worker
    assert not (out / "sw").exists()
    assert "sin-conexion.js" not in (out / "index.html").read_text(encoding="utf-8")


def test_the_manifest_makes_an_app_of_the_site_under_its_base(searchable_site: Path) -> None:
    manifest = json.loads((searchable_site / offline.WEB_MANIFEST).read_text(encoding="utf-8"))
    assert manifest["start_url"] == manifest["scope"] == manifest["id"] == BASE
    assert manifest["lang"] == "es"
    assert manifest["display"] == "standalone"
    assert len(manifest["short_name"]) <= 12
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        assert icon["src"].startswith(BASE)
        assert (searchable_site / icon["src"].removeprefix(BASE)).is_file()
    for shortcut in manifest["shortcuts"]:
        assert (searchable_site / shortcut["url"].removeprefix(BASE) / "index.html").is_file()
    # The colour of the phone's bar around the app is the site's header colour.
    style = (ROOT / "static" / "estilo.css").read_text(encoding="utf-8")
    brand = re.search(r"--marca:\s*(#[0-9a-f]{6})", style)
    assert brand and manifest["theme_color"] == brand.group(1)
    home = (searchable_site / "index.html").read_text(encoding="utf-8")
    assert f'<meta name="theme-color" content="{brand.group(1)}">' in home
    assert f'<link rel="manifest" href="{BASE}manifest.webmanifest">' in home


def test_a_failing_last_step_leaves_the_previous_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "_site"
    build_site(example_options(EXAMPLE, out))
    before = (out / "sw.js").read_bytes()

    def broken(root: Path, digests: object, **_: object) -> dict[str, bytes]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(offline, "finish_site", broken)
    with pytest.raises(CatalogError) as raised:
        build_site(example_options(EXAMPLE, out))
    assert "No space left on device" in raised.value.problems[0].message
    assert (out / "sw.js").read_bytes() == before


def test_the_last_step_sees_the_finished_site_and_its_files_are_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "_site"
    seen: dict[str, str] = {}

    def finish(root: Path, digests: dict[str, str], **_: object) -> dict[str, bytes]:
        seen.update(digests)
        home = (root / "index.html").read_bytes()
        assert seen["index.html"] == hashlib.sha256(home).hexdigest()[:32]
        return {"sw.js": b"// trabajador"}

    monkeypatch.setattr(offline, "finish_site", finish)
    build_site(example_options(EXAMPLE, out))
    assert "index.html" in seen
    assert (out / "sw.js").read_bytes() == b"// trabajador"
    manifest = json.loads((out / ".catalogo-manifiesto.json").read_text(encoding="utf-8"))
    assert "sw.js" in manifest["files"]


@pytest.mark.parametrize("parts", [1, 7, 2**32])
def test_the_list_finds_the_part_of_every_key_as_part_of_does(parts: int) -> None:
    keys = ["", "buscar/", "recursos/a/", "recursos/a/cita.ris", "recursos/a/cita.bib"]
    keys += ["static/estilo.css", "pagefind/fragment/es_1.pf_fragment", "a%C3%B1o/2021/", "x"]
    finder = offline.PartFinder(parts)
    assert [finder.part(key) for key in keys] == [offline.part_of(key, parts) for key in keys]
