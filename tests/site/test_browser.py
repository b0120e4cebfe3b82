"""The built site in a real browser: layout, links, and no script from data.

Needs Chromium (``/usr/bin/chromium`` or ``CROSSWORK_CHROMIUM``) and the
``playwright`` package; skipped without them, unless
``CROSSWORK_REQUIRE_BROWSER=1`` (as in CI), where their absence fails.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

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


#: The elements that stick out on the right, for a failure message.
WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
  .map(e => e.tagName + '.' + e.className).slice(0, 10)"""


def serve(folder: str) -> tuple[ThreadingHTTPServer, str]:
    handler = partial(QuietHandler, directory=folder)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def themed_site(build_site, copy_root, monkeypatch) -> Iterator[str]:
    """The test site in the site's theme, with an edit link and a fixed
    build date, built and served on loopback."""
    build_day = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(build_day.timestamp())))
    site = copy_root("test-site")
    app, _ = build_site(
        site,
        confoverrides={
            "html_theme": "pydata_sphinx_theme",
            "html_title": "Test site",
            "html_theme_options": {
                "secondary_sidebar_items": ["page-toc", "crosswork-edit-link"],
            },
            "html_context": {"default_mode": "auto"},
            "crosswork_repository_url": "https://opendev.org/openstack/crosswork/src/branch/master",
        },
    )
    server, url = serve(str(app.outdir))
    try:
        yield url
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
    cell = page.locator("table", has_text="Target cycle").locator("td").nth(4)
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


@pytest.mark.parametrize("width", [1280, 390])
def test_charter_page_in_the_site_theme(browser, themed_site, width):
    """Liaison, deliverables, next dates and the edit link, on a desktop and
    on a phone; saved to ``CROSSWORK_SCREENSHOTS`` when it is set."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and "Failed to load resource" not in message.text  # told by the response
            and problems.append(message.text)
        ),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and not response.url.endswith("/favicon.ico")  # asked by the browser
            and problems.append(f"{response.status} {response.url}")
        ),
    )
    page.goto(f"{themed_site}/workgroups/alpha.html")
    page.wait_for_load_state("load")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, page.evaluate(WIDER_THAN_THE_SCREEN)
    assert page.locator("dl.crosswork-charter-facts").inner_text().split() == [
        *("Status:", "active", "since", "2026-03-02"),
        *("TC", "liaison:", "To", "be", "appointed"),
    ]
    assert page.locator(".crosswork-badge-deliverable-planned").count() == 1
    dates = page.locator("ul.crosswork-next-dates a")
    assert [dates.nth(i).inner_text() for i in range(dates.count())] == [
        "Tue 08 Dec 2026, 15:00",
        "Tue 15 Dec 2026, 15:00",
        "Tue 22 Dec 2026, 15:00",
    ]
    edit = page.locator(".crosswork-edit-link a")
    if width >= 1200:  # the secondary sidebar is a drawer on small screens
        assert edit.get_attribute("href", timeout=5000).endswith(
            "/workgroups/alpha.yaml"
        )
    assert problems == []
    folder = os.environ.get("CROSSWORK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/charter-{width}.png", full_page=True)
