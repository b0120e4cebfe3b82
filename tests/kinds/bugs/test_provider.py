"""Bug tracks: Launchpad and GitHub pages normalized to one Bug.

Page parsing is tested on the real recordings of the shared corpus;
searches (pagination, 304) run against the fake upstream.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from requests.structures import CaseInsensitiveDict

from crosswork.fetch.endpoints import parse_endpoints
from crosswork.fetch.http import FetchError, HttpClient, Policy, Response
from crosswork.fetch.snapshot import Validators
from crosswork.kinds.bugs.provider import (
    MAX_NAME,
    MAX_TITLE,
    Bug,
    BugQuery,
    GitHubTracker,
    LaunchpadTracker,
    fetch_bugs,
)
from crosswork.testing.upstream import FakeUpstream, Fault, Recordings

SAHARA = BugQuery("launchpad", "sahara", status=("Fix Released",))
PYGITHUB = BugQuery("github", "PyGithub/PyGithub", state="all")


@pytest.fixture
def recordings(corpus: Path) -> Recordings:
    """The corpus as recorded, not the derived bugs of this folder's pages."""
    return Recordings.from_corpus(corpus)


def json_response(body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(
        200,
        "https://api.example/page?secret=1",
        CaseInsensitiveDict({"Content-Type": "application/json", **(headers or {})}),
        json.dumps(body).encode(),
    )


def launchpad_task(corpus: Path, name: str = "bug") -> dict[str, Any]:
    path = corpus / "apis" / "launchpad" / f"bug_task_stackalytics_{name}.json"
    return json.loads(path.read_text())


def github_page(corpus: Path, name: str) -> tuple[list[dict[str, Any]], dict[str, str]]:
    folder = corpus / "apis" / "github" / "issues"
    body = json.loads((folder / f"{name}.body.json").read_text())
    meta = json.loads((folder / f"{name}.meta.json").read_text())
    return body, meta["response_headers"]


def test_a_launchpad_task_becomes_a_bug(corpus: Path) -> None:
    page = {"total_size": 1, "start": 0, "entries": [launchpad_task(corpus)]}

    bugs, next_url = LaunchpadTracker().read_page(json_response(page), SAHARA)

    assert next_url is None
    assert bugs == [
        Bug(
            id=1458945,
            tracker="launchpad",
            project="sahara",
            title="Use graduated oslo.policy",
            status="Fix Released",
            importance="Medium",
            tags=(),
            assignee="slukjanov",
            created=dt.datetime(2015, 6, 2, 13, 35, 54, tzinfo=dt.UTC),
            updated=dt.datetime(2015, 6, 2, 17, 31, 44, tzinfo=dt.UTC),
            url="https://bugs.launchpad.net/sahara/+bug/1458945",
        )
    ]


def test_series_tasks_and_tasks_of_other_projects_are_left_out(corpus: Path) -> None:
    entries = [
        launchpad_task(corpus, name)
        for name in ("another_milestone_bug", "bug", "linked_bug")
    ]

    bugs, _ = LaunchpadTracker().read_page(json_response({"entries": entries}), SAHARA)

    assert [(bug.id, bug.project) for bug in bugs] == [(1458945, "sahara")]


def test_launchpad_bugs_carry_the_tags_the_search_required(corpus: Path) -> None:
    query = BugQuery("launchpad", "sahara", status=("New",), tags=("security", "api"))
    page = {"entries": [launchpad_task(corpus)]}

    bugs, _ = LaunchpadTracker().read_page(json_response(page), query)

    assert bugs[0].tags == ("api", "security")


def test_the_next_collection_link_is_followed_verbatim(corpus: Path) -> None:
    link = "https://api.launchpad.net/1.0/sahara?ws.op=searchTasks&memo=75&ws.start=75"
    page = {"entries": [], "next_collection_link": link}

    assert LaunchpadTracker().read_page(json_response(page), SAHARA) == ([], link)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ('Bug #1 in Nova: "Boom"', "Boom"),
        ('Bug #12 in Nova Kilo: "Quotes "inside" kept"', 'Quotes "inside" kept'),
        ("Undecorated title", "Undecorated title"),
        ("  spaced  ", "spaced"),
        ("x" * 1_000_000, "x" * (MAX_TITLE - 1) + "…"),
        ("nul\x00 esc\x1b[0m \u202eright\u200b", "nul esc[0m right"),
        ("two\n  lines", "two lines"),
    ],
)
def test_titles_are_undecorated_trimmed_and_capped(
    corpus: Path, title: str, expected: str
) -> None:
    task = {**launchpad_task(corpus), "title": title}

    bugs, _ = LaunchpadTracker().read_page(json_response({"entries": [task]}), SAHARA)

    assert bugs[0].title == expected


