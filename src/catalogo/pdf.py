"""The printable catalog, `catalogo.pdf`, made with WeasyPrint from templates/pdf/.

Offices print the catalog and pass it around, and many readers work where the connection
comes and goes. The PDF has a cover, a table of contents with page numbers (and PDF
bookmarks), then each section with its records in catalog order; each record carries a QR
code that opens its page on the published site, and its links as short readable
addresses (the full address stays in the link annotation, and on the record's page).

WeasyPrint needs the Pango library. Where it is missing (Windows or macOS without it),
`pdf_unavailable` says so in Spanish and the build goes on without the PDF: the site
itself needs only Python. WeasyPrint is imported only when a PDF is actually made.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup

from catalogo import urls
from catalogo.catalog import Catalog, Section, Series
from catalogo.digests import code_digest, digest
from catalogo.environment import make_environment, raised_in_template, template_problem
from catalogo.linksummary import format_size
from catalogo.markup import render_markdown
from catalogo.models import Record
from catalogo.problems import CatalogError
from catalogo.qrcodes import data_uri, qr_svg
from catalogo.urls import SiteUrls

PDF_FILE = "catalogo.pdf"
TEMPLATE_FOLDER = "pdf"  # inside the templates folder: the HTML, its CSS and the font
TEMPLATE = "catalogo.html"
SHORT_ADDRESS = 60  # characters of a printed address before it is shortened
PANGO_HELP = (
    "WeasyPrint, que genera catalogo.pdf, necesita la biblioteca Pango y no la encuentra "
    "({error}). En Debian o Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0; "
    "en Windows o macOS, ver https://doc.courtbouillon.org/weasyprint/stable/"
    "first_steps.html."
)


@dataclass(frozen=True)
class PrintLink:
    """What the home and data pages say about the PDF: where it is and how much it weighs."""

    url: str
    size: int

    @property
    def size_text(self) -> str:
        return format_size(self.size)


@dataclass(frozen=True)
class LinkLine:
    """An access link as printed: what it opens, a short address, and the full one."""

    name: str
    short: str
    url: str


@dataclass
class RecordEntry:
    """One record as the PDF prints it."""

    record: Record
    anchor: str
    address: str
    qr: str
    lang: str | None
    links: list[LinkLine]
    series: Series | None = None
    series_size: int = 0
    series_anchor: str = ""  # where its series' description is printed
    series_text: bool = False  # the description is printed with this record


@dataclass
class SectionPart:
    key: str
    section: Section
    anchor: str
    heading: str
    records: list[RecordEntry] = field(default_factory=list)


def short_address(url: str, limit: int = SHORT_ADDRESS) -> str:
    """A web address a reader can recognize on paper: no scheme, no «www.», decoded, and
    shortened in the middle when long (`drive.google.com/…/11EONL8Ci_EkxLpV7`)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    path = unquote(parts.path).rstrip("/")
    text = host + path + (f"?{unquote(parts.query)}" if parts.query else "")
    if len(text) <= limit:
        return text
    segments = [segment for segment in path.split("/") if segment]
    tail = segments[-1] if segments else ""
    if parts.query:
        tail += f"?{unquote(parts.query)}"
    room = max(limit - len(host) - 3, 12)
    if len(tail) > room:
        tail = tail[: room - 1] + "…"
    return host + ("/…/" if len(segments) > 1 else "/") + tail


def pdf_unavailable() -> str | None:
    """Why WeasyPrint cannot run here, in Spanish; None when it can."""
    try:
        # WeasyPrint prints an English banner when Pango is missing: ours says it in Spanish.
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint  # noqa: F401
    except OSError as error:  # Pango (or GLib) missing: cffi cannot load it
        return PANGO_HELP.format(error=str(error).splitlines()[0])
    except ImportError as error:
        return f"falta el paquete weasyprint ({error}); reinstala con «pip install -e .»"
    return None


def pdf_key(catalog: Catalog, site_urls: SiteUrls, templates_dir: Path) -> str:
    """Everything the PDF is made of: records, vocabularies, addresses, its templates and
    font, the generator and WeasyPrint. An unchanged key means the same PDF."""
    parts = [code_digest(), repr(site_urls)]
    for package in ("weasyprint", "pydyf", "segno"):
        try:
            parts.append(f"{package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{package} -")
    parts.append(catalog.info.model_dump_json())
    vocab = catalog.vocabularies
    for group in (
        catalog.sections,
        catalog.series,
        vocab.tipos,
        vocab.publicos,
        vocab.instituciones,
        vocab.idiomas,
        vocab.formatos,
    ):
        parts += [f"{key}={value.model_dump_json()}" for key, value in group.items()]
    parts += [record.fingerprint for record in catalog.records]
    folder = templates_dir / TEMPLATE_FOLDER
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            parts.append(f"{path.relative_to(folder).as_posix()}={digest(path.read_bytes())}")
    return digest("\n".join(parts).encode("utf-8"))


