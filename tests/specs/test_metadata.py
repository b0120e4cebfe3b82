"""Spec metadata (M1xx): the field list under the title, alone and by status.

Each spec here comes from ``make_spec``: the title is on line 2 and the
fields start on line 5 in the order Status, Workgroup, Authors, Created,
Cycle, Review, then any added ones.
"""

from __future__ import annotations

from datetime import date

import pytest
from docutils import nodes

from crosswork.specs.lint import lint_spec
from crosswork.specs.metadata import Metadata, to_spec
from crosswork.specs.model import Spec

from .conftest import TODAY, WORKGROUPS

PATH = "specs/2027.1/one-configuration-file.rst"


@pytest.fixture
def lint(template):
    def run(text: str, path: str = PATH) -> tuple[Spec | None, list[str]]:
        spec, found = lint_spec(
            path, text, template, workgroups=WORKGROUPS, today=TODAY
        )
        return spec, [str(finding) for finding in found]

    return run


def test_valid_metadata_gives_the_spec_it_describes(lint, make_spec):
    text = make_spec(
        Tracking="https://bugs.launchpad.net/nova/+bug/2104417, 2001234, nova#2001235"
    )
    assert lint(text) == (
        Spec(
            slug="one-configuration-file",
            cycle="2027.1",
            title="One configuration file",
            status="approved",
            workgroup="common",
            authors=("Mireille Okafor <mokafor@example.org>", "Tomasz Lindqvist"),
            created=date(2026, 9, 14),
            review="https://review.opendev.org/c/openstack/crosswork-specs/+/951873",
            tracking=(
                "https://bugs.launchpad.net/nova/+bug/2104417",
                "2001234",
                "nova#2001235",
            ),
            supersedes=(),
            superseded_by="",
            implemented_in="",
            path=PATH,
            title_line=2,
        ),
        [],
    )


def test_a_value_may_continue_on_indented_lines(lint, make_spec):
    text = make_spec(Authors="Mireille Okafor,\n   Tomasz Lindqvist")
    spec, found = lint(text)
    assert found == []
    assert spec is not None
    assert spec.authors == ("Mireille Okafor", "Tomasz Lindqvist")


def test_metadata_must_come_right_after_the_title(lint, make_spec):
    text = make_spec().replace("\n\n:Status:", "\n\nIntro first.\n\n:Status:", 1)
    assert lint(text) == (
        None,
        [
            "specs/2027.1/one-configuration-file.rst:2:1: M101 the metadata field list "
            "must come right after the title"
        ],
    )


def test_a_title_with_nothing_under_it_has_no_metadata(lint):
    text = "======================\nOne configuration file\n======================\n"
    found = [finding for finding in lint(text)[1] if " M1" in finding]
    assert found == [
        f"{PATH}:2:1: M101 the metadata field list must come right after the title"
    ]


def test_a_line_of_spaces_ends_the_metadata(lint, make_spec):
    text = make_spec().replace("951873\n\n", "951873\n   \n", 1)
    spec, found = lint(text)
    assert found == [f"{PATH}:11:1: T102 trailing whitespace"]
    assert spec is not None
    assert spec.review.endswith("/951873")


def test_a_comment_may_sit_between_the_title_and_the_metadata(lint, make_spec):
    text = make_spec().replace(
        "\n\n:Status:", "\n\n.. A note for reviewers.\n\n:Status:", 1
    )
    assert lint(text)[1] == []


def test_an_unknown_field_suggests_the_closest_known_one(lint, make_spec):
    text = make_spec().replace(":Status:", ":status:")
    assert lint(text) == (
        None,
        [
            f'{PATH}:5:1: M102 unknown field "status" (did you mean "Status"?)',
            f'{PATH}:5:1: M105 missing field "Status"',
        ],
    )


def test_an_unknown_field_far_from_any_known_one_has_no_suggestion(lint, make_spec):
    assert lint(make_spec(Mood="hopeful"))[1] == [
        f'{PATH}:11:1: M102 unknown field "Mood"'
    ]


