"""`serve`: the live preview an editor keeps open while editing."""

from __future__ import annotations

import asyncio
import gc
import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalogo import serve
from tests.support import (
    ROOT,
    example_options,
    free_port,
    get,
    running_preview,
    serve_command,
    wait_for,
)


@pytest.fixture
def example_preview(example_catalog: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    log = tmp_path / "serve.log"
    with running_preview(example_catalog, tmp_path / "_site", log, "--sin-busqueda") as origin:
        wait_for(lambda: get(origin + "/")[0] == 200)
        yield origin, example_catalog


def test_preview_serves_rebuilds_and_shows_problems(
    example_preview: tuple[str, Path], tmp_path: Path
) -> None:
    """What the preview serves and prints. How an open page follows is tested in Chromium
    (tests/browser/test_browser_preview.py)."""
    origin, catalog = example_preview
    status, page = get(origin + "/recursos/guia-de-prueba/")
    assert status == 200
    assert "livereload" not in page, "nothing is injected: the page script comes with the site"
    assert json.loads(get(origin + "/__catalogo/estado.json")[1])["ok"] is True

    record = catalog / "guias" / "guia-de-prueba.yaml"
    good = record.read_text(encoding="utf-8")
    record.write_text(
        good.replace("Guía de prueba: atención", "Guía editada: atención"), encoding="utf-8"
    )
    wait_for(lambda: "Guía editada" in get(origin + "/recursos/guia-de-prueba/")[1])

    record.write_text(good.replace("tipo: guia", "tipo: guía"), encoding="utf-8")
    wait_for(lambda: not json.loads(get(origin + "/__catalogo/estado.json")[1])["ok"])
    state = json.loads(get(origin + "/__catalogo/estado.json")[1])
    assert any(
        "guia-de-prueba.yaml:3: tipo: «guía» no es un tipo conocido" in line
        for line in state["problems"]
    )
    assert state["summary"] == "1 problema en 1 archivo"
    status, page = get(origin + "/recursos/guia-de-prueba/")
    assert status == 200 and "Guía editada" in page, "the last good site stays online"

    record.write_text(good, encoding="utf-8")
    wait_for(lambda: json.loads(get(origin + "/__catalogo/estado.json")[1])["ok"])
    assert "Guía de prueba: atención" in get(origin + "/recursos/guia-de-prueba/")[1]
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert "Sitio actualizado en" in log and " ms" in log
    assert "Se sigue mostrando la última versión correcta" in log
    assert f"  {(catalog / 'guias' / 'guia-de-prueba.yaml').as_posix()}: sin avisos." in log


def test_the_warnings_of_the_saved_file_are_listed_after_a_rebuild(
    example_preview: tuple[str, Path], tmp_path: Path
) -> None:
    _, catalog = example_preview
    record = catalog / "guias" / "guia-de-prueba.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("anio: 2021\n", ""), encoding="utf-8")
    log_path = tmp_path / "serve.log"
    shown = record.as_posix()
    wait_for(lambda: f"  {shown}:2: aviso: anio: el registro no tiene año" in log_path.read_text())
    log = log_path.read_text(encoding="utf-8")
    assert "video-de-prueba.yaml" not in log.split("Sitio actualizado en")[-1], (
        "only the saved file's warnings, not every file's"
    )


def test_library_log_lines_never_reach_the_terminal(example_preview: tuple[str, Path], tmp_path: Path) -> None:
    origin, _ = example_preview
    get(origin + "/no-existe/")
    get(origin + "/__catalogo/eventos")  # a plain GET on the WebSocket: tornado complains
    time.sleep(0.5)
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    for english in ("GET /", "404", "WARNING", "INFO", "Serving on", "Traceback", "livereload"):
        assert english not in log, log


def test_preview_publishes_edits_first_and_updates_search_after(
    example_catalog: Path, tmp_path: Path
) -> None:
    log_path = tmp_path / "serve.log"
    with running_preview(example_catalog, tmp_path / "_site", log_path) as origin:
        wait_for(lambda: get(origin + "/pagefind/pagefind.js")[0] == 200)
        record = example_catalog / "guias" / "guia-de-prueba.yaml"
        record.write_text(
            record.read_text(encoding="utf-8").replace("atención a víctimas", "zanahoria"),
            encoding="utf-8",
        )
        wait_for(lambda: "zanahoria" in get(origin + "/recursos/guia-de-prueba/")[1])
        wait_for(lambda: "Búsqueda actualizada en" in log_path.read_text(encoding="utf-8"))
        # the open-data files follow with the index
        wait_for(lambda: "zanahoria" in get(origin + "/datos/catalogo.json")[1])
        assert "Datos abiertos y búsqueda al día" in log_path.read_text(encoding="utf-8")


def test_preview_answers_missing_pages_with_the_site_404(
    example_preview: tuple[str, Path],
) -> None:
    origin, _ = example_preview
    status, page = get(origin + "/no-existe/")
    assert status == 404
    assert "No encontramos esta página" in page
    assert get(origin + "/__catalogo/overlay.css")[0] == 200
    assert get(origin + "/__catalogo/nada.js")[0] == 404


def test_preview_of_a_broken_catalog_without_previous_site_explains_and_stops(
    example_catalog: Path, tmp_path: Path
) -> None:
    (example_catalog / "guias" / "guia-de-prueba.yaml").write_text("titulo: [\n", encoding="utf-8")
    result = subprocess.run(
        serve_command(example_catalog, tmp_path / "_site", free_port()),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "guia-de-prueba.yaml:1: falta cerrar la lista con «]»" in result.stdout
    assert "No hay una versión anterior del sitio" in result.stdout


def test_memory_is_tidied_once_the_edits_pause(
    example_catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each rebuild moves the one pending tidy later; once the edits pause, what survives is
    frozen, so later collections skip it. The rebuilds and the looks at the collector are
    timers of the preview's event loop, which runs due timers in the order they are due."""
    monkeypatch.setattr(serve, "TIDY_DELAY", 0.3)
    preview = serve.Preview(example_options(example_catalog, tmp_path / "_site"))
    frozen: list[int] = []

    async def two_rebuilds_then_a_pause() -> None:
        loop = asyncio.get_running_loop()
        finished = loop.create_future()

        def look(last: bool = False) -> None:
            frozen.append(gc.get_freeze_count())
            if last:
                finished.set_result(None)

        preview.tidy_later()  # a rebuild: the tidy is due at 0.3 s
        loop.call_later(0.2, preview.tidy_later)  # another: the tidy moves to 0.5 s
        loop.call_later(0.4, look)
        loop.call_later(0.8, look, True)
        await finished

    gc.unfreeze()
    try:
        asyncio.run(two_rebuilds_then_a_pause())
    finally:
        gc.unfreeze()
    assert frozen[0] == 0, "no tidy while the edits go on"
    assert frozen[1] > 0, "tidied once they paused"
