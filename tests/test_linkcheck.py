"""`links` end to end against a local server, as a maintainer runs it (it never reaches the
internet): the reports, the link facts file it keeps, one record at a time, and the progress
it shows on a terminal or in a log."""

from __future__ import annotations

import datetime
import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalogo.linkcheck import ProgressBar
from catalogo.links import LinkResult
from tests.support import QuietHandler, QuietServer, run, serving

pytestmark = pytest.mark.usefixtures("without_proxies")


class Handler(QuietHandler):
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


@pytest.fixture
def links_server() -> Iterator[str]:
    with serving(Handler) as (_, origin):
        yield origin


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
    example_catalog: Path, links_server: str, tmp_path: Path
) -> None:
    point_links_at(example_catalog, links_server)
    report = tmp_path / "informe"
    result = run("links", "--catalog", example_catalog, "--report", report)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "3 enlaces: 1 bien, 1 movidos, 1 rotos, 0 con error" in result.stdout
    assert "videos/spot-quz.yaml: roto:" in result.stdout
    markdown = (tmp_path / "informe.md").read_text(encoding="utf-8")
    assert "no-esta.pdf" in markdown and "spot-quz.yaml" in markdown
    data = json.loads((tmp_path / "informe.json").read_text(encoding="utf-8"))
    by_url = {item["url"]: item for item in data["results"]}
    assert by_url[f"{links_server}/viejo.pdf"]["status"] == "movido"
    sources = by_url[f"{links_server}/vivo.pdf"]["sources"]
    assert [Path(source).name for source in sources] == [
        "guia-de-prueba.yaml",
        "video-de-prueba.yaml",
    ]


def test_links_only_checks_one_record(
    example_catalog: Path, links_server: str, tmp_path: Path
) -> None:
    point_links_at(example_catalog, links_server)
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


# --- Link facts: catalog/_enlaces.yaml ------------------------------------------------------

HEADER = (
    "# Datos de los enlaces, anotados por «python3 build.py links». "
    "No hace falta editarlo a mano.\n"
)
BIG = 32 * 1024 * 1024  # more than loopback buffers hold: sending it all means it was read


class FactsServer(QuietServer):
    """Files and pages that give their type and size in the ways real servers do."""

    def __init__(self) -> None:
        super().__init__(FactsHandler)
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str, str | None]] = []
        self.sent_whole: set[str] = set()
        self.sizes = {"/guia.pdf": 2412345, "/otra.pdf": 1000, "/pagina": 5120}
        self.broken = {"/falla.pdf"}


