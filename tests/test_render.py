"""Running the site map: each entry's files rendered and written into the stage. A build
spread over forked workers writes the very bytes one process writes, and a template
mistake met in a worker reaches the editor as the same problem, with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalogo import environment, render
from catalogo.loader import load_catalog
from catalogo.markup import summary
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


def test_each_record_summary_is_made_once_across_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_workers: None
) -> None:
    """The first round's workers send back the pieces they made (a record's entry in
    lists): the list pages of the second round, in other workers, do not make them again."""
    made = tmp_path / "resumenes.txt"

    def counted(text: str | None, limit: int = 160) -> str:
        with made.open("a", encoding="utf-8") as log:
            log.write(f"{limit}\n")
        return summary(text, limit)

    monkeypatch.setattr(environment, "summary", counted)
    build_site(example_options(EXAMPLE, tmp_path / "_site"))
    in_lists = [line for line in made.read_text(encoding="utf-8").split() if line == "180"]
    described = [r for r in load_catalog(EXAMPLE).catalog.records if r.descripcion]
    assert described and len(in_lists) == len(described)


def test_runs_are_consecutive_entries_of_about_equal_weight() -> None:
    def entry(weight: int) -> tuple[render.Entry, render.Key]:
        return render.Entry(("x",), bytes, weight=weight), ()

    todo = [entry(1) for _ in range(10)] + [entry(10)]
    runs = render.split_runs(todo, 2)
    assert [item for run in runs for item in run] == todo
    assert [sum(e.weight for e, _ in run) for run in runs] == [10, 10]
    assert [len(run) for run in render.split_runs(todo[:3], 4)] == [1, 1, 1, 0]
