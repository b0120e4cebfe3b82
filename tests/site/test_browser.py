"""The built site in a real browser: layout, links, and no script from data.

Browser and server from ``tests/browsing.py``.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from browsing import QuietHandler, served, visit

HOSTILE = (
    "<img src=x onerror=alert(1)> <script>alert(2)</script> `x <javascript:alert(3)>`_"
)


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
    with served(app.outdir) as base:
        yield base


#: The elements that stick out on the right, for a failure message.
WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
  .map(e => e.tagName + '.' + e.className).slice(0, 10)"""


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
    with served(app.outdir) as base:
        yield base


def test_charter_page_fits_a_phone_screen(browser, served_site):
    seen = visit(browser, f"{served_site}/workgroups/alpha.html", 390)
    page, problems = seen.page, seen.problems
    assert seen.sideways_overflow() <= 0
    badge = page.locator(".crosswork-badge").first
    assert badge.is_visible()
    assert badge.inner_text() == "active"
    assert problems == []


def test_hostile_charter_text_runs_no_script(browser, served_site):
    seen = visit(browser, f"{served_site}/workgroups/alpha.html")
    page, problems = seen.page, seen.problems
    cell = page.locator("table", has_text="Target cycle").locator("td").nth(4)
    assert cell.inner_text() == HOSTILE
    assert page.locator("a[href^='javascript']").count() == 0
    assert problems == []


def test_calendar_link_downloads_an_icalendar_file(browser, served_site):
    page = visit(browser, f"{served_site}/workgroups/alpha.html").page
    href = page.locator("a", has_text="alpha.ics").get_attribute("href")
    response = page.request.get(f"{served_site}/workgroups/{href}")
    assert response.status == 200
    assert response.text().startswith("BEGIN:VCALENDAR\r\n")


def test_superseded_banner_leads_to_the_successor(browser, served_site):
    url = f"{served_site}/specs/2026.2/shared-logging-format.html"
    seen = visit(browser, url)
    page, problems = seen.page, seen.problems
    page.locator(".crosswork-banner a").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/specs/2027.1/structured-logging-everywhere.html")
    assert page.locator("h1").first.inner_text().startswith("Structured logging")
    assert problems == []


@pytest.mark.parametrize("width", [1280, 390])
def test_charter_page_in_the_site_theme(browser, themed_site, width):
    """Liaison, deliverables, next dates and the edit link, on a desktop and
    on a phone; saved to ``CROSSWORK_SCREENSHOTS`` when it is set."""
    seen = visit(browser, f"{themed_site}/workgroups/alpha.html", width)
    page = seen.page
    assert seen.sideways_overflow() <= 0, page.evaluate(WIDER_THAN_THE_SCREEN)
    assert page.locator("dl.crosswork-charter-facts").first.inner_text().split() == [
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
    # The browser asks for /favicon.ico by itself; the test root has none.
    assert [p for p in seen.problems if not p.endswith("/favicon.ico)")] == []
    seen.screenshot(f"charter-{width}")


class NotFoundHandler(QuietHandler):
    """Answers a missing address with the site's 404 page, as a server would."""

    def send_error(self, code: int, message: str | None = None, explain=None) -> None:
        page = Path(self.directory, "404.html")
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def published_site(build_site, copy_root) -> Iterator[str]:
    """The test site as published: its theme, and its address on loopback."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), QuietHandler)
    address = f"http://127.0.0.1:{server.server_address[1]}"
    app, _ = build_site(
        copy_root("test-site"),
        confoverrides={"html_theme": "pydata_sphinx_theme", "html_baseurl": address},
    )
    server.RequestHandlerClass = partial(NotFoundHandler, directory=str(app.outdir))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield address
    finally:
        server.shutdown()
        server.server_close()


#: Collects the policy's violations before any script of the page runs.
WATCH_POLICY = """
window.crossworkViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.crossworkViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def open_watched(browser, url: str):
    """A page, its console warnings and errors, and its policy violations."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script(WATCH_POLICY)
    console: list[str] = []

    def log(message) -> None:
        # A 404 page's own status is logged as a failed load: not a fault.
        own_status = message.location.get("url") == url and message.text.startswith(
            "Failed to load resource: the server responded with a status of 404"
        )
        if message.type in {"error", "warning"} and not own_status:
            console.append(message.text)

    page.on("console", log)
    page.on("pageerror", lambda error: console.append(str(error)))
    response = page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    violations = page.evaluate("window.crossworkViolations")
    return page, response, console, violations


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "workgroups/alpha.html",
        "specs/2027.1/structured-logging-everywhere.html",
        "search.html?q=alpha",
        "genindex.html",
    ],
)
def test_pages_break_no_rule_of_their_policy_and_log_nothing(
    browser, published_site, path
):
    page, response, console, violations = open_watched(
        browser, f"{published_site}/{path}"
    )
    assert response.status == 200
    assert violations == []
    assert console == []
    assert page.evaluate("document.documentElement.dataset.mode") == "auto"


def test_search_runs_under_the_policy(browser, published_site):
    page, _, console, violations = open_watched(
        browser, f"{published_site}/search.html?q=alpha"
    )
    page.locator("#search-results li").first.wait_for(timeout=10_000)
    assert violations == []
    assert console == []


def test_a_missing_address_at_any_depth_shows_a_working_404_page(
    browser, published_site
):
    page, response, console, violations = open_watched(
        browser, f"{published_site}/no/such/deep/page.html"
    )
    assert response.status == 404
    assert page.locator("h1").first.inner_text() == "Page not found"
    assert violations == []
    assert console == []
    # The theme's style sheet applied: the header is laid out as a bar.
    assert (
        page.locator("header.bd-header").evaluate("e => getComputedStyle(e).display")
        == "flex"
    )
    page.locator("ul.crosswork-sections a", has_text="Workgroups").click()
    page.wait_for_load_state("load")
    assert page.url == f"{published_site}/workgroups/index.html"
