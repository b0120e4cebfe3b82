"""Shared SVG charts: well-formed, accessible, deterministic and inert."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from crosswork.charts import (
    SVG_NS,
    Bar,
    axis_top,
    bar_chart,
    chart_id,
    clean,
    count_chart,
    line_style,
    sparkline,
    sparkline_text,
    tick_step,
    trend_chart,
    trend_text,
)

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = (
    "<script>alert(1)</script> ]]> &amp; :ref:`x` `y <javascript:alert(1)>`_"
    " <img src=x onerror=alert(1)> \x00 \u202egnp.exe"
)
DAYS = [dt.date(2026, 5, day) for day in (1, 2, 4)]


def texts(svg: str) -> list[str]:
    return [t for t in ET.fromstring(svg).itertext() if t.strip()]


def assert_inert(svg: str) -> None:
    """No element or attribute that could run or load anything."""
    root = ET.fromstring(svg)
    tags = {element.tag.removeprefix(NS) for element in root.iter()}
    assert tags <= {"svg", "title", "desc", "text", "g", "line", "rect"} | {
        "polyline",
        "circle",
    }
    assert not any(k.startswith("on") for e in root.iter() for k in e.attrib)
    assert "<script" not in svg and "<img" not in svg and "]]>" not in svg
    assert "\x00" not in svg and "\u202e" not in svg


def counts(**numbers: int) -> list[tuple[str, int]]:
    return list(numbers.items())


class TestCountChart:
    def test_is_titled_described_and_labelled_for_assistive_technology(self):
        svg = count_chart("Bugs", counts(New=3, Triaged=5), noun="bug", desc="D")
        root = ET.fromstring(svg)
        title, desc = root[0], root[1]
        assert (title.tag, title.text) == (f"{NS}title", "Bugs")
        assert (desc.tag, desc.text) == (f"{NS}desc", "D")
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"

    def test_bars_are_proportional_on_a_whole_number_axis(self):
        svg = count_chart("Bugs", counts(New=3, Triaged=5), noun="bug", desc="D")
        widths = [float(r.get("width")) for r in ET.fromstring(svg).iter(f"{NS}rect")]
        assert widths == [180.0, 300.0]  # of 360 for an axis ending at 6
        assert [t for t in texts(svg) if t.isdigit()] == ["0", "2", "4", "6", "3", "5"]

    def test_tooltips_state_each_count(self):
        svg = count_chart("Bugs", counts(New=1, Triaged=5), noun="bug", desc="D")
        assert "New: 1 bug" in texts(svg)
        assert "Triaged: 5 bugs" in texts(svg)

    def test_same_input_same_bytes_and_different_input_different_ids(self):
        one = count_chart("Bugs", counts(New=3), noun="bug", desc="D")
        two = count_chart("Bugs", counts(New=4), noun="bug", desc="D")
        assert one == count_chart("Bugs", counts(New=3), noun="bug", desc="D")
        assert ET.fromstring(one)[0].get("id") != ET.fromstring(two)[0].get("id")

    def test_no_counts_draws_an_empty_chart(self):
        svg = count_chart("Bugs", [], noun="bug", desc="None.")
        assert "Nothing to show" in texts(svg)
        assert list(ET.fromstring(svg).iter(f"{NS}rect")) == []

    def test_hostile_labels_are_escaped_text(self):
        svg = count_chart(HOSTILE, [(HOSTILE, 2)], noun="bug", desc=HOSTILE)
        assert_inert(svg)
        root = ET.fromstring(svg)
        assert root[0].text == clean(HOSTILE)
        assert root[1].text == clean(HOSTILE)
        assert clean(HOSTILE, 32) in texts(svg)


def test_bar_chart_uses_the_given_colours_ticks_and_values():
    bars = [Bar("a", 0.5, "half", "a: half", colour="#123456")]
    root = ET.fromstring(bar_chart("T", "D", bars, [(0, "none"), (1, "all")]))
    assert [r.get("fill") for r in root.iter(f"{NS}rect")] == ["#123456"]
    assert {"none", "all", "half", "a: half"} <= set(
        texts(ET.tostring(root, "unicode"))
    )


POINTS = [
    (DAYS[2], {"a": 4, "b": 1}),
    (DAYS[0], {"a": 2}),
    (DAYS[1], {"a": 3, "b": 2}),
]


class TestTrendChart:
    def chart(self, **options):
        options.setdefault("title", "Trend")
        options.setdefault("measure", "Bug count per track")
        options.setdefault("noun", "bug")
        return trend_chart(POINTS, **options)

    def test_description_states_the_span_and_the_latest_counts(self):
        root = ET.fromstring(self.chart(labels={"a": "A"}, note="Note."))
        assert root[1].text == (
            "Bug count per track in 3 snapshots from 2026-05-01 to 2026-05-04."
            " Latest: A: 4; b: 1. Note."
        )

    def test_trend_text_is_the_charts_description(self):
        text = trend_text(POINTS, measure="Bug count per track", note="Note.")
        assert ET.fromstring(self.chart(note="Note."))[1].text == text

    def test_one_line_per_series_and_one_dot_per_point(self):
        root = ET.fromstring(self.chart())
        assert len(list(root.iter(f"{NS}polyline"))) == 2
        assert len(list(root.iter(f"{NS}circle"))) == 5
        assert "b, 2026-05-02: 2 bugs" in texts(ET.tostring(root, "unicode"))

    def test_deterministic_whatever_the_order_of_points(self):
        assert self.chart() == trend_chart(
            list(reversed(POINTS)),
            title="Trend",
            measure="Bug count per track",
            noun="bug",
        )

    def test_hostile_names_are_escaped_text(self):
        assert_inert(self.chart(title=HOSTILE, labels={"a": HOSTILE}, note=HOSTILE))

    def test_no_points(self):
        svg = trend_chart([], title="T", measure="M", noun="bug")
        assert ET.fromstring(svg)[1].text == "No snapshots yet."


@pytest.mark.parametrize(
    ("largest", "top", "step"),
    [(0, 1, 1), (1, 1, 1), (4, 4, 1), (5, 6, 2), (9, 10, 5), (41, 60, 20)],
)
def test_axis_top_gives_whole_ticks(largest, top, step):
    assert axis_top(largest) == (top, step)
    assert tick_step(max(largest, 1)) == step


def test_chart_ids_depend_on_kind_and_content():
    assert chart_id("a", [1]) == chart_id("a", [1])
    assert len({chart_id("a", [1]), chart_id("b", [1]), chart_id("a", [2])}) == 3


def test_line_styles_stay_distinct_past_the_palette():
    styles = [tuple(sorted(line_style(i).items())) for i in range(20)]
    assert len(set(styles)) == 20


SPARK_POINTS = [(dt.date(2026, 11, 27), 12.0), (dt.date(2026, 12, 5), 9.0)]


def test_a_sparkline_states_its_first_and_latest_values_in_words():
    svg = sparkline(SPARK_POINTS, title="Open bugs")
    root = ET.fromstring(svg)
    desc = root.find(f"{{{SVG_NS}}}desc")
    assert desc is not None
    assert desc.text == (
        "Open bugs per snapshot day: 12 on 2026-11-27, 9 on 2026-12-05"
        " (2 days recorded)."
    )
    assert sparkline_text(sorted(SPARK_POINTS), "Open bugs") == desc.text


def test_a_sparkline_spans_its_box_from_the_highest_to_the_lowest_value():
    root = ET.fromstring(sparkline(SPARK_POINTS, title="Open bugs"))
    line = root.find(f"{{{SVG_NS}}}polyline")
    assert line is not None
    assert line.get("points") == "3.0,3.0 117.0,25.0"
    assert sparkline(SPARK_POINTS, title="Open bugs") == sparkline(
        list(reversed(SPARK_POINTS)), title="Open bugs"
    )


def test_a_flat_sparkline_sits_in_the_middle_and_rates_keep_a_decimal():
    flat = [(dt.date(2026, 12, 1), 12.5), (dt.date(2026, 12, 2), 12.5)]
    root = ET.fromstring(sparkline(flat, title="Gate failure rate (%)"))
    line = root.find(f"{{{SVG_NS}}}polyline")
    assert line is not None
    assert line.get("points") == "3.0,14.0 117.0,14.0"
    assert "12.5 on 2026-12-01" in sparkline_text(flat, "Rate")


def test_a_sparkline_is_inert_whatever_its_title():
    svg = sparkline(SPARK_POINTS, title=HOSTILE)
    assert_inert(svg)
    assert clean(HOSTILE) in texts(svg)
