"""The link checker against a local HTTP server: it never reaches the internet. Which
method it asks with, how it follows and classifies redirects, retries and timeouts, and how
many requests it keeps in flight. (One request's mechanics and proxies: test_linkhttp.py;
the Spanish words of each outcome: test_linkstatus.py; the reports: test_linkreport.py.)"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from catalogo.links import (
    CheckSettings,
    LinkResult,
    LinkTarget,
    check_links,
    targets_from_records,
)
from catalogo.models import Link, Record
from tests.support import QuietHandler, QuietServer

pytestmark = pytest.mark.usefixtures("without_proxies")

FAST = CheckSettings(concurrency=32, per_host=32, timeout=0.5, retries=2, backoff=0.05)
QUEUE_DELAY = 0.15


class ServerState:
    """What the test server saw: requests per path and method, and requests at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.hits: Counter[str] = Counter()
        self.methods: Counter[tuple[str, str]] = Counter()
        self.user_agents: set[str] = set()
        self.active: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()

    def record(self, method: str, path: str, user_agent: str) -> int:
        """Count one request; return how many requests this path had before it."""
        with self.lock:
            previous = self.hits[path]
            self.hits[path] += 1
            self.methods[(method, path)] += 1
            self.user_agents.add(user_agent)
            return previous

    def enter(self, group: str) -> None:
        with self.lock:
            self.active[group] += 1
            self.peak[group] = max(self.peak[group], self.active[group])

    def leave(self, group: str) -> None:
        with self.lock:
            self.active[group] -= 1


class LocalServer(QuietServer):
    request_queue_size = 128

    def __init__(self, state: ServerState) -> None:
        super().__init__(Handler)
        self.state = state


class Handler(QuietHandler):
    server: LocalServer

    def log_error(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""

    def do_HEAD(self) -> None:
        self.route("HEAD")

    def do_GET(self) -> None:
        self.route("GET")

    def route(self, method: str) -> None:
        state = self.server.state
        path = self.path
        seen_before = state.record(method, path, self.headers.get("User-Agent", ""))
        if path.startswith("/cola"):
            self.answer_slowly(path.split("/")[1])
            return
        if path.startswith("/cadena/"):
            self.reply(302, Location=f"/cadena/{int(path.rsplit('/', 1)[1]) + 1}")
            return
        handler = self.routes().get(path)
        if handler is None:
            self.reply(404)
        else:
            handler(method, seen_before)

    def routes(self) -> dict[str, Callable[[str, int], None]]:
        return {
            "/ok": lambda method, seen: self.reply(200),
            "/se%C3%B1al": lambda method, seen: self.reply(200),
            "/permanente": lambda method, seen: self.reply(301, Location="/ok"),
            "/permanente-308": lambda method, seen: self.reply(308, Location="../ok"),
            "/carpeta/relativo": lambda method, seen: self.reply(302, Location="../ok"),
            "/temporal": lambda method, seen: self.reply(302, Location="/ok"),
            "/bucle-a": lambda method, seen: self.reply(302, Location="/bucle-b"),
            "/bucle-b": lambda method, seen: self.reply(302, Location="/bucle-a"),
            "/movido-a-roto": lambda method, seen: self.reply(301, Location="/no-existe"),
            "/no-existe": lambda method, seen: self.reply(404),
            "/eliminado": lambda method, seen: self.reply(410),
            "/falla": lambda method, seen: self.reply(500),
            "/inestable": lambda method, seen: self.reply(503 if seen == 0 else 200),
            "/limite": self.rate_limited,
            "/limite-2": self.rate_limited,
            "/sin-head": lambda method, seen: self.reply(405 if method == "HEAD" else 200),
            "/corta-head": self.drop_head,
            "/cuelga-head": self.hang_head,
            "/lento": self.answer_late,
            "/a-ftp": lambda method, seen: self.reply(302, Location="ftp://archivos.example.org/x"),
            "/galleta": self.cookie_first,
        }

    def reply(self, status: int, **headers: str) -> None:
        body = b"" if self.command == "HEAD" else b"hola"
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def rate_limited(self, method: str, seen: int) -> None:
        if seen == 0:
            self.reply(429, Retry_After="0")
        else:
            self.reply(200)

    def cookie_first(self, method: str, seen: int) -> None:
        """Like sites that set a session cookie and send the reader back to the same page."""
        if "sesion=1" in self.headers.get("Cookie", ""):
            self.reply(200)
        else:
            self.reply(302, Location="/galleta", Set_Cookie="sesion=1; Path=/")

    def drop_head(self, method: str, seen: int) -> None:
        if method == "HEAD":
            self.close_connection = True
        else:
            self.reply(200)

    def hang_head(self, method: str, seen: int) -> None:
        if method == "HEAD":
            time.sleep(2)
        self.reply(200)

    def answer_late(self, method: str, seen: int) -> None:
        time.sleep(2)
        self.reply(200)

    def answer_slowly(self, group: str) -> None:
        state = self.server.state
        state.enter(group)
        try:
            time.sleep(QUEUE_DELAY)
            self.reply(200)
        finally:
            state.leave(group)


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, ServerState]]:
    state = ServerState()
    httpd = LocalServer(state)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", state
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def silent_port() -> Iterator[int]:
    """A port that accepts connections (in the kernel backlog) and never answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    try:
        yield int(listener.getsockname()[1])
    finally:
        listener.close()


@pytest.fixture(scope="module")
def closed_port() -> int:
    """A port nothing listens on: connections are refused."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(("127.0.0.1", 0))
    port = int(probe.getsockname()[1])
    probe.close()
    return port


