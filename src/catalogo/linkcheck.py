"""`links`: check every external URL of the catalog, write a report an editor can act on, and
note what each working URL serves in the catalog's link facts file."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from types import TracebackType
from typing import TextIO

from catalogo.catalog import LinkFact
from catalogo.linkfacts import (
    facts_from_results,
    facts_path,
    merge_facts,
    read_facts,
    write_facts,
)
from catalogo.linkreport import (
    count_statuses,
    exit_status,
    render_json_report,
    render_markdown_report,
)
from catalogo.links import CheckSettings, LinkResult, check_links, targets_from_records
from catalogo.loader import LoadResult, load_catalog
from catalogo.models import Record
from catalogo.problems import CatalogError, Problem, display_path, plural


def run_link_check(
    catalog_dir: Path,
    only: Path | None,
    report_base: Path,
    timeout: float,
    settings: CheckSettings | None = None,
) -> int:
    loaded = load_catalog(catalog_dir)
    pairs = _records_to_check(loaded, only)
    facts_file = facts_path(catalog_dir)
    previous = read_facts(facts_file)  # a broken facts file stops the run before any request
    every_url = [link.url for record in loaded.catalog.records for link in record.enlaces]
    targets = targets_from_records(pairs)
    if not targets:
        print("No hay enlaces que comprobar.")
        _save_facts(facts_file, merge_facts(previous, {}, every_url))
        return 0
    print(f"Comprobando {len(targets)} enlaces...", file=sys.stderr, flush=True)
    with ProgressBar(stream=sys.stderr) as progress:
        results = check_links(targets, settings or CheckSettings(timeout=timeout), progress)
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    reports = _write_reports(results, now, report_base)
    _print_summary(results, reports)
    fresh = facts_from_results(results, now.date())
    _save_facts(facts_file, merge_facts(previous, fresh, every_url))
    return exit_status(results)


def _records_to_check(loaded: LoadResult, only: Path | None) -> list[tuple[Record, str]]:
    pairs = []
    for record in loaded.catalog.records:
        document = loaded.documents[record.id]
        if only is not None and document.path.resolve() != only.resolve():
            continue
        pairs.append((record, document.display))
    if only is not None and not pairs:
        message = "no es un registro del catálogo; indica su archivo .yaml"
        raise CatalogError([Problem(display_path(only), None, "", message)])
    return pairs


def _write_reports(
    results: list[LinkResult], now: datetime.datetime, report_base: Path
) -> tuple[Path, Path]:
    report_base.parent.mkdir(parents=True, exist_ok=True)
    markdown = report_base.with_name(report_base.name + ".md")
    json_file = report_base.with_name(report_base.name + ".json")
    markdown.write_text(render_markdown_report(results, now), encoding="utf-8")
    json_file.write_text(render_json_report(results, now), encoding="utf-8")
    return markdown, json_file


def _save_facts(path: Path, facts: dict[str, LinkFact]) -> None:
    if not facts and not path.exists():
        return  # nothing known and nothing to forget: no empty file for the editor to wonder at
    written = write_facts(path, facts)
    state = "actualizados" if written else "sin cambios"
    sizes = sum(1 for fact in facts.values() if fact.bytes is not None)
    print(
        f"Datos de enlaces {state} en {display_path(path)}: "
        f"{plural(len(facts), 'dirección', 'direcciones')}, {sizes} con tamaño."
    )


def _print_summary(results: list[LinkResult], reports: tuple[Path, Path]) -> None:
    counts = count_statuses(results)
    markdown, json_file = reports
    print(
        f"{plural(counts['total'], 'enlace', 'enlaces')}: {counts['ok']} bien, "
        f"{counts['movido']} movidos, {counts['roto']} rotos, {counts['error']} con error. "
        f"Informe: {display_path(markdown)} y {display_path(json_file)}"
    )
    for result in (result for result in results if result.is_dead):
        files = ", ".join(result.sources)
        print(f"{files}: {result.status}: {result.url} ({result.message})")
    if counts["total"] and counts["error"] == counts["total"]:
        print(
            "Ningún enlace respondió: revisa la conexión a internet (y, si la red usa un proxy, "
            "las variables HTTPS_PROXY y NO_PROXY) antes de corregir el catálogo.",
            file=sys.stderr,
        )


class ProgressBar:
    """A `progress` callback for `check_links` that writes to a terminal.

    On a terminal it redraws one bar in place: `[#####     ] 12/40 enlaces`. Elsewhere (a
    log, a CI job) it writes one plain line per checked link. Call `finish` at the end, or
    use it as a context manager.
    """

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.width = max(1, width)
        self.interactive = _is_terminal(self.stream)
        self.drawn = False

    def __call__(self, done: int, total: int, result: LinkResult) -> None:
        if self.interactive:
            self.stream.write("\r" + self.render(done, total))
            self.drawn = True
        else:
            self.stream.write(f"{done}/{total} {result.status}: {result.url} ({result.message})\n")
        self.stream.flush()

    def render(self, done: int, total: int) -> str:
        filled = self.width * done // total if total else self.width
        bar = "#" * filled + " " * (self.width - filled)
        return f"[{bar}] {done}/{total} enlaces"

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.finish()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
