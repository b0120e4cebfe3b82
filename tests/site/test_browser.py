"""The built site in a real browser: layout, links, and no script from data.

Needs Chromium (``/usr/bin/chromium`` or ``CROSSWORK_CHROMIUM``) and the
``playwright`` package; skipped without them, unless
``CROSSWORK_REQUIRE_BROWSER=1`` (as in CI), where their absence fails.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

CHROMIUM = os.environ.get("CROSSWORK_CHROMIUM") or shutil.which("chromium") or ""
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOSTILE = (
    "<img src=x onerror=alert(1)> <script>alert(2)</script> `x <javascript:alert(3)>`_"
)


def require_browser():
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


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served_site(build_site, copy_root) -> Iterator[str]:
    """The test site, with a hostile charter value, built and served on loopback."""
    site = copy_root("test-site")
    charter = site / "repo/workgroups/alpha.yaml"
    charter.write_text(
        charter.read_text().replace(
            "    description: Every service reads its options through one library.",
            f"    description: '{HOSTILE}'",
        )
    )
    app, _ = build_site(site)
    handler = partial(QuietHandler, directory=str(app.outdir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def browser():
    sync_playwright = require_browser()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_FLAGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


def open_page(browser, url: str, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems: list[str] = []
    page.on(
        "dialog", lambda dialog: (problems.append(dialog.message), dialog.dismiss())
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.goto(url)
    page.wait_for_load_state("load")
    return page, problems


def test_charter_page_fits_a_phone_screen(browser, served_site):
    page, problems = open_page(browser, f"{served_site}/workgroups/alpha.html", 390)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    badge = page.locator(".crosswork-badge").first
    assert badge.is_visible()
    assert badge.inner_text() == "active"
    assert problems == []


def test_hostile_charter_text_runs_no_script(browser, served_site):
    page, problems = open_page(browser, f"{served_site}/workgroups/alpha.html")
    cell = page.locator("table", has_text="Target cycle").locator("td").nth(2)
    assert cell.inner_text() == HOSTILE
    assert page.locator("a[href^='javascript']").count() == 0
    assert problems == []


def test_calendar_link_downloads_an_icalendar_file(browser, served_site):
    page, _ = open_page(browser, f"{served_site}/workgroups/alpha.html")
    href = page.locator("a", has_text="alpha.ics").get_attribute("href")
    response = page.request.get(f"{served_site}/workgroups/{href}")
    assert response.status == 200
    assert response.text().startswith("BEGIN:VCALENDAR\r\n")


def test_superseded_banner_leads_to_the_successor(browser, served_site):
    url = f"{served_site}/specs/2026.2/shared-logging-format.html"
    page, problems = open_page(browser, url)
    page.locator(".crosswork-banner a").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/specs/2027.1/structured-logging-everywhere.html")
    assert page.locator("h1").first.inner_text().startswith("Structured logging")
    assert problems == []
