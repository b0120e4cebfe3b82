"""The ``workgroup-dashboard`` directive: a card per workgroup on the home page.

Each card holds the workgroup's figures: its next meeting, its specs under
review and in progress, and what every data kind's ``glance`` hook gives
(:mod:`crosswork.dashboard.model`). Figures are read from the snapshot
through :class:`~crosswork.specs.boardnodes.Board`, which registers every
source (and the history, for trends) so the page is re-read when the data
changes; charters are registered too.

Two things depend on the time of the build, not on the data: the age of
the data in words and the next meeting. They are filled in when the page
is written (:mod:`crosswork.site.writetime`), and the page is written
again when the age in words or the next meeting changes, not on every
build. The time of the build is ``SOURCE_DATE_EPOCH`` when set, so a build
can be reproduced.

Figures link to the pages they summarize: a link holds a docname and an
anchor until the page is written, when the builder makes it relative.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.osutil import relative_uri

from crosswork import __version__
from crosswork.buildtime import build_time
from crosswork.charts import sparkline
from crosswork.dashboard.model import (
    MEETINGS_PAGE,
    Card,
    Glance,
    age_words,
    card,
    meeting_words,
    next_meeting,
    sample_words,
    spec_glances,
    trend_words,
    utc_words,
)
from crosswork.fetch.view import HEALTHY
from crosswork.site.data import SiteData, site_data
from crosswork.site.datanodes import DataDirective, chart_node
from crosswork.site.health import snapshot_time
from crosswork.site.pagedata import DataState, data_state
from crosswork.site.warnings import warn
from crosswork.site.writetime import FILL_EVENT, fill_later
from crosswork.specs.board import proposals_of
from crosswork.specs.boardnodes import Board
from crosswork.workgroups.sphinxext import calendar_asset

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

    from crosswork.workgroups.model import Workgroup


class data_age(nodes.General, nodes.Element):
    """Replaced by the age of the data in words when the page is written."""


class meeting_slot(nodes.General, nodes.Element):
    """Replaced by a workgroup's next meeting (``workgroup``) when the page
    is written."""


# --- Reading ------------------------------------------------------------------------


class WorkgroupDashboard(DataDirective):
    """Every workgroup's figures at a glance, each linking to its page."""

    def run(self) -> list[nodes.Node]:
        fill_later(self.env)
        board = Board(self.env)
        site = board.page.site
        grid = nodes.container(classes=["crosswork-dashboard"])
        for workgroup in site.registry:
            board.page.file(site.path(workgroup.source))
            grid += card_node(cards_of(workgroup, site, board))
        return [data_age(), grid]


def cards_of(workgroup: Workgroup, site: SiteData, board: Board) -> Card:
    """The workgroup's figures: specs first, then each kind's in kind order."""
    sources = [s for s in board.proposal_sources() if board.read(s).snapshot]
    proposals = proposals_of(board.proposals(), workgroup.slug) if sources else None
    glances = spec_glances(workgroup, site.specs_of(workgroup.slug), proposals, sources)
    for kind in site.kinds:
        glances += kind.glance_of(workgroup, site, board.read)
    return card(workgroup, glances)


def card_node(shown: Card) -> nodes.container:
    box = nodes.container(classes=["crosswork-card"])
    title = nodes.paragraph(classes=["crosswork-card-title"])
    title += nodes.strong("", "", page_link(shown.name, f"workgroups/{shown.slug}"))
    box += title
    items = nodes.bullet_list(classes=["crosswork-glances"])
    items += meeting_slot(workgroup=shown.slug)
    items.extend(glance_item(glance) for glance in shown.glances)
    box += items
    return box


def glance_item(glance: Glance) -> nodes.list_item:
    """Label, figure (linked), the note, a sparkline, and where it came from."""
    item = nodes.list_item(classes=["crosswork-glance"])
    item["crosswork_sources"] = list(glance.sources)
    item += nodes.paragraph("", glance.label, classes=["crosswork-glance-label"])
    figure = nodes.paragraph(classes=["crosswork-glance-figure"])
    figure += page_link(glance.figure, glance.docname, glance.anchor)
    item += figure
    if glance.note:
        item += nodes.paragraph("", glance.note, classes=["crosswork-glance-note"])
    words = trend_words(glance)
    if words:
        title = (glance.trend_label or glance.label).capitalize()
        spark = sparkline(glance.trend, title=title)
        # The words are beside the line, so its text alternative is its title.
        item += chart_node(spark, title, classes=["crosswork-sparkline"])
        item += nodes.paragraph("", words, classes=["crosswork-glance-trend"])
    if glance.origin:
        origin = f"Source: {glance.origin}"
        item += nodes.paragraph("", origin, classes=["crosswork-glance-origin"])
    return item


