"""The data layer of pages: snapshot data, freshness, charts, data health.

Any page, in the crosswork site or in another Sphinx project that loads a
kind's extension alone, reads upstream data through :class:`PageData`:
it registers the snapshot file as a dependency and records the freshness
facts the page shows. A fetch rewrites a snapshot file only when its data
changes, and ``env-get-outdated`` re-reads a page only when a freshness
fact it shows changed, so a refresh re-reads just the pages of the
sources that moved.

Charts are :class:`~crosswork.site.datanodes.chart` nodes until
``doctree-resolved``, when one publisher writes each SVG beside the HTML,
once, under its hash.

Data health (a stale, incomplete or missing source) is not a warning:
``-W`` means the content is wrong, and an upstream outage is not. It is
printed as its own block of build output, and every page that shows the
source says so, as does the status page.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util import logging
from sphinx.util.console import colorize
from sphinx.util.osutil import relative_uri

from crosswork import __version__
from crosswork.atomicfile import write_if_changed
from crosswork.datakind import DataKind, by_name
from crosswork.fetch.snapshot import (
    HistoryEntry,
    Snapshot,
    SourceStatus,
    load_snapshot,
    load_status,
)
from crosswork.fetch.sources import collect_sources
from crosswork.fetch.view import (
    Freshness,
    SourceView,
    notices,
    source_file,
    source_history,
)
from crosswork.site.datanodes import chart

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

    from crosswork.site.data import SiteData
    from crosswork.specs.model import Spec
    from crosswork.workgroups.registry import Registry

logger = logging.getLogger("crosswork")

#: Emitted once the site's data is loaded; each handler returns the
#: generated sections it owns, as ``{section folder: {relative path: stub}}``.
SECTIONS_EVENT = "crosswork-generated-sections"
#: Emitted for each charter page: handlers return extra sections for it
#: (specs, bugs, advisories...) as ``list[nodes.section]``.
CHARTER_SECTIONS_EVENT = "crosswork-charter-sections"

LIVE_VARIABLE = "CROSSWORK_LIVE"
#: Where live mode keeps the snapshot it fetches, inside the doctree folder,
#: so that a build never writes into the repository.
LIVE_FOLDER = "crosswork-snapshot"
#: Published charts, beside the HTML.
CHART_FOLDER = "_charts"

#: The stylesheets of the site and its data layer; each kind has its own
#: ``static/`` folder.
STATIC = Path(__file__).parent / "static"

#: States whose data the last refresh confirmed.
HEALTHY = frozenset({"fresh", "not-modified"})


@dataclass(frozen=True)
class DataState:
    """The snapshot this build renders from, kept in the environment."""

    folder: Path | None = None
    statuses: Mapping[str, SourceStatus] = field(default_factory=dict)
    #: How messages name the folder (relative to the repository).
    label: str = ""

    def view(self, source_id: str) -> SourceView:
        """A source's data and status, read without registering anything."""
        if self.folder is None:
            return SourceView(source_id, None, None, "absent")
        snapshot, problem = _cached_snapshot(self.folder, source_id)
        return SourceView(
            source_id,
            snapshot,
            self.statuses.get(source_id),
            problem,
            source_history(self.folder, source_id),
        )

    def file(self, source_id: str) -> Path | None:
        return None if self.folder is None else source_file(self.folder, source_id)


def data_state(env: BuildEnvironment) -> DataState:
    return getattr(env, "crosswork_data", None) or DataState()


def kinds_of(app: Sphinx) -> tuple[DataKind, ...]:
    """The data kinds whose extensions this build loaded."""
    return tuple(getattr(app, "crosswork_kinds", {}).values())


def add_kind(app: Sphinx, kind: DataKind) -> None:
    """Called by a kind's extension: its tracks, warnings and roles join."""
    known = getattr(app, "crosswork_kinds", {})
    app.crosswork_kinds = by_name([*known.values(), kind])


# --- Attaching the snapshot -------------------------------------------------------


def live_mode(app: Sphinx) -> bool:
    return bool(app.config.crosswork_live) or os.environ.get(LIVE_VARIABLE) == "1"


def data_root(app: Sphinx) -> Path:
    return Path(app.confdir, app.config.crosswork_root).resolve()


def attach_snapshot(
    app: Sphinx, registry: Registry | None = None, specs: Sequence[Spec] = ()
) -> DataState:
    """Find the snapshot to render from, fetching it first in live mode
    (the charters' tracks, and those the ``specs`` imply)."""
    root = data_root(app)
    committed = root / app.config.crosswork_snapshot_dir
    folder = committed
    if live_mode(app) and registry is not None:
        folder = Path(app.doctreedir) / LIVE_FOLDER
        seed_live_folder(committed, folder)
        # Imported only in live mode: the default build never fetches.
        from crosswork.fetch.run import fetch_all

        fetch_all(
            collect_sources(registry, kinds_of(app), specs),
            folder,
            clock=lambda: dt.datetime.now(dt.UTC),
            spec_statuses={spec.id: spec.status for spec in specs},
        )
    label = os.path.relpath(folder, root) if folder.is_relative_to(root) else ""
    state = DataState(
        folder if folder.is_dir() else None,
        load_status(folder) if folder.is_dir() else {},
        label or str(folder),
    )
    app.env.crosswork_data = state
    report_data_health(state)
    return state


