"""Build the shipped catalog under a project-pages base path, serve it under that prefix on
127.0.0.1 and follow every internal link, asset, feed and search path: none may be broken."""

from __future__ import annotations

import http.server
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tests.support import SHIPPED_PREFIX, serving

PREFIX = SHIPPED_PREFIX


class LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in ("href", "src", "action", "data-embed"):
                self.links.append(value)


def prefix_handler(site: Path) -> type[http.server.SimpleHTTPRequestHandler]:
    """Serves `site` under PREFIX only, as GitHub project pages do."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(site), **kwargs)  # type: ignore[arg-type]

        def translate_path(self, path: str) -> str:
            if not path.startswith(PREFIX):
                return str(site / "__fuera_del_prefijo__")
            return super().translate_path("/" + path[len(PREFIX) :])

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture(scope="module")
def served_site(shipped_site: Path) -> Iterator[tuple[Path, str]]:
    with serving(prefix_handler(shipped_site)) as (_, origin):
        yield shipped_site, origin


def fetch_status(url: str) -> int:
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, method="HEAD"), timeout=10
        ) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_every_internal_link_resolves_under_the_prefix(served_site: tuple[Path, str]) -> None:
    site, origin = served_site
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 100
    targets: dict[str, str] = {}
    for page in pages:
        relative = page.relative_to(site).as_posix().removesuffix("index.html")
        page_url = origin + PREFIX + relative
        collector = LinkCollector()
        collector.feed(page.read_text(encoding="utf-8"))
        for link in collector.links:
            absolute = urljoin(page_url, link)
            parts = urlsplit(absolute)
            if parts.scheme in ("http", "https") and parts.netloc == urlsplit(origin).netloc:
                assert parts.path.startswith(PREFIX), f"{page}: {link} escapes {PREFIX}"
                targets.setdefault(absolute.split("#")[0].split("?")[0], str(page))
    broken = [
        f"{url} (from {source})"
        for url, source in sorted(targets.items())
        if fetch_status(url) != 200
    ]
    assert not broken, "\n".join(broken)
    assert len(targets) > 150


def test_feed_sitemap_and_search_bundle_are_served(served_site: tuple[Path, str]) -> None:
    site, origin = served_site
    for path in (
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "datos/catalogo.json",
        "pagefind/pagefind.js",
        "pagefind/pagefind-entry.json",
        "404.html",
    ):
        assert fetch_status(origin + PREFIX + path) == 200, path
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://oit.github.io/catalogo-trata/recursos/" in sitemap
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert 'href="https://oit.github.io/catalogo-trata/feed.xml"' in feed
    assert "https://oit.github.io/catalogo-trata/sitemap.xml" in (site / "robots.txt").read_text(
        encoding="utf-8"
    )
