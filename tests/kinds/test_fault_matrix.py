"""Every fault of the fake upstream against every data kind's provider.

For each kind of ``crosswork.kinds.KINDS`` and each fault mode of
:class:`~crosswork.testing.upstream.Fault` (both found by introspection,
so a new kind or a new mode joins without a new test), the kind's example
tracks (:attr:`~crosswork.datakind.DataKind.examples`: Launchpad and
GitHub, OSV and OSSA, a matrix file) are fetched from the fake upstream;
then the fault is armed on every route that fetch used and the tracks are
fetched again. The second fetch must end normally, report every source
``stale`` with an error, and leave the snapshot files of the last good
data byte for byte as they were.

Every fault applies to every route used so far: a fault replaces the whole
answer, so no answer can pass for a 304 or for good data. Should a fault
ever not apply to a kind, name it in :data:`NOT_APPLICABLE` with the state
it leaves instead (``not-modified`` or ``fresh``) and why.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

import pytest
import yaml

from crosswork.datakind import DataKind
from crosswork.fetch.endpoints import parse_endpoints
from crosswork.fetch.run import FetchReport, fetch_all
from crosswork.fetch.sources import Source, collect_sources
from crosswork.kinds import KINDS
from crosswork.testing.upstream import CORE_ROUTES, FakeUpstream, Recordings
from crosswork.workgroups.registry import load_registry
from faults import fault_kinds, make_fault
from fetching import FAST

CHARTER = Path(__file__).resolve().parents[1] / "roots/test-site/repo/workgroups"

#: A whole run's numbers: short timeouts, so that slow faults end quickly.
POLICY = dataclasses.replace(FAST, deadline=1.0, read_timeout=0.3)

#: ``(kind, fault)`` pairs where the fault cannot apply, with the state the
#: refresh ends in instead. None so far.
NOT_APPLICABLE: dict[tuple[str, str], str] = {}

COMBINATIONS = [
    pytest.param(kind, fault, id=f"{kind.name}-{fault}")
    for kind in KINDS
    for fault in fault_kinds()
]


def example_sources(kind: DataKind, folder: Path) -> list[Source]:
    """The sources of a charter tracking the kind's example tracks."""
    charter = yaml.safe_load((CHARTER / "alpha.yaml").read_text(encoding="utf-8"))
    charter["tracks"] = {kind.name: [dict(track) for track in kind.examples]}
    folder.mkdir()
    (folder / "alpha.yaml").write_text(yaml.safe_dump(charter), encoding="utf-8")
    registry, problems = load_registry(folder, kinds=KINDS)
    assert problems == []
    return collect_sources(registry, KINDS)


def route_names(kind: DataKind, recordings: Recordings) -> set[str]:
    """The routes of the kind's own services and of the core's."""
    builders = {**kind.fake_routes_by_service(), **CORE_ROUTES}
    return {route.name for build in builders.values() for route in build(recordings)}


def fetch(
    sources: list[Source], folder: Path, fake: FakeUpstream, clock: Any
) -> FetchReport:
    """One request at a time: with read timeouts of 0.3 s, requests side
    by side on a busy machine could time out on good answers, and this
    suite is about faults (tests/fetch/test_concurrency.py is about
    concurrency)."""
    return fetch_all(
        sources,
        folder,
        clock=clock,
        endpoints=parse_endpoints(fake.endpoints()),
        policy=POLICY,
        environ={},
        sleep=lambda seconds: None,
        workers=1,
    )


def test_every_kind_and_fault_is_combined() -> None:
    assert len(COMBINATIONS) == len(KINDS) * len(fault_kinds())
    assert len(fault_kinds()) >= 15


@pytest.mark.parametrize(("kind", "fault"), COMBINATIONS)
def test_a_fault_keeps_the_last_good_data(
    kind: DataKind,
    fault: str,
    recordings: Recordings,
    tmp_path: Path,
    clock: Any,
    caplog: pytest.LogCaptureFixture,
    no_network: None,
    suite_counts: dict[str, dict[str, int]],
) -> None:
    sources = example_sources(kind, tmp_path / "workgroups")
    folder = tmp_path / "snapshot"
    caplog.set_level(logging.DEBUG)
    with FakeUpstream(recordings) as fake:
        good = fetch(sources, folder, fake, clock)
        used = {route.name for route in fake.routes if fake.count(route.name)}
        before = {path.name: path.read_bytes() for path in folder.glob("*.*.*.json")}
        clock.advance(days=2)
        for route in used:
            fake.fail(route, make_fault(fault))
        report = fetch(sources, folder, fake, clock)

    assert {o.status.state for o in good.outcomes} == {"fresh"}
    assert used and used <= route_names(kind, recordings)
    assert len(before) == len(sources) == len(kind.examples)
    expected = NOT_APPLICABLE.get((kind.name, fault), "stale")
    for outcome, first in zip(report.outcomes, good.outcomes, strict=True):
        assert outcome.status.state == expected, outcome.status
        if expected == "stale":
            assert outcome.status.error_kind
            assert outcome.status.fetched_at == first.status.fetched_at
    after = {path.name: path.read_bytes() for path in folder.glob("*.*.*.json")}
    assert after == before
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    counts = suite_counts.setdefault("fault matrix", {})
    counts["combinations run"] = counts.get("combinations run", 0) + 1
    counts["sources refreshed"] = counts.get("sources refreshed", 0) + len(sources)
    counts["routes faulted"] = counts.get("routes faulted", 0) + len(used)
    counts[expected] = counts.get(expected, 0) + 1
