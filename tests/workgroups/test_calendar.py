"""Meeting dates, slot texts, channel conflicts and the iCalendar feeds."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from dateutil.rrule import rruleset, rrulestr
from icalendar import Calendar, Event

from crosswork.links import safe_https_url
from crosswork.workgroups.calendar import (
    PRODID,
    Conflict,
    combined_calendar,
    converter_url,
    describe_slot,
    find_conflicts,
    is_occurrence,
    occurrences,
    upcoming,
    workgroup_calendar,
)
from crosswork.workgroups.model import (
    Chair,
    Communication,
    Deliverable,
    Meeting,
    StatusChange,
    Workgroup,
)

AGENDA = "https://wiki.example.org/Meetings/Security"

#: Tuesdays 15:00-16:00 UTC from Tuesday 2026-01-06.
WEEKLY = Meeting(
    title="Weekly sync",
    recurrence="weekly",
    start_date=date(2026, 1, 6),
    weekday="tuesday",
    time=time(15, 0),
    duration=60,
    channel="#crosswork-security",
    agenda=AGENDA,
)
BIWEEKLY = dataclasses.replace(WEEKLY, title="Triage", recurrence="biweekly")
SECOND_TUESDAY = dataclasses.replace(
    WEEKLY, title="Review", recurrence="monthly", week_of_month=2
)
LAST_THURSDAY = dataclasses.replace(
    WEEKLY,
    title="Planning",
    recurrence="monthly",
    week_of_month=-1,
    weekday="thursday",
    start_date=date(2026, 1, 1),
)
#: Tuesdays 23:30 UTC to Wednesdays 01:00 UTC.
LATE_TUESDAY = dataclasses.replace(WEEKLY, time=time(23, 30), duration=90)


def meeting_at(when: datetime, **changes: object) -> Meeting:
    """A weekly hour-long meeting that first starts at when."""
    weekday = when.strftime("%A").lower()
    return dataclasses.replace(
        WEEKLY, start_date=when.date(), weekday=weekday, time=when.time(), **changes
    )


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def workgroup(
    *meetings: Meeting, slug: str = "security", name: str = "Security"
) -> Workgroup:
    return Workgroup(
        slug=slug,
        name=name,
        status="active",
        status_history=(StatusChange("active", date(2025, 10, 1)),),
        mission="Keep the deployments of the community safe by default.",
        scope_in=("Threat models",),
        scope_out=("Product security of vendors",),
        deliverables=(Deliverable("Threat model", "One per core service."),),
        chairs=(Chair("Ada Lovelace", {"irc": "ada"}),),
        stakeholders=("nova",),
        communication=Communication(
            "openstack-discuss@lists.example.org", "[security]", "#crosswork-security"
        ),
        meetings=meetings,
    )


def events(data: bytes) -> list[Event]:
    return Calendar.from_ical(data).walk("VEVENT")


#: RFC 5545 3.3.11: the escapes that TEXT values may hold.
TEXT_ESCAPES = {"\\": "\\", ";": ";", ",": ",", "n": "\n", "N": "\n"}


def calendar_name(data: bytes) -> str:
    """The X-WR-CALNAME, unescaped as RFC 5545 TEXT.

    icalendar reads this extension as an unknown value and leaves it escaped.
    """
    raw = Calendar.from_ical(data)["X-WR-CALNAME"].to_ical().decode()
    return re.sub(r"\\(.)", lambda escape: TEXT_ESCAPES[escape[1]], raw)


def expand(event: Event, start: date, end: date) -> list[datetime]:
    """The starts that any RFC 5545 client computes from the event."""
    rules = rruleset()
    rules.rrule(rrulestr(event["RRULE"].to_ical().decode(), dtstart=event.start))
    for excluded in event.exdates:
        rules.exdate(excluded)
    first = datetime.combine(start, time(0, 0), tzinfo=UTC)
    last = datetime.combine(end, time.max, tzinfo=UTC)
    return rules.between(first, last, inc=True)


# -- occurrences ---------------------------------------------------------------


def test_weekly_meetings_fall_every_week_from_the_start_date():
    assert occurrences(WEEKLY, date(2026, 1, 1), date(2026, 1, 31)) == [
        utc(2026, 1, 6, 15),
        utc(2026, 1, 13, 15),
        utc(2026, 1, 20, 15),
        utc(2026, 1, 27, 15),
    ]


def test_occurrences_are_aware_utc_datetimes():
    (first,) = occurrences(WEEKLY, date(2026, 1, 6), date(2026, 1, 6))
    assert first.utcoffset() == timedelta(0)


def test_the_range_bounds_are_inclusive():
    assert occurrences(WEEKLY, date(2026, 1, 13), date(2026, 1, 20)) == [
        utc(2026, 1, 13, 15),
        utc(2026, 1, 20, 15),
    ]


def test_nothing_happens_before_the_start_date():
    assert occurrences(WEEKLY, date(2025, 1, 1), date(2026, 1, 5)) == []


def test_biweekly_meetings_count_every_second_week_from_the_start_date():
    assert occurrences(BIWEEKLY, date(2026, 1, 1), date(2026, 2, 28)) == [
        utc(2026, 1, 6, 15),
        utc(2026, 1, 20, 15),
        utc(2026, 2, 3, 15),
        utc(2026, 2, 17, 15),
    ]


def test_biweekly_parity_survives_a_year_with_53_iso_weeks():
    meeting = dataclasses.replace(
        BIWEEKLY, start_date=date(2026, 12, 24), weekday="thursday"
    )
    # ISO week parity would flip here: weeks 52, 53 and then 1.
    assert [
        date(2026, 12, 24).isocalendar().week,
        date(2027, 1, 7).isocalendar().week,
    ] == [52, 1]

    assert is_occurrence(meeting, date(2027, 1, 7))
    assert not is_occurrence(meeting, date(2026, 12, 31))
    assert occurrences(meeting, date(2026, 12, 1), date(2027, 1, 31)) == [
        utc(2026, 12, 24, 15),
        utc(2027, 1, 7, 15),
        utc(2027, 1, 21, 15),
    ]


def test_monthly_meetings_fall_on_the_nth_weekday_of_each_month():
    # September 2026 begins on a Tuesday, so its second Tuesday is the 8th.
    assert occurrences(SECOND_TUESDAY, date(2026, 8, 1), date(2026, 10, 31)) == [
        utc(2026, 8, 11, 15),
        utc(2026, 9, 8, 15),
        utc(2026, 10, 13, 15),
    ]


def test_last_weekday_meetings_fit_months_with_four_or_five_of_that_weekday():
    # January and April 2026 have five Thursdays, February and March four.
    assert occurrences(LAST_THURSDAY, date(2026, 1, 1), date(2026, 4, 30)) == [
        utc(2026, 1, 29, 15),
        utc(2026, 2, 26, 15),
        utc(2026, 3, 26, 15),
        utc(2026, 4, 30, 15),
    ]


def test_monthly_meetings_start_with_the_first_slot_on_or_after_the_start_date():
    meeting = dataclasses.replace(SECOND_TUESDAY, start_date=date(2026, 1, 20))
    assert occurrences(meeting, date(2026, 1, 1), date(2026, 2, 28)) == [
        utc(2026, 2, 10, 15)
    ]


def test_skip_dates_are_left_out_of_the_occurrences():
    meeting = dataclasses.replace(WEEKLY, skip=(date(2026, 1, 13),))
    assert occurrences(meeting, date(2026, 1, 6), date(2026, 1, 20)) == [
        utc(2026, 1, 6, 15),
        utc(2026, 1, 20, 15),
    ]


def test_a_skip_date_is_still_a_meeting_day_for_the_validator():
    meeting = dataclasses.replace(WEEKLY, skip=(date(2026, 1, 13),))
    assert is_occurrence(meeting, date(2026, 1, 13))


def test_the_end_date_is_the_last_possible_meeting_day():
    meeting = dataclasses.replace(WEEKLY, end_date=date(2026, 1, 20))
    assert occurrences(meeting, date(2026, 1, 1), date(2026, 12, 31)) == [
        utc(2026, 1, 6, 15),
        utc(2026, 1, 13, 15),
        utc(2026, 1, 20, 15),
    ]


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(date(2025, 12, 30), id="before the start date"),
        pytest.param(date(2026, 1, 7), id="another weekday"),
        pytest.param(date(2026, 2, 3), id="after the end date"),
    ],
)
def test_days_off_the_schedule_are_no_meeting_days(day):
    meeting = dataclasses.replace(WEEKLY, end_date=date(2026, 1, 27))
    assert not is_occurrence(meeting, day)


def test_meetings_across_midnight_are_dated_by_their_start():
    assert occurrences(LATE_TUESDAY, date(2026, 1, 6), date(2026, 1, 7)) == [
        utc(2026, 1, 6, 23, 30)
    ]


# -- slot texts ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("meeting", "text"),
    [
        pytest.param(
            WEEKLY, "Tuesdays, 15:00\N{EN DASH}16:00 UTC, every week", id="weekly"
        ),
        pytest.param(
            BIWEEKLY,
            "Tuesdays, 15:00\N{EN DASH}16:00 UTC, every second week from 2026-01-06",
            id="biweekly",
        ),
        pytest.param(
            SECOND_TUESDAY,
            "The second Tuesday of each month, 15:00\N{EN DASH}16:00 UTC",
            id="monthly",
        ),
        pytest.param(
            LAST_THURSDAY,
            "The last Thursday of each month, 15:00\N{EN DASH}16:00 UTC",
            id="last of the month",
        ),
        pytest.param(
            dataclasses.replace(WEEKLY, end_date=date(2026, 6, 30)),
            "Tuesdays, 15:00\N{EN DASH}16:00 UTC, every week, until 2026-06-30",
            id="with an end date",
        ),
        pytest.param(
            LATE_TUESDAY,
            "Tuesdays, 23:30\N{EN DASH}01:00 UTC (into Wednesday), every week",
            id="across midnight",
        ),
        pytest.param(
            dataclasses.replace(
                WEEKLY, weekday="sunday", time=time(23, 30), duration=30
            ),
            "Sundays, 23:30\N{EN DASH}00:00 UTC, every week",
            id="ending at midnight",
        ),
        pytest.param(
            dataclasses.replace(
                WEEKLY, weekday="sunday", time=time(23, 0), duration=90
            ),
            "Sundays, 23:00\N{EN DASH}00:30 UTC (into Monday), every week",
            id="from Sunday into Monday",
        ),
    ],
)
def test_the_slot_is_described_in_plain_words(meeting, text):
    assert describe_slot(meeting) == text


# -- conflicts -----------------------------------------------------------------


def test_overlapping_meetings_in_one_channel_conflict_from_the_first_overlap():
    later = meeting_at(utc(2026, 1, 13, 15, 30), title="Bug squash")
    assert find_conflicts([("security", WEEKLY), ("qa", later)]) == [
        Conflict("security", WEEKLY, "qa", later, utc(2026, 1, 13, 15, 30))
    ]


def test_back_to_back_meetings_do_not_conflict():
    next_hour = meeting_at(utc(2026, 1, 6, 16))
    assert find_conflicts([("security", WEEKLY), ("qa", next_hour)]) == []


def test_meetings_in_different_channels_do_not_conflict():
    elsewhere = dataclasses.replace(WEEKLY, channel="#crosswork-qa")
    assert find_conflicts([("security", WEEKLY), ("qa", elsewhere)]) == []


def test_biweekly_meetings_on_alternate_weeks_do_not_conflict():
    alternate = dataclasses.replace(BIWEEKLY, start_date=date(2026, 1, 13))
    assert find_conflicts([("security", BIWEEKLY), ("qa", alternate)]) == []


def test_biweekly_meetings_on_the_same_weeks_conflict():
    same_weeks = dataclasses.replace(BIWEEKLY, start_date=date(2026, 1, 20))
    (conflict,) = find_conflicts([("security", BIWEEKLY), ("qa", same_weeks)])
    assert conflict.at == utc(2026, 1, 20, 15)


def test_a_monthly_meeting_conflicts_with_a_weekly_one_in_its_slot():
    (conflict,) = find_conflicts([("security", WEEKLY), ("qa", SECOND_TUESDAY)])
    assert conflict.at == utc(2026, 1, 13, 15)


def test_a_meeting_running_past_midnight_conflicts_with_one_just_after():
    wednesday = meeting_at(utc(2026, 1, 7, 0, 30))
    (conflict,) = find_conflicts([("security", LATE_TUESDAY), ("qa", wednesday)])
    assert conflict.at == utc(2026, 1, 7, 0, 30)


def test_a_meeting_that_ended_does_not_conflict_with_its_successor():
    ended = dataclasses.replace(WEEKLY, end_date=date(2026, 3, 31))
    successor = dataclasses.replace(WEEKLY, start_date=date(2026, 4, 7))
    assert find_conflicts([("security", ended), ("qa", successor)]) == []


def test_skipped_sessions_do_not_conflict():
    skipping = dataclasses.replace(
        WEEKLY, end_date=date(2026, 1, 13), skip=(date(2026, 1, 13),)
    )
    other = dataclasses.replace(WEEKLY, start_date=date(2026, 1, 13))
    assert find_conflicts([("security", skipping), ("qa", other)]) == []


def test_the_horizon_counts_from_the_later_start_date():
    # Its first two sessions are skipped, so the clash begins on 2026-02-17.
    late_starter = dataclasses.replace(
        WEEKLY, start_date=date(2026, 2, 3), skip=(date(2026, 2, 3), date(2026, 2, 10))
    )
    pairs = [("security", WEEKLY), ("qa", late_starter)]
    assert find_conflicts(pairs, horizon_days=14) == []
    (conflict,) = find_conflicts(pairs, horizon_days=15)
    assert conflict.at == utc(2026, 2, 17, 15)


def test_a_conflict_years_after_the_first_start_date_is_found():
    much_later = dataclasses.replace(WEEKLY, start_date=date(2028, 3, 7))
    (conflict,) = find_conflicts([("security", WEEKLY), ("qa", much_later)])
    assert conflict.at == utc(2028, 3, 7, 15)


def test_conflicts_are_listed_earliest_first():
    march = dataclasses.replace(WEEKLY, start_date=date(2026, 3, 3))
    february = dataclasses.replace(
        WEEKLY, start_date=date(2026, 2, 3), channel="#crosswork-qa"
    )
    in_qa = dataclasses.replace(february, start_date=date(2026, 1, 6))
    conflicts = find_conflicts(
        [("security", WEEKLY), ("docs", march), ("qa", in_qa), ("infra", february)]
    )
    assert [(c.first_label, c.second_label, c.at) for c in conflicts] == [
        ("qa", "infra", utc(2026, 2, 3, 15)),
        ("security", "docs", utc(2026, 3, 3, 15)),
    ]


def test_conflicts_are_immutable():
    (conflict,) = find_conflicts([("security", WEEKLY), ("qa", WEEKLY)])
    with pytest.raises(dataclasses.FrozenInstanceError):
        conflict.at = utc(2030, 1, 1)  # type: ignore[misc]


# -- iCalendar -----------------------------------------------------------------


def test_the_calendar_declares_itself_as_rfc_5545_asks():
    data = workgroup_calendar(workgroup(WEEKLY))
    calendar = Calendar.from_ical(data)
    assert (
        str(calendar["PRODID"]),
        str(calendar["VERSION"]),
        str(calendar["CALSCALE"]),
        str(calendar["METHOD"]),
    ) == (PRODID, "2.0", "GREGORIAN", "PUBLISH")
    assert calendar_name(data) == "Security meetings"


def test_each_meeting_becomes_one_event():
    data = workgroup_calendar(workgroup(WEEKLY, BIWEEKLY, LAST_THURSDAY))
    assert [str(event["SUMMARY"]) for event in events(data)] == [
        "Security: Weekly sync",
        "Security: Triage",
        "Security: Planning",
    ]


def test_the_event_carries_the_meeting_details():
    (event,) = events(workgroup_calendar(workgroup(WEEKLY)))
    assert str(event["LOCATION"]) == "#crosswork-security"
    assert str(event["URL"]) == AGENDA
    assert str(event["DESCRIPTION"]) == (
        f"Tuesdays, 15:00\N{EN DASH}16:00 UTC, every week\nAgenda: {AGENDA}"
    )
    assert (event.start, event.end) == (utc(2026, 1, 6, 15), utc(2026, 1, 6, 16))


def test_times_are_written_in_utc_without_a_time_zone_definition():
    data = workgroup_calendar(workgroup(WEEKLY))
    assert b"\r\nDTSTART:20260106T150000Z\r\n" in data
    assert b"\r\nDTEND:20260106T160000Z\r\n" in data
    assert b"VTIMEZONE" not in data
    assert b"TZID" not in data


def test_the_event_ends_the_next_day_when_the_meeting_crosses_midnight():
    (event,) = events(workgroup_calendar(workgroup(LATE_TUESDAY)))
    assert event.end == utc(2026, 1, 7, 1)


def test_the_site_url_names_the_workgroup_page():
    page = "https://crosswork.example.org/workgroups/security.html"
    data = workgroup_calendar(workgroup(WEEKLY), site_url=page)
    assert str(Calendar.from_ical(data)["URL"]) == page
    (event,) = events(data)
    assert str(event["DESCRIPTION"]).endswith(f"\nWorkgroup: {page}")


@pytest.mark.parametrize(
    ("meeting", "rule"),
    [
        pytest.param(WEEKLY, b"FREQ=WEEKLY", id="weekly"),
        pytest.param(BIWEEKLY, b"FREQ=WEEKLY;INTERVAL=2", id="biweekly"),
        pytest.param(SECOND_TUESDAY, b"FREQ=MONTHLY;BYDAY=+2TU", id="monthly"),
        pytest.param(LAST_THURSDAY, b"FREQ=MONTHLY;BYDAY=-1TH", id="last of the month"),
        pytest.param(
            dataclasses.replace(WEEKLY, end_date=date(2026, 3, 31)),
            b"FREQ=WEEKLY;UNTIL=20260331T150000Z",
            id="with an end date",
        ),
    ],
)
def test_the_recurrence_rule_follows_the_meeting(meeting, rule):
    (event,) = events(workgroup_calendar(workgroup(meeting)))
    assert event["RRULE"].to_ical() == rule


def test_skip_dates_become_exception_dates_at_the_meeting_time():
    meeting = dataclasses.replace(WEEKLY, skip=(date(2026, 2, 3), date(2026, 1, 13)))
    data = workgroup_calendar(workgroup(meeting))
    assert b"\r\nEXDATE:20260113T150000Z,20260203T150000Z\r\n" in data


def test_the_event_starts_on_the_first_real_meeting_day():
    # RFC 5545 leaves a DTSTART that the rule does not produce undefined.
    meeting = dataclasses.replace(SECOND_TUESDAY, start_date=date(2026, 1, 20))
    (event,) = events(workgroup_calendar(workgroup(meeting)))
    assert event.start == utc(2026, 2, 10, 15)


def test_a_meeting_that_never_takes_place_gets_no_event():
    never = dataclasses.replace(
        SECOND_TUESDAY, start_date=date(2026, 1, 20), end_date=date(2026, 1, 31)
    )
    assert [
        str(e["SUMMARY"]) for e in events(workgroup_calendar(workgroup(never, WEEKLY)))
    ] == ["Security: Weekly sync"]


@pytest.mark.parametrize(
    "meeting",
    [
        pytest.param(WEEKLY, id="weekly"),
        pytest.param(
            dataclasses.replace(
                BIWEEKLY, start_date=date(2026, 12, 24), weekday="thursday"
            ),
            id="biweekly across a 53-week year",
        ),
        pytest.param(SECOND_TUESDAY, id="monthly"),
        pytest.param(
            dataclasses.replace(SECOND_TUESDAY, start_date=date(2026, 1, 20)),
            id="monthly from a day off the rule",
        ),
        pytest.param(LAST_THURSDAY, id="last of the month"),
        pytest.param(
            dataclasses.replace(
                BIWEEKLY,
                end_date=date(2027, 6, 22),
                skip=(date(2026, 1, 6), date(2026, 12, 29)),
            ),
            id="skips and an end date",
        ),
        pytest.param(LATE_TUESDAY, id="across midnight"),
    ],
)
def test_calendar_clients_compute_the_same_dates_as_the_site(meeting):
    start, end = date(2025, 12, 1), date(2028, 1, 31)
    (event,) = events(workgroup_calendar(workgroup(meeting)))
    assert expand(event, start, end) == occurrences(meeting, start, end)


def test_uids_are_derived_from_the_slug_and_the_meeting_position():
    data = combined_calendar(
        [workgroup(WEEKLY, BIWEEKLY), workgroup(WEEKLY, slug="qa", name="QA")]
    )
    assert sorted(str(event["UID"]) for event in events(data)) == [
        "qa-1@crosswork",
        "security-1@crosswork",
        "security-2@crosswork",
    ]


@pytest.mark.parametrize(
    ("meeting", "stamp"),
    [
        pytest.param(WEEKLY, utc(2026, 1, 6), id="the start date"),
        pytest.param(
            dataclasses.replace(
                WEEKLY, end_date=date(2026, 6, 30), skip=(date(2026, 3, 3),)
            ),
            utc(2026, 6, 30),
            id="the end date",
        ),
        pytest.param(
            dataclasses.replace(WEEKLY, skip=(date(2026, 3, 3), date(2026, 2, 3))),
            utc(2026, 3, 3),
            id="the latest skip date",
        ),
    ],
)
def test_the_stamp_is_the_latest_date_of_the_meeting_not_the_clock(meeting, stamp):
    (event,) = events(workgroup_calendar(workgroup(meeting)))
    assert event["DTSTAMP"].dt == stamp


def test_equal_input_gives_identical_bytes():
    def build() -> tuple[bytes, bytes]:
        security = workgroup(WEEKLY, BIWEEKLY, LAST_THURSDAY)
        qa = workgroup(SECOND_TUESDAY, slug="qa", name="QA")
        return workgroup_calendar(security), combined_calendar([security, qa])

    assert build() == build()


def test_the_combined_calendar_does_not_depend_on_the_input_order():
    security = workgroup(WEEKLY)
    qa = workgroup(SECOND_TUESDAY, slug="qa", name="QA")
    data = combined_calendar([security, qa])
    assert data == combined_calendar([qa, security])
    assert [str(event["UID"]) for event in events(data)] == [
        "qa-1@crosswork",
        "security-1@crosswork",
    ]
    assert calendar_name(data) == "Workgroup meetings"


def test_lines_end_in_crlf_and_fold_at_75_octets():
    title = "Threat modelling \N{EN DASH} café session " * 12
    data = workgroup_calendar(workgroup(dataclasses.replace(WEEKLY, title=title)))
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines), "the long title is folded"
    for line in lines:
        line.decode("utf-8")  # folding never splits a character


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Line one\nLine two", id="newline"),
        pytest.param("Patches, reviews; and more", id="comma and semicolon"),
        pytest.param("<script>alert('x')</script>", id="markup"),
        pytest.param("C:\\path\\to", id="backslash"),
        pytest.param("Sync\nEND:VEVENT\nBEGIN:VEVENT", id="injected event"),
        pytest.param("Very long title " * 40, id="long"),
    ],
)
def test_hostile_text_comes_back_unchanged(text):
    group = workgroup(dataclasses.replace(WEEKLY, title=text), name=text)
    data = workgroup_calendar(group)
    (event,) = events(data)
    assert str(event["SUMMARY"]) == f"{text}: {text}"
    assert calendar_name(data) == f"{text} meetings"


# -- the next three dates ------------------------------------------------------


class TestUpcoming:
    def test_the_next_three_weekly_meetings_from_the_build_date(self):
        # Wednesday 2026-12-02: the next Tuesdays.
        assert upcoming(WEEKLY, date(2026, 12, 2)) == [
            utc(2026, 12, 8, 15, 0),
            utc(2026, 12, 15, 15, 0),
            utc(2026, 12, 22, 15, 0),
        ]

    def test_a_meeting_on_the_build_date_is_the_first(self):
        assert upcoming(WEEKLY, date(2026, 12, 8))[0] == utc(2026, 12, 8, 15, 0)

    def test_skipped_dates_are_left_out(self):
        meeting = dataclasses.replace(WEEKLY, skip=(date(2026, 12, 8),))
        assert upcoming(meeting, date(2026, 12, 2)) == [
            utc(2026, 12, 15, 15, 0),
            utc(2026, 12, 22, 15, 0),
            utc(2026, 12, 29, 15, 0),
        ]

    def test_biweekly_counts_fourteen_days_across_a_53_week_year(self):
        # 2026 has 53 ISO weeks: ISO week parity would flip at the new year,
        # counting from the start date does not.
        assert upcoming(BIWEEKLY, date(2026, 12, 16)) == [
            utc(2026, 12, 22, 15, 0),
            utc(2027, 1, 5, 15, 0),
            utc(2027, 1, 19, 15, 0),
        ]
        assert date(2026, 12, 28).isocalendar().week == 53

    def test_biweekly_from_an_odd_week_stays_on_odd_weeks(self):
        odd = dataclasses.replace(BIWEEKLY, start_date=date(2026, 1, 13))
        assert date(2026, 1, 13).isocalendar().week == 3
        dates = upcoming(odd, date(2026, 6, 1))
        assert dates == [
            utc(2026, 6, 2, 15, 0),
            utc(2026, 6, 16, 15, 0),
            utc(2026, 6, 30, 15, 0),
        ]
        assert {d.isocalendar().week % 2 for d in dates} == {1}

    def test_the_week_between_two_biweekly_meetings_has_none(self):
        assert upcoming(BIWEEKLY, date(2026, 1, 7), 1) == [utc(2026, 1, 20, 15, 0)]

    def test_monthly_on_the_last_thursday(self):
        assert upcoming(LAST_THURSDAY, date(2026, 11, 27)) == [
            utc(2026, 12, 31, 15, 0),
            utc(2027, 1, 28, 15, 0),
            utc(2027, 2, 25, 15, 0),
        ]

    def test_times_stay_in_utc_across_daylight_saving_changes(self):
        # Europe moves its clocks on 2026-03-29, North America on 2026-03-08:
        # a UTC slot does not move.
        dates = upcoming(WEEKLY, date(2026, 3, 1), 6)
        assert {(d.hour, d.minute, d.utcoffset()) for d in dates} == {
            (15, 0, timedelta(0))
        }
        assert [d.date() for d in dates][-1] == date(2026, 4, 7)

    def test_an_ending_meeting_has_fewer_dates(self):
        ending = dataclasses.replace(WEEKLY, end_date=date(2026, 12, 15))
        assert upcoming(ending, date(2026, 12, 2)) == [
            utc(2026, 12, 8, 15, 0),
            utc(2026, 12, 15, 15, 0),
        ]
        assert upcoming(ending, date(2026, 12, 16)) == []

    def test_a_meeting_not_started_yet_counts_from_its_start(self):
        assert upcoming(WEEKLY, date(2025, 6, 1), 1) == [utc(2026, 1, 6, 15, 0)]


def test_the_converter_link_shows_the_utc_time_in_the_readers_zone():
    url = converter_url(utc(2026, 12, 8, 15, 0))
    assert url == (
        "https://www.timeanddate.com/worldclock/fixedtime.html"
        "?iso=20261208T1500&p1=1440"
    )
    assert safe_https_url(url) == url
