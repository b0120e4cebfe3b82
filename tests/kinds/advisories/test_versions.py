"""Version ranges: OSV events and the OSSA grammar, compared as versions."""

from __future__ import annotations

import pytest

from crosswork.kinds.advisories.versions import (
    Interval,
    intervals_from_events,
    parse_ossa_versions,
    sort_intervals,
    sort_versions,
)


def texts(intervals) -> list[str]:
    return [interval.text for interval in intervals]


class TestOsvEvents:
    def test_unsorted_pairs_are_evaluated_in_version_order(self):
        # nova PYSEC-2019-191 lists 19.0.0 -> 19.0.2 before 0 -> 17.0.12.
        events = [
            ("introduced", "19.0.0"),
            ("fixed", "19.0.2"),
            ("introduced", "0"),
            ("fixed", "17.0.12"),
            ("introduced", "18.0.0"),
            ("fixed", "18.2.2"),
        ]
        intervals = intervals_from_events(events)
        assert texts(intervals) == [
            "< 17.0.12",
            ">= 18.0.0, < 18.2.2",
            ">= 19.0.0, < 19.0.2",
        ]
        assert [i.fixed for i in intervals] == ["17.0.12", "18.2.2", "19.0.2"]

    def test_last_affected_is_inclusive_and_names_no_fix(self):
        intervals = intervals_from_events(
            [("introduced", "1.0"), ("last_affected", "1.4")]
        )
        assert texts(intervals) == [">= 1.0, <= 1.4"]
        assert intervals[0].fixed is None

    def test_an_open_range_has_no_end(self):
        assert texts(intervals_from_events([("introduced", "2.0")])) == [">= 2.0"]
        assert texts(intervals_from_events([("introduced", "0")])) == ["all versions"]

    def test_limit_events_are_ignored(self):
        events = [("introduced", "0"), ("limit", "3.0"), ("fixed", "2.5")]
        assert texts(intervals_from_events(events)) == ["< 2.5"]

    def test_a_limit_inside_a_run_does_not_end_it(self):
        # A limit bounds a commit search; it is no fix, even mid-range.
        events = [("introduced", "0"), ("limit", "1.0"), ("fixed", "2.5")]
        assert texts(intervals_from_events(events)) == ["< 2.5"]

    def test_events_listed_kind_by_kind_are_paired_in_version_order(self):
        # Every introduction before every fix, as some records list them:
        # read in written order, the second run would be lost.
        events = [
            ("introduced", "0"),
            ("introduced", "3.0"),
            ("fixed", "2.0"),
            ("fixed", "4.0"),
        ]
        assert texts(intervals_from_events(events)) == ["< 2.0", ">= 3.0, < 4.0"]

    def test_a_fix_and_a_new_introduction_at_one_version(self):
        # 1.5 fixes the first run and a regression in 1.5 opens the next:
        # the fix closes the old run before the introduction opens the new
        # one, whichever the record lists first.
        events = [
            ("introduced", "0"),
            ("introduced", "1.5"),
            ("fixed", "1.5"),
            ("fixed", "1.7"),
        ]
        intervals = intervals_from_events(events)
        assert texts(intervals) == ["< 1.5", ">= 1.5, < 1.7"]
        assert [i.fixed for i in intervals] == ["1.5", "1.7"]

    def test_unreadable_versions_keep_the_written_order(self):
        # "juno-2" is no PEP 440 version (unlike "v1-alpha", read as 1a0).
        events = [("introduced", "juno-2"), ("fixed", "juno-10")]
        assert texts(intervals_from_events(events)) == [">= juno-2, < juno-10"]


class TestOssaGrammar:
    @pytest.mark.parametrize(
        ("text", "expected", "fixed"),
        [
            ("<15.0.1, ==16.0.0", ["< 15.0.1", "== 16.0.0"], ["15.0.1"]),
            (
                "<=7.0.2, >=8.0.0 <=8.1.1",
                ["<= 7.0.2", ">= 8.0.0, <= 8.1.1"],
                [],
            ),
            (
                "<16.3.3, >=17.0.0 <17.1.3, =18.0.0",
                ["< 16.3.3", ">= 17.0.0, < 17.1.3", "== 18.0.0"],
                ["16.3.3", "17.1.3"],
            ),
            (">= 2.0 < 3.0", [">= 2.0, < 3.0"], ["3.0"]),
            (">1.0", ["> 1.0"], []),
        ],
    )
    def test_comma_separates_alternatives_space_joins_bounds(
        self, text, expected, fixed
    ):
        intervals = parse_ossa_versions(text)
        assert texts(intervals) == expected
        assert [i.fixed for i in intervals if i.fixed] == fixed

    @pytest.mark.parametrize(
        "text",
        ["All versions", "up to 2014.1.3 and 2014.2", "<", "<=abc", "", "< 1.0 or so"],
    )
    def test_prose_is_not_parsed(self, text):
        assert parse_ossa_versions(text) is None

    def test_one_bound_reads_as_the_same_range_an_osv_record_gives(self):
        # So an OSSA and an OSV record of one range merge into one interval.
        assert parse_ossa_versions("<1.0") == intervals_from_events(
            [("introduced", "0"), ("fixed", "1.0")]
        )
        assert parse_ossa_versions(">=2.0") == intervals_from_events(
            [("introduced", "2.0")]
        )


def test_versions_sort_as_versions_not_strings():
    assert sort_versions(["17.0.9", "17.0.12", "17.0.10", "17.0.9"]) == (
        "17.0.9",
        "17.0.10",
        "17.0.12",
    )


def test_unreadable_versions_sort_last():
    assert sort_versions(["zeta", "2.0", "alpha", "10.0"]) == (
        "2.0",
        "10.0",
        "alpha",
        "zeta",
    )


def test_an_exact_interval_reads_as_equality():
    assert Interval("18.0.0", "18.0.0", True, True).text == "== 18.0.0"


class TestIntervalOrder:
    def test_by_lower_bound_first(self):
        later, earlier = Interval("2.0", "3.0"), Interval("1.0", "5.0")
        assert sort_intervals([later, earlier]) == (earlier, later)

    def test_then_by_upper_bound(self):
        wider = Interval("1.0", "3.0")
        narrower = Interval("1.0", "2.0", upper_inclusive=True)
        assert sort_intervals([wider, narrower]) == (narrower, wider)

    def test_an_open_end_after_every_upper_bound_readable_or_not(self):
        open_end, unreadable = Interval("1.0"), Interval("1.0", "juno-2")
        readable = Interval("1.0", "9.0")
        assert sort_intervals([open_end, unreadable, readable]) == (
            readable,
            unreadable,
            open_end,
        )

    def test_an_inclusive_lower_bound_first(self):
        exclusive = Interval("1.0", "2.0", lower_inclusive=False)
        inclusive = Interval("1.0", "2.0")
        assert sort_intervals([exclusive, inclusive]) == (inclusive, exclusive)
