"""``crosswork health``: which sources need attention, and the exit status."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from crosswork.fetch.health import check, health_command, source_health
from crosswork.fetch.snapshot import SourceStatus, write_status

NOW = dt.datetime(2026, 12, 5, 6, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(hours=26)


def status(state: str = "fresh", hours_old: float = 2, **fields) -> SourceStatus:
    moment = NOW - dt.timedelta(hours=hours_old)
    fields = {"count": 3, "complete": True, **fields}
    return SourceStatus(state, NOW, fetched_at=moment, validated_at=moment, **fields)


@pytest.mark.parametrize(
    ("entry", "problems"),
    [
        (status(), ()),
        (status("not-modified"), ()),
        (status(hours_old=26), ()),  # exactly at the limit is still fine
        (status(hours_old=26.01), ("old",)),
        (status("incomplete", complete=False), ("incomplete",)),
        (status("fresh", complete=False), ("incomplete",)),
        (
            status("stale", hours_old=50, error_kind="timeout", error="x timed out"),
            ("stale", "old"),
        ),
        (None, ("missing",)),
        (SourceStatus("missing", NOW, error_kind="http-404", error="y"), ("missing",)),
    ],
)
def test_what_needs_attention(entry, problems):
    assert source_health("a.bugs.b", entry, NOW, DAY).problems == problems


def test_the_age_is_since_the_upstream_last_confirmed_the_data():
    entry = SourceStatus(
        "not-modified",
        NOW,
        fetched_at=NOW - dt.timedelta(days=30),
        validated_at=NOW - dt.timedelta(hours=3),
    )
    health = source_health("a.bugs.b", entry, NOW, DAY)
    assert health.problems == ()
    assert health.age_hours == pytest.approx(3)


def test_every_declared_and_every_known_source_is_checked_once_by_id():
    found = check({"b.x.y": status(), "a.x.y": status()}, ["c.x.y", "a.x.y"], NOW, DAY)
    assert [(h.source, h.problems) for h in found] == [
        ("a.x.y", ()),
        ("b.x.y", ()),
        ("c.x.y", ("missing",)),
    ]


def test_a_healthy_snapshot_exits_0_with_one_line(tmp_path):
    write_status(tmp_path, {"a.bugs.b": status()}, NOW)
    out = io.StringIO()
    code = health_command(
        tmp_path, ["a.bugs.b"], max_age_hours=26, form="text", now=NOW, out=out
    )
    assert code == 0
    assert out.getvalue() == "healthy: 1 source(s), checked at 2026-12-05T06:00:00Z\n"


def test_a_fetch_where_every_upstream_failed_exits_1_and_says_why(tmp_path):
    failed = SourceStatus(
        "missing", NOW, error_kind="connection", error="upstream: ConnectionError"
    )
    write_status(tmp_path, {"a.bugs.b": failed}, NOW)
    out = io.StringIO()
    code = health_command(
        tmp_path,
        ["a.bugs.b", "a.ci.c"],
        max_age_hours=26,
        form="text",
        now=NOW,
        out=out,
    )
    assert code == 1
    assert out.getvalue().splitlines() == [
        "2 of 2 source(s) need attention, checked at 2026-12-05T06:00:00Z:",
        "  a.bugs.b: missing [connection: upstream: ConnectionError]",
        "  a.ci.c: missing",
    ]


def test_the_json_report(tmp_path):
    write_status(tmp_path, {"a.bugs.b": status(hours_old=30)}, NOW)
    out = io.StringIO()
    code = health_command(
        tmp_path, ["a.bugs.b"], max_age_hours=26, form="json", now=NOW, out=out
    )
    assert code == 1
    assert json.loads(out.getvalue()) == {
        "schema_version": 1,
        "healthy": False,
        "checked_at": "2026-12-05T06:00:00Z",
        "max_age_hours": 26.0,
        "sources": [
            {
                "source": "a.bugs.b",
                "state": "fresh",
                "problems": ["old"],
                "age_hours": 30.0,
                "error": None,
            }
        ],
    }


def test_without_a_snapshot_every_declared_source_is_missing(tmp_path):
    out = io.StringIO()
    code = health_command(
        tmp_path / "none", ["a.bugs.b"], max_age_hours=26, form="text", now=NOW, out=out
    )
    assert code == 1
    assert "a.bugs.b: missing" in out.getvalue()
