"""The repository's own site, built as ``make docs`` builds it, in Chromium.

Every kind of page loads with no script error, no failed request and no
console error or warning, fits a 390 px screen without scrolling sideways,
and passes an accessibility check (axe-core) apart from the theme's known
issues; the search finds a spec by a word of its title and an advisory by
its exact id or alias as the first result.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from browsing import served, visit

ROOT = Path(__file__).resolve().parents[2]

#: One page of every kind, by what it is.
PAGES = {
    "home": "index.html",
    "charter": "workgroups/consistency.html",
    "workgroups": "workgroups/index.html",
    "meetings": "meetings.html",
    "specs-index": "specs/index.html",
    "spec": "specs/2027.1/close-kvm-xen-feature-gaps.html",
    "matrix": "matrices/consistency.matrices.nova-2020.html",
    "comparison": "matrices/consistency.matrices.nova-2020.kvm-xen.html",
    "adoption": "adoption/common.adoption.oslo.html",
    "library": "adoption/common.adoption.oslo.oslo-config.html",
    "ci": "ci/quality.ci.integrated.html",
    "advisory-index": "security/index.html",
    "advisory": "security/advisories/OSSA-2016-012.html",
    "package": "security/packages/nova.html",
    "status": "status.html",
    "reference": "reference/architecture.html",
}
WIDTHS = (1280, 390)

#: axe-core rules the theme breaks, whatever our markup: rule id -> why.
#: None with the theme and axe-core versions of constraints.txt.
THEME_ISSUES: dict[str, str] = {}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site built from the repository, as ``make docs`` builds it."""
    out = tmp_path_factory.mktemp("site")
    command = ["-W", "--keep-going", "-n", "-q", "-b", "html", "-c", str(ROOT)]
    command += [
        "-d",
        str(out / "doctrees"),
        str(ROOT / "doc/source"),
        str(out / "html"),
    ]
    subprocess.run(
        [sys.executable, "-m", "sphinx", *command],
        check=True,
        cwd=ROOT,
        # A documentation extension's deprecation notices are not ours to fix.
        env={**os.environ, "PYTHONWARNINGS": "ignore::DeprecationWarning"},
    )
    with served(out / "html") as base:
        yield base


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", PAGES)
def test_every_kind_of_page_loads_cleanly_and_fits_the_screen(
    browser, site: str, kind: str, width: int
) -> None:
    seen = visit(browser, f"{site}/{PAGES[kind]}", width)

    assert seen.problems == []
    assert seen.sideways_overflow() <= 0
    seen.screenshot(f"{kind}-{width}")


def first_result(browser, site: str, query: str) -> str:
    """The address of the search's first result for ``query``."""
    page = visit(browser, f"{site}/search.html?q={quote(query)}").page
    first = page.locator("#search-results ul.search li a").first
    first.wait_for(timeout=20_000)
    return first.get_attribute("href") or ""


def test_search_finds_a_spec_by_a_word_of_its_title(browser, site: str) -> None:
    assert first_result(browser, site, "squads").startswith(
        "specs/2027.1/bug-triage-squads.html"
    )


@pytest.mark.parametrize("query", ["OSSA-2016-012", "CVE-2015-5162", "ossa-2016-012"])
def test_search_finds_an_advisory_by_its_id_or_alias_first(
    browser, site: str, query: str
) -> None:
    assert first_result(browser, site, query).startswith(
        "security/advisories/OSSA-2016-012.html"
    )


def axe_violations(browser, url: str) -> list[dict]:
    """axe-core's violations on the page at ``url``."""
    from axe_playwright_python.sync_playwright import Axe

    page = visit(browser, url, bypass_csp=True).page
    return Axe().run(page).response["violations"]


def test_the_accessibility_check_sees_a_planted_violation(browser, site: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = visit(browser, f"{site}/index.html", bypass_csp=True).page
    page.evaluate(
        "document.querySelector('main').append(document.createElement('img'))"
    )

    found = {violation["id"] for violation in Axe().run(page).response["violations"]}
    assert "image-alt" in found


@pytest.mark.parametrize("kind", PAGES)
def test_no_accessibility_violation_from_our_markup(
    browser, site: str, kind: str
) -> None:
    violations = axe_violations(browser, f"{site}/{PAGES[kind]}")

    ours = [
        f"{violation['id']}: {node['target']} {node['failureSummary']}"
        for violation in violations
        if violation["id"] not in THEME_ISSUES
        for node in violation["nodes"]
    ]
    assert ours == []
