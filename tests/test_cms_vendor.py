"""Sveltia CMS, vendored: the files the site serves under /admin/ are exactly its npm
package's (fonts served beside it instead of from a CDN), checked against their pin."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest

from catalogo.cms_vendor import (
    PIN_FILE,
    VENDOR_DIR,
    Pin,
    VendorError,
    derive_pin,
    integrity,
    vendored_files,
)
from tests.browser.support import NODE_MODULES, require
from tests.support import ROOT


def test_vendored_files_match_their_pin() -> None:
    pin = Pin.read()
    assert pin.version == "0.221.1"
    files = vendored_files(pin)
    assert set(files) == {p.relative_to(VENDOR_DIR).as_posix() for p in VENDOR_DIR.rglob("*") if p.is_file()}
    script = files["sveltia-cms.js"]
    assert integrity(script) == pin.files["sveltia-cms.js"]
    assert b"cdn.jsdelivr.net" not in script  # its fonts come from the site


def test_a_changed_vendored_file_is_refused(tmp_path: Path) -> None:
    pin = Pin.read()
    copy = tmp_path / "sveltia"
    for name in pin.files:
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / name).write_bytes((VENDOR_DIR / name).read_bytes())
    (copy / "sveltia-cms.js").write_bytes((VENDOR_DIR / "sveltia-cms.js").read_bytes() + b"\n")
    with pytest.raises(VendorError):
        vendored_files(pin, copy)


def test_vendored_files_are_the_installed_packages() -> None:
    """The shipped files are exactly what cms_vendor makes from the packages that npm
    installed (and checked against package-lock.json's integrity)."""
    require((NODE_MODULES / "@sveltia" / "cms").exists(), "@sveltia/cms (cd tests/browser && npm ci)")
    pin, files = derive_pin(NODE_MODULES, ROOT / "tests" / "browser" / "package-lock.json")
    assert pin.as_json() == PIN_FILE.read_text(encoding="utf-8")
    assert files == vendored_files(Pin.read())


def test_integrity_is_the_subresource_integrity_a_browser_checks() -> None:
    data = b"console.log('hola')\n"
    expected = base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")
    assert integrity(data) == f"sha384-{expected}"
