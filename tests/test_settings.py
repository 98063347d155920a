"""Publishing settings: site.yaml, or defaults without it; the command line wins over it
(the base path, the public address, the editor's repository); a mistake in either is a
Spanish problem that names the file and line, or the option."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogo.catalog import SiteSettings
from catalogo.problems import CatalogError
from catalogo.settings import load_settings, site_urls, with_repository
from catalogo.urls import SiteUrls
from tests.support import DATA, write


def problem_of(path: Path) -> str:
    with pytest.raises(CatalogError) as caught:
        load_settings(path)
    [problem] = caught.value.problems
    return f"{problem.line}: {problem.field}: {problem.message}"


def test_without_a_settings_file_the_defaults_serve_a_local_preview(tmp_path: Path) -> None:
    assert load_settings(None) == SiteSettings()
    assert load_settings(tmp_path / "no-existe.yaml") == SiteSettings()
    assert load_settings(write(tmp_path / "site.yaml", "# nada todavía\n")) == SiteSettings()
    assert site_urls(SiteSettings(), None, None) == SiteUrls("/", "http://127.0.0.1:8000")


def test_site_settings_are_read_and_normalized(tmp_path: Path) -> None:
    path = write(
        tmp_path / "site.yaml",
        "url: https://oit.github.io/\nruta_base: catalogo-trata\nnovedades: 5\n"
        "repositorio: oit-lima/catalogo-trata\n",
    )
    settings = load_settings(path)
    assert (settings.url, settings.ruta_base, settings.novedades) == (
        "https://oit.github.io",
        "/catalogo-trata/",
        5,
    )
    assert (settings.repositorio, settings.rama) == ("oit-lima/catalogo-trata", "main")
    assert site_urls(settings, None, None).absolute("feed.xml") == (
        "https://oit.github.io/catalogo-trata/feed.xml"
    )


def test_site_settings_with_a_byte_order_mark_are_read() -> None:
    assert load_settings(DATA / "con-bom" / "ajustes" / "site.yaml").url == "https://ejemplo.org"


def test_mistakes_in_site_yaml_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    write(path, "url: https://oit.github.io\nnovedad: 5\n")
    assert problem_of(path).startswith("2: novedad: clave desconocida «novedad». ¿Quisiste decir")
    write(path, "url: oit.github.io\n")
    assert problem_of(path) == (
        "1: url: la dirección del sitio «oit.github.io» debe empezar con https://, p. ej. "
        "https://oit.github.io"
    )
    write(path, "- url\n")
    assert problem_of(path) == "1: : site.yaml debe contener claves, p. ej. «url: https://...»"


def test_the_command_line_wins_over_site_yaml() -> None:
    settings = SiteSettings(url="https://oit.github.io", ruta_base="/viejo/")
    urls = site_urls(settings, "/catalogo-trata/", "https://ejemplo.gob.pe")
    assert urls == SiteUrls("/catalogo-trata/", "https://ejemplo.gob.pe")
    assert site_urls(settings, "", None) == SiteUrls("/", "https://oit.github.io")
    assert with_repository(settings, "oit/otro").repositorio == "oit/otro"
    assert with_repository(settings, None) is settings


def test_a_wrong_option_is_a_problem_of_that_option() -> None:
    with pytest.raises(CatalogError) as caught:
        with_repository(SiteSettings(), "https://github.com/oit/catalogo")
    [problem] = caught.value.problems
    assert problem.path == "--repositorio"
    assert "no es un repositorio de GitHub; escribe usuario/proyecto" in problem.message
    with pytest.raises(CatalogError) as caught:
        site_urls(SiteSettings(), "https://x.org/a/", None)
    [problem] = caught.value.problems
    assert problem.path == "--base-url"
    assert "debe ser solo una ruta" in problem.message
