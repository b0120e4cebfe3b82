"""Synthetic matrices: deterministic, valid, and quick to process at scale."""

from __future__ import annotations

from collections import Counter

from crosswork.kinds.matrices.gaps import analyse
from crosswork.kinds.matrices.parse import parse_matrix
from crosswork.kinds.matrices.svg import parity_chart
from crosswork.kinds.matrices.synthetic import synthetic_matrix


def test_same_arguments_same_text():
    assert synthetic_matrix(40, 6, seed=3) == synthetic_matrix(40, 6, seed=3)
    assert synthetic_matrix(40, 6, seed=3) != synthetic_matrix(40, 6, seed=4)


def test_parses_without_diagnostics_at_the_requested_size():
    matrix, problems = parse_matrix("synthetic.ini", synthetic_matrix(50, 7, seed=1))
    assert problems == []
    assert (len(matrix.features), len(matrix.drivers)) == (50, 7)


def test_uses_every_group_and_status_kind():
    matrix, _ = parse_matrix("synthetic.ini", synthetic_matrix(60, 4, seed=1))
    groups = Counter(f.group for f in matrix.features)
    kinds = {f.status.kind.value for f in matrix.features}
    assert set(groups) == {"operation", "console", "guest", "storage", "networking"}
    assert kinds == {"optional", "mandatory", "choice", "condition"}
    assert "50%" in matrix.features[0].notes


def test_parity_spreads_from_first_to_last_driver():
    matrix, _ = parse_matrix("synthetic.ini", synthetic_matrix(200, 10, seed=7))
    parity = analyse(matrix).parity
    assert parity["synthetic-001"] > parity["synthetic-009"]


def test_300_features_by_30_drivers_go_through_parse_analysis_and_chart():
    """The size ``benchmarks/matrix_render.py`` times (about 0.1 s on a
    two-core machine); here only that every step handles it."""
    matrix, problems = parse_matrix("synthetic.ini", synthetic_matrix(300, 30, seed=0))
    analysis = analyse(matrix)
    chart = parity_chart(analysis)
    assert (problems, len(matrix.features), len(analysis.parity)) == ([], 300, 30)
    assert chart.count("% parity, ") == 30  # one bar per driver
