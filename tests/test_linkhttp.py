"""One request of the link checker, on httpx: proxies from the environment (through a
loopback proxy, for http:// and for a https:// tunnel), connections kept open to a host,
the redirect chain, and the facts an answer gives (its type, its size)."""

from __future__ import annotations

import asyncio
import datetime
import email.utils
import http.client
import select
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from catalogo.linkhttp import Answer, media_type, open_client, parse_retry_after, request
from catalogo.links import CheckSettings, LinkTarget, check_links
from catalogo.linkstatus import REDIRECTS, Failure
from catalogo.problems import CatalogError
from tests.support import QuietHandler, QuietServer

pytestmark = pytest.mark.usefixtures("without_proxies")

FAST = CheckSettings(concurrency=4, per_host=4, timeout=2, retries=0, backoff=0.05)


class Origin(QuietServer):
    """A web server on 127.0.0.1 that answers as real ones do, and notes what it was asked."""

    def __init__(self) -> None:
        super().__init__(OriginHandler)
        self.asked: list[tuple[str, str]] = []


class OriginHandler(QuietHandler):
    server: Origin

    def do_HEAD(self) -> None:
        self.route()

    def do_GET(self) -> None:
        self.route()

    def route(self) -> None:
        self.server.asked.append((self.command, self.path))
        if self.path == "/ok":
            self.answer(200, {"Content-Type": "Text/HTML; charset=UTF-8", "Content-Length": "0"})
        elif self.path == "/permanente":
            self.answer(301, {"Location": "/ok", "Content-Length": "0"})
        elif self.path in ("/bucle-a", "/bucle-b"):
            other = "/bucle-b" if self.path == "/bucle-a" else "/bucle-a"
            self.answer(302, {"Location": other, "Content-Length": "0"})
        elif self.path == "/parte.pdf" and self.headers.get("Range") == "bytes=0-0":
            headers = {"Content-Type": "application/pdf", "Content-Range": "bytes 0-0/987654"}
            self.answer(206, {**headers, "Content-Length": "1"}, b"%")
        elif self.path == "/parte.pdf":
            self.answer(200, {"Content-Type": "application/pdf", "Content-Length": "987654"})
        elif self.path == "/espera":
            self.answer(429, {"Retry-After": "120", "Content-Length": "0"})
        else:
            self.answer(404, {"Content-Length": "0"})

    def answer(self, status: int, headers: dict[str, str], body: bytes = b"") -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command == "GET" and body:
            self.wfile.write(body)


@pytest.fixture(scope="module")
def origin() -> Iterator[Origin]:
    httpd = Origin()
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def address(httpd: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{httpd.server_address[1]}"


def ask(method: str, url: str, headers: dict[str, str] | None = None) -> Answer | Failure:
    async def one() -> Answer | Failure:
        async with open_client("prueba", 2.0, 5, 4) as client:
            return await request(client, method, url, headers)

    return asyncio.run(one())


# --- What one answer says -----------------------------------------------------------------


def test_an_answer_gives_its_status_type_and_size(origin: Origin) -> None:
    answer = ask("GET", address(origin) + "/parte.pdf", {"Range": "bytes=0-0"})
    assert isinstance(answer, Answer)
    assert (answer.status, answer.content_type, answer.content_length) == (
        206,
        "application/pdf",
        987654,  # the whole file's size, from Content-Range
    )
    page = ask("HEAD", address(origin) + "/ok")
    assert isinstance(page, Answer)
    assert (page.content_type, page.content_length) == ("text/html", None), (
        "«Content-Length: 0» in a HEAD says nothing"
    )
    waiting = ask("HEAD", address(origin) + "/espera")
    assert isinstance(waiting, Answer) and (waiting.status, waiting.retry_after) == (429, 120.0)


def test_a_redirect_chain_is_kept_and_a_loop_stops(origin: Origin) -> None:
    base = address(origin)
    moved = ask("HEAD", base + "/permanente")
    assert isinstance(moved, Answer)
    assert (moved.status, moved.final_url, moved.redirects) == (
        200,
        base + "/ok",
        ((301, base + "/ok"),),
    )
    loop = ask("HEAD", base + "/bucle-a")
    assert isinstance(loop, Failure) and loop.kind == REDIRECTS
    assert loop.redirects == ((302, base + "/bucle-b"), (302, base + "/bucle-a"))
    assert loop.message == f"las redirecciones forman un bucle: vuelven a {base}/bucle-a"


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("application/pdf", "application/pdf"),
        ("Application/PDF; charset=binary", "application/pdf"),
        ("text/html;charset=utf-8", "text/html"),
        ("pdf", None),
        ("", None),
        (None, None),
    ],
)
def test_a_content_type_is_read_as_its_media_type(header: str | None, kind: str | None) -> None:
    assert media_type(header) == kind


def test_retry_after_is_read_in_seconds_or_as_a_date() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("pronto") is None
    past = email.utils.format_datetime(datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC), True)
    assert parse_retry_after(past) == 0.0
    soon = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=90)
    waited = parse_retry_after(email.utils.format_datetime(soon, True))
    assert waited is not None and 80 < waited <= 90


# --- Proxies from the environment and pooled connections -----------------------------------


class LoopbackProxy(QuietServer):
    """A forwarding proxy for http:// and a CONNECT tunnel for https://, on 127.0.0.1.

    Whatever host a request names, plain requests go to `forward_to` and tunnels to
    `tunnel_to`: the names need not resolve, so a success proves the request went through
    the proxy. `seen` lists what it was asked, in order.
    """

    def __init__(self, forward_to: tuple[str, int], tunnel_to: tuple[str, int]) -> None:
        super().__init__(ProxyHandler)
        self.forward_to = forward_to
        self.tunnel_to = tunnel_to
        self.seen: list[tuple[str, str]] = []


