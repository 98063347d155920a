"""Work in forked processes: the site's pages and the catalog's Markdown across the
machine's cores, the printable catalog beside them, and the record files of a large one-off
load (recordreader.py).

Work is split in fixed shares, one per process (run_shares), or in pieces that each
process takes as it is free (run_pulled, Pulled). A forked child starts with everything the
build has loaded (the catalog, its views, the Jinja environment), so nothing is sent to it
but piece numbers; it sends back one pickled answer through a pipe. Only on Linux, where
fork is safe and cheap; elsewhere the callers do the work themselves, one piece after
another. A child dies with its parent (a killed build leaves no
worker writing into a folder the next build uses), and an exception in a child is raised in
the parent: a catalog or template problem as itself, anything else with the child's
traceback.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import itertools
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable
from typing import Any, BinaryIO, Generic, TypeVar

T = TypeVar("T")
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies


class WorkerError(RuntimeError):
    """A worker process failed in a way that is a bug, not the editor's problem."""


def can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class Child(Generic[T]):
    """A forked process working on one answer."""

    def __init__(self, pid: int, reader: int) -> None:
        self.pid = pid
        self.reader = reader

    def result(self) -> T:
        """Wait for the answer; raise what the child raised."""
        answer = None
        try:
            with open(self.reader, "rb", closefd=False) as pipe:
                answer = _unpickle(pipe)
        finally:
            os.close(self.reader)
            _, status = os.waitpid(self.pid, 0)
        if answer is None:
            raise WorkerError(f"un proceso auxiliar terminó sin responder (estado {status})")
        kind, value = answer
        if kind == "error":
            raise value
        return value  # type: ignore[no-any-return]

    def cancel(self) -> None:
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.close(self.reader)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _unpickle(pipe: BinaryIO) -> tuple[str, Any] | None:
    """The answer in the pipe, unpickled as it comes, or None if the child did not write a
    whole one. Read as it comes, no copy of a large answer is kept whole: two copies of
    half a 10,000-record catalog (12 MB each) left 28 MB that the parent did not give back."""
    try:
        answer: tuple[str, Any] = pickle.load(pipe)
    except (EOFError, pickle.UnpicklingError):
        return None
    return answer


def start(work: Callable[[], T]) -> Child[T]:
    """Run `work` in a forked child. Call only where can_fork() is true."""
    sys.stdout.flush()
    sys.stderr.flush()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, which exits without returning
        os.close(reader)
        gc.freeze()  # its collector leaves the inherited objects alone: fewer copied pages
        _answer(writer, work)
    os.close(writer)
    return Child(pid, reader)


def _answer(writer: int, work: Callable[[], object]) -> None:  # pragma: no cover - child
    code = 0
    try:
        _die_with_parent()
        answer: tuple[str, object] = ("ok", work())
    except BaseException as error:  # sent to the parent, which raises it
        answer = ("error", _portable(error))
        code = 1
    try:
        data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        data = pickle.dumps(("error", WorkerError(traceback.format_exc())))
    with contextlib.suppress(OSError):
        view = memoryview(data)
        while view:
            view = view[os.write(writer, view) :]
    os._exit(code)


def _portable(error: BaseException) -> BaseException:
    """The exception itself when the parent can rebuild it, else its traceback as text."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return WorkerError("".join(traceback.format_exception(error)))
    if type(error).__module__.startswith("catalogo") or isinstance(error, OSError):
        return error
    return WorkerError("".join(traceback.format_exception(error)))


def _die_with_parent() -> None:  # pragma: no cover - child
    """SIGKILL this child when its parent dies, so a killed build stops writing at once."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the parent died before the line above
        os._exit(1)


