"""Gate health from builds: rates, durations, flaky signals and trends.

Every formula is documented in ``doc/source/reference/ci.rst``; in short:

* Counted builds are final builds (not a retried attempt) whose bucket is
  success, failure or infra; skipped, running, canceled, config and
  unknown results are shown but never counted.
* failure rate = failures / (successes + failures), test failures only
  (``FAILURE`` and ``TIMED_OUT``); None when nothing was counted.
* infra rate = infra / (successes + failures + infra).
* median and 90th percentile of the durations of finished success and
  failure builds, nearest rank: the value at rank ``ceil(q * n)`` of the
  sorted durations.
* a recheck-flaky signal: in one project, change and patchset, a build of
  a job failed (test failure) and a later build of the same job on the
  same patchset succeeded. Each failed build followed by such a success is
  one signal.
* a gate reset rerun: in the gate pipeline, a build with a cancel-type
  result (canceled bucket) followed by a later build of the same job,
  project, change and patchset. Its likely cause is the failing voting
  gate build of another change that ended closest before the cancel, at
  most :data:`CAUSE_SLACK` earlier. Zuul's builds list has no queue data,
  so the cause is an inference from times, never a record.

This module imports neither Sphinx nor docutils.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from crosswork.kinds.ci.model import (
    BUCKETS,
    CANCELED,
    FAILURE,
    INFRA,
    SUCCESS,
    Build,
)

COUNTED = (SUCCESS, FAILURE, INFRA)
GATE = "gate"


def counted(builds: Iterable[Build]) -> list[Build]:
    """The builds rates count: final, with a success, failure or infra result."""
    return [b for b in builds if b.final and b.bucket in COUNTED]


def bucket_counts(builds: Iterable[Build]) -> dict[str, int]:
    found = Counter(b.bucket for b in builds)
    return {bucket: found[bucket] for bucket in BUCKETS}


def failure_rate(builds: Iterable[Build]) -> float | None:
    """Test failures over successes plus test failures (final builds)."""
    found = Counter(b.bucket for b in counted(builds))
    total = found[SUCCESS] + found[FAILURE]
    return found[FAILURE] / total if total else None


def infra_rate(builds: Iterable[Build]) -> float | None:
    """Infrastructure failures over every counted build."""
    found = Counter(b.bucket for b in counted(builds))
    total = sum(found.values())
    return found[INFRA] / total if total else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest rank: the value at 1-based rank ``ceil(q * n)`` of the sorted values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


def durations(builds: Iterable[Build]) -> list[float]:
    """Durations of finished final success and failure builds."""
    return [
        b.duration
        for b in builds
        if b.final and b.bucket in (SUCCESS, FAILURE) and b.duration is not None
    ]


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


@dataclass(frozen=True)
class FlakySignal:
    """A failed build of a job, and the later success on the same patchset."""

    failed: Build
    passed: Build


def _order(build: Build) -> tuple[dt.datetime, str]:
    moment = build.start or build.end or dt.datetime.min.replace(tzinfo=dt.UTC)
    return (moment, build.uuid or "")


def flaky_signals(builds: Iterable[Build]) -> list[FlakySignal]:
    """Recheck-flaky signals: a test failure followed, on the same project,
    change and patchset, by a success of the same job (no new patchset)."""
    groups: dict[tuple[str, int, str, str], list[Build]] = defaultdict(list)
    for build in builds:
        if build.change is not None and build.patchset is not None and build.final:
            groups[(build.project, build.change, build.patchset, build.job)].append(
                build
            )
    signals = []
    for group in groups.values():
        ordered = sorted(group, key=_order)
        for index, build in enumerate(ordered):
            if build.bucket != FAILURE:
                continue
            later = next((b for b in ordered[index + 1 :] if b.bucket == SUCCESS), None)
            if later is not None:
                signals.append(FlakySignal(build, later))
    return sorted(signals, key=lambda s: _order(s.failed))


#: Pipelines whose changes queue behind each other (Zuul's dependent
#: manager), where a failure resets the changes behind it. The builds list
#: does not say how a pipeline is managed: by convention ``gate`` is.
DEPENDENT_PIPELINES = (GATE,)
#: How long before a cancel a failing build may have ended to be its cause.
CAUSE_SLACK = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Rerun:
    """A gate build canceled and run again on the same patchset, and the
    failing build of another change that most plausibly reset it."""

    canceled: Build
    rerun: Build
    cause: Build | None


@dataclass(frozen=True)
class GateResets:
    """The reset-induced reruns of one dependent pipeline over the window."""

    pipeline: str
    #: Builds of the pipeline in the window (any result).
    builds: int
    reruns: tuple[Rerun, ...] = ()

    @property
    def unexplained(self) -> int:
        """Reruns for which no failing build fits the rule."""
        return sum(1 for r in self.reruns if r.cause is None)

    def causes(self) -> list[tuple[Build, tuple[Rerun, ...]]]:
        """Each likely cause with the reruns put down to it, most first."""
        grouped: dict[str, list[Rerun]] = defaultdict(list)
        builds: dict[str, Build] = {}
        for rerun in self.reruns:
            if rerun.cause is not None:
                grouped[rerun.cause.key].append(rerun)
                builds[rerun.cause.key] = rerun.cause
        return sorted(
            ((builds[key], tuple(found)) for key, found in grouped.items()),
            key=lambda pair: (-len(pair[1]), _order(pair[0])),
        )


def _moment(build: Build) -> dt.datetime | None:
    """When a canceled build stopped: its end, else its start."""
    return build.end or build.start


def failing_builds(builds: Iterable[Build]) -> list[Build]:
    """Final voting builds that failed (test or infrastructure) and ended:
    each one fails its change and resets the changes queued behind it."""
    return [
        b
        for b in builds
        if b.final and b.voting and b.bucket in (FAILURE, INFRA) and b.end is not None
    ]


def likely_cause(canceled: Build, failures: Sequence[Build]) -> Build | None:
    """The failing build of another change that ended at the cancel or at
    most :data:`CAUSE_SLACK` before it, the latest such; None when none fits
    (or the canceled build has no time)."""
    moment = _moment(canceled)
    if moment is None:
        return None
    fitting = [
        f
        for f in failures
        if f.end is not None
        and (f.project, f.change) != (canceled.project, canceled.change)
        and moment - CAUSE_SLACK <= f.end <= moment
    ]
    if not fitting:
        return None
    return max(fitting, key=lambda f: (f.end, f.key))


def reset_reruns(builds: Iterable[Build], pipeline: str = GATE) -> list[Rerun]:
    """Canceled builds of ``pipeline`` run again later on the same project,
    change, patchset and job, oldest first, each with its likely cause."""
    scope = [b for b in builds if b.pipeline == pipeline]
    failures = failing_builds(scope)
    groups: dict[tuple[str, int, str, str], list[Build]] = defaultdict(list)
    for build in scope:
        if build.change is not None and build.patchset is not None:
            groups[(build.project, build.change, build.patchset, build.job)].append(
                build
            )
    reruns = []
    for group in groups.values():
        ordered = sorted(group, key=_order)
        for index, build in enumerate(ordered):
            if build.bucket == CANCELED and index + 1 < len(ordered):
                cause = likely_cause(build, failures)
                reruns.append(Rerun(build, ordered[index + 1], cause))
    return sorted(reruns, key=lambda r: _order(r.canceled))


def gate_resets(builds: Sequence[Build]) -> dict[str, GateResets]:
    """Per dependent pipeline with builds in the window, its reruns; a
    pipeline without builds is left out (no data is not zero resets)."""
    found = {}
    for pipeline in DEPENDENT_PIPELINES:
        count = sum(1 for b in builds if b.pipeline == pipeline)
        if count:
            found[pipeline] = GateResets(
                pipeline, count, tuple(reset_reruns(builds, pipeline))
            )
    return found


@dataclass(frozen=True)
class JobStats:
    """What one job did in one pipeline over the window."""

    pipeline: str
    job: str
    projects: tuple[str, ...]
    voting: bool
    builds: int
    #: Final builds with a success, failure or infra result.
    counted: int
    buckets: Mapping[str, int]
    failure_rate: float | None
    infra_rate: float | None
    median: float | None
    p90: float | None
    flaky: tuple[FlakySignal, ...] = ()
    #: The newest failed build, an example to read.
    last_failure: Build | None = None

    @property
    def key(self) -> str:
        return history_key(self.pipeline, self.job)


def history_key(pipeline: str, job: str) -> str:
    return f"{pipeline}|{job}"


def job_stats(
    builds: Sequence[Build],
    followed: Iterable[tuple[str, str]] = (),
) -> list[JobStats]:
    """Per pipeline and job, sorted by pipeline then job.

    ``followed`` names (pipeline, job) pairs a track follows: those without
    a build in the window are listed with ``builds == 0`` and no rates.
    """
    groups: dict[tuple[str, str], list[Build]] = defaultdict(list)
    for build in builds:
        groups[(build.pipeline, build.job)].append(build)
    for pair in followed:
        groups.setdefault(pair, [])
    signals = defaultdict(list)
    for signal in flaky_signals(builds):
        signals[(signal.failed.pipeline, signal.failed.job)].append(signal)
    stats = []
    for (pipeline, job), group in sorted(groups.items()):
        times = durations(group)
        failures = [b for b in group if b.bucket == FAILURE]
        stats.append(
            JobStats(
                pipeline=pipeline,
                job=job,
                projects=tuple(sorted({b.project for b in group})),
                voting=not group or any(b.voting for b in group),
                builds=len(group),
                counted=len(counted(group)),
                buckets=bucket_counts(group),
                failure_rate=failure_rate(group),
                infra_rate=infra_rate(group),
                median=median(times),
                p90=percentile(times, 0.9),
                flaky=tuple(signals[(pipeline, job)]),
                last_failure=max(failures, key=_order) if failures else None,
            )
        )
    return stats


@dataclass(frozen=True)
class GateHealth:
    """The head of the Quality page: the gate's rate and its worst jobs."""

    builds: int
    failure_rate: float | None
    infra_rate: float | None
    flakiest: tuple[JobStats, ...] = ()
    slowest: tuple[JobStats, ...] = ()
    non_voting: tuple[JobStats, ...] = ()
    jobs: tuple[JobStats, ...] = field(default_factory=tuple)
    #: Per dependent pipeline with builds in the window; empty without any.
    resets: Mapping[str, GateResets] = field(default_factory=dict)


