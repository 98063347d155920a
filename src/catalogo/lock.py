"""One build at a time per output folder, across processes.

Two builds writing the same `--out` at once (a `build` while `serve` rebuilds, two
terminals) would interleave their updates of the spare folder and their swaps. Each build
holds an exclusive lock on `<out>.lock`, beside the output folder; a second build waits
until the first is done (and says so). The operating system releases the lock when a
process ends, even when it is killed, so a crashed build never blocks the next one.

The lock file is removed when the build ends, so nothing is left beside the site. Removing
it is safe because a waiting process, once it holds the lock, checks that the file it
locked is still the one at that path, and starts over if not.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

POLL_SECONDS = 0.1  # Windows has no blocking lock with a wait of our choosing


def lock_path(out_dir: Path) -> Path:
    return out_dir.with_name(out_dir.name + ".lock")


@contextlib.contextmanager
def output_lock(out_dir: Path, on_wait: Callable[[Path], None] | None = None) -> Iterator[None]:
    """Hold the output folder's lock; call `on_wait` once if another build holds it."""
    path = lock_path(out_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = _acquire(path, out_dir, on_wait)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):  # Windows refuses while another process waits
            os.unlink(path)
        _release(descriptor)


def _acquire(path: Path, out_dir: Path, on_wait: Callable[[Path], None] | None) -> int:
    warned = False
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if not _try_lock(descriptor):
                if on_wait is not None and not warned:
                    on_wait(out_dir)
                warned = True
                _wait_lock(descriptor)
            if _still_there(descriptor, path):
                return descriptor
        except BaseException:
            os.close(descriptor)
            raise
        os.close(descriptor)  # the holder removed the file as it finished: lock the new one


def _still_there(descriptor: int, path: Path) -> bool:
    if sys.platform == "win32":
        return True  # an open file cannot be removed there
    try:
        current = os.stat(path)
    except FileNotFoundError:
        return False
    locked = os.fstat(descriptor)
    return (current.st_dev, current.st_ino) == (locked.st_dev, locked.st_ino)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(descriptor: int) -> bool:
        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _wait_lock(descriptor: int) -> None:
        while not _try_lock(descriptor):
            time.sleep(POLL_SECONDS)

    def _release(descriptor: int) -> None:
        with contextlib.suppress(OSError):
            os.lseek(descriptor, 0, os.SEEK_SET)
            msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)
        os.close(descriptor)

else:
    import fcntl

    def _try_lock(descriptor: int) -> bool:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _wait_lock(descriptor: int) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_EX)

    def _release(descriptor: int) -> None:
        os.close(descriptor)  # closing releases the lock
