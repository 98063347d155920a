"""The Jinja environment pages are rendered with: a mistake in a template is the editor's
problem, told with the template's file and line, before anything is written for a syntax
error; undefined names are errors, not empty text; years read as readers write them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalogo.environment import format_years, make_environment
from catalogo.models import Record
from catalogo.pipeline import build_site
from catalogo.problems import CatalogError
from tests.support import ROOT, edit, example_options


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    copy = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", copy)
    return copy


def build_problem(catalog: Path, out: Path, templates: Path) -> tuple[str, int | None, str]:
    with pytest.raises(CatalogError) as caught:
        build_site(example_options(catalog, out, templates_dir=templates))
    problem = caught.value.problems[0]
    return problem.path, problem.line, problem.message


def test_a_misspelled_name_in_a_template_is_reported_with_file_and_line(
    example_catalog: Path, templates: Path, tmp_path: Path
) -> None:
    edit(templates / "about.html", "{{ info.nota_reuso }}", "{{ info.nota_reusar }}")
    path, line, message = build_problem(example_catalog, tmp_path / "_site", templates)
    assert path.endswith("templates/about.html")
    assert line is not None and line > 1
    assert message.startswith("error en la plantilla: ") and "nota_reusar" in message
    assert not (tmp_path / "_site").exists()


def test_a_syntax_error_in_a_template_stops_the_build_before_anything_is_written(
    example_catalog: Path, templates: Path, tmp_path: Path
) -> None:
    lines = (templates / "404.html").read_text(encoding="utf-8").splitlines()
    lines[2] = "{% if %}"
    (templates / "404.html").write_text("\n".join(lines) + "\n", encoding="utf-8")
    path, line, message = build_problem(example_catalog, tmp_path / "_site", templates)
    assert path.endswith("templates/404.html") and line == 3
    assert message.startswith("error en la plantilla: ")
    assert not (tmp_path / "_site").exists()


@pytest.mark.parametrize(
    ("years", "shown"),
    [
        (2021, "2021"),
        ([2022, 2023], "2022-2023"),
        ([2023, 2021, 2022], "2021-2023"),
        ([2019, 2021], "2019, 2021"),
        (None, ""),
    ],
)
def test_years_read_as_readers_write_them(years: object, shown: str) -> None:
    record = Record.model_validate(
        {"id": "x", "seccion": "s", "titulo": "X", "tipo": "guia", "anio": years}
    )
    assert format_years(record) == shown


def test_one_environment_renders_every_page_with_the_templates_as_they_were_read(
    tmp_path: Path,
) -> None:
    """A build reads each template once: an edit saved halfway through a build waits for
    the next one, and no page mixes two versions. Globals reach imported macros too."""
    (tmp_path / "page.html").write_text(
        '{% from "_m.html" import hello %}{{ hello() }} {{ greeting }}', encoding="utf-8"
    )
    (tmp_path / "_m.html").write_text("{% macro hello() %}{{ name }}{% endmacro %}")
    env = make_environment(tmp_path)
    env.globals.update(name="Ana", greeting="hola")
    assert env.get_template("page.html").render() == "Ana hola"
    (tmp_path / "page.html").write_text("cambiada", encoding="utf-8")
    assert env.get_template("page.html").render() == "Ana hola"
    assert make_environment(tmp_path).get_template("page.html").render() == "cambiada"
