"""``crosswork health``: does the snapshot have every source, whole and recent?

For alerting, apart from the build: an upstream problem never fails a build
(pages show the last good data with its age), so something else must say
that the data is wearing out. The check reads the snapshot's status file
and the sources the charters and specs declare; a source needs attention
when it is

* **missing**: declared, but no fetch has stored data for it;
* **incomplete**: its last data lacks pages or items;
* **stale**: its last refresh failed, so it shows older data;
* **old**: the upstream last confirmed its data more than ``max_age`` ago.

The exit status is 0 when no source needs attention and 1 otherwise, so a
scheduler can alert on it. The report names each problem with the fetch's
own message (an operator reads it, not a page reader).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from crosswork.fetch.snapshot import SourceStatus, format_time, load_status

#: A nightly fetch confirms data every 24 hours; two hours of slack.
DEFAULT_MAX_AGE_HOURS = 26.0


@dataclass(frozen=True)
class SourceHealth:
    source: str
    state: str
    #: ``missing``, ``incomplete``, ``stale``, ``old``: what needs attention.
    problems: tuple[str, ...]
    #: Hours since the upstream last confirmed the data; None without data.
    age_hours: float | None
    error: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "state": self.state,
            "problems": list(self.problems),
            "age_hours": None if self.age_hours is None else round(self.age_hours, 1),
            "error": self.error or None,
        }


def source_health(
    source: str,
    status: SourceStatus | None,
    now: dt.datetime,
    max_age: dt.timedelta,
) -> SourceHealth:
    if status is None or status.state == "missing":
        error = _error(status)
        return SourceHealth(source, "missing", ("missing",), None, error)
    confirmed = status.validated_at or status.fetched_at
    age = None if confirmed is None else now - confirmed
    problems = []
    if status.state == "incomplete" or status.complete is False:
        problems.append("incomplete")
    if status.state == "stale":
        problems.append("stale")
    if age is not None and age > max_age:
        problems.append("old")
    hours = None if age is None else age.total_seconds() / 3600
    return SourceHealth(source, status.state, tuple(problems), hours, _error(status))


def _error(status: SourceStatus | None) -> str:
    if status is None or not status.error_kind:
        return ""
    return f"{status.error_kind}: {status.error}"


def check(
    statuses: Mapping[str, SourceStatus],
    declared: Iterable[str],
    now: dt.datetime,
    max_age: dt.timedelta,
) -> list[SourceHealth]:
    """Every declared source and every source the status file knows, by id."""
    ids = sorted(set(statuses) | set(declared))
    return [source_health(i, statuses.get(i), now, max_age) for i in ids]


def report_text(found: list[SourceHealth], now: dt.datetime, out: TextIO) -> None:
    troubled = [entry for entry in found if entry.problems]
    when = format_time(now)
    if not troubled:
        print(f"healthy: {len(found)} source(s), checked at {when}", file=out)
        return
    print(
        f"{len(troubled)} of {len(found)} source(s) need attention, checked at {when}:",
        file=out,
    )
    for entry in troubled:
        age = "" if entry.age_hours is None else f", {entry.age_hours:.1f} h old"
        error = f" [{entry.error}]" if entry.error else ""
        print(f"  {entry.source}: {', '.join(entry.problems)}{age}{error}", file=out)


def report_json(
    found: list[SourceHealth], now: dt.datetime, max_age: dt.timedelta, out: TextIO
) -> None:
    document = {
        "schema_version": 1,
        "healthy": not any(entry.problems for entry in found),
        "checked_at": format_time(now),
        "max_age_hours": max_age.total_seconds() / 3600,
        "sources": [entry.to_json() for entry in found],
    }
    json.dump(document, out, indent=2)
    out.write("\n")


def health_command(
    folder: Path,
    declared: Iterable[str],
    *,
    max_age_hours: float,
    form: str,
    now: dt.datetime,
    out: TextIO | None = None,
) -> int:
    """The body of ``crosswork health``: 0 when healthy, 1 otherwise."""
    out = out or sys.stdout
    max_age = dt.timedelta(hours=max_age_hours)
    found = check(load_status(folder), declared, now, max_age)
    if form == "json":
        report_json(found, now, max_age, out)
    else:
        report_text(found, now, out)
    return 1 if any(entry.problems for entry in found) else 0


def add_arguments(command: argparse.ArgumentParser, *, formats: bool = True) -> None:
    """``--max-age`` (and ``--format`` unless ``formats`` is false)."""
    command.add_argument(
        "--max-age",
        type=float,
        default=DEFAULT_MAX_AGE_HOURS,
        metavar="HOURS",
        help="data the upstream confirmed longer ago needs attention "
        f"(default: {DEFAULT_MAX_AGE_HOURS:g})",
    )
    if formats:
        command.add_argument("--format", choices=("text", "json"), default="text")