def make_record(record_id: str, *urls: str) -> Record:
    return Record(
        id=record_id,
        seccion="objetivo-1",
        titulo=f"Registro {record_id}",
        tipo="guia",
        enlaces=[Link(url=url) for url in urls],
    )


def source(record_id: str) -> str:
    return f"catalog/objetivo-1/{record_id}.yaml"


PATHS = (
    "/ok",
    "/señal",
    "/permanente",
    "/permanente-308",
    "/carpeta/relativo",
    "/temporal",
    "/bucle-a",
    "/movido-a-roto",
    "/no-existe",
    "/eliminado",
    "/falla",
    "/inestable",
    "/limite",
    "/sin-head",
    "/corta-head",
    "/cuelga-head",
    "/lento",
)


@pytest.fixture(scope="module")
def results(
    server: tuple[str, ServerState], silent_port: int, closed_port: int
) -> dict[str, LinkResult]:
    base, _ = server
    urls = [base + path for path in PATHS]
    urls += [f"http://127.0.0.1:{silent_port}/mudo", f"http://127.0.0.1:{closed_port}/cerrado"]
    records = [
        (make_record("uno", *urls), source("uno")),
        (make_record("dos", base + "/no-existe", base + "/ok"), source("dos")),
    ]
    targets = targets_from_records(records)
    checked = check_links(targets, FAST)
    assert [result.url for result in checked] == [target.url for target in targets]
    return {result.url.rsplit("/", 1)[-1]: result for result in checked}


def test_targets_are_deduplicated_with_every_source() -> None:
    first = make_record("uno", "https://a.example.org/1", "https://a.example.org/2")
    second = make_record("dos", "https://a.example.org/2", "https://a.example.org/2")
    targets = targets_from_records([(first, source("uno")), (second, source("dos"))])
    assert targets == [
        LinkTarget("https://a.example.org/1", (source("uno"),)),
        LinkTarget("https://a.example.org/2", (source("uno"), source("dos"))),
    ]


def test_ok(results: dict[str, LinkResult], server: tuple[str, ServerState]) -> None:
    result = results["ok"]
    assert (result.status, result.http_status, result.message) == ("ok", 200, "200 OK")
    assert result.redirects == ()
    assert result.final_url is None
    assert result.attempts == 1
    assert result.sources == (source("uno"), source("dos"))
    _, state = server
    assert state.methods[("GET", "/ok")] == 0, "HEAD is enough when the server supports it"
    assert state.user_agents == {CheckSettings().user_agent}


