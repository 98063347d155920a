"""The one way the generator tells two versions of some bytes apart.

SHA-256, which processors compute in hardware (twice as fast as BLAKE2 here: a rebuild at
10,000 records digests 50 MB of data files), cut to 128 bits: plenty to tell versions of a
file, a record or a template apart. The site's manifest, record fingerprints and the keys of
generated files all use it. (The browser editor's Content-Security-Policy and Subresource
Integrity attributes use the encodings those standards prescribe: admin.py, cms_vendor.py.)
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def digest_text(text: str) -> str:
    return digest(text.encode("utf-8"))


def code_digest() -> str:
    """Changes whenever the generator's own code changes: part of what the printable
    catalog is made from, whose key the site's manifest keeps from one build to the next."""
    from catalogo import __version__

    parts = [__version__]
    for source in sorted(Path(__file__).parent.glob("*.py")):
        parts.append(f"{source.name} {digest(source.read_bytes())}")
    return digest_text("\n".join(parts))
