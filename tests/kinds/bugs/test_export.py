"""``api/bugs.json``'s records: a track's search, freshness, counts and bugs."""

from __future__ import annotations

import json
from pathlib import Path

from apischemas import schema_problems
from crosswork.fetch.snapshot import Snapshot
from crosswork.fetch.sources import Source
from crosswork.fetch.view import SourceView
from crosswork.kinds.bugs import RECORD
from crosswork.kinds.bugs.export import SCHEMA_VERSION, section_id, track_record
from crosswork.kinds.bugs.provider import BugQuery
from crosswork.kinds.bugs.tracks import Track
from crosswork.site.api import envelope

from .make import AS_OF, bug

PAGE = "https://site.example/workgroups/alpha.html#bugs-nova"
QUERY = BugQuery("launchpad", "nova", status=("New", "Confirmed"))
TRACK = Track(
    Source("alpha.bugs.nova", "alpha", "bugs", "nova", QUERY, RECORD.load_provider()),
    Path("workgroups/alpha.yaml"),
)
BUGS = (
    bug(
        1,
        status="Confirmed",
        importance="High",
        url="https://bugs.launchpad.net/nova/+bug/1",
    ),
    bug(2),
    bug(3, importance="High"),
)


def view(*, complete: bool) -> SourceView:
    snapshot = Snapshot(
        TRACK.id,
        "bugs",
        QUERY.to_json(),
        AS_OF,
        complete,
        tuple(b.to_json() for b in BUGS),
    )
    return SourceView(TRACK.id, snapshot, None)


def test_the_record_counts_and_lists_every_bug_with_its_section():
    record = track_record(TRACK, view(complete=True), BUGS, PAGE)
    assert section_id(TRACK) == "bugs-nova"
    assert record["page"] == PAGE
    assert record["state"] == "fresh"
    assert record["fetched_at"] == "2026-05-04T12:00:00Z"
    assert record["total"] == 3
    assert record["by_status"] == {"New": 2, "Confirmed": 1}
    assert record["by_importance"] == {"High": 2, "Undecided": 1}
    assert [b["id"] for b in record["bugs"]] == [1, 2, 3]
    assert record["bugs"][0]["url"] == "https://bugs.launchpad.net/nova/+bug/1"
    assert {b["page"] for b in record["bugs"]} == {PAGE}


def test_an_incomplete_track_says_so():
    record = track_record(TRACK, view(complete=False), BUGS, PAGE)
    assert (record["state"], record["complete"]) == ("incomplete", False)


def test_a_track_without_data_has_no_counts_to_invent():
    record = track_record(TRACK, SourceView(TRACK.id, None, None), (), PAGE)
    assert (record["state"], record["fetched_at"], record["total"]) == (
        "missing",
        None,
        None,
    )
    assert record["bugs"] == []


def test_records_match_the_schema():
    body = {"tracks": [track_record(TRACK, view(complete=True), BUGS, PAGE)]}
    document = json.loads(json.dumps(envelope(SCHEMA_VERSION, AS_OF, body)))
    assert schema_problems("bugs", document) == []
