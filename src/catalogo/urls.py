"""Where everything is in the site: its fixed folders, the path of each kind of page, and
SiteUrls, through which every internal link goes, so a base path such as
`/catalogo-trata/` (GitHub project pages) can never break a link.

A section's page is /<id>/ and a way to explore the catalog is /<folder>/ (_explorar.yaml):
the loader refuses ids that would take one of SITE_FOLDERS, or each other's folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

RECORDS = "recursos"
SEARCH_PAGE = "buscar"
DATA = "datos"
ABOUT = "acerca"
STATIC = "static"
SEARCH_INDEX = "pagefind"
ADMIN = "admin"
SITE_FOLDERS = frozenset({RECORDS, SEARCH_PAGE, DATA, ABOUT, STATIC, SEARCH_INDEX, ADMIN})


class BaseUrlError(ValueError):
    """A base path that cannot be used: the message says why, in Spanish."""


def normalize_base(base: str) -> str:
    """`catalogo-trata`, `/catalogo-trata` and `/catalogo-trata/` all mean `/catalogo-trata/`."""
    value = base.strip()
    if "://" in value or value.startswith("//"):
        raise BaseUrlError(
            f"la ruta base «{base}» debe ser solo una ruta, como /catalogo-trata/, sin dominio"
        )
    parts = [part for part in value.split("/") if part]
    if any(part in (".", "..") for part in parts) or any(ch in value for ch in '?#\\"<> '):
        raise BaseUrlError(f"la ruta base «{base}» no es válida; usa algo como /catalogo-trata/")
    return "/" + "".join(f"{part}/" for part in parts)


def normalize_origin(url: str) -> str:
    """`https://oit.github.io/` -> `https://oit.github.io` (the base path is kept apart)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BaseUrlError(
            f"la dirección del sitio «{url}» debe empezar con https://, p. ej. https://oit.github.io"
        )
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class SiteUrls:
    base: str = "/"
    origin: str = "http://127.0.0.1:8000"

    def url(self, path: str = "") -> str:
        """Root-relative link to a page or file of the site, e.g. `/catalogo-trata/recursos/x/`."""
        return self.base + path.lstrip("/")

    def absolute(self, path: str = "") -> str:
        """Full address, for canonical links, feeds, sitemaps and citations."""
        return self.origin + self.url(path)


def record_path(record_id: str) -> str:
    return f"{RECORDS}/{record_id}/"


def record_qr_path(record_id: str) -> str:
    """The QR code that a printed record page carries (made with the print files)."""
    return f"{RECORDS}/{record_id}/qr.svg"


def section_path(section_id: str) -> str:
    return f"{section_id}/"


def output_file(path: str) -> str:
    """The file that serves a page path: `recursos/x/` -> `recursos/x/index.html`."""
    return path + "index.html" if path == "" or path.endswith("/") else path
