"""What a link check found, in the Spanish words editors read: ok, movido, roto or error.

The checker (`links.py`) asks the network; this module only classifies what came back: an
HTTP status at the end of a redirect chain, or an exception that got no HTTP response.
"""

from __future__ import annotations

import errno
import socket
import ssl
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from urllib.parse import urlsplit

import httpx

from catalogo.problems import plural

OK = "ok"
MOVED = "movido"
BROKEN = "roto"
ERROR = "error"
STATUSES = (OK, MOVED, BROKEN, ERROR)

PERMANENT_REDIRECTS = frozenset({301, 308})
REDIRECT_STATUSES = PERMANENT_REDIRECTS | {302, 303, 307}
# A HEAD answered with one of these is trusted: it says nothing about HEAD support.
HEAD_TRUSTED_ERRORS = frozenset({429, 502, 503, 504})
# The server answered, but the answer says nothing sure about the link: report "error".
UNVERIFIABLE = frozenset({401, 403, 407, 429})

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
PROXY = "proxy"
INVALID = "invalida"
REDIRECTS = "redirecciones"
RETRYABLE_FAILURES = frozenset({TIMEOUT, DNS_TEMPORARY, REFUSED, DROPPED, NETWORK})

Chain = tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Failure:
    """A request that got no final HTTP response, and the redirects it went through."""

    kind: str
    message: str
    redirects: Chain = ()
    reached: str | None = None  # the last address asked for, when a redirect led there
    http_status: int | None = None  # the last redirect's status, when redirects failed


@dataclass(frozen=True)
class Outcome:
    """The classification of one attempt."""

    status: str
    http_status: int | None
    final_url: str | None
    redirects: Chain
    message: str
    retryable: bool = False
    retry_after: float | None = None

    @property
    def is_alive(self) -> bool:
        return self.status in (OK, MOVED)


def describe_status(status: int) -> str:
    """`404 No encontrado`: an HTTP status as editors read it."""
    reason = REASONS.get(status)
    if reason is None:
        reason = STATUS_FAMILIES.get(status // 100, "Respuesta desconocida")
    return f"{status} {reason}"


def classify_answer(
    url: str, status: int, final_url: str | None, chain: Chain, retry_after: float | None
) -> Outcome:
    """The outcome of a chain that ended with an HTTP response that is not followed further."""
    if status in REDIRECT_STATUSES:  # httpx follows these unless the Location is missing
        message = f"redirección sin dirección de destino ({status})"
        return Outcome(ERROR, status, final_url, chain, message)
    if status < 400:
        return _success(url, status, final_url, chain)
    message = describe_status(status) + _redirect_note(chain) + HINTS.get(status, "")
    kind = ERROR if status in UNVERIFIABLE else BROKEN
    retryable = status == 429 or status >= 500
    return Outcome(kind, status, final_url, chain, message, retryable, retry_after)


def _success(url: str, status: int, final_url: str | None, chain: Chain) -> Outcome:
    home_note = _home_page_note(url, final_url)
    if final_url is not None and chain and chain[0][0] in PERMANENT_REDIRECTS:
        message = (
            f"movido permanentemente ({chain[0][0]}); la dirección nueva responde "
            f"{describe_status(status)}{home_note}"
        )
        return Outcome(MOVED, status, final_url, chain, message)
    message = describe_status(status) + _redirect_note(chain) + home_note
    return Outcome(OK, status, final_url, chain, message)


def classify_failure(failure: Failure) -> Outcome:
    message = failure.message
    if failure.kind != REDIRECTS:
        message += _redirect_note(failure.redirects)
    retryable = failure.kind in RETRYABLE_FAILURES
    return Outcome(
        ERROR, failure.http_status, failure.reached, failure.redirects, message, retryable
    )


def _redirect_note(chain: Chain) -> str:
    return f" tras {plural(len(chain), 'redirección', 'redirecciones')}" if chain else ""


def _home_page_note(url: str, final_url: str | None) -> str:
    """A hint when a deep link lands on a site's home page: often a removed resource."""
    if final_url is None or urlsplit(final_url).path not in ("", "/"):
        return ""
    if urlsplit(url).path in ("", "/"):
        return ""
    return "; lleva a la portada del sitio: puede que el recurso ya no exista"


def describe_loop(chain: Chain) -> str:
    return f"las redirecciones forman un bucle: vuelven a {chain[-1][1]}"


def describe_too_many(max_redirects: int) -> str:
    return f"demasiadas redirecciones (más de {max_redirects})"


def describe_exception(exc: Exception, url: str, timeout: float) -> tuple[str, str]:
    """`(kind, message)`: a Spanish explanation of a request that got no HTTP response."""
    if isinstance(exc, httpx.TimeoutException):
        return TIMEOUT, f"tiempo de espera agotado ({format_seconds(timeout)} s)"
    if isinstance(exc, httpx.ProxyError):
        return PROXY, f"el proxy no dejó pasar la conexión ({exc})"
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL | httpx.LocalProtocolError):
        return INVALID, f"dirección no válida: {url}"
    if isinstance(exc, httpx.RemoteProtocolError):
        if "without sending" in str(exc):
            return DROPPED, "el servidor cortó la conexión sin responder"
        return DROPPED, "el servidor dio una respuesta que no es HTTP válido"
    return _describe_cause(exc, host_of(url) or url)


def _describe_cause(exc: Exception, host: str) -> tuple[str, str]:
    """Connection failures: httpx wraps the socket or TLS error that says what happened."""
    for cause in _causes(exc):
        if isinstance(cause, socket.gaierror):
            return _describe_dns_failure(cause, host)
        if isinstance(cause, ssl.SSLCertVerificationError):
            return TLS, f"certificado de seguridad no válido ({_certificate_problem(cause)})"
        if isinstance(cause, ssl.SSLError):
            reason = cause.reason or str(cause)
            return TLS, f"fallo en la conexión segura (TLS): {reason}"
        if isinstance(cause, ConnectionRefusedError):
            return REFUSED, "conexión rechazada: el servidor no acepta conexiones"
        if isinstance(cause, OSError) and cause.errno == errno.ENETUNREACH:
            return NETWORK, "la red no está disponible: ¿hay conexión a internet?"
        if isinstance(cause, OSError) and cause.errno == errno.EHOSTUNREACH:
            return NETWORK, "no se puede llegar al servidor"
    if isinstance(exc, httpx.ReadError | httpx.WriteError | httpx.CloseError):
        return DROPPED, "el servidor cortó la conexión sin responder"
    return NETWORK, f"no se pudo conectar con el servidor ({exc or type(exc).__name__})"


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception, what caused it, and every member of exception groups on the way."""
    pending = [exc]
    seen: set[int] = set()
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                pending.append(linked)


def _describe_dns_failure(exc: socket.gaierror, host: str) -> tuple[str, str]:
    if exc.errno == socket.EAI_AGAIN:
        message = (
            f"no se pudo resolver el dominio {host} (fallo temporal: ¿hay conexión a internet?)"
        )
        return DNS_TEMPORARY, message
    return DNS, f"no se pudo resolver el dominio {host}: no existe o no tiene dirección"


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


def host_of(url: str) -> str:
    """The lowercase host name of a URL, or "" when it has none."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
