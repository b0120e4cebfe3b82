"""Docutils views of an adoption analysis. Every value is text.

Library names, specifiers and markers come from upstream files: they go
into text nodes only, through :mod:`crosswork.site.datanodes`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from docutils import nodes

from crosswork.charts import count_chart, percent, plural
from crosswork.kinds.adoption.analysis import (
    NOT_USED,
    Analysis,
    GroupReport,
    LibraryReport,
)
from crosswork.site import datanodes
from crosswork.site.datanodes import chart, chart_node

#: ``(label, library name) -> link node``: how a view links a library page.
LibraryLink = Callable[[str, str], nodes.Node]


def names(items: Sequence[str]) -> str:
    return ", ".join(items) if items else "none"


def convergence_text(report: LibraryReport) -> str:
    if report.convergence is None:
        return "not used"
    return f"{percent(report.convergence)} at {report.modal_minimum or 'no minimum'}"


def group_sentence(analysis: Analysis, group: GroupReport) -> str:
    libs = ", ".join(
        analysis.reports[lib].display
        for lib in group.libraries
        if lib in analysis.reports
    )
    total = len(analysis.services)
    text = (
        f"{group.name.capitalize()} ({libs or ', '.join(group.libraries)}):"
        f" {len(group.adopted)} of {plural(total, 'service')} adopted"
    )
    if group.not_adopted:
        text += f"; not adopted by {names(group.not_adopted)}"
    return text + "."


def headline(analysis: Analysis) -> list[nodes.Node]:
    """Shared configuration and logging first, then spreads, then non-users."""
    items: list[str] = [group_sentence(analysis, g) for g in analysis.groups]
    spreads = analysis.widest_spreads()
    if spreads:
        items.append(
            "Widest version spread: "
            + "; ".join(
                f"{r.display} {r.spread} across {plural(len(r.users), 'service')}"
                for r in spreads
            )
            + "."
        )
    if analysis.uses_none:
        items.append(
            f"Using none of the followed libraries: {names(analysis.uses_none)}."
        )
    else:
        items.append("Every service uses at least one followed library.")
    return [datanodes.bullet_list(items)]


def matrix_table(analysis: Analysis, link: LibraryLink) -> nodes.container:
    """Services by libraries, in a box that scrolls with sticky headers."""
    headers = [
        "Service",
        *(analysis.reports[lib].display for lib in analysis.libraries),
    ]
    rows = [
        [service, *(analysis.cell(service, lib).text for lib in analysis.libraries)]
        for service in analysis.services
    ]
    table = datanodes.table(headers, rows, classes=["crosswork-adoption-matrix"])
    for entry in table.findall(nodes.entry):
        if entry.astext() == NOT_USED:
            entry["classes"].append("crosswork-adoption-unused")
    box = nodes.container(classes=["crosswork-adoption-scroll"])
    box += table
    links = nodes.paragraph("", "Library pages: ")
    for index, lib in enumerate(analysis.libraries):
        if index:
            links += nodes.Text(", ")
        links += link(analysis.reports[lib].display, lib)
    return nodes.container("", box, links)


def spread_table(analysis: Analysis, link: LibraryLink) -> nodes.table:
    """Every library: users, spread of minimums, floor, pin, convergence."""
    reports = sorted(
        analysis.reports.values(), key=lambda r: (r.spread_key, r.name), reverse=True
    )
    rows = [
        [
            link(r.display, r.name),
            f"{len(r.users)} of {len(analysis.services)}",
            r.spread,
            str(r.distinct_minimums),
            str(r.global_floor or "none"),
            str(r.pin or "none"),
            convergence_text(r),
        ]
        for r in reports
    ]
    return datanodes.table(
        [
            "Library",
            "Used by",
            "Minimums",
            "Distinct",
            "Global floor",
            "Pin",
            "Convergence",
        ],
        rows,
        classes=["crosswork-adoption-spread"],
    )


def library_view(analysis: Analysis, library: str) -> list[nodes.Node]:
    report = analysis.reports[library]
    summary = (
        f"{report.display} is used by {len(report.users)} of"
        f" {plural(len(analysis.services), 'service')}"
        f"; not by {names(report.non_users)}. Minimums: {report.spread}."
        f" Global requirements: {report.global_specifier or 'not listed'}"
        f" (floor {report.global_floor or 'none'})."
        f" Upper-constraints pin: {report.pin or 'none'}."
        f" Convergence: {convergence_text(report)}."
    )
    rows = [
        [
            service,
            analysis.cell(service, library).text,
            str(report.minimums[service] or "none"),
            "yes" if service in report.below_floor else "no",
            "yes" if service in report.excludes_pin else "no",
        ]
        for service in report.users
    ]
    return [
        nodes.paragraph("", summary),
        datanodes.table(
            ["Service", "Requirement", "Minimum", "Below floor", "Excludes pin"],
            rows,
            classes=["crosswork-adoption-library"],
        ),
    ]


def divergence_view(analysis: Analysis, link: LibraryLink) -> list[nodes.Node]:
    """Users below the global floor or excluding the pin, then all spreads."""
    rows: list[list[datanodes.Cell]] = []
    for report in analysis.reports.values():
        for service in report.below_floor:
            rows.append(
                [
                    link(report.display, report.name),
                    service,
                    f"minimum {report.minimums[service] or 'none'} is below the"
                    f" global floor {report.global_floor}",
                ]
            )
        for service in report.excludes_pin:
            rows.append(
                [
                    link(report.display, report.name),
                    service,
                    f"{analysis.cell(service, report.name).text} excludes the"
                    f" pin {report.pin}",
                ]
            )
    result: list[nodes.Node] = []
    if rows:
        result.append(
            datanodes.table(
                ["Library", "Service", "Finding"],
                rows,
                classes=["crosswork-adoption-divergence"],
            )
        )
    else:
        result.append(
            nodes.paragraph(
                "",
                "No service is below a global floor or excludes an"
                " upper-constraints pin.",
            )
        )
    result.append(nodes.rubric("", "Spread of minimums, widest first"))
    result.append(spread_table(analysis, link))
    return result


def group_chart(analysis: Analysis, group: GroupReport, title: str) -> chart:
    counts = [("adopted", len(group.adopted)), ("not adopted", len(group.not_adopted))]
    desc = group_sentence(analysis, group)
    svg = count_chart(f"{title}: {group.name}", counts, noun="service", desc=desc)
    return chart_node(svg, desc)


def problems_view(analysis: Analysis) -> list[nodes.Node]:
    if not analysis.problems:
        return [nodes.paragraph("", "Every line of every file was read.")]
    return [datanodes.bullet_list(str(p) for p in analysis.problems)]
