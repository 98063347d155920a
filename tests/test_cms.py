"""The browser editor (/admin/): its configuration generated from the model, the
vocabularies and the sections; its vendored files checked against their pin; its page's
own security policy, and every other page's unchanged."""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel, Field

from catalogo.admin import ADMIN, content_security_policy
from catalogo.catalog import Catalog
from catalogo.cli import main
from catalogo.cms import CONFIG_FILE, RECORDS_COLLECTION, cms_config, render_config, write_config
from catalogo.cms_vendor import (
    PIN_FILE,
    VENDOR_DIR,
    Pin,
    VendorError,
    derive_pin,
    integrity,
    vendored_files,
)
from catalogo.loader import load_catalog
from catalogo.models import MAX_YEAR, MIN_YEAR, RecordFields, Text, TypeId
from catalogo.pipeline import build_site
from tests.browser.support import NODE_MODULES, require
from tests.conftest import EXAMPLE, ROOT, example_options

CONFIG = ROOT / "schema" / CONFIG_FILE
SITE_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' "
    "data:; media-src 'none'; frame-src https://www.youtube-nocookie.com; connect-src 'self'; "
    "worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(ROOT / "catalog").catalog


@pytest.fixture(scope="module")
def config(catalog: Catalog) -> dict[str, Any]:
    return cms_config(catalog)


def fields_of(config: dict[str, Any], collection: str = "objetivo-1") -> dict[str, Any]:
    found = next(c for c in config["collections"] if c["name"] == collection)
    return {field["name"]: field for field in found["fields"]}


def options(field: dict[str, Any]) -> list[Any]:
    return [option["value"] for option in field["options"]]


# --- The configuration -----------------------------------------------------------------


def test_committed_config_is_current(catalog: Catalog) -> None:
    assert CONFIG.read_text(encoding="utf-8") == render_config(catalog), (
        "schema/cms.json is stale: run «python3 build.py cms»"
    )


def test_cms_command_writes_then_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert write_config(tmp_path, EXAMPLE, check=True) == 1
    assert "no está al día" in capsys.readouterr().out
    assert main(["cms", "--catalog", str(EXAMPLE), "--out", str(tmp_path)]) == 0
    assert main(["cms", "--catalog", str(EXAMPLE), "--out", str(tmp_path), "--check"]) == 0
    assert "está al día" in capsys.readouterr().out
    (tmp_path / CONFIG_FILE).write_text("{}\n", encoding="utf-8")
    assert main(["cms", "--catalog", str(EXAMPLE), "--out", str(tmp_path), "--check"]) == 1


def test_one_collection_per_section_in_its_folder(catalog: Catalog, config: dict[str, Any]) -> None:
    sections = [c for c in config["collections"] if c["name"] != RECORDS_COLLECTION]
    assert [c["name"] for c in sections] == list(catalog.sections)
    for collection in sections:
        key = collection["name"]
        assert collection["folder"] == f"catalog/{key}"
        assert collection["label"] == catalog.sections[key].nombre_corto
        assert collection["description"] == catalog.sections[key].titulo
        assert (collection["extension"], collection["format"]) == ("yaml", "yaml")
        assert collection["identifier_field"] == "titulo"
        assert collection["slug"] == "{{titulo}}"  # the id is the slug of the title
        assert collection["delete"] is False
    assert config["slug"] == {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}


def test_fields_follow_the_record_files_order(config: dict[str, Any]) -> None:
    for collection in config["collections"]:
        assert [f["name"] for f in collection["fields"]] == list(RecordFields.model_fields)


def test_labels_are_spanish_and_hints_are_the_model_descriptions(config: dict[str, Any]) -> None:
    fields = fields_of(config)
    assert fields["titulo"]["label"] == "Título"
    assert fields["fecha_alta"]["label"] == "Fecha de alta"
    for name, info in RecordFields.model_fields.items():
        assert info.description and fields[name]["hint"].startswith(info.description), name
    link = {f["name"]: f for f in fields["enlaces"]["fields"]}
    assert link["url"]["hint"] == "Dirección completa del recurso, empezando por https://"


