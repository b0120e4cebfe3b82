"""An advisory with Markdown details in a real browser, at 1280 and 390 px.

No sideways scroll, no console error, no dialog; the details keep their
structure; ids and dates stay on one line; table cells do not break
inside words. Screenshots go to ``$CROSSWORK_SCREENSHOTS`` when it is set
(kept as CI artifacts). Browser and server from ``tests/browsing.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from browsing import served, visit

from .test_sphinxext import HIGH, LIBRARIES, MARKDOWN_DETAILS, osv, write_source

GHSA = "GHSA-2026-0001-abcd"
LONG_PACKAGE = "python-keystoneclient-with-a-rather-long-distribution-name"


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
    browser, copy_root, build_site, width: int
) -> None:
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
    with served(app.outdir) as base:
        seen = visit(browser, f"{base}/security/advisories/{GHSA}.html", width)
        advisory = look(seen.page)
        seen.screenshot(f"advisory-markdown-{width}")
        index_page = visit(browser, f"{base}/security/advisories/index.html", width)
        index = look(index_page.page)
        index_page.screenshot(f"advisory-index-{width}")
    problems = seen.problems + index_page.problems

    # The browser asks for /favicon.ico by itself; the test root has none.
    assert [p for p in problems if not p.endswith("/favicon.ico)")] == []
    assert advisory["overflow"] <= 0 and index["overflow"] <= 0
    assert (advisory["rubrics"], advisory["lists"], advisory["code"]) == (1, 2, 1)
    assert advisory["nowrap"] and index["nowrap"]
    assert advisory["breaking"] == 0 and index["breaking"] == 0
