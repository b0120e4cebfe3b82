"""The dashboard's pure parts: the age of the data in words, the sample
notice, the next meeting, the spec figures and the cycles."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from crosswork.dashboard.model import (
    Cycle,
    Glance,
    age_words,
    cycle_of,
    meeting_words,
    next_meeting,
    sample_words,
    spec_glances,
    trend_words,
)
from crosswork.specs.progress import Proposal
from crosswork.workgroups.model import Meeting

FETCHED = dt.datetime(2026, 12, 5, 4, 51, 30, tzinfo=dt.UTC)


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("now", "words"),
    [
        (
            utc(2026, 12, 5, 10, 51, 30),
            "fetched 6 hours ago, 2026-12-05 04:51 UTC",
        ),
        (
            utc(2026, 12, 5, 5, 52, 29),
            "fetched 1 hour ago, 2026-12-05 04:51 UTC",
        ),
        (
            utc(2026, 12, 5, 4, 52),
            "fetched less than a minute ago, 2026-12-05 04:51 UTC",
        ),
        (utc(2026, 12, 5, 4, 58), "fetched 6 minutes ago, 2026-12-05 04:51 UTC"),
        (utc(2026, 12, 8, 5, 0), "fetched 3 days ago, 2026-12-05 04:51 UTC"),
        (FETCHED, "fetched less than a minute ago, 2026-12-05 04:51 UTC"),
    ],
)
def test_the_age_of_the_data_in_words(now, words):
    assert age_words(FETCHED, now) == words


def test_a_fetch_after_the_build_gets_no_relative_words():
    """A build clock behind the fetch must not say "-3 hours ago"."""
    assert age_words(FETCHED, FETCHED - dt.timedelta(hours=3)) == (
        "fetched 2026-12-05 04:51 UTC"
    )


def test_the_age_is_told_in_utc_whatever_the_zone_of_the_moment():
    paris = FETCHED.astimezone(dt.timezone(dt.timedelta(hours=1)))
    assert age_words(paris, FETCHED + dt.timedelta(hours=2)).endswith(
        "2026-12-05 04:51 UTC"
    )


@pytest.mark.parametrize(
    ("samples", "words"),
    [
        ([], ""),
        ([False, False], ""),
        ([True, True], "It is sample data from a stand-in for the upstreams"),
        ([True, False], "Some of it is sample data"),
    ],
)
def test_sample_data_is_said_once_for_all_or_some(samples, words):
    said = sample_words(samples)
    assert said.startswith(words)
    assert bool(said) is bool(words)


#: Tuesdays 15:00 UTC from Tuesday 2026-01-06, 2026-12-15 skipped.
WEEKLY = Meeting(
    title="Weekly sync",
    recurrence="weekly",
    start_date=dt.date(2026, 1, 6),
    weekday="tuesday",
    time=dt.time(15, 0),
    duration=60,
    channel="#crosswork",
    agenda="https://wiki.example.org/Meetings",
    skip=(dt.date(2026, 12, 15),),
)
MONTHLY = dataclasses.replace(
    WEEKLY,
    title="Planning",
    recurrence="monthly",
    week_of_month=1,
    weekday="monday",
    time=dt.time(9, 0),
    skip=(),
)


def test_the_next_meeting_is_the_first_start_at_or_after_the_build():
    meeting, start = next_meeting([WEEKLY], utc(2026, 12, 5, 18, 0)) or (None, None)
    assert (meeting, start) == (WEEKLY, utc(2026, 12, 8, 15, 0))


def test_a_meeting_under_way_has_started_so_the_next_one_is_shown():
    found = next_meeting([WEEKLY], utc(2026, 12, 8, 15, 1))
    assert found == (WEEKLY, utc(2026, 12, 22, 15, 0))  # 2026-12-15 is skipped


def test_the_earliest_of_several_slots_wins():
    found = next_meeting([WEEKLY, MONTHLY], utc(2026, 12, 30, 0, 0))
    assert found == (MONTHLY, utc(2027, 1, 4, 9, 0))


def test_no_meeting_when_none_is_scheduled_ahead():
    ended = dataclasses.replace(WEEKLY, end_date=dt.date(2026, 6, 30))
    assert next_meeting([ended], utc(2026, 12, 5)) is None
    assert next_meeting([], utc(2026, 12, 5)) is None


def test_a_meeting_time_names_its_weekday_and_utc():
    assert meeting_words(utc(2026, 12, 8, 15, 0)) == "Tue 2026-12-08 15:00 UTC"


@pytest.mark.parametrize(
    ("day", "cycle"),
    [
        (dt.date(2026, 12, 5), Cycle("2027.1", dt.date(2026, 10, 1))),
        (dt.date(2026, 10, 1), Cycle("2027.1", dt.date(2026, 10, 1))),
        (dt.date(2027, 3, 31), Cycle("2027.1", dt.date(2026, 10, 1))),
        (dt.date(2027, 4, 1), Cycle("2027.2", dt.date(2027, 4, 1))),
        (dt.date(2027, 9, 30), Cycle("2027.2", dt.date(2027, 4, 1))),
    ],
)
def test_the_cycle_of_a_day(day, cycle):
    assert cycle_of(day) == cycle


class Charter:
    slug = "alpha"


class Spec:
    def __init__(self, status: str) -> None:
        self.status = status


def proposal(service: str) -> Proposal:
    moment = utc(2026, 12, 1)
    return Proposal(
        title="A spec",
        path="specs/2027.1/a.rst",
        spec_id="",
        workgroup="alpha",
        url="https://review.opendev.org/c/x/+/1",
        service=service,
        number=1,
        owner="Ana",
        created=moment,
        updated=moment,
    )


def test_spec_figures_count_open_reviews_and_approved_specs():
    specs = [Spec("approved"), Spec("approved"), Spec("draft"), Spec("implemented")]
    review, progress = spec_glances(
        Charter(), specs, [proposal("Gerrit")], ["alpha.reviews.specs"]
    )
    assert (review.label, review.figure, review.anchor) == (
        "Specs under review",
        "1",
        "under-review",
    )
    assert review.origin == "Gerrit"
    assert review.sources == ("alpha.reviews.specs",)
    assert (progress.label, progress.figure, progress.anchor) == (
        "Specs in progress",
        "2",
        "in-progress",
    )
    assert {review.docname, progress.docname} == {"workgroups/alpha"}


def test_without_review_data_nothing_is_said_of_reviews_rather_than_zero():
    glances = spec_glances(Charter(), [Spec("approved")], None, [])
    assert [glance.label for glance in glances] == ["Specs in progress"]


def test_a_trend_in_words_names_its_first_and_latest_day():
    glance = Glance(
        "Open gaps (nova)",
        "220",
        "matrices/x",
        trend=((dt.date(2026, 12, 5), 220.0), (dt.date(2026, 11, 27), 231.0)),
        trend_label="open gaps",
    )
    assert trend_words(glance) == "Open gaps: 231 on 2026-11-27, 220 on 2026-12-05"
    rate = dataclasses.replace(glance, trend=((dt.date(2026, 12, 1), 12.5),))
    assert trend_words(rate) == ""
