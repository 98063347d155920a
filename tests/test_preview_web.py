"""The preview's web side (catalogo/preview/web.py), served in-process: the built site never
cached, with its version in every answer and its own 404 page; the state open pages hear
when they connect and after every build; the preview's own script and style only; the next
free port when one is busy; library errors as one Spanish line."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from tornado.httpclient import AsyncHTTPClient, HTTPResponse
from tornado.websocket import websocket_connect

from catalogo.preview import web
from catalogo.preview.web import PreviewState, listen, make_application, quiet_library_logs
from tests.support import free_port


@pytest.fixture
def tiny_site(tmp_path: Path) -> Path:
    folder = tmp_path / "_site"
    (folder / "recursos" / "guia").mkdir(parents=True)
    (folder / "index.html").write_text("<h1>Portada</h1>", encoding="utf-8")
    (folder / "recursos" / "guia" / "index.html").write_text("<h1>Guía</h1>", encoding="utf-8")
    (folder / "404.html").write_text("<h1>No encontramos esta página</h1>", encoding="utf-8")
    return folder


def serve(state: PreviewState, site: Path, scenario: Callable[[str], Awaitable[None]]) -> None:
    """Run `scenario(origin)` against the preview application on a free port."""

    async def run() -> None:
        port = listen(make_application(state, site), "127.0.0.1", free_port())
        assert port is not None
        await scenario(f"127.0.0.1:{port}")

    asyncio.run(run())


async def fetch(url: str) -> HTTPResponse:
    return await AsyncHTTPClient().fetch(url, raise_error=False)


def test_the_site_is_served_uncached_with_its_version(tiny_site: Path) -> None:
    state = PreviewState()
    answers: list[HTTPResponse] = []

    async def scenario(host: str) -> None:
        answers.append(await fetch(f"http://{host}/recursos/guia/"))
        state.built()
        answers.append(await fetch(f"http://{host}/"))
        answers.append(await fetch(f"http://{host}/no-existe/"))

    serve(state, tiny_site, scenario)
    guide, home, missing = answers
    assert (guide.code, guide.body) == (200, "<h1>Guía</h1>".encode())
    assert guide.headers["Cache-Control"] == "no-store"
    assert guide.headers["Server-Timing"] == f'catalogo;desc="{state.session}-0"'
    assert home.headers["Server-Timing"] == f'catalogo;desc="{state.session}-1"', "a new build"
    assert missing.code == 404 and b"No encontramos esta p" in missing.body


def test_open_pages_hear_the_state_now_and_after_every_build(tiny_site: Path) -> None:
    state = PreviewState()
    heard: list[dict[str, object]] = []

    async def scenario(host: str) -> None:
        page = await websocket_connect(f"ws://{host}/__catalogo/eventos")
        heard.append(json.loads(await page.read_message() or "{}"))
        state.failed(["guias/x.yaml:3: tipo: «guía» no es un tipo conocido"], "1 problema")
        heard.append(json.loads(await page.read_message() or "{}"))
        state.built()
        heard.append(json.loads(await page.read_message() or "{}"))
        answer = await fetch(f"http://{host}/__catalogo/estado.json")
        heard.append(json.loads(answer.body))
        page.close()

    serve(state, tiny_site, scenario)
    first, broken, fixed, asked = heard
    assert first == {"version": f"{state.session}-0", "ok": True, "problems": [], "summary": ""}
    assert broken["ok"] is False and broken["summary"] == "1 problema"
    assert broken["problems"] == ["guias/x.yaml:3: tipo: «guía» no es un tipo conocido"]
    assert fixed == {"version": f"{state.session}-1", "ok": True, "problems": [], "summary": ""}
    assert asked == fixed


def test_only_the_previews_own_script_and_style_are_served_beside_the_site(tiny_site: Path) -> None:
    codes: dict[str, tuple[int, str]] = {}

    async def scenario(host: str) -> None:
        for name in ("overlay.js", "overlay.css", "nada.js", "web.py"):
            answer = await fetch(f"http://{host}/__catalogo/{name}")
            codes[name] = (answer.code, answer.headers.get("Content-Type", ""))

    serve(PreviewState(), tiny_site, scenario)
    assert codes["overlay.js"] == (200, "text/javascript; charset=utf-8")
    assert codes["overlay.css"] == (200, "text/css; charset=utf-8")
    assert codes["nada.js"][0] == 404 and codes["web.py"][0] == 404


def test_a_busy_port_is_said_in_spanish_and_the_next_one_is_taken(
    tiny_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = int(busy.getsockname()[1])
        taken: list[int | None] = []

        async def run() -> None:
            taken.append(listen(make_application(PreviewState(), tiny_site), "127.0.0.1", port))

        asyncio.run(run())
    if taken[0] is not None and taken[0] > port + 1:
        pytest.skip("the next port was taken too")
    assert taken == [port + 1]
    assert capsys.readouterr().out == (
        f"El puerto {port} está ocupado (quizá por otra vista previa abierta); pruebo con el "
        f"{port + 1}.\n"
    )


def test_a_library_error_is_one_spanish_line_and_its_details_go_to_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    log_file = tmp_path / "vista-previa.log"
    monkeypatch.setattr(web, "ERROR_LOG", log_file)
    loggers = {name: logging.getLogger(name) for name in ("tornado", "livereload", "asyncio")}
    saved = {name: (lg.handlers, lg.propagate, lg.level) for name, lg in loggers.items()}
    try:
        quiet_library_logs()
        loggers["tornado"].warning("304 GET / (127.0.0.1)")
        try:
            raise ValueError("algo falló por dentro")
        except ValueError:
            loggers["tornado"].exception("Uncaught exception GET /")
    finally:
        for name, (handlers, propagate, level) in saved.items():
            loggers[name].handlers, loggers[name].propagate = handlers, propagate
            loggers[name].setLevel(level)
    err = capsys.readouterr().err
    assert err == (
        "La vista previa tuvo un error interno y sigue funcionando; si se repite, avisa a quien "
        f"mantiene el catálogo (detalles en {log_file}).\n"
    )
    details = log_file.read_text(encoding="utf-8")
    assert "tornado: Uncaught exception GET /" in details
    assert "ValueError: algo falló por dentro" in details and "304 GET" not in details
