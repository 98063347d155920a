"""Sveltia CMS, vendored: the files of its npm package that the site serves under /admin/,
their pin (exact version, npm integrity, a digest of every file), and how they are made.

The CMS must work from a fresh clone with only Python, and never from a CDN, so its files
live in the repository (`src/catalogo/admin/sveltia/`). They are the package's files as
published, with one kind of change: the package's stylesheet loads its three fonts (the
interface font, a monospace font and the icon font) from a CDN; those addresses are
rewritten to the same fonts, shipped in the same package, served beside the script.
The editor also imports Immutable.js from a CDN for preview templates: the page's import
map sends that address to the site's copy. The Spanish interface strings, fetched from a
CDN too, are kept local by the page's own script (catalogo-cms.js).

To upgrade: change the versions in tests/browser/package.json (Sveltia, and immutable as
Sveltia's package.json asks), run `npm install` there, then `python -m catalogo.cms_vendor`
from the repository root. The browser tests check
that the vendored files are exactly what this module makes from the installed package.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PACKAGE = "@sveltia/cms"
IMMUTABLE = "immutable"  # loaded by the editor for preview templates
ADMIN_ASSETS = Path(__file__).resolve().parent / "admin"
VENDOR_DIR = ADMIN_ASSETS / "sveltia"
PIN_FILE = ADMIN_ASSETS / "sveltia.json"

# Site path (under admin/) -> (package, its file). Font file names carry a build hash, so
# they are found by a pattern.
PACKAGE_FILES = {
    "sveltia-cms.js": (PACKAGE, "dist/sveltia-cms.js"),
    "chunks/react-dom.js": (PACKAGE, "dist/chunks/react-dom.js"),
    "locales/es-CO.json": (PACKAGE, "locales/es-CO.json"),
    "LICENSE.txt": (PACKAGE, "LICENSE.txt"),
    "fuentes/material-symbols-outlined.woff2": (
        PACKAGE,
        "npm/assets/material-symbols-outlined-latin-wght-normal-*.woff2",
    ),
    "fuentes/material-symbols-outlined.LICENSE.txt": (
        PACKAGE,
        "npm/assets/material-symbols-outlined.LICENSE.txt",
    ),
    "fuentes/source-sans-3.woff2": (PACKAGE, "npm/assets/source-sans-3-latin-wght-normal-*.woff2"),
    "fuentes/source-sans-3.LICENSE.txt": (PACKAGE, "npm/assets/source-sans-3.LICENSE.txt"),
    "fuentes/noto-mono.woff2": (PACKAGE, "npm/assets/noto-mono-latin-400-normal-*.woff2"),
    "fuentes/noto-mono.LICENSE.txt": (PACKAGE, "npm/assets/noto-mono.LICENSE.txt"),
    "modulos/immutable.es.js": (IMMUTABLE, "dist/immutable.es.js"),
    "modulos/immutable.LICENSE.txt": (IMMUTABLE, "LICENSE"),
}
# The CDN addresses of the fonts in the script's stylesheet, and where the site serves
# them. Relative addresses in a stylesheet resolve against the page (/admin/).
FONT_ADDRESSES = {
    "https://cdn.jsdelivr.net/fontsource/fonts/material-symbols-outlined:vf@5.3.7/"
    "latin-wght-normal.woff2": "fuentes/material-symbols-outlined.woff2",
    "https://cdn.jsdelivr.net/fontsource/fonts/source-sans-3:vf@5.3.0/"
    "latin-wght-normal.woff2": "fuentes/source-sans-3.woff2",
    "https://cdn.jsdelivr.net/fontsource/fonts/noto-mono@5.3.0/"
    "latin-400-normal.woff2": "fuentes/noto-mono.woff2",
}
# Modules the editor imports from a CDN (unpkg) by address: the page's import map sends
# each one to the site's copy. Sveltia asks for the version its package.json names.
MODULES = {IMMUTABLE: ("dist/immutable.es.js", "modulos/immutable.es.js")}
CDN = "https://unpkg.com"


class VendorError(Exception):
    """The installed packages are not the ones this module knows how to vendor."""


@dataclass(frozen=True)
class Pin:
    packages: dict[str, dict[str, str]]  # name -> version, npm integrity
    import_map: dict[str, str]  # CDN address -> site path (under admin/)
    files: dict[str, str]  # site path -> SRI digest (sha384-...)

    @property
    def version(self) -> str:
        return self.packages[PACKAGE]["version"]

    @classmethod
    def read(cls, path: Path = PIN_FILE) -> Pin:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            packages={str(k): {**v} for k, v in data["packages"].items()},
            import_map={str(k): str(v) for k, v in data["import_map"].items()},
            files={str(k): str(v) for k, v in data["files"].items()},
        )

    def as_json(self) -> str:
        data = {
            "packages": dict(sorted(self.packages.items())),
            "import_map": dict(sorted(self.import_map.items())),
            "files": dict(sorted(self.files.items())),
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def integrity(data: bytes) -> str:
    """A Subresource Integrity digest: the admin page's <script integrity> uses it too."""
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def package_file(modules: Path, package: str, pattern: str) -> Path:
    found = sorted((modules / package).glob(pattern))
    if len(found) != 1:
        raise VendorError(f"{package}/{pattern}: expected one file, found {len(found)}")
    return found[0]