def link_lines(record: Record, catalog: Catalog) -> list[LinkLine]:
    formats = catalog.vocabularies.formatos
    languages = catalog.vocabularies.idiomas
    lines = []
    for link in record.enlaces:
        name = formats[link.formato].nombre if link.formato in formats else "Enlace"
        name = link.etiqueta or name  # «Tomo I» says more than «PDF» (the address ends in .pdf)
        if link.idioma and link.idioma != record.idioma and link.idioma in languages:
            name = f"{name}, en {languages[link.idioma].nombre}"
        lines.append(LinkLine(name, short_address(link.url), link.url))
    return lines


def print_sections(
    catalog: Catalog, site_urls: SiteUrls, qr: Callable[[str], str]
) -> list[SectionPart]:
    """The sections with their records in catalog order, as the template prints them.
    A series' description is printed once, with its first record; the others point to it."""
    parts = {
        key: SectionPart(
            key, section, f"seccion-{key}", f"{section.nombre_corto}: {section.titulo}"
        )
        for key, section in catalog.sections.items()
    }
    sizes: dict[str, int] = {}
    for record in catalog.records:
        if record.serie:
            sizes[record.serie] = sizes.get(record.serie, 0) + 1
    described: set[str] = set()
    for record in catalog.records:
        address = site_urls.absolute(urls.record_path(record.id))
        entry = RecordEntry(
            record=record,
            anchor=f"r-{record.id}",
            address=address,
            qr=qr(address),
            lang=record.idioma if record.idioma != catalog.info.idioma else None,
            links=link_lines(record, catalog),
        )
        series = catalog.series.get(record.serie) if record.serie else None
        if series is not None and record.serie:
            entry.series = series
            entry.series_size = sizes[record.serie]
            if series.descripcion:
                entry.series_anchor = f"serie-{record.serie}"
                entry.series_text = record.serie not in described
                described.add(record.serie)
        parts[record.seccion].records.append(entry)
    return list(parts.values())


def render_html(catalog: Catalog, site_urls: SiteUrls, templates_dir: Path) -> str:
    """The PDF's HTML, from templates/pdf/catalogo.html."""
    env = make_environment(templates_dir / TEMPLATE_FOLDER)
    vocab = catalog.vocabularies

    def institution(key: str) -> str:
        entry = vocab.instituciones[key]
        return f"{entry.nombre} ({entry.siglas})" if entry.siglas else entry.nombre

    env.filters["markdown"] = lambda text: Markup(render_markdown(text or ""))
    env.filters["audience"] = lambda key: vocab.publicos[key].nombre
    env.filters["institution"] = institution
    home = site_urls.absolute()
    context: dict[str, Any] = {
        "info": catalog.info,
        "vocab": vocab,
        "total": len(catalog.records),
        "sections": print_sections(catalog, site_urls, lambda address: data_uri(qr_svg(address))),
        "home": {"address": home, "short": short_address(home), "qr": data_uri(qr_svg(home))},
    }
    try:
        return env.get_template(TEMPLATE).render(**context)
    except (jinja2.TemplateError, TypeError, AttributeError) as error:
        if isinstance(error, jinja2.TemplateError) or raised_in_template(error):
            raise CatalogError([template_problem(error, templates_dir)]) from error
        raise


def render_pdf(catalog: Catalog, site_urls: SiteUrls, templates_dir: Path) -> bytes:
    """catalogo.pdf: A4, tagged, with the packaged font embedded (subset, hinted)."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    folder = (templates_dir / TEMPLATE_FOLDER).resolve()
    html = render_html(catalog, site_urls, templates_dir)
    document = HTML(string=html, base_url=folder.as_uri() + "/", url_fetcher=local_fetcher(folder))
    pdf = document.write_pdf(
        font_config=FontConfiguration(),
        pdf_tags=True,
        hinting=True,
        pdf_identifier=digest(html.encode("utf-8"))[:32].encode("ascii"),
    )
    assert pdf is not None  # write_pdf without a target returns the bytes
    return bytes(pdf)


def local_fetcher(folder: Path) -> Callable[[str], Any]:
    """WeasyPrint may read the template's own files and `data:` images, nothing else: the
    PDF never depends on the network, and a description cannot pull anything in."""
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"file", "data"})

    def fetch(url: str) -> Any:
        if url.startswith("file:"):
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not path.is_relative_to(folder):
                raise ValueError(f"fuera de la carpeta de plantillas del PDF: {url}")
        return fetcher.fetch(url)

    return fetch
