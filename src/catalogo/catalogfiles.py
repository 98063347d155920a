"""The files of a catalog folder: which are records (`<seccion>/<id>.yaml`, found section
by section in a stable order), and a problem for every other file that does not belong.

Files that look like records but would not be read get a problem with the name to use,
instead of being skipped without a word: a record saved by Notepad as `guia.yaml.txt`, a
`.yml` or `.json` file, an editor's backup copy. So do links that lead out of the catalog,
folders that are not sections, and files in the wrong place.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from catalogo.catalog import Section
from catalogo.models import SLUG
from catalogo.problems import Problem, Severity, display_path, list_choices, suggest

RECORD_SUFFIX = ".yaml"
IGNORED_SUFFIXES = (".md", ".txt")  # notes for editors
BACKUP_SUFFIXES = (".bak", ".orig", ".old", ".backup")
NOTEPAD_SUFFIXES = (".yaml.txt", ".yml.txt")
RecordFile = tuple[str, Path, str]  # its section, its path, its path as shown


def find_record_files(
    root: Path,
    sections: dict[str, Section] | None,
    problems: list[Problem],
    paths: dict[str, Path] | None = None,
) -> list[RecordFile]:
    """Find the record files, section by section, in a stable order. `sections` is None
    when _secciones.yaml could not be read: then no folder is refused for not being one."""
    records: list[RecordFile] = []
    known = sections or {}
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        name = entry.name
        if name.startswith(("_", ".")):
            continue
        display = display_path(entry)
        unread = unread_file_problem(display, name, set())
        if unread is not None:
            problems.append(unread)
            continue
        if name.endswith(IGNORED_SUFFIXES):
            continue
        outside = escapes(root, entry)
        if outside:
            problems.append(Problem(display, None, "", outside))
        elif not entry.is_dir():
            problems.append(
                Problem(
                    display,
                    None,
                    "",
                    "los registros van dentro de la carpeta de su sección, por ejemplo "
                    f"objetivo-1/{entry.stem}.yaml",
                )
            )
        elif sections is not None and name not in known:
            problems.append(_not_a_section(display, name, known))
        else:
            records.extend(
                (name, path, display)
                for path, display in _find_in_section(root, entry, problems, paths)
            )
    return records


def _not_a_section(display: str, name: str, sections: dict[str, Section]) -> Problem:
    return Problem(
        display,
        None,
        "",
        f"la carpeta «{name}» no es una sección.{suggest(name, sections)} "
        f"Secciones: {list_choices(sections) or 'ninguna todavía'} (se definen en "
        "_secciones.yaml)",
    )


def _find_in_section(
    root: Path, folder: Path, problems: list[Problem], paths: dict[str, Path] | None
) -> Iterator[tuple[Path, str]]:
    """The records of one section folder. `paths` keeps the Path of each file seen before:
    making 10,000 Path objects took a tenth of a second on every rebuild of `serve`."""
    folder_display = display_path(folder)
    with os.scandir(folder) as found:
        listing = sorted(found, key=lambda item: item.name)
    names = {item.name for item in listing}
    for item in listing:
        name = item.name
        if name.startswith("."):
            continue  # hidden: editors' swap files, system files
        display = f"{folder_display}/{name}"
        if (
            name.endswith(RECORD_SUFFIX)
            and not item.is_symlink()
            and item.is_file(follow_symlinks=False)
            and SLUG.fullmatch(name[: -len(RECORD_SUFFIX)])
        ):
            yield _known_path(item.path, paths), display  # the usual case, without pathlib's checks
            continue
        entry = Path(item.path)
        problem = _section_file_problem(root, folder, entry, display, names)
        if problem is not None:
            problems.append(problem)
        elif entry.suffix == RECORD_SUFFIX:  # a link to a record elsewhere in the catalog
            yield entry, display


def _known_path(path: str, paths: dict[str, Path] | None) -> Path:
    known = paths.get(path) if paths is not None else None
    if known is None:
        known = Path(path)
        if paths is not None:
            paths[path] = known
    return known


def _section_file_problem(
    root: Path, folder: Path, entry: Path, display: str, names: set[str]
) -> Problem | None:
    """Why a file in a section folder that is not plainly a record is not read, if it is
    not (a link inside the catalog to a record is read)."""
    outside = escapes(root, entry)
    if outside:
        return Problem(display, None, "", outside)
    unread = unread_file_problem(display, entry.name, names)
    if unread is not None:
        return unread
    if entry.is_dir():
        return Problem(
            display,
            None,
            "",
            "no se admiten subcarpetas dentro de una sección; mueve sus registros a "
            f"{display_path(folder)}/",
        )
    if entry.suffix != RECORD_SUFFIX:
        if entry.name.endswith(IGNORED_SUFFIXES):
            return None
        return Problem(
            display,
            None,
            "",
            "archivo inesperado en una sección: aquí solo van registros «.yaml» "
            "(y notas «.md»); muévelo fuera del catálogo",
        )
    if not SLUG.fullmatch(entry.stem):
        return Problem(
            display,
            None,
            "",
            f"el nombre «{entry.stem}» no sirve como identificador; usa minúsculas sin "
            f"tildes, cifras y guiones: renómbralo a «{slugify(entry.stem)}.yaml»",
        )
    return None


def escapes(root: Path, path: Path) -> str:
    """A message when `path` is a link that leads out of the catalog folder."""
    if not path.is_symlink():
        return ""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "es un enlace simbólico roto; bórralo o reemplázalo por el archivo"
    if not target.is_relative_to(root.resolve()):
        return (
            "es un enlace simbólico que apunta fuera del catálogo; copia aquí el archivo "
            "en lugar de enlazarlo"
        )
    return ""


def slugify(text: str) -> str:
    """An id from any text: lowercase ascii letters, digits and hyphens."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = "".join(ch if ch.isalnum() else " " for ch in plain.lower()).split()
    return "-".join(words)[:80].strip("-") or "registro"


