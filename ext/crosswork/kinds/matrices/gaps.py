"""Where drivers fall short of a reference driver: gaps and parity scores.

The Consistency workgroup compares every driver with one reference driver
(KVM, in nova's case), because "what does KVM do that Xen does not?" is the
question its work starts from.

* A **gap** is a feature the reference supports completely and another
  driver supports partially, not at all, or unknown: unless the feature is
  a ``choice(group)`` and the driver completes another member of the group.
* A driver's **parity** is the share of the reference's complete features
  the driver delivers too: each counts 1 when complete (or a satisfied
  choice), 1/2 when partial, 0 otherwise.
* **Mandatory holes** are required features a driver does not complete:
  ``mandatory`` ones for every driver (the reference included), and
  ``condition(f==v)`` ones for the drivers whose cell of ``f`` is ``v``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from crosswork.diagnostics import Diagnostic
from crosswork.kinds.matrices.model import CellValue, Feature, Matrix, StatusKind

#: Reference drivers preferred over the most complete one, in order.
PREFERRED_REFERENCES = ("libvirt-kvm-x86", "libvirt-kvm")

#: Decimal places of parity scores in JSON.
PARITY_DIGITS = 4


@dataclass(frozen=True)
class Gap:
    """A feature the reference completes and ``driver`` does not."""

    driver: str
    feature: str
    value: CellValue


@dataclass(frozen=True)
class Hole:
    """A required feature ``driver`` does not complete; ``reason`` is the
    status that makes it required (``mandatory`` or the condition)."""

    driver: str
    feature: str
    value: CellValue
    reason: str


@dataclass(frozen=True)
class Analysis:
    """Everything the reports draw, computed once per matrix and reference."""

    matrix: Matrix
    reference: str
    #: In driver column order, then feature order; the reference has none.
    gaps: tuple[Gap, ...]
    #: Every driver (the reference scores 1.0), in column order.
    parity: Mapping[str, float] = field(hash=False)
    mandatory_holes: tuple[Hole, ...]
    #: ``(driver, group)`` pairs where the driver completes no member.
    unmet_choices: tuple[tuple[str, str], ...]
    #: Keys of the features whose cells are not all the same.
    divergent: tuple[str, ...]

    @property
    def reference_features(self) -> tuple[Feature, ...]:
        """The features the reference completes: parity's denominator."""
        return complete_features(self.matrix, self.reference)

    def ranking(self) -> list[str]:
        """Driver keys, best parity first; the reference leads its ties,
        then column order."""
        position = {d.key: i for i, d in enumerate(self.matrix.drivers)}
        return sorted(
            position,
            key=lambda k: (-self.parity[k], k != self.reference, position[k]),
        )

    def gap_counts(self) -> dict[str, int]:
        """Gaps per driver, zeros included, in column order."""
        counts = {d.key: 0 for d in self.matrix.drivers if d.key != self.reference}
        for gap in self.gaps:
            counts[gap.driver] += 1
        return counts


def default_reference(matrix: Matrix) -> str:
    """``libvirt-kvm-x86``, else ``libvirt-kvm``, else the most complete driver.

    KVM is the yardstick nova's contributors use. Elsewhere the driver that
    completes the most features is the natural one (the first column wins
    a tie): the column order is often alphabetical, so it says nothing.
    """
    if not matrix.drivers:
        raise ValueError(f"{matrix.label}: the matrix has no drivers")
    for key in PREFERRED_REFERENCES:
        if matrix.driver(key) is not None:
            return key
    counts = [len(complete_features(matrix, d.key)) for d in matrix.drivers]
    return matrix.drivers[counts.index(max(counts))].key


def analyse(matrix: Matrix, reference: str | None = None) -> Analysis:
    """Gaps, parity and holes of every driver against ``reference``.

    Raises ValueError when ``reference`` names no driver of the matrix or
    the matrix has no drivers.
    """
    reference = reference or default_reference(matrix)
    if matrix.driver(reference) is None:
        known = ", ".join(d.key for d in matrix.drivers)
        raise ValueError(f"unknown reference driver {reference!r} (drivers: {known})")
    satisfied = satisfied_choices(matrix)
    return Analysis(
        matrix=matrix,
        reference=reference,
        gaps=find_gaps(matrix, reference, satisfied),
        parity=dict(parity_scores(matrix, reference, satisfied)),
        mandatory_holes=find_mandatory_holes(matrix),
        unmet_choices=find_unmet_choices(matrix, satisfied),
        divergent=tuple(f.key for f in matrix.features if is_divergent(f)),
    )


