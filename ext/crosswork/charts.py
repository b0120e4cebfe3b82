"""Standalone SVG charts: bars and trend lines, no script, no stylesheet.

Every chart has a ``<title>`` and a ``<desc>`` that states the figures in
words, so it reads without sight and without JavaScript. Markup is built
with ElementTree, which escapes every text and attribute value: labels
come from contributor files and upstream trackers and must never become
markup. Text is also cleaned of characters XML cannot hold and of
bidirectional controls, which could reorder a label. The same input gives
the same bytes: element ids are derived from the content, and numbers
have a fixed precision.

Capabilities draw their charts with :func:`bar_chart`, :func:`count_chart`
and :func:`trend_chart`; the smaller helpers are public for charts of
their own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from crosswork.textclean import clean_line

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

_MIDDLE = {"text-anchor": "middle"}


def clean(text: str, limit: int = TEXT_CAP) -> str:
    """One line of text XML can hold, cut at ``limit`` characters."""
    return clean_line(text, limit)


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


def tick_step(largest: int) -> int:
    """A whole axis step (1, 2 or 5 times a power of ten): at most 5 ticks."""
    power = 1
    while True:
        for step in (power, 2 * power, 5 * power):
            if step * 4 >= largest:
                return step
        power *= 10


def axis_top(largest: int) -> tuple[int, int]:
    """The axis end and step for counts up to ``largest``: whole ticks."""
    step = tick_step(max(largest, 1))
    return step * -(-max(largest, 1) // step), step


# Bar charts


ROW = 22
BAR_HEIGHT = 14
BAR_WIDTH = 360
TOP = 44
#: Room right of the bars for the value text.
VALUE_WIDTH = 150


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: ``share`` of the axis (0 to 1) and its caption."""

    label: str
    share: float
    value: str
    tooltip: str
    colour: str = BAR_COLOUR


def bar_chart(
    title: str,
    desc: str,
    bars: Sequence[Bar],
    ticks: Sequence[tuple[float, str]],
    *,
    kind: str = "bars",
) -> str:
    """Horizontal bars in the given order, with a labelled axis below.

    ``ticks`` are ``(share, label)`` pairs; each bar shows its label on the
    left, its value on the right and its tooltip on hover.
    """
    widest = max([len(clean(bar.label, LABEL_CHARS)) for bar in bars] + [8])
    left = 16 + CHAR_WIDTH * widest
    content = [title, desc, [vars(bar) for bar in bars], list(ticks)]
    bottom = TOP + ROW * max(len(bars), 1)
    root = svg_root(
        chart_id(kind, content),
        left + BAR_WIDTH + VALUE_WIDTH,
        bottom + 34,
        title,
        desc,
    )
    draw_bar_axis(root, left, bottom, ticks)
    group = ET.SubElement(root, "g")
    for index, bar in enumerate(bars):
        draw_bar(group, TOP + ROW * index, left, bar)
    if not bars:
        text(root, left + BAR_WIDTH / 2, TOP + 11, "Nothing to show", **_MIDDLE)
    return serialise(root)


def draw_bar_axis(
    root: ET.Element, left: float, bottom: float, ticks: Sequence[tuple[float, str]]
) -> None:
    grid = ET.SubElement(root, "g", {"stroke": GRID_COLOUR})
    labels = ET.SubElement(root, "g", {"font-size": "10", "text-anchor": "middle"})
    for share, label in ticks:
        x = left + BAR_WIDTH * share
        line(grid, x, TOP - 4, x, bottom)
        text(labels, x, bottom + 14, label)


def draw_bar(parent: ET.Element, y: float, left: float, bar: Bar) -> None:
    group = ET.SubElement(parent, "g")
    ET.SubElement(group, "title").text = clean(bar.tooltip)
    text(
        group, left - 8, y + 11, clean(bar.label, LABEL_CHARS), **{"text-anchor": "end"}
    )
    shape = {
        "x": number(left),
        "y": number(y),
        "width": number(BAR_WIDTH * max(0.0, min(bar.share, 1.0))),
        "height": number(BAR_HEIGHT),
        "fill": bar.colour,
    }
    ET.SubElement(group, "rect", shape)
    text(group, left + BAR_WIDTH + 8, y + 11, clean(bar.value, LABEL_CHARS))


