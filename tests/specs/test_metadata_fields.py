"""The optional people, workgroup, discussion and gap fields (M106, M107,
M110, M115 to M118), and their place in the order of the fields.

Specs here are written field by field in the order of ``FIELDS``: the
title is on lines 1-3 and the fields start on line 5.
"""

from __future__ import annotations

from datetime import date

import pytest

from crosswork.specs.lint import lint_spec
from crosswork.specs.metadata import APPROVAL_RECORDED_SINCE, FIELDS
from crosswork.specs.model import GapTarget, Spec

from .conftest import BODY, DEFAULT_FIELDS, WORKGROUPS

PATH = "specs/2027.1/one-configuration-file.rst"
#: A day after the Approvers field came in, so that new specs need it.
LATER = date(2027, 1, 20)
APPROVED = {"Created": "2027-01-04", "Approvers": "Ingrid Solberg"}

HEADER = "======================\nOne configuration file\n======================\n\n"


def spec_text(**changes: str | None) -> str:
    """A valid spec whose fields are ``DEFAULT_FIELDS`` with ``changes``
    (``None`` removes one), written in the order of ``FIELDS``."""
    fields = dict(DEFAULT_FIELDS)
    for name, value in changes.items():
        name = name.replace("_", "-")
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = value
    ordered = sorted(fields.items(), key=lambda item: FIELDS.index(item[0]))
    lines = [f":{name}: {value}" for name, value in ordered]
    return HEADER + "\n".join(lines) + "\n\n" + BODY


@pytest.fixture
def lint(template):
    """Lint a spec on ``today``, with every workgroup of the tests known."""

    def run(text: str, today: date = LATER) -> tuple[Spec | None, list[str]]:
        spec, found = lint_spec(
            PATH, text, template, workgroups=WORKGROUPS, today=today
        )
        return spec, [str(finding) for finding in found]

    return run


def test_the_order_of_every_field():
    assert FIELDS == (
        "Status",
        "Workgroup",
        "Participating",
        "Authors",
        "Reviewers",
        "Approvers",
        "Created",
        "Cycle",
        "Review",
        "Discussion",
        "Tracking",
        "Closes-Gaps",
        "Supersedes",
        "Superseded-By",
        "Implemented-In",
    )


def test_every_new_field_reaches_the_spec(lint):
    text = spec_text(
        Workgroup="consistency",
        Participating="common, quality",
        Reviewers="Anselm Vogt, Priya Raman <praman@example.org>",
        Approvers="Ingrid Solberg <ingrid.solberg@example.org>",
        Created="2027-01-04",
        Discussion="https://lists.openstack.org/t/one-configuration-file/1",
        Closes_Gaps="nova-2020 libvirt-xen: all;\n"
        "   nova-2020 xenserver: operation.evacuate, operation.snapshot",
    )
    spec, found = lint(text)
    assert found == []
    assert spec is not None
    assert spec.participating == ("common", "quality")
    assert spec.reviewers == ("Anselm Vogt", "Priya Raman <praman@example.org>")
    assert spec.approvers == ("Ingrid Solberg <ingrid.solberg@example.org>",)
    assert spec.discussion == "https://lists.openstack.org/t/one-configuration-file/1"
    assert spec.closes_gaps == (
        GapTarget("nova-2020", "libvirt-xen"),
        GapTarget(
            "nova-2020", "xenserver", ("operation.evacuate", "operation.snapshot")
        ),
    )


def test_without_the_new_fields_the_spec_has_them_empty(lint):
    spec, found = lint(spec_text(), today=date(2026, 11, 27))
    assert found == []
    assert spec is not None
    assert (
        spec.participating,
        spec.reviewers,
        spec.approvers,
        spec.discussion,
        spec.closes_gaps,
    ) == ((), (), (), "", ())


def test_a_new_field_out_of_order_is_told_where_it_goes(lint):
    text = (
        spec_text(**APPROVED)
        .replace(":Approvers: Ingrid Solberg\n", "")
        .replace(":Cycle: 2027.1\n", ":Cycle: 2027.1\n:Approvers: Ingrid Solberg\n")
    )
    assert lint(text)[1] == [
        f'{PATH}:10:1: M104 field "Approvers" is out of order: it goes after "Authors"'
    ]


