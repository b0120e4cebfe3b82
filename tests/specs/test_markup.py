"""Forbidden constructs (F1xx) and docutils' own problems (R1xx)."""

from __future__ import annotations

import pytest

from crosswork.kinds import KINDS
from crosswork.specs.lint import Check
from crosswork.specs.markup import link_scheme

from .conftest import lint_messages


def findings(text: str, checks: set[Check] | None = None) -> list[str]:
    return lint_messages(text, checks or {Check.FORBIDDEN, Check.SYNTAX})


def test_a_raw_directive_is_forbidden_where_it_starts():
    text = "Para.\n\n* item\n\n  .. raw:: html\n\n     <script>alert(1)</script>\n"
    assert findings(text) == ["spec.rst:5:3: F101 raw directive is not allowed"]


def test_a_raw_directive_reading_a_file_says_which():
    assert findings(".. raw:: html\n   :url: https://example.org/x.html\n") == [
        'spec.rst:1:1: F101 raw directive reading "https://example.org/x.html" '
        "is not allowed"
    ]


def test_a_role_derived_from_raw_is_forbidden_where_it_is_used():
    text = ".. role:: html(raw)\n   :format: html\n\nSee :html:`<b>x</b>` here.\n"
    assert findings(text) == [
        'spec.rst:4:5: F101 role "html" is raw output, which is not allowed'
    ]


def test_including_a_file_from_outside_the_folder_is_forbidden():
    text = "Intro.\n\n.. include:: ../../etc/passwd\n"
    assert findings(text) == [
        'spec.rst:3:1: F102 include of "../../etc/passwd" reaches outside the '
        "spec's folder"
    ]


def test_literalinclude_of_an_absolute_path_is_forbidden():
    text = ".. literalinclude:: /etc/hosts\n   :language: text\n"
    assert findings(text) == [
        'spec.rst:1:1: F102 literalinclude of "/etc/hosts" reaches outside the '
        "spec's folder"
    ]


def test_including_a_file_beside_the_spec_is_allowed():
    assert (
        findings(".. include:: rows.txt\n\n.. literalinclude:: data/sample.yaml\n")
        == []
    )


@pytest.mark.parametrize("option", ["url", "file"])
def test_a_csv_table_reading_a_file_or_url_is_forbidden_on_the_option_line(option):
    text = f"Intro.\n\n.. csv-table:: Data\n   :header: a, b\n   :{option}: rows.csv\n"
    assert findings(text) == [
        f'spec.rst:5:4: F103 csv-table reads :{option}: "rows.csv": write the rows '
        "in the spec"
    ]


def test_an_inline_csv_table_is_allowed():
    assert findings(".. csv-table:: Data\n   :header: a, b\n\n   1, 2\n") == []


def test_a_javascript_link_in_mixed_case_is_found_at_its_scheme():
    text = "Click `here <JaVaScRiPt:alert(1)>`_ now.\n"
    assert findings(text) == [
        'spec.rst:1:14: F104 link scheme "javascript" is not allowed (only http, '
        "https and mailto)"
    ]


def test_a_line_break_inside_a_scheme_does_not_hide_it():
    text = "Click `here <java\nscript:alert(1)>`__ now.\n"
    assert findings(text) == [
        'spec.rst:1:14: F104 link scheme "javascript" is not allowed (only http, '
        "https and mailto)"
    ]


def test_a_target_split_over_lines_is_found_where_it_starts():
    text = ".. _x: java\n   script:alert(1)\n\nSee x_.\n"
    assert findings(text) == [
        'spec.rst:1:8: F104 link scheme "javascript" is not allowed (only http, '
        "https and mailto)"
    ]


def test_a_target_and_its_references_are_reported_once_where_it_is_written():
    text = "See data_ and again data_.\n\n.. _data: data:text/html,<script>x</script>\n"
    assert findings(text) == [
        'spec.rst:3:11: F104 link scheme "data" is not allowed (only http, https '
        "and mailto)"
    ]


def test_two_links_with_the_same_bad_uri_are_both_reported():
    text = "`a <vbscript:x>`__\n\n`b <vbscript:x>`__\n"
    assert findings(text) == [
        'spec.rst:1:5: F104 link scheme "vbscript" is not allowed (only http, https '
        "and mailto)",
        'spec.rst:3:5: F104 link scheme "vbscript" is not allowed (only http, https '
        "and mailto)",
    ]


def test_an_image_from_a_data_uri_is_forbidden():
    text = ".. image:: data:image/svg+xml,<svg/>\n"
    assert findings(text) == [
        'spec.rst:1:12: F104 link scheme "data" is not allowed (only http, https '
        "and mailto)"
    ]


def test_web_mail_and_relative_links_are_allowed():
    text = (
        "`a <https://example.org>`__, `b <http://example.org>`__, "
        "jane@example.org, `c <mailto:x@example.org>`__, `d <../other.html>`__\n"
    )
    assert findings(text, {Check.FORBIDDEN}) == []


@pytest.mark.parametrize(
    ("uri", "scheme"),
    [
        ("JaVaScRiPt:alert(1)", "javascript"),
        (" javascript:alert(1)", "javascript"),
        ("java\tscript:alert(1)", "javascript"),
        ("\x01javascript:alert(1)", "javascript"),
        ("java\u200bscript:alert(1)", "javascript"),
        ("DATA:text/html,x", "data"),
        ("https://example.org", "https"),
        ("../page.html#x", None),
        ("#anchor", None),
    ],
)
def test_the_scheme_is_read_as_a_browser_reads_it(uri, scheme):
    assert link_scheme(uri) == scheme


def test_docutils_warnings_and_errors_are_reported_at_their_line():
    text = "Title\n====\n\n.. nonsense:: x\n"
    assert findings(text) == [
        "spec.rst:2:1: R101 Title underline too short.",
        'spec.rst:4:1: R102 Unknown directive type "nonsense".',
    ]


def test_unknown_roles_are_errors_but_sphinx_ones_are_not():
    text = "See :spec:`2027.1/x`, :ref:`label` and :foo:`bar`.\n"
    assert findings(text) == ['spec.rst:1:1: R102 Unknown interpreted text role "foo".']


def test_sphinx_code_block_options_are_not_errors():
    text = ".. code-block:: yaml\n   :caption: Example\n   :linenos:\n\n   a: 1\n"
    assert findings(text) == []


KIND_ROLES = frozenset(role for kind in KINDS for role in kind.roles)


def test_the_data_kinds_roles_are_known_to_the_linter():
    text = "See :advisory:`OSSA-2024-001` and :cve:`2024-1234`.\n"
    assert lint_messages(text, {Check.SYNTAX}, roles=KIND_ROLES) == []


def test_a_role_no_kind_declares_is_unknown():
    found = lint_messages("See :advisory:`OSSA-2024-001`.\n", {Check.SYNTAX})
    assert len(found) == 1
    assert 'Unknown interpreted text role "advisory"' in found[0]
