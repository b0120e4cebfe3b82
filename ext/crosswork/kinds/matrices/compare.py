"""Two or three drivers side by side: only the features where they differ.

"What does KVM do that Xen does not?" is answered by the rows where the
drivers' values are not the same; the rows where they agree say nothing
about parity, so a comparison leaves them out and counts them. Notes and
release suffixes travel with each value, since a ``partial`` means little
without the note saying what is missing.

The first driver is the yardstick: the others' gap counts and parity are
computed against it exactly as the full matrix computes them
(:func:`crosswork.kinds.matrices.gaps.analyse`), so the figures agree with
every other page.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from crosswork.kinds.matrices.gaps import PARITY_DIGITS, analyse
from crosswork.kinds.matrices.model import Cell, CellValue, Feature, Matrix

#: How many drivers a comparison holds: two, or three.
MIN_DRIVERS, MAX_DRIVERS = 2, 3


class ComparisonError(ValueError):
    """Drivers that cannot be compared: unknown, repeated, too few or many."""

    def __init__(self, reasons: Sequence[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = tuple(reasons)


@dataclass(frozen=True)
class Difference:
    """A feature whose compared drivers do not all have the same value.

    ``cells`` holds one cell per compared driver, in the comparison's
    order; a driver the file gives no cell for has an ``unknown`` cell.
    """

    feature: Feature
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Comparison:
    """The drivers, where they differ, and how the others fare against the first."""

    matrix: Matrix
    drivers: tuple[str, ...]
    differences: tuple[Difference, ...]
    #: Features where every compared driver has the same value.
    same: int
    #: Gaps of each driver after the first against the first, in order.
    gaps: Mapping[str, int] = field(hash=False)
    #: Parity of each driver after the first against the first, in order.
    parity: Mapping[str, float] = field(hash=False)

    @property
    def yardstick(self) -> str:
        return self.drivers[0]

    @property
    def others(self) -> tuple[str, ...]:
        return self.drivers[1:]


def check_drivers(matrix: Matrix, drivers: Sequence[str]) -> list[str]:
    """Why ``drivers`` cannot be compared in ``matrix``, one reason a line."""
    reasons: list[str] = []
    if not MIN_DRIVERS <= len(drivers) <= MAX_DRIVERS:
        reasons.append(
            f"compare {MIN_DRIVERS} or {MAX_DRIVERS} drivers, not {len(drivers)}"
        )
    repeated = sorted({key for key in drivers if drivers.count(key) > 1})
    reasons += [f"driver {key!r} is named twice" for key in repeated]
    known = ", ".join(d.key for d in matrix.drivers)
    reasons += [
        f"no driver {key!r} in this matrix (drivers: {known})"
        for key in dict.fromkeys(drivers)
        if matrix.driver(key) is None
    ]
    return reasons


def compare_drivers(matrix: Matrix, drivers: Sequence[str]) -> Comparison:
    """The features where ``drivers`` differ, in file order.

    Raises :class:`ComparisonError` with every reason at once when the
    drivers cannot be compared.
    """
    reasons = check_drivers(matrix, drivers)
    if reasons:
        raise ComparisonError(reasons)
    keys = tuple(drivers)
    differences = tuple(
        Difference(feature, tuple(cell_of(feature, key) for key in keys))
        for feature in matrix.features
        if len({feature.value(key) for key in keys}) > 1
    )
    analysis = analyse(matrix, keys[0])
    counts = analysis.gap_counts()
    return Comparison(
        matrix=matrix,
        drivers=keys,
        differences=differences,
        same=len(matrix.features) - len(differences),
        gaps={key: counts[key] for key in keys[1:]},
        parity={key: analysis.parity[key] for key in keys[1:]},
    )


def cell_of(feature: Feature, driver: str) -> Cell:
    """The driver's cell, or an ``unknown`` one when the file has none."""
    return feature.cells.get(driver) or Cell(CellValue.UNKNOWN)


def comparison_data(comparison: Comparison) -> dict[str, Any]:
    """The documented JSON shape (``doc/source/reference/matrices.rst``)."""
    matrix = comparison.matrix
    return {
        "drivers": [
            {"key": key, "title": getattr(matrix.driver(key), "title", key)}
            for key in comparison.drivers
        ],
        "same": comparison.same,
        "gaps": dict(comparison.gaps),
        "parity": {k: round(v, PARITY_DIGITS) for k, v in comparison.parity.items()},
        "differences": [
            {
                "feature": d.feature.key,
                "title": d.feature.title,
                "status": str(d.feature.status),
                "cells": {
                    key: cell_data(cell)
                    for key, cell in zip(comparison.drivers, d.cells, strict=True)
                },
            }
            for d in comparison.differences
        ],
    }


def cell_data(cell: Cell) -> dict[str, str]:
    data = {"value": cell.value.value}
    if cell.note:
        data["note"] = " ".join(cell.note.split())
    if cell.since:
        data["since"] = cell.since
    return data


def comparison_json(comparison: Comparison) -> str:
    """``comparison_data`` as indented JSON text, stable from run to run."""
    return json.dumps(comparison_data(comparison), indent=2, ensure_ascii=False)
