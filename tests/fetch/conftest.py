"""Fixtures of the fetch tests: no network, a fake upstream, fast policies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from crosswork.fetch.bugs import BugQuery
from crosswork.fetch.endpoints import Endpoints, parse_endpoints
from crosswork.fetch.http import HttpClient, Policy
from crosswork.fetch.sources import Source
from crosswork.testing import loopback_only
from crosswork.testing.upstream import FakeUpstream, Recordings

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

START = dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def no_network() -> Iterator[None]:
    """Fail the test if anything tried to leave loopback."""
    with loopback_only() as refused:
        yield
    assert not refused, f"network access attempted: {refused}"


@pytest.fixture
def recordings(corpus: Path) -> Recordings:
    return Recordings.from_corpus(corpus)


@pytest.fixture
def upstream(recordings: Recordings) -> Iterator[FakeUpstream]:
    """Launchpad and GitHub on one loopback port."""
    with FakeUpstream(recordings) as fake:
        yield fake


@pytest.fixture
def endpoints(upstream: FakeUpstream) -> Endpoints:
    return parse_endpoints(upstream.endpoints())


@pytest.fixture
def client(endpoints: Endpoints) -> Iterator[HttpClient]:
    with HttpClient(endpoints, FAST, environ={}) as http:
        yield http


class Clock:
    """A clock that moves only when told to."""

    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


SourceFactory = Callable[..., Source]


@pytest.fixture
def policy() -> Policy:
    return FAST


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
        )

    return make
