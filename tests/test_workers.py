"""Work in forked processes: each share's answer comes back in share order; an editor's
problem raised in a child is raised in the parent as itself, a bug with the child's
traceback; a child that dies without answering, or in the middle of its answer, is a clear
error, not a hang."""

from __future__ import annotations

import os
import select
import signal
import time
from pathlib import Path

import pytest

from catalogo.problems import CatalogError, Problem
from catalogo.workers import (
    MAX_PIECES,
    Pulled,
    WorkerError,
    can_fork,
    run_pulled,
    run_shares,
    start,
)

pytestmark = pytest.mark.skipif(not can_fork(), reason="workers fork (Linux only)")


def test_each_share_answers_in_share_order() -> None:
    def report_share(share: int, shares: int) -> tuple[int, int, int]:
        time.sleep(0.05 * (shares - share))  # the last share finishes first
        return share, shares, os.getpid()

    answers = run_shares(report_share, 3)
    assert [(share, shares) for share, shares, _ in answers] == [(0, 3), (1, 3), (2, 3)]
    pids = {pid for _, _, pid in answers}
    assert len(pids) == 3 and os.getpid() not in pids, "each share in its own process"


def test_the_first_share_can_run_in_this_process() -> None:
    def report_share(share: int, shares: int) -> tuple[int, int, int]:
        time.sleep(0.05 * (shares - share))
        return share, shares, os.getpid()

    answers = run_shares(report_share, 3, first_here=True)
    assert [(share, shares) for share, shares, _ in answers] == [(0, 3), (1, 3), (2, 3)]
    assert answers[0][2] == os.getpid()
    assert len({pid for _, _, pid in answers[1:]} - {os.getpid()}) == 2, "the others in children"


def test_a_failure_in_this_process_share_stops_the_children(tmp_path: Path) -> None:
    started = tmp_path / "started"

    def wait_or_fail(share: int, shares: int) -> None:
        if share > 0:
            with started.open("a", encoding="utf-8") as note:
                note.write(f"{os.getpid()}\n")
            time.sleep(30)
            return
        deadline = time.monotonic() + 20
        while len(noted_pids(started)) < shares - 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        raise CatalogError([Problem("guias/x.yaml", 1, "", "error del editor")])

    with pytest.raises(CatalogError):
        run_shares(wait_or_fail, 3, first_here=True)
    children = noted_pids(started)
    assert len(children) == 2
    for pid in children:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # stopped and reaped, not left running for 30 s


def noted_pids(path: Path) -> list[int]:
    return [int(line) for line in path.read_text(encoding="utf-8").split()] if path.exists() else []


def test_an_editors_problem_in_a_child_is_raised_as_itself() -> None:
    def broken(share: int, shares: int) -> None:
        raise CatalogError([Problem("plantillas/ficha.html", 7, "", "error en la plantilla")])

    with pytest.raises(CatalogError) as caught:
        run_shares(broken, 2)
    assert caught.value.problems == [
        Problem("plantillas/ficha.html", 7, "", "error en la plantilla")
    ]


def test_a_bug_in_a_child_keeps_its_traceback() -> None:
    def buggy() -> int:
        return {"uno": 1}["dos"]

    with pytest.raises(WorkerError) as caught:
        start(buggy).result()
    assert "KeyError: 'dos'" in str(caught.value)
    assert "in buggy" in str(caught.value), "the child's traceback, with its frames"


def test_a_child_that_dies_without_answering_is_an_error() -> None:
    def dies() -> int:
        os._exit(3)

    with pytest.raises(WorkerError, match="terminó sin responder"):
        start(dies).result()


def test_a_child_killed_in_the_middle_of_its_answer_is_an_error() -> None:
    child = start(lambda: [str(number) for number in range(1_000_000)])  # about 8 MB
    readable, _, _ = select.select([child.reader], [], [], 20)
    assert readable, "the child started answering"
    os.kill(child.pid, signal.SIGKILL)  # it blocks on the full pipe: the answer is cut short
    with pytest.raises(WorkerError, match="terminó sin responder"):
        child.result()


def test_a_cancelled_child_is_gone() -> None:
    child = start(lambda: time.sleep(30))
    child.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)


def test_pulled_pieces_are_each_done_once_and_answered_in_order() -> None:
    """Whichever process is free takes the next piece: while one works on a slow first
    piece, the other takes the rest."""

    def do(piece: int) -> tuple[int, int]:
        time.sleep(0.5 if piece == 0 else 0.01)
        return piece, os.getpid()

    answers = run_pulled(do, 20, 2)
    assert [piece for piece, _ in answers] == list(range(20))
    slow = answers[0][1]
    assert all(pid != slow for _, pid in answers[1:]), "the others went to the free process"
    assert os.getpid() in {pid for _, pid in answers}, "this process takes pieces too"


def test_a_failed_piece_stops_every_process() -> None:
    def do(piece: int) -> int:
        if piece == 7:
            raise CatalogError([Problem("plantillas/ficha.html", 3, "", "error en la plantilla")])
        time.sleep(0.01)
        return piece

    with pytest.raises(CatalogError):
        run_pulled(do, 40, 2)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left


@pytest.mark.parametrize("pieces", [0, MAX_PIECES + 1])
def test_pieces_fit_the_pipe_that_hands_them_out(pieces: int) -> None:
    with pytest.raises(ValueError):
        run_pulled(lambda piece: piece, pieces, 2)


def test_children_take_pieces_while_this_process_works_and_it_takes_the_rest() -> None:
    def do(piece: int) -> tuple[int, int]:
        time.sleep(0.005)
        return piece, os.getpid()

    pulled = Pulled(do, 200, 1)
    time.sleep(0.3)  # this process does something else meanwhile
    answers = pulled.finish()
    assert [piece for piece, _ in answers] == list(range(200))
    assert answers[0][1] != os.getpid(), "the child started at once"
    assert os.getpid() in {pid for _, pid in answers[1:]}, "this process took some of the rest"
