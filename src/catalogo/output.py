"""Write a rendered site so that the previous one survives anything that goes wrong, while
writing only what changed.

Two complete sites live side by side: the published one (`_site/`) and a spare copy of the
site before it (`_site.anterior/`). A build brings the spare up to date (writing only the
files whose bytes differ, linking unchanged ones from the published site), indexes it,
then swaps the two folders with renames. The published site is never written to, so a
build that fails or is killed at any moment leaves it exactly as it was. Each folder
carries a manifest (file -> digest) written last: a spare without one was interrupted
mid-update and is rebuilt from scratch. Leftovers of a killed build are cleaned, or the
previous site restored, on the next run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MARKER = ".catalogo-sitio"
MANIFEST = ".catalogo-manifiesto.json"
SEARCH_FOLDER = "pagefind"
MARKER_TEXT = b"Sitio generado por Catalogo; se reemplaza entero en cada build.\n"
MANIFEST_VERSION = 2  # 2: SHA-256 digests


# Files made from the finished site folder and the digests of its files (all but the search
# index), written into it just before the swap: the service worker lists them (offline.py).
FinishStep = Callable[[Path, Mapping[str, str]], Mapping[str, bytes]]


class OutputError(Exception):
    """The output folder cannot be used; the message says why, in Spanish."""


@dataclass(frozen=True)
class SearchStep:
    """How to (re)build the search index of a site folder, and what it is built from: an
    index built from the same pages (same `key`) is reused instead of rebuilt."""

    key: str
    run: Callable[[Path], int]
    later: bool = False  # keep the current index, even if stale: the caller reindexes soon


@dataclass(frozen=True)
class Published:
    """A file whose bytes are those the published site already holds under this digest
    (a render skipped thanks to the build cache): it is linked, never re-read."""

    digest: str


@dataclass(frozen=True)
class Packed:
    """A rendered file waiting, compressed, to be written. A one-off build holds every
    file from rendering to writing: at 10,000 records, 230 MB as plain bytes, 30 MB packed
    (zlib at its fastest level costs about a second of the 20 s build)."""

    data: bytes
    digest: str

    @classmethod
    def of(cls, content: bytes, content_digest: str) -> Packed:
        return cls(zlib.compress(content, 1), content_digest)

    def unpack(self) -> bytes:
        return zlib.decompress(self.data)


Content = bytes | Published | Packed


def content_digest(content: Content) -> str:
    return digest(content) if isinstance(content, bytes) else content.digest


@dataclass
class WriteReport:
    written: int = 0
    linked: int = 0
    kept: int = 0
    removed: int = 0
    bytes_written: int = 0
    search_pages: int | None = None  # None when the previous index was reused
    search_stale: bool = False  # the index predates these pages (SearchStep.later)


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


def digest(data: bytes) -> str:
    """A file's identity in the manifest. SHA-256, which processors compute in hardware
    (twice as fast as BLAKE2 here): a rebuild at 10,000 records digests 50 MB of data
    files. Half of it (128 bits) is plenty to tell versions of a file apart."""
    return hashlib.sha256(data).hexdigest()[:32]


# Manifests this process wrote or read, by what identifies one version of the file: a
# rebuild in `serve` reads the manifests of the site and of the spare folder, which at
# 10,000 records took 40 ms to parse each time. A renamed folder keeps its files' inodes.
ManifestStamp = tuple[int, int, int, int]
_manifests: dict[ManifestStamp, dict[str, object]] = {}
MANIFESTS_KEPT = 4


def _manifest_stamp(path: str | Path | int) -> ManifestStamp:
    status = os.stat(path)
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


def _remember_manifest(stamp: ManifestStamp, data: dict[str, object]) -> None:
    _manifests[stamp] = data
    while len(_manifests) > MANIFESTS_KEPT:
        del _manifests[next(iter(_manifests))]


def read_manifest(folder: Path) -> dict[str, object] | None:
    """The manifest of a complete site folder, or None (missing, unreadable, other version).
    The result is shared: callers must not change it."""
    path = folder / MANIFEST
    try:
        with open(path, "rb") as handle:
            stamp = _manifest_stamp(handle.fileno())
            known = _manifests.get(stamp)
            if known is not None:
                return known
            data = json.loads(handle.read().decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return None
    if not isinstance(data.get("files"), dict):
        return None
    _remember_manifest(stamp, data)
    return data


def manifest_files(manifest: dict[str, object] | None) -> dict[str, str]:
    files = manifest.get("files") if manifest else None
    return dict(files) if isinstance(files, dict) else {}


def collect_static(static_dir: Path | None) -> dict[str, bytes]:
    """The files of `static_dir`, published as `static/...`; links out of it never are."""
    files: dict[str, bytes] = {}
    if static_dir is None or not static_dir.is_dir():
        return files
    base = static_dir.resolve()
    for source in sorted(static_dir.rglob("*")):
        if source.is_dir() or source.name.startswith("."):
            continue
        if not source.resolve().is_relative_to(base):
            continue
        files["static/" + source.relative_to(static_dir).as_posix()] = source.read_bytes()
    return files


def prepare_staging(out_dir: Path) -> tuple[Path, dict[str, str], str | None]:
    """The folder to bring up to date, with what it holds: the spare when it is complete,
    otherwise a new empty folder."""
    spare = spare_folder(out_dir)
    manifest = read_manifest(spare) if spare.is_dir() and not spare.is_symlink() else None
    if manifest is not None and (spare / MARKER).is_file():
        (spare / MANIFEST).unlink()  # from here on the spare is mid-update
        search = manifest.get("search")
        return spare, manifest_files(manifest), search if isinstance(search, str) else None
    if spare.exists() or spare.is_symlink():
        if spare.is_dir() and not spare.is_symlink():
            shutil.rmtree(spare)
        else:
            spare.unlink()
    return new_staging(out_dir), {}, None


def update_tree(
    root: Path,
    files: Mapping[str, Content],
    held: Mapping[str, str],
    live: Path,
    live_files: Mapping[str, str],
    report: WriteReport,
    known: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Make `root` hold exactly `files` (plus the search folder); returns the new digests.

    Plain `os` calls on strings: at 40,000 files, pathlib and buffered files cost more
    than the disk."""
    known = known or {}
    digests = {
        relative: known.get(relative) or content_digest(data) for relative, data in files.items()
    }
    emptied: set[Path] = set()
    for relative in sorted(set(held) - set(digests)):
        target = safe_target(root, relative)
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
            report.removed += 1
            emptied.add(target.parent)
    base = os.fspath(root)
    live_base = os.fspath(live)
    folders: set[str] = {base}
    fresh = not held  # a new folder: nothing to unlink first
    for relative, data in files.items():
        wanted = digests[relative]
        if held.get(relative) == wanted:
            report.kept += 1
            continue
        safe_target(root, relative)  # refuses anything that could leave the folder
        file_path = os.path.join(base, *relative.split("/"))
        folder = os.path.dirname(file_path)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        if not fresh:
            # Files may be hard links shared with the published site: never write into one.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(file_path)
        if live_files.get(relative) == wanted:
            try:
                os.link(os.path.join(live_base, *relative.split("/")), file_path)
                report.linked += 1
                continue
            except OSError:
                pass
        if isinstance(data, Published):
            data = (live / relative).read_bytes()  # the link failed: copy the bytes
        elif isinstance(data, Packed):
            data = data.unpack()
        write_file(file_path, data)
        report.written += 1
        report.bytes_written += len(data)
    prune_empty_folders(root, emptied)
    return digests


