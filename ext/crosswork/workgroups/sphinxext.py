"""Workgroup pages: the index, one charter page each, the meetings page.

Directives render the validated registry as docutils nodes and register the
charter files they show as dependencies, so editing one charter re-reads
only the pages that show it. Pages that show upcoming meeting dates record
the dates they show, and are read again on a day that changes them (a
meeting has passed), not on every new day. Calendars are written beside
the HTML.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from docutils import nodes

from crosswork import __version__
from crosswork.buildtime import build_date
from crosswork.site import datanodes
from crosswork.site.api import asset_url, page_url, write_api
from crosswork.site.data import SiteData, site_data
from crosswork.site.pagedata import CHARTER_SECTIONS_EVENT, SECTIONS_EVENT
from crosswork.site.pages import stub, toctree, write_if_changed
from crosswork.site.publication import publishes
from crosswork.site.summary import mark_summary
from crosswork.workgroups.calendar import (
    combined_calendar,
    converter_url,
    describe_slot,
    upcoming,
    workgroup_calendar,
)
from crosswork.workgroups.export import API_NAME, SCHEMA_VERSION, workgroup_record
from crosswork.workgroups.model import (
    Chair,
    Deliverable,
    Liaison,
    Meeting,
    Workgroup,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

CALENDARS = "calendars"
COMBINED_CALENDAR = f"{CALENDARS}/all-workgroups.ics"


_HANDLE_LINKS = {
    "github": "https://github.com/{}",
    "launchpad": "https://launchpad.net/~{}",
}

#: The web client of the chat network that the community's channels are on.
CHAT_WEB = "https://webchat.oftc.net/"
#: How many upcoming dates a meeting shows.
UPCOMING = 3
#: The environment's record of the upcoming dates each dated page shows.
DATED_PAGES = "crosswork_dated_pages"

#: The next dates of each of a workgroup's meetings, in charter order.
ShownDates = tuple[tuple[dt.datetime, ...], ...]


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


class WorkgroupDirective(datanodes.DataDirective):
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

    def count_from(self, workgroups: list[Workgroup]) -> dt.date:
        """The day upcoming meetings count from; the page records the dates
        it shows of ``workgroups``, to be read again when they change."""
        today = build_date()
        shown = dated_pages(self.env).setdefault(self.env.docname, {})
        shown.update({wg.slug: shown_dates(wg, today) for wg in workgroups})
        return today


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
        page += self.exit_criteria(workgroup)
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
        """The facts block: status and the TC liaison."""
        status = nodes.inline("", "", status_badge(workgroup.status))
        status += nodes.Text(f" since {workgroup.since.isoformat()}")
        facts = nodes.field_list(classes=["crosswork-charter-facts"])
        facts += field("Status", status)
        facts += field("TC liaison", liaison_entry(workgroup.liaison))
        return [facts]

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
        rows = [deliverable_row(item) for item in workgroup.deliverables]
        return datanodes.section(
            "Deliverables",
            "deliverables",
            datanodes.table(
                ["Deliverable", "Status", "Owner", "Target cycle", "What"],
                rows,
                classes=["crosswork-deliverables"],
            ),
        )

    @staticmethod
    def exit_criteria(workgroup: Workgroup) -> nodes.section:
        return datanodes.section(
            "Exit criteria",
            "exit-criteria",
            nodes.paragraph("", "The workgroup has done its work, and retires, when:"),
            datanodes.bullet_list(workgroup.exit_criteria),
        )

    def people(self, workgroup: Workgroup) -> nodes.section:
        chairs = datanodes.bullet_list(chair_entry(chair) for chair in workgroup.chairs)
        comms = workgroup.communication
        contact = nodes.field_list(classes=["crosswork-charter-facts"])
        contact += field(
            "Mailing list", mailing_list(comms.mailing_list, comms.archive)
        )
        contact += field("Subject tag", nodes.literal("", comms.tag))
        contact += field("Chat", chat_link(comms.chat))
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
        today = self.count_from([workgroup])
        section += meetings_table(workgroup.meetings, today)
        section += dates_note()
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


def chair_entry(chair: Chair | Liaison) -> nodes.paragraph:
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


def liaison_entry(liaison: Liaison | None) -> nodes.Node:
    if liaison is None:
        return nodes.emphasis("", "To be appointed")
    return chair_entry(liaison)


def deliverable_row(item: Deliverable) -> list[datanodes.Cell]:
    return [
        item.title,
        datanodes.badge(item.status.replace("-", " "), f"deliverable-{item.status}"),
        item.owner or "Not yet assigned",
        item.target or "—",
        datanodes.paragraphs(item.description)[0],
    ]


def mailing_list(address: str, archive: str) -> nodes.inline:
    """The address as a mailto link, and the archive when the charter gives one."""
    links: list[datanodes.Cell] = [datanodes.mail_link(address)]
    if archive:
        links.append(datanodes.external_link("archive", archive))
    return datanodes.join(links, " · ")


def chat_link(channel: str) -> nodes.Node:
    """The channel, opened in the chat network's web client."""
    url = f"{CHAT_WEB}?{urlencode({'channels': channel.lstrip('#')})}"
    return datanodes.external_link(channel, url)


def dates_note() -> nodes.paragraph:
    """Where the upcoming dates come from, and how to read them locally.

    The page is read again whenever a build finds other dates (see
    :func:`outdated_by_date`), so the note names no day: the dates are those
    of the last build on any day.
    """
    return nodes.paragraph(
        "",
        "Next dates are counted from the day the site was last built; each "
        "links to the time in your own time zone.",
    )


