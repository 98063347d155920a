"""build_site: load -> render -> stage -> index -> swap. Problems stop it before anything is
written, a failure later leaves the published site as it was, two builds of the same catalog
write the same bytes, and a published build leaves drafts out of everything."""

from __future__ import annotations

import gc
import gzip
from pathlib import Path

import pytest

from catalogo.loader import load_catalog
from catalogo.output import MANIFEST
from catalogo.pipeline import build_site, published_catalog
from catalogo.problems import CatalogError
from tests.support import EXAMPLE, edit, example_options, generated_files, snapshot

DRAFT = "video-de-prueba"


def test_build_is_deterministic(tmp_path: Path) -> None:
    first = tmp_path / "uno"
    second = tmp_path / "dos"
    build_site(example_options(EXAMPLE, first))
    build_site(example_options(EXAMPLE, second))
    assert generated_files(first) == generated_files(second)


def test_a_failed_build_leaves_the_previous_site_untouched(
    example_catalog: Path, tmp_path: Path
) -> None:
    out = tmp_path / "_site"
    build_site(example_options(example_catalog, out))
    before = snapshot(out)
    (example_catalog / "guias" / "guia-de-prueba.yaml").write_text(
        "titulo: [roto\n", encoding="utf-8"
    )
    with pytest.raises(CatalogError):
        build_site(example_options(example_catalog, out))
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site", "catalogo"]


def test_a_missing_templates_folder_is_a_problem_before_anything_is_written(
    tmp_path: Path,
) -> None:
    out = tmp_path / "_site"
    with pytest.raises(CatalogError) as caught:
        build_site(example_options(EXAMPLE, out, templates_dir=tmp_path / "plantillas"))
    [problem] = caught.value.problems
    assert problem.path.endswith("plantillas")
    assert problem.message == "no existe la carpeta de plantillas"
    assert not out.exists()


def test_the_report_counts_what_the_build_made_and_names_each_step(tmp_path: Path) -> None:
    steps: list[str] = []
    report = build_site(
        example_options(EXAMPLE, tmp_path / "_site"), on_step=lambda name, _: steps.append(name)
    )
    assert (report.records, report.drafts) == (4, 0)
    site = tmp_path / "_site"
    assert report.pages == len(list(site.rglob("*.html")))
    on_disk = {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}
    assert report.files == len(on_disk - {MANIFEST}), "every file but the list of files"
    assert report.written.written == report.files, "a first build writes each one"
    assert steps == [
        "leer",
        "comprobar",
        "preparar",
        "generar",
        "imprimir",
        "indexar",
        "sin conexión",
        "publicar",
    ]
    assert set(report.timings) == set(steps)


def site_text(out: Path) -> str:
    """Every text file of a built site, search fragments decompressed."""
    parts = []
    for path in sorted(out.rglob("*")):
        if path.suffix in (".html", ".xml", ".json", ".csv", ".bib", ".ris", ".txt"):
            parts.append(path.read_text(encoding="utf-8"))
        elif path.suffix == ".pf_fragment":
            parts.append(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
    return "\n".join(parts)


def mark_draft(catalog: Path) -> None:
    """One record marked as a draft; another one (guia-de-prueba) names it in `relacionados`."""
    record = catalog / "videos" / f"{DRAFT}.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "borrador: true\n", encoding="utf-8")


def test_a_published_build_leaves_a_draft_out_of_everything(
    example_catalog: Path, tmp_path: Path
) -> None:
    mark_draft(example_catalog)
    out = tmp_path / "_site"
    report = build_site(example_options(example_catalog, out, search=True, base_url="/catalogo/"))
    assert report.records == 3 and report.drafts == 1
    assert not (out / "recursos" / DRAFT).exists()
    text = site_text(out)
    assert list(out.glob("pagefind/fragment/*.pf_fragment")), "the search index was built"
    assert DRAFT not in text, "no page, export, feed, sitemap or search entry names the draft"
    assert "Video de prueba" not in text
    guide = (out / "recursos" / "guia-de-prueba" / "index.html").read_text(encoding="utf-8")
    assert "Guía de prueba" in guide, "a record naming the draft builds, without that link"


def test_the_published_catalog_drops_drafts_and_the_relations_to_them(
    example_catalog: Path,
) -> None:
    mark_draft(example_catalog)
    catalog = load_catalog(example_catalog).catalog
    published = published_catalog(catalog)
    assert [r.id for r in published.records] == ["guia-de-prueba", "spot-es", "spot-quz"]
    assert catalog.record("guia-de-prueba").relacionados == [DRAFT]
    guide = published.record("guia-de-prueba")
    assert guide.relacionados == []
    assert guide.fingerprint != catalog.record("guia-de-prueba").fingerprint, (
        "the copy without the relation renders differently, so it is not the same record"
    )
    edit(example_catalog / "videos" / f"{DRAFT}.yaml", "borrador: true\n", "")
    whole = load_catalog(example_catalog).catalog
    assert published_catalog(whole) is whole, "without drafts the catalog is the loaded one"


def test_what_a_build_made_is_not_walked_by_the_young_collections_after_it(
    tmp_path: Path,
) -> None:
    """A build runs with the collector paused; afterwards what it made waits in the oldest
    generation: the young collections that follow do not walk it, a full one frees it."""
    gc.collect()
    build_site(example_options(EXAMPLE, tmp_path / "_site"))
    young: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] < 2:
            young.append(info["collected"])

    gc.callbacks.append(note)
    try:
        kept = [[] for _ in range(50_000)]  # objects that start young collections
    finally:
        gc.callbacks.remove(note)
    assert len(kept) == 50_000 and len(young) > 10
    assert sum(young) < 1_000
    assert gc.collect() > 500, "the build's garbage waited for a full collection"
