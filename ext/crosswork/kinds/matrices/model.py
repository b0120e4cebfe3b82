"""A feature matrix as typed, immutable values.

A matrix has driver columns and feature rows; each feature holds one cell
per driver. The parser (``crosswork.kinds.matrices.parse``) builds these values
even from a file with errors, so that every problem can be reported at
once and a report can still be drawn: a cell that is absent or invalid in
the file is kept as ``unknown``, with ``line`` telling the two apart.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field


class CellValue(enum.Enum):
    """How far a driver implements a feature."""

    COMPLETE = "complete"
    PARTIAL = "partial"
    MISSING = "missing"
    UNKNOWN = "unknown"

    @property
    def weight(self) -> float:
        """The share of the feature this value delivers, for parity scores."""
        return _WEIGHTS[self]


CELL_VALUES = frozenset(value.value for value in CellValue)

_WEIGHTS = {
    CellValue.COMPLETE: 1.0,
    CellValue.PARTIAL: 0.5,
    CellValue.MISSING: 0.0,
    CellValue.UNKNOWN: 0.0,
}


class StatusKind(enum.Enum):
    """How much a feature is required of every driver."""

    MANDATORY = "mandatory"
    OPTIONAL = "optional"
    CHOICE = "choice"
    CONDITION = "condition"
    MATURE = "mature"
    IMMATURE = "immature"

    @property
    def takes_argument(self) -> bool:
        return self in (StatusKind.CHOICE, StatusKind.CONDITION)


@dataclass(frozen=True)
class Status:
    """A feature's status: ``choice(console)`` is kind CHOICE, argument
    ``console``; ``condition(storage.block==complete)`` keeps the whole
    expression as its argument."""

    kind: StatusKind = StatusKind.OPTIONAL
    argument: str = ""

    def __str__(self) -> str:
        if self.kind.takes_argument:
            return f"{self.kind.value}({self.argument})"
        return self.kind.value

    @property
    def condition(self) -> tuple[str, CellValue] | None:
        """``(feature key, value)`` of a well-formed condition, else None."""
        if self.kind is not StatusKind.CONDITION:
            return None
        feature, operator, value = self.argument.partition("==")
        if not operator or value.strip() not in CELL_VALUES:
            return None
        return feature.strip(), CellValue(value.strip())


@dataclass(frozen=True)
class Driver:
    """A column: ``[driver.<key>]`` (or ``[target.<key>]``)."""

    key: str
    title: str
    link: str = ""
    line: int = 0
    extra: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Cell:
    """One driver's support of one feature.

    ``since`` is the release suffix of the feature-classification layout
    (``complete:queens``). ``line`` is 0 when the file has no such cell.
    """

    value: CellValue
    note: str = ""
    since: str = ""
    line: int = 0

    @property
    def declared(self) -> bool:
        return self.line > 0


@dataclass(frozen=True)
class Feature:
    """A row: one section such as ``[operation.attach-volume]``.

    ``key`` is the whole section name, the form that ``condition(...)``
    expressions use. ``extra`` keeps every key the model has no field for
    (``api_doc_link``, ``tempest_test_uuids``...), verbatim.
    """

    key: str
    title: str
    status: Status = Status()
    notes: str = ""
    cli: tuple[str, ...] = ()
    api: str = ""
    maturity: str = ""
    cells: Mapping[str, Cell] = field(default_factory=dict, hash=False)
    extra: Mapping[str, str] = field(default_factory=dict, hash=False)
    line: int = 0

    @property
    def group(self) -> str:
        """The section prefix: ``operation``, ``console``, ``guest``..."""
        return self.key.partition(".")[0]

    def value(self, driver: str) -> CellValue:
        cell = self.cells.get(driver)
        return cell.value if cell else CellValue.UNKNOWN


class Layout(enum.Enum):
    """Which of the two upstream INI dialects a file uses."""

    #: ``[driver.X]`` columns, ``driver.X=`` cells, ``driver-notes.X=``.
    SUPPORT = "support-matrix"
    #: ``[target.X]`` columns, ``X=`` cells, ``driver-notes-X=``, maturity.
    CLASSIFICATION = "feature-classification"


@dataclass(frozen=True)
class Matrix:
    """Columns and rows in file order. Values pickle, so a Sphinx build can
    keep them; mappings are typed read-only and must be treated so."""

    label: str
    drivers: tuple[Driver, ...]
    features: tuple[Feature, ...]
    layout: Layout = Layout.SUPPORT

    @functools.cached_property
    def _drivers_by_key(self) -> dict[str, Driver]:
        return {driver.key: driver for driver in self.drivers}

    @functools.cached_property
    def _features_by_key(self) -> dict[str, Feature]:
        return {feature.key: feature for feature in self.features}

    def driver(self, key: str) -> Driver | None:
        return self._drivers_by_key.get(key)

    def feature(self, key: str) -> Feature | None:
        return self._features_by_key.get(key)
