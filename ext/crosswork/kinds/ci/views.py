"""Docutils nodes and SVG charts of gate health (no Sphinx here).

Job names and links come from the upstream: names are text nodes (never
markup), and a build link is made only by
:func:`crosswork.site.datanodes.external_link`, which keeps https links to
allowlisted hosts and shows anything else as text. A build links to its
page on the Zuul web UI (log servers are arbitrary hosts); its log link
only when there is no page and the log host is allowlisted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from docutils import nodes

from crosswork.charts import Bar, bar_chart, plural
from crosswork.kinds.ci.analysis import (
    CAUSE_SLACK,
    GateHealth,
    GateResets,
    JobStats,
    Rerun,
)
from crosswork.kinds.ci.model import CI_HOSTS, Build, build_page_url
from crosswork.site import datanodes


def percent(rate: float | None) -> str:
    return "no counted builds" if rate is None else f"{rate * 100:.1f}%"


def seconds(value: float | None) -> str:
    if value is None:
        return "-"
    minutes, rest = divmod(round(value), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def build_url(build: Build, tenant: str) -> str | None:
    """The build's Zuul page, else its allowlisted log link, else None."""
    return build_page_url(tenant, build.uuid) or build.log_url


def build_link(label: str, build: Build | None, tenant: str) -> nodes.Node:
    url = None if build is None else build_url(build, tenant)
    if url is None:
        return nodes.Text(label)
    return datanodes.external_link(label, url, CI_HOSTS)


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


def flakiest_table(
    jobs: Sequence[JobStats], trends: Mapping[str, str], tenant: str
) -> nodes.Node:
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
        cell += build_link(
            f"failed on {change_label(example.failed)}", example.failed, tenant
        )
        cell += nodes.Text(", then ")
        cell += build_link("passed", example.passed, tenant)
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


#: Why a reset's cause is a guess, said wherever causes are shown.
INFERRED = (
    "Inferred from build times: Zuul's build list does not say which changes"
    " shared a queue, so a cause is the failing voting gate build of another"
    " change that ended closest before the cancel (at most"
    f" {plural(round(CAUSE_SLACK.total_seconds() / 60), 'minute')} before)."
)


def outcome_label(build: Build) -> str:
    """``<job> <RESULT> on change <n>,<ps>`` (no result while running)."""
    result = f" {build.result}" if build.result else ""
    return f"{build.job}{result} on {change_label(build)}"


def resets_summary(
    resets: Mapping[str, GateResets], tenant: str, pipeline: str = "gate"
) -> nodes.paragraph:
    """ "Gate resets: N, caused by ..." with example builds; no gate builds
    is said outright, never shown as zero."""
    found = resets.get(pipeline)
    if found is None:
        return nodes.paragraph(
            "",
            "Gate resets: no gate builds in the window.",
            classes=["crosswork-ci-resets"],
        )
    para = nodes.paragraph("", "", classes=["crosswork-ci-resets"])
    if not found.reruns:
        para += nodes.Text(
            f"Gate resets: none in {plural(found.builds, 'gate build')}: no"
            " canceled gate build was run again on the same patchset."
        )
        return para
    para += nodes.Text(f"Gate resets: {plural(len(found.reruns), 'rerun')}")
    causes = found.causes()
    if causes:
        para += nodes.Text(", caused by ")
        for index, (cause, reruns) in enumerate(causes[:3]):
            if index:
                para += nodes.Text("; ")
            para += build_link(outcome_label(cause), cause, tenant)
            para += nodes.Text(f" ({plural(len(reruns), 'rerun')}, e.g. ")
            para += rerun_links(reruns[0], tenant)
            para += nodes.Text(")")
        if len(causes) > 3:
            para += nodes.Text(f"; {plural(len(causes) - 3, 'other failure')}")
    if found.unexplained:
        para += nodes.Text(
            f"; {found.unexplained} with no failing build found to explain them"
        )
    para += nodes.Text(f". {INFERRED}")
    return para


def rerun_links(rerun: Rerun, tenant: str) -> nodes.inline:
    cell = nodes.inline()
    cell += build_link(outcome_label(rerun.canceled), rerun.canceled, tenant)
    cell += nodes.Text(", ")
    cell += build_link("rerun", rerun.rerun, tenant)
    return cell


def resets_table(
    resets: Mapping[str, GateResets], tenant: str, limit: int = 25
) -> list[nodes.Node]:
    """Every reset rerun, newest first, with its likely cause; nothing
    when there is none (the summary says so)."""
    reruns = [r for found in resets.values() for r in found.reruns]
    if not reruns:
        return []
    rows = []
    for rerun in list(reversed(reruns))[:limit]:
        cause = rerun.cause
        rows.append(
            [
                rerun.canceled.pipeline,
                rerun_links(rerun, tenant),
                build_link(outcome_label(cause), cause, tenant)
                if cause is not None
                else nodes.Text("not found"),
            ]
        )
    return [
        datanodes.table(
            ["Pipeline", "Canceled build, then", "Likely cause (inferred)"],
            rows,
            classes=["crosswork-ci-resets"],
        )
    ]


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
