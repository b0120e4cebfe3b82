"""Rendering from the data snapshot: freshness, live mode, incremental reads.

Directives get a source's data through :func:`source_view`, which registers
the snapshot file as a dependency and records what the page says about the
source's freshness. A fetch rewrites a snapshot file only when its data
changes, and ``env-get-outdated`` re-reads a page only when a freshness fact
it shows changed, so a refresh re-reads just the pages of the sources that
moved.

Fetch problems are warnings of subtype ``crosswork.fetch``: shown, typed and
located at the snapshot file, but an upstream outage must never fail a
``-W`` build, so they are taken back out of Sphinx's warning count.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from crosswork.fetch.run import fetch_all
from crosswork.fetch.snapshot import load_status
from crosswork.fetch.sources import collect_sources
from crosswork.fetch.view import (
    Freshness,
    SourceView,
    notices,
    read_view,
    source_file,
)
from crosswork.site.data import SiteData, site_data
from crosswork.site.warnings import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

LIVE_VARIABLE = "CROSSWORK_LIVE"
#: Where live mode keeps the snapshot it fetches, inside the doctree folder,
#: so that a build never writes into the repository.
LIVE_FOLDER = "crosswork-snapshot"

_FETCH_WARNINGS = "crosswork_fetch_warnings"


def live_mode(app: Sphinx) -> bool:
    return bool(app.config.crosswork_live) or os.environ.get(LIVE_VARIABLE) == "1"


def attach_snapshot(app: Sphinx, site: SiteData) -> SiteData:
    """Find the snapshot to render from (fetching it in live mode)."""
    committed = site.layout.root / app.config.crosswork_snapshot_dir
    folder = committed
    if live_mode(app):
        folder = Path(app.doctreedir) / LIVE_FOLDER
        seed_live_folder(committed, folder)
        fetch_all(
            collect_sources(site.registry),
            folder,
            clock=lambda: dt.datetime.now(dt.UTC),
        )
    statuses = load_status(folder)
    unhealthy = 0
    for source_id, status in sorted(statuses.items()):
        if status.state not in {"fresh", "not-modified"}:
            reason = f" ({status.error_kind}: {status.error})" if status.error else ""
            where = site.layout.label(source_file(folder, source_id))
            warn("fetch", f"{source_id} is {status.state}{reason}", f"{where}:1")
            unhealthy += 1
    setattr(app, _FETCH_WARNINGS, unhealthy)
    return replace(site, snapshot_folder=folder, statuses=statuses)


def seed_live_folder(committed: Path, live: Path) -> None:
    """Start live fetching from the committed data, once."""
    if live.is_dir() or not committed.is_dir():
        return
    shutil.copytree(committed, live)


def forgive_fetch_warnings(app: Sphinx, exception: BaseException | None) -> None:
    """Keep ``crosswork.fetch`` warnings out of ``-W``: outages never fail."""
    app._warncount -= min(getattr(app, _FETCH_WARNINGS, 0), app._warncount)


def source_view(directive: SphinxDirective, source_id: str) -> SourceView:
    """A source's data for the current page, registered for rebuilds."""
    env = directive.env
    site = site_data(Path(env.srcdir))
    folder = site.snapshot_folder
    if folder is None:
        raise RuntimeError("the snapshot is attached at builder-inited")
    view = read_view(folder, source_id, site.statuses)
    path = source_file(folder, source_id)
    if path.is_file():
        env.note_dependency(str(path))
    freshness_of(env).setdefault(env.docname, {})[source_id] = view.freshness()
    return view


def freshness_nodes(view: SourceView, label: str) -> list[nodes.Node]:
    """The notices a data block starts with: as-of line, stale, missing."""
    result: list[nodes.Node] = []
    for notice in notices(view, label):
        if notice.level == "warning":
            box = nodes.admonition(classes=["crosswork-data-warning", "warning"])
            box += nodes.title("", "Data warning")
            box += nodes.paragraph("", notice.text)
            result.append(box)
        else:
            result.append(
                nodes.paragraph("", notice.text, classes=["crosswork-data-as-of"])
            )
    return result


def freshness_of(env: BuildEnvironment) -> dict[str, dict[str, Freshness]]:
    """Per page, the freshness facts it showed for each of its sources."""
    if not hasattr(env, "crosswork_freshness"):
        env.crosswork_freshness = {}
    return env.crosswork_freshness


def outdated_by_freshness(
    app: Sphinx,
    env: BuildEnvironment,
    added: set[str],
    changed: set[str],
    removed: set[str],
) -> list[str]:
    """Pages whose sources' freshness changed since they were read."""
    site = site_data(Path(env.srcdir))
    folder = site.snapshot_folder
    if folder is None:
        return []
    current: dict[str, Freshness] = {}

    def freshness_now(source_id: str) -> Freshness:
        if source_id not in current:
            view = read_view(folder, source_id, site.statuses)
            current[source_id] = view.freshness()
        return current[source_id]

    return [
        docname
        for docname, shown in freshness_of(env).items()
        if any(freshness_now(source) != before for source, before in shown.items())
    ]


def purge_freshness(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    freshness_of(env).pop(docname, None)


def merge_freshness(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: Any
) -> None:
    theirs = getattr(other, "crosswork_freshness", {})
    freshness_of(env).update({d: theirs[d] for d in docnames if d in theirs})
