"""Fixtures of the review tests: recordings with spec changes, a client.

The corpus records no change or pull touching ``specs/``, so tests derive
them in memory from recorded ones (the full ChangeInfo 246332, the
openFrameworks pull requests of the issue list): same shape, numbers from
9000001 on, the files a test needs. Nothing is written anywhere.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

from crosswork.fetch.endpoints import parse_endpoints
from crosswork.fetch.http import HttpClient, Policy
from crosswork.fetch.providers import FetchContext, FetchResult
from crosswork.kinds.reviews.provider import PROVIDER, ReviewQuery
from crosswork.testing.upstream import FakeUpstream, Recordings

PROJECT = "openstack/crosswork-specs"
REPO = "openframeworks/openframeworks"
FIRST = 9_000_001

#: No retries; timeouts that a busy machine still meets (the hostile
#: recordings make a hundred requests a fetch).
FAST = Policy(
    connect_timeout=2.0,
    read_timeout=5.0,
    deadline=60.0,
    retries=0,
    backoff_factor=0.01,
    backoff_jitter=0.01,
    backoff_max=0.05,
    breaker_threshold=100,
)


def recorded_change(recordings: Recordings) -> dict[str, Any]:
    """The recorded ChangeInfo with a current revision and its files."""
    return next(c for c in recordings.gerrit_changes if c.get("revisions"))


def derived_change(
    template: Mapping[str, Any],
    number: int,
    files: Mapping[str, str | None],
    *,
    status: str = "NEW",
    project: str = PROJECT,
    updated: str | None = None,
) -> dict[str, Any]:
    """A clone of a recorded change in ``project`` touching ``files``
    (path to Gerrit file status: ``"A"`` added, None modified)."""
    change = copy.deepcopy(dict(template))
    change.pop("messages", None)
    change.update({"_number": number, "id": f"{project}~{number}", "project": project})
    change["status"] = status
    if updated:
        change["updated"] = updated
    revision = change["revisions"][change["current_revision"]]
    revision["files"] = {
        path: {"status": state} if state else {"lines_inserted": 1}
        for path, state in files.items()
    }
    return change


def with_changes(recordings: Recordings, *changes: dict[str, Any]) -> Recordings:
    return dataclasses.replace(
        recordings, gerrit_changes=[*recordings.gerrit_changes, *changes]
    )


def recorded_pulls(recordings: Recordings) -> list[dict[str, Any]]:
    return [i for i in recordings.github_issues[REPO] if "pull_request" in i]


def with_pull_files(
    recordings: Recordings, files: Mapping[int, list[dict[str, Any]]]
) -> Recordings:
    """A copy where pull ``n`` of the openFrameworks list touches ``files[n]``."""
    return dataclasses.replace(
        recordings,
        github_pull_files={
            **recordings.github_pull_files,
            **{f"{REPO}#{number}": entries for number, entries in files.items()},
        },
    )


def with_pulls(recordings: Recordings, *pulls: dict[str, Any]) -> Recordings:
    issues = {repo: list(items) for repo, items in recordings.github_issues.items()}
    issues[REPO].extend(pulls)
    return dataclasses.replace(recordings, github_issues=issues)


Fetch = Callable[..., FetchResult]


@pytest.fixture
def serve() -> Iterator[Callable[[Recordings], tuple[FakeUpstream, Fetch]]]:
    """``serve(recordings)``: the fake's review services and a fetch function
    ``fetch(query, **context options)``."""
    opened: list[Any] = []

    def start(recordings: Recordings) -> tuple[FakeUpstream, Fetch]:
        fake = FakeUpstream(recordings, services=["gerrit", "github"]).__enter__()
        opened.append(fake)
        client = HttpClient(parse_endpoints(fake.endpoints()), FAST, environ={})
        opened.append(client)

        def fetch(query: ReviewQuery, **options: Any) -> FetchResult:
            bound = client.for_service(query.service)
            context = FetchContext(
                client=bound, deadline=bound.start_deadline(), **options
            )
            return PROVIDER.fetch(query, context)

        return fake, fetch

    yield start
    for thing in reversed(opened):
        thing.__exit__(None, None, None)