def test_permanent_redirect_is_moved(
    results: dict[str, LinkResult], server: tuple[str, ServerState]
) -> None:
    base, _ = server
    result = results["permanente"]
    assert result.status == "movido"
    assert result.final_url == base + "/ok"
    assert result.redirects == ((301, base + "/ok"),)
    assert "movido permanentemente (301)" in result.message


def test_relative_locations_are_resolved(
    results: dict[str, LinkResult], server: tuple[str, ServerState]
) -> None:
    base, _ = server
    assert results["permanente-308"].status == "movido"
    assert results["permanente-308"].redirects == ((308, base + "/ok"),)
    assert results["relativo"].status == "ok"
    assert results["relativo"].redirects == ((302, base + "/ok"),)


def test_temporary_redirect_is_ok_with_its_chain(
    results: dict[str, LinkResult], server: tuple[str, ServerState]
) -> None:
    base, _ = server
    result = results["temporal"]
    assert result.status == "ok"
    assert result.http_status == 200
    assert result.final_url == base + "/ok"
    assert result.redirects == ((302, base + "/ok"),)
    assert result.message == "200 OK tras 1 redirección"


def test_redirect_loop_is_an_error(
    results: dict[str, LinkResult], server: tuple[str, ServerState]
) -> None:
    base, _ = server
    result = results["bucle-a"]
    assert result.status == "error"
    assert "bucle" in result.message
    assert result.redirects == ((302, base + "/bucle-b"), (302, base + "/bucle-a"))
    assert result.final_url is None
    assert result.attempts == 1


def test_endless_redirects_stop(server: tuple[str, ServerState]) -> None:
    base, _ = server
    settings = CheckSettings(max_redirects=3, timeout=2)
    [result] = check_links([LinkTarget(base + "/cadena/1", ())], settings)
    assert result.status == "error"
    assert result.message == "demasiadas redirecciones (más de 3)"
    assert [location for _, location in result.redirects] == [
        f"{base}/cadena/{number}" for number in range(2, 6)
    ]


def test_a_redirect_that_sets_a_cookie_and_comes_back_is_ok(
    server: tuple[str, ServerState],
) -> None:
    base, _ = server
    [result] = check_links([LinkTarget(base + "/galleta", ())], FAST)
    assert (result.status, result.http_status) == ("ok", 200)
    assert result.redirects == ((302, base + "/galleta"),)
    assert result.final_url is None


def test_a_redirect_to_an_address_that_is_not_web_is_an_error(
    server: tuple[str, ServerState],
) -> None:
    base, _ = server
    [result] = check_links([LinkTarget(base + "/a-ftp", ())], FAST)
    assert (result.status, result.http_status) == ("error", 302)
    assert result.message == "redirige a una dirección que no es web: ftp://archivos.example.org/x"
    assert result.attempts == 1


def test_non_ascii_paths_are_encoded(results: dict[str, LinkResult]) -> None:
    assert results["señal"].status == "ok"


def test_redirect_to_a_missing_page_is_broken(
    results: dict[str, LinkResult], server: tuple[str, ServerState]
) -> None:
    base, _ = server
    result = results["movido-a-roto"]
    assert (result.status, result.http_status) == ("roto", 404)
    assert result.final_url == base + "/no-existe"
    assert result.message == "404 No encontrado tras 1 redirección"


def test_missing_and_gone_pages_are_broken(results: dict[str, LinkResult]) -> None:
    assert (results["no-existe"].status, results["no-existe"].message) == (
        "roto",
        "404 No encontrado",
    )
    assert results["no-existe"].sources == (source("uno"), source("dos"))
    assert results["no-existe"].attempts == 1, "a 404 is not retried"
    assert (results["eliminado"].status, results["eliminado"].http_status) == ("roto", 410)


def test_server_error_is_broken_after_retries(
    results: dict[str, LinkResult], server: tuple[str, ServerState]
) -> None:
    result = results["falla"]
    assert (result.status, result.http_status) == ("roto", 500)
    assert result.message == "500 Error interno del servidor"
    assert result.attempts == 3
    _, state = server
    assert state.hits["/falla"] == 4, "one HEAD, then GET for the first attempt and both retries"


