"""`validate`: check the catalog, or only some of its files, and say so in one last line.

Errors and warnings print one per line (`file:line: field: message`), then a summary line.
The last line always says how it went: «Catálogo válido...», or why the check failed.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from catalogo.loader import load_catalog
from catalogo.problems import CatalogError, Problem, display_path, plural, report, summarize

EXIT_PROBLEMS = 1


@dataclass(frozen=True)
class Selection:
    """The files and folders named on the command line, as problems name them."""

    files: frozenset[str]
    folders: tuple[str, ...]

    @classmethod
    def of(cls, paths: Sequence[Path], catalog_dir: Path) -> Selection | None:
        if not paths:
            return None
        catalog = display_path(catalog_dir)
        problems = []
        files: set[str] = set()
        folders: list[str] = []
        for path in paths:
            shown = display_path(path)
            if not path.exists():
                problems.append(Problem(shown, None, "", "no existe este archivo"))
            elif not _inside(shown, catalog):
                problems.append(
                    Problem(shown, None, "", f"no está dentro del catálogo ({catalog}/)")
                )
            elif path.is_dir():
                folders.append(shown.rstrip("/") + "/")
            else:
                files.add(shown)
        if problems:
            raise CatalogError(problems)
        return cls(frozenset(files), tuple(folders))

    def covers(self, problem: Problem) -> bool:
        return problem.path in self.files or problem.path.startswith(self.folders)

    def names(self) -> str:
        return ", ".join(sorted([*self.files, *self.folders]))


def _inside(shown: str, catalog: str) -> bool:
    return shown == catalog or shown.startswith(catalog.rstrip("/") + "/")


def validate_catalog(
    catalog_dir: Path, paths: Sequence[Path], output_format: str, strict: bool
) -> int:
    selection = Selection.of(paths, catalog_dir)
    try:
        result = load_catalog(catalog_dir)
    except CatalogError as error:
        if selection is None:
            raise
        return report_selected_errors(error.problems, selection, output_format)
    warnings = [w for w in result.warnings if selection is None or selection.covers(w)]
    if warnings:
        print_report(warnings, output_format)
    if output_format != "text":
        return EXIT_PROBLEMS if warnings and strict else 0
    if warnings and strict:
        print(
            f"Falla la validación estricta (--strict): {summarize(warnings)}; con --strict los "
            "avisos cuentan como problemas.",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    catalog = result.catalog
    drafts = sum(1 for record in catalog.records if record.borrador)
    extra = f" ({plural(drafts, 'borrador', 'borradores')}, sin publicar)" if drafts else ""
    if selection is not None:
        notes = "; revisa los avisos de arriba" if warnings else ""
        print(f"Sin errores en {selection.names()}{notes}.")
        return 0
    print(
        f"Catálogo válido: {len(catalog.records)} registros en {len(catalog.sections)} "
        f"secciones{extra}."
    )
    return 0


def report_selected_errors(
    problems: Sequence[Problem], selection: Selection, output_format: str
) -> int:
    """The errors of the selected files; the others are only counted, so an editor sees
    their own file's problems first and knows whether the rest of the catalog is fine."""
    mine = [problem for problem in problems if selection.covers(problem)]
    others = {problem.path for problem in problems if not selection.covers(problem)}
    if mine:
        print_report(mine, output_format)
    elif output_format == "text":
        print(f"Sin errores en {selection.names()}.")
    if others and output_format == "text":
        print(
            f"Otros {plural(len(others), 'archivo', 'archivos')} del catálogo tienen problemas "
            "(revísalos con «python3 build.py validate»); los avisos se muestran cuando el "
            "catálogo no tiene problemas.",
            file=sys.stderr,
        )
    return EXIT_PROBLEMS if mine else 0


def print_report(problems: Sequence[Problem], output_format: str) -> None:
    sys.stdout.flush()
    stream = sys.stderr if output_format == "text" else sys.stdout
    print(report(problems, output_format), file=stream, flush=True)
