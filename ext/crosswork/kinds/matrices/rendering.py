"""Docutils nodes for a feature matrix: table, notes, gaps, divergence.

Every value comes from a contributor or upstream file and goes into a
node as text; nothing is parsed as markup. A cell shows a symbol and a
word (and a CSS class), so partial never looks like complete, in colour
or without. Cell notes are numbered marks linking to a notes list below
the table. Charts are :class:`~crosswork.site.datanodes.chart` nodes, published as
files when the page is written.

A 300 by 30 matrix is 9,000 cells, and every Sphinx transform walks every
node of a page, so the views keep few nodes per value: one paragraph and
one text per cell, one line per driver and value in the gap lists.
"""

from __future__ import annotations

from collections.abc import Sequence

from docutils import nodes

from crosswork.diagnostics import Diagnostic
from crosswork.kinds.matrices.compare import Comparison
from crosswork.kinds.matrices.gaps import Analysis
from crosswork.kinds.matrices.model import Cell, CellValue, Feature, Matrix
from crosswork.kinds.matrices.summary import VALUE_LABELS, driver_title, value_groups
from crosswork.site import datanodes


def value_classes(value: CellValue) -> list[str]:
    return ["crosswork-cell", f"crosswork-cell-{value.value}"]


def value_line(value: CellValue, text: str = "") -> nodes.paragraph:
    """``✔ complete`` and what follows, classed by value."""
    return nodes.paragraph(
        "", f"{VALUE_LABELS[value].text}{text}", classes=value_classes(value)
    )


def feature_line(feature: Feature, after: str = "") -> nodes.paragraph:
    """The feature's title, then its key as code."""
    line = nodes.paragraph("", f"{feature.title} ")
    line += nodes.literal("", feature.key)
    if after:
        line += nodes.Text(after)
    return line


def feature_name(feature: Feature) -> str:
    return f"{feature.title} ({feature.key})"


def summary(analysis: Analysis) -> nodes.paragraph:
    matrix = analysis.matrix
    reference = driver_title(matrix, analysis.reference)
    return nodes.paragraph(
        "",
        f"{len(matrix.drivers)} drivers and {len(matrix.features)} features;"
        f" {len(analysis.divergent)} features are not the same for every driver."
        f" Drivers are compared with {reference}, which completes"
        f" {len(analysis.reference_features)} features.",
        classes=["crosswork-matrix-summary"],
    )


def parity_percent(analysis: Analysis, driver: str) -> str:
    return f"{analysis.parity[driver] * 100:.1f}%"


def gap_summary(analysis: Analysis) -> nodes.table:
    """Parity and gap count of every driver, best first."""
    counts = analysis.gap_counts()
    rows: list[list[datanodes.Cell]] = []
    for key in analysis.ranking():
        gaps = "reference" if key == analysis.reference else str(counts[key])
        rows.append(
            [driver_title(analysis.matrix, key), parity_percent(analysis, key), gaps]
        )
    return datanodes.table(
        ["Driver", "Parity", "Gaps"], rows, classes=["crosswork-matrix-parity"]
    )


def gap_lists(analysis: Analysis) -> list[nodes.Node]:
    """Per driver, best first, the reference's features it falls short on,
    one line per value."""
    matrix = analysis.matrix
    by_driver: dict[str, dict[CellValue, list[str]]] = {}
    for gap in analysis.gaps:
        feature = matrix.feature(gap.feature)
        if feature is not None:
            values = by_driver.setdefault(gap.driver, {})
            values.setdefault(gap.value, []).append(feature_name(feature))
    result: list[nodes.Node] = []
    for key in analysis.ranking():
        if key == analysis.reference:
            continue
        values = by_driver.get(key, {})
        count = sum(len(names) for names in values.values())
        heading = nodes.paragraph("", "", classes=["crosswork-matrix-driver"])
        heading += nodes.strong("", driver_title(matrix, key))
        heading += nodes.Text(
            f": {count} gap{'' if count == 1 else 's'},"
            f" parity {parity_percent(analysis, key)}"
        )
        result.append(heading)
        lines = [
            value_line(value, f" ({len(values[value])}): {'; '.join(values[value])}")
            for value in CellValue
            if value in values
        ]
        if lines:
            result.append(datanodes.bullet_list(lines))
    if not result:
        result.append(nodes.paragraph("", "No other driver to compare."))
    return result


def divergent_list(analysis: Analysis) -> nodes.Node:
    """The features whose drivers differ, with the drivers of each value."""
    matrix = analysis.matrix
    if not analysis.divergent:
        return nodes.paragraph("", "Every feature is the same for every driver.")
    entries = nodes.bullet_list(classes=["crosswork-matrix-divergent"])
    for key in analysis.divergent:
        feature = matrix.feature(key)
        if feature is None:
            continue
        groups = datanodes.bullet_list(
            value_line(value, ": " + ", ".join(driver_title(matrix, d) for d in keys))
            for value, keys in value_groups(matrix, feature)
        )
        entries += nodes.list_item("", feature_line(feature), groups)
    return entries


