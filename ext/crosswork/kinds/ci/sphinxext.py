"""CI builds on the site: gate health on charter pages, a page per track,
``api/ci.json``.

Each ``ci`` track gets a section on its workgroup's charter page, placed
before the other kinds' sections: the gate failure rate, the five
flakiest and the slowest jobs, each with its trend over the snapshot
history, and a chart of failure rates. The generated page
``ci/<source id>`` lists every job of the track; ``ci/index`` lists the
tracks. At ``build-finished`` ``api/ci.json`` is written beside the HTML,
only when its bytes change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docutils import nodes

from crosswork import __version__
from crosswork.fetch.snapshot import HISTORY_FILE, load_history
from crosswork.kinds.ci import RECORD
from crosswork.kinds.ci.analysis import (
    GATE,
    GateHealth,
    gate_health,
    job_stats,
    pipeline_rate_trend,
    rate_trend,
    trend_word,
)
from crosswork.kinds.ci.export import (
    API_NAME,
    SCHEMA_VERSION,
    ci_document,
    track_record,
)
from crosswork.kinds.ci.model import Build, BuildError
from crosswork.kinds.ci.provider import builds_of
from crosswork.kinds.ci.tracks import CiTrack, ci_tracks, find_track
from crosswork.kinds.ci.views import (
    failure_chart,
    flakiest_table,
    gate_summary,
    jobs_table,
    resets_summary,
    resets_table,
    slowest_table,
)
from crosswork.site import datanodes
from crosswork.site.api import page_url, write_api
from crosswork.site.data import SiteData, site_data
from crosswork.site.datanodes import chart_node
from crosswork.site.pagedata import (
    CHARTER_SECTIONS_EVENT,
    SECTIONS_EVENT,
    PageData,
    add_kind,
    data_state,
)
from crosswork.site.pages import stub, toctree
from crosswork.site.publication import publishes
from crosswork.workgroups.model import Workgroup

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

SECTION = "ci"


def page_docname(track: CiTrack) -> str:
    return f"{SECTION}/{track.source_id}"


def ci_pages(app: Sphinx, site: SiteData) -> dict[str, dict[str, str]]:
    """The stub pages of the ``ci`` section (none without tracks)."""
    ids = [track.source_id for track in ci_tracks(site.registry)]
    if not ids:
        return {SECTION: {}}
    pages = {"index.rst": stub(".. ci-index::", *toctree(ids))}
    pages |= {f"{i}.rst": stub(f".. ci-page:: {i}") for i in ids}
    return {SECTION: pages}


@dataclass(frozen=True)
class Shown:
    """A track's builds and figures as one page shows them."""

    track: CiTrack
    notices: list[nodes.Node]
    health: GateHealth | None = None
    trends: Mapping[str, str] | None = None
    gate_trend: str = "new"


def history_days(env: BuildEnvironment, source_id: str) -> list[tuple[Any, Any]]:
    folder = data_state(env).folder
    entries = PageData(env).history(source_id)
    if folder is None or not (folder / HISTORY_FILE).is_file():
        return []
    return [(e.day, e.breakdown) for e in entries]


def load_shown(env: BuildEnvironment, track: CiTrack) -> Shown:
    page = PageData(env)
    view = page.source(track.source_id)
    notices = page.notices(view, f"Zuul tenant {track.tenant}")
    if view.snapshot is None:
        return Shown(track, notices)
    try:
        builds = builds_of(view.snapshot)
    except (BuildError, KeyError, TypeError, ValueError):
        box = nodes.admonition(classes=["crosswork-data-warning", "warning"])
        box += nodes.title("", "Data warning")
        box += nodes.paragraph("", "The snapshot of these builds is malformed.")
        return Shown(track, [*notices, box])
    return shown_from(env, track, notices, builds)


def shown_from(
    env: BuildEnvironment,
    track: CiTrack,
    notices: list[nodes.Node],
    builds: tuple[Build, ...],
) -> Shown:
    stats = job_stats(builds, followed=track.followed())
    health = gate_health(builds, stats)
    days = history_days(env, track.source_id)
    trends = {s.key: trend_word(rate_trend(days, s.key)) for s in stats}
    return Shown(
        track,
        notices,
        health,
        trends,
        trend_word(pipeline_rate_trend(days, GATE)),
    )


def window_line(track: CiTrack) -> nodes.paragraph:
    parts = [f"Zuul tenant {track.tenant}"]
    if track.projects:
        parts.append("projects " + ", ".join(track.projects))
    if track.pipelines:
        parts.append("pipelines " + ", ".join(track.pipelines))
    if track.jobs:
        parts.append("jobs " + ", ".join(track.jobs))
    return nodes.paragraph("", "; ".join(parts) + f"; over {track.window}.")


