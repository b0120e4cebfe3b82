"""``api/matrices.json`` and each matrix's gaps-closed feed, computed purely.

The file's shape is ``matrices.api.schema.json`` beside this module,
documented in ``doc/source/reference/api.rst``; renaming or removing a key
raises :data:`SCHEMA_VERSION`. A track's ``matrix`` is the shape of
``crosswork matrix --format json`` (drivers, features, gaps, parity).

A gap closed is told apart from the daily history, which keeps each
driver's count of open gaps: between two consecutive recorded days, a
driver whose count fell closed that many gaps. The history keeps counts,
not features, so an entry says how many, not which; a day on which a
driver closed one gap and opened another shows no change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from crosswork.diagnostics import Diagnostic
from crosswork.feeds import FeedEntry, atom
from crosswork.fetch.snapshot import HistoryEntry, format_time
from crosswork.kinds.matrices.gaps import Analysis, as_data
from crosswork.kinds.matrices.tracks import MatrixTrack

SCHEMA_VERSION = 1
API_NAME = "matrices"


@dataclass(frozen=True)
class GapsClosed:
    """A driver's open gaps fell from ``before`` to ``after`` between two days."""

    driver: str
    since: dt.date
    day: dt.date
    before: int
    after: int

    @property
    def closed(self) -> int:
        return self.before - self.after

    @property
    def anchor(self) -> str:
        """Unique within a matrix: the day and the driver (a feed entry's id)."""
        return f"gaps-closed-{self.day.isoformat()}-{self.driver}"


def gaps_closed(history: Sequence[HistoryEntry]) -> list[GapsClosed]:
    """Every fall in a driver's open gaps between recorded days, newest first."""
    days = sorted(history, key=lambda entry: entry.day)
    found = [
        GapsClosed(driver, earlier.day, later.day, before, later.breakdown[driver])
        for earlier, later in pairwise(days)
        for driver, before in sorted(earlier.breakdown.items())
        if later.breakdown.get(driver, before) < before
    ]
    return sorted(found, key=lambda event: (event.day, event.driver), reverse=True)


def track_record(
    track: MatrixTrack,
    analysis: Analysis | None,
    problems: Sequence[Diagnostic],
    history: Sequence[HistoryEntry],
    *,
    page: str,
    fetched_at: dt.datetime | None,
    state: str,
) -> dict[str, Any]:
    """One track: where it comes from, its gaps and parity, and their history."""
    return {
        "source": track.source_id,
        "page": page,
        "workgroup": track.workgroup,
        "name": track.name,
        "title": track.title,
        "origin": track.origin,
        "state": state,
        "fetched_at": format_time(fetched_at) if fetched_at else None,
        "gap_counts": analysis.gap_counts() if analysis else None,
        "matrix": as_data(analysis, problems) if analysis else None,
        "history": [
            {"date": entry.day.isoformat(), "gaps": dict(entry.breakdown)}
            for entry in sorted(history, key=lambda entry: entry.day)
        ],
        "gaps_closed": [
            {
                "driver": event.driver,
                "since": event.since.isoformat(),
                "date": event.day.isoformat(),
                "closed": event.closed,
                "open": event.after,
            }
            for event in gaps_closed(history)
        ],
    }


def gaps_feed(
    track: MatrixTrack,
    history: Sequence[HistoryEntry],
    *,
    feed_url: str,
    page_url: str,
    author: str,
    updated: dt.datetime,
) -> bytes:
    """The Atom feed of the gaps a matrix's drivers closed, newest first."""
    entries = [
        FeedEntry(
            id=f"{page_url}#{event.anchor}",
            title=f"{event.driver}: {closed_words(event)}",
            url=page_url,
            updated=dt.datetime.combine(event.day, dt.time(), tzinfo=dt.UTC),
            text=(
                f"{track.title}: {event.driver} had {event.before} open gaps on"
                f" {event.since.isoformat()} and {event.after} on"
                f" {event.day.isoformat()}."
            ),
        )
        for event in gaps_closed(history)
    ]
    return atom(
        entries,
        feed_url=feed_url,
        page_url=page_url,
        title=f"{track.title}: gaps closed",
        author=author,
        updated=updated,
    )


def closed_words(event: GapsClosed) -> str:
    noun = "gap" if event.closed == 1 else "gaps"
    return f"{event.closed} {noun} closed ({event.since} to {event.day})"