class FactsHandler(QuietHandler):
    """HTTP/1.0: a body without Content-Length ends when the connection closes."""

    server: FactsServer

    def do_HEAD(self) -> None:
        self.route()

    def do_GET(self) -> None:
        self.route()

    def route(self) -> None:
        path, wanted = self.path, self.headers.get("Range")
        with self.server.lock:
            self.server.requests.append((self.command, path, wanted))
        if path in self.server.broken:
            self.answer(404, "text/html", 0)
        elif path == "/viejo.pdf":
            self.send_response(301)
            self.send_header("Location", "/guia.pdf")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/pagina":
            self.answer(200, "text/html; charset=UTF-8", self.server.sizes[path])
        elif path in self.server.sizes:
            self.answer(200, "application/pdf", self.server.sizes[path])
        elif path == "/sin-largo.pdf" and self.command == "GET" and wanted == "bytes=0-0":
            self.send_response(206)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Range", "bytes 0-0/987654")
            self.send_header("Content-Length", "1")
            self.end_headers()
            self.wfile.write(b"%")
        elif path == "/sin-rango.pdf" and self.command == "GET":
            self.answer(200, "Application/PDF", BIG)  # ignores Range, sends the whole file
        elif path in ("/sin-largo.pdf", "/sin-rango.pdf", "/flujo.pdf"):
            self.answer(200, "application/pdf", None)  # no size, in HEAD or in GET
        else:
            self.answer(404, "text/html", 0)

    def answer(self, status: int, kind: str, size: int | None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if size is not None:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        if self.command == "GET":
            self.send_body(size if size is not None else 1024 * 1024)

    def send_body(self, size: int) -> None:
        chunk = b"\0" * 65536
        try:
            for start in range(0, size, len(chunk)):
                self.wfile.write(chunk[: size - start])
        except OSError:
            return
        with self.server.lock:
            self.server.sent_whole.add(self.path)


@pytest.fixture
def facts_server() -> Iterator[FactsServer]:
    server = FactsServer()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def origin(server: FactsServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def set_links(record: Path, old: str, urls: list[str]) -> None:
    text = record.read_text(encoding="utf-8")
    assert f"  - url: {old}\n" in text
    lines = "".join(f"  - url: {url}\n" for url in urls)
    record.write_text(text.replace(f"  - url: {old}\n", lines), encoding="utf-8")


@pytest.fixture
def facts_catalog(example_catalog: Path, facts_server: FactsServer) -> Path:
    base = origin(facts_server)
    links = {
        "guias/guia-de-prueba.yaml": ("https://example.org/guia.pdf", ["/guia.pdf", "/sin-largo.pdf", "/sin-rango.pdf", "/flujo.pdf"]),
        "videos/spot-es.yaml": ("https://example.org/spots-es/", ["/pagina", "/viejo.pdf"]),
        "videos/spot-quz.yaml": ("https://example.org/spots-quz/", ["/falla.pdf"]),
        "videos/video-de-prueba.yaml": ("https://www.youtube.com/watch?v=abcdefghijk", ["/otra.pdf"]),
    }  # fmt: skip
    for name, (old, paths) in links.items():
        set_links(example_catalog / name, old, [base + path for path in paths])
    return example_catalog


def expected_facts(base: str, today: str) -> str:
    return HEADER + (
        f'"{base}/falla.pdf":\n  tipo: application/pdf\n  bytes: 1000\n  comprobado: 2020-01-01\n'
        f'"{base}/flujo.pdf":\n  tipo: application/pdf\n  comprobado: {today}\n'
        f'"{base}/guia.pdf":\n  tipo: application/pdf\n  bytes: 2412345\n  comprobado: {today}\n'
        f'"{base}/otra.pdf":\n  tipo: application/pdf\n  bytes: 1000\n  comprobado: {today}\n'
        f'"{base}/pagina":\n  tipo: text/html\n  bytes: 5120\n  comprobado: {today}\n'
        f'"{base}/sin-largo.pdf":\n  tipo: application/pdf\n  bytes: 987654\n  comprobado: {today}\n'
        f'"{base}/sin-rango.pdf":\n  tipo: application/pdf\n  bytes: {BIG}\n  comprobado: {today}\n'
        f'"{base}/viejo.pdf":\n  tipo: application/pdf\n  bytes: 2412345\n  comprobado: {today}\n'
        f'  final: "{base}/guia.pdf"\n'
    )


def today() -> str:
    return datetime.datetime.now(datetime.UTC).date().isoformat()


def test_links_writes_the_facts_of_every_link_that_answered(
    facts_catalog: Path, facts_server: FactsServer, tmp_path: Path
) -> None:
    base = origin(facts_server)
    facts = facts_catalog / "_enlaces.yaml"
    facts.write_text(
        HEADER
        + f'"{base}/falla.pdf":\n  tipo: application/pdf\n  bytes: 1000\n  comprobado: 2020-01-01\n'
        + f'"{base}/guia.pdf":\n  tipo: application/pdf\n  bytes: 7\n  comprobado: 2020-01-01\n'
        + '"https://ya-no-esta.example.org/x.pdf":\n  tipo: application/pdf\n'
        + "  comprobado: 2020-01-01\n",
        encoding="utf-8",
    )
    result = run("links", "--catalog", facts_catalog, "--report", tmp_path / "informe")
    assert result.returncode == 1, result.stdout + result.stderr  # /falla.pdf is broken
    assert "spot-quz.yaml: roto:" in result.stdout
    assert "8 direcciones, 7 con tamaño" in result.stdout
    assert facts.read_text(encoding="utf-8") == expected_facts(base, today())

    asked = facts_server.requests
    assert ("GET", "/sin-largo.pdf", "bytes=0-0") in asked, "the first byte names the size"
    assert not [r for r in asked if r[0] == "GET" and r[1] in ("/guia.pdf", "/pagina")]
    assert not [r for r in asked if r[0] == "GET" and r[1] == "/flujo.pdf" and not r[2]]
    assert "/sin-rango.pdf" not in facts_server.sent_whole, "a file is never downloaded whole"

    report = json.loads((tmp_path / "informe.json").read_text(encoding="utf-8"))
    by_url = {item["url"]: item for item in report["results"]}
    assert by_url[f"{base}/guia.pdf"]["content_type"] == "application/pdf"
    assert by_url[f"{base}/falla.pdf"]["content_length"] is None

    again = run("links", "--catalog", facts_catalog, "--report", tmp_path / "informe")
    assert "Datos de enlaces sin cambios" in again.stdout
    assert facts.read_text(encoding="utf-8") == expected_facts(base, today())
    validated = run("validate", "--catalog", facts_catalog)
    assert validated.returncode == 0, validated.stderr


def test_links_only_updates_the_facts_of_one_record(
    facts_catalog: Path, facts_server: FactsServer, tmp_path: Path
) -> None:
    base = origin(facts_server)
    run("links", "--catalog", facts_catalog, "--report", tmp_path / "informe")
    facts = facts_catalog / "_enlaces.yaml"
    before = facts.read_text(encoding="utf-8")
    facts_server.sizes.update({"/otra.pdf": 2000, "/guia.pdf": 999})
    result = run(
        "links",
        "--catalog",
        facts_catalog,
        "--report",
        tmp_path / "informe",
        "--only",
        facts_catalog / "videos" / "video-de-prueba.yaml",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    after = facts.read_text(encoding="utf-8")
    assert after == before.replace(
        f'"{base}/otra.pdf":\n  tipo: application/pdf\n  bytes: 1000\n',
        f'"{base}/otra.pdf":\n  tipo: application/pdf\n  bytes: 2000\n',
    )
    assert after != before


def test_a_broken_facts_file_stops_links_before_any_request(
    facts_catalog: Path, facts_server: FactsServer, tmp_path: Path
) -> None:
    facts = facts_catalog / "_enlaces.yaml"
    facts.write_text(
        HEADER + '"https://example.org/a.pdf":\n  tipo: application/pdf\n  bytes: muchos\n'
        "  comprobado: 2020-01-01\n",
        encoding="utf-8",
    )
    result = run("links", "--catalog", facts_catalog, "--report", tmp_path / "informe")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "_enlaces.yaml:4:" in result.stderr
    assert "bórralo y vuelve a ejecutarlo" in result.stderr
    assert facts_server.requests == []


def test_a_proxy_variable_that_cannot_be_used_is_explained(
    facts_catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "socks5://127.0.0.1:1080")
    result = run("links", "--catalog", facts_catalog, "--report", tmp_path / "informe")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "HTTPS_PROXY=socks5://127.0.0.1:1080" in result.stderr
    assert "no se puede usar ese proxy" in result.stderr


# --- Progress -------------------------------------------------------------------------------

MISSING = LinkResult(
    url="https://www.gob.pe/no-existe",
    sources=("catalog/objetivo-1/guia.yaml",),
    status="roto",
    http_status=404,
    final_url=None,
    redirects=(),
    message="404 No encontrado",
    attempts=1,
    elapsed=0.1,
)


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal() -> None:
    stream = FakeTerminal()
    with ProgressBar(stream, width=10) as bar:
        bar(1, 4, MISSING)
        bar(4, 4, MISSING)
    assert stream.getvalue() == "\r[##        ] 1/4 enlaces\r[##########] 4/4 enlaces\n"


def test_progress_bar_in_a_log() -> None:
    stream = io.StringIO()
    with ProgressBar(stream) as bar:
        bar(1, 2, MISSING)
    assert stream.getvalue() == f"1/2 roto: {MISSING.url} (404 No encontrado)\n"
