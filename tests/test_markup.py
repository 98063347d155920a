"""Descriptions to safe HTML: Markdown through an allowlist, and plain paragraphs without
either, which must give the very same bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogo import markup
from catalogo.catalog import Catalog
from catalogo.markup import MARKUP, markdown_html, plain_text, render_markdown, summary
from catalogo.pipeline import build_site
from tests.support import example_options, page

# Words, Spanish punctuation, spaces and line breaks, and now and then a character
# Markdown or HTML give a meaning to: what an editor may type in a description.
PLAIN = st.sampled_from(
    [
        "a",
        "á",
        "ñ",
        "Z",
        "0",
        "9",
        " ",
        "\n",
        ".",
        ",",
        ":",
        "«",
        "»",
        "—",
        "…",
        '"',
        "'",
        "(",
        "%",
        "@",
        "/",
        "-",
        "=",
    ]
)
SPECIAL = st.sampled_from(list("\t+*_`#>[]!<&|~{}\\\u00a0\u3000\r"))


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(st.lists(st.one_of(PLAIN, PLAIN, PLAIN, PLAIN, PLAIN, PLAIN, SPECIAL), max_size=40))
def test_plain_paragraphs_skip_markdown_only_when_markdown_would_add_nothing(
    characters: list[str],
) -> None:
    text = "".join(characters)
    if not MARKUP.search(text):
        assert render_markdown(text) == markdown_html(text), repr(text)


def test_every_text_of_the_shipped_catalog_renders_as_markdown_would_render_it(
    shipped_catalog: Catalog,
) -> None:
    catalog = shipped_catalog
    texts = [record.descripcion for record in catalog.records if record.descripcion]
    texts += [series.descripcion for series in catalog.series.values() if series.descripcion]
    texts += [catalog.info.introduccion, catalog.info.creditos]
    plain = [text for text in texts if not MARKUP.search(text)]
    assert plain, "the fast way is taken for some texts"
    for text in texts:
        assert render_markdown(text) == markdown_html(text), text[:60]


def test_markup_is_sanitized() -> None:
    html = render_markdown(
        "<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3)) "
        "[bien](https://www.gob.pe/x)"
    )
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert '<a href="https://www.gob.pe/x" rel="noopener noreferrer">bien</a>' in html


def test_summaries_are_plain_words_cut_at_a_word() -> None:
    text = "Una **guía** para la [policía](https://x.org).\n\nSegundo párrafo con más palabras."
    assert plain_text(text) == "Una guía para la policía. Segundo párrafo con más palabras."
    assert summary(text, 30) == "Una guía para la policía.…"
    assert summary(None) == ""


def test_lists_and_emphasis_go_through_markdown() -> None:
    text = "Guía para **policías** y fiscales.\n\n- uno\n- dos"
    assert render_markdown(text) == (
        "<p>Guía para <strong>policías</strong> y fiscales.</p>\n<ul>\n<li>uno</li>\n"
        "<li>dos</li>\n</ul>"
    )


def test_descriptions_cannot_inject_markup_into_a_page(
    example_catalog: Path, tmp_path: Path
) -> None:
    path = example_catalog / "guias" / "guia-de-prueba.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "Una guía para **policías** y fiscales.",
        "<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))",
    )
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "_site"
    build_site(example_options(example_catalog, out))
    html = page(out, "recursos/guia-de-prueba/")
    assert "<script>alert" not in html
    assert "onerror" not in html
    assert "javascript:" not in html


def test_a_build_converts_each_text_once_and_nothing_outlives_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While a build's conversions are current (markup.kept_in), a text is converted once;
    outside a build nothing is kept, so no state lingers between builds or tests."""
    converted: list[str] = []

    def convert(text: str) -> str:
        converted.append(text)
        return f"<p>{text}</p>"

    monkeypatch.setattr(markup, "convert_markdown", convert)
    markup.render_markdown("Uno")
    markup.render_markdown("Uno")
    assert converted == ["Uno", "Uno"] and markup.CURRENT.get() is None
    with markup.kept_in(markup.Conversions()) as conversions:
        for _ in range(3):
            markup.render_markdown("Dos")
            assert markup.plain_text("Dos") == "Dos"
    assert converted == ["Uno", "Uno", "Dos"] and conversions.html == {"Dos": "<p>Dos</p>"}
    assert markup.CURRENT.get() is None
