"""Check the catalog's external links (`build.py links`): which to ask, how, and how often.

Every request goes through one pooled httpx client (`linkhttp`). Around it, asyncio semaphores
hold the limits (requests in flight overall and per host), and retries wait without holding a
connection. Each URL is asked with HEAD first; a server that refuses HEAD gets a GET. A file
that answers without its size is asked for its first byte only. `linkstatus` turns what came
back into Spanish words.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

import httpx

from catalogo.linkhttp import Answer, open_client, request
from catalogo.linkstatus import (
    DROPPED,
    HEAD_TRUSTED_ERRORS,
    INVALID,
    MOVED,
    OK,
    TIMEOUT,
    Chain,
    Failure,
    Outcome,
    classify_answer,
    classify_failure,
    host_of,
)
from catalogo.models import WEB_SCHEMES, Record

MAX_RETRY_AFTER = 30.0
WEB_PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FIRST_BYTE = {"Range": "bytes=0-0"}


@dataclass(frozen=True)
class LinkTarget:
    """One URL to check, and the record files that use it."""

    url: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class LinkResult:
    """What checking one URL found; the type and size only when it answered."""

    url: str
    sources: tuple[str, ...]
    status: str
    http_status: int | None
    final_url: str | None
    redirects: Chain
    message: str
    attempts: int
    elapsed: float
    content_type: str | None = None
    content_length: int | None = None

    @property
    def is_dead(self) -> bool:
        return self.status not in (OK, MOVED)


@dataclass(frozen=True)
class CheckSettings:
    """How politely and how patiently links are checked."""

    concurrency: int = 8
    per_host: int = 2
    timeout: float = 10.0
    retries: int = 2
    backoff: float = 0.5
    max_redirects: int = 10
    user_agent: str = "Catalogo-enlaces/1.0 (+verificador de enlaces del catalogo)"

    def __post_init__(self) -> None:
        if self.concurrency < 1 or self.per_host < 1:
            raise ValueError("concurrency and per_host must be at least 1")
        if self.timeout <= 0 or self.backoff < 0:
            raise ValueError("timeout must be positive and backoff not negative")
        if self.retries < 0 or self.max_redirects < 0:
            raise ValueError("retries and max_redirects must not be negative")
        if not self.user_agent.isascii():
            raise ValueError("HTTP headers are ASCII: the user agent must be too")


DEFAULT_SETTINGS = CheckSettings()
Progress = Callable[[int, int, LinkResult], None]


@dataclass
class _Probe:
    """What one target's attempts learn about its server: whether HEAD works."""

    method: str = "HEAD"


@dataclass
class _Run:
    """The client and the shared limits of one `check_links` call."""

    settings: CheckSettings
    client: httpx.AsyncClient
    in_flight: asyncio.Semaphore
    hosts: dict[str, asyncio.Semaphore] = field(default_factory=dict)

    def host_limit(self, host: str) -> asyncio.Semaphore:
        if host not in self.hosts:
            self.hosts[host] = asyncio.Semaphore(self.settings.per_host)
        return self.hosts[host]


def targets_from_records(records: Iterable[tuple[Record, str]]) -> list[LinkTarget]:
    """Every distinct URL of the records, in order of first use, with every file using it."""
    sources: dict[str, list[str]] = {}
    for record, path in records:
        for link in record.enlaces:
            paths = sources.setdefault(link.url, [])
            if path not in paths:
                paths.append(path)
    return [LinkTarget(url=url, sources=tuple(paths)) for url, paths in sources.items()]


def check_links(
    targets: Sequence[LinkTarget],
    settings: CheckSettings = DEFAULT_SETTINGS,
    progress: Progress | None = None,
) -> list[LinkResult]:
    """Check every target; results come in the order of the targets."""
    if not targets:
        return []
    return asyncio.run(_check_all(targets, settings, progress))


