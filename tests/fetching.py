"""Fixtures of every test that fetches: fast policies, sources, runs.

Loaded as a plugin by ``tests/conftest.py``; the fake upstream, its
recordings and the clock come from there.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from crosswork.fetch.endpoints import Endpoints, parse_endpoints
from crosswork.fetch.http import HttpClient, Policy
from crosswork.fetch.run import FetchReport, fetch_all
from crosswork.fetch.sources import Source
from crosswork.kinds.bugs.provider import PROVIDER, BugQuery
from crosswork.testing import upstream as fake_upstream
from crosswork.testing.timeline import Timeline
from crosswork.testing.upstream import FakeUpstream, Fault

#: Numbers small enough for a fast suite, same shape as production.
FAST = Policy(
    connect_timeout=0.5,
    read_timeout=0.5,
    deadline=2.0,
    retries=2,
    backoff_factor=0.01,
    backoff_jitter=0.01,
    backoff_max=0.05,
    max_bytes=256 * 1024,
    breaker_threshold=3,
    secondary_limit_wait=0.05,
)


@pytest.fixture(scope="session", autouse=True)
def gzip_bomb_ready() -> None:
    """Build the fake's gzip bomb before any test arms it.

    The fake compresses it on first use, which takes about a second on a
    busy machine: longer than the read timeouts here, so the first bomb
    test saw a timeout and retries instead of the size cap, and the
    compression, still running, slowed the tests after it.
    """
    fake_upstream._gzip_of_zeros(Fault.gzip_bomb().size)


@pytest.fixture
def endpoints(upstream: FakeUpstream) -> Endpoints:
    return parse_endpoints(upstream.endpoints())


@pytest.fixture
def client(endpoints: Endpoints, timeline: Timeline) -> Iterator[HttpClient]:
    """A client on ``timeline``: only its sleeps move its clock."""
    with HttpClient(
        endpoints,
        FAST,
        environ={},
        sleep=timeline.sleep,
        monotonic=timeline.monotonic,
    ) as http:
        yield http


SourceFactory = Callable[..., Source]


@pytest.fixture
def policy() -> Policy:
    return FAST


@pytest.fixture
def run_policy(policy: Policy) -> Policy:
    """The policy of whole runs: a shorter deadline and read timeout."""
    return dataclasses.replace(policy, deadline=1.0, read_timeout=0.3)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The snapshot folder that ``fetch_sources`` writes."""
    return tmp_path / "snapshot"


@pytest.fixture
def fetch_sources(
    folder: Path, clock: Any, endpoints: Endpoints, run_policy: Policy
) -> Callable[..., FetchReport]:
    """``fetch_sources(sources, **options)``: one :func:`fetch_all` of
    ``sources`` into ``folder``, on the test clock, with ``run_policy``;
    unless given, ``endpoints``, an empty ``environ``, and time on
    :meth:`Timeline.for_deadline` of the policy's deadline."""

    def run(sources: Iterable[Source], **options: Any) -> FetchReport:
        options.setdefault("environ", {})
        options.setdefault("endpoints", endpoints)
        timeline = Timeline.for_deadline(run_policy.deadline)
        options.setdefault("sleep", timeline.sleep)
        options.setdefault("monotonic", timeline.monotonic)
        return fetch_all(
            list(sources), folder, clock=clock, policy=run_policy, **options
        )

    return run


@pytest.fixture
def launchpad_source() -> SourceFactory:
    """``launchpad_source(name, project, status=..., tags=...)``."""

    def make(name: str, project: str, **query: tuple[str, ...]) -> Source:
        query.setdefault("status", ("Fix Released",))
        return Source(
            id=f"quality.bugs.{name}",
            workgroup="quality",
            kind="bugs",
            name=name,
            query=BugQuery("launchpad", project, **query),
            provider=PROVIDER,
        )

    return make


@pytest.fixture
def github_source() -> SourceFactory:
    """``github_source(name, owner/repo, state=..., labels=...)``."""

    def make(name: str, project: str, **query: str | tuple[str, ...]) -> Source:
        query.setdefault("state", "all")
        return Source(
            id=f"common.bugs.{name}",
            workgroup="common",
            kind="bugs",
            name=name,
            query=BugQuery("github", project, **query),
            provider=PROVIDER,
        )

    return make
