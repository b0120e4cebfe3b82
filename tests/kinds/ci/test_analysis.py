"""Rates, percentiles and flaky signals, checked against hand counts.

The data set is small and in the recorded build shape (pre-10, flat), so
every figure below is worked out by hand in the test's comments.
"""

from __future__ import annotations

import datetime as dt

from crosswork.kinds.ci.analysis import (
    breakdown,
    failure_rate,
    flaky_signals,
    gate_health,
    infra_rate,
    job_stats,
    percentile,
    rate_trend,
    trend_word,
)
from crosswork.kinds.ci.model import Build, normalize_build


def build(
    uuid: str,
    job: str,
    result: str | None,
    *,
    start: str,
    duration: float | None = 100.0,
    change: int | None = 100,
    patchset: str | None = "1",
    pipeline: str = "gate",
    voting: bool = True,
    final: bool = True,
) -> Build:
    """A build payload as Zuul before 10 sends it (flat ref fields)."""
    return normalize_build(
        {
            "uuid": uuid,
            "job_name": job,
            "result": result,
            "start_time": start,
            "end_time": None,
            "duration": duration,
            "voting": voting,
            "final": final,
            "log_url": None,
            "project": "openstack/nova",
            "branch": "master",
            "pipeline": pipeline,
            "change": change,
            "patchset": patchset,
            "buildset": {"uuid": f"set-{uuid}"},
        }
    )


#: tempest-full in gate: 10 builds.
#:   change 1 ps 1: FAILURE (300 s) then SUCCESS (310 s)       -> 1 flaky signal
#:   change 2 ps 1: FAILURE (320 s), FAILURE (330 s), SUCCESS   -> 2 flaky signals
#:   change 3 ps 1: FAILURE (340 s); ps 2: SUCCESS (350 s)      -> new patchset: none
#:   change 4 ps 1: NODE_FAILURE, then SUCCESS (360 s)          -> infra: none
#:   change 5 ps 1: SKIPPED                                     -> not counted
#: successes 5 (310, 350, 360 and two more below), failures 4, infra 1.
TEMPEST = [
    build(
        "a1",
        "tempest-full",
        "FAILURE",
        start="2026-11-01T10:00:00",
        duration=300,
        change=1,
    ),
    build(
        "a2",
        "tempest-full",
        "SUCCESS",
        start="2026-11-01T12:00:00",
        duration=310,
        change=1,
    ),
    build(
        "b1",
        "tempest-full",
        "FAILURE",
        start="2026-11-02T10:00:00",
        duration=320,
        change=2,
    ),
    build(
        "b2",
        "tempest-full",
        "FAILURE",
        start="2026-11-02T11:00:00",
        duration=330,
        change=2,
    ),
    build(
        "b3",
        "tempest-full",
        "SUCCESS",
        start="2026-11-02T12:00:00",
        duration=290,
        change=2,
    ),
    build(
        "c1",
        "tempest-full",
        "FAILURE",
        start="2026-11-03T10:00:00",
        duration=340,
        change=3,
    ),
    build(
        "c2",
        "tempest-full",
        "SUCCESS",
        start="2026-11-03T12:00:00",
        duration=350,
        change=3,
        patchset="2",
    ),
    build(
        "d1",
        "tempest-full",
        "NODE_FAILURE",
        start="2026-11-04T10:00:00",
        duration=None,
        change=4,
    ),
    build(
        "d2",
        "tempest-full",
        "SUCCESS",
        start="2026-11-04T12:00:00",
        duration=360,
        change=4,
    ),
    build(
        "e1",
        "tempest-full",
        "SKIPPED",
        start="2026-11-05T10:00:00",
        duration=None,
        change=5,
    ),
]

#: A non-voting job, and a retried attempt that is not final.
OTHERS = [
    build("n1", "nova-next", "FAILURE", start="2026-11-01T10:00:00", voting=False),
    build("n2", "nova-next", "SUCCESS", start="2026-11-01T11:00:00", voting=False),
    build("r1", "nova-grenade", "RETRY", start="2026-11-01T10:00:00", final=False),
    build("r2", "nova-grenade", "SUCCESS", start="2026-11-01T11:00:00", duration=900),
]


