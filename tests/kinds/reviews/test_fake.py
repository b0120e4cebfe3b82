"""The fake's review routes behave like the services they stand for."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest

from crosswork.kinds.reviews.fake import parse_query
from crosswork.testing.upstream import FakeUpstream, Recordings


def get(fake: FakeUpstream, path: str, **params: object) -> tuple[int, dict, bytes]:
    url = f"{fake.base_url}{path}?{urlencode(params, doseq=True)}"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def changes(body: bytes) -> list[dict]:
    guard, _, rest = body.partition(b"\n")
    assert guard == b")]}'"
    return json.loads(rest)


@pytest.fixture
def fake(recordings: Recordings):
    with FakeUpstream(recordings, services=["gerrit", "github"]) as upstream:
        yield upstream


def test_pages_carry_more_changes_on_their_last_change_only(fake) -> None:
    first = changes(get(fake, "/changes/", q="status:open", n=2)[2])
    second = changes(get(fake, "/changes/", q="status:open", n=2, S=2)[2])
    rest = changes(get(fake, "/changes/", q="status:open", n=2, S=4)[2])

    assert [len(page) for page in (first, second, rest)] == [2, 2, 2]
    for page in (first, second):
        assert [c.get("_more_changes") for c in page] == [None, True]
    assert all("_more_changes" not in c for c in rest)
    numbers = [c["_number"] for c in first + second + rest]
    assert len(set(numbers)) == 6


def test_changes_are_filtered_by_project_and_status(fake) -> None:
    query = "project:plugins/multi-site (status:merged OR status:abandoned) -age:30d"
    (change,) = changes(get(fake, "/changes/", q=query)[2])
    assert (change["_number"], change["status"]) == (249209, "MERGED")


def test_options_decide_what_a_change_carries(fake) -> None:
    bare = changes(get(fake, "/changes/", q="project:gerrit")[2])
    full = changes(
        get(fake, "/changes/", q="project:gerrit", o=["CURRENT_REVISION", "MESSAGES"])[
            2
        ]
    )
    assert "revisions" not in bare[0] and "messages" not in bare[0]
    assert "revisions" in full[0] and "messages" in full[0]


def test_an_unsupported_query_is_refused(fake) -> None:
    assert get(fake, "/changes/", q="status:bogus")[0] == 400
    assert parse_query("project:a/b status:open") == ("a/b", {"NEW"})


def test_pulls_are_paged_with_link_and_answer_304(fake) -> None:
    path = "/repos/openframeworks/openFrameworks/pulls"
    status, headers, body = get(fake, path, state="open", per_page=5)
    assert status == 200
    assert len(json.loads(body)) == 5
    assert 'rel="next"' in headers["Link"] and "/repositories/" in headers["Link"]

    request = urllib.request.Request(
        f"{fake.base_url}{path}?state=open&per_page=5",
        headers={"If-None-Match": headers["ETag"]},
    )
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=5)
    assert answer.value.code == 304
    assert fake.conditional_hits("github.pulls") == 1
