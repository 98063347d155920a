"""The site's folders on disk: bring a spare copy of the site up to date, then swap it in,
so the published site survives anything that goes wrong while only changed files are
written.

Two complete sites live side by side: the published one (`_site/`) and a spare copy of the
site before it (`_site.anterior/`). A build opens the spare as its stage and brings it up to
date one file at a time (Stage.put: a file whose bytes it already holds is kept, one the
published site holds is hard-linked from it, anything else is written), removes what the
new site no longer has, and swaps the two folders with renames. The published site is
never written to, so a build that fails or is killed at any moment leaves it exactly as it
was. Each folder carries a manifest (file -> digest, and what its search index and
printable catalog were made from) written last: a spare without one was interrupted
mid-update and is rebuilt from scratch. Leftovers of a killed build are cleaned, or the
previous site restored, on the next run.

Stage.put is safe to call from several processes at once (render.py writes pages from a
pool of forked workers): each file is written by one of them, and folders are made with
exist_ok.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from catalogo.digests import digest

MARKER = ".catalogo-sitio"
MANIFEST = ".catalogo-manifiesto.json"
MARKER_TEXT = b"Sitio generado por Catalogo; se reemplaza entero en cada build.\n"
MANIFEST_VERSION = 2  # 2: SHA-256 digests
WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


class OutputError(Exception):
    """The output folder cannot be used; the message says why, in Spanish."""


class Outcome(Enum):
    KEPT = "kept"  # the stage already held these bytes
    LINKED = "linked"  # hard-linked from the published site
    WRITTEN = "written"


@dataclass
class WriteReport:
    written: int = 0
    linked: int = 0
    kept: int = 0
    removed: int = 0
    bytes_written: int = 0

    def count(self, outcome: Outcome, size: int = 0) -> None:
        if outcome is Outcome.KEPT:
            self.kept += 1
        elif outcome is Outcome.LINKED:
            self.linked += 1
        else:
            self.written += 1
            self.bytes_written += size

    def add(self, other: WriteReport) -> None:
        self.written += other.written
        self.linked += other.linked
        self.kept += other.kept
        self.removed += other.removed
        self.bytes_written += other.bytes_written


@dataclass(frozen=True)
class Manifest:
    """What a complete site folder holds: each file's digest, and what its derived parts
    (the search index, the printable catalog) were made from, by name."""

    files: Mapping[str, str] = field(default_factory=dict)
    made_from: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Stage:
    """The folder a build brings up to date (the spare, or a new one), with what it holds
    and what the published site holds."""

    out_dir: Path
    root: Path
    held: Manifest  # what `root` holds (empty when it is new)
    live: Manifest  # what the published site holds
    report: WriteReport = field(default_factory=WriteReport)
    # Folders known to exist: a failed mkdir and the stat after it cost more than the write.
    folders: set[str] = field(default_factory=set)

    def put(self, relative: str, data: bytes) -> str:
        """Make the stage hold `data` at `relative`; returns its digest."""
        wanted = digest(data)
        if self.held.files.get(relative) == wanted:
            self.report.count(Outcome.KEPT)
            return wanted
        file_path = self.prepare(relative)
        if self.live.files.get(relative) == wanted and self.link(relative, file_path):
            self.report.count(Outcome.LINKED)
            return wanted
        write_file(file_path, data)
        self.report.count(Outcome.WRITTEN, len(data))
        return wanted

    def reuse(self, relative: str, wanted: str) -> bool:
        """Hold the file whose digest is `wanted` without its bytes: kept if the stage has
        it, linked if the published site has it; False if neither (then it must be made)."""
        if self.held.files.get(relative) == wanted:
            self.report.count(Outcome.KEPT)
            return True
        if self.live.files.get(relative) != wanted:
            return False
        if self.link(relative, self.prepare(relative)):
            self.report.count(Outcome.LINKED)
            return True
        return False

    def prepare(self, relative: str) -> str:
        """The file's path in the stage, its folder made and any previous file removed:
        files may be hard links shared with the published site, never written through."""
        file_path = os.path.join(self.root, *safe_parts(relative))
        folder = os.path.dirname(file_path)
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)
        if relative in self.held.files:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(file_path)
        return file_path

    def link(self, relative: str, file_path: str) -> bool:
        try:
            os.link(os.path.join(self.out_dir, *relative.split("/")), file_path)
        except OSError:
            return False
        return True

    def remove_others(self, files: Mapping[str, str]) -> None:
        """Remove what the stage held and the new site does not have, and the folders that
        leaves empty."""
        emptied: set[Path] = set()
        for relative in sorted(set(self.held.files) - set(files)):
            target = self.root.joinpath(*safe_parts(relative))
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
                self.report.removed += 1
                emptied.add(target.parent)
        prune_empty_folders(self.root, emptied)

    def discard(self) -> None:
        """After a failure: a new folder goes; the spare stays, without a manifest, so the
        next build starts it afresh."""
        if self.root != spare_folder(self.out_dir):
            shutil.rmtree(self.root, ignore_errors=True)


def safe_parts(relative: str) -> list[str]:
    """The parts of a path inside the site; anything that could escape it is refused."""
    parts = relative.split("/")
    if "\\" in relative or ":" in relative or any(part in ("", ".", "..") for part in parts):
        raise OutputError(f"ruta de salida no permitida: {relative!r}")
    return parts


def write_file(path: str, data: bytes) -> None:
    """Plain `os` calls on strings: at 40,000 files, pathlib and buffered files cost more
    than the disk."""
    handle = os.open(path, WRITE_FLAGS, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
    finally:
        os.close(handle)


def prune_empty_folders(root: Path, folders: set[Path]) -> None:
    """Remove the folders left empty by removed pages, and their empty parents."""
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        while folder != root and folder.is_relative_to(root):
            try:
                folder.rmdir()  # only succeeds when empty
            except OSError:
                break
            folder = folder.parent


def spare_folder(out_dir: Path) -> Path:
    return out_dir.parent / f"{out_dir.name}.anterior"


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
    """Undo what a killed build left: restore the site if it was moved aside, keep a
    complete previous site as the spare, drop half-written folders."""
    parent = out_dir.parent
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(f"{out_dir.name}.old-*"))
    if not out_dir.exists() and olds:
        os.replace(olds.pop(), out_dir)
    spare = spare_folder(out_dir)
    for old in olds:
        if not spare.exists() and read_manifest(old) is not None:
            os.replace(old, spare)
        else:
            shutil.rmtree(old, ignore_errors=True)
    for leftover in parent.glob(f"{out_dir.name}.tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def read_manifest(folder: Path) -> Manifest | None:
    """The manifest of a complete site folder, or None (missing, unreadable, other version)."""
    try:
        data = json.loads((folder / MANIFEST).read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return None
    files = data.get("files")
    made_from = data.get("made_from", {})
    if not isinstance(files, dict) or not isinstance(made_from, dict):
        return None
    return Manifest(files, made_from)


def write_manifest(root: Path, manifest: Manifest) -> None:
    temporary = root / (MANIFEST + ".tmp")
    data: dict[str, object] = {
        "version": MANIFEST_VERSION,
        "made_from": dict(sorted(manifest.made_from.items())),
        "files": dict(sorted(manifest.files.items())),
    }
    temporary.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    os.replace(temporary, root / MANIFEST)


def open_stage(out_dir: Path, protected: list[Path]) -> Stage:
    """The stage of a build: the spare folder when it is complete (its manifest is removed
    first: from here on it is mid-update), otherwise a new empty folder. A folder that
    cannot be used is an OutputError, a message for the editor."""
    try:
        check_output_folder(out_dir, protected)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        recover_interrupted(out_dir)
        live = read_manifest(out_dir) if out_dir.is_dir() else None
        spare = spare_folder(out_dir)
        held = read_manifest(spare) if spare.is_dir() and not spare.is_symlink() else None
        if held is not None and (spare / MARKER).is_file():
            (spare / MANIFEST).unlink()
            return Stage(out_dir, spare, held, live or Manifest())
        if spare.is_dir() and not spare.is_symlink():
            shutil.rmtree(spare)
        elif spare.exists() or spare.is_symlink():
            spare.unlink()
        return Stage(out_dir, new_folder(out_dir), Manifest(), live or Manifest())
    except OSError as error:
        raise OutputError(cannot_write(out_dir, error)) from error


def stage_static(stage: Stage, static_dir: Path | None) -> dict[str, str]:
    """The files of `static_dir`, published as `static/...` (links out of it never are),
    and the marker that says the folder is a site built by Catálogo."""
    files = {MARKER: stage.put(MARKER, MARKER_TEXT)}
    if static_dir is None or not static_dir.is_dir():
        return files
    base = static_dir.resolve()
    for source in sorted(static_dir.rglob("*")):
        if source.is_dir() or source.name.startswith("."):
            continue
        if not source.resolve().is_relative_to(base):
            continue
        relative = "static/" + source.relative_to(static_dir).as_posix()
        files[relative] = stage.put(relative, source.read_bytes())
    return files


def publish(stage: Stage, manifest: Manifest) -> None:
    """Make the stage hold exactly the files of `manifest`, write the manifest, and swap
    the stage in: the published site becomes the spare."""
    try:
        stage.remove_others(manifest.files)
        write_manifest(stage.root, manifest)
        swap_in(stage.root, stage.out_dir)
    except OSError as error:
        raise OutputError(cannot_write(stage.out_dir, error)) from error


def swap_in(new_dir: Path, out_dir: Path) -> None:
    """Publish `new_dir` as `out_dir` with renames; the previous site becomes the spare."""
    spare = spare_folder(out_dir)
    if not out_dir.exists():
        os.replace(new_dir, out_dir)
        return
    old = out_dir.parent / f"{out_dir.name}.old-{os.getpid()}"
    os.replace(out_dir, old)
    try:
        os.replace(new_dir, out_dir)
    except OSError:
        os.replace(old, out_dir)
        raise
    if spare.exists():
        shutil.rmtree(spare, ignore_errors=True)
    os.replace(old, spare)


def new_folder(out_dir: Path) -> Path:
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