def test_failure_rate_counts_test_failures_only() -> None:
    # Counted: 4 SUCCESS + 4 FAILURE + 1 NODE_FAILURE; SKIPPED is left out.
    # failure rate = 4 / (4 + 4) = 0.5; infra rate = 1 / 9.
    assert failure_rate(TEMPEST) == 0.5
    assert infra_rate(TEMPEST) == 1 / 9


def test_the_90th_percentile_is_the_nearest_rank() -> None:
    # Durations of finished success and failure builds, sorted:
    # 290 300 310 320 330 340 350 360 (8 values; NODE_FAILURE and SKIPPED
    # have none). Rank ceil(0.9 * 8) = ceil(7.2) = 8 -> 360.
    # Median of 8 values: (320 + 330) / 2 = 325.
    stats = job_stats(TEMPEST)[0]
    assert stats.p90 == 360
    assert stats.median == 325
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == 9
    assert percentile([], 0.9) is None


def test_a_recheck_that_passed_on_the_same_patchset_is_a_flaky_signal() -> None:
    # change 1: a1 failed, a2 passed              -> (a1, a2)
    # change 2: b1 and b2 failed, b3 passed        -> (b1, b3), (b2, b3)
    # change 3: the success is on a new patchset   -> none
    # change 4: the failure was infrastructure     -> none
    signals = flaky_signals(TEMPEST)
    assert [(s.failed.uuid, s.passed.uuid) for s in signals] == [
        ("a1", "a2"),
        ("b1", "b3"),
        ("b2", "b3"),
    ]


def test_jobs_are_per_pipeline_and_non_voting_apart() -> None:
    stats = {s.job: s for s in job_stats(TEMPEST + OTHERS)}
    assert stats["tempest-full"].builds == 10
    assert stats["tempest-full"].buckets["skipped"] == 1
    assert len(stats["tempest-full"].flaky) == 3
    assert stats["nova-next"].voting is False
    # The RETRY attempt is not final: 1 counted build, a rate of 0.
    assert stats["nova-grenade"].counted == 1
    assert stats["nova-grenade"].failure_rate == 0.0
    assert stats["nova-grenade"].infra_rate == 0.0

    health = gate_health(TEMPEST + OTHERS, list(stats.values()))
    assert [s.job for s in health.non_voting] == ["nova-next"]
    assert [s.job for s in health.flakiest] == ["tempest-full"]
    assert [s.job for s in health.slowest] == ["nova-grenade", "tempest-full"]
    # Voting gate builds: tempest 9 counted + nova-grenade 1 final = 10;
    # failures 4 of 4 + 5 successes -> 4 / 9.
    assert health.builds == 10
    assert health.failure_rate == 4 / 9


def test_a_followed_job_without_builds_says_so() -> None:
    stats = job_stats(TEMPEST, followed=[("gate", "grenade")])
    empty = next(s for s in stats if s.job == "grenade")
    assert empty.builds == 0
    assert empty.failure_rate is None and empty.p90 is None


def test_the_history_keeps_a_trend_per_job() -> None:
    figures = breakdown(TEMPEST)
    assert figures["gate|tempest-full|counted"] == 9
    assert figures["gate|tempest-full|failure"] == 4
    assert figures["gate|tempest-full|infra"] == 1
    days = [
        (
            dt.date(2026, 11, 1),
            {"gate|tempest-full|success": 9, "gate|tempest-full|failure": 1},
        ),
        (dt.date(2026, 11, 2), {}),
        (dt.date(2026, 11, 3), figures),
    ]
    points = rate_trend(days, "gate|tempest-full")
    assert points == [(dt.date(2026, 11, 1), 0.1), (dt.date(2026, 11, 3), 0.5)]
    assert trend_word(points) == "rising"
    assert trend_word(points[:1]) == "new"
