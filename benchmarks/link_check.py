#!/usr/bin/env python3
"""How long `links` takes over the shipped catalog, against a local server that answers for
every URL: the hand-made client (before) and the httpx one (after), in one run.

    .venv/bin/python benchmarks/link_check.py [--before REV] [--latency-ms 0,40] [--repeat 3]

Nothing goes to the internet. Every URL of catalog/ is rewritten from https://host/path to
http://host:PORT/path (TLS is left out, for both clients alike) and reaches one local server
in one of two ways:

- resolver: `socket.getaddrinfo` answers 127.0.0.1 for every host name, in this process. Both
  clients see the real host names, so per-host limits and connection reuse work as on the web.
- proxy (after only): HTTP_PROXY points at the server, which answers absolute-form requests
  itself; this is how the checker reaches the web behind an institutional proxy.

`--latency-ms` makes the server slow like a distant one: each request waits that long, and
each new connection twice that (a TCP and a TLS handshake). The before code is the links.py
of REV (default: the last commit with the hand-made client), loaded from git into this process
with its own imports. Prints the median wall time of --repeat runs, the requests and
connections the server saw, and the link statuses (every link should be ok), then the sizes of
the link modules before and after.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from catalogo import links as after  # noqa: E402
from catalogo.loader import load_catalog  # noqa: E402

BEFORE = "219e89e"  # main before the httpx rewrite
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
PDF_SIZE = 2_412_345
COUNTS = "/__cuentas"


class AnsweringServer(ThreadingHTTPServer):
    """Answers 200 for any path of any host, with a type and a size, after `latency` seconds.

    It runs in its own process (`--serve`), so that it does not share this one's GIL with the
    client being measured. GET /__cuentas returns and resets what it counted.
    """

    daemon_threads = True
    block_on_close = False
    request_queue_size = 128  # the default 5 drops connections opened at once: 1 s SYN retries

    def __init__(self, latency: float) -> None:
        super().__init__(("127.0.0.1", 0), Answer)
        self.latency = latency
        self.lock = threading.Lock()
        self.requests = 0
        self.connections = 0


class Answer(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # persistent connections, for the client that reuses them
    disable_nagle_algorithm = True  # else delayed ACKs add 40 ms to answers on loopback
    server: AnsweringServer

    def setup(self) -> None:
        super().setup()
        with self.server.lock:
            self.server.connections += 1
        time.sleep(2 * self.server.latency)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_HEAD(self) -> None:
        self.answer()

    def do_GET(self) -> None:
        if self.path == COUNTS:
            self.tell_counts()
        else:
            self.answer()

    def answer(self) -> None:
        with self.server.lock:
            self.server.requests += 1
        time.sleep(self.server.latency)
        is_file = urlsplit(self.path).path.lower().endswith(".pdf")
        body = b"" if is_file else b"<!doctype html><title>p</title>"
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf" if is_file else "text/html")
        self.send_header("Content-Length", str(PDF_SIZE if is_file else len(body)))
        self.end_headers()
        if self.command == "GET" and body:
            self.wfile.write(body)

    def tell_counts(self) -> None:
        with self.server.lock:
            # This request's own connection is not one the client opened.
            counts = f"{self.server.requests} {self.server.connections - 1}".encode()
            self.server.requests = self.server.connections = 0
        self.send_response(200)
        self.send_header("Content-Length", str(len(counts)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(counts)
        self.close_connection = True


def serve(latency_ms: float) -> None:
    server = AnsweringServer(latency_ms / 1000)
    print(server.server_address[1], flush=True)
    server.serve_forever()


class RemoteServer:
    """The answering server in a child process: its port, and what it counted."""

    def __init__(self, latency_ms: float) -> None:
        command = [sys.executable, __file__, "--serve", str(latency_ms)]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        self.port = int(self.process.stdout.readline())

    def counts(self) -> tuple[int, int]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("GET", COUNTS)
        requests, connections = connection.getresponse().read().split()
        connection.close()
        return int(requests), int(connections)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@contextmanager
def serving(latency_ms: float) -> Iterator[RemoteServer]:
    server = RemoteServer(latency_ms)
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def every_host_on_loopback() -> Iterator[None]:
    real = socket.getaddrinfo

    def loopback(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        return real("127.0.0.1", port, *args, **kwargs)

    socket.getaddrinfo = loopback
    try:
        yield
    finally:
        socket.getaddrinfo = real


@contextmanager
def environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in (*PROXY_VARIABLES, *values)}
    for name in PROXY_VARIABLES:
        os.environ.pop(name, None)
        os.environ.pop(name.lower(), None)
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def catalog_urls() -> list[str]:
    loaded = load_catalog(ROOT / "catalog")
    pairs = [(r, loaded.documents[r.id].display) for r in loaded.catalog.records]
    return [target.url for target in after.targets_from_records(pairs)]


def local(url: str, port: int | None) -> str:
    parts = urlsplit(url)
    netloc = f"{parts.hostname}:{port}" if port else str(parts.hostname)
    return parts._replace(scheme="http", netloc=netloc).geturl()


def load_before(revision: str) -> ModuleType:
    source = subprocess.run(
        ["git", "show", f"{revision}:src/catalogo/links.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    folder = Path(tempfile.mkdtemp(prefix="enlaces-antes-"))
    path = folder / "links_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("links_before", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["links_before"] = module  # dataclasses look their module up while defined
    spec.loader.exec_module(module)
    return module


def run_once(module: ModuleType, urls: list[str]) -> tuple[float, Counter[str]]:
    targets = [module.LinkTarget(url, ()) for url in urls]
    started = time.perf_counter()
    results = module.check_links(targets, module.CheckSettings())
    return time.perf_counter() - started, Counter(result.status for result in results)


def measure(
    label: str, module: ModuleType, urls: list[str], server: RemoteServer, repeat: int
) -> None:
    times: list[float] = []
    statuses: Counter[str] = Counter()
    for _ in range(repeat):
        server.counts()  # reset
        seconds, statuses = run_once(module, urls)
        times.append(seconds)
    requests, connections = server.counts()  # of the last run
    shown = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
    print(
        f"| {label} | {statistics.median(times):.2f} s | {requests} | {connections} | {shown} |",
        flush=True,
    )


def module_sizes(revision: str) -> None:
    def lines(rev: str, path: str) -> int:
        shown = subprocess.run(
            ["git", "show", f"{rev}:{path}"], cwd=ROOT, capture_output=True, text=True
        )
        return shown.stdout.count("\n") if shown.returncode == 0 else 0

    names = ["links", "linkhttp", "linkstatus", "linkreport", "linkfacts", "linkcheck"]
    print("\n| Module | Before (lines) | After (lines) |\n| --- | --- | --- |")
    total_before = total_after = 0
    for name in names:
        path = f"src/catalogo/{name}.py"
        old = lines(revision, path)
        new = (ROOT / path).read_text(encoding="utf-8").count("\n")
        total_before, total_after = total_before + old, total_after + new
        print(f"| {name}.py | {old or '—'} | {new} |")
    print(f"| total | {total_before} | {total_after} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=BEFORE, help="revision of the hand-made client")
    parser.add_argument("--latency-ms", default="0,40,120", help="server latencies to try")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--serve", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.serve)
        return
    before = load_before(args.before)
    urls = catalog_urls()
    hosts = len({urlsplit(url).hostname for url in urls})
    print(f"{len(urls)} URLs on {hosts} hosts; before = {args.before}, after = working tree")
    for latency_ms in (float(value) for value in args.latency_ms.split(",")):
        print(f"\nServer latency {latency_ms:g} ms per request, twice that per new connection")
        print("\n| Client | Median time | Requests | Connections | Statuses |")
        print("| --- | --- | --- | --- | --- |")
        with serving(latency_ms) as server:
            port = server.port
            direct = [local(url, port) for url in urls]
            with environment(), every_host_on_loopback():
                measure("before (resolver)", before, direct, server, args.repeat)
                measure("after (resolver)", after, direct, server, args.repeat)
            proxied = [local(url, None) for url in urls]
            with environment(HTTP_PROXY=f"http://127.0.0.1:{port}"):
                measure("after (HTTP_PROXY)", after, proxied, server, args.repeat)
    module_sizes(args.before)


if __name__ == "__main__":
    main()
