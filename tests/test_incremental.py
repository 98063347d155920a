"""The memo layer: a rebuild costs what an edit changes, and never changes a byte.

A build with the memo (serve's), one with the memo switched off and a cold build in a fresh
folder write the same files, after every kind of edit an editor makes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from catalogo.incremental import Memo
from catalogo.output import MANIFEST
from catalogo.pipeline import build_site
from tests.support import (
    ROOT,
    add_long_series,
    edit,
    example_options,
    generated_files,
    page,
    snapshot,
)

# Pages that show the whole catalog (its size, its newest records): any edit of a record
# renders them again, and most edits leave their bytes as they were.
WHOLE_CATALOG_PAGES = {
    "index.html",
    "buscar/index.html",
    "acerca/index.html",
    "datos/index.html",
    "404.html",
    "sin-conexion/index.html",
    "manifest.webmanifest",
}
# Made from the finished site at the end of every build, never memoized (offline.py).
OFFLINE_FILES = {"sw.js", "sw/archivos-0.json"}


def without_worker(files: dict[str, bytes]) -> dict[str, bytes]:
    return {path: data for path, data in files.items() if not path.startswith(("sw.js", "sw/"))}


@pytest.fixture
def catalog_and_templates(example_catalog: Path, tmp_path: Path) -> tuple[Path, Path]:
    add_long_series(example_catalog)
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    return example_catalog, templates


EDITS: dict[str, Callable[[Path, Path], None]] = {
    "título": lambda c, t: edit(c / "videos" / "spot-quz.yaml", "Captación (quechua)", "Otra"),
    "año": lambda c, t: edit(c / "guias" / "guia-de-prueba.yaml", "anio: 2021", "anio: 2019"),
    "serie": lambda c, t: edit(c / "videos" / "spot-largo-15.yaml", "Spot largo 15", "Quince"),
    "público": lambda c, t: edit(c / "videos" / "video-de-prueba.yaml", "[policia]", "[fiscalia]"),
    "relacionados": lambda c, t: edit(
        c / "guias" / "guia-de-prueba.yaml", "relacionados: [video-de-prueba]", "relacionados: []"
    ),
    "vocabulario": lambda c, t: edit(c / "_tipos.yaml", "plural: Guías", "plural: Guías útiles"),
    "plantilla": lambda c, t: edit(t / "base.html", "Saltar al contenido", "Ir al contenido"),
    "registro nuevo": lambda c, t: (c / "guias" / "guia-nueva.yaml").write_text(
        "titulo: Guía nueva\ntipo: guia\nanio: 2024\npublico: [fiscalia]\n", encoding="utf-8"
    ),
    "registro borrado": lambda c, t: (c / "guias" / "guia-otra.yaml").unlink(),
}


def test_builds_with_the_memo_without_it_and_cold_write_the_same_bytes(
    catalog_and_templates: tuple[Path, Path], tmp_path: Path
) -> None:
    catalog, templates = catalog_and_templates
    (catalog / "guias" / "guia-otra.yaml").write_text(
        "titulo: Otra guía\ntipo: guia\nanio: 2020\n", encoding="utf-8"
    )
    options = example_options(catalog, tmp_path / "con", templates_dir=templates)
    without = replace(options, out_dir=tmp_path / "sin")
    memo, off = Memo(), Memo(enabled=False)
    build_site(options, memo)
    build_site(without, off)
    for name, change in EDITS.items():
        change(catalog, templates)
        with_memo = build_site(options, memo)
        build_site(without, off)
        cold = tmp_path / f"frio-{len(name)}"
        build_site(replace(options, out_dir=cold))
        assert generated_files(options.out_dir) == generated_files(cold), name
        assert generated_files(without.out_dir) == generated_files(cold), name
        assert with_memo.rendered > 0, name
        shutil.rmtree(cold)


def test_a_rebuild_renders_only_what_an_edit_touches(example_catalog: Path, tmp_path: Path) -> None:
    memo = Memo()
    options = example_options(example_catalog, tmp_path / "_site")
    first = build_site(options, memo)
    static = len(list((ROOT / "static").rglob("*.*")))
    offline = 2  # sw.js and its one list of files: made from the finished site, never memoized
    assert first.rendered == first.files - static - offline - 1
    again = build_site(options, memo)
    assert again.rendered == 0, "nothing changed: nothing is rendered"
    assert again.written.written == 0
    edit(example_catalog / "videos" / "spot-quz.yaml", "Captación (quechua)", "Captación en quechua")
    edited = build_site(options, memo)
    assert 0 < edited.rendered < first.rendered / 2, edited.rendered
    assert edited.written.written < 25


def test_a_memo_switched_off_renders_everything_every_time(
    example_catalog: Path, tmp_path: Path
) -> None:
    off = Memo(enabled=False)
    options = example_options(example_catalog, tmp_path / "_site")
    first = build_site(options, off)
    again = build_site(options, off)
    assert again.rendered == first.rendered > 0
    assert again.written.written == 0, "the same bytes: the stage keeps or links them"


def test_editing_a_member_of_a_long_series_renders_its_neighbours_only(
    example_catalog: Path, tmp_path: Path
) -> None:
    """A new title shows on the record's page, on the pages of the ten neighbours whose
    series window lists it, and in the lists and files that name it: those are rendered
    again, with the pages of the whole catalog; the other twenty members of the series
    are not."""
    add_long_series(example_catalog)
    memo = Memo()
    out = tmp_path / "_site"
    build_site(example_options(example_catalog, out), memo)
    before = snapshot(out)
    edit(example_catalog / "videos" / "spot-largo-15.yaml", "Spot largo 15", "Spot largo quince")
    report = build_site(example_options(example_catalog, out), memo)
    after = snapshot(out)
    changed = {path for path in after if before.get(path) != after[path]}
    changed -= {*OFFLINE_FILES, MANIFEST}
    records = {path.split("/")[1] for path in changed if path.startswith("recursos/")}
    assert records == {f"spot-largo-{n:02d}" for n in range(10, 21)}
    assert {path for path in changed if not path.startswith("recursos/")} == {
        "anios/2022/index.html",
        "publico/policia/index.html",
        "tipos/spot-radial/index.html",
        "series/spots/index.html",
        "videos/index.html",
        "feed.xml",
        "buscar/palabras.json",
        *(f"datos/catalogo{name}" for name in (".json", ".csv", ".bib", ".ris", "-csl.json")),
    }
    assert "Spot largo quince</a>" in page(out, "recursos/spot-largo-10/")
    assert report.rendered == len(changed | WHOLE_CATALOG_PAGES), "nothing else is rendered"


def test_publishing_first_keeps_the_catalog_wide_files_until_the_follow_up_build(
    example_catalog: Path, tmp_path: Path
) -> None:
    memo = Memo()
    out = tmp_path / "_site"
    options = example_options(example_catalog, out, search=True)
    build_site(options, memo)
    data = out / "datos" / "catalogo.json"
    words = out / "buscar" / "palabras.json"
    index = (out / "pagefind" / "pagefind-entry.json").read_bytes()
    before = data.read_bytes()
    edit(example_catalog / "guias" / "guia-de-prueba.yaml", "Guía de prueba", "Guía zanahoria")
    with memo.publishing_first():
        quick = build_site(options, memo)
    assert quick.stale
    assert quick.search_pages is None, "the index waits too"
    assert "Guía zanahoria" in page(out, "recursos/guia-de-prueba/")
    assert data.read_bytes() == before, "the data files wait for the follow-up build"
    assert "zanahoria" not in words.read_text(encoding="utf-8"), "so does the word list"
    assert (out / "pagefind" / "pagefind-entry.json").read_bytes() == index
    follow_up = build_site(options, memo)
    assert not follow_up.stale and follow_up.search_pages == 4
    assert "Guía zanahoria" in data.read_text(encoding="utf-8")
    assert "zanahoria" in words.read_text(encoding="utf-8")
    fresh = tmp_path / "fresco"
    build_site(replace(options, out_dir=fresh))
    # Pagefind names its files differently from one run to the next, so the worker's list of
    # files (which names the index's) is compared with the folder it was made for instead.
    assert without_worker(generated_files(out)) == without_worker(generated_files(fresh))
    listed = json.loads((out / "sw" / "archivos-0.json").read_text(encoding="utf-8"))
    index = {path.relative_to(out).as_posix() for path in (out / "pagefind").rglob("*.pf_*")}
    assert index and index <= set(listed)
    with memo.publishing_first():
        again = build_site(options, memo)
    assert not again.stale, "nothing changed since: nothing is stale"
