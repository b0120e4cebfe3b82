"""The built site in a real browser: layout, links, and no script from data.

Browser and server from ``tests/browsing.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from browsing import served, visit

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
    # The browser asks for /favicon.ico by itself; the test root has none.
    assert [p for p in seen.problems if not p.endswith("/favicon.ico)")] == []
    seen.screenshot(f"charter-{width}")
