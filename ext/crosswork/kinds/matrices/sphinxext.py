"""Feature matrices on the site: full pages, embedded views, charter sections.

Matrices are declared as ``matrices`` tracks of a charter. A remote one is
read from the data snapshot (:class:`~crosswork.site.pagedata.PageData`
registers the file and its freshness); a repository file is read and
registered when the page is read. In any other Sphinx project, the
extension alone renders ``.. feature-matrix:: path/to/file.ini``, a file
of that project, and needs no charter. Each track gets a generated page
``matrices/<source id>``, listed by ``matrices/index``, and a section on
its workgroup's charter page with the parity chart, the gap summary and
the trend of gap counts over the snapshot history. Each comparison a track
names (``compare``) gets a page ``matrices/<source id>.<name>`` and leads
the charter's matrices section: the features where its drivers differ,
with their notes. A track that names its ``upstream`` says where the file
is upstream and that the data is as of that commit's date.

Charts are :class:`~crosswork.site.pagedata.chart` nodes, published by
the data layer beside the HTML with the chart's figures as alternative
text.

Problems of repository files and of track references are reported once
per build at ``builder-inited``; pages show notices instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from crosswork import __version__
from crosswork.atomicfile import write_if_changed
from crosswork.diagnostics import Diagnostic
from crosswork.fetch.snapshot import HISTORY_FILE
from crosswork.fetch.view import SourceView, notices, source_file
from crosswork.kinds.matrices import RECORD
from crosswork.kinds.matrices.compare import check_drivers, compare_drivers
from crosswork.kinds.matrices.export import (
    API_NAME,
    SCHEMA_VERSION,
    gaps_feed,
    track_record,
)
from crosswork.kinds.matrices.facts import FactsError, matrix_from_facts
from crosswork.kinds.matrices.gaps import Analysis, analyse
from crosswork.kinds.matrices.model import Matrix
from crosswork.kinds.matrices.progress import TrackData, track_data
from crosswork.kinds.matrices.rendering import (
    comparison_summary,
    comparison_table,
    divergent_list,
    gap_lists,
    gap_summary,
    matrix_table,
    problems_list,
    summary,
)
from crosswork.kinds.matrices.summary import (
    driver_title,
    only_drivers,
    parity_text,
    resolve_reference,
    trend_points,
    trend_text,
    unknown_drivers,
)
from crosswork.kinds.matrices.svg import parity_chart, trend_chart
from crosswork.kinds.matrices.tracks import (
    DriverComparison,
    MatrixTrack,
    Upstream,
    find_track,
    matrix_tracks,
    read_repository_matrix,
)
from crosswork.site import datanodes
from crosswork.site.api import page_url, write_api
from crosswork.site.data import SiteData, site_data
from crosswork.site.datanodes import chart, chart_node
from crosswork.site.feeds import (
    PAGE_FEEDS_EVENT,
    Feed,
    absolute,
    page_address,
    site_url,
)
from crosswork.site.pagedata import (
    CHARTER_SECTIONS_EVENT,
    SECTIONS_EVENT,
    SITE_EXTENSION,
    DataState,
    PageData,
    add_kind,
    data_state,
)
from crosswork.site.pages import stub, toctree
from crosswork.site.publication import publishes
from crosswork.site.warnings import report, warn
from crosswork.workgroups.model import Workgroup

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

#: The generated section: one page per matrix track and an index.
SECTION = "matrices"

VIEWS: dict[str, str] = {
    "chart": "Parity",
    "gaps": "Gaps by driver",
    "divergent": "Where drivers diverge",
    "table": "Matrix",
    "problems": "Problems in the file",
}


def page_docname(track: MatrixTrack) -> str:
    return f"{SECTION}/{track.source_id}"


def comparison_docname(track: MatrixTrack, comparison: DriverComparison) -> str:
    return f"{SECTION}/{track.comparison_id(comparison)}"


def matrix_pages(app: Sphinx, site: SiteData) -> dict[str, dict[str, str]]:
    """The stub pages of the ``matrices`` section (none without tracks):
    a page per track, and after it a page per comparison it names."""
    tracks = matrix_tracks(site.registry)
    if not tracks:
        return {SECTION: {}}
    ids: list[str] = []
    pages: dict[str, str] = {}
    for track in tracks:
        ids.append(track.source_id)
        pages[f"{track.source_id}.rst"] = stub(
            f".. feature-matrix-page:: {track.source_id}"
        )
        for comparison in track.comparisons:
            name = track.comparison_id(comparison)
            ids.append(name)
            pages[f"{name}.rst"] = stub(f".. feature-matrix-comparison:: {name}")
    pages["index.rst"] = stub(".. feature-matrix-index::", *toctree(ids))
    return {SECTION: pages}


# --- Loading -----------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A track as one page shows it: notices first, then the matrix if any."""

    track: MatrixTrack
    notices: list[nodes.Node]
    matrix: Matrix | None = None
    problems: tuple[Diagnostic, ...] = ()


