"""Data made into nodes when its page is written: a read keeps the
placeholder and its ids, the page shows what the maker makes of them."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
from docutils import nodes

from crosswork.site.deferred import defer, deferred, maker

EXTENSION = textwrap.dedent(
    """
    from docutils import nodes
    from crosswork.site import datanodes
    from crosswork.site.deferred import defer, maker

    @maker("test-rows")
    def rows(env, fromdoc, ids):
        return [
            datanodes.table(
                ["Page", "Said"],
                [[datanodes.doc_link(i, i, fromdoc), '"As" -- written'] for i in ids],
            )
        ]

    class Rows(datanodes.DataDirective):
        has_content = True

        def run(self):
            return [defer("test-rows", tuple(self.content))]

    def setup(app):
        app.setup_extension("crosswork.site.deferred")
        app.add_directive("rows", Rows)
        return {"parallel_read_safe": True, "parallel_write_safe": True}
    """
)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "rowsmaker.py").write_text(EXTENSION, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    folder = tmp_path / "site"
    (folder / "part").mkdir(parents=True)
    (folder / "conf.py").write_text('extensions = ["rowsmaker"]\n', encoding="utf-8")
    (folder / "index.rst").write_text(
        "Home\n====\n\n.. toctree::\n\n   first\n   part/list\n", encoding="utf-8"
    )
    (folder / "first.rst").write_text("First\n=====\n", encoding="utf-8")
    (folder / "part" / "list.rst").write_text(
        "List\n====\n\n.. rows::\n\n   first\n   missing\n", encoding="utf-8"
    )
    yield folder
    sys.modules.pop("rowsmaker", None)


def test_a_read_keeps_the_placeholder_and_the_page_shows_the_table(make_app, site):
    app = make_app("html", srcdir=site)
    app.build()
    kept = app.env.get_doctree("part/list")
    (placeholder,) = kept.findall(deferred)
    assert placeholder["args"] == (("first", "missing"),)
    assert not list(kept.findall(nodes.table))
    html = (app.outdir / "part" / "list.html").read_text(encoding="utf-8")
    assert '<a class="reference internal" href="../first.html">' in html
    # Made after smart quotes, which apply to reading only.
    assert html.count("&quot;As&quot; -- written") == 2


def test_its_links_are_checked_as_the_page_s_own(make_app, site):
    app = make_app("html", srcdir=site)
    app.build()
    warnings = app.warning.getvalue()
    assert "unknown document: '/missing'" in warnings
    html = (app.outdir / "part" / "list.html").read_text(encoding="utf-8")
    assert "<td><p><span>missing</span></p></td>" in html


def test_two_makers_cannot_share_a_name():
    @maker("test-shared-name")
    def one(env, fromdoc):
        return []

    with pytest.raises(ValueError, match="test-shared-name"):

        @maker("test-shared-name")
        def other(env, fromdoc):
            return []


def test_a_placeholder_names_a_known_maker():
    with pytest.raises(KeyError, match="no maker is called test-unknown"):
        defer("test-unknown")
