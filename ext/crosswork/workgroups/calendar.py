"""Meeting dates, slot texts, channel conflicts and iCalendar feeds.

Everything here is a pure function of the charter data: no clock and no
randomness, so the site and its calendar files are reproducible byte for
byte. Biweekly meetings count every second week from their start date, not
by ISO week parity, which flips in years with 53 ISO weeks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from crosswork.workgroups.model import WEEKDAYS, Meeting, Workgroup

if TYPE_CHECKING:
    from icalendar import Calendar, Event

PRODID = "-//crosswork//workgroup meetings//EN"
#: The name of the calendar that holds every workgroup's meetings.
COMBINED_NAME = "Workgroup meetings"
UID_DOMAIN = "crosswork"

_WEEKS_BETWEEN = {"weekly": 1, "biweekly": 2}
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
_ICAL_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: Long enough for any meeting to reach its first date, monthly ones included.
_FIRST_DATE_WITHIN = dt.timedelta(days=62)
#: How far ahead upcoming dates are looked for: a year of monthly meetings,
#: whatever their skip dates.
_UPCOMING_WITHIN = dt.timedelta(days=366)
#: The time-zone converter the pages link to, and its location id for UTC.
CONVERTER = "https://www.timeanddate.com/worldclock/fixedtime.html"
_CONVERTER_UTC = "1440"


@dataclass(frozen=True)
class Conflict:
    """Two meetings that hold one channel at the same time."""

    first_label: str
    first: Meeting
    second_label: str
    second: Meeting
    #: When the first overlap begins (UTC).
    at: dt.datetime


# -- dates -------------------------------------------------------------------


def occurrences(meeting: Meeting, start: dt.date, end: dt.date) -> list[dt.datetime]:
    """The UTC start of every meeting held on a day in [start, end]."""
    return [
        _starts_at(meeting, day)
        for day in _scheduled_days(meeting, start, end)
        if day not in meeting.skip
    ]


def upcoming(meeting: Meeting, today: dt.date, count: int = 3) -> list[dt.datetime]:
    """The UTC starts of the next ``count`` meetings held on ``today`` or later.

    Fewer when the meeting ends, or skips every date, within a year.
    """
    return occurrences(meeting, today, today + _UPCOMING_WITHIN)[:count]


def converter_url(start: dt.datetime) -> str:
    """A page that shows a UTC time in the reader's own zone, no script needed."""
    query = {"iso": f"{start.astimezone(dt.UTC):%Y%m%dT%H%M}", "p1": _CONVERTER_UTC}
    return f"{CONVERTER}?{urlencode(query)}"


def is_occurrence(meeting: Meeting, day: dt.date) -> bool:
    """Whether the schedule puts a meeting on day.

    Skip dates are not consulted, so that the validator can ask whether each
    skip date names a real meeting day.
    """
    return any(_scheduled_days(meeting, day, day))


def _scheduled_days(
    meeting: Meeting, start: dt.date, end: dt.date
) -> Iterator[dt.date]:
    """The days in [start, end] that the schedule gives, skip dates included."""
    first = max(start, meeting.start_date)
    last = end if meeting.end_date is None else min(end, meeting.end_date)
    if meeting.recurrence == "monthly":
        return _monthly_days(meeting, first, last)
    return _periodic_days(meeting, first, last)