def load_shown(page: PageData, track: MatrixTrack, root: Path) -> Shown:
    """The track's data for the page being read, registered for rebuilds.

    A file track is read from ``root`` (the repository, or the project of
    a standalone build).
    """
    if not track.is_remote:
        page.file(root / track.file)
        matrix, problems, error = read_repository_matrix(root, track)
        note = f"From {track.origin}." if not error else f"Cannot read {error}."
        notice = nodes.paragraph("", note, classes=["crosswork-data-as-of"])
        return Shown(track, [notice], matrix, tuple(problems))
    view = page.source(track.source_id)
    if track.upstream is None:
        shown_notices = page.notices(view, track.origin)
    else:
        shown_notices = upstream_notices(view, track.upstream)
    if view.snapshot is None:
        return Shown(track, shown_notices)
    try:
        matrix, problems = matrix_from_facts(track.path, view.items)
    except FactsError:
        shown_notices.append(
            warning_box("The snapshot of this matrix is malformed; see the build log.")
        )
        return Shown(track, shown_notices)
    return Shown(track, shown_notices, matrix, problems)


def upstream_notices(view: SourceView, upstream: Upstream) -> list[nodes.Node]:
    """The file's upstream place and commit date, instead of the fetch time.

    Warnings (stale, incomplete, missing) stay as they are; a copy served
    by a stand-in for the upstream still says so.
    """
    result: list[nodes.Node] = []
    for notice in notices(view, upstream.place):
        if notice.level == "warning":
            result.append(warning_box(notice.text))
        elif view.snapshot is not None:
            result.append(upstream_line(upstream, view))
    return result


def upstream_line(upstream: Upstream, view: SourceView) -> nodes.paragraph:
    when = upstream.date.isoformat() if upstream.date else "an unknown date"
    line = nodes.paragraph(
        "",
        f"Data as of {when}, the date of commit {upstream.short_commit}"
        f" of {upstream.repository}: ",
        classes=["crosswork-data-as-of", "crosswork-matrix-upstream"],
    )
    line += datanodes.external_link(
        f"{upstream.path} at {upstream.short_commit}", upstream.url
    )
    line += nodes.Text(".")
    fresh = view.freshness()
    if fresh.sample and fresh.as_of is not None:
        line += nodes.Text(
            f" The copy shown was fetched on {fresh.as_of.date().isoformat()}"
            " from a stand-in for the upstream, not from the upstream itself."
        )
    return line


def warning_box(text: str) -> nodes.admonition:
    box = nodes.admonition(classes=["crosswork-data-warning", "warning"])
    box += nodes.title("", "Data warning")
    box += nodes.paragraph("", text)
    return box