def unread_file_problem(display: str, name: str, siblings: set[str]) -> Problem | None:
    """Why a file named `name` is not read and what to call it, or None if it is not a
    record in disguise. `siblings` are the other names in its folder."""
    lowered = name.lower()
    if is_backup(name):
        target = backup_target(name)
        if target in siblings:
            message = (
                f"es una copia de seguridad de {target} y no se lee; bórrala si ya no la "
                "necesitas"
            )
        else:
            message = (
                "es una copia de seguridad y no se lee: si es el registro que quieres publicar, "
                f"renómbrala a «{target}»; si no, bórrala"
            )
        return Problem(display, None, "", message, Severity.WARNING)
    if lowered.endswith(NOTEPAD_SUFFIXES):
        stem = name[: lowered.rindex(".y")]
        return Problem(
            display,
            None,
            "",
            f"no se lee porque su nombre termina en «.txt» (el Bloc de notas lo añade al "
            f"guardar): renómbralo a «{stem}{RECORD_SUFFIX}» (en el Explorador de Windows, "
            "activa «Vista» → «Extensiones de nombre de archivo» para ver el nombre completo)",
        )
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        return None
    if suffix.lower() in ("yml", "yaml") and suffix != "yaml":
        return Problem(
            display,
            None,
            "",
            f"no se lee: la extensión debe ser «.yaml», en minúsculas; renómbralo a «{stem}.yaml»",
        )
    if suffix.lower() == "json":
        return Problem(
            display,
            None,
            "",
            "no se lee: los registros se escriben en YAML, no en JSON; si es un registro, "
            f"guárdalo como «{stem}.yaml»; si no, sácalo de la carpeta del catálogo",
        )
    return None


def is_backup(name: str) -> bool:
    return (
        name.endswith("~")
        or name.lower().endswith(BACKUP_SUFFIXES)
        or (name.startswith("#") and name.endswith("#") and len(name) > 2)
    )


def backup_target(name: str) -> str:
    """The name the backed-up file has (or had): `guia.yaml~`, `guia.yaml.bak`, `guia.bak`
    and `#guia.yaml#` are copies of `guia.yaml`."""
    base = name.rstrip("~")
    if base.startswith("#") and base.endswith("#"):
        base = base[1:-1]
    lowered = base.lower()
    for suffix in BACKUP_SUFFIXES:
        if lowered.endswith(suffix):
            base = base[: -len(suffix)]
            break
    return base if base.endswith(RECORD_SUFFIX) else f"{base}{RECORD_SUFFIX}"