def _periodic_days(
    meeting: Meeting, first: dt.date, last: dt.date
) -> Iterator[dt.date]:
    """Every week or every second week, counted from the start date."""
    step = 7 * _WEEKS_BETWEEN[meeting.recurrence]
    steps_to_first = -(-(first - meeting.start_date).days // step)
    day = meeting.start_date + dt.timedelta(days=step * steps_to_first)
    while day <= last:
        yield day
        day += dt.timedelta(days=step)


def _monthly_days(meeting: Meeting, first: dt.date, last: dt.date) -> Iterator[dt.date]:
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        day = _nth_weekday(year, month, meeting.weekday_index, _week_of_month(meeting))
        if first <= day <= last:
            yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _week_of_month(meeting: Meeting) -> int:
    if meeting.week_of_month is None:
        raise ValueError(f"monthly meeting {meeting.title!r} has no week_of_month")
    return meeting.week_of_month


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    """The nth weekday of a month; nth -1 is the last one."""
    if nth == -1:
        next_month = dt.date(year + month // 12, month % 12 + 1, 1)
        last_day = next_month - dt.timedelta(days=1)
        return last_day - dt.timedelta(days=(last_day.weekday() - weekday) % 7)
    first_day = dt.date(year, month, 1)
    offset = (weekday - first_day.weekday()) % 7 + 7 * (nth - 1)
    return first_day + dt.timedelta(days=offset)


def _starts_at(meeting: Meeting, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, meeting.time, tzinfo=dt.UTC)


def _first_day(meeting: Meeting) -> dt.date | None:
    """The first scheduled day, which an iCalendar DTSTART must be."""
    horizon = meeting.start_date + _FIRST_DATE_WITHIN
    return next(_scheduled_days(meeting, meeting.start_date, horizon), None)


# -- text --------------------------------------------------------------------


def describe_slot(meeting: Meeting) -> str:
    """The slot as one line of plain text, fit for a docutils Text node.

    For example "Tuesdays, 15:00\N{EN DASH}16:00 UTC, every week".
    """
    hours = _hours(meeting)
    weekday = meeting.weekday.capitalize()
    if meeting.recurrence == "monthly":
        ordinal = _ORDINALS[_week_of_month(meeting)]
        text = f"The {ordinal} {weekday} of each month, {hours}"
    elif meeting.recurrence == "biweekly":
        text = f"{weekday}s, {hours}, every second week from {meeting.start_date}"
    else:
        text = f"{weekday}s, {hours}, every week"
    if meeting.end_date is not None:
        text += f", until {meeting.end_date}"
    return text


def _hours(meeting: Meeting) -> str:
    text = f"{meeting.time:%H:%M}\N{EN DASH}{meeting.end_time:%H:%M} UTC"
    if _ends_next_day(meeting):
        next_weekday = WEEKDAYS[(meeting.weekday_index + 1) % 7]
        text += f" (into {next_weekday.capitalize()})"
    return text


def _ends_next_day(meeting: Meeting) -> bool:
    minutes_into_day = meeting.time.hour * 60 + meeting.time.minute
    return minutes_into_day + meeting.duration > 24 * 60


def _ends_at(start: dt.datetime, meeting: Meeting) -> dt.datetime:
    return start + dt.timedelta(minutes=meeting.duration)


# -- conflicts ---------------------------------------------------------------


def find_conflicts(
    meetings: Sequence[tuple[str, Meeting]], horizon_days: int = 366
) -> list[Conflict]:
    """Pairs of meetings that overlap in one channel, earliest overlap first.

    Each pair is checked for horizon_days from the later start date, which
    covers a full year of monthly and biweekly cycles.
    """
    conflicts = []
    for index, (first_label, first) in enumerate(meetings):
        for second_label, second in meetings[index + 1 :]:
            if first.channel != second.channel:
                continue
            at = _first_overlap(first, second, horizon_days)
            if at is not None:
                conflicts.append(Conflict(first_label, first, second_label, second, at))
    return sorted(conflicts, key=lambda conflict: conflict.at)


def _first_overlap(
    first: Meeting, second: Meeting, horizon_days: int
) -> dt.datetime | None:
    """Walk both sorted lists of sessions at once; each overlap is met in order."""
    start = max(first.start_date, second.start_date)
    end = start + dt.timedelta(days=horizon_days - 1)
    # A session that starts the day before can still run past midnight.
    ours = _sessions(first, start - dt.timedelta(days=1), end)
    theirs = _sessions(second, start - dt.timedelta(days=1), end)
    i = j = 0
    while i < len(ours) and j < len(theirs):
        (our_start, our_end), (their_start, their_end) = ours[i], theirs[j]
        if our_start < their_end and their_start < our_end:
            return max(our_start, their_start)
        if our_end <= their_end:
            i += 1
        else:
            j += 1
    return None


def _sessions(
    meeting: Meeting, start: dt.date, end: dt.date
) -> list[tuple[dt.datetime, dt.datetime]]:
    return [(at, _ends_at(at, meeting)) for at in occurrences(meeting, start, end)]


# -- iCalendar ---------------------------------------------------------------


def workgroup_calendar(workgroup: Workgroup, *, site_url: str = "") -> bytes:
    """The meetings of one workgroup as an RFC 5545 calendar.

    site_url is the workgroup's page on the published site; when given it
    becomes the calendar's URL and is named in each event's description.
    """
    calendar = _new_calendar(f"{workgroup.name} meetings")
    if site_url:
        calendar.add("url", site_url)
    for event in _events(workgroup, site_url):
        calendar.add_component(event)
    return calendar.to_ical()


def combined_calendar(workgroups: Sequence[Workgroup]) -> bytes:
    """The meetings of all workgroups, in slug order whatever the input order."""
    calendar = _new_calendar(COMBINED_NAME)
    for workgroup in sorted(workgroups, key=lambda workgroup: workgroup.slug):
        for event in _events(workgroup, ""):
            calendar.add_component(event)
    return calendar.to_ical()


def _new_calendar(name: str) -> Calendar:
    # Imported here: loading icalendar costs half a second the CLI rarely needs.
    from icalendar import Calendar, vText

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # icalendar does not know this extension as text, so it would not escape it.
    calendar.add("x-wr-calname", vText(name))
    return calendar


def _events(workgroup: Workgroup, site_url: str) -> Iterator[Event]:
    """One event per meeting that has a date at all, in charter order."""
    for number, meeting in enumerate(workgroup.meetings, start=1):
        first_day = _first_day(meeting)
        if first_day is not None:
            yield _event(workgroup, number, meeting, first_day, site_url)


def _event(
    workgroup: Workgroup,
    number: int,
    meeting: Meeting,
    first_day: dt.date,
    site_url: str,
) -> Event:
    from icalendar import Event

    start = _starts_at(meeting, first_day)
    event = Event()
    event.add("uid", f"{workgroup.slug}-{number}@{UID_DOMAIN}")
    event.add("dtstamp", _stamp(meeting))
    event.add("dtstart", start)
    event.add("dtend", _ends_at(start, meeting))
    event.add("rrule", _rrule(meeting))
    if meeting.skip:
        event.add("exdate", [_starts_at(meeting, day) for day in sorted(meeting.skip)])
    event.add("summary", f"{workgroup.name}: {meeting.title}")
    event.add("location", meeting.channel)
    event.add("url", meeting.agenda)
    event.add("description", _description(meeting, site_url))
    return event


def _stamp(meeting: Meeting) -> dt.datetime:
    """The latest date in the meeting data, as RFC 5545 wants a DTSTAMP.

    Taken from the data rather than the clock so that unchanged data gives
    unchanged files.
    """
    dates = [meeting.start_date, *meeting.skip]
    if meeting.end_date is not None:
        dates.append(meeting.end_date)
    return dt.datetime.combine(max(dates), dt.time(0, 0), tzinfo=dt.UTC)


def _rrule(meeting: Meeting) -> dict[str, object]:
    weekday = _ICAL_WEEKDAYS[meeting.weekday_index]
    if meeting.recurrence == "monthly":
        rule: dict[str, object] = {
            "freq": "MONTHLY",
            "byday": f"{_week_of_month(meeting):+d}{weekday}",
        }
    else:
        rule = {"freq": "WEEKLY"}
        weeks_between = _WEEKS_BETWEEN[meeting.recurrence]
        if weeks_between > 1:
            rule["interval"] = weeks_between
    if meeting.end_date is not None:
        # DTSTART is in UTC, so RFC 5545 wants UNTIL in UTC too.
        rule["until"] = _starts_at(meeting, meeting.end_date)
    return rule


def _description(meeting: Meeting, site_url: str) -> str:
    lines = [describe_slot(meeting), f"Agenda: {meeting.agenda}"]
    if site_url:
        lines.append(f"Workgroup: {site_url}")
    return "\n".join(lines)
