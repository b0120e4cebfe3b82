"""The section sidebar: one level around the page, whatever the site's size."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosswork.site.navigation import section_nav


@pytest.fixture
def app(build_site, copy_root):
    site = copy_root("test-site")
    (site / "conf.py").write_text(
        (site / "conf.py").read_text()
        + '\nhtml_sidebars = {"**": ["crosswork-section-nav.html"]}\n'
    )
    built, _ = build_site(site)
    return built


def test_a_page_sees_its_siblings_under_its_section_index(app):
    nav = section_nav(app, "specs/2026.2/shared-logging-format")
    assert nav.title == "Specs for 2026.2"
    assert nav.uri == "index.html"
    assert [(e.title, e.uri, e.current) for e in nav.entries] == [
        ("Shared logging format", "#", True)
    ]


def test_an_index_page_sees_its_own_entries(app):
    nav = section_nav(app, "specs/index")
    assert nav.title == "Design specs"
    assert [e.title for e in nav.entries] == ["Specs for 2027.1", "Specs for 2026.2"]
    assert not any(e.current for e in nav.entries)


def test_the_home_page_has_no_section(app):
    assert section_nav(app, "index") is None


def sidebar(app, page: str) -> str:
    html = (Path(app.outdir) / page).read_text()
    nav = html[html.index("crosswork-section-nav") :]
    return nav[: nav.index("</nav>")]


def test_the_sidebar_lists_the_pages_of_its_section_only(app):
    nav = sidebar(app, "workgroups/alpha.html")
    assert 'aria-current="page">Alpha</a>' in nav
    assert ">Beta</a>" in nav
    assert "Design specs" not in nav


def test_the_sidebar_is_rendered_with_escaped_titles(build_site, copy_root):
    site = copy_root("test-site")
    (site / "conf.py").write_text(
        (site / "conf.py").read_text()
        + '\nhtml_sidebars = {"**": ["crosswork-section-nav.html"]}\n'
    )
    specs = site / "repo" / "specs" / "2026.2"
    text = (specs / "shared-logging-format.rst").read_text()
    title = "Logs <b>&</b> metrics"
    old = "=====================\nShared logging format\n=====================\n"
    rule = "=" * len(title)
    text = text.replace(old, f"{rule}\n{title}\n{rule}\n", 1)
    text = text.replace(":Status: superseded", ":Status: approved")
    text = text.replace(":Superseded-By: 2027.1/structured-logging-everywhere\n", "")
    (specs / "logs-and-metrics.rst").write_text(text)
    built, _ = build_site(site)

    nav = sidebar(built, "specs/2026.2/logs-and-metrics.html")
    assert 'aria-current="page">Logs &lt;b&gt;&amp;&lt;/b&gt; metrics</a>' in nav
    assert "<b>" not in nav