def compare(
    matrix: Matrix, wanted: str | None, drivers: list[str] | None = None
) -> tuple[Analysis, list[nodes.Node]]:
    """The analysis against ``wanted`` (or the default), on ``drivers`` only."""
    reference = resolve_reference(matrix, wanted)
    remarks: list[nodes.Node] = []
    if wanted and wanted != reference:
        remarks.append(
            nodes.paragraph(
                "",
                f"The reference driver {wanted!r} is not a column of this matrix;"
                f" drivers are compared with {driver_title(matrix, reference)}.",
                classes=["crosswork-matrix-remark"],
            )
        )
    if drivers is not None:
        known = [key for key in drivers if matrix.driver(key) is not None]
        matrix = only_drivers(matrix, known, reference)
    return analyse(matrix, reference), remarks


def parity_node(track: MatrixTrack, analysis: Analysis) -> chart:
    svg = parity_chart(analysis, title=f"{track.title}: parity")
    return chart_node(svg, parity_text(analysis))


def view_nodes(
    view: str, analysis: Analysis, shown: Shown, prefix: str
) -> list[nodes.Node]:
    if view == "chart":
        return [parity_node(shown.track, analysis)]
    if view == "gaps":
        return gap_lists(analysis)
    if view == "divergent":
        return [divergent_list(analysis)]
    if view == "table":
        return matrix_table(analysis.matrix, prefix)
    return [problems_list(shown.problems)]


# --- Directives --------------------------------------------------------------


def name_list(argument: str) -> list[str]:
    """Names separated by commas or spaces."""
    return [name for name in argument.replace(",", " ").split() if name]


def view_list(argument: str) -> list[str]:
    names = name_list(argument)
    unknown = [name for name in names if name not in VIEWS]
    if unknown or not names:
        raise ValueError(f"expected some of {', '.join(VIEWS)}")
    return names


class MatrixDirective(datanodes.DataDirective):
    """Shared by the directives that show one matrix track."""

    required_arguments = 1

    @property
    def names_a_file(self) -> bool:
        """Whether the argument is an INI file of the project, not a track."""
        return self.arguments[0].endswith(".ini")

    def track(self) -> MatrixTrack | None:
        """The track named by the argument; its charter is a dependency."""
        if self.names_a_file:
            return self.project_file()
        site = site_data(self.env)
        track = find_track(matrix_tracks(site.registry), self.arguments[0])
        charters = (
            [site.registry.workgroups[track.workgroup]] if track else site.registry
        )
        for workgroup in charters:
            self.env.note_dependency(str(site.path(workgroup.source)))
        if track is None:
            warn(
                "matrix",
                f"no matrix track {self.arguments[0]!r} (write a source id like"
                " consistency.matrices.nova, or a track name used once)",
                self.get_location(),
            )
        return track

    def project_file(self) -> MatrixTrack:
        """A matrix file of the project, named like ``literalinclude`` does."""
        relative, _ = self.env.relfn2path(self.arguments[0])
        return MatrixTrack(
            workgroup="",
            name=Path(relative).stem,
            title=f"Feature matrix {Path(relative).name}",
            file=relative,
        )

    def root(self) -> Path:
        """Where the track's file is: the project's or the repository's."""
        if self.names_a_file:
            return Path(self.env.srcdir)
        return site_data(self.env).layout.root

    def shown(self, track: MatrixTrack) -> Shown:
        shown = load_shown(PageData(self.env), track, self.root())
        if self.names_a_file:
            for problem in shown.problems:
                report("matrix", problem)
        return shown

    def prefix(self) -> str:
        return f"matrix-{self.env.new_serialno('crosswork-matrix')}"


