"""The build cache only ever saves time: a cached build writes exactly what a fresh one does."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from catalogo.cache import BuildCache, cache_file
from catalogo.site import build_site
from tests.conftest import example_options
from tests.test_cli import run
from tests.test_site import generated_files


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def fresh_build(catalog: Path, out: Path) -> dict[str, bytes]:
    build_site(example_options(catalog, out))
    return generated_files(out)


def test_a_cached_rebuild_renders_only_what_an_edit_touches(
    example_catalog: Path, tmp_path: Path
) -> None:
    cache = BuildCache()
    out = tmp_path / "_site"
    build_site(example_options(example_catalog, out), cache)
    first_misses = cache.render.misses
    build_site(example_options(example_catalog, out), cache)
    assert cache.render.misses == first_misses, "nothing changed: nothing is rendered"

    edit(
        example_catalog / "videos" / "spot-quz.yaml", "Captación (quechua)", "Captación en quechua"
    )
    before = cache.render.misses
    report = build_site(example_options(example_catalog, out), cache)
    rendered = cache.render.misses - before
    assert 0 < rendered < len(generated_files(out)) / 2, rendered
    assert report.written.written < 25
    assert generated_files(out) == fresh_build(example_catalog, tmp_path / "fresco")


def test_a_template_change_renders_everything_again(example_catalog: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(Path("templates"), templates)
    cache = BuildCache()
    out = tmp_path / "_site"
    build_site(example_options(example_catalog, out, templates_dir=templates), cache)
    edit(templates / "base.html", "Saltar al contenido", "Ir al contenido")
    build_site(example_options(example_catalog, out, templates_dir=templates), cache)
    page = (out / "recursos" / "spot-es" / "index.html").read_text(encoding="utf-8")
    assert "Ir al contenido" in page


def test_the_disk_cache_is_used_by_the_next_process_and_changes_nothing(
    example_catalog: Path, tmp_path: Path
) -> None:
    out = tmp_path / "_site"
    first = run("build", "--catalog", example_catalog, "--out", out, "--sin-busqueda")
    fresh = tmp_path / "fresco" / "_site"
    assert first.returncode == 0, first.stderr
    store = cache_file(Path(os.environ["CATALOGO_CACHE"]), example_catalog, out)
    try:
        assert store.is_file()
        edit(example_catalog / "guias" / "guia-de-prueba.yaml", "anio: 2021", "anio: 2019")
        second = run("build", "--catalog", example_catalog, "--out", out, "--sin-busqueda")
        assert second.returncode == 0, second.stderr
        uncached = run(
            "build", "--catalog", example_catalog, "--out", fresh, "--sin-cache", "--sin-busqueda"
        )
        assert uncached.returncode == 0, uncached.stderr
        assert generated_files(out) == generated_files(fresh)
        cache = BuildCache.read(store)
        assert cache.render.files and all(c.content is None for c in cache.render.files.values())
    finally:
        store.unlink(missing_ok=True)


def test_an_unreadable_cache_is_ignored(tmp_path: Path) -> None:
    broken = tmp_path / "roto.pickle"
    broken.write_bytes(b"no es un pickle")
    cache = BuildCache.read(broken)
    assert not cache.render.files and not cache.load.records
