"""Bug pages: lists, summaries, triage queues and charts.

Directives (``bug-list``, ``bug-summary``, ``triage-queue``) and the
"Open bugs" section of charter pages render the bug tracks of the
charters from the data snapshot. Every block starts with the freshness
notices of the sources it shows, read through
:class:`~crosswork.site.pagedata.PageData`, which registers them for
incremental rebuilds.

Charts are published by the data layer's one chart publisher. Each page
remembers the history it charted, so a fetch re-reads only the pages whose
trend moved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from crosswork import __version__
from crosswork.fetch.snapshot import HistoryEntry
from crosswork.fetch.view import SourceView
from crosswork.kinds.bugs import RECORD
from crosswork.kinds.bugs.blocks import (
    bug_list,
    count_paragraph,
    summary_nodes,
    triage_rule,
    triage_sentence,
    triage_table,
)
from crosswork.kinds.bugs.export import (
    API_NAME,
    SCHEMA_VERSION,
    section_id,
    track_record,
)
from crosswork.kinds.bugs.figures import (
    Figure,
    importance_figure,
    status_figure,
    trend_figure,
)
from crosswork.kinds.bugs.provider import bugs_of
from crosswork.kinds.bugs.select import TRIAGE_DAYS, BugFilter, SortOrder, triage_queue
from crosswork.kinds.bugs.summary import summarize
from crosswork.kinds.bugs.tracks import Track, bug_tracks
from crosswork.kinds.bugs.vocabulary import IMPORTANCES, STATUSES, canonical
from crosswork.site import datanodes
from crosswork.site.api import page_url, write_api
from crosswork.site.data import site_data
from crosswork.site.datanodes import chart_node
from crosswork.site.pagedata import (
    CHARTER_SECTIONS_EVENT,
    PageData,
    add_kind,
    data_state,
)
from crosswork.site.publication import publishes
from crosswork.site.warnings import warn
from crosswork.workgroups.model import Workgroup

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

#: Bugs listed per track on a charter page; the rest are counted.
CHARTER_LIMIT = 25
CHARTS = ("status", "importance", "trend")

ShownHistory = dict[str, tuple[HistoryEntry, ...]]


# --- Reading a page ----------------------------------------------------------


class Reading(PageData):
    """The page being read: a directive's or a charter section's."""

    def track_notices(self, track: Track) -> tuple[SourceView, list[nodes.Node]]:
        """The track's data, registered, and the notices its blocks start with."""
        self.file(track.charter)
        view = self.source(track.id)
        return view, self.notices(view, f"{track.label} (track {track.path})")

    def tracks_history(self, tracks: Sequence[Track]) -> ShownHistory:
        """The history of ``tracks`` that has days, each remembered as shown."""
        shown = {track.id: self.history(track.id) for track in tracks}
        return {source: entries for source, entries in shown.items() if entries}

    def chart(self, figure: Figure) -> nodes.Element:
        return chart_node(figure.svg, figure.alt)


# --- Blocks of a page --------------------------------------------------------


def list_block(
    reading: Reading,
    track: Track,
    rule: BugFilter,
    order: SortOrder,
    limit: int | None,
) -> list[nodes.Node]:
    view, result = reading.track_notices(track)
    if view.snapshot is not None:
        result += bug_list(view.snapshot, rule, order, limit)
    return result


def summary_block(
    reading: Reading, track: Track, view: SourceView, charts: Iterable[str]
) -> list[nodes.Node]:
    """Counts by status and importance: a sentence, a table and charts."""
    if view.snapshot is None:
        return []
    complete = view.snapshot.complete
    summary = summarize(bugs_of(view.snapshot))
    result = summary_nodes(summary, complete=complete)
    if not summary.total:
        return result
    if "status" in charts:
        figure = status_figure(track.label, summary, complete=complete)
        result.append(reading.chart(figure))
    if "importance" in charts and summary.has_importance:
        figure = importance_figure(track.label, summary, complete=complete)
        result.append(reading.chart(figure))
    return result


def trend_block(reading: Reading, tracks: Sequence[Track]) -> list[nodes.Node]:
    """The tracks' counts over time, once a fetch has recorded any."""
    history = reading.tracks_history(tracks)
    if not history:
        return []
    labels = {track.id: track.path for track in tracks}
    intro = nodes.paragraph(
        "", "Bug count of each track on each day a fetch confirmed its data."
    )
    return [intro, reading.chart(trend_figure(history, labels))]