class FeatureMatrix(MatrixDirective):
    """Views of a matrix in any page: ``.. feature-matrix:: <source id>``.

    Options: ``:reference:`` a driver key, ``:drivers:`` the drivers to
    show (the reference is always shown), ``:view:`` some of ``chart``,
    ``gaps``, ``divergent``, ``table`` and ``problems`` (default: all).
    """

    option_spec: ClassVar[dict[str, Callable[[str], object]]] = {
        "reference": directives.unchanged_required,
        "drivers": name_list,
        "view": view_list,
    }

    def run(self) -> list[nodes.Node]:
        track = self.track()
        if track is None:
            return []
        shown = self.shown(track)
        block = nodes.container(classes=["crosswork-matrix-block"])
        block.extend(shown.notices)
        if shown.matrix is None:
            return [block]
        analysis, remarks = compare(
            shown.matrix,
            self.options.get("reference") or track.reference,
            self.drivers(shown.matrix),
        )
        block.extend(remarks)
        block += summary(analysis)
        prefix = self.prefix()
        for view in self.options.get("view", list(VIEWS)):
            block += nodes.rubric("", VIEWS[view])
            block.extend(view_nodes(view, analysis, shown, prefix))
        return [block]

    def drivers(self, matrix: Matrix) -> list[str] | None:
        """The ``:drivers:`` to show; unknown ones (and reference) are reported."""
        wanted = self.options.get("drivers")
        if wanted is None:
            return None
        for key in unknown_drivers(matrix, wanted):
            warn("matrix", f"no driver {key!r} in this matrix", self.get_location())
        wanted_reference = self.options.get("reference")
        if wanted_reference and matrix.driver(wanted_reference) is None:
            warn(
                "matrix",
                f"no driver {wanted_reference!r} in this matrix",
                self.get_location(),
            )
        return wanted


class FeatureMatrixPage(MatrixDirective):
    """The generated page of a track: every view, each in its own section."""

    def run(self) -> list[nodes.Node]:
        track = self.track()
        if track is None:
            return []
        site = site_data(self.env)
        workgroup = site.registry.workgroups[track.workgroup]
        page = datanodes.section(track.title, "feature-matrix")
        intro = nodes.paragraph("", "Declared by the ")
        intro += datanodes.doc_link(
            workgroup.name, f"workgroups/{workgroup.slug}", self.env.docname
        )
        intro += nodes.Text(" workgroup as ")
        intro += nodes.literal("", track.source_id)
        intro += nodes.Text(".")
        page += intro
        for comparison in track.comparisons:
            line = nodes.paragraph("", "Where some drivers differ, side by side: ")
            line += datanodes.doc_link(
                comparison_title(None, comparison),
                comparison_docname(track, comparison),
                self.env.docname,
            )
            line += nodes.Text(".")
            page += line
        shown = self.shown(track)
        page.extend(shown.notices)
        if shown.matrix is None:
            return [page]
        analysis, remarks = compare(shown.matrix, track.reference)
        page.extend(remarks)
        page += summary(analysis)
        prefix = self.prefix()
        for view, title in VIEWS.items():
            page += datanodes.section(
                title, view, *view_nodes(view, analysis, shown, prefix)
            )
        return [page]


def find_comparison(
    tracks: list[MatrixTrack], wanted: str
) -> tuple[MatrixTrack, DriverComparison] | None:
    """The track and comparison whose comparison id is ``wanted``."""
    for track in tracks:
        for comparison in track.comparisons:
            if track.comparison_id(comparison) == wanted:
                return track, comparison
    return None


def comparison_title(matrix: Matrix | None, comparison: DriverComparison) -> str:
    if comparison.title:
        return comparison.title
    keys = comparison.drivers
    return " against ".join(driver_title(matrix, k) if matrix else k for k in keys)


def comparison_nodes(shown: Shown, comparison: DriverComparison) -> list[nodes.Node]:
    """The comparison's summary and table, or why it cannot be drawn."""
    if shown.matrix is None:
        return []
    reasons = check_drivers(shown.matrix, comparison.drivers)
    if reasons:
        text = "This comparison cannot be drawn: " + "; ".join(reasons) + "."
        return [warning_box(text)]
    result = compare_drivers(shown.matrix, comparison.drivers)
    return [comparison_summary(result), comparison_table(result)]


