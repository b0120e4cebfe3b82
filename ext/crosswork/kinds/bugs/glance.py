"""A workgroup's bugs at a glance: open bugs with their trend, and the
triage queue, for the home page (see :mod:`crosswork.dashboard.model`).

Counted over the bug tracks of the workgroup's charter that the snapshot
holds, each bug once. "Open" is a status before any fix (Launchpad's New
to In Progress, GitHub's ``open``); the trend is what the history
records, the number of bugs the tracks match each day, and says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from crosswork.dashboard.model import Glance
from crosswork.fetch.view import SourceView
from crosswork.kinds.bugs.provider import Bug, bugs_of
from crosswork.kinds.bugs.select import TRIAGE_DAYS, identity, triage_queue
from crosswork.kinds.bugs.tracks import Track, bug_tracks
from crosswork.kinds.bugs.vocabulary import LAUNCHPAD_STATUSES, TRACKER_NAMES
from crosswork.specs.progress import Read

if TYPE_CHECKING:
    from crosswork.site.data import SiteData
    from crosswork.workgroups.model import Workgroup

#: Statuses of a bug nobody has fixed yet.
OPEN_STATUSES = frozenset(
    LAUNCHPAD_STATUSES[: LAUNCHPAD_STATUSES.index("Fix Committed")]
) | {"open"}


def glance(workgroup: Workgroup, site: SiteData, read: Read) -> list[Glance]:
    """Open and untriaged bugs of the workgroup's tracks; nothing without data."""
    tracks = [t for t in bug_tracks(site) if t.workgroup == workgroup.slug]
    shown = [(t, view) for t in tracks if (view := read(t.id)).snapshot is not None]
    if not shown:
        return []
    docname = f"workgroups/{workgroup.slug}"
    complete = all(view.snapshot and view.snapshot.complete for _, view in shown)
    unique = {identity(bug): bug for _, view in shown for bug in bugs_of_view(view)}
    open_bugs = [bug for bug in unique.values() if bug.status in OPEN_STATUSES]
    result = [
        Glance(
            "Open bugs",
            count_words(len(open_bugs), complete),
            docname,
            "open-bugs",
            note="reported, not yet fixed",
            origin=origins(t for t, _ in shown),
            sources=tuple(t.id for t, _ in shown),
            trend=daily_totals([view for _, view in shown]),
            trend_label="bugs the tracks match",
        )
    ]
    triaged = [(t, view) for t, view in shown if t.can_hold_untriaged]
    if triaged:
        batches = [
            (view.snapshot.fetched_at, bugs_of(view.snapshot))
            for _, view in triaged
            if view.snapshot is not None
        ]
        queue = triage_queue(batches, TRIAGE_DAYS)
        result.append(
            Glance(
                "Untriaged bugs",
                count_words(len(queue), complete),
                docname,
                "waiting-for-triage",
                note=f"New for more than {TRIAGE_DAYS} days, importance undecided",
                origin=origins(t for t, _ in triaged),
                sources=tuple(t.id for t, _ in triaged),
            )
        )
    return result


def bugs_of_view(view: SourceView) -> tuple[Bug, ...]:
    return bugs_of(view.snapshot) if view.snapshot is not None else ()


def count_words(count: int, complete: bool) -> str:
    """A count; "at least" one when a track's data is incomplete."""
    return str(count) if complete else f"at least {count}"


def origins(tracks: Iterable[Track]) -> str:
    """ "Launchpad: nova, GitHub: PyGithub/PyGithub": the trackers, as readers
    name them, each project once."""
    names = dict.fromkeys(
        f"{TRACKER_NAMES[t.query.tracker]}: {t.query.project}" for t in tracks
    )
    return ", ".join(names)


def daily_totals(views: Sequence[SourceView]) -> tuple[tuple[dt.date, float], ...]:
    """The tracks' summed counts on each day that every one of them recorded."""
    days = [{entry.day: entry.count for entry in view.history} for view in views]
    common = set.intersection(*(set(d) for d in days)) if days else set()
    return tuple((day, float(sum(d[day] for d in days))) for day in sorted(common))