def triage_block(
    reading: Reading, tracks: Sequence[Track], older_than: int, limit: int | None
) -> list[nodes.Node]:
    """Untriaged bugs older than ``older_than`` days, oldest first."""
    usable = [track for track in tracks if track.can_hold_untriaged]
    if not usable:
        return [nodes.paragraph("", "No track here searches Launchpad for New bugs.")]
    result: list[nodes.Node] = []
    batches = []
    partial = False
    for track in usable:
        view, shown = reading.track_notices(track)
        result += shown
        partial = partial or view.snapshot is None or not view.snapshot.complete
        if view.snapshot is not None:
            batches.append((view.snapshot.fetched_at, bugs_of(view.snapshot)))
    queue = triage_queue(batches, older_than)
    result.append(triage_rule(older_than))
    result.append(count_paragraph(triage_sentence(len(queue), partial, older_than)))
    if queue:
        result.append(triage_table(queue[:limit]))
    return result


# --- Directives --------------------------------------------------------------


def words(text: str | None) -> list[str]:
    """Comma-separated values, trimmed; "In Progress" keeps its space."""
    return [word.strip() for word in (text or "").split(",") if word.strip()]


def chart_list(text: str | None) -> tuple[str, ...]:
    chosen = tuple(word.lower() for word in words(text))
    if chosen == ("none",):
        return ()
    unknown = [word for word in chosen if word not in CHARTS]
    if unknown:
        raise ValueError(
            f"unknown chart(s) {', '.join(unknown)}: use {', '.join(CHARTS)} or none"
        )
    return chosen


class BugDirective(datanodes.DataDirective):
    """Shared by the directives that show bug tracks: choosing the tracks."""

    option_spec: ClassVar[dict[str, Any]] = {
        "track": directives.unchanged_required,
        "workgroup": directives.unchanged_required,
    }

    @property
    def reading(self) -> Reading:
        return Reading(self.env)

    def tracks(self) -> list[Track]:
        """The tracks named by ``:track:`` and ``:workgroup:`` (all if none).

        A name that matches nothing is a content error, reported where the
        directive is.
        """
        site = self.reading.site
        everything = bug_tracks(site)
        named = set(words(self.options.get("track")))
        groups = set(words(self.options.get("workgroup")))
        for name in sorted(named - {track.id for track in everything}):
            message = f"no bug track {name!r} (write <workgroup>.bugs.<name>)"
            warn("data", message, self.get_location())
        for slug in sorted(groups - set(site.registry.workgroups)):
            warn("data", f"no workgroup {slug!r}", self.get_location())
        if not named and not groups:
            return everything
        return [t for t in everything if t.id in named or t.workgroup in groups]

    def heading(self, track: Track) -> list[nodes.Node]:
        """The track's name, its workgroup's page, and its search."""
        workgroup = self.reading.site.registry[track.workgroup]
        rubric = nodes.rubric("", track.name + " (")
        rubric += datanodes.doc_link(
            workgroup.name, f"workgroups/{workgroup.slug}", self.env.docname
        )
        rubric += nodes.Text(")")
        return [rubric, nodes.paragraph("", track.search, classes=["crosswork-search"])]

    def vocabulary(self, option: str, known: tuple[str, ...]) -> list[str]:
        """The values of ``option``, each checked against the trackers' words."""
        values = []
        for word in words(self.options.get(option)):
            spelled = canonical(word, known)
            if spelled is None:
                message = f":{option}: {word!r} is not one of {', '.join(known)}"
                warn("data", message, self.get_location())
            values.append(spelled or word)
        return values


class BugList(BugDirective):
    """Bugs of the chosen tracks that pass the filters, one table per track."""

    option_spec: ClassVar[dict[str, Any]] = {
        **BugDirective.option_spec,
        "status": directives.unchanged_required,
        "importance": directives.unchanged_required,
        "tag": directives.unchanged_required,
        "older-than": directives.nonnegative_int,
        "newer-than": directives.nonnegative_int,
        "sort": SortOrder.parse,
        "limit": directives.positive_int,
    }

    def run(self) -> list[nodes.Node]:
        rule = BugFilter.of(
            statuses=self.vocabulary("status", STATUSES),
            importances=self.vocabulary("importance", IMPORTANCES),
            tags=words(self.options.get("tag")),
            older_than=self.options.get("older-than"),
            newer_than=self.options.get("newer-than"),
        )
        order = self.options.get("sort", SortOrder())
        result: list[nodes.Node] = []
        for track in self.tracks():
            block = nodes.container(classes=["crosswork-bug-list"])
            block += self.heading(track)
            block += list_block(
                self.reading, track, rule, order, self.options.get("limit")
            )
            result.append(block)
        return result


