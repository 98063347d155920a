"""The link facts file, `catalog/_enlaces.yaml`: what each working URL serves, and how big.

`links` writes it after checking; the build reads it (settingsfiles.py, and never goes to the
network) to tell readers «PDF · 2,3 MB» before they tap (linksummary.py). One entry per URL, keys sorted, the same bytes for the
same facts:

    "https://example.org/a.pdf":
      tipo: application/pdf        # Content-Type, lowercase, without parameters
      bytes: 2412345               # Content-Length, only when the server gave it
      comprobado: 2026-11-30       # date of the last successful check (UTC)
      final: "https://example.org/b.pdf"   # only when redirects ended elsewhere
"""

from __future__ import annotations

import datetime
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from catalogo.catalog import LinkFact
from catalogo.models import check_web_url
from catalogo.problems import CatalogError, Problem, display_path
from catalogo.validation import problems_from_validation
from catalogo.yamlfile import Document, read_document

if TYPE_CHECKING:  # the build reads the facts without loading the HTTP client
    from catalogo.links import LinkResult

FACTS_FILE = "_enlaces.yaml"
HEADER = (
    "# Datos de los enlaces, anotados por «python3 build.py links». "
    "No hace falta editarlo a mano.\n"
)
def facts_path(catalog_dir: Path) -> Path:
    return catalog_dir / FACTS_FILE


def facts_from_results(
    results: Iterable[LinkResult], checked_on: datetime.date
) -> dict[str, LinkFact]:
    """The facts of every URL that answered this time (ok or moved)."""
    return {
        result.url: LinkFact(
            tipo=result.content_type,
            bytes=result.content_length,
            comprobado=checked_on,
            final=result.final_url,
        )
        for result in results
        if not result.is_dead
    }


def merge_facts(
    previous: Mapping[str, LinkFact],
    fresh: Mapping[str, LinkFact],
    catalog_urls: Iterable[str],
) -> dict[str, LinkFact]:
    """Fresh facts win; a URL that failed or was not checked this time keeps what it had, so a
    passing failure never erases facts; URLs no longer in the catalog are dropped."""
    merged: dict[str, LinkFact] = {}
    for url in sorted(set(catalog_urls)):
        fact = fresh.get(url) or previous.get(url)
        if fact is not None:
            merged[url] = fact
    return merged


def render_facts(facts: Mapping[str, LinkFact]) -> str:
    """The file's text: header, then one entry per URL in sorted order, fields in fixed order."""
    lines = [HEADER.rstrip("\n")]
    for url in sorted(facts):
        fact = facts[url]
        lines.append(f"{_quoted(url)}:")
        if fact.tipo is not None:
            lines.append(f"  tipo: {fact.tipo}")
        if fact.bytes is not None:
            lines.append(f"  bytes: {fact.bytes}")
        lines.append(f"  comprobado: {fact.comprobado.isoformat()}")
        if fact.final is not None:
            lines.append(f"  final: {_quoted(fact.final)}")
    if not facts:
        lines.append("{}")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar: JSON's string syntax is a subset of it."""
    return json.dumps(text, ensure_ascii=False)


def read_facts(path: Path) -> dict[str, LinkFact]:
    """The facts a previous run wrote; none when the file does not exist.

    Raises CatalogError, with the file and line, when the file cannot be used.
    """
    if not path.exists():
        return {}
    document = read_document(path, display_path(path))
    if isinstance(document, Problem):
        raise CatalogError([document])
    facts, problems = facts_from_document(document)
    if problems:
        raise CatalogError(problems)
    return facts


def facts_from_document(document: Document) -> tuple[dict[str, LinkFact], list[Problem]]:
    """The facts of a parsed facts file, or the problems (with their lines) that keep some
    of them from being used. The loader reports these with the catalog's other problems."""
    if document.data is None:
        return {}, []
    if not isinstance(document.data, dict):
        what = "no es una lista de direcciones con sus datos"
        return {}, [_unusable(document.display, document.line_of(()), what)]
    facts: dict[str, LinkFact] = {}
    problems: list[Problem] = []
    for key, value in document.data.items():
        url = str(key)
        try:
            check_web_url(url)
        except PydanticCustomError as error:
            where = document.line_of((url,))
            problems.append(_with_remedy(Problem(document.display, where, url, str(error))))
            continue
        try:
            facts[url] = LinkFact.model_validate(value)
        except ValidationError as error:
            found = problems_from_validation(error, document, LinkFact, prefix=(url,))
            problems += [_with_remedy(problem) for problem in found]
    return facts, problems


def _unusable(display: str, line: int, what: str) -> Problem:
    return _with_remedy(Problem(display, line, "", what))


def _with_remedy(problem: Problem) -> Problem:
    remedy = "; este archivo lo escribe «python3 build.py links»: bórralo y vuelve a ejecutarlo"
    return Problem(problem.path, problem.line, problem.field, problem.message + remedy)


def write_facts(path: Path, facts: Mapping[str, LinkFact]) -> bool:
    """Write the file when its bytes change (a quiet file keeps `serve` quiet); True if written.

    The new text goes to a temporary file that replaces the old one, so an interrupted run
    leaves the previous facts whole.
    """
    data = render_facts(facts).encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    descriptor, temporary = tempfile.mkstemp(prefix=".enlaces-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the facts are not
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True
