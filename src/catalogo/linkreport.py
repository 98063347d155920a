"""The link reports: `informe-enlaces.md` for editors, `informe-enlaces.json` for programs."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from catalogo.links import LinkResult
from catalogo.linkstatus import BROKEN, ERROR, MOVED, OK, STATUSES
from catalogo.problems import plural


def count_statuses(results: Iterable[LinkResult]) -> dict[str, int]:
    """`{"total": 40, "ok": 34, "movido": 2, "roto": 3, "error": 1}`."""
    counts = dict.fromkeys(("total", *STATUSES), 0)
    for result in results:
        counts["total"] += 1
        counts[result.status] = counts.get(result.status, 0) + 1
    return counts


def exit_status(results: Iterable[LinkResult]) -> int:
    """1 when any link is dead (broken or unverifiable), else 0."""
    return 1 if any(result.is_dead for result in results) else 0


def render_markdown_report(results: Sequence[LinkResult], checked_at: datetime) -> str:
    """The report editors read: counts, dead links, moved links, then how many are fine."""
    counts = count_statuses(results)
    dead = sorted((r for r in results if r.is_dead), key=_by_file)
    moved = sorted((r for r in results if r.status == MOVED), key=_by_file)
    lines = [
        "# Informe de enlaces",
        "",
        f"Comprobado el {_format_moment(checked_at)}.",
        "",
        *_summary_lines(counts),
        "",
        *_dead_section(dead),
        "",
        *_moved_section(moved),
        "",
        "## Enlaces correctos",
        "",
        f"{plural(counts[OK], 'enlace responde', 'enlaces responden')} correctamente.",
    ]
    return "\n".join(lines) + "\n"


def _summary_lines(counts: Mapping[str, int]) -> list[str]:
    return [
        f"- {plural(counts['total'], 'enlace comprobado', 'enlaces comprobados')}",
        f"- {plural(counts[BROKEN], 'roto', 'rotos')}",
        f"- {counts[ERROR]} con error (no se pudo comprobar)",
        f"- {plural(counts[MOVED], 'movido', 'movidos')}",
        f"- {plural(counts[OK], 'correcto', 'correctos')}",
    ]


def _dead_section(dead: Sequence[LinkResult]) -> list[str]:
    lines = ["## Enlaces rotos o con error", ""]
    if not dead:
        return [*lines, "No hay enlaces rotos ni con error."]
    lines += [
        "Corrige o quita estos enlaces en los archivos indicados. «error» significa que no se "
        "pudo comprobar: ábrelo en el navegador antes de cambiarlo.",
        "",
        "| Enlace | Estado | Detalle | Archivos |",
        "| --- | --- | --- | --- |",
    ]
    for result in dead:
        cells = [
            _link_cell(result.url),
            result.status,
            _cell(result.message),
            _files_cell(result.sources),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _moved_section(moved: Sequence[LinkResult]) -> list[str]:
    lines = ["## Enlaces movidos", ""]
    if not moved:
        return [*lines, "No hay enlaces movidos."]
    lines += [
        "Funcionan, pero la dirección cambió para siempre: conviene poner la nueva.",
        "",
        "| Enlace | Dirección nueva | Archivos |",
        "| --- | --- | --- |",
    ]
    for result in moved:
        cells = [
            _link_cell(result.url),
            _link_cell(result.final_url or ""),
            _files_cell(result.sources),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _by_file(result: LinkResult) -> tuple[str, str]:
    return (result.sources[0] if result.sources else "", result.url)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _link_cell(url: str) -> str:
    if not url or any(ch in url for ch in "<> `"):
        return _cell(url) or "—"
    return f"<{_cell(url)}>"


def _files_cell(sources: Sequence[str]) -> str:
    return "<br>".join(f"`{_cell(source)}`" for source in sources) or "—"


def _format_moment(moment: datetime) -> str:
    text = moment.strftime("%Y-%m-%d a las %H:%M")
    zone = moment.tzname()
    return f"{text} ({zone})" if zone else text


def render_json_report(results: Sequence[LinkResult], checked_at: datetime) -> str:
    """The same report for programs: counts and every result, in the order checked."""
    data = {
        "checked_at": checked_at.isoformat(),
        "summary": count_statuses(results),
        "results": [_result_data(result) for result in results],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _result_data(result: LinkResult) -> dict[str, Any]:
    return {
        "url": result.url,
        "sources": list(result.sources),
        "status": result.status,
        "http_status": result.http_status,
        "final_url": result.final_url,
        "redirects": [
            {"status": status, "location": location} for status, location in result.redirects
        ],
        "message": result.message,
        "attempts": result.attempts,
        "elapsed": result.elapsed,
        "content_type": result.content_type,
        "content_length": result.content_length,
    }
