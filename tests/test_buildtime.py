"""The moment of a build: SOURCE_DATE_EPOCH when set, otherwise now (UTC)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from crosswork.buildtime import build_date, build_time


class TestBuildDate:
    def test_source_date_epoch_sets_the_build_date(self):
        # 2026-12-08 23:59:59 UTC
        assert build_date({"SOURCE_DATE_EPOCH": "1796774399"}) == date(2026, 12, 8)

    def test_without_it_the_build_date_is_today_in_utc(self):
        before = datetime.now(UTC).date()
        assert before <= build_date({}) <= datetime.now(UTC).date()

    def test_a_malformed_epoch_is_ignored(self):
        assert build_date({"SOURCE_DATE_EPOCH": "yesterday"}) >= date(2026, 1, 1)


def test_the_build_time_is_the_epoch_to_the_second():
    assert build_time({"SOURCE_DATE_EPOCH": " 1796774399 "}) == datetime(
        2026, 12, 8, 23, 59, 59, tzinfo=UTC
    )
