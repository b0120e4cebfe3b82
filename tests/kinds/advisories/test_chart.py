"""The chart of advisories per year: figures in words, same bytes each time."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from crosswork.charts import SVG_NS
from crosswork.kinds.advisories.chart import description, year_chart

COUNTS = {
    2026: {"Critical": 0, "High": 2, "Medium": 1, "Low": 0, "None": 0, "Not rated": 0},
    2024: {"Critical": 1, "High": 0, "Medium": 0, "Low": 0, "None": 0, "Not rated": 0},
}


def test_the_description_gives_every_year_and_its_ratings() -> None:
    assert description(COUNTS) == (
        "Advisories per year of publication, withdrawn ones left out, newest "
        "year first. 2026: 3 advisories (High 2, Medium 1); "
        "2024: 1 advisory (Critical 1)."
    )
    assert description({}) == "No advisory has been published yet."


def test_one_bar_per_year_in_the_given_order_with_a_tooltip() -> None:
    root = ET.fromstring(year_chart(COUNTS, title="Security"))

    assert root.findtext(f"{{{SVG_NS}}}title") == "Security"
    assert root.findtext(f"{{{SVG_NS}}}desc") == description(COUNTS)
    tooltips = [
        group.findtext(f"{{{SVG_NS}}}title")
        for group in root.iter(f"{{{SVG_NS}}}g")
        if group.find(f"{{{SVG_NS}}}rect") is not None
    ]
    assert tooltips == [
        "2026: 3 advisories (High 2, Medium 1)",
        "2024: 1 advisory (Critical 1)",
    ]


def test_the_same_counts_give_the_same_bytes() -> None:
    assert year_chart(COUNTS) == year_chart(dict(COUNTS))
    assert year_chart({}) == year_chart({})
