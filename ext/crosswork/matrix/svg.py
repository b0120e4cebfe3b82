"""Parity and gap-trend charts as standalone SVG: no script, no stylesheet.

Every chart has a ``<title>`` and a ``<desc>`` that states the figures in
words, so it reads without sight and without JavaScript. Markup is built
with ElementTree, which escapes every text and attribute value; driver
titles come from contributor files and must never become markup. Text is
also cleaned of characters XML cannot hold and of bidirectional controls,
which could reorder a label. The same input gives the same bytes: the
element ids are derived from the content, numbers have fixed precision.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from crosswork.matrix.gaps import Analysis

SVG_NS = "http://www.w3.org/2000/svg"
FONT = "system-ui, sans-serif"
#: Visible label length; the full text stays in the element's tooltip.
LABEL_CHARS = 32
#: Longest label or title kept in a chart, and longest description.
TEXT_CAP = 300
DESC_CAP = 32 * 1024
CHAR_WIDTH = 6.6

BAR_COLOUR = "#2a6f97"
REFERENCE_COLOUR = "#6c757d"
GRID_COLOUR = "#d0d4d9"
TEXT_COLOUR = "#1f2328"
#: Okabe-Ito colours (distinguishable with colour-blindness), then dashes.
LINE_COLOURS = (
    "#0072b2",
    "#d55e00",
    "#009e73",
    "#cc79a7",
    "#e69f00",
    "#56b4e9",
    "#000000",
)
LINE_DASHES = ("", "6 3", "2 3", "8 3 2 3")

_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff]"
)
_SPACE = re.compile(r"\s+")


def clean(text: str, limit: int = TEXT_CAP) -> str:
    """One line of text XML can hold, cut at ``limit`` characters."""
    text = _SPACE.sub(" ", _UNSAFE.sub("\ufffd", text)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def number(value: float) -> str:
    """Coordinates with one decimal, the same on every platform."""
    return f"{value:.1f}"


def percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def chart_id(kind: str, content: object) -> str:
    """An id unique to the chart's content, so charts can share a page."""
    digest = hashlib.sha256(json.dumps(content, default=str).encode()).hexdigest()
    return f"crosswork-{kind}-{digest[:10]}"


def svg_root(
    ident: str, width: float, height: float, title: str, desc: str
) -> ET.Element:
    """The ``<svg>`` element with its accessible name, description and heading."""
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "width": number(width),
            "height": number(height),
            "viewBox": f"0 0 {number(width)} {number(height)}",
            "role": "img",
            "aria-labelledby": f"{ident}-title {ident}-desc",
            "font-family": FONT,
            "font-size": "12",
            "fill": TEXT_COLOUR,
        },
    )
    ET.SubElement(root, "title", {"id": f"{ident}-title"}).text = clean(title)
    ET.SubElement(root, "desc", {"id": f"{ident}-desc"}).text = clean(desc, DESC_CAP)
    heading = {"x": "12", "y": "22", "font-size": "15", "font-weight": "bold"}
    ET.SubElement(root, "text", heading).text = clean(title, 90)
    return root


def text(parent: ET.Element, x: float, y: float, content: str, **attrs: str) -> None:
    attributes = {"x": number(x), "y": number(y), **attrs}
    ET.SubElement(parent, "text", attributes).text = content


def line(
    parent: ET.Element, x1: float, y1: float, x2: float, y2: float, **attrs: str
) -> None:
    ends = {"x1": x1, "y1": y1, "x2": x2, "y2": y2}
    ET.SubElement(parent, "line", {k: number(v) for k, v in ends.items()} | attrs)


def serialise(root: ET.Element) -> str:
    return ET.tostring(root, encoding="unicode") + "\n"


# Parity chart


ROW = 22
BAR_HEIGHT = 14
BAR_WIDTH = 360
TOP = 44


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
    widest = max([len(clean(row.label, LABEL_CHARS)) for row in rows] + [8])
    left = 16 + CHAR_WIDTH * widest
    content = [title, [vars(row) for row in rows]]
    root = svg_root(
        chart_id("parity", content),
        left + BAR_WIDTH + 150,
        TOP + ROW * len(rows) + 34,
        title,
        desc,
    )
    draw_parity_axis(root, left, TOP + ROW * len(rows))
    bars = ET.SubElement(root, "g")
    for index, row in enumerate(rows):
        draw_parity_row(bars, TOP + ROW * index, left, row)
    return serialise(root)


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


