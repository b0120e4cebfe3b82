"""Every page is parsed on crosswork's states: a page parses to what
Sphinx's own parser makes of it, node for node and byte for byte, and a
block nested too deep is an error at its line, not the end of the build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sphinx import parsers

from crosswork.rststates import MAX_NESTING
from crosswork.site.rstparser import RSTParser
from specs import test_rstparse

REPO = Path(__file__).resolve().parents[2]

#: Sphinx's own constructs, nested in one another, beside docutils' own.
SPHINX_PAGE = """\
Sphinx page
===========

.. toctree::

   every

.. note::

   - A list in a note, with a :ref:`label <sphinx-page>` and a term
     :term:`spec`.

     .. code-block:: python
        :caption: Example
        :linenos:
        :emphasize-lines: 2

        def f():
            return 1

   - .. versionadded:: 1.0

        Added, with a footnote [#one]_.

.. _sphinx-page:

.. glossary::

   spec
      A design proposal.

.. seealso:: :doc:`every`

.. only:: html

   Shown in HTML.

.. include:: part.txt

.. literalinclude:: part.txt
   :lines: 1

|name| and ``code``.

.. |name| replace:: A *substitution*

.. [#one] The footnote.
"""


#: A root page listing every other page.
INDEX = {"index": "Index\n=====\n\n.. toctree::\n   :glob:\n\n   *\n"}


def site(folder: Path, pages: dict[str, str], extensions: list[str]) -> Path:
    folder.mkdir()
    (folder / "conf.py").write_text(f"extensions = {extensions!r}\n", encoding="utf-8")
    (folder / "part.txt").write_text("Included *text*.\n", encoding="utf-8")
    for name, text in pages.items():
        (folder / f"{name}.rst").write_text(text, encoding="utf-8")
    return folder


def outcome(
    make_app, folder: Path, parser: type
) -> tuple[dict[str, str], dict[str, bytes], str]:
    """Each page's doctree and HTML, and the warnings, with the folder's
    own path taken out, from a build whose reST parser is ``parser``."""
    app = make_app("html", srcdir=folder)
    assert app.registry.source_parsers["restructuredtext"] is parser
    app.build()
    where = str(folder)
    doctrees = {
        name: app.env.get_doctree(name).pformat().replace(where, "SRC")
        for name in sorted(app.env.found_docs)
    }
    html = {
        path.relative_to(app.outdir).as_posix(): path.read_bytes()
        for path in sorted(app.outdir.rglob("*.html"))
    }
    warnings = app.warning.getvalue().replace(where, "SRC")
    app.cleanup()
    return doctrees, html, warnings


def assert_parsed_as_sphinx_parses(make_app, tmp_path: Path, pages: dict[str, str]):
    ours = site(tmp_path / "ours", pages, ["crosswork.site.rstparser"])
    ours = outcome(make_app, ours, RSTParser)
    sphinx = outcome(make_app, site(tmp_path / "sphinx", pages, []), parsers.RSTParser)
    assert ours[0] == sphinx[0]
    assert ours[1] == sphinx[1]
    assert ours[2] == sphinx[2]


def pages_of(paths: list[Path]) -> dict[str, str]:
    pages = dict(INDEX)
    for number, path in enumerate(paths):
        pages[f"page-{number}"] = path.read_text(encoding="utf-8")
    return pages


def test_sphinx_constructs_and_every_docutils_construct(make_app, tmp_path):
    pages = {"index": SPHINX_PAGE, "every": test_rstparse.TestFastPath.EVERY_CONSTRUCT}
    assert_parsed_as_sphinx_parses(make_app, tmp_path, pages)


def test_every_spec_and_the_template_of_the_repository(make_app, tmp_path):
    paths = sorted((REPO / "specs").rglob("*.rst"))
    assert paths
    assert_parsed_as_sphinx_parses(make_app, tmp_path, pages_of(paths))


def test_every_spec_of_the_corpus(make_app, tmp_path, corpus):
    paths = sorted(corpus.rglob("*.rst"))
    assert paths
    assert_parsed_as_sphinx_parses(make_app, tmp_path, pages_of(paths))


def test_every_hostile_payload_shallow_enough_for_sphinx(make_app, tmp_path):
    """Sphinx's own parser cannot read the deepest payloads: those are the
    next test's."""
    shallow = {
        f"payload-{number}": text
        for number, text in enumerate(test_rstparse.PAYLOADS.values())
        if max(
            (len(line) - len(line.lstrip()) for line in text.splitlines()), default=0
        )
        < MAX_NESTING
    }
    assert len(shallow) > len(test_rstparse.PAYLOADS) // 2
    pages = INDEX | shallow
    assert_parsed_as_sphinx_parses(make_app, tmp_path, pages)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("".join(" " * 2 * i + "- item\n\n" for i in range(180)), 101),
        ("".join(" " * 3 * i + ".. note::\n\n" for i in range(180)) + "x\n", 103),
    ],
    ids=["bullet list", "note directive"],
)
def test_a_block_nested_too_deep_is_an_error_at_its_line(
    make_app, tmp_path, text, line
):
    folder = site(tmp_path / "site", {"index": text}, ["crosswork.site.rstparser"])
    app = make_app("html", srcdir=folder)
    app.build()
    assert (
        f"index.rst:{line}: ERROR: content nested more than {MAX_NESTING} levels deep"
        in app.warning.getvalue()
    )
    assert (app.outdir / "index.html").is_file()
    shutil.rmtree(folder)


def test_the_site_parses_with_it(make_app, copy_root):
    app = make_app("html", srcdir=copy_root("test-site"))
    assert app.registry.source_parsers["restructuredtext"] is RSTParser
