"""Check the catalog's external links and report the dead ones (`build.py links`).

Each request is a plain blocking `http.client` exchange run in a small thread pool. An
asyncio loop schedules those exchanges so that the limits hold (requests in flight overall
and per host) and waits between retries without holding a thread. Redirects are followed
by hand so that the whole chain can be reported. Messages are in Spanish: editors read them.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import errno
import http.client
import json
import socket
import ssl
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType, TracebackType
from typing import Any, TextIO
from urllib.parse import SplitResult, quote, urldefrag, urljoin, urlsplit

from catalogo.models import WEB_SCHEMES, Record
from catalogo.problems import plural

OK = "ok"
MOVED = "movido"
BROKEN = "roto"
ERROR = "error"
STATUSES = (OK, MOVED, BROKEN, ERROR)

PERMANENT_REDIRECTS = frozenset({301, 308})
TEMPORARY_REDIRECTS = frozenset({302, 303, 307})
REDIRECTS = PERMANENT_REDIRECTS | TEMPORARY_REDIRECTS
# A HEAD answered with one of these is not trusted: the server may just not support HEAD.
HEAD_TRUSTED_ERRORS = frozenset({429, 502, 503, 504})
# The server answered, but the answer says nothing sure about the link: report "error".
UNVERIFIABLE = frozenset({401, 403, 407, 429})
MAX_RETRY_AFTER = 30.0
FIRST_BYTES = 1024
ACCEPT = "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8"
ACCEPT_LANGUAGE = "es,en;q=0.5"
PATH_SAFE = "!#$%&'()*+,/:;=?@[]~"

REASONS: Mapping[int, str] = MappingProxyType(
    {
        200: "OK",
        201: "Creado",
        202: "Aceptado",
        203: "Información no verificada",
        204: "Sin contenido",
        206: "Contenido parcial",
        300: "Varias opciones",
        301: "Movido permanentemente",
        302: "Movido temporalmente",
        303: "Ver otra dirección",
        304: "No modificado",
        307: "Redirección temporal",
        308: "Redirección permanente",
        400: "Solicitud incorrecta",
        401: "Requiere identificarse",
        402: "Pago requerido",
        403: "Acceso prohibido",
        404: "No encontrado",
        405: "Método no permitido",
        406: "No aceptable",
        407: "Requiere identificarse en el proxy",
        408: "Tiempo de solicitud agotado",
        409: "Conflicto",
        410: "Ya no existe",
        414: "Dirección demasiado larga",
        429: "Demasiadas solicitudes",
        451: "No disponible por razones legales",
        500: "Error interno del servidor",
        501: "No implementado",
        502: "Puerta de enlace incorrecta",
        503: "Servicio no disponible",
        504: "La puerta de enlace no respondió a tiempo",
    }
)
STATUS_FAMILIES: Mapping[int, str] = MappingProxyType(
    {2: "Correcto", 3: "Redirección", 4: "Error en la solicitud", 5: "Error del servidor"}
)
HINTS: Mapping[int, str] = MappingProxyType(
    {
        401: "; pide usuario y contraseña",
        403: "; puede que el sitio bloquee a los verificadores automáticos: ábrelo en el navegador",
        407: "; lo exige el proxy de esta red",
        429: "; el sitio limita las consultas: vuelve a comprobarlo más tarde",
    }
)

# Kinds of network failure, and what to do about each.
TIMEOUT = "timeout"
DNS = "dns"
DNS_TEMPORARY = "dns-temporal"
TLS = "tls"
REFUSED = "rechazada"
DROPPED = "cortada"
NETWORK = "red"
INVALID = "invalida"
RETRYABLE_FAILURES = frozenset({TIMEOUT, DNS_TEMPORARY, REFUSED, DROPPED, NETWORK})


@dataclass(frozen=True)
class LinkTarget:
    """One URL to check, and the record files that use it."""

    url: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class LinkResult:
    """What checking one URL found."""

    url: str
    sources: tuple[str, ...]
    status: str
    http_status: int | None
    final_url: str | None
    redirects: tuple[tuple[int, str], ...]
    message: str
    attempts: int
    elapsed: float

    @property
    def is_dead(self) -> bool:
        return self.status in (BROKEN, ERROR)


@dataclass(frozen=True)
class CheckSettings:
    """How politely and how patiently links are checked."""

    concurrency: int = 8
    per_host: int = 2
    timeout: float = 10.0
    retries: int = 2
    backoff: float = 0.5
    max_redirects: int = 10
    user_agent: str = "Catalogo-enlaces/1.0 (+verificador de enlaces del catálogo)"

    def __post_init__(self) -> None:
        if self.concurrency < 1 or self.per_host < 1:
            raise ValueError("concurrency and per_host must be at least 1")
        if self.timeout <= 0 or self.backoff < 0:
            raise ValueError("timeout must be positive and backoff not negative")
        if self.retries < 0 or self.max_redirects < 0:
            raise ValueError("retries and max_redirects must not be negative")


DEFAULT_SETTINGS = CheckSettings()
Progress = Callable[[int, int, LinkResult], None]


@dataclass(frozen=True)
class _Reply:
    """The status line and the headers that matter of one HTTP response."""

    status: int
    location: str | None
    retry_after: float | None
    cookies: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class _Failure:
    """A request that got no HTTP response."""

    kind: str
    message: str


@dataclass(frozen=True)
class _Outcome:
    """The end of one attempt: a full walk along the redirect chain."""

    status: str
    http_status: int | None
    final_url: str | None
    redirects: tuple[tuple[int, str], ...]
    message: str
    retryable: bool = False
    retry_after: float | None = None


@dataclass
class _Probe:
    """What one target's attempts learn about the server: HEAD support and cookies."""

    method: str = "HEAD"
    cookies: dict[str, dict[str, str]] = field(default_factory=dict)

    def remember(self, host: str, pairs: tuple[tuple[str, str], ...]) -> None:
        if pairs:
            self.cookies.setdefault(host, {}).update(pairs)

    def cookie_header(self, host: str) -> str | None:
        jar = self.cookies.get(host)
        return "; ".join(f"{name}={value}" for name, value in jar.items()) if jar else None