def gate_health(
    builds: Sequence[Build], stats: Sequence[JobStats], top: int = 5
) -> GateHealth:
    """Overall failure rate of voting gate builds (every build in the window
    when no gate pipeline is followed); the jobs with the most flaky
    signals; the slowest voting jobs by 90th percentile duration; the
    gate resets."""
    gate = [b for b in builds if b.pipeline == GATE and b.voting]
    scope = gate or [b for b in builds if b.voting]
    voting = [s for s in stats if s.voting]
    flakiest = sorted(
        (s for s in voting if s.flaky),
        key=lambda s: (-len(s.flaky), -(s.failure_rate or 0), s.pipeline, s.job),
    )[:top]
    slowest = sorted(
        (s for s in voting if s.p90 is not None),
        key=lambda s: (-(s.p90 or 0), s.pipeline, s.job),
    )[:top]
    return GateHealth(
        builds=len(counted(scope)),
        failure_rate=failure_rate(scope),
        infra_rate=infra_rate(scope),
        flakiest=tuple(flakiest),
        slowest=tuple(slowest),
        non_voting=tuple(s for s in stats if not s.voting),
        jobs=tuple(stats),
        resets=gate_resets(builds),
    )


def breakdown(builds: Sequence[Build]) -> dict[str, int]:
    """Figures kept in the daily history: per pipeline and job, counted
    builds, test failures and infra failures."""
    figures: dict[str, int] = {}
    for build in counted(builds):
        key = history_key(build.pipeline, build.job)
        for name in ("counted", build.bucket):
            figures[f"{key}|{name}"] = figures.get(f"{key}|{name}", 0) + 1
    return figures


