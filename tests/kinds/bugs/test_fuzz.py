"""Properties of the bug normalizers on any upstream payload.

Whatever a Launchpad task, a GitHub issue or a whole page holds, the
trackers give bugs or raise :class:`FetchError`; a bug they give is
stored as JSON and read back unchanged; and their work grows linearly
with the payload.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from requests.structures import CaseInsensitiveDict

from crosswork.fetch.http import FetchError, Response
from crosswork.kinds.bugs.provider import Bug, BugQuery, GitHubTracker, LaunchpadTracker
from fuzzing import (
    assert_linear,
    awkward_text,
    fuzz_settings,
    joined,
    json_values,
)

LAUNCHPAD = LaunchpadTracker()
GITHUB = GitHubTracker()
SAHARA = BugQuery("launchpad", "sahara", status=("Fix Released",), tags=("a", "b"))
PYGITHUB = BugQuery("github", "PyGithub/PyGithub", state="all")
WHERE = "https://api.launchpad.net/1.0/sahara"

TASK: dict[str, Any] = {
    "assignee_link": "https://api.launchpad.net/devel/~slukjanov",
    "bug_link": "https://api.launchpad.net/devel/bugs/1458945",
    "bug_target_name": "sahara",
    "date_created": "2015-06-02T13:35:54.101235+00:00",
    "date_fix_released": "2015-06-02T17:31:05.820479+00:00",
    "importance": "Medium",
    "status": "Fix Released",
    "title": 'Bug #1458945 in Sahara: "Use graduated oslo.policy"',
    "web_link": "https://bugs.launchpad.net/sahara/+bug/1458945",
}
ISSUE: dict[str, Any] = {
    "number": 42,
    "title": "A title",
    "state": "open",
    "labels": [{"name": "bug"}, "question"],
    "assignee": {"login": "octocat"},
    "created_at": "2018-01-02T03:04:05Z",
    "updated_at": "2018-02-02T03:04:05Z",
    "html_url": "https://github.com/PyGithub/PyGithub/issues/42",
}

DATES = (
    "2015-06-02T13:35:54.101235+00:00",
    "2018-01-02T03:04:05Z",
    "2018-01-02",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "0001-01-01T00:00:00",
    "2018-02-30T00:00:00Z",
)
texts = awkward_text(max_size=60, surrogates=True)
dates = st.one_of(
    st.sampled_from(DATES),
    st.datetimes(timezones=st.none() | st.just(dt.UTC)).map(dt.datetime.isoformat),
    texts,
)
titles = st.one_of(
    texts,
    joined(('Bug #1 in Sahara: "', '"', ": ", "Bug #", " in ", "\n")),
)
values = st.one_of(texts, json_values(max_leaves=3))


def field_values(key: str) -> Any:
    if key.startswith("date") or key.endswith("_at"):
        return dates | values
    if key == "title":
        return titles | values
    return values


def replaced(base: dict[str, Any]) -> Any:
    """``base`` with some fields replaced or removed."""
    changes = st.fixed_dictionaries(
        {},
        optional={key: field_values(key) | st.just(None) for key in base},
    )
    return changes.map(lambda change: {**base, **change})


def stored_again(bug: Bug) -> None:
    """What the snapshot keeps of the bug, as UTF-8 JSON, reads back the same."""
    text = json.dumps(bug.to_json(), ensure_ascii=False).encode()
    assert Bug.from_json(json.loads(text)) == bug


def normalized(tracker: Any, item: object, query: BugQuery) -> Bug | None:
    try:
        bug = tracker.bug(item, query, WHERE)
    except FetchError as error:
        assert error.kind == "schema"
        return None
    stored_again(bug)
    return bug


@fuzz_settings(300)
@given(replaced(TASK))
@example({**TASK, "date_created": "0001-01-01T00:00:00+01:00"})
@example({**TASK, "status": "Fix\ud800Released"})
@example({**TASK, "title": 'Bug #1 in Sahara: "' + ': "x' * 50})
def test_any_launchpad_task_gives_a_bug_or_a_fetch_error(task: dict) -> None:
    normalized(LAUNCHPAD, task, SAHARA)


@fuzz_settings(300)
@given(replaced(ISSUE))
@example({**ISSUE, "number": True})
@example({**ISSUE, "labels": [{"name": "\x1b[31mred"}, {"name": 7}]})
@example({**ISSUE, "assignee": {"login": "\u202eevil"}})
def test_any_github_issue_gives_a_bug_or_a_fetch_error(issue: dict) -> None:
    normalized(GITHUB, issue, PYGITHUB)


def response(body: bytes, link: str = "") -> Response:
    headers = CaseInsensitiveDict({"Content-Type": "application/json"})
    if link:
        headers["Link"] = link
    return Response(200, WHERE, headers, body)


def read(tracker: Any, body: bytes, query: BugQuery) -> None:
    try:
        bugs, next_url = tracker.read_page(response(body), query)
    except FetchError:
        return
    assert next_url is None or isinstance(next_url, str)
    for bug in bugs:
        stored_again(bug)


pages = st.one_of(
    json_values(),
    st.fixed_dictionaries(
        {"entries": st.lists(replaced(TASK) | json_values(max_leaves=3), max_size=3)},
        optional={"next_collection_link": values, "total_size": values},
    ),
    st.lists(replaced(ISSUE) | json_values(max_leaves=3), max_size=3),
).map(lambda page: json.dumps(page).encode())
bodies = st.one_of(
    pages,
    st.binary(max_size=100),
    st.integers(1, 200_000).map(lambda depth: b"[" * depth),
    st.integers(1, 200_000).map(lambda depth: b'{"entries": ' + b"[" * depth),
)


@fuzz_settings(200)
@given(bodies)
@example(b"[" * 100_000)
@example(b'{"a": ' * 100_000)
@example(b"\xff")
@example(b'"\\ud800"')
def test_any_page_gives_bugs_or_a_fetch_error(body: bytes) -> None:
    read(LAUNCHPAD, body, SAHARA)
    read(GITHUB, body, PYGITHUB)


def launchpad_page(count: int, unit: str) -> bytes:
    task = dict(TASK)
    if unit == "title":
        task["title"] = 'Bug #1 in Sahara: "' + "x" * count
    elif unit == "unclosed title":
        task["title"] = 'Bug #1 in Sahara: "' + ': "x' * count
    elif unit == "link":
        task["web_link"] = "https://bugs.launchpad.net/" + "\x00/" * count
    entries = [task]
    if unit == "entries":
        entries = [
            {**TASK, "bug_link": f"https://api.launchpad.net/devel/bugs/{n}"}
            for n in range(count)
        ]
    return json.dumps({"entries": entries}).encode()


@pytest.mark.parametrize("unit", ["title", "unclosed title", "link", "entries"])
def test_reading_a_launchpad_page_takes_linear_time(unit: str) -> None:
    def work(body: bytes) -> None:
        LAUNCHPAD.read_page(response(body), SAHARA)

    size = {"entries": 50, "unclosed title": 200}.get(unit, 2000)
    assert_linear(work, lambda count: launchpad_page(count, unit), size)


def github_page(count: int, unit: str) -> bytes:
    issue = dict(ISSUE)
    if unit == "labels":
        issue["labels"] = [{"name": f"label {n}"} for n in range(count)]
    elif unit == "title":
        issue["title"] = "<b>\u202e" * count
    issues = [issue]
    if unit == "issues":
        issues = [{**ISSUE, "number": n} for n in range(count)]
    return json.dumps(issues).encode()


@pytest.mark.parametrize("unit", ["labels", "title", "issues"])
def test_reading_a_github_page_takes_linear_time(unit: str) -> None:
    def work(body: bytes) -> None:
        GITHUB.read_page(response(body), PYGITHUB)

    size = 50 if unit == "issues" else 500
    assert_linear(work, lambda count: github_page(count, unit), size)
