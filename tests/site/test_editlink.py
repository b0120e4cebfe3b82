"""The "Edit" link: to the source file a contributor changes, or none."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from crosswork.kinds import KINDS
from crosswork.layout import Layout
from crosswork.site.data import load_site
from crosswork.site.editlink import edit_url, source_path
from crosswork.site.pages import MARKER

REPOSITORY = "https://opendev.org/openstack/crosswork/src/branch/master"
#: The site's own theme, with the component that shows the link.
THEME = {
    "html_theme": "pydata_sphinx_theme",
    "html_theme_options": {
        "secondary_sidebar_items": ["page-toc", "crosswork-edit-link"]
    },
}


@pytest.fixture
def site(copy_root) -> Path:
    return copy_root("test-site")


def edit_links(app, docname: str) -> list[str]:
    html = (Path(app.outdir) / f"{docname}.html").read_text(encoding="utf-8")
    return re.findall(r'crosswork-edit-link">\s*<a href="([^"]+)"', html)


def test_charter_and_spec_pages_link_their_source_files(build_site, site):
    app, _ = build_site(
        site, confoverrides={**THEME, "crosswork_repository_url": REPOSITORY}
    )
    assert app.warning.getvalue() == ""
    assert edit_links(app, "workgroups/alpha") == [
        f"{REPOSITORY}/workgroups/alpha.yaml"
    ]
    assert edit_links(app, "specs/2027.1/structured-logging-everywhere") == [
        f"{REPOSITORY}/specs/2027.1/structured-logging-everywhere.rst"
    ]


def test_pages_made_from_data_alone_have_no_edit_link(build_site, site):
    app, _ = build_site(
        site, confoverrides={**THEME, "crosswork_repository_url": REPOSITORY}
    )
    for docname in ("workgroups/index", "specs/index", "meetings", "index"):
        # The test site's own pages live outside its repository folder.
        assert edit_links(app, docname) == [], docname


def test_without_a_repository_no_page_has_an_edit_link(build_site, site):
    app, _ = build_site(site, confoverrides=THEME)
    html = (Path(app.outdir) / "workgroups/alpha.html").read_text(encoding="utf-8")
    assert "editthispage" not in html
    assert "/edit/" not in html


def test_a_repository_address_that_is_not_https_turns_edit_links_off(build_site, site):
    app, _ = build_site(
        site,
        confoverrides={**THEME, "crosswork_repository_url": "http://example.org/r"},
    )
    assert "crosswork_repository_url must be an https:// address" in (
        app.warning.getvalue()
    )
    assert edit_links(app, "workgroups/alpha") == []


class TestSourcePath:
    @pytest.fixture
    def data(self, copy_root):
        site = copy_root("test-site")
        root = site / "repo"
        (root / "doc").mkdir()
        (root / "doc/about.rst").write_text("About\n=====\n")
        (root / "doc/generated.rst").write_text(f"{MARKER}\nStub\n====\n")
        return load_site(Layout(root), dt.date(2026, 12, 2), KINDS)

    def test_a_charter_page_is_its_yaml_file(self, data):
        page = data.layout.root / "doc/workgroups/alpha.rst"
        assert source_path("workgroups/alpha", page, data) == "workgroups/alpha.yaml"

    def test_a_spec_page_is_its_spec_file(self, data):
        page = data.layout.root / "doc/specs/2026.2/shared-logging-format.rst"
        assert (
            source_path("specs/2026.2/shared-logging-format", page, data)
            == "specs/2026.2/shared-logging-format.rst"
        )

    def test_a_hand_written_page_is_itself(self, data):
        page = data.layout.root / "doc/about.rst"
        assert source_path("about", page, data) == "doc/about.rst"

    def test_a_generated_page_has_none(self, data):
        page = data.layout.root / "doc/generated.rst"
        assert source_path("generated", page, data) is None

    def test_a_page_outside_the_repository_has_none(self, data, tmp_path):
        outside = tmp_path / "elsewhere.rst"
        outside.write_text("Elsewhere\n=========\n")
        assert source_path("elsewhere", outside, data) is None


def test_the_edit_address_joins_without_a_double_slash():
    assert edit_url(f"{REPOSITORY}/", "workgroups/common.yaml") == (
        f"{REPOSITORY}/workgroups/common.yaml"
    )
