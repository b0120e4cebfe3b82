"""Data is shown as its source has it: Sphinx's smart quotes rewrite the
site's prose, never the text of a directive that shows data."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

#: The same text, once from a data directive and once as the page's prose.
TEXT = 'pip install "nova" --upgrade... it\'s <!-- x -->'

EXTENSION = textwrap.dedent(
    f"""
    from docutils import nodes
    from crosswork.site.datanodes import DataDirective, section

    TEXT = {TEXT!r}

    class Shown(DataDirective):
        def run(self):
            return [
                section(TEXT, "shown", nodes.paragraph("", TEXT)),
                nodes.paragraph("", TEXT),
            ]

    class Inherited(Shown):
        pass

    def setup(app):
        app.add_directive("shown", Shown)
        app.add_directive("inherited", Inherited)
        return {{"parallel_read_safe": True}}
    """
)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "showsdata.py").write_text(EXTENSION, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "conf.py").write_text('extensions = ["showsdata"]\n', encoding="utf-8")
    page = f"Page\n====\n\n{TEXT}\n\n.. shown::\n\n.. inherited::\n"
    (folder / "index.rst").write_text(page, encoding="utf-8")
    yield folder
    sys.modules.pop("showsdata", None)


def test_a_data_directive_text_is_left_as_its_source_has_it(make_app, site):
    app = make_app("html", srcdir=site)
    app.build()
    texts = [
        node.astext()
        for node in app.env.get_doctree("index").findall()
        if node.tagname in {"paragraph", "title"}
    ]
    prose, *shown = texts[1:]
    assert shown == [TEXT] * 6
    assert prose != TEXT
    assert "“nova”" in prose
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    # Titles are also in the page's table of contents.
    assert html.count("pip install &quot;nova&quot; --upgrade... it's") >= 6
    assert html.count(f"<p>{prose.replace('<', '&lt;').replace('>', '&gt;')}</p>") == 1
