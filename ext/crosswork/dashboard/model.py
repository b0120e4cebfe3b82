"""The home page's dashboard: each workgroup's figures at a glance.

Each data kind answers for a workgroup through the ``glance`` hook of its
record (:class:`crosswork.datakind.DataKind`) with :class:`Glance` records:
a label, a figure, the page it links to, where it comes from. Meetings
and specs are the core's, so their figures are made here. Pure: no Sphinx,
no docutils, no clock; the time of the build is an argument.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from crosswork.charts import value_words
from crosswork.fetch.view import describe_age
from crosswork.specs.board import IN_PROGRESS_STATUSES
from crosswork.specs.progress import Proposal, Read
from crosswork.workgroups.calendar import occurrences

if TYPE_CHECKING:
    from crosswork.specs.model import Spec
    from crosswork.workgroups.model import Meeting, Workgroup

#: Where meetings are held, for the "next meeting" figure.
MEETINGS_PAGE = "meetings"


@dataclass(frozen=True)
class Glance:
    """One figure of a workgroup's card, from one kind's data or the core's."""

    #: What the figure is: "Open bugs".
    label: str
    #: The figure itself, short: "12", "58.3%".
    figure: str
    #: The page the figure links to, and the section on it ("" for the top).
    docname: str
    anchor: str = ""
    #: A few words beside the figure: "3 untriaged for more than 7 days".
    note: str = ""
    #: Where the figure comes from, as a reader names it: "Launchpad: nova".
    origin: str = ""
    #: The snapshot sources it is read from: the card says when one of them
    #: is stale or incomplete.
    sources: tuple[str, ...] = ()
    #: ``(day, value)`` from the snapshot history, oldest first: a sparkline.
    trend: tuple[tuple[dt.date, float], ...] = ()
    #: What the trend counts, for its words: "tracked bugs".
    trend_label: str = ""


#: ``function(workgroup, site, read) -> list[Glance]``, a kind's ``glance``.
GlanceHook = Callable[["Workgroup", Any, Read], "list[Glance]"]


@dataclass(frozen=True)
class Card:
    """A workgroup's figures, in the order the card shows them."""

    slug: str
    name: str
    glances: tuple[Glance, ...]


def card(workgroup: Workgroup, glances: Iterable[Glance]) -> Card:
    return Card(workgroup.slug, workgroup.name, tuple(glances))


# --- Age of the data --------------------------------------------------------------


def age_words(fetched: dt.datetime, now: dt.datetime) -> str:
    """How old the data is, for a reader: "fetched 6 hours ago, 2026-12-05
    04:51 UTC". ``now`` is the time of the build: the page says how old the
    data was when it was built. A fetch after ``now`` (a clock set back)
    gets no relative words, which would be wrong."""
    stamp = utc_words(fetched)
    seconds = (now - fetched).total_seconds()
    if seconds < 0:
        return f"fetched {stamp}"
    return f"fetched {describe_age(seconds)} ago, {stamp}"


def utc_words(moment: dt.datetime) -> str:
    """ "2026-12-05 04:51 UTC": a moment as readers read it, to the minute."""
    return f"{moment.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC"


def sample_words(samples: Sequence[bool]) -> str:
    """What the dashboard says once when some or all of its data is sample data."""
    if samples and all(samples):
        return "It is sample data from a stand-in for the upstreams, not live data."
    if any(samples):
        return (
            "Some of it is sample data from a stand-in for the upstreams, not live"
            " data: the status page lists which."
        )
    return ""


def trend_words(glance: Glance) -> str:
    """A trend in a few words, shown beside its sparkline: "Open gaps: 231 on
    2026-11-27, 220 on 2026-12-05"; "" under two days."""
    if len(glance.trend) < 2:
        return ""
    (first, start), (last, end) = min(glance.trend), max(glance.trend)
    what = (glance.trend_label or glance.label).capitalize()
    return (
        f"{what}: {value_words(start)} on {first.isoformat()},"
        f" {value_words(end)} on {last.isoformat()}"
    )


# --- Core figures: meetings and specs ---------------------------------------------


#: How far ahead the next meeting is looked for: a monthly one is within it.
_LOOKAHEAD = dt.timedelta(days=62)


def next_meeting(
    meetings: Iterable[Meeting], now: dt.datetime
) -> tuple[Meeting, dt.datetime] | None:
    """The meeting that starts next at or after ``now``, with its start (UTC)."""
    upcoming = [
        (start, meeting)
        for meeting in meetings
        for start in occurrences(meeting, now.date(), (now + _LOOKAHEAD).date())
        if start >= now
    ]
    if not upcoming:
        return None
    start, meeting = min(upcoming, key=lambda pair: (pair[0], pair[1].title))
    return meeting, start


def meeting_words(start: dt.datetime) -> str:
    """ "Tue 2026-12-08 15:00 UTC": the day is named so nobody has to count."""
    return f"{start:%a %Y-%m-%d %H:%M} UTC"


def spec_glances(
    workgroup: Workgroup,
    specs: Sequence[Spec],
    proposals: Sequence[Proposal] | None,
    review_sources: Sequence[str],
) -> list[Glance]:
    """Specs under review (when the workgroup follows reviews) and in progress.

    ``proposals`` are the workgroup's open reviews, or None when none of
    ``review_sources`` holds data: then nothing is said rather than zero.
    """
    docname = f"workgroups/{workgroup.slug}"
    result: list[Glance] = []
    if proposals is not None:
        services = sorted({proposal.service for proposal in proposals})
        result.append(
            Glance(
                "Specs under review",
                str(len(proposals)),
                docname,
                "under-review",
                note="open reviews of spec files",
                origin=", ".join(services) if services else "code review",
                sources=tuple(review_sources),
            )
        )
    approved = [spec for spec in specs if spec.status in IN_PROGRESS_STATUSES]
    result.append(
        Glance(
            "Specs in progress",
            str(len(approved)),
            docname,
            "in-progress",
            note="approved, not yet implemented",
            origin="spec metadata in this repository",
        )
    )
    return result


# --- Cycles ------------------------------------------------------------------------


@dataclass(frozen=True)
class Cycle:
    """A development cycle: releases ship around April and October."""

    name: str
    start: dt.date


def cycle_of(day: dt.date) -> Cycle:
    """The cycle in development on ``day``: from October, next year's first
    (``YYYY.1``, begun on October 1); from April, the year's second."""
    if day.month >= 10:
        return Cycle(f"{day.year + 1}.1", dt.date(day.year, 10, 1))
    if day.month <= 3:
        return Cycle(f"{day.year}.1", dt.date(day.year - 1, 10, 1))
    return Cycle(f"{day.year}.2", dt.date(day.year, 4, 1))