def charter_ci(
    app: Sphinx, env: BuildEnvironment, workgroup: Workgroup
) -> list[nodes.section]:
    """The charter's gate health section, one part per CI track."""
    tracks = ci_tracks([workgroup])
    if not tracks:
        return []
    section = datanodes.section("Gate health", "gate-health")
    for track in tracks:
        part = datanodes.section(track.title, f"ci-{track.name}")
        shown = load_shown(env, track)
        part.extend(shown.notices)
        part += window_line(track)
        if shown.health is not None:
            trends = shown.trends or {}
            part += gate_summary(shown.health, shown.gate_trend)
            part += nodes.rubric("", "Flakiest jobs")
            part += flakiest_table(shown.health.flakiest, trends, track.tenant)
            part += resets_summary(shown.health.resets, track.tenant)
            part += nodes.rubric("", "Slowest jobs")
            part += slowest_table(shown.health.slowest, trends)
            svg, alt = failure_chart(f"{track.title}: failure rate", shown.health.jobs)
            part += chart_node(svg, alt)
        more = nodes.paragraph("", "Every job, its rates and durations: ")
        more += datanodes.doc_link(track.title, page_docname(track), env.docname)
        more += nodes.Text(".")
        part += more
        section += part
    return [section]


class CiDirective(datanodes.DataDirective):
    @property
    def site(self) -> SiteData:
        return site_data(self.env)


class CiPage(CiDirective):
    """The page of one CI track: every job of its window."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        track = find_track(ci_tracks(self.site.registry), self.arguments[0])
        if track is None:
            return [nodes.paragraph("", f"No CI track {self.arguments[0]}.")]
        shown = load_shown(self.env, track)
        page = datanodes.section(track.title, track.source_id)
        page.extend(shown.notices)
        page += window_line(track)
        if shown.health is not None:
            trends = shown.trends or {}
            health = shown.health
            page += gate_summary(health, shown.gate_trend)
            voting = [s for s in health.jobs if s.voting]
            page += datanodes.section(
                "Voting jobs", "voting-jobs", jobs_table(voting, trends)
            )
            if health.non_voting:
                page += datanodes.section(
                    "Non-voting jobs",
                    "non-voting-jobs",
                    nodes.paragraph(
                        "",
                        "Not counted in the gate figures: their failures"
                        " block nothing.",
                    ),
                    jobs_table(health.non_voting, trends),
                )
            page += datanodes.section(
                "Flaky signals",
                "flaky-signals",
                flakiest_table(
                    [s for s in health.jobs if s.flaky], trends, track.tenant
                ),
            )
            page += datanodes.section(
                "Gate resets",
                "gate-resets",
                resets_summary(health.resets, track.tenant),
                *resets_table(health.resets, track.tenant),
            )
        return [page]


class CiIndex(CiDirective):
    """The index of CI tracks."""

    def run(self) -> list[nodes.Node]:
        rows = []
        for track in ci_tracks(self.site.registry):
            rows.append(
                [
                    datanodes.doc_link(
                        track.title, page_docname(track), self.env.docname
                    ),
                    self.site.registry[track.workgroup].name,
                    track.tenant,
                    track.window,
                ]
            )
        intro = nodes.paragraph(
            "",
            "Gate health from Zuul build results: failure rates with"
            " infrastructure failures apart, durations and flaky signals.",
        )
        table = datanodes.table(
            ["Track", "Workgroup", "Tenant", "Window"], rows, classes=["crosswork-ci"]
        )
        return [datanodes.section("CI builds", "ci-builds", intro, table)]


def publish(app: Sphinx, exception: BaseException | None) -> None:
    """``api/ci.json`` beside the HTML, written only when it changes."""
    if not publishes(app, exception):
        return
    site = site_data(app.env)
    tracks = ci_tracks(site.registry)
    if not tracks:
        return
    state = data_state(app.env)
    records = []
    for track in tracks:
        view = state.view(track.source_id)
        health, trends = None, {}
        if view.snapshot is not None:
            try:
                builds = builds_of(view.snapshot)
            except (BuildError, KeyError, TypeError, ValueError):
                builds = None
            if builds is not None:
                stats = job_stats(builds, followed=track.followed())
                health = gate_health(builds, stats)
                days = []
                folder = state.folder
                if folder is not None and (folder / HISTORY_FILE).is_file():
                    days = [
                        (e.day, e.breakdown)
                        for e in load_history(folder).get(track.source_id, [])
                    ]
                trends = {s.key: trend_word(rate_trend(days, s.key)) for s in stats}
        records.append(
            track_record(
                track,
                health,
                as_of=view.snapshot.fetched_at if view.snapshot else None,
                state=view.state,
                trends=trends,
                page=page_url(app, page_docname(track)),
            )
        )
    write_api(app, API_NAME, SCHEMA_VERSION, ci_document(records))


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("crosswork.site.pagedata")
    add_kind(app, RECORD)
    app.add_directive("ci-page", CiPage)
    app.add_directive("ci-index", CiIndex)
    app.connect(SECTIONS_EVENT, ci_pages)
    # Before the other kinds' sections: the Quality page leads with gate health.
    app.connect(CHARTER_SECTIONS_EVENT, charter_ci, priority=400)
    app.connect("build-finished", publish)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
