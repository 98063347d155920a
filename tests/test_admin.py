"""The browser editor's page, /admin/, in a built site: its own security policy (scripts
from the site only, connections to the site and the GitHub API only), the pinned editor
loaded from the site, the repository it saves to; hidden from search engines, the sitemap
and the search index; and every other page keeps the site's policy and loads nothing of it."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest

from catalogo.admin import ADMIN, content_security_policy, script_json
from catalogo.cli import main
from catalogo.cms import cms_config
from catalogo.cms_vendor import VENDOR_DIR, Pin, integrity
from catalogo.loader import load_catalog
from catalogo.pipeline import build_site
from tests.support import EXAMPLE, example_options

SITE_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' "
    "data:; media-src 'none'; frame-src https://www.youtube-nocookie.com; connect-src 'self'; "
    "worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
)


@pytest.fixture(scope="module")
def admin_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cms") / "_site"
    build_site(example_options(EXAMPLE, out, base_url="/catalogo/", repository="oit/catalogo"))
    return out


def policy_of(html: str) -> str:
    found = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert found
    return found.group(1).replace("&#39;", "'")


def test_admin_page_has_its_own_policy(admin_site: Path) -> None:
    html = (admin_site / "admin" / "index.html").read_text(encoding="utf-8")
    policy = policy_of(html)
    directives = dict(part.split(" ", 1) for part in policy.split("; "))
    import_map = re.search(r'<script type="importmap">(.*?)</script>', html, re.S)
    assert import_map
    digest = base64.b64encode(hashlib.sha256(import_map.group(1).encode()).digest()).decode()
    assert directives["script-src"] == f"'self' 'sha256-{digest}'"  # no CDN, no inline code
    assert directives["connect-src"] == "'self' data: blob: https://api.github.com"
    assert directives["default-src"] == "'none'"
    assert policy == content_security_policy(import_map.group(1))
    assert json.loads(import_map.group(1)) == {
        "imports": {
            "https://unpkg.com/immutable@5.1.9/dist/immutable.es.js": "/catalogo/admin/modulos/immutable.es.js"
        }
    }


def test_admin_page_loads_the_pinned_editor_from_the_site(admin_site: Path) -> None:
    html = (admin_site / "admin" / "index.html").read_text(encoding="utf-8")
    pin = Pin.read()
    assert f'<script src="sveltia-cms.js" integrity="{pin.files["sveltia-cms.js"]}"' in html
    script = (admin_site / "admin" / "catalogo-cms.js").read_bytes()
    assert f'src="catalogo-cms.js" integrity="{integrity(script)}"' in html
    assert 'data-repositorio="oit/catalogo"' in html
    assert 'data-estilo="/catalogo/static/estilo.css"' in html
    for name in pin.files:
        assert (admin_site / "admin" / name).read_bytes() == (VENDOR_DIR / name).read_bytes()
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_admin_page_is_hidden_from_search_engines_sitemap_and_search(admin_site: Path) -> None:
    html = (admin_site / "admin" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert '<body data-pagefind-ignore="all">' in html
    assert "data-pagefind-body" not in html
    assert "/admin/" not in (admin_site / "sitemap.xml").read_text(encoding="utf-8")


def test_every_other_page_keeps_the_site_policy_and_loads_nothing_of_the_editor(admin_site: Path) -> None:
    pages = [p for p in admin_site.rglob("*.html") if not p.relative_to(admin_site).as_posix().startswith(ADMIN)]
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert policy_of(html) == SITE_POLICY, page
        assert "admin/" not in html, page
        assert "sveltia" not in html.lower(), page


def test_site_config_is_the_generated_one(admin_site: Path) -> None:
    written = json.loads((admin_site / "admin" / "config.json").read_text(encoding="utf-8"))
    assert written == cms_config(load_catalog(EXAMPLE).catalog)


def test_repository_comes_from_the_command_line_or_site_yaml(tmp_path: Path) -> None:
    settings = tmp_path / "site.yaml"
    settings.write_text("repositorio: oficina/catalogo\nrama: publicar\n", encoding="utf-8")
    out = tmp_path / "_site"
    build_site(example_options(EXAMPLE, out, settings_file=settings))
    html = (out / "admin" / "index.html").read_text(encoding="utf-8")
    assert 'data-repositorio="oficina/catalogo"' in html and 'data-rama="publicar"' in html
    build_site(example_options(EXAMPLE, out, settings_file=settings, repository="oit/otro"))
    assert 'data-repositorio="oit/otro"' in (out / "admin" / "index.html").read_text("utf-8")


def test_a_wrong_repository_is_explained_in_spanish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "_site"
    wrong = "https://github.com/oit/catalogo"
    code = main(["build", "--catalog", str(EXAMPLE), "--out", str(out), "--repositorio", wrong])
    assert code == 1
    err = capsys.readouterr().err
    assert "--repositorio" in err and "no es un repositorio de GitHub; escribe usuario/proyecto" in err
    assert not out.exists()


def test_admin_page_is_not_in_the_search_index(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    build_site(example_options(EXAMPLE, out, search=True))
    entry = json.loads((out / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    indexed = sum(language["page_count"] for language in entry["languages"].values())
    searchable = [p for p in out.rglob("*.html") if "data-pagefind-body" in p.read_text("utf-8")]
    assert (out / "admin" / "index.html").exists()
    assert indexed == len(searchable) == 4  # the record pages only


def test_data_for_the_page_cannot_close_its_script_element() -> None:
    text = script_json({"titulo": "</script><script>alert(1)</script> & más"})
    assert "</script>" not in text and "<" not in text and "&" not in text
    assert json.loads(text) == {"titulo": "</script><script>alert(1)</script> & más"}
