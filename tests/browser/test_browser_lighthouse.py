"""Lighthouse (mobile preset) on the home, a section, a resource and the search page:
accessibility, best practices and SEO score 100; performance is printed, not asserted
(the test server does not compress nor cache, unlike GitHub Pages)."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.support import (
    BROWSER_DIR,
    CHROMIUM_ARGS,
    LIGHTHOUSE,
    SiteServer,
    chromium_path,
    node_path,
    require,
)

pytestmark = pytest.mark.browser

PAGES = {
    "home": "",
    "section": "objetivo-2/",
    "resource": "recursos/video-buenas-practicas-jueces/",
    "search": "buscar/?q=victima",
}
ASSERTED = ("accessibility", "best-practices", "seo")
PARALLEL = 2


def lighthouse_command(node: str, url: str, output: Path) -> list[str]:
    return [
        node,
        str(LIGHTHOUSE),
        url,
        "--only-categories=accessibility,best-practices,seo,performance",
        "--output=json",
        f"--output-path={output}",
        "--quiet",
        "--max-wait-for-load=30000",
        "--chrome-flags=" + " ".join(["--headless=new", *CHROMIUM_ARGS]),
    ]


@pytest.fixture(scope="module")
def reports(
    real_site: SiteServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, dict[str, Any]]]:
    node = node_path()
    chromium = chromium_path()
    require(node is not None, "node")
    require(chromium is not None, "chromium (apt-get install chromium)")
    require(LIGHTHOUSE.exists(), "lighthouse (cd tests/browser && npm ci)")
    assert node is not None and chromium is not None
    folder = tmp_path_factory.mktemp("lighthouse")
    environment = {**os.environ, "CHROME_PATH": chromium}
    results: dict[str, dict[str, Any]] = {}
    names = list(PAGES)
    for start in range(0, len(names), PARALLEL):
        running = []
        for name in names[start:start + PARALLEL]:
            output = folder / f"{name}.json"
            command = lighthouse_command(node, real_site.url(PAGES[name]), output)
            process = subprocess.Popen(
                command, cwd=BROWSER_DIR, env=environment,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            running.append((name, output, process))
        for name, output, process in running:
            _, errors = process.communicate(timeout=240)
            assert process.returncode == 0 and output.exists(), f"lighthouse {name}: {errors[-2000:]}"
            results[name] = json.loads(output.read_text(encoding="utf-8"))
    yield results


def failing_audits(report: dict[str, Any], category: str) -> list[str]:
    failing = []
    for reference in report["categories"][category]["auditRefs"]:
        audit = report["audits"][reference["id"]]
        if reference.get("weight", 0) and audit.get("score") is not None and audit["score"] < 1:
            failing.append(f"{audit['id']}: {audit['title']} {audit.get('displayValue', '')}")
    return failing


@pytest.mark.parametrize("name", list(PAGES))
def test_lighthouse_scores(
    reports: dict[str, dict[str, Any]], name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    report = reports[name]
    scores = {key: value["score"] for key, value in report["categories"].items()}
    metrics = report["audits"]
    with capsys.disabled():
        print(
            f"\n[lighthouse] {name} ({PAGES[name] or '/'}): "
            + ", ".join(f"{key} {round((score or 0) * 100)}" for key, score in scores.items())
            + f"; LCP {metrics['largest-contentful-paint']['displayValue']}"
            + f", CLS {metrics['cumulative-layout-shift']['displayValue']}"
            + f", TBT {metrics['total-blocking-time']['displayValue']}"
        )
    for category in ASSERTED:
        assert scores[category] == 1, failing_audits(report, category)
