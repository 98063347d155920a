"""The link reports: the Markdown one editors read (dead links first, with the files to fix,
then moved ones, then how many are fine) and the JSON one for programs; and the exit status
of `links`."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from catalogo.linkreport import exit_status, render_json_report, render_markdown_report
from catalogo.links import LinkResult

CHECKED_AT = datetime(2024, 5, 1, 10, 30, tzinfo=UTC)
GUIDE = "catalog/objetivo-1/guia.yaml"
VIDEO = "catalog/audiovisual/video.yaml"


def result(url: str, status: str, message: str, *sources: str, **facts: object) -> LinkResult:
    fields: dict[str, object] = {
        "http_status": None,
        "final_url": None,
        "redirects": (),
        "attempts": 1,
        "elapsed": 0.1,
    }
    fields.update(facts)
    return LinkResult(url, sources or (GUIDE,), status, message=message, **fields)  # type: ignore[arg-type]


OK = result("https://www.gob.pe/ok.pdf", "ok", "200 OK", http_status=200)
MOVED = result(
    "https://www.gob.pe/viejo",
    "movido",
    "movido permanentemente (301); la dirección nueva responde 200 OK",
    VIDEO,
    http_status=200,
    final_url="https://www.gob.pe/nuevo",
    redirects=((301, "https://www.gob.pe/nuevo"),),
)
BROKEN = result(
    "https://www.gob.pe/no-existe", "roto", "404 No encontrado", VIDEO, GUIDE, http_status=404
)
FAILED = result(
    "https://lento.example.org/x", "error", "tiempo de espera agotado (10 s)", attempts=3
)
RESULTS = [OK, FAILED, MOVED, BROKEN]


def test_the_markdown_report_lists_dead_links_with_their_files_then_moved_ones() -> None:
    report = render_markdown_report(RESULTS, CHECKED_AT)
    assert report.startswith("# Informe de enlaces\n\nComprobado el 2024-05-01 a las 10:30 (UTC).")
    assert "- 4 enlaces comprobados\n- 1 roto\n- 1 con error (no se pudo comprobar)\n" in report
    dead, _, rest = report.partition("## Enlaces movidos")
    rows = [line for line in dead.splitlines() if line.startswith("| <")]
    assert rows == [  # sorted by the first file that uses the link
        "| <https://www.gob.pe/no-existe> | roto | 404 No encontrado | "
        f"`{VIDEO}`<br>`{GUIDE}` |",
        "| <https://lento.example.org/x> | error | tiempo de espera agotado (10 s) | "
        f"`{GUIDE}` |",
    ]
    assert f"| <https://www.gob.pe/viejo> | <https://www.gob.pe/nuevo> | `{VIDEO}` |" in rest
    assert rest.endswith("## Enlaces correctos\n\n1 enlace responde correctamente.\n")


def test_a_report_without_dead_or_moved_links_says_so() -> None:
    report = render_markdown_report([OK], CHECKED_AT)
    assert "No hay enlaces rotos ni con error." in report
    assert "No hay enlaces movidos." in report


def test_table_cells_cannot_break_the_table() -> None:
    odd = result("https://x.org/a b>", "roto", "404 | No\nencontrado", "catalog/a|b.yaml")
    report = render_markdown_report([odd], CHECKED_AT)
    assert "| https://x.org/a b> | roto | 404 \\| No encontrado | `catalog/a\\|b.yaml` |" in report


def test_the_json_report_has_the_counts_and_every_result_in_order() -> None:
    data = json.loads(render_json_report(RESULTS, CHECKED_AT))
    assert data["checked_at"] == "2024-05-01T10:30:00+00:00"
    assert data["summary"] == {"total": 4, "ok": 1, "movido": 1, "roto": 1, "error": 1}
    assert [item["url"] for item in data["results"]] == [r.url for r in RESULTS]
    failed, moved, broken = data["results"][1:]
    assert failed["attempts"] == 3
    assert moved["redirects"] == [{"status": 301, "location": "https://www.gob.pe/nuevo"}]
    assert broken["sources"] == [VIDEO, GUIDE]


def test_links_fails_when_a_link_is_broken_or_cannot_be_checked() -> None:
    assert exit_status(RESULTS) == 1
    assert exit_status([OK, MOVED]) == 0
    assert exit_status([FAILED]) == 1
    assert exit_status([]) == 0
