"""A spec's sections against the template outline (S1xx)."""

from __future__ import annotations

from crosswork.diagnostics import Severity
from crosswork.specs.lint import Check
from crosswork.specs.template import Template

from .conftest import lint_findings, lint_messages

TEMPLATE = Template.from_text(
    """\
========
Template
========

Problem
=======

Use cases
---------

Proposal
========

Alternatives
------------

Details
-------

.. optional

Testing
=======

References
==========

.. optional

Notes
-----
"""
)


def document(*sections: str) -> str:
    """A spec from sections written ``=Title`` (top level) or ``-Title``
    (one level down), optionally ``|body`` (default: one sentence).

    The title is on line 2 and the k-th section's title on line 5 + 5k.
    """
    parts = ["=====\nTitle\n=====\n"]
    for section in sections:
        heading, bar, body = section.partition("|")
        text, rule = heading[1:], heading[0] * len(heading[1:])
        parts.append(f"{text}\n{rule}\n\n{body if bar else 'Text.'}\n")
    return "\n".join(parts)


def structure(text: str) -> list[str]:
    return lint_messages(text, {Check.STRUCTURE}, template=TEMPLATE)


COMPLETE = ("=Problem", "-Use cases", "=Proposal", "-Alternatives", "=Testing")


def test_a_spec_with_every_section_in_order_passes():
    text = document(
        "=Problem",
        "-Use cases",
        "=Proposal",
        "-Alternatives",
        "-Details",
        "=Testing",
        "=References",
        "-Notes",
    )
    assert structure(text) == []


def test_the_document_helper_puts_sections_where_it_says():
    text = document("=Problem", "-Use cases")
    assert text.splitlines()[4] == "Problem"
    assert text.splitlines()[9] == "Use cases"


def test_a_missing_top_level_section_is_reported_at_the_title():
    assert structure(document(*COMPLETE[:4])) == [
        'spec.rst:2:1: S102 missing section "Testing"'
    ]


def test_a_missing_subsection_is_reported_at_its_parent():
    assert structure(
        document("=Problem", "=Proposal", "-Alternatives", "=Testing")
    ) == ['spec.rst:5:1: S102 missing section "Use cases" in "Problem"']


def test_optional_sections_may_be_left_out_with_everything_below_them():
    # Details and References (with its required Notes) are optional.
    assert structure(document(*COMPLETE)) == []


def test_an_optional_section_that_is_present_needs_its_required_children():
    assert structure(document(*COMPLETE, "=References")) == [
        'spec.rst:30:1: S102 missing section "Notes" in "References"'
    ]


def test_a_top_level_section_not_in_the_template_is_an_error():
    assert structure(document(*COMPLETE, "=Budget")) == [
        'spec.rst:30:1: S103 section "Budget" is not in the template'
    ]


def test_subsections_of_the_authors_own_are_allowed_anywhere():
    assert (
        structure(document("=Problem", "-Background", "-Use cases", *COMPLETE[2:]))
        == []
    )


def test_a_subsection_at_the_top_level_is_told_where_it_belongs():
    assert structure(document("=Problem", "=Use cases", *COMPLETE[2:])) == [
        'spec.rst:5:1: S102 missing section "Use cases" in "Problem" '
        "(there is one at line 10, at the top level)",
        'spec.rst:10:1: S103 section "Use cases" belongs under "Problem"',
    ]


def test_a_top_level_section_pushed_down_a_level_is_found():
    text = document("=Problem", "-Use cases", "=Proposal", "-Alternatives", "-Testing")
    assert structure(text) == [
        'spec.rst:2:1: S102 missing section "Testing" '
        '(there is one at line 25, under "Proposal")'
    ]


def test_of_two_swapped_sections_only_one_is_reported_out_of_order():
    text = document("=Proposal", "-Alternatives", "=Problem", "-Use cases", "=Testing")
    assert structure(text) == [
        'spec.rst:5:1: S104 section "Proposal" is out of order: '
        'the template puts it after "Problem"'
    ]


def test_order_is_checked_among_subsections_too():
    text = document(
        "=Problem", "-Use cases", "=Proposal", "-Details", "-Alternatives", "=Testing"
    )
    assert structure(text) == [
        'spec.rst:20:1: S104 section "Details" is out of order: '
        'the template puts it after "Alternatives"'
    ]


def test_a_section_moved_to_the_front_is_the_only_one_reported():
    text = document("=Testing", *COMPLETE[:4])
    assert structure(text) == [
        'spec.rst:5:1: S104 section "Testing" is out of order: '
        'the template puts it after "Proposal"'
    ]


def test_titles_compare_without_case_and_spacing():
    text = document(
        "=PROBLEM", "-Use   Cases", "=Proposal", "-alternatives", "=Testing"
    )
    assert structure(text) == []


def test_an_empty_required_section_is_an_error():
    text = document("=Problem", "-Use cases", "=Proposal", "-Alternatives|", "=Testing")
    assert structure(text) == ['spec.rst:20:1: S105 section "Alternatives" is empty']


def test_a_required_section_saying_only_none_is_a_warning():
    text = document(*COMPLETE[:4], "=Testing|None.")
    found = lint_findings(text, {Check.STRUCTURE}, template=TEMPLATE)
    assert [str(finding) for finding in found] == [
        'spec.rst:25:1: S106 section "Testing" only says "None."'
    ]
    assert found[0].severity is Severity.WARNING


def test_not_applicable_is_a_placeholder_too_but_a_sentence_with_none_is_not():
    assert structure(document(*COMPLETE[:4], "=Testing|N/A")) == [
        'spec.rst:25:1: S106 section "Testing" only says "N/A"'
    ]
    assert structure(document(*COMPLETE[:4], "=Testing|None needed: no code.")) == []


def test_optional_sections_may_be_empty():
    assert structure(document(*COMPLETE, "=References|", "-Notes")) == []


def test_a_section_holding_only_subsections_is_not_empty():
    assert structure(document("=Problem|", "-Use cases", *COMPLETE[2:])) == []


def test_a_section_of_link_targets_is_not_empty():
    text = document(*COMPLETE[:4], "=Testing|.. _plan: https://example.org/plan")
    assert structure(text) == []


def test_a_repeated_section_is_reported_at_its_second_occurrence():
    assert structure(document(*COMPLETE, "=Testing")) == [
        'spec.rst:30:1: S107 section "Testing" appears again (first at line 25)'
    ]


def test_a_repeated_subsection_of_the_authors_own_is_reported_too():
    text = document(*COMPLETE[:2], "-Example", "-Example", *COMPLETE[2:])
    assert structure(text) == [
        'spec.rst:20:1: S107 section "Example" appears again (first at line 15)'
    ]


def test_a_spec_without_a_title_is_reported_once():
    assert structure("Just a paragraph.\n") == [
        "spec.rst:1:1: S101 the spec has no title"
    ]


def test_sections_styled_like_the_title_are_second_titles():
    text = "=====\nTitle\n=====\n\n=======\nProblem\n=======\n\nText.\n"
    assert structure(text) == [
        'spec.rst:6:1: S101 "Problem" is a second top-level title: sections need '
        "an underline style different from the title's"
    ]