def test_required_fields_are_required(config: dict[str, Any]) -> None:
    fields = fields_of(config)
    required = {name for name, field in fields.items() if field["required"]}
    assert required == {"titulo", "tipo"}
    link = {f["name"]: f["required"] for f in fields["enlaces"]["fields"]}
    assert link == {
        "url": True,
        "formato": False,
        "etiqueta": False,
        "idioma": False,
        "agregado_por_editor": False,
    }
    correction = {f["name"]: f["required"] for f in fields["correcciones"]["fields"]}
    assert correction == {"campo": True, "original": True, "motivo": False}


def test_text_fields(config: dict[str, Any]) -> None:
    fields = fields_of(config)
    assert fields["titulo"]["widget"] == "string"
    assert fields["titulo"]["maxlength"] == 400
    assert fields["descripcion"]["widget"] == "markdown"  # its description says Markdown
    assert fields["descripcion"]["editor_components"] == []  # no images: records hold no files
    link = {f["name"]: f for f in fields["enlaces"]["fields"]}
    assert link["url"]["widget"] == "string"
    assert link["url"]["type"] == "url"
    assert link["etiqueta"]["widget"] == "string"


def test_vocabularies_are_lists_to_choose_from(catalog: Catalog, config: dict[str, Any]) -> None:
    fields = fields_of(config)
    vocab = catalog.vocabularies
    assert fields["tipo"]["widget"] == "select"
    assert options(fields["tipo"]) == list(vocab.tipos)
    assert fields["tipo"]["options"][0]["label"] == vocab.tipos["estudio"].nombre
    assert "multiple" not in fields["tipo"]
    for name, values in (("publico", vocab.publicos), ("instituciones", vocab.instituciones)):
        assert fields[name]["widget"] == "select"
        assert fields[name]["multiple"] is True
        assert options(fields[name]) == list(values)
    pnp = next(o for o in fields["instituciones"]["options"] if o["value"] == "pnp")
    assert pnp["label"] == "Policía Nacional del Perú (PNP)"
    assert options(fields["idioma"]) == list(vocab.idiomas)
    assert fields["idioma"]["default"] == "es"
    assert options(fields["serie"]) == list(catalog.series)
    assert fields["serie"]["options"][0]["label"] == next(iter(catalog.series.values())).titulo
    link = {f["name"]: f for f in fields["enlaces"]["fields"]}
    assert options(link["formato"]) == list(vocab.formatos)
    assert options(link["idioma"]) == list(vocab.idiomas)


def test_years_months_and_positions_keep_the_model_limits(config: dict[str, Any]) -> None:
    fields = fields_of(config)
    years = fields["anio"]
    assert years["widget"] == "select" and years["multiple"] is True
    assert options(years) == list(range(MAX_YEAR, MIN_YEAR - 1, -1))
    assert years["required"] is False
    assert fields["mes"] | {"hint": ""} == {
        "name": "mes",
        "label": "Mes",
        "widget": "number",
        "value_type": "int",
        "min": 1,
        "max": 12,
        "hint": "",
        "required": False,
    }
    assert fields["orden"]["min"] == 1 and "max" not in fields["orden"]


def test_dates_booleans_lists_and_relations(config: dict[str, Any]) -> None:
    fields = fields_of(config)
    assert fields["fecha_alta"]["widget"] == "datetime"
    assert fields["fecha_alta"]["format"] == "YYYY-MM-DD"
    assert fields["fecha_alta"]["time_format"] is False
    assert fields["fecha_alta"]["default"] == "{{now}}"
    link = {f["name"]: f for f in fields["enlaces"]["fields"]}
    assert link["agregado_por_editor"]["widget"] == "boolean"
    assert link["agregado_por_editor"]["default"] is False
    assert fields["enlaces"]["widget"] == "list"
    assert fields["enlaces"]["summary"] == "{{fields.url}}"
    assert [f["name"] for f in fields["enlaces"]["fields"]] == [
        "url",
        "formato",
        "etiqueta",
        "idioma",
        "agregado_por_editor",
    ]
    assert fields["notas_editoriales"]["widget"] == "list"
    assert fields["notas_editoriales"]["field"]["widget"] == "text"
    assert fields["correcciones"]["widget"] == "list"
    related = fields["relacionados"]
    assert related["widget"] == "relation"
    assert related["collection"] == RECORDS_COLLECTION
    assert related["value_field"] == "{{slug}}"
    assert related["multiple"] is True
    every = next(c for c in config["collections"] if c["name"] == RECORDS_COLLECTION)
    assert every["folder"] == "catalog" and every["hide"] is True and every["create"] is False
    assert every["nested"] == {"depth": 2, "subfolders": False}


