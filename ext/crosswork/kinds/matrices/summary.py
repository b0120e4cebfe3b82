"""What the site says about a matrix, computed without Sphinx.

The symbols and words of cell values, the choice of reference driver and
of shown drivers, how drivers split on a feature, the words that stand in
for a chart, and the trend of gap counts from the snapshot history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from crosswork.kinds.matrices.gaps import Analysis, default_reference
from crosswork.kinds.matrices.model import CellValue, Feature, Matrix


@dataclass(frozen=True)
class ValueLabel:
    """How a cell value is shown: a symbol, always with its word."""

    symbol: str
    word: str

    @property
    def text(self) -> str:
        return f"{self.symbol} {self.word}"


#: Distinct shapes, not only colours: partial must never pass for complete.
VALUE_LABELS: Mapping[CellValue, ValueLabel] = {
    CellValue.COMPLETE: ValueLabel("✔", "complete"),
    CellValue.PARTIAL: ValueLabel("◐", "partial"),
    CellValue.MISSING: ValueLabel("✖", "missing"),
    CellValue.UNKNOWN: ValueLabel("?", "unknown"),
}


def resolve_reference(matrix: Matrix, wanted: str | None) -> str:
    """``wanted`` if the matrix has that driver, else the default reference."""
    if wanted and matrix.driver(wanted) is not None:
        return wanted
    return default_reference(matrix)


def unknown_drivers(matrix: Matrix, keys: Iterable[str]) -> list[str]:
    return [key for key in keys if matrix.driver(key) is None]


def only_drivers(matrix: Matrix, keys: Sequence[str], reference: str) -> Matrix:
    """The matrix with the reference and ``keys`` only, in column order."""
    kept = {reference, *keys}
    drivers = tuple(d for d in matrix.drivers if d.key in kept)
    features = tuple(
        Feature(
            key=f.key,
            title=f.title,
            status=f.status,
            notes=f.notes,
            cli=f.cli,
            api=f.api,
            maturity=f.maturity,
            cells={k: cell for k, cell in f.cells.items() if k in kept},
            extra=f.extra,
            line=f.line,
        )
        for f in matrix.features
    )
    return Matrix(matrix.label, drivers, features, matrix.layout)


def value_groups(matrix: Matrix, feature: Feature) -> list[tuple[CellValue, list[str]]]:
    """The drivers of each value a feature has, in value order then columns."""
    groups: list[tuple[CellValue, list[str]]] = []
    for value in CellValue:
        keys = [d.key for d in matrix.drivers if feature.value(d.key) is value]
        if keys:
            groups.append((value, keys))
    return groups


def driver_title(matrix: Matrix, key: str) -> str:
    driver = matrix.driver(key)
    return driver.title if driver else key


def parity_text(analysis: Analysis) -> str:
    """The parity chart in words: its alternative text."""
    matrix = analysis.matrix
    counts = analysis.gap_counts()
    figures = "; ".join(
        f"{driver_title(matrix, key)} {analysis.parity[key] * 100:.1f}%"
        f" ({counts[key]} gap{'' if counts[key] == 1 else 's'})"
        for key in analysis.ranking()
        if key != analysis.reference
    )
    reference = driver_title(matrix, analysis.reference)
    return (
        f"Parity with {reference}, the share of its"
        f" {len(analysis.reference_features)} complete features each driver"
        f" supports too: {figures or 'no other driver'}."
    )


TrendPoint = tuple[dt.date, Mapping[str, int]]


def trend_points(
    days: Iterable[tuple[dt.date, Mapping[str, int]]], drivers: Iterable[str]
) -> list[TrendPoint]:
    """Per day with a breakdown, the gap counts of the given drivers."""
    wanted = list(drivers)
    points: list[TrendPoint] = []
    for day, breakdown in days:
        counts = {key: breakdown[key] for key in wanted if key in breakdown}
        if counts:
            points.append((day, counts))
    return points


def trend_text(points: Sequence[TrendPoint], titles: Mapping[str, str]) -> str:
    """The trend chart in words: its alternative text."""
    if not points:
        return "No gap counts recorded yet."
    (first, _), (last, latest) = points[0], points[-1]
    figures = "; ".join(f"{titles.get(k, k)} {n}" for k, n in latest.items())
    return (
        f"Gaps per driver on {len(points)} day(s) from {first.isoformat()}"
        f" to {last.isoformat()}; latest: {figures}."
    )
