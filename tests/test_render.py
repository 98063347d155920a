"""Running the site map: each entry's files rendered and written into the stage. A build
spread over forked workers writes the very bytes one process writes, and a template
mistake met in a worker reaches the editor as the same problem, with file and line."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from catalogo import markup, render
from catalogo.digests import digest_text
from catalogo.loader import load_catalog
from catalogo.markup import convert_markdown
from catalogo.pipeline import build_site
from catalogo.problems import CatalogError
from catalogo.workers import can_fork
from tests.support import EXAMPLE, ROOT, edit, example_options, generated_files

pytestmark = pytest.mark.skipif(not can_fork(), reason="workers fork (Linux only)")


@pytest.fixture
def in_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workers for the four-record example, as a large catalog gets them."""
    monkeypatch.setattr(render, "POOL_MIN", 2)
    monkeypatch.setattr(render, "available_cores", lambda: 2)


def test_pages_rendered_by_workers_are_the_bytes_one_process_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_workers: None
) -> None:
    spread = build_site(example_options(EXAMPLE, tmp_path / "repartido"))
    monkeypatch.setattr(render, "can_fork", lambda: False)
    alone = build_site(example_options(EXAMPLE, tmp_path / "solo"))
    assert generated_files(tmp_path / "repartido") == generated_files(tmp_path / "solo")
    assert spread.rendered == alone.rendered > 60
    assert spread.written.written == alone.written.written


def test_a_template_mistake_in_a_worker_is_the_editors_problem(
    tmp_path: Path, in_workers: None
) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    edit(templates / "record.html", "{{ record.titulo }}", "{{ record.titulo_largo }}")
    out = tmp_path / "_site"
    with pytest.raises(CatalogError) as caught:
        build_site(example_options(EXAMPLE, out, templates_dir=templates))
    problem = caught.value.problems[0]
    assert problem.path.endswith("templates/record.html") and problem.line
    assert "titulo_largo" in problem.message
    assert not out.exists()


def test_each_description_is_converted_once_across_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_workers: None
) -> None:
    """The catalog's Markdown is converted across the cores before the pages are shared
    out: no worker converts again a description that another converted."""
    converted = tmp_path / "convertidos.txt"

    def logged(text: str) -> str:
        with converted.open("a", encoding="utf-8") as log:
            log.write(digest_text(text) + "\n")
        return convert_markdown(text)

    monkeypatch.setattr(markup, "convert_markdown", logged)
    catalog = tmp_path / "catalogo"
    shutil.copytree(EXAMPLE, catalog)
    for number, video in enumerate(sorted((catalog / "videos").glob("*.yaml"))):
        with video.open("a", encoding="utf-8") as record:
            record.write(f'descripcion: "Un **spot** de prueba, el número {number}."\n')
    build_site(example_options(catalog, tmp_path / "_site"))
    texts = converted.read_text(encoding="utf-8").split()
    records = load_catalog(catalog).catalog.records
    described = [digest_text(r.descripcion) for r in records if r.descripcion]
    # (The site's own texts, such as the credits in every page's footer, are converted by
    # each worker: a handful.)
    assert len(described) == 4
    assert [texts.count(text) for text in described] == [1] * len(described)


def test_a_template_syntax_error_met_while_workers_convert_stops_them(
    tmp_path: Path, in_workers: None
) -> None:
    """The Markdown is converted in workers while the site is prepared; a problem found
    meanwhile (here a template that does not compile) stops them: none is left behind."""
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    edit(templates / "about.html", "{% block content %}", "{% block content %}{% if %}")
    with pytest.raises(CatalogError) as caught:
        build_site(example_options(EXAMPLE, tmp_path / "_site", templates_dir=templates))
    assert caught.value.problems[0].path.endswith("templates/about.html")
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child, finished or not, is left


def test_pieces_keep_groups_whole_put_pages_of_the_whole_catalog_first_and_lose_nothing() -> None:
    def make(site: object) -> bytes:
        return b""

    def record(site: object) -> bytes:
        return b""

    records = [render.Entry((f"r/{n}/index.html",), record) for n in range(350)]
    cites = [render.Entry((f"r/{n}/cita.bib",), make, together="citas") for n in range(350)]
    whole = [render.Entry(("index.html",), make), render.Entry(("acerca/index.html",), make)]
    todo = [(entry, ("clave",)) for entry in [whole[0], *records, *cites, whole[1]]]
    pieces = render.pieces_of(todo)
    assert pieces[0] == [(entry, ("clave",)) for entry in cites]
    assert pieces[1:3] == [[todo[0]], [todo[-1]]]
    runs = pieces[3:]
    assert len(runs) == 3 and {len(run) for run in runs} <= {116, 117}
    assert [item for run in runs for item in run] == todo[1:351]
