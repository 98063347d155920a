"""Publishing settings: site.yaml, with what the command line says instead (the base path,
the public address, the repository the browser editor saves to)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from catalogo.catalog import SiteSettings
from catalogo.problems import CatalogError, Problem, display_path
from catalogo.urls import BaseUrlError, SiteUrls, normalize_base, normalize_origin
from catalogo.validation import problems_from_validation
from catalogo.yamlfile import read_document


def load_settings(path: Path | None) -> SiteSettings:
    """Publishing settings from site.yaml; defaults when there is no such file."""
    if path is None or not path.exists():
        return SiteSettings()
    display = display_path(path)
    document = read_document(path, display)
    if isinstance(document, Problem):
        raise CatalogError([document])
    if document.data is None:
        return SiteSettings()
    if not isinstance(document.data, dict):
        raise CatalogError(
            [Problem(display, 1, "", "site.yaml debe contener claves, p. ej. «url: https://...»")]
        )
    try:
        return SiteSettings.model_validate(document.data)
    except ValidationError as error:
        raise CatalogError(problems_from_validation(error, document, SiteSettings)) from error


def with_repository(settings: SiteSettings, repository: str | None) -> SiteSettings:
    """The settings, with the repository given on the command line (GitHub Actions knows
    it) in place of site.yaml's."""
    if not repository:
        return settings
    try:
        return SiteSettings.model_validate({**settings.model_dump(), "repositorio": repository})
    except ValidationError as error:
        message = error.errors()[0]["msg"]
        raise CatalogError([Problem("--repositorio", None, "", message)]) from error


def site_urls(settings: SiteSettings, base_url: str | None, site_url: str | None) -> SiteUrls:
    """Where the site lives: the command line's base path and address, or site.yaml's."""
    try:
        base = normalize_base(base_url if base_url is not None else settings.ruta_base)
        origin = normalize_origin(site_url or settings.url)
    except BaseUrlError as error:
        raise CatalogError([Problem("--base-url", None, "", str(error))]) from error
    return SiteUrls(base=base, origin=origin)