def manifest(modules: Path, package: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((modules / package / "package.json").read_text("utf-8"))
    return data


def derive_files(modules: Path) -> dict[str, bytes]:
    """The vendored files, made from installed copies of the packages (a node_modules)."""
    files = {
        site_path: package_file(modules, package, pattern).read_bytes()
        for site_path, (package, pattern) in PACKAGE_FILES.items()
    }
    script = files["sveltia-cms.js"].decode("utf-8")
    for address, local in FONT_ADDRESSES.items():
        if script.count(address) != 1:
            raise VendorError(f"the script does not load {address} once: update FONT_ADDRESSES")
        script = script.replace(address, local)
    if "cdn.jsdelivr.net" in script:
        raise VendorError("the script loads something else from cdn.jsdelivr.net")
    files["sveltia-cms.js"] = script.encode("utf-8")
    return files


def derive_import_map(modules: Path) -> dict[str, str]:
    """The CDN address the editor imports each module from, as it builds it: the version
    its own package.json asks for, without the range sign."""
    wanted = manifest(modules, PACKAGE)["dependencies"]
    addresses = {}
    for name, (file_name, local) in MODULES.items():
        version = str(wanted[name]).lstrip("^~=")
        installed = str(manifest(modules, name)["version"])
        if installed != version:
            raise VendorError(f"{name} {installed} is installed; the editor asks for {version}")
        addresses[f"{CDN}/{name}@{version}/{file_name}"] = local
    return addresses


def locked_packages(modules: Path, lock_file: Path) -> dict[str, dict[str, str]]:
    """Version and npm integrity of each vendored package, as npm checked them on install."""
    lock = json.loads(lock_file.read_text(encoding="utf-8"))
    packages = {}
    for name in (PACKAGE, IMMUTABLE):
        entry = lock["packages"].get(f"node_modules/{name}")
        version = str(manifest(modules, name)["version"])
        if not entry or entry.get("version") != version:
            raise VendorError(f"{lock_file} does not lock {name} {version}")
        packages[name] = {"version": version, "npm_integrity": str(entry["integrity"])}
    return packages


def derive_pin(modules: Path, lock_file: Path) -> tuple[Pin, dict[str, bytes]]:
    files = derive_files(modules)
    pin = Pin(
        packages=locked_packages(modules, lock_file),
        import_map=derive_import_map(modules),
        files={name: integrity(data) for name, data in files.items()},
    )
    return pin, files


def vendor(modules: Path, lock_file: Path, target: Path = VENDOR_DIR) -> Pin:
    """Write the vendored files and their pin from the installed packages."""
    pin, files = derive_pin(modules, lock_file)
    if target.exists():
        for old in sorted(target.rglob("*"), reverse=True):
            if old.is_dir():
                old.rmdir()
            else:
                old.unlink()
    for name, data in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (target.parent / PIN_FILE.name).write_text(pin.as_json(), encoding="utf-8", newline="\n")
    return pin


def vendored_files(pin: Pin, source: Path = VENDOR_DIR) -> dict[str, bytes]:
    """The vendored files as the site serves them, each checked against its pin."""
    files = {}
    for name, expected in pin.files.items():
        data = (source / name).read_bytes()
        if integrity(data) != expected:
            raise VendorError(f"{source / name} does not match its pin in {PIN_FILE.name}")
        files[name] = data
    return files


def main(argv: list[str]) -> int:
    browser = Path("tests/browser")
    modules = Path(argv[0]) if argv else browser / "node_modules"
    lock_file = Path(argv[1]) if len(argv) > 1 else browser / "package-lock.json"
    pin = vendor(modules, lock_file)
    print(f"{PACKAGE} {pin.version}: {len(pin.files)} files in {VENDOR_DIR}")
    return 0


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    sys.exit(main(sys.argv[1:]))
