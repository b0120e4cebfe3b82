"""Workgroup pages: the index, one charter page each, the meetings page.

Directives render the validated registry as docutils nodes and register the
charter files they show as dependencies, so editing one charter re-reads
only the pages that show it. Calendars are written beside the HTML.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from crosswork import __version__
from crosswork.site import datanodes
from crosswork.site.data import SiteData, site_data
from crosswork.site.pagedata import CHARTER_SECTIONS_EVENT, SECTIONS_EVENT
from crosswork.site.pages import stub, toctree, write_if_changed
from crosswork.site.summary import mark_summary
from crosswork.workgroups.calendar import (
    combined_calendar,
    describe_slot,
    workgroup_calendar,
)
from crosswork.workgroups.model import Chair, Meeting, Workgroup

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

CALENDARS = "calendars"
COMBINED_CALENDAR = f"{CALENDARS}/all-workgroups.ics"


_HANDLE_LINKS = {
    "github": "https://github.com/{}",
    "launchpad": "https://launchpad.net/~{}",
}


def calendar_asset(slug: str) -> str:
    return f"{CALENDARS}/{slug}.ics"


def workgroup_pages(app: Sphinx, site: SiteData) -> dict[str, dict[str, str]]:
    """The stub pages of the ``workgroups`` section."""
    slugs = list(site.registry.workgroups)
    pages = {"index.rst": stub(".. workgroup-index::", *toctree(slugs))}
    pages |= {f"{slug}.rst": stub(f".. workgroup-charter:: {slug}") for slug in slugs}
    return {"workgroups": pages}


def status_badge(status: str) -> nodes.inline:
    return datanodes.badge(status, status)


class WorkgroupDirective(SphinxDirective):
    """Shared by the directives that show registry data."""

    @property
    def site(self) -> SiteData:
        return site_data(self.env)

    def depend_on(self, workgroups: list[Workgroup]) -> None:
        for workgroup in workgroups:
            self.env.note_dependency(str(self.site.path(workgroup.source)))

    def link(self, workgroup: Workgroup) -> nodes.Node:
        return datanodes.doc_link(
            workgroup.name, f"workgroups/{workgroup.slug}", self.env.docname
        )


class WorkgroupIndex(WorkgroupDirective):
    """The table of every workgroup: status, chairs, meeting slot, mission."""

    def run(self) -> list[nodes.Node]:
        workgroups = list(self.site.registry)
        self.depend_on(workgroups)
        rows = [
            [
                self.link(wg),
                status_badge(wg.status),
                datanodes.join(chair.name for chair in wg.chairs),
                datanodes.join(describe_slot(m) for m in wg.meetings)
                if wg.meetings
                else "—",
                datanodes.paragraphs(wg.mission)[0],
            ]
            for wg in workgroups
        ]
        intro = nodes.paragraph(
            "",
            "Each workgroup publishes its charter here. Subscribe to every "
            "meeting at once with the ",
        )
        intro += datanodes.asset_link("combined calendar", COMBINED_CALENDAR)
        intro += nodes.Text(".")
        table = datanodes.table(
            ["Workgroup", "Status", "Chairs", "Meetings", "Mission"],
            rows,
            classes=["crosswork-workgroups"],
        )
        return [datanodes.section("Workgroups", "workgroups", intro, table)]


class WorkgroupCharter(WorkgroupDirective):
    """A workgroup's charter page."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        workgroup = self.site.registry[self.arguments[0]]
        self.depend_on([workgroup])
        page = datanodes.section(
            workgroup.name, workgroup.slug, *self.summary(workgroup)
        )
        page += mark_summary(
            datanodes.section(
                "Mission", "mission", *datanodes.paragraphs(workgroup.mission)
            ),
            workgroup.mission,
        )
        page += self.scope(workgroup)
        page += self.deliverables(workgroup)
        page += self.people(workgroup)
        page += self.meetings(workgroup)
        page += self.history(workgroup)
        for sections in self.env.events.emit(
            CHARTER_SECTIONS_EVENT, self.env, workgroup
        ):
            page.extend(sections)
        return [page]

    @staticmethod
    def summary(workgroup: Workgroup) -> list[nodes.Node]:
        status = nodes.paragraph("", "", status_badge(workgroup.status))
        status += nodes.Text(f" since {workgroup.since.isoformat()}")
        return [status]

    @staticmethod
    def scope(workgroup: Workgroup) -> nodes.section:
        return datanodes.section(
            "Scope",
            "scope",
            nodes.rubric("", "In scope"),
            datanodes.bullet_list(workgroup.scope_in),
            nodes.rubric("", "Out of scope"),
            datanodes.bullet_list(workgroup.scope_out),
        )

    @staticmethod
    def deliverables(workgroup: Workgroup) -> nodes.section:
        rows = [
            [item.title, item.target or "—", datanodes.paragraphs(item.description)[0]]
            for item in workgroup.deliverables
        ]
        return datanodes.section(
            "Deliverables",
            "deliverables",
            datanodes.table(["Deliverable", "Target cycle", "What"], rows),
        )

    def people(self, workgroup: Workgroup) -> nodes.section:
        chairs = datanodes.bullet_list(chair_entry(chair) for chair in workgroup.chairs)
        comms = workgroup.communication
        contact = nodes.field_list()
        contact += field(
            "Mailing list", datanodes.join([datanodes.mail_link(comms.mailing_list)])
        )
        contact += field("Subject tag", nodes.literal("", comms.tag))
        contact += field("Chat", nodes.literal("", comms.chat))
        return datanodes.section(
            "People and contact",
            "people",
            nodes.rubric("", "Chairs"),
            chairs,
            nodes.rubric("", "Stakeholder projects"),
            nodes.paragraph("", "", datanodes.join(workgroup.stakeholders)),
            nodes.rubric("", "Communication"),
            contact,
        )

    def meetings(self, workgroup: Workgroup) -> nodes.section:
        section = datanodes.section("Meetings", "meetings")
        if not workgroup.meetings:
            section += nodes.paragraph("", "This workgroup holds no regular meeting.")
            return section
        section += meetings_table(workgroup.meetings)
        download = nodes.paragraph("", "Add these meetings to your calendar: ")
        download += datanodes.asset_link(
            f"{workgroup.slug}.ics", calendar_asset(workgroup.slug)
        )
        download += nodes.Text(".")
        section += download
        return section

    @staticmethod
    def history(workgroup: Workgroup) -> nodes.section:
        rows = [
            [change.date.isoformat(), status_badge(change.status), change.note or "—"]
            for change in workgroup.status_history
        ]
        return datanodes.section(
            "Status history",
            "status-history",
            datanodes.table(["Date", "Status", "Note"], rows),
        )