def test_a_decorated_title_without_its_closing_quote_is_read_in_linear_time(
    corpus: Path,
) -> None:
    title = 'Bug #1 in Nova: "' + ': "x' * 100_000
    task = {**launchpad_task(corpus), "title": title}

    bugs, _ = LaunchpadTracker().read_page(json_response({"entries": [task]}), SAHARA)

    assert bugs[0].title == title[: MAX_TITLE - 1].rstrip() + "…"


def test_statuses_labels_and_names_are_cleaned_and_capped(corpus: Path) -> None:
    task = {
        **launchpad_task(corpus),
        "status": "Fix\u202e Released\x00",
        "importance": "Hi\x1b[31mgh",
        "assignee_link": "https://api.launchpad.net/devel/~evil\u200b",
    }
    issue = {
        "number": 1,
        "title": "t",
        "state": "open\u2066",
        "labels": [{"name": "bug\x07"}, "l" * 500],
        "assignee": {"login": "octo\u202ecat"},
        "created_at": "2018-01-02T03:04:05Z",
    }

    (bug,), _ = LaunchpadTracker().read_page(json_response({"entries": [task]}), SAHARA)
    (issue_bug,), _ = GitHubTracker().read_page(json_response([issue]), PYGITHUB)

    assert (bug.status, bug.importance, bug.assignee) == (
        "Fix Released",
        "Hi[31mgh",
        "evil",
    )
    assert (issue_bug.status, issue_bug.tags, issue_bug.assignee) == (
        "open",
        ("bug", "l" * (MAX_NAME - 1) + "…"),
        "octocat",
    )


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "http://bugs.launchpad.net/sahara/+bug/1458945",
        "https://evil.example/+bug/1",
        "https://bugs.launchpad.net@evil.example/",
    ],
)
def test_links_that_are_not_allowlisted_https_are_dropped(
    corpus: Path, link: str
) -> None:
    task = {**launchpad_task(corpus), "web_link": link}

    bugs, _ = LaunchpadTracker().read_page(json_response({"entries": [task]}), SAHARA)

    assert bugs[0].url is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"bug_link": None}, "bug_link missing or not text"),
        (
            {"bug_link": "https://api.launchpad.net/devel/bugs/x"},
            "without a bug number",
        ),
        ({"date_created": "yesterday"}, "date_created is not a timestamp"),
        (
            {"date_created": "0001-01-01T00:00:00+01:00"},
            "date_created is not a timestamp",
        ),
        ({"date_created": None}, "date_created missing"),
        ({"status": 3}, "status missing or not text"),
    ],
)
def test_a_launchpad_task_of_the_wrong_shape_fails_the_page(
    corpus: Path, change: dict[str, Any], message: str
) -> None:
    task = {**launchpad_task(corpus), **change}

    with pytest.raises(FetchError, match=message) as failure:
        LaunchpadTracker().read_page(json_response({"entries": [task]}), SAHARA)

    assert failure.value.kind == "schema"
    assert "secret" not in str(failure.value)


@pytest.mark.parametrize("page", [[], {"total_size": 0}, {"entries": {}}])
def test_a_launchpad_page_that_is_not_a_collection_is_refused(page: Any) -> None:
    with pytest.raises(FetchError, match="not a Launchpad collection"):
        LaunchpadTracker().read_page(json_response(page), SAHARA)


def test_the_recorded_empty_collection_is_an_empty_complete_page(corpus: Path) -> None:
    page = json.loads(
        (corpus / "apis/launchpad/collection_empty_example.json").read_text()
    )

    assert LaunchpadTracker().read_page(json_response(page), SAHARA) == ([], None)


def test_github_pull_requests_are_left_out(corpus: Path) -> None:
    body, headers = github_page(corpus, "list_openframeworks_2018_page1")
    query = BugQuery("github", "openframeworks/openFrameworks")

    bugs, _ = GitHubTracker().read_page(json_response(body, headers), query)

    pull_requests = {item["number"] for item in body if "pull_request" in item}
    assert len(body) == 30
    assert len(pull_requests) == 7
    assert len(bugs) == 23
    assert not pull_requests & {bug.id for bug in bugs}


