"""Where everything is in the site: one way to write a base path and an address, the path of
each kind of page, and every internal link of a built site under the base path."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogo.pipeline import build_site
from catalogo.urls import (
    BaseUrlError,
    SiteUrls,
    normalize_base,
    normalize_origin,
    output_file,
    record_path,
    section_path,
)
from tests.support import EXAMPLE, example_options, page


@pytest.mark.parametrize(
    "base", ["catalogo-trata", "/catalogo-trata", "/catalogo-trata/", " catalogo-trata/ "]
)
def test_a_base_path_has_one_spelling(base: str) -> None:
    assert normalize_base(base) == "/catalogo-trata/"


def test_the_root_and_nested_base_paths() -> None:
    assert normalize_base("") == normalize_base("/") == "/"
    assert normalize_base("oit/catalogo") == "/oit/catalogo/"


@pytest.mark.parametrize(
    ("base", "words"),
    [
        ("https://oit.github.io/catalogo/", "debe ser solo una ruta"),
        ("//oit.github.io/catalogo/", "debe ser solo una ruta"),
        ("/catalogo/../otro/", "no es válida"),
        ("/catalogo?x=1", "no es válida"),
        ("/mi catalogo/", "no es válida"),
    ],
)
def test_a_base_path_that_is_not_one_is_refused_in_spanish(base: str, words: str) -> None:
    with pytest.raises(BaseUrlError, match=words):
        normalize_base(base)


def test_an_address_keeps_its_scheme_and_host_only() -> None:
    assert normalize_origin("https://oit.github.io/") == "https://oit.github.io"
    assert normalize_origin(" http://127.0.0.1:8000/x ") == "http://127.0.0.1:8000"
    with pytest.raises(BaseUrlError, match="debe empezar con https://"):
        normalize_origin("oit.github.io")


def test_links_and_addresses_of_pages() -> None:
    urls = SiteUrls("/catalogo-trata/", "https://oit.github.io")
    assert urls.url(record_path("guia")) == "/catalogo-trata/recursos/guia/"
    assert urls.url("/static/estilo.css") == "/catalogo-trata/static/estilo.css"
    assert urls.absolute() == "https://oit.github.io/catalogo-trata/"
    assert urls.absolute(section_path("objetivo-1")) == (
        "https://oit.github.io/catalogo-trata/objetivo-1/"
    )
    assert output_file("recursos/guia/") == "recursos/guia/index.html"
    assert output_file("") == "index.html"
    assert output_file("404.html") == "404.html"


def test_base_url_prefixes_every_internal_link(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    build_site(example_options(EXAMPLE, out, base_url="catalogo-trata"))
    guide = page(out, "recursos/guia-de-prueba/")
    assert 'href="/catalogo-trata/static/estilo.css"' in guide
    assert 'href="/catalogo-trata/recursos/video-de-prueba/"' in guide
    assert 'href="/recursos/' not in guide
    assert "https://ejemplo.org/catalogo-trata/recursos/guia-de-prueba/" in guide
