"""Blocks rendered once per build for each set of values they read: the same bytes as
rendering every block on every page, whatever the templates make a block read."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import jinja2
import pytest

from catalogo import pipeline
from catalogo.blocks import LIMIT, block_reads, remember_blocks
from catalogo.environment import make_environment
from catalogo.pipeline import build_site
from tests.support import EXAMPLE, ROOT, example_options, generated_files, shipped_options

BASE = (
    "<body>{% block header %}<h>{{ tick('header') }}{{ site }}"
    "{% block search %}<s>{{ tick('search') }}</s>{% endblock %}"
    "{% if place == 'a/' %} current{% endif %}</h>{% endblock %}"
    "<m>{% block content %}{% endblock %}</m>"
    "{% block footer %}<f>{{ tick('footer') }}{{ site }}</f>{% endblock %}</body>"
)


@pytest.fixture
def pages() -> dict[str, str]:
    templates = {
        "base.html": BASE,
        "page.html": '{% extends "base.html" %}{% block content %}{{ body }}{% endblock %}',
        "quiet.html": '{% extends "base.html" %}{% block search %}{{ note }}{% endblock %}',
    }
    return templates


def environments(folder: Path, templates: dict[str, str]) -> tuple[Any, Any, list[str]]:
    """The same templates twice: rendering every block (plain) and keeping them (kept)."""
    for name, text in templates.items():
        (folder / name).write_text(text, encoding="utf-8")
    made = []
    ticks: list[str] = []
    for keep in (False, True):
        env = make_environment(folder)
        env.globals.update(site="Catálogo", tick=lambda what: ticks.append(what) or "")
        names = sorted(templates)
        for name in names:
            env.get_template(name)
        if keep:
            remember_blocks(env, names, block_reads(env, names))
        made.append(env)
    return made[0], made[1], ticks


def render_both(plain: Any, kept: Any, template: str, **context: Any) -> str:
    expected = plain.get_template(template).render(**context)
    assert kept.get_template(template).render(**context) == expected
    return str(expected)


def test_a_block_that_reads_only_globals_is_rendered_once_per_build(
    tmp_path: Path, pages: dict[str, str]
) -> None:
    plain, kept, ticks = environments(tmp_path, pages)
    for number in range(5):
        render_both(plain, kept, "page.html", place="recursos/", body=f"ficha {number}", note="")
    assert ticks.count("footer") == 5 + 1, "five pages without keeping, one with"
    assert ticks.count("header") == 5 + 1, "the header reads the same place on all"


def test_a_block_is_rendered_again_for_each_value_it_reads(
    tmp_path: Path, pages: dict[str, str]
) -> None:
    plain, kept, ticks = environments(tmp_path, pages)
    shown = [render_both(plain, kept, "page.html", place=p, body="x", note="") for p in "aab"]
    assert ticks.count("header") == 3 + 2
    assert ["current" in page for page in shown] == [False, False, False]
    assert "current" in render_both(plain, kept, "page.html", place="a/", body="x", note="")


def test_a_child_that_replaces_a_block_inside_another_gets_its_own(
    tmp_path: Path, pages: dict[str, str]
) -> None:
    plain, kept, _ = environments(tmp_path, pages)
    page = render_both(plain, kept, "page.html", place="p", body="x", note="uno")
    quiet = render_both(plain, kept, "quiet.html", place="p", body="x", note="uno")
    other = render_both(plain, kept, "quiet.html", place="p", body="x", note="dos")
    assert "<s>" in page and "<s>" not in quiet
    assert "uno" in quiet and "dos" in other, "the replacement reads note: part of the key"


def test_a_page_value_named_like_a_global_is_seen(tmp_path: Path, pages: dict[str, str]) -> None:
    plain, kept, _ = environments(tmp_path, pages)
    render_both(plain, kept, "page.html", place="p", body="x", note="")
    other = render_both(plain, kept, "page.html", place="p", body="x", note="", site="Otro sitio")
    assert "Otro sitio" in other


@pytest.mark.parametrize(
    "block",
    [
        "{% include 'part.html' %}",
        "{{ self.content() }}{{ tick('footer') }}",
        "{% macro m() %}{{ place }}{% endmacro %}{{ m() }}{{ tick('footer') }}",
        "{% for item in items %}{{ loop.index }}{{ item }}{% endfor %}{{ tick('footer') }}",
    ],
)
def test_blocks_that_could_read_more_than_their_names_are_rendered_every_time(
    tmp_path: Path, pages: dict[str, str], block: str
) -> None:
    pages["base.html"] = BASE.replace("{{ tick('footer') }}{{ site }}", block)
    pages["part.html"] = "{{ place }}{{ tick('footer') }}"
    plain, kept, ticks = environments(tmp_path, pages)
    for place in ("uno", "dos", "uno"):
        render_both(plain, kept, "page.html", place=place, body=place, note="", items=[place])
    assert ticks.count("footer") == 3 + 3


def test_values_that_cannot_be_a_key_and_endless_pages_are_rendered_as_they_are(
    tmp_path: Path, pages: dict[str, str]
) -> None:
    pages["base.html"] = BASE.replace("{{ site }}</f>", "{{ site }}{{ items | join }}</f>")
    plain, kept, _ = environments(tmp_path, pages)
    for number in range(LIMIT + 20):
        page = render_both(
            plain, kept, "page.html", place=str(number), body="x", note="", items=[number]
        )
        assert f"{number}</f>" in page


def test_the_shipped_site_is_the_same_with_kept_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blocks are kept from BLOCKS_FROM records (the shipped catalog has fewer): built with
    them kept, the shipped site has the same bytes."""
    options = shipped_options(
        tmp_path / "solos", "/catalogo/", "https://oit.github.io", search=False
    )
    build_site(options)
    monkeypatch.setattr(pipeline, "BLOCKS_FROM", 0)
    build_site(dataclasses.replace(options, out_dir=tmp_path / "guardados"))
    alone, kept = generated_files(tmp_path / "solos"), generated_files(tmp_path / "guardados")
    assert len(alone) > 200 and kept == alone


def test_a_header_an_editor_makes_read_the_page_shows_each_page_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shipped header reads menu_path, the same on every record page; an editor who
    makes it print page_path gets each record's own, as without kept blocks."""
    monkeypatch.setattr(pipeline, "BLOCKS_FROM", 0)
    templates = tmp_path / "templates"
    shipped_base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    templates.mkdir()
    for source in (ROOT / "templates").iterdir():
        if source.is_file():
            (templates / source.name).write_bytes(source.read_bytes())
    (templates / "base.html").write_text(
        shipped_base.replace("</header>", "<p class='aqui'>{{ page_path }}</p></header>"),
        encoding="utf-8",
    )
    out = tmp_path / "_site"
    build_site(example_options(EXAMPLE, out, templates_dir=templates))
    pages = sorted((out / "recursos").glob("*/index.html"))
    assert len(pages) >= 4
    for page in pages:
        shown = re.search(r"<p class='aqui'>([^<]*)</p>", page.read_text(encoding="utf-8"))
        assert shown is not None and shown.group(1) == f"recursos/{page.parent.name}/"


def test_every_block_of_the_shipped_templates_is_read_from_them() -> None:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(ROOT / "templates")))
    env.filters.update(markdown=str, years=str)
    names = env.list_templates(filter_func=lambda name: "/" not in name)
    reads = block_reads(env, names)
    header = reads["cabecera"]
    assert header is not None and "menu_path" in header.names and "page_path" not in header.names
    assert header.inner == ("header_search",)
    footer = reads["pie"]
    assert footer is not None and "page_path" not in footer.names