class NoteBook:
    """Numbers the notes of one table and builds the list they link to."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.entries: list[nodes.Node] = []

    def mark(self, about: str, note: str) -> nodes.reference:
        """A ``[n]`` link to note ``n``, which reads ``about: note``."""
        number = len(self.entries) + 1
        target = f"{self.prefix}-note-{number}"
        entry = nodes.paragraph("", "", ids=[target], classes=["crosswork-note"])
        entry += nodes.strong("", f"[{number}]")
        entry += nodes.Text(f" {about}: {' '.join(note.split())}")
        self.entries.append(entry)
        return nodes.reference(
            "",
            f"[{number}]",
            refid=target,
            reftitle=f"Note {number}",
            classes=["crosswork-note-ref"],
        )

    def notes(self) -> list[nodes.Node]:
        if not self.entries:
            return []
        box = nodes.container(classes=["crosswork-matrix-notes"])
        box += nodes.rubric("", "Notes")
        box.extend(self.entries)
        return [box]


def before_mark(text: str, note: str) -> str:
    """``text``, plus the space before a note mark if there is a note."""
    return f"{text} " if note else text


def matrix_table(matrix: Matrix, prefix: str) -> list[nodes.Node]:
    """The table, a feature per row and a driver per column, then its notes."""
    book = NoteBook(prefix)
    rows: list[list[datanodes.Cell]] = []
    for feature in matrix.features:
        first = feature_line(
            feature, before_mark(f" ({feature.status})", feature.notes)
        )
        if feature.notes:
            first += book.mark(feature.title, feature.notes)
        row: list[datanodes.Cell] = [first]
        for driver in matrix.drivers:
            cell = feature.cells.get(driver.key)
            if cell is None:
                row.append(value_line(CellValue.UNKNOWN))
                continue
            since = f" (since {cell.since})" if cell.since else ""
            shown = value_line(cell.value, before_mark(since, cell.note))
            if cell.note:
                shown += book.mark(f"{driver.title}, {feature.title}", cell.note)
            row.append(shown)
        rows.append(row)
    table = datanodes.table(
        ["Feature", *(driver.title for driver in matrix.drivers)],
        rows,
        classes=["crosswork-matrix"],
    )
    mark_driver_columns(table, matrix)
    scroller = nodes.container("", table, classes=["crosswork-matrix-scroll"])
    return [legend(), scroller, *book.notes()]


def comparison_summary(comparison: Comparison) -> nodes.paragraph:
    """How many features differ, and each driver's gaps and parity."""
    matrix = comparison.matrix
    yardstick = driver_title(matrix, comparison.yardstick)
    figures = "; ".join(
        f"{driver_title(matrix, key)} has {comparison.gaps[key]}"
        f" gap{'' if comparison.gaps[key] == 1 else 's'},"
        f" parity {comparison.parity[key] * 100:.1f}%"
        for key in comparison.others
    )
    differ = len(comparison.differences)
    return nodes.paragraph(
        "",
        f"Against {yardstick}: {figures}. {differ} of {len(matrix.features)}"
        f" features differ between these drivers; the other {comparison.same}"
        " are the same for all of them and are not shown.",
        classes=["crosswork-matrix-summary"],
    )


def comparison_cell(cell: Cell) -> nodes.container:
    """The value, then its note in full: a comparison is read row by row."""
    since = f" (since {cell.since})" if cell.since else ""
    box = nodes.container(classes=["crosswork-compare-cell"])
    box += value_line(cell.value, since)
    if cell.note:
        box += nodes.paragraph(
            "", " ".join(cell.note.split()), classes=["crosswork-compare-note"]
        )
    return box


def comparison_table(comparison: Comparison) -> nodes.Node:
    """A feature per row, a compared driver per column, notes inline."""
    matrix = comparison.matrix
    if not comparison.differences:
        return nodes.paragraph("", "These drivers are the same on every feature.")
    rows: list[list[datanodes.Cell]] = [
        [
            feature_line(difference.feature, f" ({difference.feature.status})"),
            *(comparison_cell(cell) for cell in difference.cells),
        ]
        for difference in comparison.differences
    ]
    table = datanodes.table(
        ["Feature", *(driver_title(matrix, key) for key in comparison.drivers)],
        rows,
        classes=["crosswork-matrix-compare"],
    )
    return nodes.container("", table, classes=["crosswork-compare-scroll"])


def mark_driver_columns(table: nodes.table, matrix: Matrix) -> None:
    """Class each driver's header cell with its key, made safe as an
    identifier: the driver picker names drivers by it in the address."""
    header = next(iter(table.findall(nodes.thead)))
    entries = list(header.findall(nodes.entry))[1:]
    for entry, driver in zip(entries, matrix.drivers, strict=True):
        entry["classes"] += [
            "crosswork-driver",
            f"crosswork-driver-{nodes.make_id(driver.key)}",
        ]


def legend() -> nodes.paragraph:
    words = ", ".join(label.text for label in VALUE_LABELS.values())
    return nodes.paragraph(
        "",
        f"Legend: {words}; [n] links to a note below the table.",
        classes=["crosswork-matrix-legend"],
    )


def problems_list(problems: Sequence[Diagnostic]) -> nodes.Node:
    """The findings of the parser in the file, as located text."""
    if not problems:
        return nodes.paragraph("", "The parser found no problem in the file.")
    return datanodes.bullet_list(
        f"line {p.line}, column {p.column}: {p.code} ({p.severity.value}) {p.message}"
        for p in problems
    )