def test_retry_recovers_from_a_passing_failure(results: dict[str, LinkResult]) -> None:
    assert (results["inestable"].status, results["inestable"].attempts) == ("ok", 2)
    assert (results["limite"].status, results["limite"].attempts) == ("ok", 2)


def test_get_when_head_is_not_allowed(
    results: dict[str, LinkResult], server: tuple[str, ServerState]
) -> None:
    assert (results["sin-head"].status, results["sin-head"].attempts) == ("ok", 1)
    _, state = server
    assert state.methods[("HEAD", "/sin-head")] == 1
    assert state.methods[("GET", "/sin-head")] == 1


def test_get_when_head_drops_the_connection(results: dict[str, LinkResult]) -> None:
    assert (results["corta-head"].status, results["corta-head"].attempts) == ("ok", 1)


def test_get_on_retry_when_head_hangs(results: dict[str, LinkResult]) -> None:
    assert (results["cuelga-head"].status, results["cuelga-head"].attempts) == ("ok", 2)


def test_slow_server_times_out(results: dict[str, LinkResult]) -> None:
    result = results["lento"]
    assert (result.status, result.http_status) == ("error", None)
    assert result.message == "tiempo de espera agotado (0,5 s)"
    assert result.attempts == 3


def test_silent_server_times_out_instead_of_hanging(results: dict[str, LinkResult]) -> None:
    result = results["mudo"]
    assert result.status == "error"
    assert result.message == "tiempo de espera agotado (0,5 s)"
    assert result.elapsed < 5


def test_refused_connection_is_an_error(results: dict[str, LinkResult]) -> None:
    result = results["cerrado"]
    assert result.status == "error"
    assert "conexión rechazada" in result.message
    assert result.attempts == 3


def test_retry_after_is_honoured_over_backoff(server: tuple[str, ServerState]) -> None:
    base, state = server
    settings = CheckSettings(timeout=2, retries=1, backoff=20)
    started = time.monotonic()
    [result] = check_links([LinkTarget(base + "/limite-2", ())], settings)
    assert time.monotonic() - started < 5, "Retry-After: 0 must replace the 20 s backoff"
    assert (result.status, result.attempts) == ("ok", 2)
    assert state.hits["/limite-2"] == 2


def test_tls_error_is_reported(server: tuple[str, ServerState]) -> None:
    base, _ = server
    url = base.replace("http://", "https://") + "/ok"
    [result] = check_links([LinkTarget(url, ())], FAST)
    assert result.status == "error"
    assert "conexión segura" in result.message
    assert result.attempts == 1, "TLS errors are not retried"


def test_unknown_domain_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> list[Any]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    [result] = check_links([LinkTarget("https://no-existe.example.org/x", ())], FAST)
    assert result.status == "error"
    assert result.message.startswith("no se pudo resolver el dominio no-existe.example.org")
    assert result.attempts == 1


def test_only_web_addresses_are_checked() -> None:
    [result] = check_links([LinkTarget("ftp://archivos.example.org/x.pdf", ())], FAST)
    assert result.status == "error"
    assert "http" in result.message


@pytest.mark.parametrize(
    ("group", "settings", "limit"),
    [
        ("cola-host", CheckSettings(concurrency=8, per_host=2, timeout=5, retries=0), 2),
        ("cola-total", CheckSettings(concurrency=3, per_host=8, timeout=5, retries=0), 3),
    ],
)
def test_requests_in_flight_are_bounded(
    server: tuple[str, ServerState], group: str, settings: CheckSettings, limit: int
) -> None:
    base, state = server
    targets = [LinkTarget(f"{base}/{group}/{number}", ()) for number in range(8)]
    checked = check_links(targets, settings)
    assert [result.status for result in checked] == ["ok"] * 8
    assert state.peak[group] == limit


def test_progress_is_reported_for_every_link(server: tuple[str, ServerState]) -> None:
    base, _ = server
    seen: list[tuple[int, int]] = []
    targets = [LinkTarget(base + "/ok", ()), LinkTarget(base + "/no-existe", ())]
    check_links(targets, FAST, progress=lambda done, total, result: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]
