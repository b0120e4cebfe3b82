"""Adoption tracks: requirements files of the files service stored as facts.

Fetches run against the fake upstream serving the corpus's requirements
files at their corpus paths (``openstack/requirements/services/...``).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from crosswork.fetch.endpoints import parse_endpoints
from crosswork.fetch.http import HttpClient
from crosswork.fetch.providers import FetchContext
from crosswork.fetch.run import FetchReport
from crosswork.fetch.snapshot import load_snapshot
from crosswork.fetch.sources import Source
from crosswork.kinds.adoption import RECORD
from crosswork.kinds.adoption.facts import FactsError, from_facts
from crosswork.kinds.adoption.provider import (
    PROVIDER,
    AdoptionQuery,
    fetch_adoption,
)
from crosswork.testing.upstream import FakeUpstream, Recordings

SOURCE = "common.adoption.oslo"
SERVICES = "openstack/requirements/services"
TRACK = {
    "name": "oslo",
    "services": [
        {"name": name, "path": f"{SERVICES}/{name}.requirements.txt"}
        for name in ("nova", "horizon", "swift")
    ],
    "libraries": ["oslo.*"],
    "groups": {"logging": ["oslo.log"]},
    "global": "openstack/requirements/global-requirements.txt",
    "constraints": "openstack/requirements/upper-constraints.txt",
}


def source() -> Source:
    return Source(
        id=SOURCE,
        workgroup="common",
        kind="adoption",
        name="oslo",
        query=PROVIDER.query(TRACK),
        provider=PROVIDER,
    )


@pytest.fixture
def run(fetch_sources: Callable[..., FetchReport]) -> Callable[..., FetchReport]:
    def fetch(*sources: Source, **options: Any) -> FetchReport:
        return fetch_sources(sources, **options)

    return fetch


def context(client: HttpClient, **fields: Any) -> FetchContext:
    return FetchContext(client, client.start_deadline(), **fields)


def test_the_track_becomes_a_query_of_the_files_service() -> None:
    query = PROVIDER.query(TRACK)
    assert isinstance(query, AdoptionQuery)
    assert query.service == "files"
    assert [role for role, _, _ in query.files()] == [
        "service",
        "service",
        "service",
        "global",
        "constraints",
    ]
    assert query.to_json()["libraries"] == ["oslo.*"]
    assert RECORD.load_provider() is PROVIDER


def test_files_are_stored_as_facts_not_text(client: HttpClient) -> None:
    result = fetch_adoption(PROVIDER.query(TRACK), context(client))
    stored = from_facts(result.items)

    assert (result.complete, result.pages, result.error) == (True, 1, None)
    assert list(stored.services) == ["nova", "horizon", "swift"]
    assert stored.services["swift"].entries == ()
    assert stored.counts["swift"] > 0
    assert stored.constraints is not None
    # Only followed libraries are kept, not the 500 lines of constraints.
    assert all(e.name.startswith("oslo-") for e in stored.constraints.entries)
    analysis = stored.analyse(["oslo.*"], {"logging": ["oslo.log"]})
    assert analysis.groups[0].not_adopted == ("horizon", "swift")
    assert str(analysis.reports["oslo-config"].pin) == "10.7.0"
    assert "oslo.config>=" not in json.dumps(result.items)


def test_unchanged_files_are_revalidated_with_conditional_requests(
    run, folder: Path, clock: Any, upstream: FakeUpstream
) -> None:
    first = run(source())
    written = (folder / f"{SOURCE}.json").read_bytes()
    clock.advance(days=1)

    second = run(source())

    assert [first.state(SOURCE), second.state(SOURCE)] == ["fresh", "not-modified"]
    assert upstream.conditional_hits("files.raw") == 5
    assert (folder / f"{SOURCE}.json").read_bytes() == written


def test_one_missing_file_marks_the_source_incomplete_and_keeps_the_others(
    recordings: Recordings, folder: Path, fetch_sources
) -> None:
    missing = f"{SERVICES}/horizon.requirements.txt"
    without = dataclasses.replace(
        recordings, files={k: v for k, v in recordings.files.items() if k != missing}
    )
    with FakeUpstream(without) as fake:
        report = fetch_sources([source()], endpoints=parse_endpoints(fake.endpoints()))

    outcome = report.outcomes[0]
    assert outcome.status.state == "incomplete"
    assert missing in (outcome.status.error or "")
    snapshot, _ = load_snapshot(folder, SOURCE)
    assert snapshot is not None and not snapshot.complete
    stored = from_facts(snapshot.items)
    assert list(stored.services) == ["nova", "swift"]


def test_a_failure_after_good_data_keeps_the_last_good_snapshot(
    recordings: Recordings, folder: Path, fetch_sources, clock: Any
) -> None:
    with FakeUpstream(recordings) as fake:
        fetch_sources([source()], endpoints=parse_endpoints(fake.endpoints()))
    kept = (folder / f"{SOURCE}.json").read_bytes()
    clock.advance(days=1)
    missing = f"{SERVICES}/nova.requirements.txt"
    without = dataclasses.replace(
        recordings, files={k: v for k, v in recordings.files.items() if k != missing}
    )
    with FakeUpstream(without) as fake:
        report = fetch_sources([source()], endpoints=parse_endpoints(fake.endpoints()))

    assert report.outcomes[0].status.state == "stale"
    assert missing in (report.outcomes[0].status.error or "")
    assert (folder / f"{SOURCE}.json").read_bytes() == kept


def test_the_history_counts_users_per_library(folder: Path, run) -> None:
    run(source())
    snapshot, _ = load_snapshot(folder, SOURCE)
    assert snapshot is not None
    breakdown = PROVIDER.breakdown(snapshot)
    assert breakdown["oslo-config"] == 2
    assert breakdown["oslo-log"] == 1
    # nova >=9.3.0, horizon >=8.8.0: one of two at the most common minimum.
    assert breakdown["oslo-config%"] == 50
    assert breakdown["oslo-log%"] == 100
    libraries = [key for key in breakdown if not key.endswith("%")]
    assert all(breakdown[f"{lib}%"] for lib in libraries if breakdown[lib])


@pytest.mark.parametrize(
    "items",
    [
        [{"record": "file"}],
        [{"record": "nonsense"}],
        [{"record": "warning", "path": "p", "line": "x"}],
        ["not a record"],
    ],
)
def test_malformed_facts_are_a_facts_error(items) -> None:
    with pytest.raises(FactsError):
        from_facts(items)
