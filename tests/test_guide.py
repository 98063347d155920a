"""The editor's guide: linked first from the README, current with the corpus of slips,
every image there and small."""

from __future__ import annotations

import importlib.util
import re
from types import ModuleType

from tests.support import ROOT

GUIDE = ROOT / "docs" / "guia-del-editor.md"
IMAGES = ROOT / "docs" / "img" / "guia"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("capturas_guia", ROOT / "docs" / "capturas_guia.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_links_the_guide_first_and_keeps_its_quick_start() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_link = re.search(r"\]\(([^)]+)\)", readme)
    assert first_link and first_link.group(1) == "docs/guia-del-editor.md"
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "```\npython3 build.py serve\n```" in quick_start
    assert "```\npython3 build.py test\n```" in quick_start


def test_the_common_mistakes_in_the_guide_are_the_tested_ones() -> None:
    script = load_script()
    assert script.update_guide(check=True), "run docs/capturas_guia.py"
    guide = GUIDE.read_text(encoding="utf-8")
    assert len(re.findall(r"^### \d+\. ", guide, re.MULTILINE)) == 12


def test_every_image_of_the_guide_is_there_small_and_used() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    used = set(re.findall(r"\(img/guia/([\w-]+\.png)\)", guide))
    present = {path.name for path in IMAGES.glob("*.png")}
    assert used == present
    for name in present:
        data = (IMAGES / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) < 80_000, name


def test_the_guides_links_inside_it_lead_somewhere() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    headings = {
        re.sub(r"[^\w\- ]", "", line[3:].strip().lower()).replace(" ", "-")
        for line in guide.splitlines()
        if line.startswith("## ")
    }
    for anchor in re.findall(r"\]\(#([^)]+)\)", guide):
        assert anchor in headings, anchor