def count_chart(
    title: str, counts: Sequence[tuple[str, int]], *, noun: str, desc: str
) -> str:
    """A bar per ``(label, count)``, in the given order, on a whole-number axis."""
    top, step = axis_top(max([count for _, count in counts] + [0]))
    ticks = [(value / top, str(value)) for value in range(0, top + 1, step)]
    bars = [
        Bar(label, count / top, str(count), f"{label}: {plural(count, noun)}")
        for label, count in counts
    ]
    return bar_chart(title, desc, bars, ticks, kind="counts")


# Trend charts


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
    """Where dates and counts land in the plot."""

    dates: Mapping[dt.date, float]
    step: int
    top: int

    def y(self, count: float) -> float:
        return PLOT_TOP + PLOT_HEIGHT * (1 - count / self.top)


def trend_chart(
    points: Sequence[TrendPoint],
    *,
    title: str,
    measure: str,
    noun: str,
    labels: Mapping[str, str] | None = None,
    note: str = "",
) -> str:
    """One line per series: its count at each snapshot date.

    ``points`` are ``(date, {series key: count})``; ``labels`` maps keys to
    the names shown (keys by default). A series absent from some snapshots
    has a break in its line there. ``measure`` names what is counted in the
    description ("Gap count per driver"), ``noun`` one item ("gap"), and
    ``note`` is appended to the description.
    """
    series = sorted(points, key=lambda point: point[0])
    names = series_names(series, labels)
    axes = trend_axes(series)
    content = [title, measure, noun, note, names]
    content.append([(d.isoformat(), dict(c)) for d, c in series])
    width = LEGEND_LEFT + 28 + CHAR_WIDTH * LABEL_CHARS + 12
    height = max(PLOT_TOP + PLOT_HEIGHT + 40, PLOT_TOP + LEGEND_ROW * len(names))
    desc = trend_text(series, measure=measure, labels=labels, note=note)
    root = svg_root(chart_id("trend", content), width, height, title, desc)
    draw_trend_axes(root, axes)
    for index, key in enumerate(names):
        style = line_style(index)
        draw_series(root, series, key, names[key], axes, style, noun)
        draw_legend_entry(root, index, names[key], style)
    if not series:
        centre = PLOT_TOP + PLOT_HEIGHT / 2
        text(root, PLOT_LEFT + PLOT_WIDTH / 2, centre, "No snapshots yet", **_MIDDLE)
    return serialise(root)


def series_names(
    points: Sequence[TrendPoint], labels: Mapping[str, str] | None
) -> dict[str, str]:
    """Each series key, in order of first appearance, with its shown name."""
    keys = dict.fromkeys(key for _, counts in points for key in counts)
    return {key: (labels or {}).get(key, key) for key in keys}


def trend_text(
    points: Sequence[TrendPoint],
    *,
    measure: str,
    labels: Mapping[str, str] | None = None,
    note: str = "",
) -> str:
    """The description :func:`trend_chart` gives the same points: its text
    alternative."""
    series = sorted(points, key=lambda point: point[0])
    names = series_names(series, labels)
    return " ".join(filter(None, [trend_description(series, names, measure), note]))


def trend_axes(series: Sequence[TrendPoint]) -> Axes:
    top, step = axis_top(
        max([n for _, counts in series for n in counts.values()] + [1])
    )
    return Axes(date_scale([d for d, _ in series]), step, top)


def date_scale(dates: Sequence[dt.date]) -> dict[dt.date, float]:
    """x positions proportional to time; a single date sits in the middle."""
    if not dates:
        return {}
    first, last = dates[0], dates[-1]
    span = (last - first).days
    if span == 0:
        return {d: PLOT_LEFT + PLOT_WIDTH / 2 for d in dates}
    return {d: PLOT_LEFT + PLOT_WIDTH * (d - first).days / span for d in dates}