#: The site extension, which attaches the snapshot once it knows the tracks.
SITE_EXTENSION = "crosswork.site.sphinxext"


def attach_without_site(app: Sphinx) -> None:
    """A kind's extension used alone still renders from a snapshot, if any."""
    if SITE_EXTENSION not in app.extensions:
        attach_snapshot(app)


def seed_live_folder(committed: Path, live: Path) -> None:
    """Start live fetching from the committed data, once."""
    if live.is_dir() or not committed.is_dir():
        return
    shutil.copytree(committed, live)


def unhealthy_sources(state: DataState) -> list[tuple[str, SourceStatus]]:
    return [
        (source_id, status)
        for source_id, status in sorted(state.statuses.items())
        if status.state not in HEALTHY
    ]


def report_data_health(state: DataState) -> None:
    """Print the sources that need attention: build output, not a warning."""
    unhealthy = unhealthy_sources(state)
    if not unhealthy:
        return
    total = len(state.statuses)
    logger.info(
        colorize("yellow", f"data health: {len(unhealthy)} of {total} source(s) in ")
        + f"{state.label} need attention (shown on their pages and the status page):"
    )
    for source_id, status in unhealthy:
        reason = f" ({status.error_kind}: {status.error})" if status.error else ""
        logger.info(f"  {source_id} is {status.state}{reason}")


# --- What a page reads -------------------------------------------------------------


class PageData:
    """The data one page reads, each source registered for rebuilds."""

    def __init__(self, env: BuildEnvironment) -> None:
        self.env = env

    @property
    def state(self) -> DataState:
        return data_state(self.env)

    @property
    def site(self) -> SiteData:
        from crosswork.site.data import site_data

        return site_data(self.env)

    def source(self, source_id: str) -> SourceView:
        """A source's data; the page is re-read when its file or freshness changes."""
        state = self.state
        view = state.view(source_id)
        path = state.file(source_id)
        if path is not None and path.is_file():
            self.env.note_dependency(str(path))
        shown_freshness(self.env).setdefault(self.env.docname, {})[source_id] = (
            view.freshness()
        )
        return view

    def history(self, source_id: str) -> tuple[HistoryEntry, ...]:
        """A source's daily history; the page is re-read when that source's
        history changes, not when a day of another source is recorded (the
        history of every source is one file, rewritten by every fetch)."""
        entries = self.state.view(source_id).history
        shown = shown_history(self.env).setdefault(self.env.docname, {})
        shown[source_id] = history_digest(entries)
        return entries

    def file(self, path: Path) -> None:
        """A repository file the page shows: re-read the page when it changes."""
        if path.is_file():
            self.env.note_dependency(str(path))

    def notices(self, view: SourceView, label: str) -> list[nodes.Node]:
        return freshness_nodes(view, label)


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


@functools.lru_cache(maxsize=256)
def _snapshot_at(
    folder: Path, source_id: str, stamp: tuple[int, int]
) -> tuple[Snapshot | None, str]:
    return load_snapshot(folder, source_id)


def _cached_snapshot(folder: Path, source_id: str) -> tuple[Snapshot | None, str]:
    """Each snapshot file is parsed once per process while it is unchanged:
    every advisory page shows the same few sources."""
    try:
        stat = source_file(folder, source_id).stat()
    except OSError:
        return load_snapshot(folder, source_id)
    return _snapshot_at(folder, source_id, (stat.st_mtime_ns, stat.st_size))


# --- Freshness in the environment --------------------------------------------------


def shown_freshness(env: BuildEnvironment) -> dict[str, dict[str, Freshness]]:
    """Per page, the freshness facts it showed for each of its sources."""
    if not hasattr(env, "crosswork_freshness"):
        env.crosswork_freshness = {}
    return env.crosswork_freshness


def shown_history(env: BuildEnvironment) -> dict[str, dict[str, str]]:
    """Per page, the digest of each source's history it showed."""
    if not hasattr(env, "crosswork_history"):
        env.crosswork_history = {}
    return env.crosswork_history


def history_digest(entries: Sequence[HistoryEntry]) -> str:
    return hashlib.sha256(repr(tuple(entries)).encode()).hexdigest()


