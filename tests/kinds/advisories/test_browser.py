"""An advisory with Markdown details in a real browser, at 1280 and 390 px.

No sideways scroll, no console error, no dialog; the details keep their
structure; ids and dates stay on one line; table cells do not break
inside words. Screenshots go to ``$CROSSWORK_SCREENSHOTS`` when it is set
(kept as CI artifacts). Needs Chromium and ``playwright`` like
``tests/site/test_browser.py``; skipped without them unless
``CROSSWORK_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import os
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from .test_sphinxext import HIGH, LIBRARIES, MARKDOWN_DETAILS, osv, write_source

CHROMIUM = os.environ.get("CROSSWORK_CHROMIUM") or shutil.which("chromium") or ""
GHSA = "GHSA-2026-0001-abcd"
LONG_PACKAGE = "python-keystoneclient-with-a-rather-long-distribution-name"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def sync_playwright():
    required = os.environ.get("CROSSWORK_REQUIRE_BROWSER") == "1"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            raise
        pytest.skip("playwright is not installed")
    if not CHROMIUM:
        if required:
            pytest.fail("Chromium is required but was not found")
        pytest.skip("Chromium is not installed")
    return sync_playwright


def screenshot(page: Any, name: str) -> None:
    folder = os.environ.get("CROSSWORK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def look(page: Any) -> dict[str, Any]:
    """What the test checks on the page, measured in the browser."""
    return page.evaluate(
        """() => {
        // An inline element broken over lines has one box per line.
        const one = (el) => el.getClientRects().length === 1;
        const cells = [...document.querySelectorAll('main table td p')];
        return {
            overflow: document.documentElement.scrollWidth
                - document.documentElement.clientWidth,
            rubrics: document.querySelectorAll('#details p.rubric').length,
            lists: document.querySelectorAll('#details ol li').length,
            code: document.querySelectorAll('#details pre').length,
            nowrap: [...document.querySelectorAll('.crosswork-nowrap')]
                .filter(el => el.offsetParent !== null).every(one),
            breaking: cells.map(p => getComputedStyle(p))
                .filter(s => s.overflowWrap === 'anywhere'
                    || s.wordBreak === 'break-all').length,
        };
    }"""
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_an_advisory_with_markdown_details_reads_well(
    copy_root, build_site, width: int
) -> None:
    playwright_context = sync_playwright()
    site = copy_root("test-advisories")
    write_source(
        site,
        LIBRARIES,
        [
            osv(GHSA, "2026-05-01", details=MARKDOWN_DETAILS, severity=HIGH),
            osv("PYSEC-2026-2", "2026-04-30", package=LONG_PACKAGE),
        ],
    )
    app, _ = build_site(site)
    handler = partial(QuietHandler, directory=str(app.outdir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/security/advisories"
    problems: list[str] = []
    try:
        with playwright_context() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.on(
                "console",
                lambda m: (
                    problems.append(f"{m.text} {m.location.get('url')}")
                    if m.type == "error"
                    else None
                ),
            )
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on(
                "response",
                lambda r: (
                    problems.append(f"{r.status} {r.url}") if r.status >= 400 else None
                ),
            )
            page.on("dialog", lambda d: (problems.append(d.message), d.dismiss()))
            page.goto(f"{base}/{GHSA}.html")
            advisory = look(page)
            screenshot(page, f"advisory-markdown-{width}.png")
            page.goto(f"{base}/index.html")
            index = look(page)
            screenshot(page, f"advisory-index-{width}.png")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()

    # The browser asks for /favicon.ico by itself; the test root has none.
    assert [p for p in problems if not p.endswith("/favicon.ico")] == []
    assert advisory["overflow"] <= 0 and index["overflow"] <= 0
    assert (advisory["rubrics"], advisory["lists"], advisory["code"]) == (1, 2, 1)
    assert advisory["nowrap"] and index["nowrap"]
    assert advisory["breaking"] == 0 and index["breaking"] == 0