class FeatureMatrixComparison(MatrixDirective):
    """The page of a comparison a track names: ``<source id>.<name>``."""

    def run(self) -> list[nodes.Node]:
        site = site_data(self.env)
        found = find_comparison(matrix_tracks(site.registry), self.arguments[0])
        charters = (
            [site.registry.workgroups[found[0].workgroup]] if found else site.registry
        )
        for workgroup in charters:
            self.env.note_dependency(str(site.path(workgroup.source)))
        if found is None:
            warn(
                "matrix",
                f"no matrix comparison {self.arguments[0]!r} (write <source id>."
                "<comparison name>, like consistency.matrices.nova-2020.kvm-xen)",
                self.get_location(),
            )
            return []
        track, comparison = found
        shown = self.shown(track)
        title = comparison_title(shown.matrix, comparison)
        page = datanodes.section(title, "matrix-comparison")
        intro = nodes.paragraph("", "The features where these drivers differ in ")
        intro += datanodes.doc_link(track.title, page_docname(track), self.env.docname)
        intro += nodes.Text(
            ", each value with its note; the first driver is the one the others"
            " are measured against."
        )
        page += intro
        page.extend(shown.notices)
        page.extend(comparison_nodes(shown, comparison))
        return [page]


class FeatureMatrixIndex(datanodes.DataDirective):
    """Every matrix track: its page, its workgroup and where it comes from."""

    def run(self) -> list[nodes.Node]:
        site = site_data(self.env)
        rows: list[list[datanodes.Cell]] = []
        for track in matrix_tracks(site.registry):
            workgroup = site.registry.workgroups[track.workgroup]
            self.env.note_dependency(str(site.path(workgroup.source)))
            rows.append(
                [
                    self.track_links(track),
                    datanodes.doc_link(
                        workgroup.name, f"workgroups/{workgroup.slug}", self.env.docname
                    ),
                    origin_cell(track),
                    track.reference or "default",
                ]
            )
        intro = nodes.paragraph(
            "",
            "Feature matrices say, for every driver of a service, how far it "
            "implements each feature. Each page compares every driver with a "
            "reference driver and lists the gaps.",
        )
        table = datanodes.table(
            ["Matrix", "Workgroup", "Source", "Reference"],
            rows,
            classes=["crosswork-matrices"],
        )
        return [datanodes.section("Feature matrices", "feature-matrices", intro, table)]

    def track_links(self, track: MatrixTrack) -> nodes.Node:
        """The track's page, then its comparisons' pages."""
        cell = nodes.paragraph()
        cell += datanodes.doc_link(track.title, page_docname(track), self.env.docname)
        for comparison in track.comparisons:
            cell += nodes.Text("; compare: ")
            cell += datanodes.doc_link(
                comparison_title(None, comparison),
                comparison_docname(track, comparison),
                self.env.docname,
            )
        return cell


def origin_cell(track: MatrixTrack) -> nodes.Node:
    """The upstream file at its commit, linked, else where it is fetched from."""
    if track.upstream is None:
        return nodes.literal("", track.origin)
    upstream = track.upstream
    return datanodes.external_link(upstream.place, upstream.url)


# --- Charter sections --------------------------------------------------------


def charter_matrices(
    app: Sphinx, env: BuildEnvironment, workgroup: Workgroup
) -> list[nodes.section]:
    """The charter's matrices section: per track, chart, gaps and trend."""
    tracks = matrix_tracks([workgroup])
    if not tracks:
        return []
    section = datanodes.section("Feature matrices", "feature-matrices")
    for track in tracks:
        for comparison in track.comparisons:
            section += charter_comparison(env, track, comparison)
    for track in tracks:
        section += charter_track(env, track)
    return [section]


