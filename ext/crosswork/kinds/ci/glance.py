"""A workgroup's gate health at a glance, for the home page (see
:mod:`crosswork.dashboard.model`): per CI track, the gate failure rate
(test failures over counted voting gate builds, as on the track's page)
with its daily trend, and how many jobs show recheck-flaky signals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crosswork.charts import percent, plural
from crosswork.dashboard.model import Glance
from crosswork.kinds.ci.analysis import (
    GATE,
    gate_health,
    job_stats,
    pipeline_rate_trend,
)
from crosswork.kinds.ci.model import BuildError
from crosswork.kinds.ci.provider import builds_of
from crosswork.kinds.ci.tracks import ci_tracks
from crosswork.specs.progress import Read

if TYPE_CHECKING:
    from crosswork.site.data import SiteData
    from crosswork.workgroups.model import Workgroup

#: The CI section's pages (``crosswork.kinds.ci.sphinxext``).
SECTION = "ci"


def glance(workgroup: Workgroup, site: SiteData, read: Read) -> list[Glance]:
    """Per CI track with usable builds: the gate failure rate; nothing else."""
    result: list[Glance] = []
    for track in ci_tracks([workgroup]):
        view = read(track.source_id)
        if view.snapshot is None:
            continue
        try:
            builds = builds_of(view.snapshot)
        except (BuildError, KeyError, TypeError, ValueError):
            continue
        stats = job_stats(builds, followed=track.followed())
        health = gate_health(builds, stats)
        if not health.builds or health.failure_rate is None:
            continue
        days = [(entry.day, entry.breakdown) for entry in view.history]
        flaky = sum(1 for job in stats if job.flaky)
        result.append(
            Glance(
                "Gate failure rate",
                percent(health.failure_rate),
                f"{SECTION}/{track.source_id}",
                note=f"test failures over {plural(health.builds, 'counted build')};"
                f" {plural(flaky, 'job')} with recheck-flaky signals",
                origin=f"Zuul: tenant {track.tenant}",
                sources=(track.source_id,),
                trend=tuple(
                    (day, round(rate * 100, 1))
                    for day, rate in pipeline_rate_trend(days, GATE)
                ),
                trend_label="gate failure rate (%)",
            )
        )
    return result
