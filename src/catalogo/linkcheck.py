"""`links`: check every external URL of the catalog and write a report an editor can act on."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from catalogo.links import (
    CheckSettings,
    ProgressBar,
    check_links,
    count_statuses,
    exit_status,
    render_json_report,
    render_markdown_report,
    targets_from_records,
)
from catalogo.loader import load_catalog
from catalogo.problems import CatalogError, Problem, display_path, plural


def run_link_check(
    catalog_dir: Path,
    only: Path | None,
    report_base: Path,
    timeout: float,
    settings: CheckSettings | None = None,
) -> int:
    loaded = load_catalog(catalog_dir)
    pairs = []
    for record in loaded.catalog.records:
        document = loaded.documents[record.id]
        if only is not None and document.path.resolve() != only.resolve():
            continue
        pairs.append((record, document.display))
    if only is not None and not pairs:
        raise CatalogError(
            [
                Problem(
                    display_path(only),
                    None,
                    "",
                    "no es un registro del catálogo; indica su archivo .yaml",
                )
            ]
        )
    targets = targets_from_records(pairs)
    if not targets:
        print("No hay enlaces que comprobar.")
        return 0
    print(f"Comprobando {len(targets)} enlaces...", file=sys.stderr, flush=True)
    options = settings or CheckSettings(timeout=timeout)
    with ProgressBar(stream=sys.stderr) as progress:
        results = check_links(targets, options, progress)
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    report_base.parent.mkdir(parents=True, exist_ok=True)
    markdown = report_base.with_name(report_base.name + ".md")
    json_file = report_base.with_name(report_base.name + ".json")
    markdown.write_text(render_markdown_report(results, now), encoding="utf-8")
    json_file.write_text(render_json_report(results, now), encoding="utf-8")
    counts = count_statuses(results)
    print(
        f"{plural(counts['total'], 'enlace', 'enlaces')}: {counts['ok']} bien, {counts['movido']} movidos, "
        f"{counts['roto']} rotos, {counts['error']} con error. Informe: "
        f"{display_path(markdown)} y {display_path(json_file)}"
    )
    for result in results:
        if result.is_dead:
            files = ", ".join(result.sources)
            print(f"{files}: {result.status}: {result.url} ({result.message})")
    if counts["total"] and counts["error"] == counts["total"]:
        print(
            "Ningún enlace respondió: revisa la conexión a internet antes de corregir el catálogo.",
            file=sys.stderr,
        )
    return exit_status(results)
