"""What a matrix track declares beyond its file: upstream place, comparisons."""

from __future__ import annotations

import datetime as dt

from crosswork.kinds.matrices.tracks import MatrixTrack, track_findings
from crosswork.safeyaml import load_yaml

from .test_gaps import build

CHARTER = b"""\
tracks:
  matrices:
    - name: nova-2020
      path: openstack/nova/support-matrix.pre-xen-removal.ini
      upstream:
        repository: openstack/nova
        path: doc/source/user/support-matrix.ini
        commit: 31b2fd114c741b241a4f567d0962e82c5034d7e4
        date: "2020-08-31"
      compare:
        - name: kvm-xen
          drivers: [kvm, xen]
        - name: kvm-xen
          drivers: [kvm, vmware, xen]
"""
MATRIX = build(["kvm", "xen"], [("operation.boot", "optional", ["complete"] * 2)])


def charter(text: bytes = CHARTER):
    data, problems = load_yaml("workgroups/consistency.yaml", text)
    assert problems == []
    return data, MatrixTrack.from_track(
        "consistency", data.value["tracks"]["matrices"][0]
    )


def test_upstream_names_the_file_at_its_commit():
    _, track = charter()
    upstream = track.upstream
    assert upstream is not None
    assert upstream.date == dt.date(2020, 8, 31)
    assert upstream.url == (
        "https://opendev.org/openstack/nova/src/commit/"
        "31b2fd114c741b241a4f567d0962e82c5034d7e4/doc/source/user/support-matrix.ini"
    )
    assert track.origin == (
        "openstack/nova doc/source/user/support-matrix.ini at 31b2fd11"
    )


def test_comparisons_are_named_after_their_track():
    _, track = charter()
    assert [track.comparison_id(c) for c in track.comparisons] == [
        "consistency.matrices.nova-2020.kvm-xen"
    ] * 2
    assert track.comparisons[1].drivers == ("kvm", "vmware", "xen")


def test_findings_are_at_the_value_they_are_about():
    data, track = charter(CHARTER.replace(b"2020-08-31", b"2020-02-30"))
    found = [
        str(d) for d in track_findings(data, ("tracks", "matrices", 0), track, MATRIX)
    ]
    assert found == [
        "workgroups/consistency.yaml:9:15: X131 tracks.matrices[0].upstream.date:"
        " not a date in the calendar",
        "workgroups/consistency.yaml:13:17: X133 tracks.matrices[0].compare[1].name:"
        " 'kvm-xen' is already the name of tracks.matrices[0].compare[0]",
        "workgroups/consistency.yaml:14:26: X132"
        " tracks.matrices[0].compare[1].drivers[1]: matrix 'nova-2020' has no driver"
        " 'vmware' (drivers: kvm, xen)",
    ]


def test_drivers_of_a_matrix_not_fetched_yet_are_not_checked():
    data, track = charter()
    found = [
        d.code for d in track_findings(data, ("tracks", "matrices", 0), track, None)
    ]
    assert found == ["X133"]
