"""Run a command and measure it: wall time, CPU time of the process and every process it
waited for, and its peak memory (the largest process, and the whole tree summed).

Standard library only; Linux for the memory of a process tree (/proc).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def venv_python(project: Path) -> str:
    for candidate in (project / ".venv" / "bin" / "python", ROOT / ".venv" / "bin" / "python"):
        if candidate.exists():
            return str(candidate)
    return sys.executable


@dataclass
class Run:
    seconds: float
    max_rss_kb: int
    returncode: int
    stdout: str = ""
    stderr: str = ""
    cpu: float = 0.0  # user + system seconds of the process and the children it waited for
    tree_rss_kb: int = 0  # the most the process and its children held at one moment (sampled)


def run_timed(
    command: list[str], env: dict[str, str], cwd: Path | None = None, sample: bool = True
) -> Run:
    """Run a command to completion; wall time from fork to exit, and its peak RSS; with
    `sample`, also the peak memory of its whole process tree (TreeSampler).

    os.wait4 gives the rusage of exactly this child; its ru_maxrss covers the child and the
    grandchildren it waited for (Pagefind under our build), as the largest of them.
    The disk is flushed first, so a measurement does not pay for the writes of the one
    before (a cold build at 10,000 records leaves 250 MB for the kernel to write).
    """
    os.sync()
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    sampler = TreeSampler(process.pid)
    if sample:
        sampler.start()
    # Read both pipes fully (a chatty validate would block otherwise), then reap with wait4.
    out, err = _drain(process)
    sampler.stop()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, usage.ru_maxrss, process.returncode, out, err, cpu, sampler.peak_kb)


class TreeSampler:
    """The memory of a process and all its descendants, summed, every 10 ms, from /proc
    (Linux): the real simultaneous peak of a build, its forked workers and the Pagefind it
    runs, which ru_maxrss cannot give (it keeps the largest single process).

    Each process counts its proportional set size (PSS): a page a forked worker still
    shares with its parent counts once, split between them. Summing resident sizes (VmRSS)
    counted it in every process that maps it, so a build rendering on two cores seemed to
    use almost twice the memory it does."""

    def __init__(self, pid: int, interval: float = 0.01) -> None:
        import threading

        self.pid = pid
        self.interval = interval
        self.peak_kb = 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def start(self) -> None:
        if Path("/proc/self/status").exists():
            self.thread.start()

    def stop(self) -> None:
        self.done.set()
        if self.thread.is_alive():
            self.thread.join()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak_kb = max(self.peak_kb, sum(_memory_kb(pid) for pid in _tree(self.pid)))
            self.done.wait(self.interval)


def _tree(root: int) -> list[int]:
    """The process and its descendants (the kernel lists each thread's children)."""
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                children = Path(f"/proc/{pid}/task/{task}/children").read_text()
                pending.extend(int(child) for child in children.split())
        except OSError:
            continue  # it ended meanwhile
    return found


def _memory_kb(pid: int) -> int:
    """The process's PSS (smaps_rollup, Linux 4.14+), else its resident size."""
    pss = _proc_field_kb(f"/proc/{pid}/smaps_rollup", "Pss:")
    return pss if pss is not None else _proc_field_kb(f"/proc/{pid}/status", "VmRSS:") or 0


def _proc_field_kb(path: str, name: str) -> int | None:
    """The number of kB on the line of /proc file `path` that starts with `name`."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(name):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def _drain(process: subprocess.Popen[bytes]) -> tuple[str, str]:
    import threading

    chunks: dict[str, bytes] = {}

    def read(name: str, stream: Any) -> None:
        chunks[name] = stream.read()
        stream.close()

    threads = [
        threading.Thread(target=read, args=("out", process.stdout)),
        threading.Thread(target=read, args=("err", process.stderr)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return (
        chunks.get("out", b"").decode("utf-8", "replace"),
        chunks.get("err", b"").decode("utf-8", "replace"),
    )


def check(run: Run, what: str) -> Run:
    if run.returncode != 0:
        tail = (run.stderr or run.stdout).strip().splitlines()[-15:]
        raise SystemExit(f"{what} failed (exit {run.returncode}):\n" + "\n".join(tail))
    return run


@dataclass
class Measure:
    runs: list[Run] = field(default_factory=list)
    sampled: list[Run] = field(default_factory=list)  # runs with their memory sampled

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def rss_mb(self) -> float:
        return max(r.max_rss_kb for r in self.runs) / 1024

    @property
    def tree_mb(self) -> float:
        return max((r.tree_rss_kb for r in self.sampled or self.runs), default=0) / 1024

    @property
    def count(self) -> int:
        return len(self.runs)


def repeat(
    action: Callable[[], Run], times: int, budget: float, before: Callable[[], None] | None = None
) -> Measure:
    """Run `action` up to `times` times; only once if the first run exceeds `budget` s."""
    measure = Measure()
    for index in range(times):
        if before is not None:
            before()
        measure.runs.append(action())
        if index == 0 and measure.runs[0].seconds > budget:
            break
    return measure


def remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def tree_size(folder: Path) -> tuple[int, int, int]:
    """(files, bytes of content, bytes allocated on disk) of every file under `folder`."""
    files = size = allocated = 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            status = os.stat(os.path.join(dirpath, name))
            files += 1
            size += status.st_size
            allocated += status.st_blocks * 512
    return files, size, allocated


def cpu_clock() -> float:
    """CPU seconds of this process plus its finished children (Pagefind, workers)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime
