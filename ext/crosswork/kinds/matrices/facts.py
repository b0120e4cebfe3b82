"""A parsed matrix as snapshot items, and back.

A remote matrix is stored in the snapshot as normalized facts, not as the
INI text: the site must not parse upstream text at build time, and a
reader of the snapshot should see drivers, cells and notes, not syntax.
Each item is one record, in this order:

* ``{"record": "matrix", "layout": "support-matrix"}``, once;
* ``{"record": "driver", "key", "title"}`` per column, in column order;
* ``{"record": "feature", "key", "title", "status", "notes", "cells"}``
  per row, in file order; ``cells`` maps every driver key to
  ``{"value"}`` plus ``"note"`` and ``"since"`` when they are not empty,
  and ``"maturity"`` is added when the file gives one;
* ``{"record": "warning", "line", "column", "code", "severity",
  "message"}`` per problem the parser found, in file order.

Every value is upstream text: render it as text only. Loading checks the
shape of every record, so a snapshot edited by hand cannot crash a build.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from crosswork.diagnostics import Diagnostic, Severity
from crosswork.kinds.matrices.model import (
    CELL_VALUES,
    Cell,
    CellValue,
    Driver,
    Feature,
    Layout,
    Matrix,
)
from crosswork.kinds.matrices.parse import parse_status


class FactsError(ValueError):
    """Snapshot items that do not describe a matrix."""


def matrix_facts(
    matrix: Matrix, diagnostics: Iterable[Diagnostic]
) -> list[dict[str, Any]]:
    """The records of ``matrix`` and of the problems found in its file."""
    records: list[dict[str, Any]] = [
        {"record": "matrix", "layout": matrix.layout.value}
    ]
    records += [
        {"record": "driver", "key": d.key, "title": d.title} for d in matrix.drivers
    ]
    records += [feature_record(feature) for feature in matrix.features]
    records += [warning_record(d) for d in diagnostics]
    return records


def feature_record(feature: Feature) -> dict[str, Any]:
    record: dict[str, Any] = {
        "record": "feature",
        "key": feature.key,
        "title": feature.title,
        "status": str(feature.status),
        "notes": feature.notes,
        "cells": {driver: cell_record(cell) for driver, cell in feature.cells.items()},
    }
    if feature.maturity:
        record["maturity"] = feature.maturity
    return record


def cell_record(cell: Cell) -> dict[str, str]:
    record = {"value": cell.value.value}
    if cell.note:
        record["note"] = cell.note
    if cell.since:
        record["since"] = cell.since
    return record


def warning_record(diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        "record": "warning",
        "line": diagnostic.line,
        "column": diagnostic.column,
        "code": diagnostic.code,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
    }


def matrix_from_facts(
    label: str, items: Sequence[Mapping[str, Any]]
) -> tuple[Matrix, tuple[Diagnostic, ...]]:
    """The matrix and problems of ``items``; ``label`` names the file.

    Raises :class:`FactsError` when a record does not have its shape.
    """
    layout = Layout.SUPPORT
    drivers: list[Driver] = []
    features: list[Feature] = []
    warnings: list[Diagnostic] = []
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise FactsError(f"item {index}: not a record")
        kind = item.get("record")
        if kind == "matrix":
            layout = read_layout(item, index)
        elif kind == "driver":
            drivers.append(Driver(text(item, "key", index), text(item, "title", index)))
        elif kind == "feature":
            features.append(read_feature(item, index, [d.key for d in drivers]))
        elif kind == "warning":
            warnings.append(read_warning(label, item, index))
        else:
            raise FactsError(f"item {index}: unknown record {kind!r}")
    if not drivers:
        raise FactsError("no driver records")
    return Matrix(label, tuple(drivers), tuple(features), layout), tuple(warnings)


def read_layout(item: Mapping[str, Any], index: int) -> Layout:
    try:
        return Layout(text(item, "layout", index))
    except ValueError as error:
        raise FactsError(f"item {index}: unknown layout") from error


def read_feature(
    item: Mapping[str, Any], index: int, drivers: Sequence[str]
) -> Feature:
    cells = item.get("cells")
    if not isinstance(cells, dict) or sorted(cells) != sorted(drivers):
        raise FactsError(f"item {index}: cells do not match the driver records")
    status = parse_status(text(item, "status", index))
    if status is None:
        raise FactsError(f"item {index}: bad status")
    return Feature(
        key=text(item, "key", index),
        title=text(item, "title", index),
        status=status,
        notes=text(item, "notes", index),
        maturity=optional_text(item, "maturity", index),
        cells={driver: read_cell(cells[driver], index) for driver in drivers},
    )


def read_cell(cell: Any, index: int) -> Cell:
    if not isinstance(cell, dict) or cell.get("value") not in CELL_VALUES:
        raise FactsError(f"item {index}: bad cell")
    return Cell(
        CellValue(cell["value"]),
        note=optional_text(cell, "note", index),
        since=optional_text(cell, "since", index),
    )


def read_warning(label: str, item: Mapping[str, Any], index: int) -> Diagnostic:
    line, column = item.get("line"), item.get("column")
    if not isinstance(line, int) or not isinstance(column, int):
        raise FactsError(f"item {index}: bad position")
    try:
        severity = Severity(text(item, "severity", index))
    except ValueError as error:
        raise FactsError(f"item {index}: bad severity") from error
    return Diagnostic(
        label,
        line,
        column,
        text(item, "code", index),
        text(item, "message", index),
        severity,
    )


def text(item: Mapping[str, Any], key: str, index: int) -> str:
    value = item.get(key)
    if not isinstance(value, str):
        raise FactsError(f"item {index}: {key!r} is not text")
    return value


def optional_text(item: Mapping[str, Any], key: str, index: int) -> str:
    return text(item, key, index) if key in item else ""
