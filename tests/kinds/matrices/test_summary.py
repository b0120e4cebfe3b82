"""What the site says about a matrix, and the tracks that declare one."""

from __future__ import annotations

import datetime as dt

import pytest

from crosswork.kinds.matrices.gaps import analyse
from crosswork.kinds.matrices.model import CellValue
from crosswork.kinds.matrices.parse import parse_matrix
from crosswork.kinds.matrices.summary import (
    VALUE_LABELS,
    only_drivers,
    parity_text,
    resolve_reference,
    trend_points,
    value_groups,
)
from crosswork.kinds.matrices.tracks import MatrixTrack, files_path, find_track

MATRIX = """\
[driver.kvm]
title=KVM
[driver.xen]
title=Xen
[driver.lxc]
title=LXC

[operation.snapshot]
title=Snapshot
driver.kvm=complete
driver.xen=partial
driver.lxc=missing

[operation.resize]
title=Resize
driver.kvm=complete
driver.xen=complete
driver.lxc=unknown
"""


@pytest.fixture
def matrix():
    parsed, problems = parse_matrix("m.ini", MATRIX)
    assert problems == []
    return parsed


def test_every_value_has_its_own_symbol_and_word() -> None:
    symbols = {label.symbol for label in VALUE_LABELS.values()}
    words = [label.word for label in VALUE_LABELS.values()]

    assert len(symbols) == len(CellValue)
    assert words == [value.value for value in CellValue]


def test_an_unknown_reference_falls_back_to_the_default(matrix) -> None:
    assert resolve_reference(matrix, "xen") == "xen"
    assert resolve_reference(matrix, "vmware") == "kvm"
    assert resolve_reference(matrix, None) == "kvm"


def test_a_driver_subset_keeps_the_reference_and_column_order(matrix) -> None:
    subset = only_drivers(matrix, ["lxc"], "kvm")

    assert [d.key for d in subset.drivers] == ["kvm", "lxc"]
    assert list(subset.features[0].cells) == ["kvm", "lxc"]


def test_drivers_are_grouped_by_value_in_value_order(matrix) -> None:
    snapshot = matrix.features[0]

    assert value_groups(matrix, snapshot) == [
        (CellValue.COMPLETE, ["kvm"]),
        (CellValue.PARTIAL, ["xen"]),
        (CellValue.MISSING, ["lxc"]),
    ]


def test_the_parity_chart_in_words_names_every_figure(matrix) -> None:
    assert parity_text(analyse(matrix, "kvm")) == (
        "Parity with KVM, the share of its 2 complete features each driver"
        " supports too: Xen 75.0% (1 gap); LXC 0.0% (2 gaps)."
    )


def test_trend_points_keep_days_with_counts_of_shown_drivers() -> None:
    day = dt.date(2026, 5, 4)
    days = [(day, {}), (day + dt.timedelta(1), {"xen": 2, "gone": 7})]

    assert trend_points(days, ["xen", "lxc"]) == [(day + dt.timedelta(1), {"xen": 2})]


def test_a_url_track_is_a_path_of_the_files_service() -> None:
    url = "https://opendev.org/openstack/nova/raw/branch/master/x.ini"

    assert files_path({"url": url}) == "openstack/nova/raw/branch/master/x.ini"
    with pytest.raises(ValueError):
        files_path({"url": "https://evil.example/x.ini"})


def test_a_track_is_found_by_source_id_or_by_a_name_used_once() -> None:
    tracks = [
        MatrixTrack("consistency", "nova", "Nova", path="a/b.ini"),
        MatrixTrack("quality", "nova", "Nova too", path="a/c.ini"),
        MatrixTrack("quality", "cinder", "Cinder", file="m/cinder.ini"),
    ]

    assert find_track(tracks, "quality.matrices.nova") is tracks[1]
    assert find_track(tracks, "cinder") is tracks[2]
    assert find_track(tracks, "nova") is None
    assert tracks[0].origin == "opendev.org/a/b.ini"
    assert tracks[2].origin == "m/cinder.ini in this repository"
