"""The adoption matrix in a real browser at phone width: no script, the
header row and the service column stay in view while the table scrolls.

Needs Chromium and ``playwright`` like ``tests/site/test_browser.py``;
skipped without them unless ``CROSSWORK_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import os
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .test_sphinxext import SOURCE, site_with_adoption

CHROMIUM = os.environ.get("CROSSWORK_CHROMIUM") or shutil.which("chromium") or ""


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


def test_the_matrix_keeps_headers_in_view_at_390_px(
    copy_root, build_site, recordings, clock
) -> None:
    playwright_context = sync_playwright()
    site = site_with_adoption(copy_root, recordings, clock)
    app, _ = build_site(site)
    handler = partial(QuietHandler, directory=str(app.outdir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/adoption/{SOURCE}.html"
    try:
        with playwright_context() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(
                viewport={"width": 390, "height": 700}, java_script_enabled=False
            )
            problems: list[str] = []
            page.on("dialog", lambda d: (problems.append(d.message), d.dismiss()))
            page.goto(url)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth"
                " - document.documentElement.clientWidth"
            )
            box = page.locator(".crosswork-adoption-scroll").first
            before_header = (
                page.locator("table.crosswork-adoption-matrix thead th")
                .nth(0)
                .bounding_box()
            )
            box.evaluate("b => { b.scrollLeft = 400; b.scrollTop = 60; }")
            header = page.locator("table.crosswork-adoption-matrix thead th").nth(0)
            service = page.locator("table.crosswork-adoption-matrix tbody td").nth(0)
            after_header = header.bounding_box()
            box_place = box.bounding_box()
            service_place = service.bounding_box()
            positions = [
                cell.evaluate("c => getComputedStyle(c).position")
                for cell in (header, service)
            ]
            browser.close()
    finally:
        server.shutdown()
        server.server_close()

    assert overflow <= 0
    assert problems == []
    assert before_header and after_header and box_place and service_place
    assert positions == ["sticky", "sticky"]
    # The corner cell stays where it was after scrolling both ways: at the
    # box's left edge, below the table's top margin.
    assert abs(after_header["x"] - box_place["x"]) < 2
    assert abs(after_header["y"] - before_header["y"]) < 2
    # The first service cell stays at the box's left edge.
    assert abs(service_place["x"] - box_place["x"]) < 2
