"""The adoption matrix in a real browser at phone width: no script, the
header row and the service column stay in view while the table scrolls.

Browser and server from ``tests/browsing.py``.
"""

from __future__ import annotations

from browsing import served, visit

from .test_sphinxext import SOURCE, site_with_adoption


def test_the_matrix_keeps_headers_in_view_at_390_px(
    browser, copy_root, build_site, recordings, clock
) -> None:
    site = site_with_adoption(copy_root, recordings, clock)
    app, _ = build_site(site)
    with served(app.outdir) as base:
        seen = visit(
            browser, f"{base}/adoption/{SOURCE}.html", 390, java_script_enabled=False
        )
        page = seen.page
        overflow = seen.sideways_overflow()
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
    problems = [p for p in seen.problems if not p.endswith("/favicon.ico)")]

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