def field(name: str, value: nodes.Node) -> nodes.field:
    return nodes.field(
        "",
        nodes.field_name("", name),
        nodes.field_body("", datanodes.as_paragraph(value)),
    )


def chair_entry(chair: Chair) -> nodes.paragraph:
    entry = nodes.paragraph("", "", nodes.strong("", chair.name))
    handles: list[nodes.Node] = []
    for kind, handle in chair.handles.items():
        if kind == "email":
            value: nodes.Node = datanodes.mail_link(handle)
        elif kind in _HANDLE_LINKS:
            value = datanodes.external_link(handle, _HANDLE_LINKS[kind].format(handle))
        else:
            value = nodes.literal("", handle)
        item = nodes.inline("", f"{kind}: ")
        item += value
        handles.append(item)
    if handles:
        entry += nodes.Text(" (")
        entry += datanodes.join(handles)
        entry += nodes.Text(")")
    return entry


def meetings_table(meetings: tuple[Meeting, ...]) -> nodes.table:
    rows = []
    for meeting in meetings:
        skip = ", ".join(day.isoformat() for day in meeting.skip) or "—"
        row: list[datanodes.Cell] = [
            meeting.title,
            describe_slot(meeting),
            nodes.literal("", meeting.channel),
            datanodes.external_link("agenda", meeting.agenda),
            skip,
        ]
        rows.append(row)
    return datanodes.table(
        ["Meeting", "When (UTC)", "Channel", "Agenda", "Skipped"],
        rows,
        classes=["crosswork-meetings"],
    )


class WorkgroupMeetings(WorkgroupDirective):
    """Every workgroup's meetings on one page, with the calendars."""

    def run(self) -> list[nodes.Node]:
        workgroups = list(self.site.registry)
        self.depend_on(workgroups)
        result: list[nodes.Node] = []
        intro = nodes.paragraph("", "All times are UTC. Subscribe to the ")
        intro += datanodes.asset_link("combined calendar", COMBINED_CALENDAR)
        intro += nodes.Text(" or to one workgroup's calendar below.")
        result.append(intro)
        for workgroup in workgroups:
            section = datanodes.section(workgroup.name, f"meetings-{workgroup.slug}")
            line = nodes.paragraph("", "", self.link(workgroup))
            line += nodes.Text(" · ")
            line += datanodes.asset_link("calendar", calendar_asset(workgroup.slug))
            section += line
            if workgroup.meetings:
                section += meetings_table(workgroup.meetings)
            else:
                section += nodes.paragraph("", "No regular meeting.")
            result.append(section)
        return result


def write_calendars(app: Sphinx, exception: BaseException | None) -> None:
    """Publish one calendar per workgroup and a combined one beside the HTML."""
    if exception is not None or app.builder.format != "html":
        return
    site = site_data(app.env)
    outdir = Path(app.outdir)
    workgroups = list(site.registry)
    for workgroup in workgroups:
        write_if_changed(
            outdir / calendar_asset(workgroup.slug), workgroup_calendar(workgroup)
        )
    write_if_changed(outdir / COMBINED_CALENDAR, combined_calendar(workgroups))


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("crosswork.site.sphinxext")
    app.connect(SECTIONS_EVENT, workgroup_pages)
    app.add_directive("workgroup-index", WorkgroupIndex)
    app.add_directive("workgroup-charter", WorkgroupCharter)
    app.add_directive("workgroup-meetings", WorkgroupMeetings)
    app.connect("build-finished", write_calendars)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
