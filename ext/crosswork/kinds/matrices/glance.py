"""A workgroup's matrices at a glance, for the home page (see
:mod:`crosswork.dashboard.model`): open gaps with their trend, the gaps
closed this cycle, and the parity of the Xen drivers with the reference.

Xen against KVM is the comparison the Consistency workgroup started from
(see :mod:`crosswork.kinds.matrices.gaps`): a matrix that has Xen drivers
gets their parity on the card. Only fetched matrices are shown: the
dashboard renders from the snapshot and its history.

"Closed this cycle" is how many fewer gaps are open now than on the first
day the history recorded in the cycle of the latest data (releases ship
around April and October, see :func:`crosswork.dashboard.model.cycle_of`);
gaps the reference gained since are not counted as closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from crosswork.charts import percent
from crosswork.dashboard.model import Glance, cycle_of
from crosswork.fetch.snapshot import HistoryEntry
from crosswork.kinds.matrices.gaps import Analysis, analyse
from crosswork.kinds.matrices.progress import track_data
from crosswork.kinds.matrices.summary import driver_title, resolve_reference
from crosswork.kinds.matrices.tracks import MatrixTrack, matrix_tracks
from crosswork.specs.progress import Read

if TYPE_CHECKING:
    from crosswork.site.data import SiteData
    from crosswork.workgroups.model import Workgroup

#: Drivers whose parity the card shows: those whose key names Xen.
FOCUS = "xen"
#: The matrices section's pages (``crosswork.kinds.matrices.sphinxext``).
SECTION = "matrices"


def glance(workgroup: Workgroup, site: SiteData, read: Read) -> list[Glance]:
    """Per fetched matrix of the workgroup: gaps, gaps closed, Xen parity."""
    result: list[Glance] = []
    for track in matrix_tracks([workgroup]):
        if not track.is_remote:
            continue
        data = track_data(site, track, read)
        if data.matrix is None:
            continue
        analysis = analyse(data.matrix, resolve_reference(data.matrix, track.reference))
        result += track_glances(track, analysis, data.history)
    return result


def track_glances(
    track: MatrixTrack, analysis: Analysis, history: Sequence[HistoryEntry]
) -> list[Glance]:
    docname = f"{SECTION}/{track.source_id}"
    origin = f"Support matrix {track.path}"
    sources = (track.source_id,)
    reference = driver_title(analysis.matrix, analysis.reference)
    days = gap_totals(history)
    result = [
        Glance(
            f"Open gaps ({track.name})",
            str(len(analysis.gaps)),
            docname,
            note=f"features {reference} has and other drivers lack",
            origin=origin,
            sources=sources,
            trend=tuple((day, float(total)) for day, total in days),
            trend_label="open gaps",
        )
    ]
    closed = closed_this_cycle(days, len(analysis.gaps))
    if closed is not None:
        count, since, cycle = closed
        result.append(
            Glance(
                f"Gaps closed this cycle ({track.name})",
                str(count),
                docname,
                note=f"since {since.isoformat()}, the first day recorded in"
                f" cycle {cycle}",
                origin=origin,
                sources=sources,
            )
        )
    for driver in analysis.matrix.drivers:
        if FOCUS in driver.key and driver.key != analysis.reference:
            result.append(
                Glance(
                    f"{driver.title} parity ({track.name})",
                    percent(analysis.parity[driver.key]),
                    docname,
                    note=f"of the features {reference} supports completely",
                    origin=origin,
                    sources=sources,
                )
            )
    return result


def gap_totals(history: Sequence[HistoryEntry]) -> list[tuple[dt.date, int]]:
    """Open gaps of every driver together, per day the history broke them
    down by driver, oldest first."""
    days = sorted(history, key=lambda entry: entry.day)
    return [
        (entry.day, sum(entry.breakdown.values())) for entry in days if entry.breakdown
    ]


def closed_this_cycle(
    days: Sequence[tuple[dt.date, int]], open_now: int
) -> tuple[int, dt.date, str] | None:
    """Gaps closed since the first recorded day of the latest day's cycle,
    that day, and the cycle's name; None without history."""
    if not days:
        return None
    cycle = cycle_of(days[-1][0])
    day, open_then = next((d, n) for d, n in days if d >= cycle.start)
    return max(0, open_then - open_now), day, cycle.name
