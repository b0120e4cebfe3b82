"""The shared docutils parse: safe, silent, and isolated from Sphinx."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import directives, roles
from docutils.parsers.rst.directives.body import Topic

from crosswork import rststates
from crosswork.rststates import BOUNDED_STATES, MAX_NESTING, Parser, states_for
from crosswork.specs import rstparse
from crosswork.specs.rstparse import (
    Problem,
    forbidden,
    leaves_folder,
    literal_lines,
    parse_rst,
    root_sections,
    section_title,
    title_line,
)

REPO = Path(__file__).resolve().parents[2]
#: The hostile payloads of ``tests/hostile/payloads.json``, by name.
PAYLOADS = {
    item["name"]: item.get("text", "") + item.get("repeat", "") * item.get("times", 0)
    for item in json.loads((REPO / "tests" / "hostile" / "payloads.json").read_text())[
        "payloads"
    ]
}


def markers(text: str) -> list[dict[str, object]]:
    doctree = parse_rst(text, "t.rst").doctree
    return [
        {key: marker[key] for key in ("kind", "name", "target")} | {"line": marker.line}
        for marker in doctree.findall(forbidden)
    ]


def test_problems_are_collected_with_their_line_and_nothing_is_printed(capsys):
    parsed = parse_rst("Title\n=====\n\nSee :nonsense:`x`.\n", "t.rst")
    assert parsed.problems == [
        Problem(3, 4, 'Unknown interpreted text role "nonsense".')
    ]
    assert capsys.readouterr() == ("", "")


def test_info_messages_are_not_problems():
    # docutils says at level 1 that the target is never referenced.
    assert parse_rst(".. _unused: https://example.org\n", "t.rst").problems == []


@pytest.mark.parametrize("role", ["spec", "ref", "doc", "term", "advisory", "cve"])
def test_sphinx_and_given_kind_roles_are_accepted_as_text(role):
    parsed = parse_rst(f"See :{role}:`target <label>`.\n", "t.rst", {"advisory", "cve"})
    assert parsed.problems == []
    literal = next(parsed.doctree.findall(nodes.literal))
    assert literal.astext() == "target <label>"


@pytest.mark.parametrize(
    "directive",
    [
        "seealso::",
        "versionadded:: 2027.1",
        "versionchanged:: 2027.1",
        "deprecated:: 2027.1",
    ],
)
def test_sphinx_directives_holding_text_are_parsed_as_containers(directive):
    parsed = parse_rst(
        f".. {directive}\n\n   See :spec:`2026.2/x` and :nonsense:`y`.\n", "t.rst"
    )
    assert parsed.problems == [
        Problem(3, 3, 'Unknown interpreted text role "nonsense".')
    ]
    container = next(parsed.doctree.findall(nodes.container))
    assert container.astext().startswith("See 2026.2/x and")


def test_the_global_registries_are_the_same_objects_after_a_parse():
    # Sphinx keeps its own directives and roles there; a parse must neither
    # see them nor leave its own behind.
    before = directives._directives, roles._roles
    parse_rst(".. raw:: html\n\n   <b>x</b>\n\n:spec:`2027.1/x`\n", "t.rst")
    assert directives._directives is before[0]
    assert roles._roles is before[1]
    assert "spec" not in roles._roles


def test_a_directive_registered_globally_is_not_seen_by_the_parse():
    class Shout(Topic):
        pass

    directives.register_directive("shout", Shout)
    try:
        parsed = parse_rst(".. shout:: Hello\n\n   text\n", "t.rst")
    finally:
        del directives._directives["shout"]
    assert parsed.problems == [Problem(3, 1, 'Unknown directive type "shout".')]


def test_raw_is_replaced_by_a_marker_and_produces_no_output():
    text = "Para.\n\n.. raw:: html\n   :file: secret.html\n"
    assert markers(text) == [
        {"kind": "raw", "name": "raw", "target": "secret.html", "line": 3}
    ]
    assert not list(parse_rst(text, "t.rst").doctree.findall(nodes.raw))


def test_a_role_derived_from_raw_is_marked_where_it_is_used():
    text = ".. role:: html(raw)\n   :format: html\n\nUse :html:`<b>x</b>` here.\n"
    assert markers(text) == [{"kind": "raw", "name": "html", "target": "", "line": 4}]


def test_includes_are_marked_only_when_they_leave_the_folder():
    text = (
        ".. include:: notes.txt\n\n"
        ".. include:: ../../etc/passwd\n\n"
        ".. literalinclude:: /etc/hosts\n   :lines: 1-3\n"
    )
    assert markers(text) == [
        {"kind": "include", "name": "include", "target": "../../etc/passwd", "line": 3},
        {
            "kind": "include",
            "name": "literalinclude",
            "target": "/etc/hosts",
            "line": 5,
        },
    ]
    assert parse_rst(text, "t.rst").problems == []


@pytest.mark.parametrize(
    "target",
    ["../x.rst", "..", "a/../../x", "/etc/passwd", "<isonum.txt>", "C:\\x", "..\\x"],
)
def test_paths_that_leave_the_folder(target):
    assert leaves_folder(target)


@pytest.mark.parametrize("target", ["notes.txt", "data/rows.csv", "a/../b.txt", "./c"])
def test_paths_that_stay_in_the_folder(target):
    assert not leaves_folder(target)


def test_a_csv_table_read_from_a_url_is_marked_on_the_option_line():
    text = ".. csv-table:: Data\n   :header: a, b\n   :url: https://example.org/x.csv\n"
    assert markers(text) == [
        {
            "kind": "table-source",
            "name": ":url:",
            "target": "https://example.org/x.csv",
            "line": 3,
        }
    ]


def test_an_inline_csv_table_is_an_ordinary_table():
    parsed = parse_rst(".. csv-table:: Data\n   :header: a, b\n\n   1, 2\n", "t.rst")
    assert markers(".. csv-table:: Data\n   :header: a, b\n\n   1, 2\n") == []
    assert len(list(parsed.doctree.findall(nodes.table))) == 1


def test_literal_lines_are_the_content_lines_of_each_kind_of_block():
    text = (
        "Para::\n"  # 1
        "\n"
        "   lit 1\n"  # 3
        "\n"
        "   lit 3\n"  # 5
        "\n"
        ".. code-block:: python\n"  # 7
        "   :number-lines:\n"
        "\n"
        "   x = 1\n"  # 10
        "\n"
        "   y = 2\n"  # 12
        "\n"
        ">>> print(1)\n"  # 14
        "1\n"  # 15
        "\n"
        ".. note::\n"
        "\n"
        "   Nested::\n"
        "\n"
        "      deep\n"  # 21
        "\n"
        ".. math::\n"
        "\n"
        "   a^2\n"  # 25
    )
    assert literal_lines(parse_rst(text, "t.rst").doctree) == frozenset(
        {3, 4, 5, 10, 11, 12, 14, 15, 21, 25}
    )


def test_line_numbers_are_the_files_even_with_carriage_returns_and_separators():
    # docutils would start a new line at each of these characters.
    text = "Title\r\n=====\r\n\r\nA\u2028B\x0cC.\r\n\r\n:nonsense:`x`\r\n"
    assert [problem.line for problem in parse_rst(text, "t.rst").problems] == [6]


def test_sections_keep_their_nesting_titles_and_title_lines():
    text = "=====\nTitle\n=====\n\nOne\n===\n\nSub\n---\n\nTwo\n===\n"
    (title,) = root_sections(parse_rst(text, "t.rst").doctree)
    assert (section_title(title), title_line(title)) == ("Title", 2)
    assert [(section_title(s), title_line(s)) for s in root_sections(title)] == [
        ("One", 5),
        ("Two", 11),
    ]
    assert [section_title(s) for s in root_sections(root_sections(title)[0])] == ["Sub"]


class TestNesting:
    """docutils parses nested blocks by recursion; past ``MAX_NESTING``
    levels a block is left unread and reported, never a RecursionError."""

    TOO_DEEP = (
        "content nested more than 50 levels deep: flatten the lists, quotes "
        "or directives around it"
    )

    @staticmethod
    def quotes(levels: int) -> str:
        """Paragraphs each quoted once more than the last, from level 0."""
        return "".join(
            " " * level + f"Level {level}.\n\n" for level in range(levels + 1)
        )

    def test_blocks_nest_up_to_the_limit(self):
        assert MAX_NESTING == 50
        parsed = parse_rst(self.quotes(50), "t.rst")
        assert (parsed.problems, parsed.too_deep) == ([], False)
        assert "Level 50." in parsed.doctree.astext()

    def test_a_block_past_the_limit_is_left_unread_and_located(self):
        parsed = parse_rst(self.quotes(51), "t.rst")
        assert (parsed.problems, parsed.too_deep) == (
            [Problem(3, 103, self.TOO_DEEP, too_deep=True)],
            True,
        )
        assert "Level 50." in parsed.doctree.astext()
        assert "Level 51." not in parsed.doctree.astext()

    @pytest.mark.parametrize(
        ("text", "line"),
        [
            ("".join(" " * 2 * i + "- item\n\n" for i in range(180)), 101),
            ("".join(" " * 3 * i + "#. item\n\n" for i in range(180)), 101),
            ("".join(" " * 3 * i + ".. note::\n\n" for i in range(180)) + "x\n", 103),
            ("".join(" " * i + "Quote.\n\n" for i in range(180)), 103),
        ],
        ids=["bullet list", "enumerated list", "note directive", "block quote"],
    )
    def test_180_levels_of_any_block_are_one_finding(self, text, line):
        assert parse_rst(text, "t.rst").problems == [
            Problem(3, line, self.TOO_DEEP, too_deep=True)
        ]

    def test_5000_levels_on_one_line_are_one_finding(self):
        # A quote holding a list 4,999 deep: the most docutils' limit of
        # 10,000 characters a line allows.
        text = " " + "- " * 4999 + "x\n"
        assert parse_rst(f"Intro.\n\n{text}", "t.rst").problems == [
            Problem(3, 3, self.TOO_DEEP, too_deep=True)
        ]

    def test_docutils_own_parser_stays_unbounded_after_a_parse(self):
        parse_rst(self.quotes(60), "t.rst")
        doctree = publish_doctree(
            self.quotes(60), settings_overrides={"report_level": 5}
        )
        assert "Level 60." in doctree.astext()
        assert not list(doctree.findall(nodes.system_message))


class TestFastPath:
    """A parse builds a machine's states only as they are used, and makes
    each state class's transitions once; the result is exactly what the
    plain bounded states give, for every input."""

    EVERY_CONSTRUCT = """\
