"""What pages say about a source's age: times as readers read them."""

from __future__ import annotations

import datetime as dt

from crosswork.fetch.view import reader_time


def test_a_time_is_shown_to_the_minute_in_utc():
    moment = dt.datetime(2026, 12, 5, 4, 51, 41, tzinfo=dt.UTC)
    assert reader_time(moment) == "2026-12-05 04:51 UTC"


def test_a_time_in_another_zone_is_shown_in_utc():
    berlin = dt.timezone(dt.timedelta(hours=1))
    moment = dt.datetime(2026, 12, 5, 0, 30, tzinfo=berlin)
    assert reader_time(moment) == "2026-12-04 23:30 UTC"
