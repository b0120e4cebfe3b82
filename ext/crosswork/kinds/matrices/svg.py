"""Parity and gap-trend charts as standalone SVG: no script, no stylesheet.

The drawing is :mod:`crosswork.charts` (accessible, escaped, deterministic
SVG shared by every capability); this module turns a matrix analysis into
its bars and lines. Driver titles come from contributor files: the shared
helpers escape them, clean them of characters XML cannot hold and of
bidirectional controls, and cut them in labels with the full text in a
tooltip.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from crosswork.charts import (
    BAR_COLOUR,
    REFERENCE_COLOUR,
    Bar,
    TrendPoint,
    bar_chart,
    clean,
    date_scale,
    percent,
    plural,
    tick_dates,
)
from crosswork.charts import trend_chart as _trend_chart
from crosswork.kinds.matrices.gaps import Analysis

__all__ = [
    "ParityRow",
    "TrendPoint",
    "clean",
    "date_scale",
    "parity_chart",
    "parity_description",
    "parity_rows",
    "tick_dates",
    "trend_chart",
]

#: Axis ticks of the parity chart: quarters of full parity.
PARITY_TICKS = tuple(
    (share, f"{share * 100:.0f}%") for share in (0, 0.25, 0.5, 0.75, 1)
)


@dataclass(frozen=True)
class ParityRow:
    label: str
    score: float
    gaps: int
    is_reference: bool

    @property
    def summary(self) -> str:
        return "reference" if self.is_reference else plural(self.gaps, "gap")


def parity_chart(analysis: Analysis, *, title: str | None = None) -> str:
    """A horizontal bar per driver, best parity first, the reference marked.

    The default title names the reference driver; each bar's tooltip gives
    its parity and gap count.
    """
    reference = analysis.matrix.driver(analysis.reference)
    reference_title = reference.title if reference else analysis.reference
    title = title or f"Parity with {reference_title}"
    rows = parity_rows(analysis)
    desc = parity_description(rows, reference_title, len(analysis.reference_features))
    bars = [
        Bar(
            label=row.label,
            share=row.score,
            value=f"{percent(row.score)} ({row.summary})",
            tooltip=f"{row.label}: {percent(row.score)} parity, {row.summary}",
            colour=REFERENCE_COLOUR if row.is_reference else BAR_COLOUR,
        )
        for row in rows
    ]
    return bar_chart(title, desc, bars, PARITY_TICKS, kind="parity")


def parity_rows(analysis: Analysis) -> list[ParityRow]:
    counts = analysis.gap_counts()
    rows = []
    for key in analysis.ranking():
        driver = analysis.matrix.driver(key)
        title = driver.title if driver else key
        is_reference = key == analysis.reference
        rows.append(
            ParityRow(title, analysis.parity[key], counts.get(key, 0), is_reference)
        )
    return rows


def parity_description(rows: list[ParityRow], reference: str, baseline: int) -> str:
    figures = "; ".join(
        f"{clean(row.label)}: {percent(row.score)}, {row.summary}"
        for row in rows
        if not row.is_reference
    )
    return (
        f"Share of the {plural(baseline, 'feature')} that {reference} supports"
        " completely which each driver supports too (complete counts 1,"
        f" partial 1/2). {figures or 'No other driver.'}"
    )


def trend_chart(
    points: Sequence[TrendPoint],
    *,
    title: str = "Gaps over time",
    labels: Mapping[str, str] | None = None,
) -> str:
    """One line per driver: its gap count at each snapshot date.

    ``labels`` maps driver keys to the titles shown (keys by default). A
    driver absent from some snapshots has a break in its line there.
    """
    return _trend_chart(
        points,
        title=title,
        measure="Gap count per driver",
        noun="gap",
        labels=labels,
    )
