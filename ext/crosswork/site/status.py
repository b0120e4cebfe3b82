"""The site status page and the snapshot date: the health of every source.

``data-status`` shows every declared or known source of every data kind
with its state after the last fetch run; ``data-snapshot-date`` shows when
that run ended. Both change on every fetch run: they are filled in from
the status file when the page is written (:mod:`crosswork.site.writetime`),
so a refresh re-reads no page, and their pages are written again only when
what they show changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from docutils import nodes

from crosswork.datakind import DataKind
from crosswork.fetch.sources import collect_sources
from crosswork.fetch.view import reader_time
from crosswork.site import datanodes
from crosswork.site.api import page_url, write_api
from crosswork.site.data import SiteData, site_data
from crosswork.site.health import snapshot_time, source_rows, status_records
from crosswork.site.pagedata import DataState, data_state, kinds_of
from crosswork.site.publication import publishes
from crosswork.site.writetime import FILL_EVENT, fill_later, filled_pages

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


class status_table(nodes.General, nodes.Element):
    """Replaced by the table of every source when the page is written."""


class snapshot_date(nodes.General, nodes.Element):
    """Replaced by the snapshot's date when the page is written."""


class DataStatus(datanodes.DataDirective):
    """Every data source's state, from the status file of the last fetch."""

    def run(self) -> list[nodes.Node]:
        fill_later(self.env)
        return [status_table()]


class DataSnapshotDate(datanodes.DataDirective):
    """When the live data on the site was last fetched."""

    def run(self) -> list[nodes.Node]:
        fill_later(self.env)
        return [snapshot_date()]


STATUS_HEADERS = (
    "Source",
    "Track",
    "Workgroup",
    "Kind",
    "State",
    "Items",
    "Fetched at",
    "Validated at",
    "Last error",
)


def declared_sources(site: SiteData, kinds: Sequence[DataKind]) -> dict[str, str]:
    """Every source the charters and specs declare: its id, and what it asks
    of whom in words ("Launchpad: nova, status New")."""
    return {
        source.id: source.query.describe()
        for source in collect_sources(site.registry, kinds, site.specs)
    }


def status_nodes(
    site: SiteData, state: DataState, kinds: Sequence[DataKind]
) -> list[nodes.Node]:
    folder = state.folder
    updated = snapshot_time(folder) if folder else None
    intro = "No fetch has run yet: every source is missing."
    if updated:
        intro = (
            "State of each source after the fetch run that ended at"
            f" {reader_time(updated)}."
        )
    declared = declared_sources(site, kinds)
    rows = [
        [
            row.what,
            nodes.literal("", row.source),
            row.workgroup,
            row.kind,
            datanodes.badge(row.state, row.state),
            row.items,
            row.fetched_at,
            row.validated_at,
            row.error,
        ]
        for row in source_rows(state.statuses, declared)
    ]
    table = datanodes.table(STATUS_HEADERS, rows, classes=["crosswork-status"])
    sample = sum(1 for status in state.statuses.values() if status.sample)
    if sample:
        intro += (
            f" {sample} of {len(state.statuses)} sources hold sample data, served by"
            " a stand-in for their upstream rather than the upstream itself; every"
            " page built from them says so."
        )
    return [nodes.paragraph("", intro), table]


def snapshot_date_nodes(state: DataState) -> list[nodes.Node]:
    folder = state.folder
    updated = snapshot_time(folder) if folder else None
    text = "The live data on this site has not been fetched yet."
    if updated:
        text = f"The live data on this site was last fetched at {reader_time(updated)}."
    samples = [status.sample for status in state.statuses.values()]
    if all(samples) and samples:
        text += " It is sample data from a stand-in for the upstreams, not live data."
    elif any(samples):
        text += (
            " Some of it is sample data from a stand-in for the upstreams, not live"
            " data: the status page lists which."
        )
    return [nodes.paragraph("", text, classes=["crosswork-snapshot-date"])]


def fill_status(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put the current status into the pages (or assembled trees) that show it."""
    site, state = site_data(app.env), data_state(app.env)
    for node in list(doctree.findall(status_table)):
        node.replace_self(status_nodes(site, state, kinds_of(app)))
    for node in list(doctree.findall(snapshot_date)):
        node.replace_self(snapshot_date_nodes(state))


#: ``api/status.json``'s shape version.
STATUS_API_VERSION = 1


def status_table_page(env: BuildEnvironment) -> str | None:
    """The page showing the status table (not only the snapshot date)."""
    for docname in sorted(filled_pages(env).keys() & env.all_docs.keys()):
        if any(env.get_doctree(docname).findall(status_table)):
            return docname
    return None


def publish_status(app: Sphinx, exception: BaseException | None) -> None:
    """``api/status.json``: every source's state, when a page shows the table."""
    if not publishes(app, exception):
        return
    docname = status_table_page(app.env)
    if docname is None:
        return
    site, state = site_data(app.env), data_state(app.env)
    declared = declared_sources(site, kinds_of(app))
    records = status_records(state.statuses, declared, page_url(app, docname))
    write_api(app, "status", STATUS_API_VERSION, {"sources": records})


def setup_status(app: Sphinx) -> None:
    """Register the status directives and their bookkeeping (site extension)."""
    app.add_node(status_table)
    app.add_node(snapshot_date)
    app.add_directive("data-status", DataStatus)
    app.add_directive("data-snapshot-date", DataSnapshotDate)
    app.connect(FILL_EVENT, fill_status)
    app.connect("build-finished", publish_status)
