"""CI tracks fetched from the fake Zuul: filters, ``skip`` paging, windows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crosswork.fetch.endpoints import parse_endpoints
from crosswork.fetch.http import FetchError, HttpClient, Policy
from crosswork.fetch.providers import FetchContext
from crosswork.fetch.run import fetch_all
from crosswork.fetch.snapshot import load_snapshot
from crosswork.fetch.sources import collect_sources
from crosswork.kinds import KINDS
from crosswork.kinds.ci.model import Build
from crosswork.kinds.ci.provider import PROVIDER, CiQuery
from crosswork.testing.upstream import FakeUpstream, Fault, Recordings
from crosswork.workgroups.registry import load_registry

FAST = Policy(
    connect_timeout=0.5,
    read_timeout=0.5,
    deadline=5.0,
    retries=0,
    backoff_factor=0.01,
    backoff_jitter=0.01,
    backoff_max=0.05,
    breaker_threshold=100,
)


@pytest.fixture
def zuul(recordings: Recordings) -> Iterator[tuple[FakeUpstream, HttpClient]]:
    with FakeUpstream(recordings, services=["zuul"]) as fake:
        endpoints = parse_endpoints(fake.endpoints())
        with HttpClient(endpoints, FAST, environ={}) as client:
            yield fake, client.for_service("zuul")


def fetch(client: HttpClient, query: CiQuery, **options):
    context = FetchContext(client=client, deadline=client.start_deadline(), **options)
    return PROVIDER.fetch(query, context)


def test_the_recordings_hold_both_shapes(recordings: Recordings) -> None:
    shapes = {isinstance(b.get("ref"), dict) for b in recordings.zuul_builds}
    assert shapes == {True, False}
    # 8 listed builds, 2 single builds, 2 more only in a recorded buildset.
    assert len(recordings.zuul_builds) == 12


def test_skip_paging_reads_every_page_once(
    zuul: tuple[FakeUpstream, HttpClient],
) -> None:
    fake, client = zuul
    query = CiQuery("openstack", builds=100)

    result = fetch(client, query, page_size=3)

    # 12 builds, 3 a page: four full pages; Zuul gives no total, so only
    # a short (here empty) fifth page says the list has ended.
    assert result.complete
    assert result.pages == 5
    assert fake.count("zuul.builds") == 5
    skips = [r.first("skip") for r in fake.requests if r.route == "zuul.builds"]
    assert skips == ["0", "3", "6", "9", "12"]
    builds = [Build.from_json(item) for item in result.items]
    assert len(builds) == 12
    assert len({b.key for b in builds}) == 12


def test_the_filters_repeat_and_the_shapes_meet(
    zuul: tuple[FakeUpstream, HttpClient],
) -> None:
    fake, client = zuul
    query = CiQuery(
        "openstack",
        projects=("opendev/gear", "zuul/*"),
        pipelines=("check",),
        builds=100,
    )

    result = fetch(client, query, page_size=2)

    builds = [Build.from_json(item) for item in result.items]
    assert {b.project for b in builds} == {"opendev/gear", "zuul/nodepool"}
    assert {b.pipeline for b in builds} == {"check"}
    # gear's 5 check builds and nodepool's one (Zuul 10 shape): 3 pages of 2,
    # and a fourth, empty one.
    assert len(builds) == 6
    assert result.pages == 4
    request = next(r for r in fake.requests if r.route == "zuul.builds")
    assert request.query["project"] == ["opendev/gear", "zuul/*"]


def test_the_page_cap_marks_the_result_incomplete(
    zuul: tuple[FakeUpstream, HttpClient],
) -> None:
    _, client = zuul

    result = fetch(client, CiQuery("openstack", builds=100), page_size=3, page_cap=3)

    assert not result.complete
    assert result.pages == 3
    assert len(result.items) == 9


def test_a_window_of_days_counts_back_from_the_newest_build(
    zuul: tuple[FakeUpstream, HttpClient],
) -> None:
    _, client = zuul
    query = CiQuery("openstack", projects=("opendev/*",), days=60)

    result = fetch(client, query, page_size=2)

    # opendev builds, newest first: 2020-10-28 (promote), then the check
    # builds of 2020-09-09 and the failed promote of 2020-09-23 are within
    # 60 days; the release build of 2020-02-17 is not, and ends the walk.
    builds = [Build.from_json(item) for item in result.items]
    assert result.complete
    assert min(b.start for b in builds if b.start).isoformat().startswith("2020-09-09")
    assert all(b.job != "opendev-release-python" for b in builds)


def test_the_last_builds_per_job(zuul: tuple[FakeUpstream, HttpClient]) -> None:
    _, client = zuul
    query = CiQuery("openstack", jobs=("opendev-promote-docs",), builds=1)

    result = fetch(client, query, page_size=1)

    builds = [Build.from_json(item) for item in result.items]
    assert [(b.job, b.result) for b in builds] == [("opendev-promote-docs", "SUCCESS")]
    assert result.complete and result.pages == 1


def test_a_failed_later_page_keeps_the_pages_before_it(
    zuul: tuple[FakeUpstream, HttpClient],
) -> None:
    fake, client = zuul
    fake.fail("zuul.builds", Fault.server_error(), after=2)

    result = fetch(client, CiQuery("openstack", builds=100), page_size=3)

    assert not result.complete
    assert result.error is not None
    assert len(result.items) == 6


@pytest.mark.parametrize("fault", [Fault.server_error(), Fault.wrong_schema()])
def test_a_failed_first_page_fails_the_fetch(
    zuul: tuple[FakeUpstream, HttpClient], fault: Fault
) -> None:
    fake, client = zuul
    fake.fail("zuul.builds", fault)

    with pytest.raises(FetchError):
        fetch(client, CiQuery("openstack", builds=100), page_size=3)


def test_the_query_is_stored_as_the_track_says() -> None:
    track = {
        "name": "gate",
        "tenant": "openstack",
        "pipelines": ["gate"],
        "window": {"days": 14},
    }
    assert PROVIDER.query(track).to_json() == {
        "tenant": "openstack",
        "projects": [],
        "pipelines": ["gate"],
        "jobs": [],
        "window": {"days": 14},
    }


def test_the_fake_refuses_a_bad_limit(zuul: tuple[FakeUpstream, HttpClient]) -> None:
    _, client = zuul
    response = client.get(
        f"{client.endpoints.base('zuul')}/api/tenant/openstack/builds",
        params={"limit": "none"},
        deadline=client.start_deadline(),
    )
    assert response.status == 400


def test_a_fault_keeps_the_last_good_builds(
    recordings: Recordings, repo_root: Path, tmp_path: Path, clock
) -> None:
    """The Quality ci source, fetched, then refused: the builds stay, stale."""
    registry, problems = load_registry(repo_root / "workgroups", kinds=KINDS)
    assert problems == []
    sources = [s for s in collect_sources(registry, KINDS) if s.kind == "ci"]
    folder = tmp_path / "snapshot"
    with FakeUpstream(recordings, services=["zuul"]) as fake:
        options = {
            "clock": clock,
            "endpoints": parse_endpoints(fake.endpoints()),
            "environ": {},
            "sleep": lambda seconds: None,
        }
        first = fetch_all(sources, folder, **options)
        fake.fail("zuul.builds", Fault.server_error(503))
        clock.advance(hours=1)
        second = fetch_all(sources, folder, **options)

    assert [o.status.state for o in first.outcomes] == ["fresh"]
    assert [o.status.state for o in second.outcomes] == ["stale"]
    snapshot, _ = load_snapshot(folder, sources[0].id)
    assert snapshot is not None and len(snapshot.items) == 9
