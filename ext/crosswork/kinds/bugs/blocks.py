"""Docutils nodes for bug data: tables and the sentences that count.

Data never becomes markup: titles, statuses and names go into text nodes,
links through the allowlist of :func:`crosswork.site.datanodes.external_link`.
Counts of incomplete data say "at least" and never "no bugs".
"""

from __future__ import annotations

from collections.abc import Sequence

from docutils import nodes

from crosswork.charts import clean, plural
from crosswork.fetch.snapshot import Snapshot
from crosswork.kinds.bugs.provider import MAX_TITLE, Bug, bugs_of
from crosswork.kinds.bugs.select import (
    BugFilter,
    SortOrder,
    Waiting,
    filter_bugs,
    limited,
    sort_bugs,
)
from crosswork.kinds.bugs.summary import Summary, describe
from crosswork.site import datanodes


def display_title(title: str) -> str:
    """A title as pages show it: one line, no control or bidi characters."""
    return clean(title, MAX_TITLE + 1)


def bug_link(bug: Bug) -> nodes.Node:
    label = f"#{bug.id}"
    return datanodes.external_link(label, bug.url) if bug.url else nodes.Text(label)


def count_paragraph(text: str) -> nodes.paragraph:
    return nodes.paragraph("", text, classes=["crosswork-count"])


def bug_table(bugs: Sequence[Bug], *, importance: bool) -> nodes.table:
    headers = ["Bug", "Title", "Status"]
    headers += ["Importance"] if importance else []
    headers += ["Tags", "Assignee", "Reported", "Updated"]
    rows = []
    for bug in bugs:
        row: list[datanodes.Cell] = [
            bug_link(bug),
            display_title(bug.title),
            bug.status,
        ]
        row += [bug.importance or "—"] if importance else []
        row += [
            ", ".join(bug.tags) or "—",
            bug.assignee or "—",
            bug.created.date().isoformat(),
            bug.updated.date().isoformat() if bug.updated else "—",
        ]
        rows.append(row)
    return datanodes.table(headers, rows, classes=["crosswork-bugs"])


def bug_list(
    snapshot: Snapshot,
    rule: BugFilter,
    order: SortOrder,
    limit: int | None,
    *,
    counted: bool = False,
) -> list[nodes.Node]:
    """The bugs that pass ``rule``, in ``order``, and how many there are.

    ``counted``: a summary above already gave the count, so only a cut
    list is announced.
    """
    matched = sort_bugs(
        filter_bugs(bugs_of(snapshot), rule, snapshot.fetched_at), order
    )
    shown = limited(matched, limit)
    filtered = rule != BugFilter()
    text = count_sentence(len(matched), len(shown), snapshot.complete, filtered)
    if counted:
        text = f"The first {len(shown)} of them:" if len(shown) < len(matched) else ""
    result: list[nodes.Node] = [count_paragraph(text)] if text else []
    if shown:
        launchpad = snapshot.query.get("tracker") == "launchpad"
        result.append(bug_table(shown, importance=launchpad))
    return result


def count_sentence(matched: int, shown: int, complete: bool, filtered: bool) -> str:
    """How many bugs a list holds; incomplete data never reads "no bugs"."""
    which = " match the filters" if filtered else ""
    if not matched:
        if complete:
            return (
                "No bugs match these filters."
                if filtered
                else "No bugs match this track."
            )
        return (
            f"None of the bugs read{which}, but the data is incomplete: some may"
            " be missing."
        )
    if matched == 1 and filtered:
        which = " matches the filters"
    text = f"{plural(matched, 'bug')}{which}."
    if not complete:
        text = f"At least {plural(matched, 'bug')}{which}: the data is incomplete."
    if shown < matched:
        text += f" Showing the first {shown}."
    return text


def summary_nodes(summary: Summary, *, complete: bool) -> list[nodes.Node]:
    """The count in a sentence, then the table of counts when there are any."""
    result: list[nodes.Node] = [count_paragraph(describe(summary, complete=complete))]
    if summary.total:
        result.append(counts_table(summary))
    return result


def counts_table(summary: Summary) -> nodes.table:
    """Statuses down, importances across, totals last: the charts' numbers."""
    if not summary.has_importance:
        rows = [[status, str(n)] for status, n in summary.by_status]
        rows.append(["All", str(summary.total)])
        return datanodes.table(["Status", "Bugs"], rows, classes=["crosswork-counts"])
    headers = ["Status", *(imp or "none" for imp in summary.importances), "All"]
    rows = [
        [
            status,
            *(str(summary.count(status, imp)) for imp in summary.importances),
            str(summary.count(status)),
        ]
        for status in summary.statuses
    ]
    totals = [str(n) for _, n in summary.by_importance]
    rows.append(["All", *totals, str(summary.total)])
    return datanodes.table(headers, rows, classes=["crosswork-counts"])


def triage_rule(older_than: int) -> nodes.paragraph:
    return nodes.paragraph(
        "",
        "Launchpad bugs still New with importance Undecided, reported more than"
        f" {plural(older_than, 'day')} before their data was fetched, oldest first.",
    )


def triage_sentence(waiting: int, partial: bool, older_than: int) -> str:
    """``partial``: some track had incomplete or no data."""
    if waiting:
        text = f"{plural(waiting, 'bug')} waiting."
        if partial:
            return f"At least {text} Some tracks have incomplete or no data."
        return text
    if partial:
        return (
            "None found in the data read, but some tracks have incomplete or no"
            " data: bugs may be missing."
        )
    return f"No bug has waited for triage longer than {plural(older_than, 'day')}."


def triage_table(queue: Sequence[Waiting]) -> nodes.table:
    rows: list[list[datanodes.Cell]] = [
        [
            bug_link(entry.bug),
            display_title(entry.bug.title),
            entry.bug.project,
            entry.bug.created.date().isoformat(),
            plural(entry.age, "day"),
        ]
        for entry in queue
    ]
    return datanodes.table(
        ["Bug", "Title", "Project", "Reported", "Waiting"],
        rows,
        classes=["crosswork-bugs", "crosswork-triage"],
    )
