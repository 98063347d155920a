"""The browser editor's page, /admin/: its HTML, its configuration, its own script and
style, and Sveltia CMS's vendored files, as site files {path: bytes}.

The page has its own Content-Security-Policy: scripts from the site only, connections to
the site and the GitHub API only (where the editor's token goes, and nowhere else).
It is `noindex`, out of the sitemap and out of the search index; no other page links to
it or loads anything of it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from typing import Any

from catalogo.catalog import Catalog, SiteSettings
from catalogo.cms import render_config
from catalogo.cms_vendor import ADMIN_ASSETS, Pin, integrity, vendored_files
from catalogo.urls import SiteUrls

ADMIN = "admin/"
OWN_FILES = ("catalogo-cms.js", "vista-previa.css", "admin.css")
GITHUB_API = "https://api.github.com"


def content_security_policy(import_map: str) -> str:
    """What the editor needs and nothing more. Scripts: the site's, and the page's one
    inline import map, by its digest. Styles: the editor injects its own <style> elements
    and style attributes, so 'unsafe-inline' (styles only, never scripts). Images: the
    site's, the editor's own (data:, blob:) and the signed-in user's GitHub avatar.
    Connections: the site, the GitHub API, and data: and blob: addresses (the editor
    reads its own images and files through them; they reach no server). Frames: the
    preview pane, a blob: document the editor writes itself."""
    digest = base64.b64encode(hashlib.sha256(import_map.encode("utf-8")).digest()).decode()
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src 'self' 'sha256-{digest}'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob: https://avatars.githubusercontent.com",
            "font-src 'self'",
            "frame-src blob:",
            f"connect-src 'self' data: blob: {GITHUB_API}",
            "manifest-src 'self'",
            "base-uri 'self'",
            "form-action 'none'",
            "object-src 'none'",
        ]
    )


def import_map(pin: Pin, site_urls: SiteUrls) -> str:
    """The editor imports some modules from a CDN by address; this sends them to the site."""
    imports = {
        address: site_urls.url(ADMIN + local) for address, local in sorted(pin.import_map.items())
    }
    return json.dumps({"imports": imports}, ensure_ascii=False)


def admin_config(catalog: Catalog) -> bytes:
    """schema/cms.json, as `build.py cms` writes it."""
    return render_config(catalog).encode("utf-8")


def preview_data(catalog: Catalog) -> dict[str, Any]:
    """What the preview pane needs to name things as the record page does."""
    vocab = catalog.vocabularies
    return {
        "idioma": catalog.info.idioma,
        "secciones": {
            key: {"nombre_corto": section.nombre_corto} for key, section in catalog.sections.items()
        },
        "tipos": {key: entry.nombre for key, entry in vocab.tipos.items()},
        "publicos": {key: entry.nombre for key, entry in vocab.publicos.items()},
        "instituciones": {
            key: f"{entry.nombre} ({entry.siglas})" if entry.siglas else entry.nombre
            for key, entry in vocab.instituciones.items()
        },
        "idiomas": {key: entry.nombre for key, entry in vocab.idiomas.items()},
        "formatos": {
            key: {"nombre": entry.nombre, "etiqueta": entry.etiqueta}
            for key, entry in vocab.formatos.items()
        },
        "series": {key: series.titulo for key, series in catalog.series.items()},
    }


def script_json(data: object) -> str:
    """JSON that is safe inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def own_files() -> dict[str, bytes]:
    return {name: (ADMIN_ASSETS / name).read_bytes() for name in OWN_FILES}


def page_context(
    catalog: Catalog, settings: SiteSettings, site_urls: SiteUrls, own: dict[str, bytes], pin: Pin
) -> dict[str, Any]:
    modules = import_map(pin, site_urls)
    return {
        "csp": content_security_policy(modules),
        "import_map": modules,
        "script_integrity": integrity(own["catalogo-cms.js"]),
        "style_integrity": integrity(own["admin.css"]),
        "cms_integrity": pin.files["sveltia-cms.js"],
        "cms_version": pin.version,
        "repository": settings.repositorio or "",
        "branch": settings.rama,
        "site_address": site_urls.absolute(),
        "site_style": site_urls.url("static/estilo.css"),
        "logo": site_urls.url("static/icono.svg"),
        "preview_json": script_json(preview_data(catalog)),
    }


def admin_files(
    catalog: Catalog,
    settings: SiteSettings,
    site_urls: SiteUrls,
    render_page: Callable[[dict[str, Any]], str],
    pin: Pin | None = None,
) -> dict[str, bytes]:
    """Every file under admin/: the page, rendered by `render_page` from its context."""
    pin = pin or Pin.read()
    own = own_files()
    files = {ADMIN + name: data for name, data in vendored_files(pin).items()}
    files.update({ADMIN + name: data for name, data in own.items()})
    files[ADMIN + "config.json"] = admin_config(catalog)
    context = page_context(catalog, settings, site_urls, own, pin)
    files[ADMIN + "index.html"] = render_page(context).encode("utf-8")
    return files


def file_names(pin: Pin) -> list[str]:
    """The files admin_files makes, known without making them."""
    names = [*pin.files, *OWN_FILES, "config.json", "index.html"]
    return [ADMIN + name for name in names]