class BugSummary(BugDirective):
    """Counts by status and importance per track, with charts and a trend."""

    option_spec: ClassVar[dict[str, Any]] = {
        **BugDirective.option_spec,
        "charts": chart_list,
    }

    def run(self) -> list[nodes.Node]:
        charts = self.options.get("charts", CHARTS)
        tracks = self.tracks()
        result: list[nodes.Node] = []
        for track in tracks:
            block = nodes.container(classes=["crosswork-bug-summary"])
            view, shown = self.reading.track_notices(track)
            block += self.heading(track) + shown
            block += summary_block(self.reading, track, view, charts)
            result.append(block)
        if "trend" in charts:
            result += trend_block(self.reading, tracks)
        return result


class TriageQueue(BugDirective):
    """New, untriaged bugs of the chosen tracks, oldest first."""

    option_spec: ClassVar[dict[str, Any]] = {
        **BugDirective.option_spec,
        "older-than": directives.nonnegative_int,
        "limit": directives.positive_int,
    }

    def run(self) -> list[nodes.Node]:
        block = nodes.container(classes=["crosswork-triage-queue"])
        block += triage_block(
            self.reading,
            self.tracks(),
            self.options.get("older-than", TRIAGE_DAYS),
            self.options.get("limit"),
        )
        return [block]


# --- Charter sections --------------------------------------------------------


def charter_bugs(
    app: Sphinx, env: BuildEnvironment, workgroup: Workgroup
) -> list[nodes.section]:
    """The "Open bugs" section of a charter page: trend, triage queue, tracks."""
    reading = Reading(env)
    tracks = [t for t in bug_tracks(reading.site) if t.workgroup == workgroup.slug]
    if not tracks:
        return []
    intro = nodes.paragraph(
        "",
        "The bug tracks this charter declares, as of the data snapshot. "
        f"Each track lists its {CHARTER_LIMIT} most important bugs.",
    )
    section = datanodes.section("Open bugs", "open-bugs", intro)
    section += trend_block(reading, tracks)
    if any(track.can_hold_untriaged for track in tracks):
        queue = triage_block(reading, tracks, TRIAGE_DAYS, None)
        section += datanodes.section("Waiting for triage", "waiting-for-triage", *queue)
    for track in tracks:
        view, shown = reading.track_notices(track)
        search = nodes.paragraph("", track.search, classes=["crosswork-search"])
        part = datanodes.section(track.name, section_id(track), search, *shown)
        part += summary_block(reading, track, view, ("status", "importance"))
        if view.snapshot is not None:
            part += bug_list(
                view.snapshot, BugFilter(), SortOrder(), CHARTER_LIMIT, counted=True
            )
        section += part
    return [section]


# --- Build steps -------------------------------------------------------------


def publish(app: Sphinx, exception: BaseException | None) -> None:
    """``api/bugs.json``: every charter bug track; none without tracks."""
    if not publishes(app, exception):
        return
    tracks = bug_tracks(site_data(app.env))
    if not tracks:
        return
    state = data_state(app.env)
    records = []
    for track in tracks:
        view = state.view(track.id)
        bugs = bugs_of(view.snapshot) if view.snapshot else ()
        page = page_url(app, f"workgroups/{track.workgroup}", section_id(track))
        records.append(track_record(track, view, bugs, page))
    write_api(app, API_NAME, SCHEMA_VERSION, {"tracks": records})


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("crosswork.site.pagedata")
    add_kind(app, RECORD)
    app.add_css_file("bugs.css")
    app.add_directive("bug-list", BugList)
    app.add_directive("bug-summary", BugSummary)
    app.add_directive("triage-queue", TriageQueue)
    app.connect(CHARTER_SECTIONS_EVENT, charter_bugs)
    app.connect("build-finished", publish)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