def trend_description(
    series: Sequence[TrendPoint], names: Mapping[str, str], measure: str
) -> str:
    if not series:
        return "No snapshots yet."
    first, (last, latest) = series[0][0], series[-1]
    figures = "; ".join(f"{names[k]}: {n}" for k, n in latest.items())
    return (
        f"{measure} in {plural(len(series), 'snapshot')} from"
        f" {first.isoformat()} to {last.isoformat()}."
        f" Latest: {figures or 'none'}."
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
        text(labels, axes.dates[date], bottom, date.isoformat(), **_MIDDLE)


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
    """A colour per series, then a dash pattern once the colours run out."""
    colour = LINE_COLOURS[index % len(LINE_COLOURS)]
    dash = LINE_DASHES[index // len(LINE_COLOURS) % len(LINE_DASHES)]
    return {"stroke": colour, "stroke-dasharray": dash} if dash else {"stroke": colour}


def draw_series(
    root: ET.Element,
    series: Sequence[TrendPoint],
    key: str,
    name: str,
    axes: Axes,
    style: dict[str, str],
    noun: str,
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
            label = f"{name}, {date.isoformat()}: {plural(count, noun)}"
            ET.SubElement(dot, "title").text = clean(label)


def present_runs(
    series: Sequence[TrendPoint], key: str
) -> list[list[tuple[dt.date, int]]]:
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


SPARK_WIDTH = 120
SPARK_HEIGHT = 28
_SPARK_PAD = 3


def sparkline(points: Sequence[tuple[dt.date, float]], *, title: str) -> str:
    """A tiny line of values per date, no axes: the shape of a trend beside a
    figure. Its description states the first and latest values in words."""
    series = sorted(points, key=lambda point: point[0])
    ident = chart_id("spark", [title, [(d.isoformat(), v) for d, v in series]])
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "width": str(SPARK_WIDTH),
            "height": str(SPARK_HEIGHT),
            "viewBox": f"0 0 {SPARK_WIDTH} {SPARK_HEIGHT}",
            "role": "img",
            "aria-labelledby": f"{ident}-title {ident}-desc",
        },
    )
    ET.SubElement(root, "title", {"id": f"{ident}-title"}).text = clean(title)
    desc = ET.SubElement(root, "desc", {"id": f"{ident}-desc"})
    desc.text = clean(sparkline_text(series, title))
    if series:
        coordinates = spark_coordinates(series)
        shape = {"fill": "none", "stroke": BAR_COLOUR, "stroke-width": "1.5"}
        polyline = " ".join(f"{number(x)},{number(y)}" for x, y in coordinates)
        ET.SubElement(root, "polyline", {"points": polyline, **shape})
        x, y = coordinates[-1]
        end = {"cx": number(x), "cy": number(y), "r": "2.5", "fill": BAR_COLOUR}
        ET.SubElement(root, "circle", end)
    return serialise(root)


def spark_coordinates(
    series: Sequence[tuple[dt.date, float]],
) -> list[tuple[float, float]]:
    """Dates spread in proportion to time, values between the lowest and the
    highest (a flat line sits in the middle)."""
    first, last = series[0][0], series[-1][0]
    span = (last - first).days or 1
    low = min(value for _, value in series)
    high = max(value for _, value in series)
    inner_w = SPARK_WIDTH - 2 * _SPARK_PAD
    inner_h = SPARK_HEIGHT - 2 * _SPARK_PAD

    def y(value: float) -> float:
        share = 0.5 if high == low else (value - low) / (high - low)
        return _SPARK_PAD + inner_h * (1 - share)

    return [
        (_SPARK_PAD + inner_w * (day - first).days / span, y(value))
        for day, value in series
    ]


def sparkline_text(series: Sequence[tuple[dt.date, float]], title: str) -> str:
    """ "Open bugs per snapshot day: 12 on 2026-11-27, 9 on 2026-12-05." """
    if not series:
        return f"{title}: no snapshots yet."
    (first, start), (last, end) = series[0], series[-1]
    if first == last:
        return f"{title}: {value_words(end)} on {last.isoformat()}."
    return (
        f"{title} per snapshot day: {value_words(start)} on {first.isoformat()},"
        f" {value_words(end)} on {last.isoformat()}"
        f" ({plural(len(series), 'day')} recorded)."
    )


def value_words(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