@dataclass
class _Run:
    """The shared limits and tools of one `check_links` call."""

    settings: CheckSettings
    executor: ThreadPoolExecutor
    tls: ssl.SSLContext
    in_flight: asyncio.Semaphore
    hosts: dict[str, asyncio.Semaphore] = field(default_factory=dict)

    def host_limit(self, host: str) -> asyncio.Semaphore:
        if host not in self.hosts:
            self.hosts[host] = asyncio.Semaphore(self.settings.per_host)
        return self.hosts[host]


# --- Targets -------------------------------------------------------------------------------


def targets_from_records(records: Iterable[tuple[Record, str]]) -> list[LinkTarget]:
    """Every distinct URL of the records, in order of first use, with every file using it."""
    sources: dict[str, list[str]] = {}
    for record, path in records:
        for link in record.enlaces:
            paths = sources.setdefault(link.url, [])
            if path not in paths:
                paths.append(path)
    return [LinkTarget(url=url, sources=tuple(paths)) for url, paths in sources.items()]


# --- Checking ------------------------------------------------------------------------------


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
    executor = ThreadPoolExecutor(max_workers=settings.concurrency, thread_name_prefix="enlaces")
    run = _Run(
        settings=settings,
        executor=executor,
        tls=ssl.create_default_context(),
        in_flight=asyncio.Semaphore(settings.concurrency),
    )
    done = 0

    async def check_and_report(target: LinkTarget) -> LinkResult:
        nonlocal done
        result = await _check_target(target, run)
        done += 1
        if progress is not None:
            progress(done, len(targets), result)
        return result

    try:
        return list(await asyncio.gather(*(check_and_report(t) for t in targets)))
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


async def _check_target(target: LinkTarget, run: _Run) -> LinkResult:
    started = time.monotonic()
    probe = _Probe()
    attempts = 0
    while True:
        attempts += 1
        outcome = await _follow(target.url, run, probe)
        if not outcome.retryable or attempts > run.settings.retries:
            break
        await asyncio.sleep(_retry_delay(outcome.retry_after, attempts, run.settings))
    return LinkResult(
        url=target.url,
        sources=target.sources,
        status=outcome.status,
        http_status=outcome.http_status,
        final_url=outcome.final_url,
        redirects=outcome.redirects,
        message=outcome.message,
        attempts=attempts,
        elapsed=round(time.monotonic() - started, 3),
    )


