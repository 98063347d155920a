"""One HTTP request of the link checker, on httpx: the client, the redirect chain, the facts.

One `httpx.AsyncClient` makes every request of a run. It takes proxies from the environment
(HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY; SSL_CERT_FILE for a proxy that shows its own
certificate authority), keeps connections open between requests to one host, follows redirects
and keeps cookies. A body is read only when it is known to be small (so the connection can be
reused); a file is never downloaded.
"""

from __future__ import annotations

import contextlib
import email.utils
import itertools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from catalogo.linkstatus import (
    REDIRECTS,
    Chain,
    Failure,
    describe_exception,
    describe_loop,
    describe_too_many,
)
from catalogo.problems import CatalogError, Problem

ACCEPT = "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8"
ACCEPT_LANGUAGE = "es,en;q=0.5"
# Sizes must be the file's own: a compressed transfer would report fewer bytes.
ACCEPT_ENCODING = "identity"
MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9.+_-]*/[a-z0-9][a-z0-9.+_-]*")
CONTENT_RANGE_TOTAL = re.compile(r"bytes\s+\d+-\d+/(\d+)\s*", re.IGNORECASE)
# A GET body this small is read to the end, which lets its connection be reused.
SMALL_BODY = 16_384
# The request extension where the response hook notes each step of a redirect chain.
STEPS = "catalogo.pasos"
PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy")

Step = tuple[int, str, str | None]  # status, address asked, Location answered


@dataclass(frozen=True)
class Answer:
    """The end of one request's redirect chain: a response that is not followed further."""

    status: int
    final_url: str | None
    redirects: Chain
    retry_after: float | None
    content_type: str | None
    content_length: int | None


class _RedirectLoop(Exception):
    """Raised by the response hook when an address gives the same redirect a second time."""


def open_client(
    user_agent: str, timeout: float, max_redirects: int, idle_connections: int
) -> httpx.AsyncClient:
    """The one client of a run; proxies and certificate authorities come from the environment."""
    try:
        return httpx.AsyncClient(
            headers={
                "User-Agent": user_agent,
                "Accept": ACCEPT,
                "Accept-Language": ACCEPT_LANGUAGE,
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            timeout=httpx.Timeout(timeout),
            # The caller bounds the requests in flight. The pool keeps idle connections open
            # (up to `idle_connections`) so that a host's next request finds one ready, instead
            # of closing one host's connection to open another's.
            limits=httpx.Limits(max_connections=None, max_keepalive_connections=idle_connections),
            follow_redirects=True,
            max_redirects=max_redirects,
            trust_env=True,
            event_hooks={"response": [_note_step]},
        )
    except (ValueError, ImportError) as error:
        names = [name for name in PROXY_VARIABLES if os.environ.get(name)]
        if not names:
            raise
        raise CatalogError([_proxy_problem(error, names, os.environ)]) from error


def _proxy_problem(error: Exception, names: list[str], environment: Mapping[str, str]) -> Problem:
    """A proxy variable httpx cannot use (a typo, or SOCKS, which needs another package)."""
    where = ", ".join(f"{name}={environment[name]}" for name in names)
    return Problem(
        where,
        None,
        "",
        f"no se puede usar ese proxy ({error}); escribe su dirección como "
        "http://proxy.ejemplo.org:8080, o quita la variable para conectar sin proxy",
    )


async def _note_step(response: httpx.Response) -> None:
    """Note each response of a chain: httpx drops its history when it gives up on a chain."""
    steps: list[Step] | None = response.request.extensions.get(STEPS)
    if steps is None:
        return
    step = (response.status_code, str(response.request.url), response.headers.get("location"))
    if response.has_redirect_location and step in steps:
        raise _RedirectLoop(step[1])
    steps.append(step)


async def request(
    client: httpx.AsyncClient, method: str, url: str, headers: Mapping[str, str] | None = None
) -> Answer | Failure:
    """One request and its redirects: the final answer, or why there was none."""
    steps: list[Step] = []
    try:
        async with client.stream(
            method, url, headers=headers, extensions={STEPS: steps}
        ) as response:
            answer = _answer(url, response)
            await _finish(response)
            return answer
    except (httpx.HTTPError, httpx.InvalidURL, _RedirectLoop) as exc:
        return _failure(exc, url, steps, client)


async def _finish(response: httpx.Response) -> None:
    """Read a body known to be small, so its connection can serve the next request; a larger
    one is never downloaded: leaving it unread closes the connection."""
    declared = _declared_length(response)
    if response.request.method != "HEAD" and (declared is None or declared > SMALL_BODY):
        return
    with contextlib.suppress(httpx.HTTPError):  # the answer is already known
        await response.aread()


def _answer(url: str, response: httpx.Response) -> Answer:
    steps = [*response.history, response]
    chain = tuple(
        (step.status_code, str(after.request.url)) for step, after in itertools.pairwise(steps)
    )
    reached = str(response.url)
    changed = chain and reached != str(httpx.URL(url))
    return Answer(
        status=response.status_code,
        final_url=reached if changed else None,
        redirects=chain,
        retry_after=parse_retry_after(response.headers.get("retry-after")),
        content_type=media_type(response.headers.get("content-type")),
        content_length=_size(response),
    )


def _failure(exc: Exception, url: str, steps: list[Step], client: httpx.AsyncClient) -> Failure:
    """A request that ended without a final response, with the redirects it went through."""
    failed_at = str(exc) if isinstance(exc, _RedirectLoop) else _failed_url(exc)
    statuses = [status for status, _, _ in steps]
    addresses = [address for _, address, _ in steps[1:]]
    if failed_at is not None:
        addresses.append(failed_at)
    chain = tuple(zip(statuses, addresses, strict=False))
    reached = chain[-1][1] if chain else None
    last = chain[-1][0] if chain else None
    final_url = reached if reached != url else None
    if isinstance(exc, _RedirectLoop):
        return Failure(REDIRECTS, describe_loop(chain), chain, final_url, last)
    if isinstance(exc, httpx.TooManyRedirects):
        message = describe_too_many(client.max_redirects)
        return Failure(REDIRECTS, message, chain, final_url, last)
    if isinstance(exc, httpx.UnsupportedProtocol) and chain:
        message = f"redirige a una dirección que no es web: {reached}"
        return Failure(REDIRECTS, message, chain, final_url, last)
    kind, message = describe_exception(exc, url, client.timeout.read or 0.0)
    return Failure(kind, message, chain, final_url)


def _failed_url(exc: Exception) -> str | None:
    """The address whose request failed (httpx knows it for every request error)."""
    if not isinstance(exc, httpx.RequestError):
        return None
    try:
        return str(exc.request.url)
    except RuntimeError:  # an error raised before httpx built the request
        return None


def media_type(value: str | None) -> str | None:
    """`application/pdf` from `Application/PDF; charset=binary`; None for anything odd."""
    if value is None:
        return None
    kind = value.split(";", 1)[0].strip().lower()
    return kind if MEDIA_TYPE.fullmatch(kind) else None


def _size(response: httpx.Response) -> int | None:
    """The whole resource's size in bytes, when the answer names it."""
    if response.status_code == 206:
        total = CONTENT_RANGE_TOTAL.fullmatch(response.headers.get("content-range", ""))
        return int(total.group(1)) if total else None
    # Some servers answer HEAD with `Content-Length: 0` whatever the file: 0 says nothing.
    return _declared_length(response) or None


def _declared_length(response: httpx.Response) -> int | None:
    length = response.headers.get("content-length", "").strip()
    return int(length) if length.isdigit() else None


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait, from `Retry-After: 120` or an HTTP date."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
