"""Matrices as snapshot records: every part kept, every bad shape refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crosswork.kinds.matrices.facts import FactsError, matrix_facts, matrix_from_facts
from crosswork.kinds.matrices.model import CellValue, Layout
from crosswork.kinds.matrices.parse import parse_matrix

SMALL = """\
[target.kvm]
title=KVM

[target.xen]
title=Xen

[operation.snapshot]
title=Snapshot
maturity=complete
kvm=complete:queens
xen=partial
driver-notes-xen=Cold only.
"""


def records() -> list[dict[str, Any]]:
    matrix, problems = parse_matrix("small.ini", SMALL)
    return matrix_facts(matrix, problems)


def test_a_matrix_survives_the_round_trip_with_its_findings(openstack: Path) -> None:
    text = (openstack / "nova/support-matrix.ini").read_text()
    parsed, findings = parse_matrix("nova.ini", text)

    matrix, warnings = matrix_from_facts("nova.ini", matrix_facts(parsed, findings))

    assert [(d.key, d.title) for d in matrix.drivers] == [
        (d.key, d.title) for d in parsed.drivers
    ]
    assert [(f.key, f.title, f.status, f.notes) for f in matrix.features] == [
        (f.key, f.title, f.status, f.notes) for f in parsed.features
    ]
    assert list(warnings) == findings


def test_layout_release_note_and_maturity_are_kept() -> None:
    matrix, _ = matrix_from_facts("small.ini", records())

    feature = matrix.features[0]
    assert matrix.layout is Layout.CLASSIFICATION
    assert feature.maturity == "complete"
    assert (feature.cells["kvm"].value, feature.cells["kvm"].since) == (
        CellValue.COMPLETE,
        "queens",
    )
    assert (feature.cells["xen"].value, feature.cells["xen"].note) == (
        CellValue.PARTIAL,
        "Cold only.",
    )


def test_empty_notes_are_left_out_of_the_records() -> None:
    feature = next(r for r in records() if r["record"] == "feature")

    assert feature["cells"] == {
        "kvm": {"value": "complete", "since": "queens"},
        "xen": {"value": "partial", "note": "Cold only."},
    }


def spoil(index: int, **changes: Any) -> list[dict[str, Any]]:
    items = records()
    items[index] = {**items[index], **changes}
    return items


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (spoil(0, layout="spreadsheet"), "item 0: unknown layout"),
        (spoil(1, title=None), "item 1: 'title' is not text"),
        (spoil(3, cells={"kvm": {"value": "complete"}}), "item 3: cells do not"),
        (
            spoil(3, cells={"kvm": {"value": "done"}, "xen": {"value": "partial"}}),
            "item 3: bad cell",
        ),
        (spoil(3, status="sometimes"), "item 3: bad status"),
        (spoil(2, record="column"), "item 2: unknown record 'column'"),
        ([{"record": "matrix", "layout": "support-matrix"}], "no driver records"),
    ],
)
def test_records_of_the_wrong_shape_are_refused(
    items: list[dict[str, Any]], message: str
) -> None:
    with pytest.raises(FactsError, match=message):
        matrix_from_facts("small.ini", items)