def rate_trend(
    days: Iterable[tuple[dt.date, Mapping[str, int]]], key: str
) -> list[tuple[dt.date, float]]:
    """The failure rate of one ``pipeline|job`` key per day of history,
    from the breakdowns the fetch recorded; days without builds are left out."""
    points = []
    for day, figures in days:
        runs = figures.get(f"{key}|{SUCCESS}", 0) + figures.get(f"{key}|{FAILURE}", 0)
        if runs:
            points.append((day, figures.get(f"{key}|{FAILURE}", 0) / runs))
    return points


def trend_word(points: Sequence[tuple[dt.date, float]]) -> str:
    """``rising``, ``falling`` or ``steady`` from the first to the last point
    (a change under 5 points of rate is steady); ``new`` with one point."""
    if len(points) < 2:
        return "new"
    change = points[-1][1] - points[0][1]
    if change > 0.05:
        return "rising"
    if change < -0.05:
        return "falling"
    return "steady"


def pipeline_rate_trend(
    days: Iterable[tuple[dt.date, Mapping[str, int]]], pipeline: str
) -> list[tuple[dt.date, float]]:
    """The failure rate of every job of one pipeline together, per day."""
    merged = []
    for day, figures in days:
        total: Counter[str] = Counter()
        for key, value in figures.items():
            parts = key.split("|")
            if len(parts) == 3 and parts[0] == pipeline:
                total[f"{pipeline}|*|{parts[2]}"] += value
        merged.append((day, dict(total)))
    return rate_trend(merged, f"{pipeline}|*")