class Shares(Generic[T]):
    """`work(share, shares)` for some shares, each in its own child, started at once and
    working while this process goes on; answers() waits for them."""

    def __init__(self, work: Callable[[int, int], T], which: range, shares: int) -> None:
        self.children = [start(functools.partial(work, share, shares)) for share in which]

    def answers(self) -> list[T]:
        """The answers in share order. If one fails, the others are stopped and its error
        raised."""
        answers: list[T] = []
        try:
            for child in self.children:
                answers.append(child.result())
        except BaseException:
            self.cancel(waited=len(answers) + 1)
            raise
        return answers

    def cancel(self, waited: int = 0) -> None:
        """Stop the children not yet waited for."""
        for child in self.children[waited:]:
            child.cancel()


def run_shares(work: Callable[[int, int], T], shares: int, first_here: bool = False) -> list[T]:
    """`work(share, shares)` for each share, each in its own child, at the same time; the
    answers in share order. With `first_here`, share 0 runs in this process meanwhile, which
    would otherwise only wait, and its answer is not pickled (the record files of 10,000
    records: 1.6 s instead of 1.8 s on 2 cores). If one fails, the others are stopped and
    its error raised."""
    first = 1 if first_here else 0
    started = Shares(work, range(first, shares), shares)
    try:
        mine = [work(0, shares)] if first_here else []
    except BaseException:
        started.cancel()
        raise
    return mine + started.answers()


def runs(items: list[T], count: int) -> list[list[T]]:
    """`items` in `count` runs of consecutive items, as even as can be (all in one if
    count < 1)."""
    count = max(1, count)
    size, longer = divmod(len(items), count)
    cuts = [index * size + min(index, longer) for index in range(count + 1)]
    return [items[start:end] for start, end in itertools.pairwise(cuts) if end > start]


MAX_PIECES = 2048  # their numbers (2 bytes each) fit the smallest pipe Linux makes: 4 KiB


def run_pulled(work: Callable[[int], T], pieces: int, processes: int) -> list[T]:
    """`work(piece)` for each piece, in `processes` processes (this one and forked
    children), each taking the next piece not yet taken whenever it is free: pieces that
    cost unlike amounts still end together. The answers in piece order."""
    return Pulled(work, pieces, processes - 1).finish()


class Pulled(Generic[T]):
    """`work(piece)` for each piece: forked children start taking pieces now, each the next
    one not yet taken whenever it is free, while this process goes on; finish() has this
    process take what is left, then gives every answer in piece order. The numbers of the
    pieces wait in a pipe that every process reads, two bytes at a time (a read from a
    pipe is whole and taken by one reader)."""

    def __init__(self, work: Callable[[int], T], pieces: int, children: int) -> None:
        if not 0 < pieces <= MAX_PIECES:
            raise ValueError(f"{pieces} pieces: between 1 and {MAX_PIECES}")
        self.work = work
        self.pieces = pieces
        self.reader, writer = os.pipe()
        try:
            try:
                numbers = (piece.to_bytes(2, "little") for piece in range(pieces))
                os.write(writer, b"".join(numbers))
            finally:
                os.close(writer)
            self.children = Shares(
                lambda share, shares: _pull(self.reader, work), range(children), children
            )
        except BaseException:
            self.close()
            raise

    def finish(self) -> list[T]:
        """Take the pieces left, then gather the children's; if one fails, the others are
        stopped and its error raised."""
        try:
            mine = _pull(self.reader, self.work)
        except BaseException:
            self.cancel()
            raise
        self.close()
        done = dict(mine)
        for answer in self.children.answers():
            done.update(answer)
        return [done[piece] for piece in range(self.pieces)]

    def cancel(self) -> None:
        """Stop the children and give up the pieces left."""
        self.children.cancel()
        self.close()

    def close(self) -> None:
        if self.reader >= 0:
            os.close(self.reader)
            self.reader = -1


def _pull(reader: int, work: Callable[[int], T]) -> list[tuple[int, T]]:
    done = []
    while number := os.read(reader, 2):
        piece = int.from_bytes(number, "little")
        done.append((piece, work(piece)))
    return done
