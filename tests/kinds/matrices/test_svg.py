"""SVG charts: well-formed, accessible, deterministic, and inert."""

from __future__ import annotations

import datetime as dt
import itertools
import xml.etree.ElementTree as ET

import pytest

from crosswork.kinds.matrices.gaps import analyse
from crosswork.kinds.matrices.parse import parse_matrix
from crosswork.kinds.matrices.svg import (
    clean,
    date_scale,
    parity_chart,
    tick_dates,
    trend_chart,
)

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = (
    "<script>alert(1)</script> ]]> &amp; & :ref:`x` `y <javascript:alert(1)>`_"
    " <img src=x onerror=alert(1)> \x00 \u202egnp.exe"
)

MATRIX = """\
[driver.kvm]
title=KVM

[driver.xen]
title={xen}

[driver.lxc]
title=LXC

[operation.boot]
title=Boot
notes={xen}
driver.kvm=complete
driver.xen=partial
driver-notes.xen={xen}
driver.lxc=missing

[operation.stop]
title=Stop
driver.kvm=complete
driver.xen=complete
driver.lxc=missing
"""


def analysis(xen_title: str = "Xen"):
    matrix, problems = parse_matrix("c.ini", MATRIX.format(xen=xen_title))
    assert [p for p in problems if p.code != "X119"] == []  # X119: \x00, \u202e
    return analyse(matrix, "kvm")


def texts(svg: str) -> list[str]:
    """Every piece of text a reader gets, markup decoded."""
    return [t for t in ET.fromstring(svg).itertext() if t.strip()]


POINTS = [
    (dt.date(2021, 1, 1), {"xen": 9, "lxc": 20}),
    (dt.date(2020, 1, 1), {"xen": 12, "lxc": 22}),
    (dt.date(2022, 1, 1), {"lxc": 18}),
    (dt.date(2023, 1, 1), {"xen": 3, "lxc": 17}),
]


class TestParityChart:
    def test_well_formed_with_title_and_description(self):
        root = ET.fromstring(parity_chart(analysis()))
        title, desc = root[0], root[1]
        assert root.tag == f"{NS}svg"
        assert (title.tag, desc.tag) == (f"{NS}title", f"{NS}desc")
        assert title.text == "Parity with KVM"
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"

    def test_description_states_the_figures(self):
        desc = ET.fromstring(parity_chart(analysis()))[1].text
        assert "Share of the 2 features that KVM supports completely" in desc
        assert "Xen: 75.0%, 1 gap; LXC: 0.0%, 2 gaps" in desc

    def test_bars_best_first_and_proportional(self):
        root = ET.fromstring(parity_chart(analysis()))
        widths = [float(r.get("width")) for r in root.iter(f"{NS}rect")]
        assert widths == [360.0, 270.0, 0.0]

    def test_deterministic(self):
        assert parity_chart(analysis()) == parity_chart(analysis())

    def test_custom_title(self):
        svg = parity_chart(analysis(), title="KVM & friends")
        assert "<title id=" in svg
        assert "KVM &amp; friends" in svg
        assert ET.fromstring(svg)[0].text == "KVM & friends"

    def test_hostile_title_is_escaped_text(self):
        svg = parity_chart(analysis(HOSTILE))
        root = ET.fromstring(svg)
        assert "<script" not in svg
        assert "<img" not in svg
        assert "]]>" not in svg
        assert "\x00" not in svg and "\u202e" not in svg
        assert [
            e.tag
            for e in root.iter()
            if e.tag.endswith(("script", "img", "a", "foreignObject"))
        ] == []
        assert not any(k.startswith("on") for e in root.iter() for k in e.attrib)
        assert clean(HOSTILE, 32) in texts(svg)
        assert any(t.startswith(clean(HOSTILE)) for t in texts(svg))
        assert "<script>alert(1)</script> ]]> &amp; & :ref:`x`" in clean(HOSTILE)

    def test_long_labels_are_cut_with_the_full_text_in_the_tooltip(self):
        svg = parity_chart(analysis("X" * 80))
        assert "X" * 31 + "…" in texts(svg)
        assert f"{'X' * 80}: 75.0% parity, 1 gap" in texts(svg)


class TestTrendChart:
    def test_well_formed_and_described(self):
        root = ET.fromstring(trend_chart(POINTS, labels={"xen": "Xen", "lxc": "LXC"}))
        assert root[0].text == "Gaps over time"
        assert root[1].text == (
            "Gap count per driver in 4 snapshots from 2020-01-01 to 2023-01-01."
            " Latest: Xen: 3; LXC: 17."
        )

    def test_points_sorted_by_date_and_missing_snapshots_break_the_line(self):
        root = ET.fromstring(trend_chart(POINTS))
        polylines = [p.get("points").split() for p in root.iter(f"{NS}polyline")]
        xs = [[float(point.split(",")[0]) for point in line] for line in polylines]
        assert [len(line) for line in xs] == [2, 1, 4]  # xen, xen, lxc
        assert all(a < b for line in xs for a, b in itertools.pairwise(line))

    def test_y_axis_has_whole_numbers(self):
        svg = trend_chart(POINTS)
        assert [t for t in texts(svg) if t.isdigit()] == ["0", "10", "20", "30"]

    def test_deterministic(self):
        assert trend_chart(POINTS) == trend_chart(list(reversed(POINTS)))

    def test_single_snapshot_and_no_snapshot(self):
        one = ET.fromstring(trend_chart([(dt.date(2024, 5, 1), {"xen": 0})]))
        none = trend_chart([])
        assert [c.get("cx") for c in one.iter(f"{NS}circle")] == ["268.0"]
        assert "No snapshots yet" in texts(none)

    def test_hostile_label_is_escaped_text(self):
        svg = trend_chart(POINTS, title=HOSTILE, labels={"xen": HOSTILE})
        assert "<script" not in svg
        assert "<img" not in svg
        ET.fromstring(svg)

    def test_many_drivers_get_distinct_styles(self):
        counts = {f"d{i}": i for i in range(10)}
        root = ET.fromstring(trend_chart([(dt.date(2024, 1, 1), counts)]))
        legend = [
            (line.get("stroke"), line.get("stroke-dasharray"))
            for line in root.findall(f"{NS}line")
        ]
        assert len(set(legend)) == 10


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\x00b\x1bc", "abc"),
        ("left\u202eright", "leftright"),
        ("zero\u200bwidth\u200e mark", "zerowidth mark"),
        ("two\n  lines", "two lines"),
        ("x" * 400, "x" * 299 + "…"),
    ],
)
def test_clean(text, expected):
    assert clean(text) == expected


def test_date_labels_do_not_overlap():
    first = dt.date(2020, 1, 1)
    dates = [first + dt.timedelta(days=d) for d in (0, 10, 100, 200, 300, 360, 365)]
    labelled = tick_dates(date_scale(dates))
    assert [(d - first).days for d in labelled] == [0, 100, 200, 300, 365]


def test_single_date_is_labelled_once():
    date = dt.date(2024, 5, 1)
    assert tick_dates(date_scale([date])) == [date]
