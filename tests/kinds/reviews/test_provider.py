"""Review tracks fetched from the fake upstream: Gerrit change queries
behind the ``)]}'`` guard, paged by ``_more_changes`` and ``S=``; GitHub
pull lists paged by ``Link``, each pull's files, conditional requests."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

from requests.structures import CaseInsensitiveDict

from crosswork.fetch.http import Response
from crosswork.kinds.reviews.fake import head_sha
from crosswork.kinds.reviews.model import Review
from crosswork.kinds.reviews.provider import (
    GERRIT_OPTIONS,
    ReviewQuery,
    gerrit_json,
    gerrit_queries,
)
from crosswork.testing.upstream import Recordings

from .conftest import (
    FIRST,
    PROJECT,
    derived_change,
    recorded_change,
    recorded_pulls,
    with_changes,
    with_pull_files,
    with_pulls,
)

GERRIT_TRACK = ReviewQuery("gerrit", PROJECT)
GITHUB_TRACK = ReviewQuery("github", "openframeworks/openFrameworks")


def reviews(result) -> list[Review]:
    return [Review.from_json(item) for item in result.items]


def spec_changes(recordings: Recordings, count: int) -> Recordings:
    template = recorded_change(recordings)
    return with_changes(
        recordings,
        *(
            derived_change(template, FIRST + i, {f"specs/2027.1/spec-{i}.rst": None})
            for i in range(count)
        ),
    )


# --- Gerrit ------------------------------------------------------------------


def test_the_guard_line_of_the_recorded_query_is_stripped(corpus: Path) -> None:
    path = (
        corpus
        / "apis/gerrit/changes_query_gerrit-review_status_open_with_xssi_prefix.txt"
    )
    body = path.read_bytes()
    assert body.startswith(b")]}'")
    response = Response(
        200,
        "https://review.opendev.org/changes/",
        CaseInsensitiveDict({"Content-Type": "application/json; charset=utf-8"}),
        body,
    )

    changes = gerrit_json(response)

    assert len(changes) == 5
    assert changes[-1]["_more_changes"] is True
    assert not any("_more_changes" in change for change in changes[:-1])


def test_every_fake_gerrit_body_carries_the_guard(
    recordings: Recordings, serve
) -> None:
    fake, fetch = serve(spec_changes(recordings, 1))
    fetch(GERRIT_TRACK)
    requests = [r for r in fake.requests if r.route == "gerrit.changes"]
    assert len(requests) == 2
    assert set(requests[0].query["o"]) == set(GERRIT_OPTIONS)
    assert [r.query["q"][0] for r in requests] == list(gerrit_queries(GERRIT_TRACK))
    assert "-age:30d" in requests[1].query["q"][0]


def test_gerrit_pages_follow_more_changes_with_s(recordings: Recordings, serve) -> None:
    fake, fetch = serve(spec_changes(recordings, 5))

    result = fetch(GERRIT_TRACK, page_size=2)

    starts = [
        (r.query["q"][0].endswith("status:open"), r.first("S"))
        for r in fake.requests
        if r.route == "gerrit.changes"
    ]
    assert starts == [(True, "0"), (True, "2"), (True, "4"), (False, "0")]
    assert result.complete and result.error is None
    assert result.pages == 4
    assert sorted(r.number for r in reviews(result)) == [FIRST + i for i in range(5)]


def test_more_pages_than_the_cap_mark_the_result_incomplete(
    recordings: Recordings, serve
) -> None:
    _fake, fetch = serve(spec_changes(recordings, 5))

    result = fetch(GERRIT_TRACK, page_size=2, page_cap=2)

    assert not result.complete
    assert result.pages == 2
    assert len(result.items) == 4


def test_a_change_touching_no_spec_file_is_left_out(
    recordings: Recordings, serve
) -> None:
    template = recorded_change(recordings)
    _fake, fetch = serve(
        with_changes(
            recordings,
            derived_change(template, FIRST, {"specs/2027.1/a.rst": None}),
            derived_change(template, FIRST + 1, {"README.rst": None}),
            derived_change(template, FIRST + 2, {"specs-old/2027.1/b.rst": None}),
        )
    )

    result = fetch(GERRIT_TRACK)

    assert [r.number for r in reviews(result)] == [FIRST]


def test_gerrit_times_are_utc_and_states_and_votes_are_read(
    recordings: Recordings, serve
) -> None:
    template = recorded_change(recordings)
    _fake, fetch = serve(
        with_changes(
            recordings,
            derived_change(template, FIRST, {"specs/2027.1/a.rst": None}),
            derived_change(
                template, FIRST + 1, {"specs/2027.1/b.rst": None}, status="ABANDONED"
            ),
            derived_change(
                template, FIRST + 2, {"specs/2027.1/c.rst": None}, status="MERGED"
            ),
        )
    )

    found = {r.number: r for r in reviews(fetch(GERRIT_TRACK))}

    assert {n: r.state for n, r in found.items()} == {
        FIRST: "open",
        FIRST + 1: "abandoned",
        FIRST + 2: "merged",
    }
    first = found[FIRST]
    assert first.created == dt.datetime(2019, 11, 20, 15, 52, 35, tzinfo=dt.UTC)
    assert first.updated.utcoffset() == dt.timedelta(0)
    assert first.owner == template["owner"]["name"]
    assert first.subject == template["subject"]
    assert first.url == f"https://review.opendev.org/c/{PROJECT}/+/{FIRST}"
    assert dict(first.votes_by_label())["Code-Review"] == "+2 (1)"


def test_a_new_spec_names_its_workgroup_from_the_proposed_file(
    recordings: Recordings, serve
) -> None:
    template = recorded_change(recordings)
    path = "specs/2027.1/new-idea.rst"
    text = b"========\nNew idea\n========\n\n:Status: draft\n:Workgroup: alpha\n"
    derived = with_changes(recordings, derived_change(template, FIRST, {path: "A"}))
    derived = dataclasses.replace(derived, gerrit_files={f"{FIRST}/{path}": text})
    fake, fetch = serve(derived)

    (review,) = reviews(fetch(GERRIT_TRACK))

    assert review.workgroup == "alpha"
    assert review.files[0].added
    assert fake.count("gerrit.content") == 1


def test_a_proposed_file_the_service_lacks_leaves_the_workgroup_empty(
    recordings: Recordings, serve
) -> None:
    template = recorded_change(recordings)
    _fake, fetch = serve(
        with_changes(
            recordings, derived_change(template, FIRST, {"specs/2027.1/x.rst": "A"})
        )
    )

    result = fetch(GERRIT_TRACK)

    assert result.complete
    assert reviews(result)[0].workgroup == ""


# --- GitHub ------------------------------------------------------------------


def spec_file(number: int, status: str = "modified") -> list[dict]:
    return [{"filename": f"specs/2027.1/pull-{number}.rst", "status": status}]


def test_the_pull_list_follows_link_over_pages(recordings: Recordings, serve) -> None:
    numbers = [p["number"] for p in recorded_pulls(recordings)]
    assert len(numbers) == 7
    touched = {numbers[0]: spec_file(numbers[0]), numbers[-1]: spec_file(numbers[-1])}
    fake, fetch = serve(with_pull_files(recordings, touched))

    result = fetch(GITHUB_TRACK, page_size=3)

    lists = [r for r in fake.requests if r.route == "github.pulls"]
    opened = [r for r in lists if r.first("state") == "open"]
    assert [r.path.startswith("/repositories/") for r in opened] == [False, True, True]
    assert fake.count("github.pull-files") == 7
    assert result.pages == 3 and result.complete
    assert sorted(r.number for r in reviews(result)) == sorted(touched)
    review = reviews(result)[0]
    assert (
        review.url
        == f"https://github.com/openframeworks/openFrameworks/pull/{review.number}"
    )
    assert review.votes == ()


def test_a_304_keeps_the_snapshot(recordings: Recordings, serve) -> None:
    number = recorded_pulls(recordings)[0]["number"]
    fake, fetch = serve(with_pull_files(recordings, {number: spec_file(number)}))
    first = fetch(GITHUB_TRACK)
    assert first.validators.etag

    again = fetch(GITHUB_TRACK, validators=first.validators)

    assert again.not_modified
    assert again.validators == first.validators
    assert fake.conditional_hits("github.pulls") == 1


def test_closed_pulls_in_the_window_are_merged_or_abandoned(
    recordings: Recordings, serve
) -> None:
    template = recorded_pulls(recordings)[0]
    recent = (dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )

    def closed(number: int, merged: bool, updated: str) -> dict:
        pull = json.loads(json.dumps(template))
        pull.update(
            {"number": number, "id": number, "state": "closed", "updated_at": updated}
        )
        pull["pull_request"]["merged_at"] = updated if merged else None
        return pull

    derived = with_pulls(
        recordings,
        closed(FIRST, True, recent),
        closed(FIRST + 1, False, recent),
        closed(FIRST + 2, True, "2018-01-01T00:00:00Z"),
    )
    derived = with_pull_files(
        derived, {n: spec_file(n) for n in range(FIRST, FIRST + 3)}
    )
    _fake, fetch = serve(derived)

    found = {r.number: r.state for r in reviews(fetch(GITHUB_TRACK))}

    assert found == {FIRST: "merged", FIRST + 1: "abandoned"}


def test_a_new_spec_in_a_pull_names_its_workgroup(
    recordings: Recordings, serve
) -> None:
    number = recorded_pulls(recordings)[0]["number"]
    path = f"specs/2027.1/pull-{number}.rst"
    derived = with_pull_files(recordings, {number: spec_file(number, "added")})
    sha = head_sha("openframeworks/openframeworks", number)
    derived = dataclasses.replace(
        derived,
        github_contents={
            f"openframeworks/openframeworks@{sha}/{path}": b":Workgroup: beta\n"
        },
    )
    fake, fetch = serve(derived)

    (review,) = reviews(fetch(GITHUB_TRACK))

    assert review.workgroup == "beta"
    assert fake.count("github.contents") == 1


def test_more_pull_pages_than_the_cap_mark_the_result_incomplete(
    recordings: Recordings, serve
) -> None:
    _fake, fetch = serve(recordings)

    result = fetch(GITHUB_TRACK, page_size=3, page_cap=2)

    assert not result.complete
    assert result.pages == 2