class ProxyHandler(QuietHandler):
    server: LoopbackProxy

    def do_CONNECT(self) -> None:
        self.server.seen.append(("CONNECT", self.path))
        upstream = socket.create_connection(self.server.tunnel_to, timeout=5)
        self.send_response(200, "Connection established")
        self.end_headers()
        relay(self.connection, upstream)
        self.close_connection = True

    def do_HEAD(self) -> None:
        self.forward()

    def do_GET(self) -> None:
        self.forward()

    def forward(self) -> None:
        self.server.seen.append((self.command, self.path))
        parts = urlsplit(self.path)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        upstream = http.client.HTTPConnection(*self.server.forward_to, timeout=5)
        hop_by_hop = {"connection", "proxy-connection", "keep-alive", "transfer-encoding"}
        headers = {k: v for k, v in self.headers.items() if k.lower() not in hop_by_hop}
        upstream.request(self.command, target, headers=headers)
        answer = upstream.getresponse()
        body = answer.read()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in hop_by_hop:
                self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        upstream.close()


def relay(client: socket.socket, upstream: socket.socket) -> None:
    """Copy bytes both ways until one side closes."""
    with upstream:
        sockets = [client, upstream]
        while True:
            readable, _, _ = select.select(sockets, [], [], 5)
            if not readable:
                return
            for side in readable:
                data = side.recv(65536)
                if not data:
                    return
                (upstream if side is client else client).sendall(data)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for `enlaces.test`, made by the openssl command."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command makes the test certificate")
    folder = tmp_path_factory.mktemp("certificado")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
         "-subj", "/CN=enlaces.test", "-addext", "subjectAltName=DNS:enlaces.test"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


@pytest.fixture(scope="module")
def tls_server(certificate: tuple[Path, Path]) -> Iterator[Origin]:
    """The origin's routes over TLS, with the certificate for `enlaces.test`."""
    cert, key = certificate
    httpd = Origin()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def proxy(origin: Origin) -> Iterator[LoopbackProxy]:
    """The proxy forwards to the origin; a test that tunnels says where to."""
    httpd = LoopbackProxy(("127.0.0.1", origin.server_address[1]), ("127.0.0.1", 0))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_https_goes_through_the_proxy_of_https_proxy(
    proxy: LoopbackProxy,
    certificate: tuple[Path, Path],
    tls_server: Origin,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    proxy.tunnel_to = ("127.0.0.1", tls_server.server_address[1])
    monkeypatch.setenv("HTTPS_PROXY", address(proxy))
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # as behind a proxy with its own CA
    [result] = check_links([LinkTarget("https://enlaces.test/ok", ())], FAST)
    assert (result.status, result.http_status) == ("ok", 200), result.message
    assert proxy.seen == [("CONNECT", "enlaces.test:443")]
    assert tls_server.asked == [("HEAD", "/ok")]


def test_http_goes_through_the_proxy_of_http_proxy_with_its_redirects(
    proxy: LoopbackProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", address(proxy))
    [result] = check_links([LinkTarget("http://enlaces.test/permanente", ())], FAST)
    assert (result.status, result.final_url) == ("movido", "http://enlaces.test/ok")
    assert result.redirects == ((301, "http://enlaces.test/ok"),)
    assert proxy.seen == [
        ("HEAD", "http://enlaces.test/permanente"),
        ("HEAD", "http://enlaces.test/ok"),
    ]


def test_no_proxy_hosts_are_asked_directly(
    proxy: LoopbackProxy, origin: Origin, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = address(origin)
    monkeypatch.setenv("HTTP_PROXY", address(proxy))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    [result] = check_links([LinkTarget(base + "/ok", ())], FAST)
    assert result.status == "ok"
    assert proxy.seen == []


def test_a_proxy_that_cannot_be_used_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "socks5://127.0.0.1:1080")
    with pytest.raises(CatalogError) as raised:
        check_links([LinkTarget("https://enlaces.test/ok", ())], FAST)
    [problem] = raised.value.problems
    assert problem.path == "HTTPS_PROXY=socks5://127.0.0.1:1080"
    assert "no se puede usar ese proxy" in problem.message


class KeepAliveHandler(QuietHandler):
    """HTTP/1.1 with persistent connections, counting connections and requests."""

    protocol_version = "HTTP/1.1"
    server: CountingServer

    def setup(self) -> None:
        super().setup()
        with self.server.lock:
            self.server.connections += 1

    def do_HEAD(self) -> None:
        with self.server.lock:
            self.server.requests += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", "2048")
        self.end_headers()


class CountingServer(QuietServer):
    def __init__(self) -> None:
        super().__init__(KeepAliveHandler)
        self.lock = threading.Lock()
        self.connections = 0
        self.requests = 0


def test_connections_to_one_host_are_reused() -> None:
    httpd = CountingServer()
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        base = address(httpd)
        targets = [LinkTarget(f"{base}/documento-{number}.pdf", ()) for number in range(12)]
        checked = check_links(targets, CheckSettings(concurrency=8, per_host=2, timeout=5))
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert [result.status for result in checked] == ["ok"] * 12
    assert [result.content_length for result in checked] == [2048] * 12
    assert httpd.requests == 12
    assert httpd.connections <= 2, "at most one connection per request in flight to the host"
