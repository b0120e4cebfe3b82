"""``api/ci.json``: every CI track's gate health, in a versioned shape.

The shape is documented in ``doc/source/reference/ci.rst``; a change
that removes or renames a field raises :data:`VERSION`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from crosswork.kinds.ci.analysis import GateHealth, JobStats
from crosswork.kinds.ci.model import Build
from crosswork.kinds.ci.tracks import CiTrack

VERSION = 1
API_FILE = "api/ci.json"


def _time(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _build(build: Build | None) -> dict[str, Any] | None:
    if build is None:
        return None
    return {
        "uuid": build.uuid,
        "change": build.change,
        "patchset": build.patchset,
        "result": build.result,
        "start": _time(build.start),
        "log_url": build.log_url,
    }


def job_record(stats: JobStats, trend: str) -> dict[str, Any]:
    return {
        "pipeline": stats.pipeline,
        "job": stats.job,
        "projects": list(stats.projects),
        "voting": stats.voting,
        "builds": stats.builds,
        "counted": stats.counted,
        "results": dict(stats.buckets),
        "failure_rate": stats.failure_rate,
        "infra_rate": stats.infra_rate,
        "median_seconds": stats.median,
        "p90_seconds": stats.p90,
        "flaky_signals": len(stats.flaky),
        "flaky_examples": [
            {"failed": _build(s.failed), "passed": _build(s.passed)}
            for s in stats.flaky[:3]
        ],
        "trend": trend,
    }


def track_record(
    track: CiTrack,
    health: GateHealth | None,
    *,
    as_of: dt.datetime | None,
    state: str,
    trends: Mapping[str, str],
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "source": track.source_id,
        "workgroup": track.workgroup,
        "name": track.name,
        "tenant": track.tenant,
        "projects": list(track.projects),
        "pipelines": list(track.pipelines),
        "jobs": list(track.jobs),
        "window": track.window,
        "as_of": _time(as_of),
        "state": state,
        "gate": None,
        "jobs_stats": [],
    }
    if health is not None:
        record["gate"] = {
            "builds": health.builds,
            "failure_rate": health.failure_rate,
            "infra_rate": health.infra_rate,
            "flakiest": [f"{s.pipeline}/{s.job}" for s in health.flakiest],
            "slowest": [f"{s.pipeline}/{s.job}" for s in health.slowest],
        }
        record["jobs_stats"] = [
            job_record(stats, trends.get(stats.key, "new")) for stats in health.jobs
        ]
    return record


def ci_document(tracks: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"version": VERSION, "tracks": list(tracks)}
