"""Gaps closed: what a matrix says about a spec's ``Closes-Gaps`` targets.

The charters are the repository's: the Consistency workgroup fetches the
matrix ``nova-2020`` (reference ``libvirt-kvm-x86``). Its snapshot and
history are written here, with the real store functions, from a small
matrix whose gaps are counted by hand: the reference completes features
a, b and c (not d). On 2026-01-03 and 2026-01-10 the driver ``xen`` misses
a, b and c (3 gaps); by 2026-01-20 it completes c and does b in part
(2 gaps: a and b).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from crosswork.fetch.snapshot import (
    Snapshot,
    load_status,
    record_history,
    write_snapshot,
)
from crosswork.fetch.view import SourceView, read_view
from crosswork.kinds import KINDS
from crosswork.kinds.matrices import RECORD
from crosswork.kinds.matrices.facts import matrix_facts
from crosswork.kinds.matrices.parse import parse_matrix
from crosswork.kinds.matrices.progress import progress
from crosswork.kinds.matrices.provider import gap_breakdown
from crosswork.kinds.matrices.speclint import lint_closes_gaps
from crosswork.layout import Layout
from crosswork.site.data import SiteData, with_kind_spec_findings
from crosswork.specs.model import GapTarget, Spec
from crosswork.workgroups.registry import Registry, load_registry

SOURCE = "consistency.matrices.nova-2020"
PATH = "openstack/nova/support-matrix.pre-xen-removal.ini"


def matrix_text(a: str, b: str, c: str) -> str:
    """Xen's values for features a, b and c; the reference completes them."""
    features = "".join(
        f"[operation.{key}]\ntitle=Feature {key}\nstatus=optional\n"
        f"driver.libvirt-kvm-x86={ref}\ndriver.xen={xen}\n\n"
        for key, ref, xen in (
            ("a", "complete", a),
            ("b", "complete", b),
            ("c", "complete", c),
            ("d", "missing", "missing"),
        )
    )
    return (
        "[driver.libvirt-kvm-x86]\ntitle=KVM\n\n[driver.xen]\ntitle=Xen\n\n" + features
    )


def store(folder: Path, day: dt.date, text: str) -> None:
    """The day's fetch of the matrix: its snapshot, then the history entry."""
    matrix, problems = parse_matrix(PATH, text)
    snapshot = Snapshot(
        source=SOURCE,
        kind="matrices",
        query={"path": PATH, "reference": "libvirt-kvm-x86"},
        fetched_at=dt.datetime.combine(day, dt.time(6), tzinfo=dt.UTC),
        complete=True,
        items=tuple(matrix_facts(matrix, problems)),
    )
    write_snapshot(folder, snapshot)
    record_history(
        folder, {SOURCE: (snapshot.count, True)}, day, {SOURCE: gap_breakdown}
    )


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    folder = tmp_path / "snapshot"
    folder.mkdir()
    store(folder, dt.date(2026, 1, 3), matrix_text("missing", "missing", "missing"))
    store(folder, dt.date(2026, 1, 10), matrix_text("missing", "missing", "missing"))
    store(folder, dt.date(2026, 1, 20), matrix_text("missing", "partial", "complete"))
    return folder


@pytest.fixture
def registry(repo_root: Path) -> Registry:
    registry, problems = load_registry(repo_root / "workgroups", repo_root, kinds=KINDS)
    assert problems == []
    return registry


@pytest.fixture
def site(registry: Registry, tmp_path: Path) -> SiteData:
    return SiteData(layout=Layout(tmp_path), registry=registry)


def reader(folder: Path) -> Callable[[str], SourceView]:
    statuses = load_status(folder) if folder.is_dir() else {}
    return lambda source_id: read_view(folder, source_id, statuses)


def make_spec(*targets: GapTarget, created: dt.date = dt.date(2026, 1, 5)) -> Spec:
    return Spec(
        slug="xen-parity",
        cycle="2026.1",
        title="Xen parity",
        status="approved",
        workgroup="consistency",
        authors=("Ann",),
        created=created,
        review="https://review.opendev.org/c/x/+/1",
        tracking=(),
        supersedes=(),
        superseded_by="",
        implemented_in="",
        path="specs/2026.1/xen-parity.rst",
        title_line=3,
        closes_gaps=targets,
    )


ALL_OF_XEN = GapTarget("nova-2020", "xen")


# --- Progress ----------------------------------------------------------------


def test_every_gap_of_a_driver_counts_from_the_first_recorded_day_after_creation(
    site: SiteData, snapshot: Path
) -> None:
    (figure,) = progress(make_spec(ALL_OF_XEN), site, reader(snapshot))

    # Approved: 2026-01-10, the first recorded day on or after 2026-01-05,
    # with 3 gaps; 2 are open now.
    assert figure.key == "gaps"
    assert figure.label == "Gaps closed"
    assert figure.summary == "1 of 3 closed (xen against libvirt-kvm-x86, nova-2020)"
    assert (figure.done, figure.total) == (1, 3)
    assert figure.trend == ((dt.date(2026, 1, 10), 3.0), (dt.date(2026, 1, 20), 2.0))
    assert figure.trend_label == "open gaps"
    assert figure.sources == (SOURCE,)
    assert figure.detail["approved"] == "2026-01-10"
    assert figure.detail["open_now"] == ["operation.a", "operation.b"]


