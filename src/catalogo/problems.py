"""Problems found in a catalog, and how they are reported to editors.

A Problem always names a file and, when known, a line, so an editor can open the file
and fix it. Messages are in Spanish: editors are Spanish speakers.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or doubtful) in one file of the catalog."""

    path: str
    line: int | None
    field: str
    message: str
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def problem_order(problem: Problem) -> tuple[str, int, str, str, str]:
    """The one order of problems: by file, line (a problem without a line first), field,
    message. A key function rather than the dataclass comparison, which compares None with
    numbers and took a tenth of a second to sort the warnings of 10,000 records."""
    return (problem.path, problem.line or 0, problem.field, problem.message, problem.severity)


class CatalogError(Exception):
    """Raised when a catalog has errors; carries every problem found, not just the first."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems, key=problem_order)
        super().__init__(f"{len(self.problems)} problemas en el catálogo")

    def __reduce__(self) -> tuple[type[CatalogError], tuple[list[Problem]]]:
        """Pickled with its problems: a build's worker process sends it to the parent."""
        return (CatalogError, (self.problems,))


def display_path(path: Path) -> str:
    """The path as an editor would type it: relative to the working folder when inside it.

    String operations rather than pathlib: a 10,000-record catalog asks this 20,000 times
    per build."""
    absolute = os.path.abspath(path)
    prefix = os.path.join(os.getcwd(), "")
    shown = absolute[len(prefix) :] if absolute.startswith(prefix) else absolute
    return shown.replace(os.sep, "/")


def suggest(value: str, choices: Iterable[str]) -> str:
    """A Spanish 'did you mean' hint, or an empty string when nothing is close enough."""
    options = sorted(set(choices))
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    if not close:
        lowered = {option.lower(): option for option in options}
        close = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
        close = [lowered[c] for c in close]
    return f" ¿Quisiste decir «{close[0]}»?" if close else ""


def list_choices(choices: Iterable[str], limit: int = 12) -> str:
    """Valid values, for messages: «a», «b», «c»..."""
    options = sorted(set(choices))
    shown = ", ".join(f"«{option}»" for option in options[:limit])
    if len(options) > limit:
        shown += f" y {len(options) - limit} más"
    return shown


def plural(count: int, singular: str, plural_form: str) -> str:
    return f"{count} {singular if count == 1 else plural_form}"


def format_problem(problem: Problem, output_format: str = "text") -> str:
    location = f"{problem.path}:{problem.line}" if problem.line else problem.path
    field = f"{problem.field}: " if problem.field else ""
    if output_format == "github":
        kind = "error" if problem.is_error else "warning"
        line = f",line={problem.line}" if problem.line else ""
        message = _escape_github(f"{field}{problem.message}")
        return f"::{kind} file={_escape_github_property(problem.path)}{line}::{message}"
    prefix = "" if problem.is_error else "aviso: "
    return f"{location}: {prefix}{field}{problem.message}"


def summarize(problems: Sequence[Problem]) -> str:
    """`3 problemas en 2 archivos`, plus warnings when there are any."""
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    parts = []
    if errors or not warnings:
        files = len({p.path for p in errors})
        parts.append(
            f"{plural(len(errors), 'problema', 'problemas')} en {plural(files, 'archivo', 'archivos')}"
        )
    if warnings:
        files = len({p.path for p in warnings})
        parts.append(
            f"{plural(len(warnings), 'aviso', 'avisos')} en {plural(files, 'archivo', 'archivos')}"
        )
    return "; ".join(parts)


def report(problems: Sequence[Problem], output_format: str = "text") -> str:
    """Every problem, one per line, errors first, then the summary line."""
    ordered = sorted(problems, key=lambda p: (not p.is_error, *problem_order(p)))
    lines = [format_problem(p, output_format) for p in ordered]
    lines.append(summarize(problems))
    return "\n".join(lines)


def _escape_github(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_github_property(text: str) -> str:
    return _escape_github(text).replace(":", "%3A").replace(",", "%2C")
