"""Filters, sort orders and the triage queue: ages count from the fetch."""

from __future__ import annotations

import datetime as dt

import pytest

from crosswork.kinds.bugs.select import (
    BugFilter,
    SortOrder,
    age_in_days,
    filter_bugs,
    is_untriaged,
    limited,
    sort_bugs,
    triage_queue,
)

from .make import AS_OF, bug


def ids(bugs) -> list[int]:
    return [b.id for b in bugs]


class TestFilter:
    BUGS = (
        bug(1, status="New", importance="High", tags=("security",), age=2),
        bug(2, status="Confirmed", importance="Low", tags=("libvirt", "security")),
        bug(3, status="In Progress", importance=None, age=40),
    )

    def test_empty_filter_keeps_everything(self):
        assert ids(filter_bugs(self.BUGS, BugFilter(), AS_OF)) == [1, 2, 3]

    @pytest.mark.parametrize(
        ("rule", "expected"),
        [
            (BugFilter.of(statuses=["new", "IN PROGRESS"]), [1, 3]),
            (BugFilter.of(importances=["low", "High"]), [1, 2]),
            (BugFilter.of(tags=["security"]), [1, 2]),
            (BugFilter.of(tags=["security", "libvirt"]), [2]),
            (BugFilter.of(older_than=9), [2, 3]),
            (BugFilter.of(older_than=10), [3]),
            (BugFilter.of(newer_than=10), [1]),
            (BugFilter.of(statuses=["Confirmed"], older_than=30), []),
        ],
    )
    def test_filters_combine(self, rule, expected):
        assert ids(filter_bugs(self.BUGS, rule, AS_OF)) == expected

    def test_ages_count_from_the_fetch_not_from_today(self):
        rule = BugFilter.of(older_than=5)
        assert ids(filter_bugs(self.BUGS, rule, AS_OF)) == [2, 3]
        earlier = AS_OF - dt.timedelta(days=30)
        assert ids(filter_bugs(self.BUGS, rule, earlier)) == [3]


class TestSort:
    BUGS = (
        bug(5, importance="Low", status="Triaged", age=1, title="beta"),
        bug(3, importance="Critical", status="Fix Released", age=3, title="Alpha"),
        bug(4, importance=None, status="New", age=2, title="gamma"),
        bug(1, importance="Mystery", status="Deferred", age=2, title="delta"),
        bug(2, importance="Critical", status="New", age=5, title="epsilon"),
    )

    @pytest.mark.parametrize(
        ("order", "expected"),
        [
            ("id", [1, 2, 3, 4, 5]),
            ("-id", [5, 4, 3, 2, 1]),
            ("importance", [2, 3, 5, 1, 4]),  # unknown words, then none, last
            ("status", [2, 4, 5, 3, 1]),
            ("created", [2, 3, 1, 4, 5]),  # ties by id
            ("-created", [5, 1, 4, 3, 2]),  # ties still by id
            ("title", [3, 5, 1, 2, 4]),
        ],
    )
    def test_orders(self, order, expected):
        assert ids(sort_bugs(self.BUGS, SortOrder.parse(order))) == expected

    def test_a_bug_never_updated_counts_as_updated_when_reported(self):
        updated = bug(9, age=30, updated=AS_OF)
        order = SortOrder.parse("-updated")
        assert ids(sort_bugs([*self.BUGS, updated], order))[:2] == [9, 5]

    def test_default_is_most_important_first(self):
        assert ids(sort_bugs(self.BUGS)) == [2, 3, 5, 1, 4]

    @pytest.mark.parametrize("text", ["age", "--id", "", "importance,id"])
    def test_unknown_keys_are_refused(self, text):
        with pytest.raises(ValueError, match="is not a sort key"):
            SortOrder.parse(text)

    def test_limit(self):
        assert ids(limited(self.BUGS, 2)) == [5, 3]
        assert len(limited(self.BUGS, None)) == 5


class TestTriage:
    def test_untriaged_means_new_with_no_importance_decided(self):
        assert is_untriaged(bug(1))
        assert is_untriaged(bug(1, importance=None))
        assert not is_untriaged(bug(1, importance="High"))
        assert not is_untriaged(bug(1, status="Confirmed"))
        assert not is_untriaged(
            bug(1, tracker="github", status="open", importance=None)
        )

    def test_queue_holds_old_untriaged_bugs_oldest_first(self):
        bugs = [
            bug(1, age=8),
            bug(2, age=30),
            bug(3, age=7),  # exactly 7 days: not older than 7
            bug(4, age=100, importance="Low"),
            bug(5, age=20),
        ]
        queue = triage_queue([(AS_OF, bugs)], older_than=7)
        assert [(w.bug.id, w.age) for w in queue] == [(2, 30), (5, 20), (1, 8)]

    def test_a_bug_found_by_two_tracks_is_listed_once_with_its_greatest_age(self):
        later = AS_OF + dt.timedelta(days=3)
        queue = triage_queue(
            [(AS_OF, [bug(1, age=10)]), (later, [bug(1, age=10), bug(2, age=9)])],
            older_than=7,
        )
        assert [(w.bug.id, w.age) for w in queue] == [(1, 13), (2, 12)]

    def test_same_number_on_another_project_is_another_bug(self):
        queue = triage_queue(
            [(AS_OF, [bug(1, age=10), bug(1, age=10, project="neutron")])], 7
        )
        assert [w.bug.project for w in queue] == ["neutron", "nova"]

    def test_age_is_never_negative(self):
        assert age_in_days(bug(1, age=-2), AS_OF) == 0
        assert age_in_days(bug(1, age=3), AS_OF) == 3