def page_link(text: str, docname: str, anchor: str = "") -> nodes.reference:
    """A link to a page of the site, made relative when the page is written."""
    return nodes.reference(
        "", text, internal=True, crosswork_page=docname, crosswork_anchor=anchor
    )


# --- Writing ------------------------------------------------------------------------


def fill_dashboard(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Links, the data's age, data-health marks and the next meetings."""
    if next(doctree.findall(data_age), None) is None:
        return
    now = build_time()
    site, state = site_data(app.env), data_state(app.env)
    for node in list(doctree.findall(data_age)):
        node.replace_self(age_paragraph(state, now))
    for node in list(doctree.findall(meeting_slot)):
        workgroup = site.registry.workgroups.get(node["workgroup"])
        found = meeting_item(app, docname, workgroup, now) if workgroup else None
        if found is None:
            node.parent.remove(node)
        else:
            node.replace_self(found)
    for item in list(doctree.findall(nodes.list_item)):
        if "crosswork-glance" in item["classes"]:
            mark_health(item, state)
    resolve_page_links(app, doctree, docname)


def age_paragraph(state: DataState, now: dt.datetime) -> nodes.paragraph:
    fetched = snapshot_time(state.folder) if state.folder else None
    if fetched is None:
        text = "No data has been fetched yet: the figures below are the charters'."
    else:
        text = f"Data {age_words(fetched, now)}, as of this build."
        samples = [status.sample for status in state.statuses.values()]
        text = " ".join(filter(None, [text, sample_words(samples)]))
    return nodes.paragraph("", text, classes=["crosswork-data-age"])


def meeting_item(
    app: Sphinx, docname: str, workgroup: Workgroup, now: dt.datetime
) -> nodes.list_item | None:
    found = next_meeting(workgroup.meetings, now)
    if found is None:
        return None
    meeting, start = found
    item = glance_item(
        Glance(
            "Next meeting",
            meeting_words(start),
            MEETINGS_PAGE,
            f"meetings-{workgroup.slug}",
            note=f"{meeting.title}, in {meeting.channel}",
            origin="the charter's meeting slots",
        )
    )
    page = app.builder.get_target_uri(docname)
    calendar = nodes.paragraph(classes=["crosswork-glance-note"])
    calendar += nodes.reference(
        "",
        "Add to a calendar",
        refuri=relative_uri(page, calendar_asset(workgroup.slug)),
    )
    item.insert(3, calendar)
    return item


def mark_health(item: nodes.list_item, state: DataState) -> None:
    """Say beside a figure when a source it is read from is not healthy."""
    sources: Sequence[str] = item.get("crosswork_sources", ())
    for source in sources:
        view = state.view(source)
        if view.state in HEALTHY or view.snapshot is None:
            continue
        words = f"{view.state} data, as of {utc_words(view.snapshot.fetched_at)}"
        item += nodes.paragraph("", words, classes=["crosswork-glance-health"])


def resolve_page_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for node in list(doctree.findall(nodes.reference)):
        target = node.get("crosswork_page")
        if target is None:
            continue
        if target not in app.env.all_docs:
            warn("data", f"dashboard figure links to a missing page: {target}", node)
            node.replace_self(nodes.inline("", "", *node.children))
            continue
        uri = app.builder.get_relative_uri(docname, target)
        anchor = node.get("crosswork_anchor")
        node["refuri"] = f"{uri}#{anchor}" if anchor else uri


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("crosswork.site.sphinxext")
    app.add_node(data_age)
    app.add_node(meeting_slot)
    app.add_directive("workgroup-dashboard", WorkgroupDashboard)
    app.add_css_file("dashboard.css")
    app.connect(FILL_EVENT, fill_dashboard)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
