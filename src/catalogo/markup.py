"""Markdown descriptions to safe HTML.

Descriptions are written by editors and published on the open web, so the HTML that
Markdown produces is cleaned with an allowlist (nh3): no scripts, no event handlers, no
style, and links only to http(s) and mailto.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from contextvars import ContextVar
from functools import cache
from html import unescape

import markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "abbr",
    "sup",
    "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|pre)>|<br\s*/?>")
# What makes a text more than paragraphs of plain words for Markdown: its markup and
# escapes, HTML and entities, tabs; and lines that start a list, a heading underline or an
# indented block, or end in a hard line break (two spaces).
MARKUP = re.compile(r"[\\`*_\[\]<>!#&|~{}]|[^\S \n]|^[ \-+=\d]|[ ]$", re.MULTILINE)
TAG = re.compile(r"<[^>]+>")


@cache
def markdown_converter() -> markdown.Markdown:
    """One converter, reset between texts: building one per text cost 37 % more (measured
    on 7,751 descriptions)."""
    return markdown.Markdown(extensions=["sane_lists"], output_format="html")


class Conversions:
    """The Markdown texts converted so far, text -> safe HTML. A text repeats: a
    description on its record's page, in lists, in the exports and the feed; a series'
    description on each of its records' pages. A cache of a pure function: it never
    changes a byte; past LIMIT texts it starts again.

    A build keeps one in its memo (incremental.Memo: serve's lasts from one rebuild to the
    next) and makes it the current one while it runs (kept_in); it converts the catalog's
    texts across the cores before its workers fork (render.py), so that none converts them
    again. Outside a build, texts are converted each time they are asked for."""

    LIMIT = 65536  # every text of a 10,000-record catalog, and then some

    def __init__(self) -> None:
        self.html: dict[str, str] = {}
        self.plain: dict[str, str] = {}  # text -> its words without markup (plain_text)

    def convert(self, text: str) -> str:
        html = self.html.get(text)
        if html is None:
            if len(self.html) >= self.LIMIT:
                self.html.clear()
                self.plain.clear()
            html = self.html[text] = convert_markdown(text)
        return html

    def words(self, text: str) -> str:
        """The text's words without markup (plain_text), found once."""
        plain = self.plain.get(text)
        if plain is None:
            plain = self.plain[text] = words_of(self.convert(text))
        return plain

    def learn(self, converted: dict[str, str]) -> None:
        """Texts another process converted."""
        for text, html in converted.items():
            self.html.setdefault(text, html)


# The conversions of the build running in this thread (and in the processes it forks).
CURRENT: ContextVar[Conversions | None] = ContextVar("conversions", default=None)


@contextlib.contextmanager
def kept_in(conversions: Conversions) -> Iterator[Conversions]:
    """Within the block, texts are converted once and kept in `conversions`."""
    token = CURRENT.set(conversions)
    try:
        yield conversions
    finally:
        CURRENT.reset(token)


def render_markdown(text: str) -> str:
    """Safe HTML for a Markdown text, converted once while a build keeps its conversions."""
    conversions = CURRENT.get()
    return conversions.convert(text) if conversions is not None else convert_markdown(text)


def convert_markdown(text: str) -> str:
    """Safe HTML for a Markdown text. Most descriptions are paragraphs of plain words: those
    skip Markdown and nh3, which would only wrap them in <p> (tests/test_markup.py checks
    both ways agree)."""
    if not MARKUP.search(text):
        return plain_paragraphs(text)
    return markdown_html(text)


def markdown_html(text: str) -> str:
    """Markdown, then the allowlist."""
    html = markdown_converter().reset().convert(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
    )


def plain_paragraphs(text: str) -> str:
    """What Markdown and nh3 make of paragraphs of plain words: each in <p>, separated by
    a line break."""
    paragraphs = re.split(r"\n\n+", text.strip("\n"))
    return "\n".join(f"<p>{part}</p>" for part in paragraphs if part)


def plain_text(text: str) -> str:
    """The words of a Markdown text without markup, for meta descriptions and exports (a
    record's: eight times per build, kept with its conversion)."""
    conversions = CURRENT.get()
    return conversions.words(text) if conversions is not None else words_of(convert_markdown(text))


def words_of(html: str) -> str:
    """The words of safe HTML, without its tags, one space between them and between blocks."""
    return " ".join(unescape(TAG.sub("", BLOCK_END.sub(" ", html))).split())


def summary(text: str | None, limit: int = 160) -> str:
    """A short plain-text summary cut at a word boundary."""
    if not text:
        return ""
    plain = plain_text(text)
    if len(plain) <= limit:
        return plain
    cut = plain[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
