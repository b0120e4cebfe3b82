"""The built site in a real browser: layout, links, and no script from data.

Browser and server from ``tests/browsing.py``.
"""

from __future__ import annotations

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
    cell = page.locator("table", has_text="Target cycle").locator("td").nth(2)
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