async def _check_all(
    targets: Sequence[LinkTarget], settings: CheckSettings, progress: Progress | None
) -> list[LinkResult]:
    idle = settings.concurrency * settings.per_host
    client = open_client(settings.user_agent, settings.timeout, settings.max_redirects, idle)
    async with client:
        run = _Run(settings, client, asyncio.Semaphore(settings.concurrency))
        done = 0

        async def check_and_report(target: LinkTarget) -> LinkResult:
            nonlocal done
            result = await _check_target(target, run)
            done += 1
            if progress is not None:
                progress(done, len(targets), result)
            return result

        return list(await asyncio.gather(*(check_and_report(t) for t in targets)))


async def _check_target(target: LinkTarget, run: _Run) -> LinkResult:
    started = time.monotonic()
    probe = _Probe()
    attempts = 0
    while True:
        attempts += 1
        answer = await _attempt(target.url, run, probe)
        outcome = _classify(target.url, answer)
        if not outcome.retryable or attempts > run.settings.retries:
            break
        await asyncio.sleep(_retry_delay(outcome.retry_after, attempts, run.settings))
    if isinstance(answer, Answer) and outcome.is_alive:
        answer = await _measure(target.url, answer, run)
    return _result(target, outcome, answer, attempts, time.monotonic() - started)


def _result(
    target: LinkTarget, outcome: Outcome, answer: Answer | Failure, attempts: int, elapsed: float
) -> LinkResult:
    facts = answer if isinstance(answer, Answer) and outcome.is_alive else None
    return LinkResult(
        url=target.url,
        sources=target.sources,
        status=outcome.status,
        http_status=outcome.http_status,
        final_url=outcome.final_url,
        redirects=outcome.redirects,
        message=outcome.message,
        attempts=attempts,
        elapsed=round(elapsed, 3),
        content_type=facts.content_type if facts else None,
        content_length=facts.content_length if facts else None,
    )


def _classify(url: str, answer: Answer | Failure) -> Outcome:
    if isinstance(answer, Failure):
        return classify_failure(answer)
    return classify_answer(
        url, answer.status, answer.final_url, answer.redirects, answer.retry_after
    )


def _retry_delay(retry_after: float | None, attempt: int, settings: CheckSettings) -> float:
    if retry_after is not None:
        return min(retry_after, MAX_RETRY_AFTER)
    return float(settings.backoff * 2 ** (attempt - 1))


async def _attempt(url: str, run: _Run, probe: _Probe) -> Answer | Failure:
    """HEAD when the server seems to support it, else (or then) GET."""
    if not _is_web_url(url):
        return Failure(INVALID, "solo se comprueban direcciones http:// y https://")
    if probe.method == "HEAD":
        answer = await _request(url, "HEAD", run)
        if isinstance(answer, Failure) and answer.kind == TIMEOUT:
            probe.method = "GET"  # some servers never answer HEAD: the next attempt uses GET
        if not _should_retry_with_get(answer):
            return answer
        probe.method = "GET"
    return await _request(url, "GET", run)


def _should_retry_with_get(answer: Answer | Failure) -> bool:
    if isinstance(answer, Failure):
        return answer.kind == DROPPED
    return answer.status >= 400 and answer.status not in HEAD_TRUSTED_ERRORS


async def _measure(url: str, answer: Answer, run: _Run) -> Answer:
    """A file that answered without its size: ask for its first byte only.

    A server that supports ranges names the whole size in Content-Range; one that does not
    answers 200 with its Content-Length, and the connection is closed after the headers.
    Web pages are not measured (their size says little about what a reader downloads), nor
    answers without a type (nothing says they are files).
    """
    if answer.content_length is not None or answer.content_type in (None, *WEB_PAGE_TYPES):
        return answer
    ranged = await _request(answer.final_url or url, "GET", run, FIRST_BYTE)
    if isinstance(ranged, Failure) or ranged.status not in (200, 206):
        return answer
    return replace(answer, content_length=ranged.content_length)


async def _request(
    url: str, method: str, run: _Run, headers: dict[str, str] | None = None
) -> Answer | Failure:
    """One request, once both the host's and the overall limits allow it."""
    async with run.host_limit(host_of(url)), run.in_flight:
        return await request(run.client, method, url, headers)


def _is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)
