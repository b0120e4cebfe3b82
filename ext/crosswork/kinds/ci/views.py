"""Docutils nodes and SVG charts of gate health (no Sphinx here).

Job names and links come from the upstream: names are text nodes (never
markup), and a build link is made only by
:func:`crosswork.site.datanodes.external_link`, which keeps https links to
allowlisted hosts and shows anything else as text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from docutils import nodes

from crosswork.charts import Bar, bar_chart, plural
from crosswork.kinds.ci.analysis import GateHealth, JobStats
from crosswork.kinds.ci.model import Build
from crosswork.site import datanodes


def percent(rate: float | None) -> str:
    return "no counted builds" if rate is None else f"{rate * 100:.1f}%"


def seconds(value: float | None) -> str:
    if value is None:
        return "-"
    minutes, rest = divmod(round(value), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def build_link(label: str, build: Build | None) -> nodes.Node:
    if build is None or build.log_url is None:
        return nodes.Text(label)
    return datanodes.external_link(label, build.log_url)


def change_label(build: Build) -> str:
    return f"change {build.change},{build.patchset}"


def gate_summary(health: GateHealth, trend: str) -> nodes.paragraph:
    if not health.builds:
        return nodes.paragraph("", "No counted gate builds in the window.")
    return nodes.paragraph(
        "",
        f"Gate failure rate: {percent(health.failure_rate)} of"
        f" {plural(health.builds, 'counted build')}, infrastructure failures apart"
        f" ({percent(health.infra_rate)}); trend: {trend}.",
        classes=["crosswork-ci-gate"],
    )


def flakiest_table(jobs: Sequence[JobStats], trends: Mapping[str, str]) -> nodes.Node:
    if not jobs:
        return nodes.paragraph(
            "",
            "No recheck-flaky signals in the window: no job failed and then"
            " passed on the same patchset.",
        )
    rows = []
    for stats in jobs:
        example = stats.flaky[-1]
        cell = nodes.inline()
        cell += build_link(f"failed on {change_label(example.failed)}", example.failed)
        cell += nodes.Text(", then ")
        cell += build_link("passed", example.passed)
        rows.append(
            [
                stats.job,
                stats.pipeline,
                str(len(stats.flaky)),
                percent(stats.failure_rate),
                trends.get(stats.key, "new"),
                cell,
            ]
        )
    return datanodes.table(
        ["Job", "Pipeline", "Flaky signals", "Failure rate", "Trend", "Example"],
        rows,
        classes=["crosswork-ci-flaky"],
    )


def slowest_table(jobs: Sequence[JobStats], trends: Mapping[str, str]) -> nodes.Node:
    if not jobs:
        return nodes.paragraph("", "No finished builds with a duration in the window.")
    rows = [
        [
            s.job,
            s.pipeline,
            seconds(s.median),
            seconds(s.p90),
            trends.get(s.key, "new"),
        ]
        for s in jobs
    ]
    return datanodes.table(
        ["Job", "Pipeline", "Median", "90th percentile", "Trend"],
        rows,
        classes=["crosswork-ci-slowest"],
    )


def jobs_table(jobs: Sequence[JobStats], trends: Mapping[str, str]) -> nodes.Node:
    if not jobs:
        return nodes.paragraph("", "No jobs in the window.")
    rows = []
    for s in jobs:
        if not s.builds:
            rows.append([s.job, s.pipeline, "No builds in the window", "", "", "", ""])
            continue
        rows.append(
            [
                s.job,
                s.pipeline,
                f"{s.counted} of {s.builds}",
                percent(s.failure_rate),
                percent(s.infra_rate),
                f"{seconds(s.median)} / {seconds(s.p90)}",
                f"{len(s.flaky)}, {trends.get(s.key, 'new')}",
            ]
        )
    return datanodes.table(
        [
            "Job",
            "Pipeline",
            "Counted builds",
            "Failure rate",
            "Infra rate",
            "Median / p90",
            "Flaky signals, trend",
        ],
        rows,
        classes=["crosswork-ci-jobs"],
    )


def failure_chart(title: str, jobs: Sequence[JobStats]) -> tuple[str, str]:
    """Failure rate per voting job with counted builds, highest first: the
    SVG and its words."""
    shown = sorted(
        (s for s in jobs if s.voting and s.failure_rate is not None),
        key=lambda s: (-(s.failure_rate or 0), s.pipeline, s.job),
    )[:10]
    bars = [
        Bar(
            f"{s.job} ({s.pipeline})",
            s.failure_rate or 0.0,
            percent(s.failure_rate),
            f"{s.job} in {s.pipeline}: {percent(s.failure_rate)} of"
            f" {plural(s.counted, 'counted build')}",
        )
        for s in shown
    ]
    words = "; ".join(bar.tooltip for bar in bars) or "No counted builds."
    ticks = [(share / 4, f"{share * 25}%") for share in range(5)]
    svg = bar_chart(title, f"Failure rate per job. {words}", bars, ticks, kind="ci")
    return svg, f"Failure rate per job. {words}"
