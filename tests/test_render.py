"""Running the site map: each entry's files rendered and written into the stage. A build
spread over forked workers writes the very bytes one process writes, and a template
mistake met in a worker reaches the editor as the same problem, with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalogo import render
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