def test_a_repeated_field_is_reported_and_the_first_one_counts(lint, make_spec):
    text = make_spec().replace(":Cycle: 2027.1\n", ":Cycle: 2027.1\n:Cycle: 2030.2\n")
    assert lint(text)[1] == [
        f'{PATH}:10:1: M103 field "Cycle" appears again (first at line 9)'
    ]


def test_a_field_out_of_order_is_told_where_it_goes(lint, make_spec):
    text = (
        make_spec()
        .replace(":Cycle: 2027.1\n", "")
        .replace(":Status:", ":Cycle: 2027.1\n:Status:")
    )
    assert lint(text)[1] == [
        f'{PATH}:5:1: M104 field "Cycle" is out of order: it goes after "Created"'
    ]


def test_a_field_that_belongs_first_is_told_what_it_goes_before(lint, make_spec):
    text = (
        make_spec()
        .replace(":Status: approved\n", "")
        .replace(":Review:", ":Status: approved\n:Review:")
    )
    assert lint(text)[1] == [
        f'{PATH}:9:1: M104 field "Status" is out of order: it goes before "Workgroup"'
    ]


@pytest.mark.parametrize("name", ["Status", "Workgroup", "Authors", "Created", "Cycle"])
def test_the_fields_every_spec_needs(lint, make_spec, name):
    spec, found = lint(make_spec(**{name: None}))
    assert spec is None
    assert f'{PATH}:5:1: M105 missing field "{name}"' in found


def test_an_empty_value_is_invalid(lint, make_spec):
    assert lint(make_spec(Review=""))[1] == [
        f'{PATH}:10:9: M106 field "Review" is empty'
    ]


@pytest.mark.parametrize(
    ("changes", "finding"),
    [
        (
            {"Status": "Approved"},
            '5:10: M106 unknown status "Approved" (one of: draft, proposed, approved, '
            "implemented, deferred, rejected, withdrawn, superseded)",
        ),
        (
            {"Workgroup": "oslo"},
            '6:13: M107 unknown workgroup "oslo" (known: common, consistency, quality, '
            "security)",
        ),
        (
            {"Authors": "jane@example.org"},
            '7:11: M106 author "jane@example.org" is not written as "Name" or '
            '"Name <address>"',
        ),
        (
            {"Created": "2026-9-14"},
            '8:11: M106 Created "2026-9-14" is not a date (YYYY-MM-DD)',
        ),
        (
            {"Created": "2026-02-30"},
            '8:11: M106 Created "2026-02-30" is not a date (YYYY-MM-DD)',
        ),
        (
            {"Created": "2026-11-28"},
            "8:11: M108 Created 2026-11-28 is after today (2026-11-27)",
        ),
        ({"Cycle": "2027.3"}, '9:9: M106 Cycle "2027.3" is not a cycle (like 2027.1)'),
        (
            {"Cycle": "2026.2"},
            '9:9: M109 Cycle "2026.2" does not match the folder "2027.1"',
        ),
        (
            {"Review": "http://review.opendev.org/c/1"},
            '10:10: M106 Review "http://review.opendev.org/c/1" is not an https URL',
        ),
        (
            {"Tracking": "2001234, bug 17"},
            '11:12: M106 Tracking entry "bug 17" is neither an https URL nor a bug '
            "number",
        ),
        (
            {"Supersedes": "2026.2/Old_Spec"},
            '11:14: M106 Supersedes entry "2026.2/Old_Spec" is not a spec id '
            "(<cycle>/<slug>)",
        ),
        (
            {"Supersedes": "2027.1/one-configuration-file"},
            "11:14: M106 Supersedes names this spec itself",
        ),
        (
            {"Status": "superseded", "Superseded_By": "2028.1/a, 2028.1/b"},
            "11:17: M106 Superseded-By names one spec only",
        ),
        (
            {"Status": "implemented", "Implemented_In": "next"},
            '11:18: M106 Implemented-In "next" is not a cycle (like 2027.1)',
        ),
        (
            {"Status": "implemented", "Implemented_In": "2026.2"},
            "11:18: M112 Implemented-In 2026.2 is before the spec's cycle 2027.1",
        ),
    ],
)
def test_invalid_values_are_located_at_the_value(lint, make_spec, changes, finding):
    assert lint(make_spec(**changes)) == (None, [f"{PATH}:{finding}"])