@pytest.mark.parametrize(
    ("changes", "finding"),
    [
        (
            {"Reviewers": "Anselm Vogt, jane@example.org"},
            '8:26: M106 Reviewers entry "jane@example.org" is not written as "Name" '
            'or "Name <address>"',
        ),
        (
            {"Approvers": "<ingrid@example.org>"},
            '8:13: M106 Approvers entry "<ingrid@example.org>" is not written as '
            '"Name" or "Name <address>"',
        ),
        (
            {"Participating": "quality, oslo"},
            '7:26: M107 unknown participating workgroup "oslo" (known: common, '
            "consistency, quality, security)",
        ),
        (
            {"Participating": "quality, common"},
            '7:26: M115 Participating names "common", the sponsoring workgroup: list '
            "only the other workgroups taking part",
        ),
        (
            {"Participating": "quality, security, quality"},
            '7:36: M115 Participating names "quality" twice',
        ),
        (
            {"Discussion": "http://lists.openstack.org/t/1"},
            '12:14: M106 Discussion "http://lists.openstack.org/t/1" is not an https '
            "URL",
        ),
        (
            {"Closes_Gaps": "nova-2020 libvirt-xen all"},
            '12:15: M116 Closes-Gaps target "nova-2020 libvirt-xen all" has no ":" '
            'after "<track> <driver>"',
        ),
        (
            {"Closes_Gaps": "nova-2020 libvirt-xen: all; nova-2020 libvirt/xen: all"},
            '12:53: M117 Closes-Gaps driver "libvirt/xen" is not a matrix key '
            "(like libvirt-xen)",
        ),
        (
            {"Closes_Gaps": "nova-2020 xenserver: operation.snapshot, all"},
            '12:56: M118 "all" already means every gap: name no features with it',
        ),
    ],
)
def test_invalid_new_values_are_located_at_the_entry(lint, changes, finding):
    text = spec_text(**{**APPROVED, **changes})
    assert lint(text) == (None, [f"{PATH}:{finding}"])


def test_a_closes_gaps_problem_on_a_continuation_line_is_located_there(lint):
    text = spec_text(
        **APPROVED,
        Closes_Gaps="nova-2020 libvirt-xen: all;\n"
        "   nova-2020 xenserver: operation.evacuate,, operation.snapshot",
    )
    assert lint(text)[1] == [
        f"{PATH}:13:43: M116 empty Closes-Gaps feature between commas"
    ]


def test_every_problem_of_the_new_fields_is_reported_at_once(lint):
    text = spec_text(
        Created="2027-01-04",
        Participating="common, nobody",
        Reviewers="@someone",
        Discussion="irc #crosswork",
        Closes_Gaps="nova-2020 xen; nova-2020 xen: a, a",
    )
    assert [finding.split(": ")[1].split()[0] for finding in lint(text)[1]] == [
        "M110",
        "M115",
        "M107",
        "M106",
        "M106",
        "M116",
        "M118",
    ]


@pytest.mark.parametrize("status", ["approved", "implemented", "superseded"])
def test_an_approved_spec_created_since_the_field_exists_names_its_approvers(
    lint, status
):
    extra = {
        "implemented": {"Implemented_In": "2027.1"},
        "superseded": {"Superseded_By": "2027.1/two-configuration-files"},
    }.get(status, {})
    text = spec_text(Status=status, Created="2027-01-04", **extra)
    found = [f for f in lint(text)[1] if " M110 " in f]
    assert found == [f'{PATH}:5:10: M110 status "{status}" needs the Approvers field']


def test_a_spec_created_before_the_field_existed_needs_no_approvers(lint):
    day_before = APPROVAL_RECORDED_SINCE.toordinal() - 1
    created = date.fromordinal(day_before).isoformat()
    assert lint(spec_text(Created=created))[1] == []


def test_an_approved_spec_created_before_the_record_needs_no_review(lint):
    # Its review was never recorded: the linter asks for no number that
    # nobody can check.
    day_before = APPROVAL_RECORDED_SINCE.toordinal() - 1
    created = date.fromordinal(day_before).isoformat()
    assert lint(spec_text(Created=created, Review=None))[1] == []


