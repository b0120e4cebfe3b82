"""Counts by status and importance, and the sentence that states them."""

from __future__ import annotations

from crosswork.kinds.bugs.summary import describe, summarize

from .make import bug

BUGS = [
    bug(1, status="Confirmed", importance="High"),
    bug(2, status="New", importance="Undecided"),
    bug(3, status="New", importance="High"),
    bug(4, status="Fix Released", importance="Critical"),
    bug(5, status="Deferred", importance="Medium"),
]


def test_counts_in_page_order_unknown_words_last():
    summary = summarize(BUGS)
    assert summary.total == 5
    assert summary.by_status == [
        ("New", 2),
        ("Confirmed", 1),
        ("Fix Released", 1),
        ("Deferred", 1),
    ]
    assert summary.by_importance == [
        ("Critical", 1),
        ("High", 2),
        ("Medium", 1),
        ("Undecided", 1),
    ]
    assert summary.count("New", "High") == 1
    assert summary.count("New") == 2
    assert summary.count(importance="High") == 2
    assert summary.has_importance


def test_github_issues_have_no_importance():
    issues = [
        bug(1, tracker="github", status="open", importance=None),
        bug(2, tracker="github", status="closed", importance=None),
        bug(3, tracker="github", status="open", importance=None),
    ]
    summary = summarize(issues)
    assert summary.by_status == [("open", 2), ("closed", 1)]
    assert summary.by_importance == [(None, 3)]
    assert not summary.has_importance


def test_sentence_of_complete_data():
    assert describe(summarize(BUGS[:3])) == "3 bugs: 2 New, 1 Confirmed."
    assert describe(summarize(BUGS[:1])) == "1 bug: 1 Confirmed."
    assert describe(summarize([])) == "No bugs match this track."


def test_incomplete_data_never_says_no_bugs():
    partial = describe(summarize(BUGS[:3]), complete=False)
    empty = describe(summarize([]), complete=False)
    assert partial.startswith("At least 3 bugs (incomplete data, counts may be higher)")
    assert "incomplete" in empty
    assert "No bugs match" not in empty