def test_a_spec_may_be_created_today(lint, make_spec):
    spec, found = lint(make_spec(Created=TODAY.isoformat()))
    assert found == []
    assert spec is not None
    assert spec.created == TODAY


def test_the_specs_a_spec_supersedes_reach_the_spec(lint, make_spec):
    spec, found = lint(make_spec(Supersedes="2026.2/older, 2026.1/oldest"))
    assert found == []
    assert spec is not None
    assert spec.supersedes == ("2026.2/older", "2026.1/oldest")


def test_metadata_that_was_not_checked_builds_no_spec():
    with pytest.raises(ValueError) as raised:
        to_spec(Metadata(5, {}), title=nodes.section(), slug="x", path=PATH)
    assert str(raised.value) == (
        f"{PATH}: metadata was not checked before building the spec"
    )


def test_the_cycle_is_only_compared_with_a_cycle_folder(lint, make_spec):
    spec, found = lint(make_spec(), path="specs/drafts/one-configuration-file.rst")
    assert found == [
        'specs/drafts/one-configuration-file.rst:1:1: L102 folder "drafts" is not a '
        "cycle (like 2027.1)"
    ]
    assert spec is None


@pytest.mark.parametrize(
    ("changes", "finding"),
    [
        (
            {"Status": "implemented"},
            '5:10: M110 status "implemented" needs the Implemented-In field',
        ),
        (
            {"Status": "superseded"},
            '5:10: M110 status "superseded" needs the Superseded-By field',
        ),
        (
            {"Superseded_By": "2028.1/newer"},
            '11:17: M111 Superseded-By is not allowed with status "approved"',
        ),
        (
            {"Implemented_In": "2027.1"},
            '11:18: M111 Implemented-In is not allowed with status "approved"',
        ),
        (
            {"Status": "withdrawn", "Supersedes": "2026.2/older"},
            '11:14: M111 Supersedes is not allowed with status "withdrawn"',
        ),
    ],
)
def test_the_status_decides_which_fields_are_needed_or_allowed(
    lint, make_spec, changes, finding
):
    assert lint(make_spec(**changes)) == (None, [f"{PATH}:{finding}"])


def test_a_draft_needs_no_review(lint, make_spec):
    spec, found = lint(make_spec(Status="draft", Review=None))
    assert found == []
    assert spec is not None
    assert spec.review == ""


def test_a_superseded_spec_may_keep_the_cycle_it_was_implemented_in(lint, make_spec):
    text = make_spec(
        Status="superseded", Superseded_By="2028.1/newer", Implemented_In="2027.1"
    )
    spec, found = lint(text)
    assert found == []
    assert spec is not None
    assert (spec.superseded_by, spec.implemented_in) == ("2028.1/newer", "2027.1")


def test_every_problem_is_reported_at_once(lint, make_spec):
    text = make_spec(Status="done", Workgroup="oslo", Created="yesterday", Cycle="next")
    assert lint(text) == (
        None,
        [
            f'{PATH}:5:10: M106 unknown status "done" (one of: draft, proposed, '
            "approved, implemented, deferred, rejected, withdrawn, superseded)",
            f'{PATH}:6:13: M107 unknown workgroup "oslo" (known: common, consistency, '
            "quality, security)",
            f'{PATH}:8:11: M106 Created "yesterday" is not a date (YYYY-MM-DD)',
            f'{PATH}:9:9: M106 Cycle "next" is not a cycle (like 2027.1)',
        ],
    )


def test_a_spec_without_a_title_has_no_metadata(lint):
    assert lint(":Status: draft\n\nJust text.\n") == (
        None,
        [
            f"{PATH}:1:1: M101 no metadata: the spec has no title",
            f"{PATH}:1:1: S101 the spec has no title",
        ],
    )
