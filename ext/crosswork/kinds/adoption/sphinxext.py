"""Shared-library adoption on the site.

Adoption tracks are read from the data snapshot through
:class:`~crosswork.site.pagedata.PageData` (the file and its freshness are
registered for rebuilds). Each track gets generated pages under
``adoption/``: the matrix page ``<source id>``, a divergence report
``<source id>.divergence`` and a page per library ``<source id>.<library>``;
its workgroup's charter page gets a section leading with the headline and
one chart per group. ``api/adoption.json`` is written at ``build-finished``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docutils import nodes

from crosswork import __version__
from crosswork.charts import trend_chart, trend_text
from crosswork.fetch.snapshot import HISTORY_FILE
from crosswork.kinds.adoption import RECORD
from crosswork.kinds.adoption.analysis import (
    Analysis,
    split_history,
    trend_libraries,
)
from crosswork.kinds.adoption.export import API_NAME, SCHEMA_VERSION, track_record
from crosswork.kinds.adoption.facts import FactsError, from_facts
from crosswork.kinds.adoption.rendering import (
    LibraryLink,
    divergence_view,
    group_chart,
    headline,
    library_view,
    matrix_table,
    problems_view,
)
from crosswork.kinds.adoption.tracks import AdoptionTrack, adoption_tracks
from crosswork.site import datanodes
from crosswork.site.api import page_url, write_api
from crosswork.site.data import SiteData, site_data
from crosswork.site.datanodes import chart_node
from crosswork.site.pagedata import (
    CHARTER_SECTIONS_EVENT,
    SECTIONS_EVENT,
    DataState,
    PageData,
    add_kind,
    data_state,
)
from crosswork.site.pages import stub, toctree
from crosswork.site.publication import publishes
from crosswork.site.warnings import warn
from crosswork.workgroups.model import Workgroup

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

SECTION = "adoption"
#: Library names that may name a page (PEP 503 names always do).
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


def matrix_docname(track: AdoptionTrack) -> str:
    return f"{SECTION}/{track.source_id}"


def divergence_docname(track: AdoptionTrack) -> str:
    return f"{SECTION}/{track.source_id}.divergence"


def library_docname(track: AdoptionTrack, library: str) -> str:
    return f"{SECTION}/{track.source_id}.{library}"


def analysis_of(state: DataState, track: AdoptionTrack) -> Analysis | None:
    """The track's analysis from its snapshot; None without usable data."""
    view = state.view(track.source_id)
    if view.snapshot is None:
        return None
    try:
        stored = from_facts(view.items)
    except FactsError:
        return None
    # Services in the order the track names them.
    ordered = {
        name: stored.services[name]
        for name, _ in track.services
        if name in stored.services
    }
    stored.services.clear()
    stored.services.update(ordered)
    return stored.analyse(track.libraries, track.groups)


def page_libraries(analysis: Analysis) -> list[str]:
    return [lib for lib in analysis.libraries if SLUG.match(lib)]


def adoption_pages(app: Sphinx, site: SiteData) -> dict[str, dict[str, str]]:
    """The stub pages of the ``adoption`` section (none without tracks)."""
    tracks = adoption_tracks(site.registry)
    if not tracks:
        return {SECTION: {}}
    state = data_state(app.env)
    pages = {
        "index.rst": stub(".. adoption-index::", *toctree(t.source_id for t in tracks))
    }
    for track in tracks:
        analysis = analysis_of(state, track)
        libraries = page_libraries(analysis) if analysis else []
        children = [f"{track.source_id}.divergence"] + [
            f"{track.source_id}.{lib}" for lib in libraries
        ]
        pages[f"{track.source_id}.rst"] = stub(
            f".. adoption-matrix:: {track.source_id}", *toctree(children)
        )
        pages[f"{track.source_id}.divergence.rst"] = stub(
            f".. adoption-divergence:: {track.source_id}"
        )
        for lib in libraries:
            pages[f"{track.source_id}.{lib}.rst"] = stub(
                f".. adoption-library:: {track.source_id} {lib}"
            )
    return {SECTION: pages}


# --- Loading -----------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    track: AdoptionTrack
    notices: list[nodes.Node]
    analysis: Analysis | None = None


