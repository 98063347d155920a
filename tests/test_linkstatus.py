"""What a link check found, in the words editors read: «ok», «movido», «roto» or «error»,
with the HTTP status named in Spanish, the redirects counted, a hint of what to do, and
whether it is worth asking again."""

from __future__ import annotations

import errno
import socket
import ssl

import httpx
import pytest

from catalogo.linkstatus import (
    Failure,
    classify_answer,
    classify_failure,
    describe_exception,
    describe_status,
    format_seconds,
    host_of,
)

URL = "https://www.gob.pe/guia.pdf"


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (200, "200 OK"),
        (404, "404 No encontrado"),
        (299, "299 Correcto"),
        (599, "599 Error del servidor"),
        (999, "999 Respuesta desconocida"),
    ],
)
def test_an_http_status_is_named_in_spanish(status: int, words: str) -> None:
    assert describe_status(status) == words


def test_a_page_that_answers_is_ok_and_a_permanent_move_is_moved() -> None:
    ok = classify_answer(URL, 200, None, (), None)
    assert (ok.status, ok.message, ok.retryable) == ("ok", "200 OK", False)
    temporary = classify_answer(URL, 200, URL + "?v=2", ((302, URL + "?v=2"),), None)
    assert (temporary.status, temporary.message) == ("ok", "200 OK tras 1 redirección")
    new = "https://www.gob.pe/nueva.pdf"
    moved = classify_answer(URL, 200, new, ((301, new),), None)
    assert (moved.status, moved.final_url) == ("movido", new)
    assert moved.message == "movido permanentemente (301); la dirección nueva responde 200 OK"


def test_a_deep_link_that_lands_on_the_home_page_is_suspected() -> None:
    home = "https://www.gob.pe/"
    outcome = classify_answer(URL, 200, home, ((302, home),), None)
    assert outcome.status == "ok"
    assert outcome.message.endswith(
        "; lleva a la portada del sitio: puede que el recurso ya no exista"
    )
    bare = "https://www.gob.pe"  # the home page asked for, reached with its slash
    assert "portada" not in classify_answer(bare, 200, home, ((301, home),), None).message


def test_missing_pages_are_broken_and_only_passing_failures_are_retried() -> None:
    missing = classify_answer(URL, 404, None, (), None)
    assert (missing.status, missing.is_alive, missing.retryable) == ("roto", False, False)
    busy = classify_answer(URL, 503, None, (), None)
    assert (busy.status, busy.retryable) == ("roto", True)
    limited = classify_answer(URL, 429, None, (), 30.0)
    assert (limited.status, limited.retryable, limited.retry_after) == ("error", True, 30.0)
    assert limited.message.endswith(
        "; el sitio limita las consultas: vuelve a comprobarlo más tarde"
    )


def test_a_forbidden_page_cannot_be_verified_and_says_what_to_do() -> None:
    outcome = classify_answer(URL, 403, None, (), None)
    assert outcome.status == "error", "the page may work in a browser: it is not «roto»"
    assert outcome.message == (
        "403 Acceso prohibido; puede que el sitio bloquee a los verificadores automáticos: "
        "ábrelo en el navegador"
    )


def test_a_failure_counts_its_redirects_and_keeps_where_it_got() -> None:
    failure = Failure("timeout", "tiempo de espera agotado (10 s)", ((301, URL),), URL, 301)
    outcome = classify_failure(failure)
    assert (outcome.status, outcome.final_url, outcome.http_status) == ("error", URL, 301)
    assert outcome.message == "tiempo de espera agotado (10 s) tras 1 redirección"
    assert outcome.retryable


def connect_error(cause: BaseException) -> httpx.ConnectError:
    error = httpx.ConnectError("no se pudo")
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "kind", "words"),
    [
        (httpx.ReadTimeout("lento"), "timeout", "tiempo de espera agotado (2,5 s)"),
        (
            connect_error(socket.gaierror(socket.EAI_NONAME, "Name or service not known")),
            "dns",
            "no se pudo resolver el dominio www.gob.pe: no existe o no tiene dirección",
        ),
        (
            connect_error(socket.gaierror(socket.EAI_AGAIN, "Temporary failure")),
            "dns-temporal",
            "no se pudo resolver el dominio www.gob.pe (fallo temporal: ¿hay conexión a internet?)",
        ),
        (
            connect_error(ConnectionRefusedError(errno.ECONNREFUSED, "refused")),
            "rechazada",
            "conexión rechazada: el servidor no acepta conexiones",
        ),
        (
            connect_error(OSError(errno.ENETUNREACH, "unreachable")),
            "red",
            "la red no está disponible: ¿hay conexión a internet?",
        ),
        (
            httpx.RemoteProtocolError("Server disconnected without sending a response."),
            "cortada",
            "el servidor cortó la conexión sin responder",
        ),
        (httpx.UnsupportedProtocol("ftp"), "invalida", f"dirección no válida: {URL}"),
    ],
)
def test_a_request_without_an_answer_is_explained(error: Exception, kind: str, words: str) -> None:
    assert describe_exception(error, URL, 2.5) == (kind, words)


def test_certificate_problems_are_named() -> None:
    expired = ssl.SSLCertVerificationError(1, "certificate verify failed")
    expired.verify_message = "certificate has expired"
    assert describe_exception(connect_error(expired), URL, 10) == (
        "tls",
        "certificado de seguridad no válido (caducado)",
    )
    other = ssl.SSLCertVerificationError(1, "certificate verify failed")
    other.verify_message = "Hostname mismatch, certificate is not valid for 'www.gob.pe'."
    assert describe_exception(connect_error(other), URL, 10)[1] == (
        "certificado de seguridad no válido (emitido para otro dominio)"
    )


def test_seconds_and_hosts_are_written_for_spanish_readers() -> None:
    assert (format_seconds(10), format_seconds(0.5)) == ("10", "0,5")
    assert host_of("https://WWW.Gob.PE/x") == "www.gob.pe"
    assert host_of("no es una dirección") == ""
    assert host_of("http://[::1") == ""
