"""The charts of bug pages: counts by status and importance, and trends.

Each figure is a standalone SVG from :mod:`crosswork.charts` plus the
text alternative a page shows with it: the chart's own description, which
states every number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from crosswork.charts import count_chart, trend_chart, trend_text
from crosswork.fetch.snapshot import HistoryEntry
from crosswork.kinds.bugs.summary import Summary

INCOMPLETE = "Incomplete data: counts may be higher."


@dataclass(frozen=True)
class Figure:
    """A chart and its text alternative (the chart's own description)."""

    svg: str
    alt: str


def status_figure(label: str, summary: Summary, *, complete: bool = True) -> Figure:
    return _counts_figure(label, "status", summary.by_status, complete)


def importance_figure(label: str, summary: Summary, *, complete: bool = True) -> Figure:
    counts = [(imp or "none", n) for imp, n in summary.by_importance]
    return _counts_figure(label, "importance", counts, complete)


def _counts_figure(
    label: str, by: str, counts: Sequence[tuple[str, int]], complete: bool
) -> Figure:
    figures = ", ".join(f"{name} {n}" for name, n in counts)
    desc = f"Bugs of {label} by {by}: {figures or 'none'}."
    if not complete:
        desc += f" {INCOMPLETE}"
    title = f"{label}: bugs by {by}"
    return Figure(count_chart(title, counts, noun="bug", desc=desc), desc)


def trend_figure(
    history: Mapping[str, Sequence[HistoryEntry]],
    labels: Mapping[str, str],
    *,
    title: str = "Bug counts over time",
) -> Figure:
    """One line per source: its bug count on each day the fetch confirmed it.

    Days whose data was incomplete are named in the description: their
    counts are lower bounds.
    """
    points: dict[dt.date, dict[str, int]] = {}
    short: list[str] = []
    for source, entries in history.items():
        for entry in entries:
            points.setdefault(entry.day, {})[source] = entry.count
            if not entry.complete:
                short.append(f"{labels.get(source, source)} on {entry.day.isoformat()}")
    note = ""
    if short:
        note = f"Incomplete data, counts may be higher: {'; '.join(short)}."
    series = sorted(points.items())
    measure = "Bug count per track"
    svg = trend_chart(
        series, title=title, measure=measure, noun="bug", labels=labels, note=note
    )
    return Figure(svg, trend_text(series, measure=measure, labels=labels, note=note))