def complete_features(matrix: Matrix, driver: str) -> tuple[Feature, ...]:
    return tuple(f for f in matrix.features if f.value(driver) is CellValue.COMPLETE)


def choice_groups(matrix: Matrix) -> dict[str, list[Feature]]:
    """Members of each ``choice(group)``, in file order."""
    groups: dict[str, list[Feature]] = {}
    for feature in matrix.features:
        if feature.status.kind is StatusKind.CHOICE:
            groups.setdefault(feature.status.argument, []).append(feature)
    return groups


def satisfied_choices(matrix: Matrix) -> set[tuple[str, str]]:
    """``(driver, group)`` pairs where the driver completes some member."""
    return {
        (driver.key, group)
        for group, members in choice_groups(matrix).items()
        for driver in matrix.drivers
        if any(m.value(driver.key) is CellValue.COMPLETE for m in members)
    }


def score(feature: Feature, driver: str, satisfied: set[tuple[str, str]]) -> float:
    """1 for complete or a satisfied choice, 1/2 for partial, else 0."""
    status = feature.status
    if status.kind is StatusKind.CHOICE and (driver, status.argument) in satisfied:
        return 1.0
    return feature.value(driver).weight


def parity_scores(
    matrix: Matrix, reference: str, satisfied: set[tuple[str, str]]
) -> dict[str, float]:
    """Mean score over the reference's complete features (1.0 if none)."""
    baseline = complete_features(matrix, reference)
    scores: dict[str, float] = {}
    for driver in matrix.drivers:
        total = sum(score(f, driver.key, satisfied) for f in baseline)
        scores[driver.key] = total / len(baseline) if baseline else 1.0
    return scores


def find_gaps(
    matrix: Matrix, reference: str, satisfied: set[tuple[str, str]]
) -> tuple[Gap, ...]:
    baseline = complete_features(matrix, reference)
    return tuple(
        Gap(driver.key, feature.key, feature.value(driver.key))
        for driver in matrix.drivers
        if driver.key != reference
        for feature in baseline
        if score(feature, driver.key, satisfied) < 1.0
    )


def find_mandatory_holes(matrix: Matrix) -> tuple[Hole, ...]:
    return tuple(
        Hole(driver.key, feature.key, feature.value(driver.key), str(feature.status))
        for feature in matrix.features
        for driver in matrix.drivers
        if is_required(matrix, feature, driver.key)
        and feature.value(driver.key) is not CellValue.COMPLETE
    )


def is_required(matrix: Matrix, feature: Feature, driver: str) -> bool:
    """Mandatory, or a condition that holds for ``driver``."""
    if feature.status.kind is StatusKind.MANDATORY:
        return True
    condition = feature.status.condition
    if condition is None:
        return False
    other = matrix.feature(condition[0])
    return other is not None and other.value(driver) is condition[1]


def find_unmet_choices(
    matrix: Matrix, satisfied: set[tuple[str, str]]
) -> tuple[tuple[str, str], ...]:
    return tuple(
        (driver.key, group)
        for group in choice_groups(matrix)
        for driver in matrix.drivers
        if (driver.key, group) not in satisfied
    )


def is_divergent(feature: Feature) -> bool:
    return len({cell.value for cell in feature.cells.values()}) > 1


def as_data(
    analysis: Analysis, diagnostics: Iterable[Diagnostic] = ()
) -> dict[str, Any]:
    """The documented JSON shape (``doc/source/reference/matrices.rst``)."""
    matrix = analysis.matrix
    return {
        "reference": analysis.reference,
        "drivers": [{"key": d.key, "title": d.title} for d in matrix.drivers],
        "features": [feature_data(f) for f in matrix.features],
        "gaps": [
            {"driver": g.driver, "feature": g.feature, "value": g.value.value}
            for g in analysis.gaps
        ],
        "parity": {k: round(v, PARITY_DIGITS) for k, v in analysis.parity.items()},
        "warnings": [diagnostic_data(d) for d in diagnostics],
    }


def feature_data(feature: Feature) -> dict[str, Any]:
    return {
        "key": feature.key,
        "title": feature.title,
        "status": str(feature.status),
        "cells": {driver: cell.value.value for driver, cell in feature.cells.items()},
    }


def diagnostic_data(diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        "path": diagnostic.path,
        "line": diagnostic.line,
        "column": diagnostic.column,
        "code": diagnostic.code,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
    }


def to_json(analysis: Analysis, diagnostics: Iterable[Diagnostic] = ()) -> str:
    """``as_data`` as indented JSON text, stable from run to run."""
    return json.dumps(as_data(analysis, diagnostics), indent=2, ensure_ascii=False)
