"""Template guidance (S109): the paragraphs after a ``.. guidance`` comment
in the template, which a spec must not keep word for word."""

from __future__ import annotations

from crosswork.specs.lint import Check
from crosswork.specs.template import Template

from .conftest import lint_messages

TEMPLATE_TEXT = """\
=====
Title
=====

.. guidance

Say what changes, and why.

Problem
=======

Not guidance: no marker comes before it.

.. guidance

What is wrong today? Give
evidence.

Second guidance paragraph.

Details
-------

Not guidance either: the marker covers its own section only.
"""
TEMPLATE = Template.from_text(TEMPLATE_TEXT)

SPEC = """\
=======
A title
=======

{intro}

Problem
=======

{problem}

Details
-------

Our details.
"""


def findings(intro: str = "Our summary.", problem: str = "Our problem.") -> list[str]:
    text = SPEC.format(intro=intro, problem=problem)
    return lint_messages(text, {Check.STRUCTURE}, template=TEMPLATE)


def test_the_paragraphs_after_the_marker_in_its_section_are_guidance():
    assert set(TEMPLATE.guidance) == {
        "Say what changes, and why.",
        "What is wrong today? Give evidence.",
        "Second guidance paragraph.",
    }


def test_the_crosswork_template_marks_guidance_in_every_section(template):
    assert len(template.guidance) == 19
    assert (
        "Add a row each time the spec is carried to a new cycle or changed in "
        "substance after approval." in template.guidance
    )


def test_a_spec_in_its_own_words_has_no_finding():
    assert findings() == []


def test_guidance_left_in_place_is_reported_at_its_line():
    assert findings(intro="Say what changes, and why.") == [
        "spec.rst:5:1: S109 the template's guidance is still here (\"Say what "
        'changes, and why."): replace it with what this spec has to say'
    ]


def test_rewrapping_guidance_does_not_hide_it():
    found = findings(problem="What is wrong\ntoday?   Give evidence.")
    assert [line.split(": S109")[0] for line in found] == ["spec.rst:10:1"]


def test_guidance_with_a_word_changed_is_the_authors_text():
    assert findings(problem="What is wrong today? Give numbers.") == []


def test_guidance_is_found_anywhere_and_located_at_its_text():
    found = findings(problem="* Our point.\n* Second guidance paragraph.")
    assert [line.split(": S109")[0] for line in found] == ["spec.rst:11:3"]


def test_every_guidance_paragraph_left_is_reported_at_once():
    found = findings(
        intro="Say what changes, and why.",
        problem="What is wrong today? Give evidence.\n\nSecond guidance paragraph.",
    )
    assert [line.split(": S109")[0] for line in found] == [
        "spec.rst:5:1",
        "spec.rst:10:1",
        "spec.rst:12:1",
    ]


def test_a_template_without_markers_has_no_guidance_to_find():
    plain = Template.from_text(TEMPLATE_TEXT.replace(".. guidance", ".. a note"))
    assert plain.guidance == ()
    text = SPEC.format(intro="Say what changes, and why.", problem="Ours.")
    assert lint_messages(text, {Check.STRUCTURE}, template=plain) == []


def test_the_guidance_is_sorted_so_the_lint_cache_key_is_the_same_every_run(template):
    assert list(template.guidance) == sorted(template.guidance)
