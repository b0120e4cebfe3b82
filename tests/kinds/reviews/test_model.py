"""The review model: Gerrit times, the workgroup field, vote summaries."""

from __future__ import annotations

import datetime as dt

import pytest

from crosswork.kinds.reviews.model import (
    WORKGROUP_HEAD,
    Review,
    ReviewFile,
    Vote,
    parse_gerrit_time,
    parse_iso,
    summarize_votes,
    under_prefix,
    workgroup_field,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-12-23 23:37:29.000000000", dt.datetime(2019, 12, 23, 23, 37, 29)),
        (
            "2012-07-17 07:18:30.854000000",
            dt.datetime(2012, 7, 17, 7, 18, 30, 854000),
        ),
        ("2012-07-17 07:18:30", dt.datetime(2012, 7, 17, 7, 18, 30)),
    ],
)
def test_gerrit_times_have_no_zone_and_are_utc(text: str, expected) -> None:
    assert parse_gerrit_time(text) == expected.replace(tzinfo=dt.UTC)


@pytest.mark.parametrize("text", ["2019-12-23T23:37:29Z", "yesterday", "2019-12-23 1"])
def test_other_time_shapes_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_gerrit_time(text)


def test_github_times_are_utc() -> None:
    assert parse_iso("2018-10-18T15:56:58Z") == dt.datetime(
        2018, 10, 18, 15, 56, 58, tzinfo=dt.UTC
    )
    with pytest.raises(ValueError):
        parse_iso("2018-10-18T15:56:58")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Title\n=====\n\n:Status: draft\n:Workgroup: alpha\n", "alpha"),
        (":Workgroup:   compute-sig  \n", "compute-sig"),
        (":Workgroup: `alpha <javascript:x>`_\n", ""),
        (":Workgroup: Alpha\n", ""),
        ("  :Workgroup: alpha\n", ""),
        (":Status: draft\n", ""),
        ("x" * WORKGROUP_HEAD + "\n:Workgroup: alpha\n", ""),
    ],
)
def test_only_a_slug_in_the_workgroup_field_is_read(text: str, expected: str) -> None:
    assert workgroup_field(text) == expected


def test_votes_are_counted_per_label_and_value() -> None:
    votes = [
        Vote("Code-Review", "a", 2),
        Vote("Code-Review", "b", -1),
        Vote("Code-Review", "c", 2),
        Vote("Verified", "ci", 1),
        Vote("Workflow", "d", 0),
    ]
    assert summarize_votes(votes) == (
        ("Code-Review", "+2 (2), -1 (1)"),
        ("Verified", "+1 (1)"),
    )


def test_a_review_survives_the_snapshot() -> None:
    moment = dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.UTC)
    review = Review(
        service="gerrit",
        number=7,
        project="openstack/crosswork-specs",
        subject="Close gaps",
        state="open",
        owner="Someone",
        created=moment,
        updated=moment,
        url="https://review.opendev.org/c/openstack/crosswork-specs/+/7",
        files=(ReviewFile("specs/2027.1/close-gaps.rst", True),),
        votes=(Vote("Code-Review", "Someone else", 1),),
        draft=True,
        workgroup="alpha",
    )
    assert Review.from_json(review.to_json()) == review


def test_the_prefix_is_a_folder() -> None:
    assert under_prefix("specs/2027.1/x.rst", "specs/")
    assert not under_prefix("specs/", "specs/")
    assert not under_prefix("specs-old/x.rst", "specs/")
