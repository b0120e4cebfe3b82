"""Gaps and parity against a reference driver."""

from __future__ import annotations

import json
import pickle

import pytest

from crosswork.diagnostics import Diagnostic, Severity
from crosswork.kinds.matrices.gaps import (
    Gap,
    Hole,
    analyse,
    as_data,
    default_reference,
    to_json,
)
from crosswork.kinds.matrices.model import CellValue
from crosswork.kinds.matrices.parse import parse_matrix

C, P, M, U = "complete", "partial", "missing", "unknown"


def matrix_text(drivers: list[str], rows: list[tuple[str, str, list[str]]]) -> str:
    """An INI matrix: ``rows`` are (section, status, one value per driver)."""
    parts = [f"[driver.{d}]\ntitle={d.upper()}\n" for d in drivers]
    for key, status, values in rows:
        cells = "".join(
            f"driver.{d}={v}\n" for d, v in zip(drivers, values, strict=True)
        )
        parts.append(f"[{key}]\ntitle={key}\nstatus={status}\n{cells}")
    return "\n".join(parts)


def build(drivers, rows):
    matrix, problems = parse_matrix("tiny.ini", matrix_text(drivers, rows))
    assert problems == []
    return matrix


#: The reference completes 7 features (marked *); "a" and "b" are scored
#: against those 7.
TINY = build(
    ["ref", "a", "b"],
    [
        ("operation.f1", "optional", [C, C, P]),  # *  a 1    b 1/2
        ("operation.f2", "optional", [C, M, U]),  # *  a 0    b 0
        ("operation.f3", "optional", [P, C, C]),  #    not scored
        ("console.c1", "choice(console)", [C, M, M]),  # *  a 1 (via c2)  b 0
        ("console.c2", "choice(console)", [C, C, M]),  # *  a 1    b 0
        ("console.c3", "choice(console)", [M, M, P]),  #    not scored
        ("operation.m1", "mandatory", [C, P, C]),  # *  a 1/2  b 1
        ("storage.s1", "condition(operation.f1==complete)", [C, M, C]),  # * a 0 b 1
        ("operation.f4", "optional", [C, C, C]),  # *  a 1    b 1
    ],
)


class TestParity:
    def test_formula_with_partials_and_choice_groups(self):
        parity = analyse(TINY, "ref").parity
        assert parity["ref"] == 1.0
        assert parity["a"] == pytest.approx(4.5 / 7)
        assert parity["b"] == pytest.approx(3.5 / 7)

    def test_reference_features_are_the_denominator(self):
        features = analyse(TINY, "ref").reference_features
        assert [f.key for f in features] == [
            "operation.f1",
            "operation.f2",
            "console.c1",
            "console.c2",
            "operation.m1",
            "storage.s1",
            "operation.f4",
        ]

    def test_reference_with_nothing_complete_gives_full_parity(self):
        matrix = build(["x", "y"], [("operation.f", "optional", [M, C])])
        assert dict(analyse(matrix, "x").parity) == {"x": 1.0, "y": 1.0}

    def test_other_reference(self):
        parity = analyse(TINY, "b").parity
        # b completes f3, m1, s1, f4; ref has f3 partial.
        assert parity["ref"] == pytest.approx(3.5 / 4)
        assert parity["a"] == pytest.approx(2.5 / 4)


