"""What a page may say about one source: its items and how fresh they are.

Pages render only from the snapshot. A :class:`SourceView` joins a source's
snapshot file with its status entry, and :func:`notices` turns that into
the sentences every data block shows: when the data is from, and whether it
is stale, incomplete or missing, with the reason.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crosswork.fetch.snapshot import (
    HISTORY_FILE,
    HistoryEntry,
    Snapshot,
    SourceStatus,
    load_history,
    load_snapshot,
    snapshot_path,
)

#: States whose data the last refresh confirmed.
HEALTHY = frozenset({"fresh", "not-modified"})


@dataclass(frozen=True)
class Freshness:
    """The facts a page shows about a source's freshness.

    Pages are re-read when these change, so they hold only what is shown:
    a routine refresh that confirms unchanged data changes none of them.
    """

    state: str
    as_of: dt.datetime | None = None
    failed_at: dt.datetime | None = None
    error: str = ""
    #: The data came from a stand-in for the upstream (an endpoint override).
    sample: bool = False


@dataclass(frozen=True)
class Notice:
    level: str  # "info" or "warning"
    text: str


@dataclass(frozen=True)
class SourceView:
    source_id: str
    snapshot: Snapshot | None
    status: SourceStatus | None
    #: Why there is no snapshot: "absent" or "corrupt: ...".
    problem: str = ""
    #: The source's daily history, oldest first (see ``history.json``).
    history: tuple[HistoryEntry, ...] = ()

    @property
    def items(self) -> tuple[Mapping[str, Any], ...]:
        return self.snapshot.items if self.snapshot else ()

    @property
    def state(self) -> str:
        if self.snapshot is None:
            return "missing"
        if self.status is None:
            return "fresh" if self.snapshot.complete else "incomplete"
        if self.status.state == "missing":
            return "stale"  # the file outlived its status entry
        return self.status.state

    def freshness(self) -> Freshness:
        """What :func:`notices` shows: a 304 reads the same as a 200, and a
        source with no data shows why but not when it last failed."""
        state = "fresh" if self.state in HEALTHY else self.state
        failed = state == "stale" and self.status is not None
        return Freshness(
            state=state,
            as_of=self.snapshot.fetched_at if self.snapshot else None,
            failed_at=self.status.checked_at if failed and self.status else None,
            error=self._error_text() if state != "fresh" else "",
            sample=bool(self.snapshot and self.status and self.status.sample),
        )

    def _error_text(self) -> str:
        if self.status is not None and self.status.error_kind:
            return reader_reason(self.status.error_kind)
        if self.problem.startswith("corrupt"):
            return f"snapshot {self.problem}"
        return ""


#: What readers are told of a failure, by its kind. The message beside it
#: names the URL that failed: it is for whoever runs the fetch (its output,
#: the build's data-health report), never printed on a page, where it would
#: show an endpoint's address.
_REASONS = {
    "timeout": "the upstream did not answer in time",
    "connection": "the upstream could not be reached",
    "deadline": "the refresh ran out of time",
    "circuit-open": "the upstream asked for a pause; it was not called",
    "rate-limited": "the upstream's rate limit was reached",
    "too-large": "the upstream sent more data than is accepted",
    "content-type": "the upstream answered in an unexpected format",
    "invalid-json": "the upstream sent invalid JSON",
    "schema": "the upstream's data had an unexpected shape",
    "disallowed-host": "the upstream sent the request to a host that is not allowed",
    "redirect-loop": "the upstream redirected in a loop",
    "page-cap": "the upstream had more pages than a refresh reads",
}


def reader_reason(kind: str) -> str:
    """Why a refresh failed, in words that name no address."""
    if kind.startswith("http-") and kind[5:].isdigit():
        return f"the upstream answered HTTP {kind[5:]}"
    return _REASONS.get(kind, f"the refresh failed ({kind})")


def read_view(
    folder: Path, source_id: str, statuses: Mapping[str, SourceStatus]
) -> SourceView:
    snapshot, problem = load_snapshot(folder, source_id)
    return SourceView(
        source_id,
        snapshot,
        statuses.get(source_id),
        problem,
        source_history(folder, source_id),
    )


def source_history(folder: Path, source_id: str) -> tuple[HistoryEntry, ...]:
    """One source's history; the file is parsed once while it is unchanged,
    since every spec page of a workgroup reads the same few sources."""
    try:
        stat = (folder / HISTORY_FILE).stat()
    except OSError:
        return ()
    return _history_at(folder, (stat.st_mtime_ns, stat.st_size)).get(source_id, ())


@functools.lru_cache(maxsize=8)
def _history_at(
    folder: Path, stamp: tuple[int, int]
) -> dict[str, tuple[HistoryEntry, ...]]:
    return {source: tuple(entries) for source, entries in load_history(folder).items()}


def source_file(folder: Path, source_id: str) -> Path:
    return snapshot_path(folder, source_id)


def describe_age(seconds: float) -> str:
    """A reader's age: "3 hours", "2 days"."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return "less than a minute"


def reader_time(moment: dt.datetime) -> str:
    """A moment as readers read it: ``2026-12-05 04:51 UTC``.

    Files and feeds keep ISO 8601 (:func:`~crosswork.fetch.snapshot.format_time`);
    pages print this.
    """
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def notices(view: SourceView, label: str) -> list[Notice]:
    """The sentences a data block starts with, most important first."""
    fresh = view.freshness()
    if fresh.as_of is None:
        reason = f" (last attempt failed: {fresh.error})" if fresh.error else ""
        return [Notice("warning", f"No data yet for {label}{reason}.")]
    as_of = f"Data as of {reader_time(fresh.as_of)}, from {label}."
    if fresh.sample:
        as_of = (
            f"Sample data as of {reader_time(fresh.as_of)}, for {label}: "
            "served by a stand-in for the upstream, not by the upstream itself."
        )
    result: list[Notice] = []
    if fresh.state == "stale" and fresh.failed_at is not None:
        age = describe_age((fresh.failed_at - fresh.as_of).total_seconds())
        result.append(
            Notice(
                "warning",
                f"Stale data: the refresh at {reader_time(fresh.failed_at)} failed "
                f"({fresh.error}). Showing the last good data, {age} older.",
            )
        )
    elif fresh.state == "incomplete":
        reason = f" ({fresh.error})" if fresh.error else ""
        result.append(
            Notice(
                "warning",
                f"Incomplete data: part of {label} could not be read{reason}; "
                "counts may be higher.",
            )
        )
    result.append(Notice("info", as_of))
    return result
