"""Every generated HTML page is valid (the Nu Html Checker, one JVM run over all of them)
and within the size budget."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.browser.support import VNU, SiteServer, java_path, require

pytestmark = pytest.mark.browser

HTML_BUDGET = 60 * 1024


def test_every_page_is_valid_html(real_site: SiteServer) -> None:
    java = java_path()
    require(java is not None, "java (apt-get install default-jre-headless)")
    require(VNU.exists(), "vnu-jar (cd tests/browser && npm ci)")
    pages = sorted(str(path) for path in real_site.site.rglob("*.html"))
    assert len(pages) > 140
    run = subprocess.run(
        [str(java), "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(run.stderr or run.stdout)
    errors = [
        f"{message.get('url', '?').rsplit('/_site/', 1)[-1]}:{message.get('lastLine', '?')}: "
        f"{message.get('message')}"
        for message in report["messages"]
        if message.get("type") == "error" or message.get("subType") == "fatal"
    ]
    assert not errors, "\n".join(errors[:50])
    assert run.returncode == 0, run.stderr[-2000:]


def test_no_html_page_is_over_budget(real_site: SiteServer, capsys: pytest.CaptureFixture[str]) -> None:
    sizes = {
        path.relative_to(real_site.site).as_posix(): path.stat().st_size
        for path in real_site.site.rglob("*.html")
    }
    largest = max(sizes, key=lambda name: sizes[name])
    with capsys.disabled():
        print(f"\n[budget] largest HTML page: {largest} {sizes[largest] / 1024:.1f} KB "
              f"({len(sizes)} pages)")
    over = {name: size for name, size in sizes.items() if size > HTML_BUDGET}
    assert not over, over
