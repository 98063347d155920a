"""Starting the preview the way an editor does: a double-clicked starter that opens the
browser, a busy port, and Ctrl+C or closing the window stopping everything."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import ROOT, free_port, get, serve_command, wait_for

POSIX = os.name == "posix"
STARTER = ROOT / "iniciar-vista-previa.command"


@pytest.fixture
def browser_recorder(tmp_path: Path) -> Iterator[tuple[dict[str, str], Path]]:
    """An environment whose «browser» (BROWSER, read by Python's webbrowser) writes down
    the address it was asked to open."""
    opened = tmp_path / "abierto.txt"
    script = tmp_path / "navegador.sh"
    script.write_text(f'#!/bin/sh\necho "$1" >> "{opened}"\n', encoding="utf-8")
    script.chmod(0o755)
    env = {**os.environ, "BROWSER": f"{script} %s"}
    env.pop("DISPLAY", None)
    yield env, opened


def group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def port_answers(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.skipif(not POSIX, reason="a POSIX terminal's signals")
@pytest.mark.parametrize("how", ["SIGINT", "SIGHUP"], ids=["ctrl-c", "cerrar-la-ventana"])
def test_the_starter_opens_the_browser_and_stops_with_its_window(
    how: str, example_catalog: Path, tmp_path: Path, browser_recorder: tuple[dict[str, str], Path]
) -> None:
    """The terminal a double-click opens runs the starter in a session of its own; Ctrl+C
    sends SIGINT to that session's foreground processes, closing the window SIGHUP."""
    env, opened = browser_recorder
    port = free_port()
    arguments = ["--catalog", str(example_catalog), "--out", str(tmp_path / "_site")]
    starter = subprocess.Popen(
        ["sh", str(STARTER), *arguments, "--port", str(port), "--sin-busqueda"],
        cwd=tmp_path,  # a double-click starts elsewhere: the starter finds its own folder
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    group = starter.pid
    try:
        wait_for(lambda: opened.exists() and opened.read_text().strip() != "", seconds=90)
        assert opened.read_text().strip() == f"http://127.0.0.1:{port}/"
        assert get(f"http://127.0.0.1:{port}/")[0] == 200
        os.killpg(group, getattr(signal, how))
        output, _ = starter.communicate(timeout=30)
    finally:
        if group_alive(group):
            os.killpg(group, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while group_alive(group) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not group_alive(group), "no process of the preview is left"
    assert not port_answers(port), "the port is free again"
    assert "Vista previa en http://127.0.0.1:" in output
    if how == "SIGINT":
        assert "Vista previa detenida." in output
    assert "Traceback" not in output


def test_the_windows_starter_keeps_crlf_and_runs_the_preview() -> None:
    """It cannot run here (no Windows): what can break it on the way is its line ends (cmd
    misreads a .bat with LF only) and the command it runs."""
    raw = (ROOT / "iniciar-vista-previa.bat").read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n"), "every line ends in CRLF"
    assert raw.isascii(), "the console of Windows would garble accents"
    text = raw.decode("ascii")
    assert 'cd /d "%~dp0"' in text
    assert "py -3 build.py serve %*" in text and "python build.py serve %*" in text
    assert "https://www.python.org/downloads/" in text


def test_serve_opens_the_browser_unless_told_not_to(
    example_catalog: Path, tmp_path: Path, browser_recorder: tuple[dict[str, str], Path]
) -> None:
    env, opened = browser_recorder
    port = free_port()
    command = serve_command(example_catalog, tmp_path / "_site", port, "--sin-busqueda")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        wait_for(lambda: get(f"http://127.0.0.1:{port}/")[0] == 200, seconds=60)
        time.sleep(1.0)
        assert not opened.exists(), "--sin-navegador: no browser"
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_busy_port_gets_a_spanish_message_and_the_next_free_port(
    example_catalog: Path, tmp_path: Path
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = int(busy.getsockname()[1])
        if port_answers(port + 1):
            pytest.skip("the next port is taken too")
        log = tmp_path / "serve.log"
        with log.open("w", encoding="utf-8") as stream:
            process = subprocess.Popen(
                serve_command(example_catalog, tmp_path / "_site", port, "--sin-busqueda"),
                cwd=ROOT,
                stdout=stream,
                stderr=subprocess.STDOUT,
            )
            try:
                wait_for(lambda: get(f"http://127.0.0.1:{port + 1}/")[0] == 200, seconds=60)
            finally:
                process.terminate()
                process.wait(timeout=30)
    text = log.read_text(encoding="utf-8")
    assert text.startswith(
        f"El puerto {port} está ocupado (quizá por otra vista previa abierta); pruebo con el "
        f"{port + 1}.\n"
    )
    assert f"Vista previa en http://127.0.0.1:{port + 1}/" in text
    assert "Address already in use" not in text and "Traceback" not in text


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads /proc")
def test_build_py_outside_the_venv_hands_over_and_a_kill_stops_the_preview(
    example_catalog: Path, tmp_path: Path
) -> None:
    """Run with another Python (as an editor does), build.py becomes .venv's Python in the
    same process (exec): what stops the process the editor started stops the preview; no
    launcher is left waiting on a server that keeps the port."""
    system = Path("/usr/bin/python3")
    if not system.exists() or system.resolve() == Path(sys.executable).resolve():
        pytest.skip("needs a Python outside .venv")
    port = free_port()
    command = serve_command(example_catalog, tmp_path / "_site", port, "--sin-busqueda")
    process = subprocess.Popen(
        [str(system), *command[1:]], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    try:
        wait_for(lambda: get(f"http://127.0.0.1:{port}/")[0] == 200, seconds=120)
        running = Path(f"/proc/{process.pid}/cmdline").read_bytes().split(b"\0")
        assert Path(running[0].decode()).parent == ROOT / ".venv" / "bin"
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert not port_answers(port)
