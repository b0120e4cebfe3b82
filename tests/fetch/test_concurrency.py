"""Fetching side by side: the same result as one request at a time, within
each host's bound, and a host that asked to wait is left alone by all."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path
from typing import Any

import pytest

from crosswork.fetch.endpoints import parse_endpoints
from crosswork.fetch.http import HttpClient, Policy
from crosswork.fetch.run import FetchReport, fetch_all
from crosswork.fetch.sources import Source, collect_sources
from crosswork.kinds import KINDS
from crosswork.testing.timeline import Timeline
from crosswork.testing.upstream import FakeUpstream, Fault, Recordings
from crosswork.workgroups.registry import load_registry

#: Roomy enough for a whole charter set on a busy machine.
POLICY = Policy(deadline=30.0, retries=1, backoff_factor=0.01, backoff_max=0.05)


@pytest.fixture
def charter_sources(repo_root: Path) -> list[Source]:
    """Every source of the repository's own charters."""
    registry, _ = load_registry(repo_root / "workgroups", kinds=KINDS)
    return list(collect_sources(registry, KINDS))


def fetch(
    sources: list[Source],
    folder: Path,
    fake: FakeUpstream,
    clock: Any,
    **options: Any,
) -> FetchReport:
    options.setdefault("policy", POLICY)
    return fetch_all(
        sources,
        folder,
        clock=clock,
        endpoints=parse_endpoints(fake.endpoints()),
        environ={},
        **options,
    )


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.json"))}


def test_a_concurrent_fetch_writes_the_same_bytes_as_a_sequential_one(
    charter_sources: list[Source],
    recordings: Recordings,
    tmp_path: Path,
    clock: Any,
) -> None:
    with FakeUpstream(recordings) as fake:
        sequential = fetch(charter_sources, tmp_path / "one", fake, clock, workers=1)
        assert fake.peak_in_flight == 1
        concurrent = fetch(charter_sources, tmp_path / "many", fake, clock)

    assert concurrent.outcomes == sequential.outcomes
    assert len(folder_bytes(tmp_path / "one")) > len(charter_sources) // 2
    assert folder_bytes(tmp_path / "many") == folder_bytes(tmp_path / "one")


def test_requests_in_flight_stay_within_the_bound_of_their_host(
    charter_sources: list[Source],
    recordings: Recordings,
    tmp_path: Path,
    clock: Any,
) -> None:
    """Every service on one host: the host's bound holds for all together
    (reached when the machine lets enough threads run at once)."""
    with FakeUpstream(recordings, latency=0.1) as fake:
        policy = dataclasses.replace(POLICY, per_host=3)
        fetch(charter_sources, tmp_path / "snapshot", fake, clock, policy=policy)

    assert 2 <= fake.peak_in_flight <= 3


def test_a_refetch_of_unchanged_data_downloads_no_record_or_file(
    charter_sources: list[Source],
    recordings: Recordings,
    tmp_path: Path,
    clock: Any,
) -> None:
    """What changed is asked with validators or a list of dates; only the
    lists of what upstreams without validators hold come again in full."""
    with FakeUpstream(recordings) as fake:
        fetch(charter_sources, tmp_path / "snapshot", fake, clock)
        cold = {route.name: fake.bodies(route.name) for route in fake.routes}
        clock.advance(days=1)
        fetch(charter_sources, tmp_path / "snapshot", fake, clock)
        warm = {
            route.name: fake.bodies(route.name) - cold[route.name]
            for route in fake.routes
        }

    assert cold["osv.vulns"] > 0 and cold["files.raw"] > 0
    assert {route for route, count in warm.items() if count} == {
        "osv.querybatch",  # ids and dates only
        "gerrit.changes",  # Gerrit queries send no validators
        "zuul.builds",  # neither does Zuul
    }


def test_a_host_that_asked_to_wait_is_left_alone_by_every_thread(
    recordings: Recordings, timeline: Timeline
) -> None:
    """One request receives a ``Retry-After: 1``; a request another thread
    makes meanwhile to the same host waits out the same second."""
    asked = threading.Event()
    waited = threading.Event()
    sleeps: list[tuple[str, float]] = []

    def sleep(seconds: float) -> None:
        sleeps.append((threading.current_thread().name, seconds))
        if len(sleeps) == 1:  # the first request's wait: let the other go
            asked.set()
            assert waited.wait(10)
        timeline.sleep(seconds)

    with (
        FakeUpstream(recordings, services=["osv"]) as fake,
        HttpClient(
            parse_endpoints(fake.endpoints()),
            Policy(deadline=5.0, retries=1),
            environ={},
            sleep=sleep,
            monotonic=timeline.monotonic,
        ) as client,
    ):
        fake.fail("osv.vulns", Fault.too_many_requests("1"), times=1)
        base = f"{fake.base_url}/v1/vulns"

        def other() -> None:
            assert asked.wait(10)
            client.get(f"{base}/PYSEC-2023-74", deadline=client.start_deadline())
            waited.set()

        thread = threading.Thread(target=other, name="other")
        thread.start()
        first = client.get(
            f"{base}/GHSA-j8r2-6x86-q33q", deadline=client.start_deadline()
        )
        thread.join()

    assert first.status == 200
    assert [name for name, _ in sleeps] == [threading.current_thread().name, "other"]
    assert sleeps[0][1] == 1.0
    assert sleeps[1][1] == pytest.approx(1.0)
    assert fake.count("osv.vulns") == 3
