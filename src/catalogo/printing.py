"""The build's print step: catalogo.pdf, made beside the pages.

The PDF (pdf.py) takes seconds of WeasyPrint and does not depend on the pages, so it is
made in a forked process (workers.py) while the pages render; only the home and data pages,
which link it with its size, wait for it. A PDF whose key (everything it is made from,
pdf.pdf_key) equals the one the site's manifest records is not made again: the stage keeps
it, or links it from the published site. While serve publishes an edit first, the last PDF
stays as it was (or there is none yet), and the follow-up build makes the new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from catalogo.catalog import Catalog
from catalogo.output import Manifest, Stage
from catalogo.pdf import PDF_FILE, PrintLink, pdf_key, pdf_unavailable, render_pdf
from catalogo.urls import SiteUrls
from catalogo.workers import Child, can_fork, start


@dataclass
class Printing:
    """The printable catalog of one build: in the stage, being made, or missing (why)."""

    key: str | None  # what the PDF in the stage is made from (None: no PDF)
    digest: str | None = None
    size: int = 0
    stale: bool = False  # the last build's PDF, kept while serve publishes an edit first
    notice: str | None = None  # why there is no PDF, for the person building
    child: Child[bytes] | None = None

    def link(self, site_urls: SiteUrls) -> PrintLink | None:
        return PrintLink(site_urls.url(PDF_FILE), self.size) if self.digest else None


def start_printing(
    catalog: Catalog, site_urls: SiteUrls, templates: Path, stage: Stage, keep_stale: bool
) -> Printing:
    """Reuse the PDF the stage or the published site holds when its key is unchanged;
    otherwise start making it (beside the pages where fork is available)."""
    key = pdf_key(catalog, site_urls, templates)
    for manifest in (stage.held, stage.live):
        if manifest.made_from.get(PDF_FILE) == key and reuse(stage, manifest):
            return Printing(key, manifest.files[PDF_FILE], size_in(stage))
    if keep_stale:
        for manifest in (stage.held, stage.live):
            if reuse(stage, manifest):
                kept = manifest.made_from.get(PDF_FILE)
                return Printing(kept, manifest.files[PDF_FILE], size_in(stage), stale=True)
        return Printing(None, stale=True)
    problem = pdf_unavailable()
    if problem is not None:
        return Printing(None, notice=problem)
    if can_fork():
        return Printing(key, child=start(lambda: render_pdf(catalog, site_urls, templates)))
    data = render_pdf(catalog, site_urls, templates)
    return Printing(key, stage.put(PDF_FILE, data), len(data))


def finish_printing(printing: Printing, stage: Stage) -> Printing:
    """Wait for the PDF being made, and put it in the stage."""
    if printing.child is not None:
        data = printing.child.result()
        printing.child = None
        printing.digest = stage.put(PDF_FILE, data)
        printing.size = len(data)
    return printing


def cancel_printing(printing: Printing | None) -> None:
    if printing is not None and printing.child is not None:
        printing.child.cancel()


def reuse(stage: Stage, manifest: Manifest) -> bool:
    wanted = manifest.files.get(PDF_FILE)
    return wanted is not None and stage.reuse(PDF_FILE, wanted)


def size_in(stage: Stage) -> int:
    return (stage.root / PDF_FILE).stat().st_size
