"""Offline reading: the service worker and the list of files it may keep.

Made at the very end of a build, once the site is complete (pages, static files and the
search index) and before it is swapped in, because the worker names every file of exactly
this build with its content digest. A reader's browser can then tell one build from the
next, store only bytes it has checked, and never show a page of one build with the search
files of another (serviceworker.js says how; static/sin-conexion.js registers it).

What the worker may keep, and why:
- the shell, stored when it installs: the home, search, offline and 404 pages, the styles,
  scripts and icons the pages use, and the web app manifest;
- every other page, the search index (Pagefind's script, worker, wasm, index, filters and
  fragments) and each record's citation files (small, and readers cite in their reports):
  stored as a reader opens them, or all at once with «Guardar el catálogo»;
- never: the open-data downloads and the printable PDF (large, and meant for a desk with a
  connection; every fact in them is on the saved pages), the browser editor, the feed and
  sitemap, the print-only QR codes, and anything of another site.

The list is split into parts of about PART_ENTRIES files (a file's part comes from a hash
of its key, the same in Python and in the worker), so a worker that needs one page's
digest fetches one small part, not the list of a 10,000-record catalog.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from catalogo.digests import digest
from catalogo.linksummary import format_size
from catalogo.output import Stage
from catalogo.urls import SEARCH_INDEX

WORKER = "sw.js"
LIST_PART = "sw/archivos-{}.json"
WEB_MANIFEST = "manifest.webmanifest"
OFFLINE_PAGE = "sin-conexion/index.html"
SHELL_PAGES = frozenset({"index.html", "buscar/index.html", OFFLINE_PAGE, "404.html"})
SHELL_STATIC = (".css", ".js", ".svg", ".ico")
# Besides pages and the shell, the files the worker may keep: the search index, the search
# page's word list and each record's citation files. The worker gets these patterns too
# (as JavaScript regular expressions) and leaves every other file to the network untouched,
# without even looking it up: the print-only QR codes, the PDF, the open data.
STORED_FILES = (
    SEARCH_INDEX + r"/.+",
    r"buscar/palabras\.json",
    r"recursos/[^/]+/cita\.(ris|bib|json)",
)
STORED = re.compile("|".join(f"(?:{pattern})" for pattern in STORED_FILES))
SEARCH_CODE = frozenset({"pagefind.js", "pagefind-worker.js", "pagefind-entry.json"})
SEARCH_DATA = (".pf_meta", ".pf_index", ".pf_filter", ".pf_fragment")
SEARCH_WASM = re.compile(r"wasm\.(.+)\.pagefind")
SEARCH_ENTRY = "pagefind-entry.json"
NEVER = ("admin/", "datos/catalogo")
# Left wholly to the network, the worker never answers for them: the browser editor works
# online only, and signs in and saves through its own requests.
UNTOUCHED = ("admin/",)
UNRESERVED = re.compile(r"[A-Za-z0-9/._~-]*")  # what quote() leaves as it is (with "/")
DIGEST_CHARS = 16  # 64 bits of SHA-256: plenty to tell two versions of one file apart
PART_ENTRIES = 500
FNV_START = 0x811C9DC5  # FNV-1a's offset basis (32 bits)
WORKER_SOURCE = Path(__file__).with_name("serviceworker.js")
RETIRING_SOURCE = Path(__file__).with_name("serviceworker-retiro.js")


@dataclass(frozen=True)
class SiteFile:
    digest: str  # the first DIGEST_CHARS hex digits of the file's SHA-256
    size: int


@dataclass(frozen=True)
class OfflineSite:
    """What the worker of one build knows, by key (see key_of)."""

    version: str  # a digest of every kept file's key and digest: names the build's cache
    shell: dict[str, SiteFile]
    kept: dict[str, SiteFile]  # everything the worker may store, the shell included


def key_of(path: str) -> str:
    """A file's key: its address under the site's base as links write it ("" for the
    home, "recursos/x/" for a page, "static/estilo.css"), percent-encoded as browsers do."""
    if path == "index.html" or path.endswith("/index.html"):
        path = path.removesuffix("index.html")
    return path if UNRESERVED.fullmatch(path) else quote(path, safe="/-._~")


def part_of(key: str, parts: int) -> int:
    """Which part of the list holds `key`: FNV-1a (32 bits) of its UTF-8 bytes, modulo the
    number of parts. serviceworker.js computes the same (partOf)."""
    return hash_onward(FNV_START, key) % parts


def hash_onward(value: int, text: str) -> int:
    """FNV-1a from `value` (the hash of what came before) on through `text`."""
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


class PartFinder:
    """part_of for the keys of one list, faster: a hash runs byte after byte, so the hash
    of each folder («recursos/x/», shared by a page and its citation files) is kept and
    each key goes on from its folder's (a third of the time at 10,000 records)."""

    def __init__(self, parts: int) -> None:
        self.parts = parts
        self.folders = {"": FNV_START}

    def part(self, key: str) -> int:
        cut = key.rfind("/") + 1
        return hash_onward(self.folder(key[:cut]), key[cut:]) % self.parts

    def folder(self, head: str) -> int:
        value = self.folders.get(head)
        if value is None:
            parent = head[: head.rfind("/", 0, -1) + 1]
            value = self.folders[head] = hash_onward(self.folder(parent), head[len(parent) :])
        return value


def search_languages(entry: bytes) -> frozenset[str]:
    """The wasm builds a search bundle uses: pagefind-entry.json names one per language."""
    try:
        languages = json.loads(entry.decode("utf-8")).get("languages", {})
        return frozenset(str(language.get("wasm")) for language in languages.values())
    except (ValueError, AttributeError):
        return frozenset()


