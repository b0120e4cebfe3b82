"""The status page's rows and the snapshot date, from the status file."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest

from crosswork.fetch.snapshot import SourceStatus, write_status
from crosswork.site.health import (
    NEVER,
    UNDECLARED,
    SourceRow,
    snapshot_time,
    source_rows,
    status_records,
)
from crosswork.site.pagedata import DataState
from crosswork.site.status import snapshot_date_nodes

NOW = dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.UTC)
EARLIER = NOW - dt.timedelta(days=2)

STATUSES = {
    "quality.bugs.nova": SourceStatus(
        "stale",
        NOW,
        fetched_at=EARLIER,
        validated_at=EARLIER,
        count=40,
        complete=True,
        error_kind="http-503",
        error="api.launchpad.net:443/1.0/nova answered HTTP 503",
    ),
    "common.bugs.pygithub": SourceStatus(
        "incomplete", NOW, fetched_at=NOW, validated_at=NOW, count=6, complete=False
    ),
}


def test_one_row_per_known_or_declared_source_by_id():
    declared = {
        "quality.bugs.nova": "Launchpad: nova, status New",
        "security.bugs.barbican": "Launchpad: barbican, status New",
    }
    rows = source_rows(STATUSES, declared)
    assert rows == [
        SourceRow(
            "common.bugs.pygithub",
            UNDECLARED,  # the status file knows it; no charter declares it now
            "common",
            "bugs",
            "incomplete",
            "6 (incomplete)",
            "2026-05-04 12:00 UTC",
            "2026-05-04 12:00 UTC",
            "—",
        ),
        SourceRow(
            "quality.bugs.nova",
            "Launchpad: nova, status New",
            "quality",
            "bugs",
            "stale",
            "40",
            "2026-05-02 12:00 UTC",
            "2026-05-02 12:00 UTC",
            "the upstream answered HTTP 503",  # never the address
        ),
        SourceRow(
            "security.bugs.barbican",
            "Launchpad: barbican, status New",
            "security",
            "bugs",
            "missing",
            "—",
            "—",
            "—",
            NEVER,
        ),
    ]


def test_snapshot_time_is_the_status_files_updated_at(tmp_path):
    write_status(tmp_path, STATUSES, NOW)
    assert snapshot_time(tmp_path) == NOW


def test_no_status_file_means_no_snapshot_yet(tmp_path):
    assert snapshot_time(tmp_path) is None


def test_an_unreadable_status_file_is_ignored_with_a_warning(tmp_path, caplog):
    (tmp_path / "status.json").write_text('{"updated_at": 5}')
    with caplog.at_level(logging.WARNING, logger="crosswork.fetch"):
        assert snapshot_time(tmp_path) is None
    assert "no readable updated_at" in caplog.text


@pytest.mark.parametrize(
    ("samples", "ending"),
    [
        ((False, False), "12:00 UTC."),
        (
            (True, True),
            "It is sample data from a stand-in for the upstreams, not live data.",
        ),
        (
            (True, False),
            "Some of it is sample data from a stand-in for the upstreams, not live"
            " data: the status page lists which.",
        ),
    ],
)
def test_the_snapshot_date_says_how_much_is_sample_data(tmp_path, samples, ending):
    moment = dt.datetime(2026, 5, 4, 12, tzinfo=dt.UTC)
    statuses = {
        f"a.bugs.s{n}": SourceStatus("fresh", moment, fetched_at=moment, sample=sample)
        for n, sample in enumerate(samples)
    }
    write_status(tmp_path, statuses, moment)
    (paragraph,) = snapshot_date_nodes(DataState(tmp_path, statuses, "snapshot"))
    assert paragraph.astext().startswith(
        "The live data on this site was last fetched at 2026-05-04 12:00 UTC."
    )
    assert paragraph.astext().endswith(ending)


# --- api/status.json -------------------------------------------------------------


def test_status_records_name_every_source_and_no_address():
    declared = {
        "quality.bugs.nova": "Launchpad: nova, status New",
        "security.bugs.barbican": "Launchpad: barbican, status New",
    }
    records = status_records(STATUSES, declared, "status.html")
    assert [r["source"] for r in records] == [
        "common.bugs.pygithub",
        "quality.bugs.nova",
        "security.bugs.barbican",
    ]
    stale = records[1]
    assert stale["state"] == "stale"
    assert stale["fetched_at"] == "2026-05-02T12:00:00Z"
    assert stale["error"] == {
        "kind": "http-503",
        "reason": "the upstream answered HTTP 503",
    }
    assert "launchpad.net" not in json.dumps(records)
    assert [r["what"] for r in records] == [UNDECLARED, *declared.values()]
    assert records[2]["state"] == "missing"
    assert records[2]["error"] == {"kind": None, "reason": NEVER}
    assert {r["page"] for r in records} == {"status.html"}
