"""The chart of advisories per year, drawn with :mod:`crosswork.charts`.

One bar per year of publication, newest first, as long as that year's
count of advisories that are not withdrawn; the description and each
bar's tooltip give the split by severity, so the chart reads the same
without sight. Same counts, same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping

from crosswork.charts import Bar, axis_top, bar_chart

TITLE = "Security advisories per year"


def advisories_noun(count: int) -> str:
    return f"{count} {'advisory' if count == 1 else 'advisories'}"


def breakdown(row: Mapping[str, int]) -> str:
    """``High 2, Medium 1``: the ratings a year has, most severe first."""
    return ", ".join(f"{label} {count}" for label, count in row.items() if count)


def year_chart(counts: Mapping[int, Mapping[str, int]], *, title: str = TITLE) -> str:
    """The SVG of ``counts`` as :func:`counts_by_year_and_severity` gives them."""
    totals = {year: sum(row.values()) for year, row in counts.items()}
    top, step = axis_top(max(totals.values(), default=0))
    ticks = [(value / top, str(value)) for value in range(0, top + 1, step)]
    bars = [
        Bar(
            label=str(year),
            share=totals[year] / top,
            value=str(totals[year]),
            tooltip=f"{year}: {advisories_noun(totals[year])} ({breakdown(row)})",
        )
        for year, row in counts.items()
    ]
    return bar_chart(title, description(counts), bars, ticks, kind="advisories")


def description(counts: Mapping[int, Mapping[str, int]]) -> str:
    """The chart's figures in words: its text alternative."""
    if not counts:
        return "No advisory has been published yet."
    years = "; ".join(
        f"{year}: {advisories_noun(sum(row.values()))} ({breakdown(row)})"
        for year, row in counts.items()
    )
    return (
        "Advisories per year of publication, withdrawn ones left out, "
        f"newest year first. {years}."
    )
