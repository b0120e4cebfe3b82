"""What a matrix says about a spec: how many of the gaps it targets closed.

A spec's ``Closes-Gaps`` names a matrix track of its workgroup, a driver,
and either features or, when it names none, every gap of the driver
against the track's reference driver. The matrix is the one the site
shows: a repository file is read from the repository, a fetched matrix
from the snapshot.

When the spec names features, each is a gap the spec set out to close:
``done`` is those that are no longer gaps (a feature the matrix lacks is
counted as unknown, not as closed; the spec linter reports it). When it names none, the
baseline is the driver's gap count on the day the spec was approved.
Specs carry no approval date, so that day is taken as the first day of
the snapshot history on or after the spec's ``Created`` date: a spec
is written, then reviewed, so the history cannot know its gaps earlier,
and that first recorded day is the closest known state. If the history
started after the spec was created, gaps closed before it began are not
counted. Without such a day (a repository file, which has no history, or
a history that ends before the spec was written), the figure says "open
when approved: unknown". ``done`` is how many fewer gaps are open now
than then (gaps the reference gained since are not counted as closed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from crosswork.fetch.snapshot import HistoryEntry
from crosswork.kinds.matrices.facts import FactsError, matrix_from_facts
from crosswork.kinds.matrices.gaps import analyse
from crosswork.kinds.matrices.model import Matrix
from crosswork.kinds.matrices.summary import resolve_reference
from crosswork.kinds.matrices.tracks import (
    MatrixTrack,
    matrix_tracks,
    read_repository_matrix,
)
from crosswork.specs.model import GapTarget, Spec
from crosswork.specs.progress import Progress, Read

if TYPE_CHECKING:
    from crosswork.site.data import SiteData

KEY = "gaps"
LABEL = "Gaps closed"
TREND_LABEL = "open gaps"


@dataclass(frozen=True)
class TrackData:
    """A track's matrix as the site shows it, and its history."""

    track: MatrixTrack
    matrix: Matrix | None
    history: tuple[HistoryEntry, ...] = ()


def progress(spec: Spec, site: SiteData, read: Read) -> list[Progress]:
    """One figure per ``Closes-Gaps`` target of the spec."""
    return [target_progress(spec, target, site, read) for target in spec.closes_gaps]


def spec_track(site: SiteData, workgroup: str, name: str) -> MatrixTrack | None:
    """The matrix track ``name`` of the workgroup's charter, if it has one."""
    charter = site.registry.workgroups.get(workgroup)
    if charter is None:
        return None
    return next((t for t in matrix_tracks([charter]) if t.name == name), None)


def track_data(site: SiteData, track: MatrixTrack, read: Read) -> TrackData:
    """The repository file, or the snapshot and history of a fetched matrix."""
    if not track.is_remote:
        matrix, _, _ = read_repository_matrix(site.layout.root, track)
        return TrackData(track, matrix)
    view = read(track.source_id)
    if view.snapshot is None:
        return TrackData(track, None, view.history)
    try:
        matrix, _ = matrix_from_facts(track.path, view.items)
    except FactsError:
        return TrackData(track, None, view.history)
    return TrackData(track, matrix, view.history)


def target_progress(
    spec: Spec, target: GapTarget, site: SiteData, read: Read
) -> Progress:
    track = spec_track(site, spec.workgroup, target.track)
    if track is None:
        return unknown(target, f"no matrix track {target.track!r}", ())
    data = track_data(site, track, read)
    sources = (track.source_id,) if track.is_remote else ()
    if data.matrix is None:
        return unknown(target, f"no data for matrix {track.name!r} yet", sources)
    if data.matrix.driver(target.driver) is None:
        return unknown(target, f"no driver {target.driver!r} in the matrix", sources)
    reference = resolve_reference(data.matrix, track.reference)
    open_now = open_gaps(data.matrix, reference, target)
    where = f"({target.driver} against {reference}, {track.name})"
    detail: dict[str, Any] = {
        "track": track.name,
        "driver": target.driver,
        "reference": reference,
        "features": list(target.features),
        "open_now": sorted(open_now),
    }
    if target.features:
        keys = feature_keys(data.matrix, target.features)
        found = {key for key in keys.values() if key is not None}
        missing = sorted(name for name, key in keys.items() if key is None)
        total = len(found) + len(missing)
        done = len(found - open_now)
        summary = f"{done} of {total} closed"
        if missing:
            summary += f", {len(missing)} unknown"
        detail["unknown_features"] = missing
        return figure(f"{summary} {where}", done, total, sources, detail)
    baseline = approval_baseline(data.history, target.driver, spec.created)
    if baseline is None:
        summary = f"{len(open_now)} open; open when approved: unknown {where}"
        return figure(summary, None, None, sources, {**detail, "approved": None})
    day, open_then = baseline
    done = max(0, open_then - len(open_now))
    return figure(
        f"{done} of {open_then} closed {where}",
        done,
        open_then,
        sources,
        {**detail, "approved": day.isoformat(), "open_when_approved": open_then},
        trend=driver_trend(data.history, target.driver, since=day),
    )


def open_gaps(matrix: Matrix, reference: str, target: GapTarget) -> set[str]:
    """Feature keys of the target that are gaps of its driver now."""
    gaps = {
        gap.feature
        for gap in analyse(matrix, reference).gaps
        if gap.driver == target.driver
    }
    if not target.features:
        return gaps
    named = {key for key in feature_keys(matrix, target.features).values() if key}
    return gaps & named


def feature_keys(matrix: Matrix, names: Sequence[str]) -> dict[str, str | None]:
    """The matrix key each named feature stands for, None if none.

    A name is a key (``operation.resize``) or, when only one key of the
    matrix ends so, the key without its group (``resize``): both read
    naturally in a spec.
    """
    keys = [feature.key for feature in matrix.features]
    return {name: resolve_feature(keys, name) for name in names}


def resolve_feature(keys: Sequence[str], name: str) -> str | None:
    if name in keys:
        return name
    found = [key for key in keys if key.partition(".")[2] == name]
    return found[0] if len(found) == 1 else None


def approval_baseline(
    history: Sequence[HistoryEntry], driver: str, created: dt.date
) -> tuple[dt.date, int] | None:
    """The first recorded day on or after ``created`` and the driver's gaps then."""
    for entry in sorted(history, key=lambda e: e.day):
        if entry.day >= created and driver in entry.breakdown:
            return entry.day, entry.breakdown[driver]
    return None


def driver_trend(
    history: Sequence[HistoryEntry], driver: str, since: dt.date
) -> tuple[tuple[dt.date, float], ...]:
    """The driver's open gaps per recorded day from ``since`` on."""
    return tuple(
        (entry.day, float(entry.breakdown[driver]))
        for entry in sorted(history, key=lambda e: e.day)
        if entry.day >= since and driver in entry.breakdown
    )


def figure(
    summary: str,
    done: int | None,
    total: int | None,
    sources: tuple[str, ...],
    detail: dict[str, Any],
    trend: tuple[tuple[dt.date, float], ...] = (),
) -> Progress:
    return Progress(
        key=KEY,
        label=LABEL,
        summary=summary,
        done=done,
        total=total,
        trend=trend,
        trend_label=TREND_LABEL if trend else "",
        sources=sources,
        detail=detail,
    )


def unknown(target: GapTarget, why: str, sources: tuple[str, ...]) -> Progress:
    """A target the site cannot measure: the figure says why."""
    return figure(
        f"unknown: {why} ({target.driver}, {target.track})",
        None,
        None,
        sources,
        {"track": target.track, "driver": target.driver},
    )
