"""Every built page's head: policy, description, preview card, favicon.

The site is built with the published theme and a site address, then every
page is parsed: each inline script is allowed by its hash, every fetched
resource is the site's own, and the tags carry the page's own words,
escaped.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crosswork.site.csp import script_hash
from pageparts import PageParts

ADDRESS = "https://crosswork.site.test"
THEME = {"html_theme": "pydata_sphinx_theme", "project": "Test site"}
#: Straight quotes stay straight, so that they try to end attribute values.
QUOTES = {"smartquotes": False}
HOSTILE_TITLE = "\"'><script>alert(1)</script>&amp;"
HOSTILE_TEXT = '"><img src=x onerror=alert(2)> & </title><script>alert(3)</script>'


@pytest.fixture
def published(build_site, copy_root) -> Path:
    """The test site with a hostile page, built as published."""
    site = copy_root("test-site")
    (site / "hostile.rst").write_text(
        f":orphan:\n\n{HOSTILE_TITLE}\n{'=' * len(HOSTILE_TITLE)}\n\n{HOSTILE_TEXT}\n"
    )
    app, _ = build_site(
        site, confoverrides={**THEME, **QUOTES, "html_baseurl": f"{ADDRESS}/"}
    )
    assert app.warning.getvalue() == ""
    return Path(app.outdir)


def pages(outdir: Path) -> list[Path]:
    return sorted(p for p in outdir.rglob("*.html") if "_static" not in p.parts)


def policy_of(parts: PageParts) -> dict[str, list[str]]:
    content = parts.meta("http-equiv", "Content-Security-Policy")
    assert content, "no Content-Security-Policy"
    return {name: sources for name, *sources in (d.split() for d in content.split(";"))}


def test_every_inline_script_of_every_page_is_allowed_by_its_hash(published):
    checked = 0
    for page in pages(published):
        parts = PageParts.of(page)
        allowed = policy_of(parts)["script-src"]
        for body in parts.inline_scripts:
            assert script_hash(body) in allowed, f"{page}: {body[:60]!r}"
            checked += 1
    assert checked >= 2 * len(pages(published))


def test_the_policy_comes_before_any_script(published):
    for page in pages(published):
        text = page.read_text()
        assert text.index('"Content-Security-Policy"') < text.index("<script"), page


def test_every_resource_of_every_page_is_the_sites_own(published):
    for page in pages(published):
        for url in PageParts.of(page).resources:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                assert f"{parts.scheme}://{parts.netloc}" == ADDRESS, f"{page}: {url}"


def test_pages_set_a_colour_mode_the_theme_accepts(published):
    for page in pages(published):
        assert PageParts.of(page).html_attributes.get("data-theme") == "auto", page


def test_charter_page_is_described_by_its_mission(published):
    parts = PageParts.of(published / "workgroups/alpha.html")
    description = parts.meta("name", "description")
    assert description.startswith("Alpha converges duplicated code")
    assert parts.meta("property", "og:description") == description
    assert parts.meta("property", "og:title") == "Alpha"
    assert parts.meta("property", "og:type") == "website"
    assert parts.meta("property", "og:site_name") == "Test site"
    assert parts.meta("property", "og:url") == f"{ADDRESS}/workgroups/alpha.html"


def test_a_page_is_described_by_its_first_paragraph_within_160_characters(
    published,
):
    parts = PageParts.of(published / "meetings.html")
    description = parts.meta("name", "description")
    assert description.startswith("All times are UTC.")
    for page in pages(published):
        description = PageParts.of(page).meta("name", "description") or ""
        assert len(description) <= 160, page


def test_a_hostile_title_and_text_stay_text_in_the_head(published):
    page = published / "hostile.html"
    parts = PageParts.of(page)
    assert parts.meta("property", "og:title") == HOSTILE_TITLE
    assert parts.meta("name", "description") == " ".join(HOSTILE_TEXT.split())
    assert not any("alert" in body for body in parts.inline_scripts)
    assert parts.tags.count("img") == PageParts.of(
        published / "meetings.html"
    ).tags.count("img")
    head = page.read_text().split("</head>")[0]
    assert not re.search(r"<script>alert|<img src=x", head)


def test_without_a_site_address_no_page_claims_one(build_site, copy_root):
    app, _ = build_site(copy_root("test-site"), confoverrides=THEME)
    for page in pages(Path(app.outdir)):
        assert PageParts.of(page).meta("property", "og:url") is None, page


def test_the_favicon_is_the_sites_svg(published):
    parts = PageParts.of(published / "index.html")
    assert "_static/crosswork-favicon.svg" in parts.resources
    svg = (published / "_static/crosswork-favicon.svg").read_text()
    assert svg.startswith("<svg") and len(svg) < 1024


def test_a_theme_whose_inline_scripts_are_unknown_gets_no_policy(build_site, copy_root):
    app, _ = build_site(
        copy_root("test-site"), confoverrides={"html_theme": "alabaster"}
    )
    parts = PageParts.of(Path(app.outdir) / "workgroups/alpha.html")
    assert parts.meta("http-equiv", "Content-Security-Policy") is None
    assert parts.meta("name", "description").startswith("Alpha converges")
