"""The matrices' figures on the home page: open gaps over time and the gaps
closed this cycle, from the snapshot history."""

from __future__ import annotations

import datetime as dt

from crosswork.fetch.snapshot import HistoryEntry
from crosswork.kinds.matrices.glance import closed_this_cycle, gap_totals


def day(month: int, date: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, date)


def entry(when: dt.date, **gaps: int) -> HistoryEntry:
    return HistoryEntry(when, count=99, complete=True, breakdown=gaps)


def test_open_gaps_per_day_add_up_every_drivers_gaps_oldest_first():
    history = [
        entry(day(12, 5), xen=3, lxc=4),
        entry(day(9, 1), xen=5, lxc=6),
        HistoryEntry(day(10, 1), count=12, complete=True),  # no breakdown: left out
    ]
    assert gap_totals(history) == [(day(9, 1), 11), (day(12, 5), 7)]


def test_gaps_closed_since_the_first_day_recorded_in_the_cycle():
    # 2027.1 began on 2026-10-01; the day before belongs to 2026.2.
    days = [(day(9, 30), 20), (day(10, 3), 15), (day(11, 1), 12), (day(12, 5), 9)]
    assert closed_this_cycle(days, 9) == (6, day(10, 3), "2027.1")


def test_gaps_the_reference_gained_are_not_counted_as_closed():
    days = [(day(10, 3), 9), (day(12, 5), 12)]
    assert closed_this_cycle(days, 12) == (0, day(10, 3), "2027.1")


def test_without_history_nothing_is_said_of_the_cycle():
    assert closed_this_cycle([], 9) is None
