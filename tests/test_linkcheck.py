"""`links` end to end against a local server: never reaches the internet."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_cli import run


class Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:
        if self.path == "/vivo.pdf":
            self.send_response(200)
        elif self.path == "/viejo.pdf":
            self.send_response(301)
            self.send_header("Location", "/vivo.pdf")
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def point_links_at(catalog: Path, origin: str) -> None:
    replacements = {
        "guias/guia-de-prueba.yaml": ("https://example.org/guia.pdf", f"{origin}/vivo.pdf"),
        "videos/spot-es.yaml": ("https://example.org/spots-es/", f"{origin}/viejo.pdf"),
        "videos/spot-quz.yaml": ("https://example.org/spots-quz/", f"{origin}/no-esta.pdf"),
        "videos/video-de-prueba.yaml": (
            "https://www.youtube.com/watch?v=abcdefghijk",
            f"{origin}/vivo.pdf",
        ),
    }
    for name, (old, new) in replacements.items():
        path = catalog / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_links_reports_dead_and_moved_links_with_their_files(
    example_catalog: Path, local_server: str, tmp_path: Path
) -> None:
    point_links_at(example_catalog, local_server)
    report = tmp_path / "informe"
    result = run("links", "--catalog", example_catalog, "--report", report)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "3 enlaces: 1 bien, 1 movidos, 1 rotos, 0 con error" in result.stdout
    assert "videos/spot-quz.yaml: roto:" in result.stdout
    markdown = (tmp_path / "informe.md").read_text(encoding="utf-8")
    assert "no-esta.pdf" in markdown and "spot-quz.yaml" in markdown
    data = json.loads((tmp_path / "informe.json").read_text(encoding="utf-8"))
    by_url = {item["url"]: item for item in data["results"]}
    assert by_url[f"{local_server}/viejo.pdf"]["status"] == "movido"
    sources = by_url[f"{local_server}/vivo.pdf"]["sources"]
    assert [Path(source).name for source in sources] == [
        "guia-de-prueba.yaml",
        "video-de-prueba.yaml",
    ]


def test_links_only_checks_one_record(
    example_catalog: Path, local_server: str, tmp_path: Path
) -> None:
    point_links_at(example_catalog, local_server)
    result = run(
        "links",
        "--catalog",
        example_catalog,
        "--report",
        tmp_path / "informe",
        "--only",
        example_catalog / "guias" / "guia-de-prueba.yaml",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 enlace: 1 bien" in result.stdout


def test_links_only_with_an_unknown_file_is_a_clear_problem(
    example_catalog: Path, tmp_path: Path
) -> None:
    result = run(
        "links",
        "--catalog",
        example_catalog,
        "--report",
        tmp_path / "informe",
        "--only",
        tmp_path / "nada.yaml",
    )
    assert result.returncode == 1
    assert "no es un registro del catálogo" in result.stderr