def outdated_by_freshness(
    app: Sphinx,
    env: BuildEnvironment,
    added: set[str],
    changed: set[str],
    removed: set[str],
) -> list[str]:
    """Pages whose sources' freshness or history changed since they were read."""
    state = data_state(env)
    now: dict[str, Freshness] = {}
    history_now: dict[str, str] = {}

    def freshness_now(source_id: str) -> Freshness:
        if source_id not in now:
            now[source_id] = state.view(source_id).freshness()
        return now[source_id]

    def digest_now(source_id: str) -> str:
        if source_id not in history_now:
            history_now[source_id] = history_digest(state.view(source_id).history)
        return history_now[source_id]

    moved = {
        docname
        for docname, shown in shown_freshness(env).items()
        if any(freshness_now(source) != before for source, before in shown.items())
    }
    moved.update(
        docname
        for docname, shown in shown_history(env).items()
        if any(digest_now(source) != before for source, before in shown.items())
    )
    return sorted(moved)


def purge_freshness(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    shown_freshness(env).pop(docname, None)
    shown_history(env).pop(docname, None)


def merge_freshness(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: Any
) -> None:
    for name, shown in (
        ("crosswork_freshness", shown_freshness(env)),
        ("crosswork_history", shown_history(env)),
    ):
        theirs = getattr(other, name, {})
        shown.update({d: theirs[d] for d in docnames if d in theirs})


# --- Charts -------------------------------------------------------------------------


def chart_name(node: chart) -> str:
    """Where a chart is published, from its bytes: one file per chart."""
    digest = hashlib.sha256(node["svg"].encode()).hexdigest()[:24]
    return f"{CHART_FOLDER}/{digest}.svg"


def shown_charts(env: BuildEnvironment) -> dict[str, set[str]]:
    """Per page, the chart files it shows."""
    if not hasattr(env, "crosswork_charts"):
        env.crosswork_charts = {}
    return env.crosswork_charts


def note_charts(app: Sphinx, doctree: nodes.document) -> None:
    names = {chart_name(node) for node in doctree.findall(chart)}
    if names:
        shown_charts(app.env)[app.env.docname] = names


def purge_charts(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    shown_charts(env).pop(docname, None)


def merge_charts(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: Any
) -> None:
    theirs = getattr(other, "crosswork_charts", {})
    shown_charts(env).update({d: theirs[d] for d in docnames if d in theirs})


def prune_charts(app: Sphinx, exception: BaseException | None) -> None:
    """Remove published charts that no page shows any more."""
    folder = Path(app.outdir) / CHART_FOLDER
    if exception is not None or not folder.is_dir():
        return
    shown = {name for names in shown_charts(app.env).values() for name in names}
    for path in folder.glob("*.svg"):
        if f"{CHART_FOLDER}/{path.name}" not in shown:
            path.unlink()


def publish_charts(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Write each chart beside the HTML and show it as an image; builders
    without images show its words."""
    for node in list(doctree.findall(chart)):
        alt = node["alt"]
        if app.builder.format != "html":
            node.replace_self(
                nodes.paragraph("", alt, classes=["crosswork-chart-text"])
            )
            continue
        name = chart_name(node)
        write_if_changed(Path(app.outdir) / name, node["svg"].encode())
        uri = relative_uri(app.builder.get_target_uri(docname), name)
        classes = ["crosswork-chart", *node["classes"]]
        image = nodes.image("", uri=uri, alt=alt, classes=classes)
        # Sphinx internals: "?" marks an image it neither copies nor rewrites;
        # the file is already where the page links to it.
        image["candidates"] = {"?": uri}
        node.replace_self(image)


def add_static(app: Sphinx, config: Any) -> None:
    """The core's static files and those of every kind this build loaded."""
    kinds = [kind.folder / "static" for kind in kinds_of(app)]
    found = [str(folder) for folder in (STATIC, *kinds) if folder.is_dir()]
    # A new list: the default one is shared by every app of the process.
    config.html_static_path = [*config.html_static_path, *found]


def setup(app: Sphinx) -> ExtensionMetadata:
    for name, default, rebuild, description in (
        ("crosswork_root", "", "env", "The data's repository, relative to conf.py."),
        (
            "crosswork_snapshot_dir",
            "snapshot",
            "env",
            "The committed data snapshot, inside crosswork_root.",
        ),
    ):
        app.add_config_value(
            name, default, rebuild, types=frozenset({str}), description=description
        )
    app.add_config_value(
        "crosswork_live",
        False,
        "",
        types=frozenset({bool}),
        description="Fetch fresh data before reading (also CROSSWORK_LIVE=1).",
    )
    app.add_event(SECTIONS_EVENT)
    app.add_event(CHARTER_SECTIONS_EVENT)
    app.add_node(chart)
    app.add_css_file("data.css")
    app.connect("config-inited", add_static)
    app.connect("builder-inited", attach_without_site, priority=450)
    app.connect("env-get-outdated", outdated_by_freshness)
    app.connect("env-purge-doc", purge_freshness)
    app.connect("env-merge-info", merge_freshness)
    # Last, so that charts other doctree-read handlers add are published too.
    app.connect("doctree-read", note_charts, priority=900)
    app.connect("env-purge-doc", purge_charts)
    app.connect("env-merge-info", merge_charts)
    app.connect("doctree-resolved", publish_charts)
    app.connect("build-finished", prune_charts)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