def _retry_delay(retry_after: float | None, attempt: int, settings: CheckSettings) -> float:
    if retry_after is not None:
        return min(retry_after, MAX_RETRY_AFTER)
    return float(settings.backoff * 2 ** (attempt - 1))


async def _follow(url: str, run: _Run, probe: _Probe) -> _Outcome:
    """One attempt: request the URL and follow its redirects, recording each one."""
    if not _is_web_url(url):
        return _Outcome(ERROR, None, None, (), "solo se comprueban direcciones http:// y https://")
    redirects: list[tuple[int, str]] = []
    current = url
    visited = {_without_fragment(url)}
    for _ in range(run.settings.max_redirects + 1):
        answer = await _fetch(current, run, probe)
        if isinstance(answer, _Failure):
            return _failure_outcome(answer, url, current, redirects)
        if answer.status not in REDIRECTS or not answer.location:
            return _final_outcome(url, current, answer, redirects)
        following = urljoin(current, answer.location.strip())
        redirects.append((answer.status, following))
        if not _is_web_url(following):
            message = f"redirige a una dirección que no es web: {following}"
            return _Outcome(ERROR, answer.status, following, tuple(redirects), message)
        if _without_fragment(following) in visited and not answer.cookies:
            message = f"las redirecciones forman un bucle: vuelven a {following}"
            final_url = _changed(url, following)
            return _Outcome(ERROR, answer.status, final_url, tuple(redirects), message)
        visited.add(_without_fragment(following))
        current = following
    message = f"demasiadas redirecciones (más de {run.settings.max_redirects})"
    return _Outcome(ERROR, redirects[-1][0], _changed(url, current), tuple(redirects), message)


async def _fetch(url: str, run: _Run, probe: _Probe) -> _Reply | _Failure:
    """HEAD when the server seems to support it, else (or then) GET."""
    host = _host(url)
    if probe.method == "HEAD":
        answer = await _limited_request(url, "HEAD", run, probe.cookie_header(host))
        _learn(probe, host, answer)
        if not _should_retry_with_get(answer):
            return answer
        probe.method = "GET"
    answer = await _limited_request(url, "GET", run, probe.cookie_header(host))
    _learn(probe, host, answer)
    return answer


def _learn(probe: _Probe, host: str, answer: _Reply | _Failure) -> None:
    if isinstance(answer, _Reply):
        probe.remember(host, answer.cookies)
    elif answer.kind == TIMEOUT:
        # Some servers never answer HEAD: the next attempt, if any, uses GET.
        probe.method = "GET"


def _should_retry_with_get(answer: _Reply | _Failure) -> bool:
    if isinstance(answer, _Failure):
        return answer.kind == DROPPED
    return answer.status >= 400 and answer.status not in HEAD_TRUSTED_ERRORS


async def _limited_request(
    url: str, method: str, run: _Run, cookie_header: str | None
) -> _Reply | _Failure:
    """One request, once both the host's and the overall limits allow it."""
    async with run.host_limit(_host(url)), run.in_flight:
        loop = asyncio.get_running_loop()
        headers = _headers(run.settings.user_agent, cookie_header)
        call = _BlockingRequest(url, method, headers, run.settings.timeout, run.tls)
        try:
            return await loop.run_in_executor(run.executor, call.send)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            return _describe_failure(exc, url, run.settings.timeout)


def _headers(user_agent: str, cookie_header: str | None) -> dict[str, str]:
    headers = {
        "User-Agent": user_agent,
        "Accept": ACCEPT,
        "Accept-Language": ACCEPT_LANGUAGE,
        "Connection": "close",
    }
    if cookie_header:
        headers["Cookie"] = cookie_header
    return headers


