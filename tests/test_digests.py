"""The one way the generator tells two versions of some bytes apart: SHA-256 cut to 128
bits (the site's manifest keeps these from one build to the next), and a digest of the
generator's own code, which changes with any of its source files."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from catalogo.digests import code_digest, digest, digest_text
from tests.support import ROOT


def test_a_digest_is_sha256_cut_to_128_bits() -> None:
    assert digest(b"catalogo") == hashlib.sha256(b"catalogo").hexdigest()[:32]
    assert digest_text("niño") == digest("niño".encode())
    assert digest(b"a") != digest(b"b")


def code_digest_of(package: Path) -> str:
    """code_digest() as a process importing the generator from `package` computes it."""
    result = subprocess.run(
        [sys.executable, "-c", "from catalogo.digests import code_digest; print(code_digest())"],
        env={**os.environ, "PYTHONPATH": str(package.parent)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_the_code_digest_changes_with_any_source_file(tmp_path: Path) -> None:
    same = tmp_path / "igual" / "catalogo"
    changed = tmp_path / "cambiado" / "catalogo"
    for copy in (same, changed):
        shutil.copytree(ROOT / "src" / "catalogo", copy)
    with (changed / "video.py").open("a", encoding="utf-8") as source:
        source.write("# otra versión\n")
    assert code_digest_of(same) == code_digest() == code_digest()
    assert code_digest_of(changed) != code_digest()