class TestGaps:
    def test_gaps_skip_satisfied_choices(self):
        gaps = analyse(TINY, "ref").gaps
        assert gaps == (
            Gap("a", "operation.f2", CellValue.MISSING),
            Gap("a", "operation.m1", CellValue.PARTIAL),
            Gap("a", "storage.s1", CellValue.MISSING),
            Gap("b", "operation.f1", CellValue.PARTIAL),
            Gap("b", "operation.f2", CellValue.UNKNOWN),
            Gap("b", "console.c1", CellValue.MISSING),
            Gap("b", "console.c2", CellValue.MISSING),
        )

    def test_gap_counts_include_zeros(self):
        matrix = build(["x", "y"], [("operation.f", "optional", [C, C])])
        assert analyse(matrix, "x").gap_counts() == {"y": 0}

    def test_mandatory_and_conditional_holes(self):
        holes = analyse(TINY, "ref").mandatory_holes
        assert holes == (
            Hole("a", "operation.m1", CellValue.PARTIAL, "mandatory"),
            Hole(
                "a",
                "storage.s1",
                CellValue.MISSING,
                "condition(operation.f1==complete)",
            ),
        )

    def test_a_conditional_feature_is_not_required_where_its_condition_is_false(
        self,
    ):
        # Both drivers lack s1; only x completes f1, so only x must have s1.
        matrix = build(
            ["x", "y"],
            [
                ("operation.f1", "optional", [C, P]),
                ("storage.s1", "condition(operation.f1==complete)", [M, M]),
            ],
        )
        assert analyse(matrix, "x").mandatory_holes == (
            Hole(
                "x",
                "storage.s1",
                CellValue.MISSING,
                "condition(operation.f1==complete)",
            ),
        )

    def test_unmet_choice_groups(self):
        assert analyse(TINY, "ref").unmet_choices == (("b", "console"),)

    def test_divergent_features(self):
        divergent = analyse(TINY, "ref").divergent
        assert "operation.f4" not in divergent
        assert len(divergent) == len(TINY.features) - 1

    def test_analysis_pickles(self):
        # A Sphinx build may keep it in its pickled environment.
        analysis = analyse(TINY, "ref")
        assert pickle.loads(pickle.dumps(analysis)) == analysis

    def test_ranking_puts_reference_first_among_ties(self):
        matrix = build(["x", "y", "z"], [("operation.f", "optional", [C, P, C])])
        assert analyse(matrix, "z").ranking() == ["z", "x", "y"]


class TestReference:
    def test_libvirt_kvm_x86_first(self):
        rows = [("operation.f", "optional", [C, C, M])]
        matrix = build(["most", "libvirt-kvm", "libvirt-kvm-x86"], rows)
        assert default_reference(matrix) == "libvirt-kvm-x86"

    def test_then_libvirt_kvm(self):
        matrix = build(["most", "libvirt-kvm"], [("operation.f", "optional", [C, M])])
        assert default_reference(matrix) == "libvirt-kvm"

    def test_else_the_most_complete_driver_first_column_on_ties(self):
        rows = [
            ("operation.f", "optional", [M, C, C]),
            ("operation.g", "optional", [C, C, C]),
        ]
        matrix = build(["x", "y", "z"], rows)
        assert default_reference(matrix) == "y"

    def test_unknown_reference(self):
        with pytest.raises(
            ValueError, match=r"unknown reference driver 'kvm' \(drivers: ref, a, b\)"
        ):
            analyse(TINY, "kvm")

    def test_no_drivers(self):
        matrix, _ = parse_matrix("empty.ini", "[operation.f]\ntitle=F\n")
        with pytest.raises(ValueError, match="has no drivers"):
            analyse(matrix)