class Tag(BaseModel):
    nombre: Text = Field(description="Nombre de la etiqueta.")
    peso: float | None = Field(default=None, gt=0, lt=10, description="Peso.")


class GrownRecord(RecordFields):
    """What another change to the model might add."""

    coautores: list[Text] = Field(default_factory=list, description="Personas coautoras.")
    revisado: bool = Field(default=False, description="Revisado por el equipo.")
    fecha_revision: datetime.date | None = Field(default=None, description="Cuándo.")
    tipo_secundario: TypeId | None = Field(default=None, description="Otro tipo.")
    etiqueta_principal: Tag | None = Field(default=None, description="Una etiqueta.")
    etiquetas: list[Tag] = Field(default_factory=list, description="Etiquetas.")


def test_a_field_added_to_the_model_appears_in_the_form(catalog: Catalog) -> None:
    fields = fields_of(cms_config(catalog, GrownRecord))
    assert list(fields)[-6:] == [
        "coautores",
        "revisado",
        "fecha_revision",
        "tipo_secundario",
        "etiqueta_principal",
        "etiquetas",
    ]
    assert fields["coautores"]["label"] == "Coautores"
    assert fields["coautores"]["hint"] == "Personas coautoras."
    assert fields["coautores"]["widget"] == "list"
    assert fields["revisado"]["widget"] == "boolean"
    assert fields["fecha_revision"]["widget"] == "datetime"
    assert options(fields["tipo_secundario"]) == list(catalog.vocabularies.tipos)
    assert fields["etiqueta_principal"]["widget"] == "object"
    tag = {f["name"]: f for f in fields["etiquetas"]["fields"]}
    assert tag["peso"] | {"hint": ""} == {
        "name": "peso",
        "label": "Peso",
        "widget": "number",
        "value_type": "float",
        "min": 1,
        "max": 9,
        "hint": "",
        "required": False,
    }


def test_config_is_valid_for_the_editor(config: dict[str, Any]) -> None:
    """Checked against the editor's own JSON Schema, from its npm package."""
    schema_file = NODE_MODULES / "@sveltia" / "cms" / "schema" / "sveltia-cms.json"
    require(schema_file.exists(), "@sveltia/cms (cd tests/browser && npm ci)")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    complete = {**config, "backend": {**config["backend"], "repo": "oit/catalogo"}}
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(complete))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


# --- The vendored editor ----------------------------------------------------------------


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


# --- The page in the site ---------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cms") / "_site"
    build_site(example_options(EXAMPLE, out, base_url="/catalogo/", repository="oit/catalogo"))
    return out


def policy_of(html: str) -> str:
    found = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert found
    return found.group(1).replace("&#39;", "'")


def test_admin_page_has_its_own_policy(site: Path) -> None:
    html = (site / "admin" / "index.html").read_text(encoding="utf-8")
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


def test_admin_page_loads_the_pinned_editor_from_the_site(site: Path) -> None:
    html = (site / "admin" / "index.html").read_text(encoding="utf-8")
    pin = Pin.read()
    assert f'<script src="sveltia-cms.js" integrity="{pin.files["sveltia-cms.js"]}"' in html
    script = (site / "admin" / "catalogo-cms.js").read_bytes()
    assert f'src="catalogo-cms.js" integrity="{integrity(script)}"' in html
    assert 'data-repositorio="oit/catalogo"' in html
    assert 'data-estilo="/catalogo/static/estilo.css"' in html
    for name in pin.files:
        assert (site / "admin" / name).read_bytes() == (VENDOR_DIR / name).read_bytes()
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_admin_page_is_hidden_from_search_engines_sitemap_and_search(site: Path) -> None:
    html = (site / "admin" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert '<body data-pagefind-ignore="all">' in html
    assert "data-pagefind-body" not in html
    assert "/admin/" not in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_every_other_page_keeps_the_site_policy_and_loads_nothing_of_the_editor(site: Path) -> None:
    pages = [p for p in site.rglob("*.html") if not p.relative_to(site).as_posix().startswith(ADMIN)]
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert policy_of(html) == SITE_POLICY, page
        assert "admin/" not in html, page
        assert "sveltia" not in html.lower(), page


def test_site_config_is_the_generated_one(site: Path) -> None:
    written = json.loads((site / "admin" / "config.json").read_text(encoding="utf-8"))
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
