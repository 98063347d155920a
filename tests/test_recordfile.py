"""One record file read and validated, and the cache serve keeps between loads: a file is
read again only when it changed, or when the vocabularies it was validated against did;
the files read afresh are the ones serve names when it lists the warnings of a save."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from catalogo.loader import load_catalog
from catalogo.problems import CatalogError, display_path
from catalogo.recordfile import LoadCache
from tests.support import edit


def test_cache_reuses_unchanged_files_and_sees_edits(example_catalog: Path) -> None:
    cache = LoadCache()
    load_catalog(example_catalog, cache)
    assert cache.misses == 4 and cache.hits == 0
    load_catalog(example_catalog, cache)
    assert cache.hits == 4
    path = example_catalog / "guias" / "guia-de-prueba.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("anio: 2021", "anio: 2019"), encoding="utf-8"
    )
    os.utime(path, ns=(1, 1))
    result = load_catalog(example_catalog, cache)
    assert result.catalog.record("guia-de-prueba").anio == 2019
    assert cache.misses == 5


def test_the_files_read_afresh_are_the_saved_ones(example_catalog: Path) -> None:
    cache = LoadCache()
    load_catalog(example_catalog, cache)
    assert len(cache.parsed) == 4
    load_catalog(example_catalog, cache)
    assert cache.parsed == []
    saved = example_catalog / "videos" / "spot-es.yaml"
    edit(saved, "Spot: Captación", "Spot: Captación y trata")
    os.utime(saved, ns=(2, 2))
    load_catalog(example_catalog, cache)
    assert cache.parsed == [display_path(saved)]


def test_an_edited_vocabulary_validates_unchanged_records_again(example_catalog: Path) -> None:
    """The record file is the same; the type it names is gone from _tipos.yaml."""
    cache = LoadCache()
    load_catalog(example_catalog, cache)
    edit(example_catalog / "_tipos.yaml", "video:\n", "pelicula:\n")
    with pytest.raises(CatalogError) as caught:
        load_catalog(example_catalog, cache)
    messages = [f"{p.path}:{p.line}: {p.message}" for p in caught.value.problems]
    assert any(
        "video-de-prueba.yaml:2: «video» no es un tipo conocido" in line for line in messages
    ), messages
