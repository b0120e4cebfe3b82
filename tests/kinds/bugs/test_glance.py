"""The bugs' figures on the home page: counts that say when they are a
lower bound, and the daily totals of several tracks."""

from __future__ import annotations

import datetime as dt

from crosswork.fetch.snapshot import HistoryEntry
from crosswork.fetch.view import SourceView
from crosswork.kinds.bugs.glance import OPEN_STATUSES, count_words, daily_totals


def view(*counts: tuple[int, int]) -> SourceView:
    history = tuple(
        HistoryEntry(dt.date(2026, 12, date), count, complete=True)
        for date, count in counts
    )
    return SourceView("alpha.bugs.x", None, None, history=history)


def test_an_incomplete_count_is_a_lower_bound():
    assert count_words(12, complete=True) == "12"
    assert count_words(12, complete=False) == "at least 12"


def test_tracks_are_summed_on_the_days_every_one_of_them_recorded():
    first = view((1, 5), (2, 6), (3, 7))
    second = view((2, 10), (3, 9))
    assert daily_totals([first, second]) == (
        (dt.date(2026, 12, 2), 16.0),
        (dt.date(2026, 12, 3), 16.0),
    )
    assert daily_totals([]) == ()


def test_open_means_not_yet_fixed():
    assert {"New", "Triaged", "In Progress", "open"} <= OPEN_STATUSES
    assert not {"Fix Committed", "Fix Released", "Invalid", "closed"} & OPEN_STATUSES