=====
Title
=====

:Author: someone
:Date: 2027-01-01

.. contents::

Section
=======

Paragraph with *emphasis*, **strong**, ``code``, `link <https://example.org>`_,
a footnote [#f]_, a citation [CIT]_, |sub| and :nonsense:`role`.

.. [#f] The footnote.
.. [CIT] The citation.
.. |sub| replace:: substituted
.. _target: https://example.org
.. a comment
   over two lines

- bullet

  * nested bullet

    1. enumerated
    #. auto

       a) alpha
       b) beta

term
   definition
term : classifier
   another

-a            option
--long=VALUE  long option

| line block
|    indented line

::

> quoted literal
> block

::

    indented literal

>>> 1 + 1
2

  A block quote.

  -- attribution

+-----+-----+
| A   | B   |
+=====+=====+
| 1   | 2   |
+-----+-----+

=====  =====
x      y
=====  =====
1      2
=====  =====

.. list-table::
   :header-rows: 1

   * - a
     - b
   * - 1
     - 2

.. note:: A note

   .. warning:: nested

      - deep

.. code-block:: python
   :caption: x

   print(1)

.. math::

   a^2

.. seealso:: :spec:`2027.1/x`

.. raw:: html

   <b>x</b>

.. include:: ../outside.rst

.. unknown-directive:: x