def role_of(path: str, wasm: frozenset[str]) -> str | None:
    """What the worker does with a file of the site: "shell" (stored when it installs),
    "store" (stored when used, or when the reader saves the whole catalog) or None (left
    to the network). `wasm`: the search languages whose wasm build is used."""
    if path.startswith(NEVER):
        return None
    if path in SHELL_PAGES or path == WEB_MANIFEST:
        return "shell"
    if path.startswith("static/"):
        return "shell" if path.endswith(SHELL_STATIC) else None
    if path.startswith(SEARCH_INDEX + "/"):
        name = path.rsplit("/", 1)[-1]
        if name in SEARCH_CODE or name.endswith(SEARCH_DATA):
            return "store"
        used = SEARCH_WASM.fullmatch(name)
        return "store" if used and used.group(1) in wasm else None
    if path.endswith(".html") or STORED.fullmatch(path):
        return "store"
    return None


def site_files(root: Path, digests: Mapping[str, str]) -> dict[str, SiteFile]:
    """Digest and size of every file of the finished site folder `root`: the build's own
    digests (digests.digest) for all but the search index, which is read here."""
    base = os.fspath(root) + os.sep  # plain strings: 40,000 Path objects cost 0.3 s
    files = {
        path: SiteFile(value[:DIGEST_CHARS], os.stat(base + path).st_size)
        for path, value in digests.items()
        if not path.startswith(".")
    }
    for folder, _, names in os.walk(root / SEARCH_INDEX):
        for name in names:
            full = Path(folder, name)
            data = full.read_bytes()
            relative = full.relative_to(root).as_posix()
            files[relative] = SiteFile(digest(data)[:DIGEST_CHARS], len(data))
    return dict(sorted(files.items()))


def offline_site(files: Mapping[str, SiteFile], wasm: frozenset[str]) -> OfflineSite:
    """The shell and the kept files of a site made of `files` (path -> facts)."""
    shell: dict[str, SiteFile] = {}
    kept: dict[str, SiteFile] = {}
    for path, facts in sorted(files.items()):
        role = role_of(path, wasm)
        if role is None:
            continue
        key = key_of(path)
        kept[key] = facts
        if role == "shell":
            shell[key] = facts
    lines = "".join(f"{key} {facts.digest}\n" for key, facts in kept.items())
    return OfflineSite(digest(lines.encode("utf-8"))[:DIGEST_CHARS], shell, kept)


def list_parts(kept: Mapping[str, SiteFile]) -> list[bytes]:
    """The list of kept files as JSON parts, {key: [digest, size]} each."""
    count = max(1, -(-len(kept) // PART_ENTRIES))
    parts: list[dict[str, list[str | int]]] = [{} for _ in range(count)]
    finder = PartFinder(count)
    for key, facts in kept.items():
        parts[finder.part(key)][key] = [facts.digest, facts.size]
    return [json.dumps(part, separators=(",", ":")).encode("ascii") for part in parts]


def service_worker(site: OfflineSite, base: str, parts: list[bytes]) -> bytes:
    """The worker script: this build's facts as `BUILD`, then serviceworker.js."""
    part_keys = [LIST_PART.format(number) for number in range(len(parts))]
    total = sum(facts.size for facts in site.kept.values()) + sum(len(part) for part in parts)
    build = {
        "version": site.version,
        "base": base,
        "untouched": list(UNTOUCHED),
        "files": list(STORED_FILES),
        "shell": {key: facts.digest for key, facts in site.shell.items()},
        "parts": [
            [key, digest(part)[:DIGEST_CHARS]] for key, part in zip(part_keys, parts, strict=True)
        ],
        "total": {
            "files": len(site.kept) + len(parts),
            "bytes": total,
            "text": format_size(total),
        },
    }
    header = (
        "// Hecho por Catálogo en cada build (src/catalogo/offline.py): no se edita a mano.\n"
        f"var BUILD = {json.dumps(build, separators=(',', ':'), ensure_ascii=True)};\n"
    )
    return header.encode("utf-8") + WORKER_SOURCE.read_bytes()


def offline_files(root: Path, digests: Mapping[str, str], base: str) -> dict[str, bytes]:
    """The worker and its list, for the finished site in `root` whose files have the
    digests `digests` (all but the search index, read here)."""
    files = site_files(root, digests)
    wasm = frozenset[str]().union(
        *(
            search_languages((root / path).read_bytes())
            for path in files
            if path.rsplit("/", 1)[-1] == SEARCH_ENTRY
        )
    )
    site = offline_site(files, wasm)
    parts = list_parts(site.kept)
    made = {LIST_PART.format(number): part for number, part in enumerate(parts)}
    made[WORKER] = service_worker(site, base, parts)
    return made


def finish_site(
    root: Path, digests: Mapping[str, str], *, base: str, preview: bool
) -> dict[str, bytes]:
    """The files made from the finished site. The live preview gets a worker that removes
    itself instead: a worker left by a published build on the same address would go on
    answering with old pages while an editor changes them."""
    if preview:
        return {WORKER: RETIRING_SOURCE.read_bytes()}
    return offline_files(root, digests, base)


def add_offline_files(
    stage: Stage, files: Mapping[str, str], base: str, preview: bool
) -> dict[str, str]:
    """Put the offline files into the finished stage; returns their digests."""
    made = finish_site(stage.root, files, base=base, preview=preview)
    return {path: stage.put(path, data) for path, data in made.items()}