def test_a_github_issue_becomes_a_bug(corpus: Path) -> None:
    body, headers = github_page(corpus, "list_openframeworks_2018_page1")

    bugs, _ = GitHubTracker().read_page(json_response(body, headers), PYGITHUB)
    bug = next(bug for bug in bugs if bug.id == 6129)

    assert bug == Bug(
        id=6129,
        tracker="github",
        project="PyGithub/PyGithub",
        title="ofDirectory::sort() is slow!",
        status="open",
        importance=None,
        tags=("core",),
        assignee="ofTheo",
        # The record's created_at and updated_at, read as UTC.
        created=dt.datetime(2018, 9, 18, 20, 11, 58, tzinfo=dt.UTC),
        updated=dt.datetime(2018, 10, 22, 8, 44, 25, tzinfo=dt.UTC),
        url="https://github.com/openframeworks/openFrameworks/issues/6129",
    )
    assert bug.created.tzinfo == dt.UTC


def test_the_github_link_header_gives_the_next_page_verbatim(corpus: Path) -> None:
    body, headers = github_page(corpus, "list_openframeworks_2018_page1")

    _, next_url = GitHubTracker().read_page(json_response(body, headers), PYGITHUB)

    assert next_url == "https://api.github.com/repositories/345337/issues?page=2"


def test_modern_github_fields_are_read(corpus: Path) -> None:
    body, headers = github_page(corpus, "list_pygithub_2025_type_wildcard_1")

    bugs, next_url = GitHubTracker().read_page(json_response(body, headers), PYGITHUB)

    assert next_url is None
    assert [(bug.id, bug.status, bug.tags) for bug in bugs] == [
        (3364, "closed", ("bug",)),
        (3337, "closed", ()),
        (3336, "closed", ()),
        (3335, "closed", ()),
        (28, "closed", ("bug", "question")),
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"message": "Not Found"}, "not a list of issues"),
        ([{"title": "no number"}], "issue without a number"),
        ([{"number": True}], "issue without a number"),
        ([{"number": 1, "title": "t", "state": "open", "labels": "bug"}], "labels"),
    ],
)
def test_a_github_page_of_the_wrong_shape_fails(body: Any, message: str) -> None:
    with pytest.raises(FetchError, match=message):
        GitHubTracker().read_page(json_response(body), PYGITHUB)


def test_a_bug_round_trips_through_json(corpus: Path) -> None:
    bugs, _ = LaunchpadTracker().read_page(
        json_response({"entries": [launchpad_task(corpus)]}), SAHARA
    )

    assert Bug.from_json(json.loads(json.dumps(bugs[0].to_json()))) == bugs[0]


def test_a_bug_of_the_year_1_round_trips_through_json(corpus: Path) -> None:
    task = {**launchpad_task(corpus), "date_created": "0001-01-01T00:00:00+00:00"}
    bugs, _ = LaunchpadTracker().read_page(json_response({"entries": [task]}), SAHARA)

    stored = bugs[0].to_json()

    assert stored["created"] == "0001-01-01T00:00:00Z"
    assert Bug.from_json(json.loads(json.dumps(stored))) == bugs[0]


def test_queries_store_only_the_keys_of_their_tracker() -> None:
    launchpad = BugQuery.from_track(
        {"name": "n", "tracker": "launchpad", "project": "nova", "status": ["New"]}
    )
    github = BugQuery.from_track({"name": "g", "tracker": "github", "project": "a/b"})

    assert launchpad.to_json() == {
        "tracker": "launchpad",
        "project": "nova",
        "status": ["New"],
        "importance": [],
        "tags": [],
    }
    assert github.to_json() == {
        "tracker": "github",
        "project": "a/b",
        "labels": [],
        "state": "open",
    }


def test_launchpad_searches_repeat_list_parameters() -> None:
    query = BugQuery(
        "launchpad",
        "nova",
        status=("New", "Triaged"),
        importance=("High",),
        tags=("x",),
    )

    url, params = LaunchpadTracker().first_request(
        "https://api.launchpad.net", query, 75
    )

    assert url == "https://api.launchpad.net/1.0/nova"
    assert params == {
        "ws.op": "searchTasks",
        "status": ["New", "Triaged"],
        "importance": ["High"],
        "tags": ["x"],
        "tags_combinator": "All",
        "ws.size": 75,
    }


def test_github_searches_join_labels_with_commas() -> None:
    query = BugQuery("github", "openstack/oslo.config", labels=("bug", "security"))

    url, params = GitHubTracker().first_request("https://api.github.com", query, 100)

    assert url == "https://api.github.com/repos/openstack/oslo.config/issues"
    assert params == {"state": "open", "per_page": 100, "labels": "bug,security"}


