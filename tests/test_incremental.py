"""Rebuilds after one edit do work in proportion to the edit, and still equal a fresh build."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from catalogo.cache import BuildCache
from catalogo.loader import LoadCache, load_catalog
from catalogo.problems import report
from catalogo.site import build_site
from tests.conftest import example_options
from tests.test_site import generated_files

SERIES_SIZE = 30


def add_long_series(catalog: Path) -> None:
    for number in range(1, SERIES_SIZE + 1):
        (catalog / "videos" / f"spot-largo-{number:02d}.yaml").write_text(
            f'titulo: "Spot largo {number}"\ntipo: spot-radial\nanio: 2022\nserie: spots\n'
            f"orden: {number + 10}\npublico: [policia]\nidioma: es\n"
            "enlaces:\n  - url: https://www.gob.pe/spot\n",
            encoding="utf-8",
        )


def page(out: Path, record_id: str) -> str:
    return (out / "recursos" / record_id / "index.html").read_text(encoding="utf-8")


def test_a_long_series_lists_the_neighbours_and_links_to_the_whole_series(
    example_catalog: Path, tmp_path: Path
) -> None:
    add_long_series(example_catalog)
    out = tmp_path / "_site"
    build_site(example_options(example_catalog, out))
    total = SERIES_SIZE + 2  # the two spots of the example belong to the series too
    middle = page(out, "spot-largo-15")
    # the example spots come first (orden 1 and 2): spot-largo-15 is number 17 of 32
    assert f"Recursos 12 a 22 de {total}, alrededor de este." in middle
    assert '<ol class="lista-serie" start="12">' in middle
    assert middle.count("<li", middle.index('class="lista-serie"')) >= 11
    assert 'href="/series/spots/">Ver la serie completa</a>' in middle
    assert "spot-largo-09/" not in middle and "spot-largo-10/" in middle
    assert "spot-largo-20/" in middle and "spot-largo-21/" not in middle
    first = page(out, "spot-es")
    assert f"Recursos 1 a 11 de {total}, alrededor de este." in first
    assert '<ol class="lista-serie">' in first
    last = page(out, "spot-largo-30")
    assert f"Recursos 22 a 32 de {total}, alrededor de este." in last
    series_page = (out / "series" / "spots" / "index.html").read_text(encoding="utf-8")
    assert all(f"spot-largo-{n:02d}/" in series_page for n in range(1, SERIES_SIZE + 1))


def test_editing_a_member_of_a_long_series_renders_its_neighbours_only(
    example_catalog: Path, tmp_path: Path
) -> None:
    add_long_series(example_catalog)
    cache = BuildCache()
    out = tmp_path / "_site"
    build_site(example_options(example_catalog, out), cache)
    path = example_catalog / "videos" / "spot-largo-15.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Spot largo 15", "Spot largo quince"),
        encoding="utf-8",
    )
    keys = {name: cached.key for name, cached in cache.render.files.items()}
    build_site(example_options(example_catalog, out), cache)
    rendered = {
        name.split("/")[1]
        for name, cached in cache.render.files.items()
        if name.startswith("recursos/") and name.endswith("index.html") and keys[name] != cached.key
    }
    related = {
        record_id for record_id in rendered if "Spot largo quince</a></h3>" in page(out, record_id)
    }
    # the edited page, the 10 neighbours whose window shows it, and pages relating to it
    assert rendered - related - {"spot-largo-15"} == {
        f"spot-largo-{n:02d}" for n in range(10, 21) if n != 15
    }
    assert len(related) <= 8, related
    fresh = tmp_path / "fresco"
    build_site(example_options(example_catalog, fresh))
    assert generated_files(out) == generated_files(fresh)


def missing_year(warnings: str) -> bool:
    return any(
        "guia-de-prueba.yaml:" in line and "aviso: anio: el registro no tiene año" in line
        for line in warnings.splitlines()
    )


def test_warnings_kept_between_loads_follow_every_edit(example_catalog: Path) -> None:
    cache = LoadCache()
    path = example_catalog / "guias" / "guia-de-prueba.yaml"
    fresh = report(load_catalog(example_catalog).warnings)
    assert report(load_catalog(example_catalog, cache).warnings) == fresh
    assert report(load_catalog(example_catalog, cache).warnings) == fresh
    assert not missing_year(fresh)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("anio:")) + "\n",
        encoding="utf-8",
    )
    os.utime(path, ns=(1, 1))
    cached = report(load_catalog(example_catalog, cache).warnings)
    assert missing_year(cached)
    assert cached == report(load_catalog(example_catalog).warnings)
    path.unlink()
    assert "guia-de-prueba" not in report(load_catalog(example_catalog, cache).warnings)
    assert "guia-de-prueba" not in cache.warnings


def test_a_record_fingerprint_follows_its_fields(example_catalog: Path) -> None:
    records = {r.id: r for r in load_catalog(example_catalog).catalog.records}
    again = {r.id: r for r in load_catalog(example_catalog).catalog.records}
    assert records["spot-es"].fingerprint == again["spot-es"].fingerprint
    assert records["spot-es"].fingerprint != records["spot-quz"].fingerprint
    assert records["spot-es"].years == [2022]
    changed = records["spot-es"].model_copy(update={"titulo": "Otro título", "anio": 2019})
    assert changed.fingerprint != records["spot-es"].fingerprint
    assert changed.years == [2019] and changed.first_year == 2019


def test_a_quick_rebuild_keeps_the_open_data_until_the_follow_up_build(
    example_catalog: Path, tmp_path: Path
) -> None:
    cache = BuildCache()
    out = tmp_path / "_site"
    options = example_options(example_catalog, out)
    build_site(options, cache)
    data = out / "datos" / "catalogo.json"
    before = data.read_bytes()
    path = example_catalog / "guias" / "guia-de-prueba.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Guía de prueba", "Guía zanahoria"),
        encoding="utf-8",
    )
    quick = build_site(replace(options, data_later=True), cache)
    assert quick.data_stale and quick.stale
    assert "Guía zanahoria" in page(out, "guia-de-prueba")
    assert data.read_bytes() == before, "the data files wait for the follow-up build"
    follow_up = build_site(options, cache)
    assert not follow_up.data_stale and not follow_up.stale
    assert "Guía zanahoria" in data.read_text(encoding="utf-8")
    fresh = tmp_path / "fresco"
    build_site(example_options(example_catalog, fresh))
    assert generated_files(out) == generated_files(fresh)
    again = build_site(replace(options, data_later=True), cache)
    assert not again.data_stale, "nothing changed since: nothing is stale"


def test_the_first_preview_build_leaves_the_spare_folder_up_to_date(
    example_catalog: Path, tmp_path: Path
) -> None:
    from catalogo.output import read_manifest, spare_folder
    from catalogo.serve import Preview

    out = tmp_path / "_site"
    build_site(example_options(example_catalog, out))  # a site from `build`, without preview
    preview = replace(example_options(example_catalog, out), preview=True)
    running = Preview(preview)
    cache = running.cache
    assert running.first_build()
    live, spare = read_manifest(out), read_manifest(spare_folder(out))
    assert live is not None and spare is not None
    assert spare["files"] == live["files"], "the first edit will only write what it changes"
    path = example_catalog / "guias" / "guia-de-prueba.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Guía de prueba", "Guía zanahoria"),
        encoding="utf-8",
    )
    report = build_site(replace(preview, data_later=True), cache)
    # only what the edit changed is written; nothing is caught up from the published site
    assert report.written.linked == 0, report.written
    assert report.written.kept > report.written.written, report.written


def test_a_one_off_build_keeps_digests_only_and_still_indexes(
    example_catalog: Path, tmp_path: Path
) -> None:
    cache = BuildCache()
    cache.render.keep_content = False  # as `build` does: pages are freed once written
    out = tmp_path / "_site"
    report = build_site(example_options(example_catalog, out, search=True), cache)
    assert all(cached.content is None for cached in cache.render.files.values())
    assert not cache.render.record_pages and not cache.render.record_files
    assert report.files == len(cache.render.files)
    assert report.pages == sum(name.endswith(".html") for name in cache.render.files)
    assert report.search_pages == 4 and (out / "pagefind" / "pagefind.js").is_file()


def test_a_large_index_is_made_in_parts_that_the_search_page_merges(
    example_catalog: Path, tmp_path: Path
) -> None:
    out = tmp_path / "_site"
    options = example_options(example_catalog, out, search=True, search_part_pages=3)
    report = build_site(options)
    assert report.search_pages == 4  # 3 in pagefind/, 1 in pagefind/parte-2/
    assert (out / "pagefind" / "pagefind.js").is_file()
    assert (out / "pagefind" / "parte-2" / "pagefind-entry.json").is_file()
    assert not (out / "pagefind" / "parte-3").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".indice")], "no leftovers"
    search_page = (out / "buscar" / "index.html").read_text(encoding="utf-8")
    assert 'data-partes="[&#34;/pagefind/parte-2/&#34;]"' in search_page
    whole = build_site(replace(options, search_part_pages=2000))
    assert whole.search_pages == 4 and not (out / "pagefind" / "parte-2").exists()
    assert 'data-partes="[]"' in (out / "buscar" / "index.html").read_text(encoding="utf-8")