def load_shown(env: BuildEnvironment, track: AdoptionTrack) -> Shown:
    page = PageData(env)
    view = page.source(track.source_id)
    notices = page.notices(view, track.title)
    if view.snapshot is None:
        return Shown(track, notices)
    analysis = analysis_of(data_state(env), track)
    if analysis is None:
        box = nodes.admonition(classes=["crosswork-data-warning", "warning"])
        box += nodes.title("", "Data warning")
        box += nodes.paragraph(
            "", "The snapshot of this track is malformed; see the build log."
        )
        notices.append(box)
    return Shown(track, notices, analysis)


def linker(env: BuildEnvironment, track: AdoptionTrack) -> LibraryLink:
    def link(label: str, library: str) -> nodes.Node:
        if not SLUG.match(library):
            return nodes.Text(label)
        return datanodes.doc_link(label, library_docname(track, library), env.docname)

    return link


# --- Directives --------------------------------------------------------------


class TrackDirective(datanodes.DataDirective):
    required_arguments = 1

    def track(self) -> AdoptionTrack | None:
        site = site_data(self.env)
        for track in adoption_tracks(site.registry):
            if track.source_id == self.arguments[0]:
                workgroup = site.registry.workgroups[track.workgroup]
                self.env.note_dependency(str(site.path(workgroup.source)))
                return track
        warn(
            "adoption",
            f"no adoption track {self.arguments[0]!r}",
            self.get_location(),
        )
        return None

    def intro(self, track: AdoptionTrack) -> nodes.paragraph:
        site = site_data(self.env)
        workgroup = site.registry.workgroups[track.workgroup]
        intro = nodes.paragraph("", "Declared by the ")
        intro += datanodes.doc_link(
            workgroup.name, f"workgroups/{workgroup.slug}", self.env.docname
        )
        intro += nodes.Text(" workgroup as ")
        intro += nodes.literal("", track.source_id)
        intro += nodes.Text(".")
        return intro


class AdoptionMatrix(TrackDirective):
    """The matrix page of a track: headline, matrix, problems."""

    def run(self) -> list[nodes.Node]:
        track = self.track()
        if track is None:
            return []
        page = datanodes.section(track.title, "adoption-matrix")
        page += self.intro(track)
        shown = load_shown(self.env, track)
        page.extend(shown.notices)
        analysis = shown.analysis
        if analysis is None:
            return [page]
        link = linker(self.env, track)
        page.extend(headline(analysis))
        more = nodes.paragraph("", "Where services diverge: ")
        more += datanodes.doc_link(
            "divergence report", divergence_docname(track), self.env.docname
        )
        more += nodes.Text(".")
        page += more
        page += datanodes.section("Matrix", "matrix", matrix_table(analysis, link))
        page += datanodes.section("Trend", "trend", *trend(self.env, track, analysis))
        page += datanodes.section(
            "Lines that could not be read", "problems", *problems_view(analysis)
        )
        return [page]


class AdoptionDivergence(TrackDirective):
    def run(self) -> list[nodes.Node]:
        track = self.track()
        if track is None:
            return []
        page = datanodes.section(f"{track.title}: divergence", "adoption-divergence")
        page += self.intro(track)
        shown = load_shown(self.env, track)
        page.extend(shown.notices)
        if shown.analysis is not None:
            page.extend(divergence_view(shown.analysis, linker(self.env, track)))
        return [page]


class AdoptionLibrary(TrackDirective):
    required_arguments = 2

    def run(self) -> list[nodes.Node]:
        track = self.track()
        if track is None:
            return []
        library = self.arguments[1]
        shown = load_shown(self.env, track)
        analysis = shown.analysis
        title = library
        if analysis is not None and library in analysis.reports:
            title = analysis.reports[library].display
        page = datanodes.section(title, "adoption-library")
        page += self.intro(track)
        page.extend(shown.notices)
        if analysis is None:
            return [page]
        if library not in analysis.reports:
            page += nodes.paragraph(
                "", "This library is no longer followed by the track."
            )
            return [page]
        page.extend(library_view(analysis, library))
        return [page]