@pytest.fixture
def many_sahara_tasks(
    recordings: Recordings, policy: Policy
) -> Iterator[tuple[FakeUpstream, HttpClient]]:
    """The recorded sahara tasks plus six derived ones, on a Launchpad fake."""
    derived = recordings.with_launchpad_tasks("sahara", 6)
    with FakeUpstream(derived, services=["launchpad"]) as fake:
        endpoints = parse_endpoints(fake.endpoints())
        with HttpClient(endpoints, policy, environ={}) as client:
            yield fake, client


def test_launchpad_pagination_follows_every_page(
    many_sahara_tasks: tuple[FakeUpstream, HttpClient],
) -> None:
    fake, client = many_sahara_tasks

    result = fetch_bugs(client, SAHARA, deadline=client.start_deadline(), page_size=2)

    assert result.complete
    assert result.pages == 4
    assert [bug.id for bug in result.bugs] == [1458945, *range(9000001, 9000007)]
    assert fake.count("launchpad.search") == 4
    assert all("memo" in request.query for request in fake.requests[1:])


def test_github_pagination_follows_the_link_chain(
    client: HttpClient, upstream: FakeUpstream
) -> None:
    result = fetch_bugs(client, PYGITHUB, deadline=client.start_deadline(), page_size=3)

    assert result.complete
    assert result.pages == 3
    assert [bug.id for bug in result.bugs] == [
        28,
        3335,
        3336,
        3337,
        3364,
        3372,
        3373,
        3379,
    ]
    paths = [request.path for request in upstream.requests]
    assert paths[0] == "/repos/PyGithub/PyGithub/issues"
    assert all(path.startswith("/repositories/") for path in paths[1:])


def test_the_page_cap_marks_the_result_incomplete(
    client: HttpClient, upstream: FakeUpstream
) -> None:
    result = fetch_bugs(
        client, PYGITHUB, deadline=client.start_deadline(), page_size=3, page_cap=2
    )

    assert not result.complete
    assert result.error is None
    assert result.pages == 2
    assert len(result.bugs) == 6
    assert upstream.count("github.issues") == 2


def test_a_failing_later_page_keeps_the_earlier_ones_and_says_why(
    client: HttpClient, upstream: FakeUpstream
) -> None:
    upstream.fail("github.issues", Fault.server_error(404), after=1)

    result = fetch_bugs(client, PYGITHUB, deadline=client.start_deadline(), page_size=3)

    assert not result.complete
    assert result.error is not None
    assert result.error.kind == "http-404"
    assert len(result.bugs) == 3


def test_a_failing_first_page_raises(
    client: HttpClient, upstream: FakeUpstream
) -> None:
    upstream.fail("github.issues", Fault.wrong_content_type())

    with pytest.raises(FetchError, match="text/html"):
        fetch_bugs(client, PYGITHUB, deadline=client.start_deadline())


def test_a_conditional_request_that_gets_304_reports_not_modified(
    client: HttpClient, upstream: FakeUpstream
) -> None:
    first = fetch_bugs(client, PYGITHUB, deadline=client.start_deadline())

    again = fetch_bugs(
        client, PYGITHUB, deadline=client.start_deadline(), validators=first.validators
    )

    assert first.validators.etag
    assert again.not_modified
    assert again.validators == first.validators
    assert upstream.requests[-1].headers["if-none-match"] == first.validators.etag
    assert upstream.conditional_hits("github.issues") == 1


def test_stale_validators_get_the_new_data(
    client: HttpClient, upstream: FakeUpstream
) -> None:
    old = Validators(etag='W/"outdated"', auth="anonymous")

    result = fetch_bugs(
        client, PYGITHUB, deadline=client.start_deadline(), validators=old
    )

    assert not result.not_modified
    assert len(result.bugs) == 8
    assert result.validators.etag != old.etag


def test_a_tag_search_returns_only_bugs_with_the_tag(
    recordings: Recordings, policy: Policy
) -> None:
    tagged = recordings.with_launchpad_tasks("sahara", 2, tags=("security",))
    tagged = tagged.with_launchpad_tasks("sahara", 3)
    query = BugQuery(
        "launchpad", "sahara", status=("Fix Released",), tags=("security",)
    )

    with FakeUpstream(tagged, services=["launchpad"]) as fake:
        endpoints = parse_endpoints(fake.endpoints())
        with HttpClient(endpoints, policy, environ={}) as client:
            result = fetch_bugs(client, query, deadline=client.start_deadline())

    assert [bug.id for bug in result.bugs] == [9000001, 9000002]
    assert all(bug.tags == ("security",) for bug in result.bugs)