def add_files(root: Path, files: Mapping[str, bytes], report: WriteReport) -> dict[str, str]:
    """Write `files` into `root` (never into a file it may share with the published site);
    returns their digests."""
    digests = {}
    for relative, data in files.items():
        target = safe_target(root, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        write_file(os.fspath(target), data)
        report.written += 1
        report.bytes_written += len(data)
        digests[relative] = digest(data)
    return digests


WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def write_file(path: str, data: bytes) -> None:
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


def update_search(
    root: Path,
    search: SearchStep | None,
    held_key: str | None,
    live: Path,
    live_key: object,
    report: WriteReport,
) -> str | None:
    """Reuse, copy or rebuild the search index so that it matches the pages in `root`."""
    folder = root / SEARCH_FOLDER
    if search is None:
        shutil.rmtree(folder, ignore_errors=True)
        return None
    if held_key == search.key and folder.is_dir():
        return search.key
    if search.later and folder.is_dir() and held_key is not None:
        report.search_stale = True
        return held_key
    shutil.rmtree(folder, ignore_errors=True)
    if search.later and isinstance(live_key, str) and (live / SEARCH_FOLDER).is_dir():
        try:
            shutil.copytree(live / SEARCH_FOLDER, folder, copy_function=os.link)
            report.search_stale = live_key != search.key
            return live_key
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)
    if live_key == search.key and (live / SEARCH_FOLDER).is_dir():
        try:
            shutil.copytree(live / SEARCH_FOLDER, folder, copy_function=os.link)
            return search.key
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)
    report.search_pages = search.run(root)
    return search.key


def write_manifest(root: Path, files: Mapping[str, str], search_key: str | None) -> None:
    temporary = root / (MANIFEST + ".tmp")
    data: dict[str, object] = {
        "version": MANIFEST_VERSION,
        "search": search_key,
        "files": dict(sorted(files.items())),
    }
    temporary.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    stamp = _manifest_stamp(temporary)
    os.replace(temporary, root / MANIFEST)
    _remember_manifest(stamp, data)


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


def write_site(
    files: Mapping[str, Content],
    static_dir: Path | None,
    out_dir: Path,
    search: SearchStep | None = None,
    protected: list[Path] | None = None,
    known_digests: Mapping[str, str] | None = None,
    finish: FinishStep | None = None,
) -> WriteReport:
    """Bring the spare folder up to date with `files` and `static_dir` (as `static/`), index
    it, add what `finish` makes of the complete folder, and swap it in. A disk that is full
    or read-only is an OutputError (a message, not a traceback); the previous site is left
    as it was."""
    report = WriteReport()
    try:
        check_output_folder(out_dir, protected or [])
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        recover_interrupted(out_dir)
        staging, held, held_search = prepare_staging(out_dir)
    except OSError as error:
        raise OutputError(cannot_write(out_dir, error)) from error
    live_manifest = read_manifest(out_dir) if out_dir.is_dir() else None
    everything: dict[str, Content] = {**files, **collect_static(static_dir), MARKER: MARKER_TEXT}
    try:
        digests = update_tree(
            staging, everything, held, out_dir, manifest_files(live_manifest), report, known_digests
        )
        everything.clear()  # written: the indexer need not run beside every page in memory
        live_search = live_manifest.get("search") if live_manifest else None
        search_key = update_search(staging, search, held_search, out_dir, live_search, report)
        if finish is not None:
            digests.update(add_files(staging, finish(staging, digests), report))
        write_manifest(staging, digests, search_key)
        swap_in(staging, out_dir)
    except BaseException as error:
        # The staging folder has no manifest: the next build starts it afresh.
        if staging != spare_folder(out_dir):
            shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, OSError):
            raise OutputError(cannot_write(out_dir, error)) from error
        raise
    return report


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