def test_an_approved_spec_created_since_the_record_needs_its_review(lint):
    text = spec_text(**APPROVED, Review=None)
    assert lint(text)[1] == [
        f'{PATH}:5:10: M110 status "approved" needs the Review field'
    ]


@pytest.mark.parametrize("status", ["draft", "proposed", "deferred"])
def test_approvers_may_be_named_before_they_approve(lint, status):
    text = spec_text(Status=status, Created="2027-01-04", Approvers="Ingrid Solberg")
    assert lint(text)[1] == []


def test_an_entry_is_located_at_the_value_when_markup_changes_its_text(lint):
    text = spec_text(**APPROVED, Reviewers="Anselm Vogt, *jane@example.org*")
    assert lint(text)[1] == [
        f'{PATH}:8:13: M106 Reviewers entry "jane@example.org" is not written as '
        '"Name" or "Name <address>"'
    ]


def test_a_value_starting_on_the_next_line_is_located_there(lint):
    text = spec_text(**APPROVED, Participating="-").replace(
        ":Participating: -\n", ":Participating:\n   oslo,\n     quality\n"
    )
    assert lint(text)[1] == [
        f'{PATH}:8:4: M107 unknown participating workgroup "oslo" (known: common, '
        "consistency, quality, security)"
    ]


def test_a_problem_on_the_first_line_of_a_continued_value_is_located_there(lint):
    text = spec_text(
        **APPROVED,
        Closes_Gaps="nova-2020 libvirt-xen: all; nova-2020 libvirt/xen: all;\n"
        "   nova-2020 xenserver: all",
    )
    assert lint(text)[1] == [
        f'{PATH}:12:53: M117 Closes-Gaps driver "libvirt/xen" is not a matrix key '
        "(like libvirt-xen)"
    ]


def test_a_continuation_line_may_be_indented_by_one_space(lint):
    text = spec_text(
        **APPROVED,
        Closes_Gaps="nova-2020 libvirt-xen: all;\n nova-2020 xen/server: all",
    )
    assert lint(text)[1] == [
        f'{PATH}:13:12: M117 Closes-Gaps driver "xen/server" is not a matrix key '
        "(like libvirt-xen)"
    ]


def test_a_problem_on_the_third_line_of_a_value_is_located_there(lint):
    text = spec_text(
        **APPROVED,
        Closes_Gaps="nova-2020 libvirt-xen: all;\n   nova-2020 xenserver: all;\n"
        "   nova-2020 hyper/v: all",
    )
    assert lint(text)[1] == [
        f'{PATH}:14:14: M117 Closes-Gaps driver "hyper/v" is not a matrix key '
        "(like libvirt-xen)"
    ]


def test_a_value_continued_on_the_last_line_of_the_file_is_located_there(lint):
    text = spec_text(
        **APPROVED,
        Closes_Gaps="nova-2020 libvirt-xen: all;\n   nova-2020 xen/server: all",
    ).removesuffix("\n\n" + BODY)
    assert not text.endswith("\n")
    found = [finding for finding in lint(text)[1] if " M1" in finding]
    assert found == [
        f'{PATH}:13:14: M117 Closes-Gaps driver "xen/server" is not a matrix key '
        "(like libvirt-xen)"
    ]


def test_with_no_workgroup_known_a_participating_one_is_unknown(template):
    text = spec_text(**APPROVED, Participating="quality")
    _, found = lint_spec(PATH, text, template, workgroups=set(), today=LATER)
    assert [str(finding) for finding in found] == [
        f'{PATH}:6:13: M107 unknown workgroup "common" (known: none)',
        f'{PATH}:7:17: M107 unknown participating workgroup "quality" (known: none)',
    ]


def test_a_spec_created_the_day_the_field_came_in_needs_approvers(lint):
    text = spec_text(Created=APPROVAL_RECORDED_SINCE.isoformat())
    assert lint(text)[1] == [
        f'{PATH}:5:10: M110 status "approved" needs the Approvers field'
    ]