def test_named_features_count_those_no_longer_gaps(
    site: SiteData, snapshot: Path
) -> None:
    target = GapTarget("nova-2020", "xen", ("operation.a", "c", "a"))

    (figure,) = progress(make_spec(target), site, reader(snapshot))

    # A feature is named by its key, or without its group when that is
    # unique; named twice, it counts once.
    assert figure.summary == "1 of 2 closed (xen against libvirt-kvm-x86, nova-2020)"
    assert (figure.done, figure.total) == (1, 2)


def test_a_named_feature_the_matrix_lacks_is_unknown_not_closed(
    site: SiteData, snapshot: Path
) -> None:
    target = GapTarget("nova-2020", "xen", ("c", "zzz"))

    (figure,) = progress(make_spec(target), site, reader(snapshot))

    assert figure.summary.startswith("1 of 2 closed, 1 unknown (")


def test_without_history_after_creation_the_baseline_is_unknown(
    site: SiteData, snapshot: Path
) -> None:
    spec = make_spec(ALL_OF_XEN, created=dt.date(2026, 2, 1))

    (figure,) = progress(spec, site, reader(snapshot))

    assert figure.summary == (
        "2 open; open when approved: unknown (xen against libvirt-kvm-x86, nova-2020)"
    )
    assert (figure.done, figure.total) == (None, None)
    assert figure.trend == ()


def test_one_figure_per_target(site: SiteData, snapshot: Path) -> None:
    spec = make_spec(ALL_OF_XEN, GapTarget("nova-2020", "xen", ("a",)))

    figures = progress(spec, site, reader(snapshot))

    assert [f.summary.split(" (")[0] for f in figures] == [
        "1 of 3 closed",
        "0 of 1 closed",
    ]


def test_a_matrix_never_fetched_says_so(site: SiteData, tmp_path: Path) -> None:
    (figure,) = progress(make_spec(ALL_OF_XEN), site, reader(tmp_path / "none"))

    assert (
        figure.summary == "unknown: no data for matrix 'nova-2020' yet (xen, nova-2020)"
    )
    assert figure.sources == (SOURCE,)


def test_a_repository_matrix_is_read_from_the_repository(
    registry: Registry, tmp_path: Path
) -> None:
    (tmp_path / "xen.ini").write_text(matrix_text("missing", "complete", "complete"))
    consistency = registry.workgroups["consistency"]
    local = dataclasses.replace(
        consistency,
        tracks={"matrices": [{"name": "local", "file": "xen.ini"}]},
    )
    site = SiteData(
        layout=Layout(tmp_path),
        registry=Registry({"consistency": local}),
    )

    (figure,) = progress(
        make_spec(GapTarget("local", "xen")), site, reader(tmp_path / "none")
    )

    assert figure.summary == (
        "1 open; open when approved: unknown (xen against libvirt-kvm-x86, local)"
    )
    assert figure.sources == ()


# --- Lint ----------------------------------------------------------------------


def lint_site(registry: Registry, root: Path, *specs: Spec) -> SiteData:
    return SiteData(layout=Layout(root), registry=registry, specs=specs)


def test_targets_must_name_what_the_matrix_has(
    registry: Registry, tmp_path: Path, snapshot: Path
) -> None:
    spec = make_spec(
        ALL_OF_XEN,
        GapTarget("nova-2021", "xen"),
        GapTarget("nova-2020", "hyperv"),
        GapTarget("nova-2020", "xen", ("a", "zzz")),
    )

    found = lint_closes_gaps([spec], lint_site(registry, tmp_path, spec))

    assert [(d.path, d.line, d.column, d.code) for d in found] == [
        ("specs/2026.1/xen-parity.rst", 3, 1, "X140"),
        ("specs/2026.1/xen-parity.rst", 3, 1, "X141"),
        ("specs/2026.1/xen-parity.rst", 3, 1, "X142"),
    ]
    assert "'nova-2021'" in found[0].message
    assert "'hyperv'" in found[1].message
    assert "'zzz'" in found[2].message


def test_a_matrix_not_fetched_yet_checks_only_the_track(
    registry: Registry, tmp_path: Path
) -> None:
    spec = make_spec(GapTarget("nova-2020", "anything", ("at-all",)))

    assert lint_closes_gaps([spec], lint_site(registry, tmp_path, spec)) == []


def test_the_record_s_findings_join_the_spec_problems(
    registry: Registry, tmp_path: Path
) -> None:
    spec = make_spec(GapTarget("nowhere", "xen"))

    site = with_kind_spec_findings(lint_site(registry, tmp_path, spec), KINDS)

    assert [d.code for d in site.spec_problems] == ["X140"]
    assert [d.code for d in site.problems] == ["X140"]
    assert RECORD.spec_progress == "crosswork.kinds.matrices.progress:progress"
