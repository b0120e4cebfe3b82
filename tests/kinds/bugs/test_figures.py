"""Bug charts: their text alternative states every number."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from crosswork.fetch.snapshot import HistoryEntry
from crosswork.kinds.bugs.figures import importance_figure, status_figure, trend_figure
from crosswork.kinds.bugs.summary import summarize

from .make import bug

SUMMARY = summarize(
    [
        bug(1, status="New", importance="High"),
        bug(2, status="New", importance="Undecided"),
        bug(3, status="Triaged", importance="High"),
    ]
)


def desc(svg: str) -> str:
    return ET.fromstring(svg)[1].text or ""


def test_status_figure_describes_its_counts():
    figure = status_figure("Launchpad project nova", SUMMARY)
    assert figure.alt == "Bugs of Launchpad project nova by status: New 2, Triaged 1."
    assert desc(figure.svg) == figure.alt
    assert ET.fromstring(figure.svg)[0].text == "Launchpad project nova: bugs by status"


def test_importance_figure_and_incomplete_data():
    figure = importance_figure("nova", SUMMARY, complete=False)
    assert figure.alt == (
        "Bugs of nova by importance: High 2, Undecided 1."
        " Incomplete data: counts may be higher."
    )


def test_figures_are_deterministic():
    assert status_figure("nova", SUMMARY) == status_figure("nova", SUMMARY)


def test_trend_has_a_line_per_source_and_names_incomplete_days():
    day = dt.date(2026, 5, 1)
    history = {
        "quality.bugs.nova": [
            HistoryEntry(day, 40, True),
            HistoryEntry(day + dt.timedelta(days=1), 38, False),
        ],
        "quality.bugs.neutron": [HistoryEntry(day, 7, True)],
    }
    labels = {"quality.bugs.nova": "quality/nova", "quality.bugs.neutron": "neutron"}

    figure = trend_figure(history, labels)

    assert figure.alt == (
        "Bug count per track in 2 snapshots from 2026-05-01 to 2026-05-02."
        " Latest: quality/nova: 38."
        " Incomplete data, counts may be higher: quality/nova on 2026-05-02."
    )
    assert desc(figure.svg) == figure.alt
    root = ET.fromstring(figure.svg)
    assert len(list(root.iter("{http://www.w3.org/2000/svg}polyline"))) == 2
