"""The status page's rows and the snapshot date, from the status file."""

from __future__ import annotations

import datetime as dt
import logging

from crosswork.fetch.snapshot import SourceStatus, write_status
from crosswork.site.health import NEVER, SourceRow, snapshot_time, source_rows

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
    rows = source_rows(STATUSES, ["quality.bugs.nova", "security.bugs.barbican"])
    assert rows == [
        SourceRow(
            "common.bugs.pygithub",
            "common",
            "bugs",
            "incomplete",
            "6 (incomplete)",
            "2026-05-04T12:00:00Z",
            "2026-05-04T12:00:00Z",
            "—",
        ),
        SourceRow(
            "quality.bugs.nova",
            "quality",
            "bugs",
            "stale",
            "40",
            "2026-05-02T12:00:00Z",
            "2026-05-02T12:00:00Z",
            "the upstream answered HTTP 503",  # never the address
        ),
        SourceRow(
            "security.bugs.barbican",
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