def charter_comparison(
    env: BuildEnvironment, track: MatrixTrack, comparison: DriverComparison
) -> nodes.section:
    """A comparison the track names: where the drivers differ, first."""
    shown = load_shown(PageData(env), track, site_data(env).layout.root)
    section = datanodes.section(
        comparison_title(shown.matrix, comparison),
        f"compare-{track.name}-{comparison.name}",
    )
    section.extend(shown.notices)
    section.extend(comparison_nodes(shown, comparison))
    more = nodes.paragraph("", "This comparison on its own page: ")
    more += datanodes.doc_link(
        comparison_title(shown.matrix, comparison),
        comparison_docname(track, comparison),
        env.docname,
    )
    more += nodes.Text("; every driver and feature: ")
    more += datanodes.doc_link(track.title, page_docname(track), env.docname)
    more += nodes.Text(".")
    section += more
    return section


def charter_track(env: BuildEnvironment, track: MatrixTrack) -> nodes.section:
    section = datanodes.section(track.title, f"matrix-{track.name}")
    shown = load_shown(PageData(env), track, site_data(env).layout.root)
    section.extend(shown.notices)
    if shown.matrix is not None:
        analysis, remarks = compare(shown.matrix, track.reference)
        section.extend(remarks)
        section += summary(analysis)
        section += parity_node(track, analysis)
        section += gap_summary(analysis)
        if track.is_remote:
            section.extend(trend(env, track, analysis))
    more = nodes.paragraph("", "The whole matrix, every gap and the notes: ")
    more += datanodes.doc_link(track.title, page_docname(track), env.docname)
    more += nodes.Text(".")
    section += more
    return section


def trend(
    env: BuildEnvironment, track: MatrixTrack, analysis: Analysis
) -> list[nodes.Node]:
    """Gap counts per driver over the snapshot history, from two days on."""
    folder = data_state(env).folder
    entries = PageData(env).history(track.source_id)
    if folder is None or not (folder / HISTORY_FILE).is_file():
        return []
    matrix = analysis.matrix
    drivers = [d.key for d in matrix.drivers if d.key != analysis.reference]
    points = trend_points(((e.day, e.breakdown) for e in entries), drivers)
    if len(points) < 2:
        return [
            nodes.paragraph(
                "",
                "Each day's fetch records the gap counts; the trend shows once"
                " two days are recorded.",
                classes=["crosswork-matrix-remark"],
            )
        ]
    titles = {key: driver_title(matrix, key) for key in drivers}
    reference = driver_title(matrix, analysis.reference)
    svg = trend_chart(
        points, title=f"{track.title}: gaps against {reference}", labels=titles
    )
    return [chart_node(svg, trend_text(points, titles))]


# --- Build steps -------------------------------------------------------------


def check_tracks(app: Sphinx) -> None:
    """Report, once per build, what pages can only show as notices.

    Findings in repository files are the site's (``crosswork lint`` reports
    them too, through the kind's record); here only track references.
    """
    if SITE_EXTENSION not in app.extensions:
        return
    site, state = site_data(app.env), data_state(app.env)
    for track in matrix_tracks(site.registry):
        where = f"{site.registry.workgroups[track.workgroup].source}:1"
        if track.is_remote:
            matrix = checked_snapshot(site, state, track)
        else:
            matrix, _, _ = read_repository_matrix(site.layout.root, track)
        if matrix and track.reference and matrix.driver(track.reference) is None:
            warn(
                "matrix",
                f"{track.source_id}: reference driver {track.reference!r} is not a"
                " column of the matrix; the default reference is used",
                where,
            )


def checked_snapshot(
    site: SiteData, state: DataState, track: MatrixTrack
) -> Matrix | None:
    """A remote track's matrix; malformed records are a data warning."""
    folder = state.folder
    view = state.view(track.source_id)
    if folder is None or view.snapshot is None:
        return None
    try:
        return matrix_from_facts(track.path, view.items)[0]
    except FactsError as error:
        where = site.layout.label(source_file(folder, track.source_id))
        message = f"{track.source_id}: malformed matrix snapshot ({error})"
        warn("data", message, f"{where}:1")
        return None


