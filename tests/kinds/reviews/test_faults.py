"""Refreshes of review sources: a fault keeps the last good reviews, and a
304 keeps the snapshot (the fault matrix runs every fault on the kind's
examples through its record; these cover a fault after the first page)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from crosswork.fetch.endpoints import parse_endpoints
from crosswork.fetch.run import FetchReport, fetch_all
from crosswork.fetch.sources import Source
from crosswork.kinds.reviews.provider import PROVIDER, ReviewQuery
from crosswork.testing.upstream import FakeUpstream, Fault, Recordings

from .conftest import (
    FAST,
    FIRST,
    PROJECT,
    derived_change,
    recorded_change,
    recorded_pulls,
    with_changes,
    with_pull_files,
)

#: Several pages each: validators are kept only for a one-page result, so
#: the second refresh reads the lists again.
SIZES = {"gerrit": 2, "github": 3}


def source(query: ReviewQuery) -> Source:
    return Source(
        id=f"alpha.reviews.{query.service}",
        workgroup="alpha",
        kind="reviews",
        name=query.service,
        query=query,
        provider=PROVIDER,
    )


def refresh(
    fake: FakeUpstream, sources: list[Source], folder: Path, clock: Any, **options: Any
) -> FetchReport:
    return fetch_all(
        sources,
        folder,
        clock=clock,
        endpoints=parse_endpoints(fake.endpoints()),
        policy=FAST,
        environ={},
        sleep=lambda seconds: None,
        **options,
    )


def snapshot_files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.glob("*.*.*.json")}


def test_a_fault_after_the_first_page_keeps_the_last_good_reviews(
    recordings: Recordings, tmp_path: Path, clock: Any
) -> None:
    template = recorded_change(recordings)
    derived = with_changes(
        recordings,
        *(
            derived_change(template, FIRST + i, {f"specs/2027.1/s-{i}.rst": None})
            for i in range(3)
        ),
    )
    number = recorded_pulls(recordings)[0]["number"]
    derived = with_pull_files(
        derived, {number: [{"filename": "specs/2027.1/p.rst", "status": "modified"}]}
    )
    sources = [
        source(ReviewQuery("gerrit", PROJECT)),
        source(ReviewQuery("github", "openframeworks/openFrameworks")),
    ]
    folder = tmp_path / "snapshot"
    with FakeUpstream(derived, services=["gerrit", "github"]) as fake:
        good = refresh(fake, sources, folder, clock, page_sizes=SIZES)
        before = snapshot_files(folder)
        clock.advance(days=1)
        fake.fail("gerrit.changes", Fault.server_error(503), after=1)
        fake.fail("github.pulls", Fault.invalid_json(), after=1)
        report = refresh(fake, sources, folder, clock, page_sizes=SIZES)

    assert [o.status.state for o in good.outcomes] == ["fresh", "fresh"]
    assert [o.status.state for o in report.outcomes] == ["stale", "stale"]
    assert snapshot_files(folder) == before
    stored = [len(json.loads(b)["items"]) for b in before.values()]
    assert sorted(stored) == [1, 3]


def test_an_unchanged_pull_list_is_not_read_again(
    recordings: Recordings, tmp_path: Path, clock: Any
) -> None:
    number = recorded_pulls(recordings)[0]["number"]
    derived = with_pull_files(
        recordings, {number: [{"filename": "specs/2027.1/p.rst", "status": "added"}]}
    )
    sources = [source(ReviewQuery("github", "openframeworks/openFrameworks"))]
    folder = tmp_path / "snapshot"
    with FakeUpstream(derived, services=["gerrit", "github"]) as fake:
        refresh(fake, sources, folder, clock)
        before = snapshot_files(folder)
        files = fake.count("github.pull-files")
        clock.advance(hours=1)
        report = refresh(fake, sources, folder, clock)

        assert fake.conditional_hits("github.pulls") == 1
        assert fake.count("github.pull-files") == files

    assert [o.status.state for o in report.outcomes] == ["not-modified"]
    assert snapshot_files(folder) == before
