"""Ways to explore the catalog are data (catalog/_explorar.yaml): a catalog adds, renames or
drops one without Python or template changes, and no page links a browse page it lacks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from catalogo.pipeline import build_site
from catalogo.problems import CatalogError
from tests.support import ROOT, example_options, run

HREF = re.compile(r'(?:href|src|action)="(/[^"]*)"')


def build(catalog: Path, out: Path) -> Path:
    build_site(example_options(catalog, out))
    return out


def broken_links(site: Path) -> dict[str, set[str]]:
    """Internal links of every page that lead to no file, by page."""
    broken: dict[str, set[str]] = {}
    for page in site.rglob("*.html"):
        for link in HREF.findall(page.read_text(encoding="utf-8")):
            path = link.split("#")[0].split("?")[0].lstrip("/")
            target = site / path
            if path.startswith("__catalogo/") or target.is_file():
                continue
            if not (target / "index.html").is_file():
                broken.setdefault(page.relative_to(site).as_posix(), set()).add(link)
    return broken


def footer(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    return html[html.index('<footer class="pie">') :]


def menu(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    return html[html.index('<nav aria-label="Principal">') : html.index("</nav>")]


def test_a_new_way_to_explore_gets_its_pages_and_a_link_on_every_page(
    example_catalog: Path, tmp_path: Path
) -> None:
    with (example_catalog / "_explorar.yaml").open("a", encoding="utf-8") as settings:
        settings.write(
            "idiomas:\n  vocabulario: idiomas\n  titulo: Recursos por idioma\n"
            "  introduccion: En castellano y en quechua.\n  miga: Por idioma\n  enlace: pie\n"
        )
    site = build(example_catalog, tmp_path / "_site")
    assert "<h1>Recursos por idioma</h1>" in (site / "idiomas" / "index.html").read_text("utf-8")
    quechua = (site / "idiomas" / "quz" / "index.html").read_text(encoding="utf-8")
    assert "spot-quz" in quechua and "spot-es" not in quechua
    for page in (site / "index.html", site / "recursos" / "spot-es" / "index.html"):
        assert '<a href="/idiomas/">Por idioma</a>' in footer(page)
    assert broken_links(site) == {}


def test_a_renamed_folder_moves_every_link_with_it(example_catalog: Path, tmp_path: Path) -> None:
    settings = example_catalog / "_explorar.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("publico:\n", "para:\n", 1), encoding="utf-8"
    )
    site = build(example_catalog, tmp_path / "_site")
    assert not (site / "publico").exists()
    assert '<a href="/para/"' in menu(site / "index.html")
    record = (site / "recursos" / "guia-de-prueba" / "index.html").read_text(encoding="utf-8")
    assert 'href="/para/policia/"' in record
    assert broken_links(site) == {}


def test_a_catalog_without_browse_pages_links_none(example_catalog: Path, tmp_path: Path) -> None:
    (example_catalog / "_explorar.yaml").unlink()
    site = build(example_catalog, tmp_path / "_site")
    for folder in ("publico", "tipos", "anios", "series"):
        assert not (site / folder).exists()
    search = (site / "buscar" / "index.html").read_text(encoding="utf-8")
    assert "La búsqueda necesita JavaScript.</p>" in search
    assert "Por tipo" not in menu(site / "index.html")
    assert broken_links(site) == {}


def test_the_shipped_ways_to_explore_are_linked_where_they_were(
    example_catalog: Path, tmp_path: Path
) -> None:
    site = build(example_catalog, tmp_path / "_site")
    home = site / "index.html"
    assert re.findall(r'<a href="(/[a-z]+/)"', menu(home))[:2] == ["/publico/", "/tipos/"]
    assert '<a href="/anios/">Por año</a>' in footer(home)
    assert '<a href="/series/">Series</a>' in footer(home)
    search = (site / "buscar" / "index.html").read_text(encoding="utf-8")
    assert (
        'explorar el catálogo <a href="/publico/">por público</a>, <a href="/tipos/">por tipo</a>, '
        '<a href="/anios/">por año</a> o <a href="/series/">por series</a>.'
    ) in search


def test_an_unknown_place_for_the_link_is_explained(example_catalog: Path, tmp_path: Path) -> None:
    settings = example_catalog / "_explorar.yaml"
    text = settings.read_text(encoding="utf-8").replace("enlace: pie", "enlace: pei", 1)
    settings.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as raised:
        build(example_catalog, tmp_path / "_site")
    (problem,) = raised.value.problems
    line = text.splitlines().index("  enlace: pei") + 1
    assert problem.path.endswith("_explorar.yaml") and problem.line == line
    assert "«pei» no es un lugar para el enlace" in problem.message
    assert "«pie»" in problem.message


def test_ways_to_explore_that_no_page_links_are_a_warning(
    example_catalog: Path, tmp_path: Path
) -> None:
    """A catalog written before «enlace» existed: its browse pages are made, but neither the
    menu nor the footer shows them, and validate says so once, on _explorar.yaml."""
    settings = example_catalog / "_explorar.yaml"
    text = re.sub(r"^  enlace: \w+\n", "", settings.read_text(encoding="utf-8"), flags=re.M)
    settings.write_text(text, encoding="utf-8")
    report = build_site(example_options(example_catalog, tmp_path / "_site"))
    found = [w for w in report.warnings if w.path.endswith("_explorar.yaml")]
    assert len(found) == 1
    assert "ni el menú ni el pie las muestran" in found[0].message
    assert "«enlace: menu»" in found[0].message and found[0].line == 6
    assert "Por público" not in menu(tmp_path / "_site" / "index.html")


def test_the_shipped_ways_to_explore_raise_no_warning(tmp_path: Path) -> None:
    report = build_site(example_options(ROOT / "catalog", tmp_path / "_site", search=False))
    assert not [w for w in report.warnings if w.path.endswith("_explorar.yaml")]


def test_an_editor_running_validate_sees_where_to_add_enlace(example_catalog: Path) -> None:
    settings = example_catalog / "_explorar.yaml"
    text = re.sub(r"^  enlace: \w+\n", "", settings.read_text(encoding="utf-8"), flags=re.M)
    settings.write_text(text, encoding="utf-8")
    result = run("validar", "--catalog", example_catalog)
    assert result.returncode == 0, "a warning does not stop publishing"
    assert "_explorar.yaml:6: aviso: publico.enlace: ninguna página para explorar" in result.stderr
    assert "añade «enlace: menu» o «enlace: pie»" in result.stderr
