"""``api/ci.json``: every CI track's gate health, in a versioned shape.

The shape is ``ci.api.schema.json`` beside this module, documented in
``doc/source/reference/api.rst``; a change that removes or renames a field
raises :data:`SCHEMA_VERSION` (2: the site's shared envelope, and each
track's ``page``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from crosswork.kinds.ci.analysis import GateHealth, GateResets, JobStats, Rerun
from crosswork.kinds.ci.model import Build, build_page_url
from crosswork.kinds.ci.tracks import CiTrack

SCHEMA_VERSION = 2
API_NAME = "ci"


def _time(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _build(build: Build | None, tenant: str) -> dict[str, Any] | None:
    if build is None:
        return None
    return {
        "uuid": build.uuid,
        "job": build.job,
        "project": build.project,
        "change": build.change,
        "patchset": build.patchset,
        "result": build.result,
        "start": _time(build.start),
        "end": _time(build.end),
        "url": build_page_url(tenant, build.uuid),
        "log_url": build.log_url,
    }


def _rerun(rerun: Rerun, tenant: str) -> dict[str, Any]:
    return {
        "canceled": _build(rerun.canceled, tenant),
        "rerun": _build(rerun.rerun, tenant),
    }


def resets_record(resets: GateResets, tenant: str) -> dict[str, Any]:
    """One dependent pipeline's reruns, grouped by likely (inferred) cause."""
    return {
        "builds": resets.builds,
        "reruns": len(resets.reruns),
        "unexplained": resets.unexplained,
        "causes": [
            {
                "failed": _build(cause, tenant),
                "reruns": len(reruns),
                "examples": [_rerun(r, tenant) for r in reruns[:3]],
            }
            for cause, reruns in resets.causes()
        ],
    }


def job_record(stats: JobStats, trend: str, tenant: str) -> dict[str, Any]:
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
            {"failed": _build(s.failed, tenant), "passed": _build(s.passed, tenant)}
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
    page: str,
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "source": track.source_id,
        "page": page,
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
            "resets": {
                pipeline: resets_record(found, track.tenant)
                for pipeline, found in health.resets.items()
            },
        }
        record["jobs_stats"] = [
            job_record(stats, trends.get(stats.key, "new"), track.tenant)
            for stats in health.jobs
        ]
    return record


def ci_document(tracks: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The file's own keys (the envelope is the site's)."""
    return {"tracks": list(tracks)}
