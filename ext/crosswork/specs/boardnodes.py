"""The specs board as docutils nodes: a spec's progress, proposals, work in progress.

Every figure comes from a data kind's hook (:mod:`crosswork.specs.board`)
and is read from the snapshot through :class:`~crosswork.site.pagedata.PageData`,
so each page depends on the sources it shows and says how old they are.
Upstream text (review subjects, owners) only ever becomes text nodes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from docutils import nodes

from crosswork.charts import trend_chart, trend_text
from crosswork.fetch.view import SourceView, reader_time
from crosswork.site import datanodes
from crosswork.site.pagedata import PageData, freshness_nodes
from crosswork.specs.board import (
    SpecState,
    age_in_words,
    in_progress,
    open_proposals,
    proposal_sources,
    spec_state,
)
from crosswork.specs.progress import Progress, Proposal

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

    from crosswork.specs.model import Spec


class Board:
    """The board as one page reads it: every source it touches is noted."""

    def __init__(self, env: BuildEnvironment, *, for_page: bool = True) -> None:
        self.env = env
        self.page = PageData(env)
        self.kinds = self.page.site.kinds
        #: Outside a page (the API, written once the build ends) nothing is
        #: registered: there is no page to re-read.
        self.for_page = for_page
        self.views: dict[str, SourceView] = {}

    def read(self, source_id: str) -> SourceView:
        if source_id not in self.views:
            view = (
                self.page.source(source_id)
                if self.for_page
                else self.page.state.view(source_id)
            )
            if self.for_page:
                # A figure may draw its trend from the history.
                self.page.history(source_id)
            self.views[source_id] = view
        return self.views[source_id]

    def state(self, spec: Spec) -> SpecState:
        return spec_state(spec, self.page.site, self.kinds, self.read)

    def proposals(self) -> list[Proposal]:
        return open_proposals(self.page.site, self.kinds, self.read)

    def proposal_sources(self) -> list[str]:
        return proposal_sources(self.page.site, self.kinds)

    def in_progress(self, specs: Iterable[Spec]) -> list[SpecState]:
        return in_progress(self.state(spec) for spec in specs)

    def as_of(self, source_ids: Iterable[str]) -> dt.datetime | None:
        """When the oldest of these sources was fetched."""
        moments = [
            view.snapshot.fetched_at
            for source in source_ids
            if (view := self.read(source)).snapshot is not None
        ]
        return min(moments, default=None)

    def notices(
        self, sources: Iterable[tuple[str, str]], label: str
    ) -> list[nodes.Node]:
        """For ``(source id, what it holds)`` pairs: a warning for each source
        that is not fresh, naming what and whose, then one as-of line."""
        described = dict(sorted(set(sources)))
        result: list[nodes.Node] = []
        for source, what in described.items():
            if self.read(source).state != "fresh":
                result.extend(
                    node
                    for node in freshness_nodes(
                        self.read(source), self.whose(source, what)
                    )
                    if isinstance(node, nodes.admonition)
                )
        moment = self.as_of(described)
        if moment is None:
            return result
        text = f"{label.capitalize()} as of {reader_time(moment)}, "
        if any(self.read(source).freshness().sample for source in described):
            text = f"Sample {label} as of {reader_time(moment)}: "
            text += "served by a stand-in for the upstream, not by the upstream itself."
        else:
            text += "from the data snapshot."
        result.append(nodes.paragraph("", text, classes=["crosswork-data-as-of"]))
        return result

    def whose(self, source_id: str, what: str) -> str:
        """ "the tracking bugs of Consistency": a source as a reader knows it."""
        workgroup = self.page.site.registry.workgroups.get(source_id.split(".")[0])
        return f"the {what} of {workgroup.name}" if workgroup else f"the {what}"


def figure_sources(figures: Iterable[Progress]) -> list[tuple[str, str]]:
    return [
        (source, figure.label.lower())
        for figure in figures
        for source in figure.sources
    ]


def progress_block(state: SpecState, board: Board) -> list[nodes.Node]:
    """The "Progress" block under a spec's metadata; nothing when no data
    speaks of the spec. A block, not a section: it sits before the prose."""
    if not state.progress:
        return []
    section = nodes.container(classes=["crosswork-spec-progress"])
    section += nodes.rubric("", "Progress")
    fields = nodes.field_list()
    for figure in state.progress:
        body = nodes.field_body("", progress_paragraph(figure, board))
        if figure.trend:
            body += trend_node(figure, state.spec)
        fields += nodes.field("", nodes.field_name("", figure.label), body)
    section += fields
    section.extend(board.notices(figure_sources(state.progress), "progress figures"))
    return [section]


def progress_paragraph(figure: Progress, board: Board) -> nodes.paragraph:
    paragraph = nodes.paragraph("", "")
    if figure.state:
        paragraph += datanodes.badge(figure.state, f"review-{figure.state}")
        paragraph += nodes.Text(" ")
    paragraph += nodes.Text(figure.summary)
    if figure.updated is not None:
        now = board.as_of(figure.sources) or figure.updated
        paragraph += nodes.Text(
            f"; last activity {figure.updated:%Y-%m-%d}"
            f" ({age_in_words(figure.updated, now)} before the snapshot)"
        )
    if figure.links:
        paragraph += nodes.Text(". ")
        paragraph += datanodes.join(
            datanodes.external_link(link.text, link.url) for link in figure.links
        )
    return paragraph


def trend_node(figure: Progress, spec: Spec) -> nodes.Element:
    noun = figure.trend_label or figure.label.lower()
    points = [(day, {noun: int(value)}) for day, value in figure.trend]
    title = f"{figure.label} for {spec.title}"
    measure = f"{noun.capitalize()} per snapshot day"
    svg = trend_chart(points, title=title, measure=measure, noun=noun.rstrip("s"))
    alt = trend_text(points, measure=measure)
    return datanodes.chart_node(svg, alt, classes=["crosswork-spec-trend"])


def proposals_table(
    proposals: Sequence[Proposal], fromdoc: str, board: Board
) -> nodes.Node:
    """Open proposals, oldest activity first, or a sentence saying there are none."""
    if not board.proposal_sources():
        return nodes.paragraph(
            "", "No code review is followed yet: no charter has a reviews track."
        )
    if not proposals:
        return nodes.paragraph("", "No spec is under review now.")
    site = board.page.site
    rows: list[list[datanodes.Cell]] = []
    for proposal in proposals:
        spec = site.specs_by_id.get(proposal.spec_id)
        title: datanodes.Cell = (
            datanodes.doc_link(spec.title, f"specs/{spec.id}", fromdoc)
            if spec
            else datanodes.join([proposal.title, f" (new: {proposal.path})"], "")
        )
        workgroup = site.registry.workgroups.get(proposal.workgroup)
        now = board.as_of([proposal.source]) or proposal.updated
        rows.append(
            [
                title,
                datanodes.doc_link(
                    workgroup.name, f"workgroups/{workgroup.slug}", fromdoc
                )
                if workgroup
                else "unknown",
                proposal.owner,
                "; ".join(f"{label} {votes}" for label, votes in proposal.votes)
                or "no votes",
                f"{proposal.updated:%Y-%m-%d} ({age_in_words(proposal.updated, now)})",
                datanodes.external_link(
                    f"{proposal.service} {proposal.number}", proposal.url
                ),
            ]
        )
    return datanodes.table(
        ["Proposal", "Workgroup", "Owner", "Votes", "Last activity", "Review"],
        rows,
        classes=["crosswork-proposals"],
    )


def progress_table(states: Sequence[SpecState], fromdoc: str) -> nodes.Node:
    """Approved specs with their figures in words."""
    if not states:
        return nodes.paragraph("", "No approved spec is in progress.")
    rows: list[list[datanodes.Cell]] = []
    for state in states:
        spec = state.spec
        figures = [
            f"{figure.label}: {figure.summary}"
            for figure in state.progress
            if figure.key != "review"
        ]
        rows.append(
            [
                datanodes.doc_link(spec.title, f"specs/{spec.id}", fromdoc),
                spec.cycle,
                "; ".join(figures) or "no measurable target",
            ]
        )
    return datanodes.table(
        ["Spec", "Cycle", "Progress"], rows, classes=["crosswork-in-progress"]
    )


def board_sections(
    board: Board, specs: Sequence[Spec], proposals: Sequence[Proposal], fromdoc: str
) -> list[nodes.section]:
    """ "Under review" and "In progress", with the age of their data."""
    under_review = datanodes.section("Under review", "under-review")
    under_review += nodes.paragraph(
        "",
        "Open code reviews that add or change a spec, the longest waiting first.",
    )
    under_review += proposals_table(proposals, fromdoc, board)
    reviews = [(source, "spec reviews") for source in board.proposal_sources()]
    under_review.extend(board.notices(reviews, "review data"))
    states = board.in_progress(specs)
    progress = datanodes.section("In progress", "in-progress")
    progress += nodes.paragraph(
        "", "Approved specs and what the data says of their targets."
    )
    progress += progress_table(states, fromdoc)
    figures = [figure for state in states for figure in state.progress]
    progress.extend(board.notices(figure_sources(figures), "progress figures"))
    return [under_review, progress]