----------

Sub
---

Bad table:

+--+
| x
+--+

* unterminated
list
"""

    @staticmethod
    def outcome(text: str, parser: Parser, roles=frozenset()):
        reader = rstparse._CollectingReader()
        with rstparse._spec_markup(roles):
            doctree = publish_doctree(
                text.translate(rstparse._LINE_BREAKS),
                source_path="spec.rst",
                reader=reader,
                parser=parser,
                settings_overrides=rstparse._SETTINGS,
            )
        return doctree.pformat(), reader.problems, literal_lines(doctree)

    def assert_same(self, text: str, roles=frozenset({"cve", "advisory"})) -> None:
        """parse_rst gives what the plain bounded states give, made with
        docutils' own settings from overrides."""
        parsed = parse_rst(text, "spec.rst", roles)
        fast = (
            parsed.doctree.pformat(),
            parsed.problems,
            literal_lines(parsed.doctree),
        )
        plain = self.outcome(text, Parser(BOUNDED_STATES), roles)
        assert fast == plain

    def test_every_construct(self):
        self.assert_same(self.EVERY_CONSTRUCT)
        assert parse_rst(self.EVERY_CONSTRUCT, "spec.rst").problems

    @pytest.mark.parametrize(
        "path",
        sorted((REPO / "specs").rglob("*.rst")),
        ids=lambda path: str(path.relative_to(REPO)),
    )
    def test_every_spec_and_template_of_the_repository(self, path):
        self.assert_same(path.read_text())

    def test_every_spec_of_the_corpus(self, corpus):
        paths = sorted(corpus.rglob("*.rst"))
        assert paths
        for path in paths:
            self.assert_same(path.read_text())

    @pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
    def test_every_hostile_payload_alone_and_nested(self, payload):
        self.assert_same(payload)
        quoted = "\n".join("      " + line for line in payload.splitlines())
        self.assert_same(f"Title\n=====\n\n- item\n\n  .. note::\n\n{quoted}\n")

    @pytest.mark.parametrize(
        "text",
        [
            TestNesting.quotes(50),
            TestNesting.quotes(51),
            "".join(" " * 2 * i + "- item\n\n" for i in range(180)),
            "".join(" " * 3 * i + "#. item\n\n" for i in range(180)),
            "".join(" " * 3 * i + ".. note::\n\n" for i in range(180)) + "x\n",
            "".join(" " * 3 * i + ":f:\n\n" for i in range(180)),
            "Intro.\n\n " + "- " * 4999 + "x\n",
        ],
        ids=[
            "quotes 50",
            "quotes 51",
            "bullets",
            "enumerated",
            "notes",
            "fields",
            "one line",
        ],
    )
    def test_nesting_up_to_and_past_the_limit(self, text):
        self.assert_same(text)

    def test_parses_in_threads_give_what_one_thread_gives(self):
        texts = [path.read_text() for path in sorted((REPO / "specs").rglob("*.rst"))]
        texts += [self.EVERY_CONSTRUCT, *PAYLOADS.values()]
        alone = [parse_rst(text, "spec.rst").doctree.pformat() for text in texts]
        with ThreadPoolExecutor(4) as pool:
            threaded = list(
                pool.map(
                    lambda text: parse_rst(text, "spec.rst").doctree.pformat(),
                    texts * 2,
                )
            )
        assert threaded == alone * 2

    def test_under_other_docutils_the_plain_states_parse(self, monkeypatch):
        monkeypatch.setattr(rststates, "STATES", states_for((0, 23, 0)))
        machines = rststates.BoundedState.nested_sm_cache
        machines.clear()
        self.assert_same(self.EVERY_CONSTRUCT)
        assert machines
        assert {type(machine) for machine in machines} == {rststates.BoundedMachine}