def draw_parity_axis(root: ET.Element, left: float, bottom: float) -> None:
    grid = ET.SubElement(root, "g", {"stroke": GRID_COLOUR})
    labels = ET.SubElement(root, "g", {"font-size": "10", "text-anchor": "middle"})
    for tick in (0, 0.25, 0.5, 0.75, 1):
        x = left + BAR_WIDTH * tick
        line(grid, x, TOP - 4, x, bottom)
        text(labels, x, bottom + 14, f"{tick * 100:.0f}%")


def draw_parity_row(parent: ET.Element, y: float, left: float, row: ParityRow) -> None:
    group = ET.SubElement(parent, "g")
    tooltip = f"{row.label}: {percent(row.score)} parity, {row.summary}"
    ET.SubElement(group, "title").text = clean(tooltip)
    end = {"text-anchor": "end"}
    text(group, left - 8, y + 11, clean(row.label, LABEL_CHARS), **end)
    bar = {
        "x": number(left),
        "y": number(y),
        "width": number(BAR_WIDTH * max(0.0, min(row.score, 1.0))),
        "height": number(BAR_HEIGHT),
        "fill": REFERENCE_COLOUR if row.is_reference else BAR_COLOUR,
    }
    ET.SubElement(group, "rect", bar)
    value = f"{percent(row.score)} ({row.summary})"
    text(group, left + BAR_WIDTH + 8, y + 11, value)


# Trend chart


PLOT_LEFT = 48
PLOT_TOP = 44
PLOT_WIDTH = 440
PLOT_HEIGHT = 200
LEGEND_LEFT = PLOT_LEFT + PLOT_WIDTH + 36
LEGEND_ROW = 18
#: Least distance between two date labels; one is about 55 px wide.
TICK_SPACING = 64

TrendPoint = tuple[dt.date, Mapping[str, int]]


@dataclass(frozen=True)
class Axes:
    """Where dates and gap counts land in the plot."""

    dates: Mapping[dt.date, float]
    step: int
    top: int

    def y(self, count: float) -> float:
        return PLOT_TOP + PLOT_HEIGHT * (1 - count / self.top)


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
    series = sorted(points, key=lambda point: point[0])
    drivers = list(dict.fromkeys(key for _, counts in series for key in counts))
    names = {key: (labels or {}).get(key, key) for key in drivers}
    axes = trend_axes(series)
    content = [title, names, [(d.isoformat(), dict(c)) for d, c in series]]
    width = LEGEND_LEFT + 28 + CHAR_WIDTH * LABEL_CHARS + 12
    height = max(PLOT_TOP + PLOT_HEIGHT + 40, PLOT_TOP + LEGEND_ROW * len(drivers))
    desc = trend_description(series, names)
    root = svg_root(chart_id("trend", content), width, height, title, desc)
    draw_trend_axes(root, axes)
    for index, key in enumerate(drivers):
        style = line_style(index)
        draw_series(root, series, key, names[key], axes, style)
        draw_legend_entry(root, index, names[key], style)
    if not series:
        middle = {"text-anchor": "middle"}
        centre = PLOT_TOP + PLOT_HEIGHT / 2
        text(root, PLOT_LEFT + PLOT_WIDTH / 2, centre, "No snapshots yet", **middle)
    return serialise(root)


