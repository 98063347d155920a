"""Link facts end to end, as a maintainer produces them and a reader sees them: `links`
asks a local server about each address and records its type and size in
catalog/_enlaces.yaml; `build` reads that file (without going to the network) and the
record page says «PDF · 2,3 MB» or «Página web · host» before the reader taps."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import QuietHandler, run, serving

PDF_SIZE = 2_412_345  # «2,3 MB» in units of 1,024 bytes
BOOKLET_SIZE = 870_000  # «850 KB»


class Handler(QuietHandler):
    """Answers HEAD as real servers do: a PDF with its size, a page as HTML, a move."""

    def do_HEAD(self) -> None:
        if self.path == "/guia.pdf":
            self.answer(200, "application/pdf", PDF_SIZE)
        elif self.path == "/folleto":
            self.answer(200, "application/pdf; charset=binary", BOOKLET_SIZE)
        elif self.path == "/spots/":
            self.send_response(301)
            self.send_header("Location", "/archivo/spots/")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/archivo/spots/":
            self.answer(200, "text/html; charset=utf-8", 5120)
        else:
            self.answer(404, "text/html", 0)

    def answer(self, status: int, kind: str, size: int) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(size))
        self.end_headers()

    def do_GET(self) -> None:  # the checker must never need a body here
        self.send_error(405)


@pytest.fixture
def local_server() -> Iterator[str]:
    with serving(Handler) as (_, origin):
        yield origin


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def access_lines(page: str) -> list[str]:
    """The text of each access button's facts line, as a reader reads it."""
    start = page.index("Acceder al recurso")
    block = page[start : page.index("</section>", start)]
    text = re.sub(r"<[^>]+>", " ", block)
    return [" ".join(html.unescape(line).split()) for line in text.splitlines() if "·" in line]


def test_links_records_facts_that_the_build_shows_on_the_buttons(
    example_catalog: Path, local_server: str, tmp_path: Path
) -> None:
    (example_catalog / "_enlaces.yaml").unlink()  # start from a catalog with no facts
    replace_in(
        example_catalog / "guias" / "guia-de-prueba.yaml",
        "https://example.org/guia.pdf",
        f"{local_server}/guia.pdf",
    )
    replace_in(
        example_catalog / "videos" / "spot-es.yaml",
        "https://example.org/spots-es/",
        f"{local_server}/spots/",
    )
    checked = run(
        "links",
        "--catalog",
        example_catalog,
        "--report",
        tmp_path / "informe",
        "--only",
        example_catalog / "guias" / "guia-de-prueba.yaml",
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    checked = run(
        "links",
        "--catalog",
        example_catalog,
        "--report",
        tmp_path / "informe",
        "--only",
        example_catalog / "videos" / "spot-es.yaml",
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    facts = (example_catalog / "_enlaces.yaml").read_text(encoding="utf-8")
    assert f"bytes: {PDF_SIZE}" in facts and f'final: "{local_server}/archivo/spots/"' in facts

    site = tmp_path / "_site"
    built = run(
        "build", "--catalog", example_catalog, "--out", site, "--sin-busqueda", "--sin-pdf"
    )
    assert built.returncode == 0, built.stdout + built.stderr
    guide = (site / "recursos" / "guia-de-prueba" / "index.html").read_text(encoding="utf-8")
    assert access_lines(guide) == ["PDF · 2,3 MB"]
    spot = (site / "recursos" / "spot-es" / "index.html").read_text(encoding="utf-8")
    assert access_lines(spot) == ["Carpeta · 127.0.0.1"], "a page says where, never a size"
