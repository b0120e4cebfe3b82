"""Two or three drivers side by side: the features where they differ."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosswork.kinds.matrices.compare import (
    ComparisonError,
    check_drivers,
    compare_drivers,
)
from crosswork.kinds.matrices.model import CellValue, Matrix
from crosswork.kinds.matrices.parse import parse_matrix

from .test_gaps import build

KVM, LIBVIRT_XEN, XENSERVER = "libvirt-kvm-x86", "libvirt-xen", "xenserver"
C, P, M, U = CellValue.COMPLETE, CellValue.PARTIAL, CellValue.MISSING, CellValue.UNKNOWN


@pytest.fixture
def nova_2020(openstack: Path) -> Matrix:
    """Nova's matrix at the parent of the XenAPI removal (2020)."""
    path = openstack / "nova/support-matrix.pre-xen-removal.ini"
    matrix, _ = parse_matrix(path.name, path.read_text(encoding="utf-8"))
    return matrix


def values(comparison, key: str) -> list[CellValue]:
    row = next(d for d in comparison.differences if d.feature.key == key)
    return [cell.value for cell in row.cells]


class TestOnTheRealMatrix:
    """KVM against libvirt-Xen in nova's 2020 matrix, checked by hand."""

    def test_only_the_features_that_differ_are_kept(self, nova_2020):
        comparison = compare_drivers(nova_2020, [KVM, LIBVIRT_XEN])
        assert len(nova_2020.features) == 57
        assert len(comparison.differences) == 20
        assert comparison.same == 37
        keys = [d.feature.key for d in comparison.differences]
        # Both complete: not a difference.
        assert "operation.attach-tagged-volume" not in keys

    def test_a_partial_value_keeps_its_note(self, nova_2020):
        comparison = compare_drivers(nova_2020, [KVM, LIBVIRT_XEN])
        row = next(
            d for d in comparison.differences if d.feature.key == "operation.snapshot"
        )
        kvm, xen = row.cells
        assert (kvm.value, xen.value) == (CellValue.COMPLETE, CellValue.PARTIAL)
        assert xen.note == "Only cold snapshots (pause + snapshot) supported"

    def test_the_first_drivers_note_is_kept_too(self, nova_2020):
        comparison = compare_drivers(nova_2020, [KVM, LIBVIRT_XEN])
        key = "operation.force-live-migration-to-complete"
        row = next(d for d in comparison.differences if d.feature.key == key)
        assert row.cells[0].note == "Requires libvirt>=1.3.3, qemu>=2.5.0"
        assert values(comparison, key) == [CellValue.COMPLETE, CellValue.MISSING]

    def test_gaps_and_parity_are_those_of_the_full_matrix(self, nova_2020):
        # 20 differences; KVM is only partial in 3 of them (network injection,
        # encrypted VMs, emulated TPM), and 2 are console choices Xen meets
        # with VNC: 15 gaps.
        comparison = compare_drivers(nova_2020, [KVM, LIBVIRT_XEN])
        assert comparison.gaps == {LIBVIRT_XEN: 15}
        assert round(comparison.parity[LIBVIRT_XEN], 4) == 0.7157

    def test_three_drivers_differ_where_any_one_differs(self, nova_2020):
        comparison = compare_drivers(nova_2020, [KVM, LIBVIRT_XEN, XENSERVER])
        assert len(comparison.differences) == 30
        assert comparison.gaps == {LIBVIRT_XEN: 15, XENSERVER: 20}
        # KVM and libvirt-Xen agree, XenServer does not.
        assert values(comparison, "operation.swap-volume") == [C, C, M]
        # Only XenServer has maintenance mode.
        assert values(comparison, "operation.maintenance-mode") == [M, M, C]


class TestOnASmallMatrix:
    MATRIX = build(
        ["a", "b", "c"],
        [
            ("operation.same", "optional", ["complete"] * 3),
            ("operation.one", "optional", ["complete", "partial", "complete"]),
            ("operation.two", "optional", ["missing", "unknown", "missing"]),
        ],
    )

    def test_order_follows_the_drivers_given(self):
        comparison = compare_drivers(self.MATRIX, ["b", "a"])
        assert comparison.yardstick == "b"
        assert comparison.others == ("a",)
        assert values(comparison, "operation.one") == [P, C]

    def test_identical_drivers_have_no_difference(self):
        comparison = compare_drivers(self.MATRIX, ["a", "c"])
        assert comparison.differences == ()
        assert comparison.same == 3
        assert comparison.gaps == {"c": 0}

    def test_every_reason_is_given_at_once(self):
        reasons = check_drivers(self.MATRIX, ["a", "a", "x", "y"])
        assert reasons == [
            "compare 2 or 3 drivers, not 4",
            "driver 'a' is named twice",
            "no driver 'x' in this matrix (drivers: a, b, c)",
            "no driver 'y' in this matrix (drivers: a, b, c)",
        ]

    def test_unknown_driver_is_an_error(self):
        with pytest.raises(ComparisonError, match="no driver 'xen'"):
            compare_drivers(self.MATRIX, ["a", "xen"])

    def test_one_driver_is_not_a_comparison(self):
        with pytest.raises(ComparisonError, match="not 1"):
            compare_drivers(self.MATRIX, ["a"])