class AdoptionIndex(datanodes.DataDirective):
    def run(self) -> list[nodes.Node]:
        site = site_data(self.env)
        rows: list[list[datanodes.Cell]] = []
        for track in adoption_tracks(site.registry):
            workgroup = site.registry.workgroups[track.workgroup]
            self.env.note_dependency(str(site.path(workgroup.source)))
            rows.append(
                [
                    datanodes.doc_link(
                        track.title, matrix_docname(track), self.env.docname
                    ),
                    datanodes.doc_link(
                        workgroup.name, f"workgroups/{workgroup.slug}", self.env.docname
                    ),
                    str(len(track.services)),
                    ", ".join(track.libraries),
                ]
            )
        intro = nodes.paragraph(
            "",
            "Which services use the shared libraries, at which minimum"
            " versions, read from the services' requirements files.",
        )
        table = datanodes.table(
            ["Track", "Workgroup", "Services", "Libraries"],
            rows,
            classes=["crosswork-adoption-tracks"],
        )
        return [datanodes.section("Shared-library adoption", "adoption", intro, table)]


def trend(
    env: BuildEnvironment, track: AdoptionTrack, analysis: Analysis
) -> list[nodes.Node]:
    """Users and convergence of the group and widest-spread libraries over
    the snapshot history, from two days on."""
    folder = data_state(env).folder
    remark = nodes.paragraph(
        "",
        "Each day's fetch records the users and the convergence of every"
        " library; the trend shows once two days are recorded.",
    )
    entries = PageData(env).history(track.source_id)
    if folder is None or not (folder / HISTORY_FILE).is_file():
        return [remark]
    libraries = trend_libraries(analysis)
    split = [(e.day, *split_history(e.breakdown, libraries)) for e in entries]
    users = [(day, counts) for day, counts, _ in split if counts]
    shares = [(day, counts) for day, _, counts in split if counts]
    if len(users) < 2:
        return [remark]
    labels = {lib: analysis.reports[lib].display for lib in libraries}
    result: list[nodes.Node] = []
    for points, measure, noun, title in (
        (users, "Services using each library", "service", "services using"),
        (shares, "Convergence in percent per library", "percent", "convergence %"),
    ):
        svg = trend_chart(
            points,
            title=f"{track.title}: {title}",
            measure=measure,
            noun=noun,
            labels=labels,
        )
        result.append(
            chart_node(svg, trend_text(points, measure=measure, labels=labels))
        )
    return result


# --- Charter sections --------------------------------------------------------


def charter_adoption(
    app: Sphinx, env: BuildEnvironment, workgroup: Workgroup
) -> list[nodes.section]:
    """The charter's adoption section: headline first, a chart per group."""
    tracks = adoption_tracks([workgroup])
    if not tracks:
        return []
    section = datanodes.section("Shared-library adoption", "adoption")
    for track in tracks:
        part = datanodes.section(track.title, f"adoption-{track.name}")
        shown = load_shown(env, track)
        analysis = shown.analysis
        if analysis is not None:
            part.extend(headline(analysis))
        part.extend(shown.notices)
        if analysis is not None:
            for group in analysis.groups:
                part += group_chart(analysis, group, track.title)
        more = nodes.paragraph("", "The whole matrix and every library: ")
        more += datanodes.doc_link(track.title, matrix_docname(track), env.docname)
        more += nodes.Text(".")
        part += more
        section += part
    return [section]


# --- Build steps -------------------------------------------------------------


def publish(app: Sphinx, exception: BaseException | None) -> None:
    """``api/adoption.json``: every track's analysis; none without tracks."""
    if not publishes(app, exception):
        return
    tracks = adoption_tracks(site_data(app.env).registry)
    if not tracks:
        return
    state = data_state(app.env)
    records = [
        track_record(
            track,
            state.view(track.source_id).snapshot,
            analysis_of(state, track),
            page_url(app, matrix_docname(track)),
        )
        for track in tracks
    ]
    write_api(app, API_NAME, SCHEMA_VERSION, {"tracks": records})


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("crosswork.site.pagedata")
    add_kind(app, RECORD)
    app.add_directive("adoption-index", AdoptionIndex)
    app.add_directive("adoption-matrix", AdoptionMatrix)
    app.add_directive("adoption-divergence", AdoptionDivergence)
    app.add_directive("adoption-library", AdoptionLibrary)
    app.connect(SECTIONS_EVENT, adoption_pages)
    # Before the other data sections: the headline leads the charter's data.
    app.connect(CHARTER_SECTIONS_EVENT, charter_adoption, priority=400)
    app.connect("build-finished", publish)
    app.add_css_file("adoption.css")
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