def trend_axes(series: list[TrendPoint]) -> Axes:
    largest = max([n for _, counts in series for n in counts.values()] + [1])
    step = tick_step(largest)
    return Axes(date_scale([d for d, _ in series]), step, step * -(-largest // step))


def tick_step(largest: int) -> int:
    """A whole y-axis step (1, 2 or 5 times a power of ten): at most 5 ticks."""
    power = 1
    while True:
        for step in (power, 2 * power, 5 * power):
            if step * 4 >= largest:
                return step
        power *= 10


def date_scale(dates: list[dt.date]) -> dict[dt.date, float]:
    """x positions proportional to time; a single date sits in the middle."""
    if not dates:
        return {}
    first, last = dates[0], dates[-1]
    span = (last - first).days
    if span == 0:
        return {d: PLOT_LEFT + PLOT_WIDTH / 2 for d in dates}
    return {d: PLOT_LEFT + PLOT_WIDTH * (d - first).days / span for d in dates}


def trend_description(series: list[TrendPoint], names: Mapping[str, str]) -> str:
    if not series:
        return "No snapshots yet."
    first, (last, latest) = series[0][0], series[-1]
    figures = "; ".join(f"{names[k]}: {n}" for k, n in latest.items())
    return (
        f"Gap count per driver in {plural(len(series), 'snapshot')} from"
        f" {first.isoformat()} to {last.isoformat()}."
        f" Latest: {figures or 'no drivers'}."
    )


def draw_trend_axes(root: ET.Element, axes: Axes) -> None:
    grid = ET.SubElement(root, "g", {"stroke": GRID_COLOUR})
    labels = ET.SubElement(root, "g", {"font-size": "10"})
    for value in range(0, axes.top + 1, axes.step):
        y = axes.y(value)
        line(grid, PLOT_LEFT, y, PLOT_LEFT + PLOT_WIDTH, y)
        text(labels, PLOT_LEFT - 6, y + 3, str(value), **{"text-anchor": "end"})
    bottom = PLOT_TOP + PLOT_HEIGHT + 14
    for date in tick_dates(axes.dates):
        middle = {"text-anchor": "middle"}
        text(labels, axes.dates[date], bottom, date.isoformat(), **middle)


def tick_dates(dates: Mapping[dt.date, float]) -> list[dt.date]:
    """Dates to label, left to right, far enough apart not to overlap; the
    first and the last always."""
    kept: list[dt.date] = []
    for date, x in dates.items():
        if not kept or x - dates[kept[-1]] >= TICK_SPACING:
            kept.append(date)
    last = next(reversed(dates), None)
    if kept and kept[-1] != last:
        kept[-1] = last  # too close to the last date: swap it for the last
    return kept


def line_style(index: int) -> dict[str, str]:
    """A colour per driver, then a dash pattern once the colours run out."""
    colour = LINE_COLOURS[index % len(LINE_COLOURS)]
    dash = LINE_DASHES[index // len(LINE_COLOURS) % len(LINE_DASHES)]
    return {"stroke": colour, "stroke-dasharray": dash} if dash else {"stroke": colour}


def draw_series(
    root: ET.Element,
    series: list[TrendPoint],
    key: str,
    name: str,
    axes: Axes,
    style: dict[str, str],
) -> None:
    group = ET.SubElement(root, "g", {"fill": style["stroke"]})
    ET.SubElement(group, "title").text = clean(name)
    for run in present_runs(series, key):
        points = " ".join(
            f"{number(axes.dates[d])},{number(axes.y(n))}" for d, n in run
        )
        shape = {"points": points, "fill": "none", "stroke-width": "2"} | style
        ET.SubElement(group, "polyline", shape)
        for date, count in run:
            centre = {"cx": number(axes.dates[date]), "cy": number(axes.y(count))}
            dot = ET.SubElement(group, "circle", centre | {"r": "3"})
            label = f"{name}, {date.isoformat()}: {plural(count, 'gap')}"
            ET.SubElement(dot, "title").text = clean(label)


def present_runs(series: list[TrendPoint], key: str) -> list[list[tuple[dt.date, int]]]:
    """Stretches of consecutive snapshots that hold ``key``."""
    runs: list[list[tuple[dt.date, int]]] = [[]]
    for date, counts in series:
        if key in counts:
            runs[-1].append((date, counts[key]))
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def draw_legend_entry(
    root: ET.Element, index: int, name: str, style: dict[str, str]
) -> None:
    y = PLOT_TOP + LEGEND_ROW * index
    line(root, LEGEND_LEFT, y, LEGEND_LEFT + 22, y, **{"stroke-width": "2"}, **style)
    text(root, LEGEND_LEFT + 28, y + 4, clean(name, LABEL_CHARS))