@dataclass(frozen=True)
class _BlockingRequest:
    """One HTTP exchange with `http.client`, run in a worker thread."""

    url: str
    method: str
    headers: dict[str, str]
    timeout: float
    tls: ssl.SSLContext

    def send(self) -> _Reply:
        parts = urlsplit(self.url)
        connection = self.connect(parts)
        try:
            connection.request(self.method, _request_target(parts), headers=self.headers)
            response = connection.getresponse()
            if self.method == "GET":
                _read_first_bytes(response)
            return _Reply(
                status=response.status,
                location=response.getheader("Location"),
                retry_after=_parse_retry_after(response.getheader("Retry-After")),
                cookies=_parse_cookies(response.msg.get_all("Set-Cookie") or []),
            )
        finally:
            connection.close()

    def connect(self, parts: SplitResult) -> http.client.HTTPConnection:
        host = parts.hostname
        if not host:
            raise http.client.InvalidURL(self.url)
        if parts.scheme.lower() == "https":
            port = parts.port or 443
            return http.client.HTTPSConnection(host, port, timeout=self.timeout, context=self.tls)
        return http.client.HTTPConnection(host, parts.port or 80, timeout=self.timeout)


def _read_first_bytes(response: http.client.HTTPResponse) -> None:
    """Read a little of the body, so the server sees a normal GET; its errors do not matter."""
    with contextlib.suppress(OSError, http.client.HTTPException):
        response.read(FIRST_BYTES)


def _request_target(parts: SplitResult) -> str:
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return quote(target, safe=PATH_SAFE)


def _parse_retry_after(value: str | None) -> float | None:
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


def _parse_cookies(headers: list[str]) -> tuple[tuple[str, str], ...]:
    pairs: list[tuple[str, str]] = []
    for header in headers:
        name, sep, value = header.split(";", 1)[0].partition("=")
        if sep and name.strip():
            pairs.append((name.strip(), value.strip()))
    return tuple(pairs)


# --- Outcomes and messages -----------------------------------------------------------------


def _final_outcome(
    url: str, current: str, reply: _Reply, redirects: list[tuple[int, str]]
) -> _Outcome:
    """The outcome of a chain that ended with an HTTP response that is not a redirect."""
    status = reply.status
    final_url = _changed(url, current)
    chain = tuple(redirects)
    if status in REDIRECTS:
        message = f"redirección sin dirección de destino ({status})"
        return _Outcome(ERROR, status, final_url, chain, message)
    if status < 400:
        return _success_outcome(url, status, final_url, chain)
    message = describe_status(status) + _redirect_note(chain) + HINTS.get(status, "")
    kind = ERROR if status in UNVERIFIABLE else BROKEN
    retryable = status == 429 or status >= 500
    return _Outcome(kind, status, final_url, chain, message, retryable, reply.retry_after)


def _success_outcome(
    url: str, status: int, final_url: str | None, chain: tuple[tuple[int, str], ...]
) -> _Outcome:
    home_note = _home_page_note(url, final_url)
    if final_url is not None and chain[0][0] in PERMANENT_REDIRECTS:
        message = (
            f"movido permanentemente ({chain[0][0]}); la dirección nueva responde "
            f"{describe_status(status)}{home_note}"
        )
        return _Outcome(MOVED, status, final_url, chain, message)
    message = describe_status(status) + _redirect_note(chain) + home_note
    return _Outcome(OK, status, final_url, chain, message)


def _failure_outcome(
    failure: _Failure, url: str, current: str, redirects: list[tuple[int, str]]
) -> _Outcome:
    chain = tuple(redirects)
    final_url = _changed(url, current)
    message = failure.message + _redirect_note(chain)
    return _Outcome(ERROR, None, final_url, chain, message, failure.kind in RETRYABLE_FAILURES)