def shown_dates(workgroup: Workgroup, today: dt.date) -> ShownDates:
    """What a page shows of the workgroup's meetings counted from ``today``."""
    return tuple(
        tuple(upcoming(meeting, today, UPCOMING)) for meeting in workgroup.meetings
    )


def next_dates(meeting: Meeting, today: dt.date) -> nodes.Node:
    """The next meetings, each linked to the time in the reader's own zone."""
    starts = upcoming(meeting, today, UPCOMING)
    if not starts:
        return nodes.Text("None scheduled")
    return datanodes.bullet_list(
        [
            datanodes.external_link(f"{start:%a %d %b %Y, %H:%M}", converter_url(start))
            for start in starts
        ],
        classes=["crosswork-next-dates"],
    )


def where(meeting: Meeting) -> nodes.inline:
    """The channel, then the agenda and, when given, the logs."""
    links: list[datanodes.Cell] = [
        nodes.literal("", meeting.channel),
        datanodes.external_link("agenda", meeting.agenda),
    ]
    if meeting.logs:
        links.append(datanodes.external_link("logs", meeting.logs))
    return datanodes.join(links, " · ")


def meetings_table(meetings: tuple[Meeting, ...], today: dt.date) -> nodes.table:
    rows = []
    for meeting in meetings:
        skip = ", ".join(day.isoformat() for day in meeting.skip) or "—"
        row: list[datanodes.Cell] = [
            meeting.title,
            describe_slot(meeting),
            next_dates(meeting, today),
            where(meeting),
            skip,
        ]
        rows.append(row)
    return datanodes.table(
        ["Meeting", "When (UTC)", "Next (UTC)", "Where", "Skipped"],
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
        today = self.count_from(workgroups)
        result.append(dates_note())
        for workgroup in workgroups:
            section = datanodes.section(workgroup.name, f"meetings-{workgroup.slug}")
            line = nodes.paragraph("", "", self.link(workgroup))
            line += nodes.Text(" · ")
            line += datanodes.asset_link("calendar", calendar_asset(workgroup.slug))
            section += line
            if workgroup.meetings:
                section += meetings_table(workgroup.meetings, today)
            else:
                section += nodes.paragraph("", "No regular meeting.")
            result.append(section)
        return result


def write_calendars(app: Sphinx, exception: BaseException | None) -> None:
    """Publish one calendar per workgroup and a combined one beside the HTML."""
    if not publishes(app, exception):
        return
    site = site_data(app.env)
    outdir = Path(app.outdir)
    workgroups = list(site.registry)
    for workgroup in workgroups:
        write_if_changed(
            outdir / calendar_asset(workgroup.slug), workgroup_calendar(workgroup)
        )
    write_if_changed(outdir / COMBINED_CALENDAR, combined_calendar(workgroups))


def publish_api(app: Sphinx, exception: BaseException | None) -> None:
    """``api/workgroups.json``: every charter with its page and calendar."""
    if not publishes(app, exception):
        return
    records = [
        workgroup_record(
            workgroup,
            page_url(app, f"workgroups/{workgroup.slug}"),
            asset_url(app, calendar_asset(workgroup.slug)),
        )
        for workgroup in site_data(app.env).registry
    ]
    write_api(app, API_NAME, SCHEMA_VERSION, {"workgroups": records})


def dated_pages(env: BuildEnvironment) -> dict[str, dict[str, ShownDates]]:
    """Pages showing upcoming dates: by workgroup, the dates each shows."""
    if not hasattr(env, DATED_PAGES):
        setattr(env, DATED_PAGES, {})
    return getattr(env, DATED_PAGES)


def outdated_by_date(
    app: Sphinx,
    env: BuildEnvironment,
    added: set[str],
    changed: set[str],
    removed: set[str],
) -> list[str]:
    """Pages whose upcoming dates differ when counted from the build date."""
    today = build_date()
    workgroups = site_data(env).registry.workgroups
    now: dict[str, ShownDates | None] = {}

    def dates_now(slug: str) -> ShownDates | None:
        if slug not in now:
            found = workgroups.get(slug)
            now[slug] = None if found is None else shown_dates(found, today)
        return now[slug]

    return sorted(
        docname
        for docname, shown in dated_pages(env).items()
        if any(dates_now(slug) != dates for slug, dates in shown.items())
    )


def purge_dated_page(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    dated_pages(env).pop(docname, None)


def merge_dated_pages(
    app: Sphinx,
    env: BuildEnvironment,
    docnames: set[str],
    other: BuildEnvironment,
) -> None:
    mine = dated_pages(env)
    for docname, shown in dated_pages(other).items():
        if docname in docnames:
            mine[docname] = shown


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("crosswork.site.sphinxext")
    app.connect(SECTIONS_EVENT, workgroup_pages)
    app.add_directive("workgroup-index", WorkgroupIndex)
    app.add_directive("workgroup-charter", WorkgroupCharter)
    app.add_directive("workgroup-meetings", WorkgroupMeetings)
    app.connect("build-finished", write_calendars)
    app.connect("build-finished", publish_api)
    app.connect("env-get-outdated", outdated_by_date)
    app.connect("env-purge-doc", purge_dated_page)
    app.connect("env-merge-info", merge_dated_pages)
    return {
        "version": __version__,
        "env_version": 2,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
