"""Write a rendered site so that the previous one survives anything that goes wrong.

Everything is written into a fresh folder beside the output (`_site.tmp-*`), then swapped
in with two renames. A build that fails, or is killed, leaves the previous site as it was;
the leftovers of a killed build are cleaned (or the previous site restored) on the next run.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath

MARKER = ".catalogo-sitio"


class OutputError(Exception):
    """The output folder cannot be used; the message says why, in Spanish."""


def safe_target(root: Path, relative: str) -> Path:
    """The file for `relative` inside `root`; anything that could escape `root` is refused."""
    pure = PurePosixPath(relative)
    if (
        not relative
        or pure.is_absolute()
        or "\\" in relative
        or ":" in relative
        or any(part in ("", ".", "..") for part in relative.split("/"))
    ):
        raise OutputError(f"ruta de salida no permitida: {relative!r}")
    return root.joinpath(*pure.parts)


def check_output_folder(out_dir: Path, protected: list[Path]) -> None:
    """Refuse to replace a folder that is not a site built by Catálogo."""
    resolved = out_dir.resolve()
    for folder in protected:
        guarded = folder.resolve()
        if resolved == guarded or guarded.is_relative_to(resolved):
            raise OutputError(
                f"la carpeta de salida {out_dir} contiene o es {folder}; elige otra con --out"
            )
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise OutputError(f"{out_dir} no es una carpeta; elige otra salida con --out")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
        raise OutputError(
            f"la carpeta {out_dir} ya existe y no es un sitio generado por Catálogo; "
            "no se sobrescribe: elige otra con --out o bórrala tú"
        )


def recover_interrupted(out_dir: Path) -> None:
    """Undo what a killed build left: restore the site if it was moved aside, drop temps."""
    parent = out_dir.parent
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(f"{out_dir.name}.old-*"))
    if not out_dir.exists() and olds:
        os.replace(olds[-1], out_dir)
        olds = olds[:-1]
    for leftover in [*olds, *parent.glob(f"{out_dir.name}.tmp-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def write_tree(root: Path, files: Mapping[str, bytes], static_dir: Path | None) -> int:
    """Write files and a copy of `static_dir` (as `static/`) into `root`; bytes written."""
    written = 0
    folders: set[Path] = set()
    for relative, data in files.items():
        target = safe_target(root, relative)
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        target.write_bytes(data)
        written += len(data)
    if static_dir is not None and static_dir.is_dir():
        base = static_dir.resolve()
        for source in sorted(static_dir.rglob("*")):
            if source.is_dir() or source.name.startswith("."):
                continue
            if not source.resolve().is_relative_to(base):
                continue  # a link out of static/ is never published
            target = root / "static" / source.relative_to(static_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            written += target.stat().st_size
    (root / MARKER).write_text(
        "Sitio generado por Catálogo; se reemplaza entero en cada build.\n", encoding="utf-8"
    )
    return written


def swap_in(new_dir: Path, out_dir: Path) -> None:
    """Replace `out_dir` by `new_dir` with renames, never leaving a half-written site."""
    if out_dir.exists():
        old = out_dir.parent / f"{out_dir.name}.old-{os.getpid()}"
        os.replace(out_dir, old)
        try:
            os.replace(new_dir, out_dir)
        except OSError:
            os.replace(old, out_dir)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(new_dir, out_dir)


def write_site(
    files: Mapping[str, bytes],
    static_dir: Path | None,
    out_dir: Path,
    finish: Callable[[Path], None] | None = None,
    protected: list[Path] | None = None,
) -> int:
    """Write everything into a temporary folder beside `out_dir`, run `finish` on it (the
    search index), then swap it in. Returns the bytes written by this module.

    A disk that is full or read-only is an OutputError (a message, not a traceback); the
    previous site is left as it was."""
    try:
        check_output_folder(out_dir, protected or [])
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        recover_interrupted(out_dir)
        staging = new_staging(out_dir)
    except OSError as error:
        raise OutputError(cannot_write(out_dir, error)) from error
    try:
        written = write_tree(staging, files, static_dir)
        if finish is not None:
            finish(staging)
        swap_in(staging, out_dir)
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, OSError):
            raise OutputError(cannot_write(out_dir, error)) from error
        raise
    return written


def new_staging(out_dir: Path) -> Path:
    """An empty `<out>.tmp-<pid>-<random>` folder beside `out_dir`.

    Made with a plain mkdir (not tempfile.mkdtemp, whose folder is private, 0700): the
    staging folder becomes the published site, which must keep the usual permissions so a
    web server running as another user can read it."""
    while True:
        candidate = out_dir.parent / f"{out_dir.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}"
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        return candidate


def cannot_write(out_dir: Path, error: OSError) -> str:
    reason = error.strerror or type(error).__name__
    where = f" ({error.filename})" if error.filename else ""
    return (
        f"no se pudo escribir el sitio en {out_dir}: {reason}{where}; el sitio anterior "
        "sigue como estaba"
    )