def describe_status(status: int) -> str:
    """`404 No encontrado`: an HTTP status as editors read it."""
    reason = REASONS.get(status)
    if reason is None:
        reason = STATUS_FAMILIES.get(status // 100, "Respuesta desconocida")
    return f"{status} {reason}"


def _redirect_note(chain: tuple[tuple[int, str], ...]) -> str:
    return f" tras {plural(len(chain), 'redirección', 'redirecciones')}" if chain else ""


def _home_page_note(url: str, final_url: str | None) -> str:
    """A hint when a deep link lands on a site's home page: often a removed resource."""
    if final_url is None or urlsplit(final_url).path not in ("", "/"):
        return ""
    if urlsplit(url).path in ("", "/"):
        return ""
    return "; lleva a la portada del sitio: puede que el recurso ya no exista"


def _describe_failure(exc: BaseException, url: str, timeout: float) -> _Failure:
    """A Spanish explanation of a request that got no HTTP response."""
    host = _host(url) or url
    if isinstance(exc, TimeoutError):
        return _Failure(TIMEOUT, f"tiempo de espera agotado ({format_seconds(timeout)} s)")
    if isinstance(exc, socket.gaierror):
        return _describe_dns_failure(exc, host)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return _Failure(TLS, f"certificado de seguridad no válido ({_certificate_problem(exc)})")
    if isinstance(exc, ssl.SSLError):
        reason = exc.reason or str(exc)
        return _Failure(TLS, f"fallo en la conexión segura (TLS): {reason}")
    if isinstance(exc, ConnectionRefusedError):
        return _Failure(REFUSED, "conexión rechazada: el servidor no acepta conexiones")
    if isinstance(exc, ConnectionError):
        return _Failure(DROPPED, "el servidor cortó la conexión sin responder")
    if isinstance(exc, http.client.InvalidURL | ValueError):
        return _Failure(INVALID, f"dirección no válida: {url}")
    if isinstance(exc, http.client.HTTPException):
        return _Failure(DROPPED, "el servidor dio una respuesta que no es HTTP válido")
    return _describe_network_failure(exc)


def _describe_dns_failure(exc: socket.gaierror, host: str) -> _Failure:
    if exc.errno == socket.EAI_AGAIN:
        message = (
            f"no se pudo resolver el dominio {host} (fallo temporal: ¿hay conexión a internet?)"
        )
        return _Failure(DNS_TEMPORARY, message)
    return _Failure(DNS, f"no se pudo resolver el dominio {host}: no existe o no tiene dirección")


def _describe_network_failure(exc: BaseException) -> _Failure:
    number = exc.errno if isinstance(exc, OSError) else None
    if number == errno.ENETUNREACH:
        return _Failure(NETWORK, "la red no está disponible: ¿hay conexión a internet?")
    if number == errno.EHOSTUNREACH:
        return _Failure(NETWORK, "no se puede llegar al servidor")
    detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return _Failure(NETWORK, f"no se pudo conectar con el servidor ({detail})")


def _certificate_problem(exc: ssl.SSLCertVerificationError) -> str:
    text = str(exc.verify_message or exc)
    lowered = text.lower()
    if "expired" in lowered:
        return "caducado"
    if "mismatch" in lowered:
        return "emitido para otro dominio"
    if "self-signed" in lowered or "self signed" in lowered:
        return "autofirmado"
    if "issuer" in lowered:
        return "cadena de certificados incompleta; el navegador quizá lo abra igualmente"
    return text


def format_seconds(seconds: float) -> str:
    """`10`, `0,5`: seconds the Spanish way."""
    return f"{seconds:g}".replace(".", ",")


def _is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


def _changed(url: str, current: str) -> str | None:
    """The address reached, when it is not the one asked for."""
    return current if current != url else None


def _without_fragment(url: str) -> str:
    return urldefrag(url).url


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


# --- Reports -------------------------------------------------------------------------------


def count_statuses(results: Iterable[LinkResult]) -> dict[str, int]:
    """`{"total": 40, "ok": 34, "movido": 2, "roto": 3, "error": 1}`."""
    counts = dict.fromkeys(("total", *STATUSES), 0)
    for result in results:
        counts["total"] += 1
        counts[result.status] = counts.get(result.status, 0) + 1
    return counts


def exit_status(results: Iterable[LinkResult]) -> int:
    """1 when any link is dead (broken or unverifiable), else 0."""
    return 1 if any(result.is_dead for result in results) else 0


def render_markdown_report(results: Sequence[LinkResult], checked_at: datetime) -> str:
    """The report editors read: counts, dead links, moved links, then how many are fine."""
    counts = count_statuses(results)
    dead = sorted((r for r in results if r.is_dead), key=_by_file)
    moved = sorted((r for r in results if r.status == MOVED), key=_by_file)
    lines = [
        "# Informe de enlaces",
        "",
        f"Comprobado el {_format_moment(checked_at)}.",
        "",
        *_summary_lines(counts),
        "",
        *_dead_section(dead),
        "",
        *_moved_section(moved),
        "",
        "## Enlaces correctos",
        "",
        f"{plural(counts[OK], 'enlace responde', 'enlaces responden')} correctamente.",
    ]
    return "\n".join(lines) + "\n"


def _summary_lines(counts: Mapping[str, int]) -> list[str]:
    return [
        f"- {plural(counts['total'], 'enlace comprobado', 'enlaces comprobados')}",
        f"- {plural(counts[BROKEN], 'roto', 'rotos')}",
        f"- {counts[ERROR]} con error (no se pudo comprobar)",
        f"- {plural(counts[MOVED], 'movido', 'movidos')}",
        f"- {plural(counts[OK], 'correcto', 'correctos')}",
    ]


def _dead_section(dead: Sequence[LinkResult]) -> list[str]:
    lines = ["## Enlaces rotos o con error", ""]
    if not dead:
        return [*lines, "No hay enlaces rotos ni con error."]
    lines += [
        "Corrige o quita estos enlaces en los archivos indicados. «error» significa que no se "
        "pudo comprobar: ábrelo en el navegador antes de cambiarlo.",
        "",
        "| Enlace | Estado | Detalle | Archivos |",
        "| --- | --- | --- | --- |",
    ]
    for result in dead:
        cells = [
            _link_cell(result.url),
            result.status,
            _cell(result.message),
            _files_cell(result.sources),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _moved_section(moved: Sequence[LinkResult]) -> list[str]:
    lines = ["## Enlaces movidos", ""]
    if not moved:
        return [*lines, "No hay enlaces movidos."]
    lines += [
        "Funcionan, pero la dirección cambió para siempre: conviene poner la nueva.",
        "",
        "| Enlace | Dirección nueva | Archivos |",
        "| --- | --- | --- |",
    ]
    for result in moved:
        cells = [
            _link_cell(result.url),
            _link_cell(result.final_url or ""),
            _files_cell(result.sources),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _by_file(result: LinkResult) -> tuple[str, str]:
    return (result.sources[0] if result.sources else "", result.url)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _link_cell(url: str) -> str:
    if not url or any(ch in url for ch in "<> `"):
        return _cell(url) or "—"
    return f"<{_cell(url)}>"


def _files_cell(sources: Sequence[str]) -> str:
    return "<br>".join(f"`{_cell(source)}`" for source in sources) or "—"


def _format_moment(moment: datetime) -> str:
    text = moment.strftime("%Y-%m-%d a las %H:%M")
    zone = moment.tzname()
    return f"{text} ({zone})" if zone else text


def render_json_report(results: Sequence[LinkResult], checked_at: datetime) -> str:
    """The same report for programs: counts and every result, in the order checked."""
    data = {
        "checked_at": checked_at.isoformat(),
        "summary": count_statuses(results),
        "results": [_result_data(result) for result in results],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _result_data(result: LinkResult) -> dict[str, Any]:
    return {
        "url": result.url,
        "sources": list(result.sources),
        "status": result.status,
        "http_status": result.http_status,
        "final_url": result.final_url,
        "redirects": [
            {"status": status, "location": location} for status, location in result.redirects
        ],
        "message": result.message,
        "attempts": result.attempts,
        "elapsed": result.elapsed,
    }


# --- Progress ------------------------------------------------------------------------------


class ProgressBar:
    """A `progress` callback for `check_links` that writes to a terminal.

    On a terminal it redraws one bar in place: `[#####     ] 12/40 enlaces`. Elsewhere (a
    log, a CI job) it writes one plain line per checked link. Call `finish` at the end, or
    use it as a context manager.
    """

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.width = max(1, width)
        self.interactive = _is_terminal(self.stream)
        self.drawn = False

    def __call__(self, done: int, total: int, result: LinkResult) -> None:
        if self.interactive:
            self.stream.write("\r" + self.render(done, total))
            self.drawn = True
        else:
            self.stream.write(f"{done}/{total} {result.status}: {result.url} ({result.message})\n")
        self.stream.flush()

    def render(self, done: int, total: int) -> str:
        filled = self.width * done // total if total else self.width
        bar = "#" * filled + " " * (self.width - filled)
        return f"[{bar}] {done}/{total} enlaces"

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.finish()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