class TestKvmVersusXen:
    """nova's 2020 matrix, checked by hand against the file."""

    @pytest.fixture
    def analysis(self, openstack):
        path = openstack / "nova/support-matrix.pre-xen-removal.ini"
        matrix, _ = parse_matrix("nova-2020", path.read_text(encoding="utf-8"))
        return analyse(matrix)

    def gaps_of(self, analysis, feature):
        return {g.driver: g.value for g in analysis.gaps if g.feature == feature}

    def test_reference_is_kvm(self, analysis):
        assert analysis.reference == "libvirt-kvm-x86"

    def test_snapshot_is_partial_on_libvirt_xen_only(self, analysis):
        # kvm complete, xenserver complete, libvirt-xen partial (cold only).
        gaps = self.gaps_of(analysis, "operation.snapshot")
        assert gaps["libvirt-xen"] is CellValue.PARTIAL
        assert "xenserver" not in gaps

    def test_extend_volume_is_missing_on_xenserver_unknown_on_libvirt_xen(
        self, analysis
    ):
        gaps = self.gaps_of(analysis, "operation.extend-volume")
        assert gaps["xenserver"] is CellValue.MISSING
        assert gaps["libvirt-xen"] is CellValue.UNKNOWN

    def test_spice_console_is_no_gap_when_vnc_is_complete(self, analysis):
        # Both Xen drivers lack SPICE but complete VNC: choice(console).
        gaps = self.gaps_of(analysis, "console.spice")
        assert "xenserver" not in gaps
        assert "libvirt-xen" not in gaps

    def test_what_kvm_lacks_is_no_gap(self, analysis):
        # maintenance-mode: xenserver complete, kvm missing.
        assert self.gaps_of(analysis, "operation.maintenance-mode") == {}

    def test_features_that_differ(self, analysis):
        features = analysis.matrix.features
        kvm = "libvirt-kvm-x86"
        differ = {
            xen: sum(f.value(kvm) is not f.value(xen) for f in features)
            for xen in ("libvirt-xen", "xenserver")
        }
        assert differ == {"libvirt-xen": 20, "xenserver": 26}

    def test_gap_counts(self, analysis):
        counts = analysis.gap_counts()
        assert (counts["libvirt-xen"], counts["xenserver"]) == (15, 20)
        assert analysis.parity["libvirt-xen"] == pytest.approx(36.5 / 51)


class TestJson:
    HOSTILE = "<script>alert(1)</script> ]]> & :ref:`x` **b**"

    def analysis(self):
        text = matrix_text(["kvm", "xen"], [("operation.f", "optional", [C, P])])
        text = text.replace("title=KVM", f"title={self.HOSTILE}")
        text = text.replace("title=operation.f", f"title={self.HOSTILE} feature")
        matrix, _ = parse_matrix("j.ini", text)
        return analyse(matrix, "kvm")

    def test_documented_shape(self):
        warning = Diagnostic("j.ini", 3, 1, "X113", "unknown key", Severity.WARNING)
        data = json.loads(to_json(self.analysis(), [warning]))
        assert data == {
            "reference": "kvm",
            "drivers": [
                {"key": "kvm", "title": self.HOSTILE},
                {"key": "xen", "title": "XEN"},
            ],
            "features": [
                {
                    "key": "operation.f",
                    "title": f"{self.HOSTILE} feature",
                    "status": "optional",
                    "cells": {"kvm": "complete", "xen": "partial"},
                }
            ],
            "gaps": [{"driver": "xen", "feature": "operation.f", "value": "partial"}],
            "parity": {"kvm": 1.0, "xen": 0.5},
            "warnings": [
                {
                    "path": "j.ini",
                    "line": 3,
                    "column": 1,
                    "code": "X113",
                    "severity": "warning",
                    "message": "unknown key",
                }
            ],
        }

    def test_hostile_text_is_verbatim(self):
        assert self.HOSTILE in to_json(self.analysis())

    def test_json_is_indented_by_two_and_keeps_non_ascii_text(self):
        text = matrix_text(["ref", "a"], [("operation.f", "optional", [C, P])])
        text = text.replace("title=A\n", "title=Hyper-V Gen2 «ü»\n")
        matrix, _ = parse_matrix("tiny.ini", text)
        text = to_json(analyse(matrix, "ref"))
        assert text.startswith('{\n  "reference": "ref",\n  "drivers": [\n    {')
        assert "Hyper-V Gen2 «ü»" in text
        assert json.loads(text) == as_data(analyse(matrix, "ref"))

    def test_stable_key_order_and_rounding(self):
        data = as_data(analyse(TINY, "ref"))
        assert list(data) == [
            "reference",
            "drivers",
            "features",
            "gaps",
            "parity",
            "warnings",
        ]
        assert data["parity"]["a"] == 0.6429
        assert to_json(analyse(TINY, "ref")) == to_json(analyse(TINY, "ref"))
