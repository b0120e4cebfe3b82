"""The template outline, read from the template file itself."""

from __future__ import annotations

import pytest

from crosswork.specs.template import (
    Template,
    TemplateError,
    TemplateSection,
    load_template,
)


def outline(sections: tuple[TemplateSection, ...]) -> list[tuple[str, bool, list]]:
    return [(s.title, s.optional, outline(s.children)) for s in sections]


def test_the_crosswork_template_has_the_agreed_outline(template):
    assert outline(template.sections) == [
        ("Problem description", False, [("Use cases", False, [])]),
        ("Proposed change", False, [("Alternatives", False, [])]),
        (
            "Impact",
            False,
            [
                ("Security impact", False, []),
                ("Upgrade impact", False, []),
                ("Performance impact", False, []),
                ("Operator impact", False, []),
                ("Impact on other projects", False, []),
            ],
        ),
        (
            "Implementation",
            False,
            [("Assignees", False, []), ("Work items", False, [])],
        ),
        ("Dependencies", False, []),
        ("Testing", False, []),
        ("Documentation impact", False, []),
        ("References", True, []),
        ("History", True, []),
    ]


SMALL = """\
=====
Title
=====

One
===

.. optional

Text.

Two
===

Text.

.. optional

Sub
---

Text.
"""


def test_the_optional_marker_counts_only_as_the_first_thing_under_a_title():
    assert outline(Template.from_text(SMALL).sections) == [
        ("One", True, []),
        ("Two", False, [("Sub", False, [])]),
    ]


def test_optional_sections_can_also_be_named_in_any_case():
    template = Template.from_text(SMALL, optional=["sub"])
    assert outline(template.sections) == [
        ("One", True, []),
        ("Two", False, [("Sub", True, [])]),
    ]


def test_naming_an_optional_section_the_template_lacks_is_an_error():
    with pytest.raises(
        TemplateError, match='optional sections not in the template: "Thre"'
    ):
        Template.from_text(SMALL, optional=["Sub", "Thre"], path="t.rst")


def test_a_template_without_one_title_is_refused():
    with pytest.raises(TemplateError, match="found 2 top-level sections"):
        Template.from_text("One\n===\n\nTwo\n===\n", path="t.rst")


def test_a_template_nested_too_deep_to_parse_is_refused(tmp_path):
    deep = "".join(" " * 2 * i + "- item\n\n" for i in range(180))
    (tmp_path / "template.rst").write_text(f"=====\nTitle\n=====\n\n{deep}")
    _, found = load_template(tmp_path / "template.rst", "specs/template.rst")
    assert [str(problem) for problem in found] == [
        "specs/template.rst:1:1: S108 content nested more than 50 levels deep "
        "at line 105"
    ]


def test_parents_tell_where_each_section_belongs():
    assert Template.from_text(SMALL).parents() == {
        "one": None,
        "two": None,
        "sub": "Two",
    }


def test_the_nova_template_reads_without_a_marker(nova_specs):
    template = Template.from_file(
        nova_specs / "2026.2-template.rst", optional=["History"]
    )
    assert [(s.title, s.optional) for s in template.sections] == [
        ("Problem description", False),
        ("Proposed change", False),
        ("Implementation", False),
        ("Dependencies", False),
        ("Testing", False),
        ("Documentation Impact", False),
        ("References", False),
        ("History", True),
    ]
    implementation = template.sections[2]
    assert [s.title for s in implementation.children] == [
        "Assignee(s)",
        "Feature Liaison",
        "Work Items",
    ]
    assert [s.title for s in template.sections[1].children] == [
        "Alternatives",
        "Data model impact",
        "REST API impact",
        "Security impact",
        "Notifications impact",
        "Other end user impact",
        "Performance Impact",
        "Other deployer impact",
        "Developer impact",
        "Upgrade impact",
    ]