def feed_path(track: MatrixTrack) -> str:
    """The track's gaps-closed feed, beside its page."""
    return f"{page_docname(track)}.atom"


def published_tracks(app: Sphinx) -> list[MatrixTrack]:
    """The site's matrix tracks; none in a standalone build."""
    if SITE_EXTENSION not in app.extensions:
        return []
    return matrix_tracks(site_data(app.env).registry)


def publish(app: Sphinx, exception: BaseException | None) -> None:
    """``api/matrices.json`` and, with a site address, each fetched matrix's
    gaps-closed feed, beside the HTML."""
    tracks = published_tracks(app)
    if not publishes(app, exception) or not tracks:
        return
    site, state = site_data(app.env), data_state(app.env)
    records = []
    for track in tracks:
        data = track_data(site, track, state.view)
        records.append(api_record(app, site, state, data))
        if track.is_remote and site_url(app.config) and data.history:
            write_if_changed(
                Path(app.outdir) / feed_path(track), feed_of(app, site, data)
            )
    write_api(app, API_NAME, SCHEMA_VERSION, {"tracks": records})


def api_record(
    app: Sphinx, site: SiteData, state: DataState, data: TrackData
) -> dict[str, object]:
    """The track's record in ``api/matrices.json``."""
    track, problems = data.track, []
    if not track.is_remote:
        _, problems, _ = read_repository_matrix(site.layout.root, track)
    analysis = None
    if data.matrix is not None:
        reference = resolve_reference(data.matrix, track.reference)
        analysis = analyse(data.matrix, reference)
    view = state.view(track.source_id) if track.is_remote else None
    snapshot = view.snapshot if view else None
    return track_record(
        track,
        analysis,
        problems,
        data.history,
        page=page_url(app, page_docname(track)),
        fetched_at=snapshot.fetched_at if snapshot else None,
        state=view.state if view else "repository",
    )


def feed_of(app: Sphinx, site: SiteData, data: TrackData) -> bytes:
    """A fetched matrix's gaps-closed feed, dated by its newest recorded day."""
    track = data.track
    newest = max(entry.day for entry in data.history)
    return gaps_feed(
        track,
        data.history,
        feed_url=absolute(app, feed_path(track)),
        page_url=page_address(app, page_docname(track)),
        author=site.registry.workgroups[track.workgroup].name,
        updated=dt.datetime.combine(newest, dt.time(), tzinfo=dt.UTC),
    )


def feeds_of_page(app: Sphinx, pagename: str) -> list[Feed]:
    """A fetched matrix's page and its charter page announce its feed."""
    return [
        Feed(feed_path(track), f"{track.title}: gaps closed (Atom)")
        for track in published_tracks(app)
        if track.is_remote
        and pagename in {page_docname(track), f"workgroups/{track.workgroup}"}
    ]


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("crosswork.site.pagedata")
    add_kind(app, RECORD)
    app.add_directive("feature-matrix", FeatureMatrix)
    app.add_directive("feature-matrix-page", FeatureMatrixPage)
    app.add_directive("feature-matrix-index", FeatureMatrixIndex)
    app.add_directive("feature-matrix-comparison", FeatureMatrixComparison)
    app.connect(SECTIONS_EVENT, matrix_pages)
    app.connect("builder-inited", check_tracks, priority=600)
    app.connect(CHARTER_SECTIONS_EVENT, charter_matrices)
    app.add_css_file("matrix.css")
    app.add_js_file("matrix.js", loading_method="defer")
    app.setup_extension("crosswork.site.feeds")
    app.connect(PAGE_FEEDS_EVENT, feeds_of_page)
    app.connect("build-finished", publish)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
