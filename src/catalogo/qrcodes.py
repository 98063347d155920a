"""QR codes (segno, SVG) that open a page of the published site from paper.

A code is drawn black on white with its quiet zone (four modules, as the standard asks)
inside the SVG, so it scans wherever it is placed. Error correction M (15 %) survives a
creased or photocopied page while keeping the code small enough to stay sharp at 3 cm.
Making one costs about 7 ms (segno picks the best of eight masks in pure Python), so a
build makes the codes only with the print files (--sin-pdf skips them) and keeps each one
while its address is unchanged.
"""

from __future__ import annotations

import base64
import io


def qr_svg(address: str) -> bytes:
    """An SVG QR code for `address`, sized by whoever shows it (it has a viewBox only)."""
    import segno  # here, so that a build without print files never loads it

    code = segno.make(address, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(
        buffer,
        kind="svg",
        border=4,
        dark="#000",
        light="#fff",
        xmldecl=False,
        svgclass=None,
        lineclass=None,
        omitsize=True,
        nl=False,
    )
    return buffer.getvalue()


def data_uri(svg: bytes) -> str:
    """An SVG as a `data:` address, for a document that must hold its images."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
