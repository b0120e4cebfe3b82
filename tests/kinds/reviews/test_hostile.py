"""Hostile text in every outside field of reviews stays data.

The kind's hostile recordings put each payload of the hostile corpus in
subjects, owner names, file paths and voters' names; fetched, each comes
back as the same string after the text policy (cut at the field's
length), and every review's URL is https, built from the track.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crosswork.kinds.reviews import RECORD
from crosswork.kinds.reviews.model import MAX_NAME, MAX_PATH, MAX_SUBJECT, Review
from crosswork.kinds.reviews.provider import ReviewQuery
from crosswork.testing.upstream import Recordings
from crosswork.textclean import clean_line

PAYLOADS = [
    item.get("text", "") + item.get("repeat", "") * item.get("times", 0)
    for item in json.loads(
        (Path(__file__).parents[2] / "hostile" / "payloads.json").read_text()
    )["payloads"]
]


@pytest.fixture
def fetched(recordings: Recordings, serve) -> dict[str, list[Review]]:
    hostile = RECORD.hostile_recordings(recordings, PAYLOADS)
    _fake, fetch = serve(hostile)
    result = {}
    for track in RECORD.examples:
        query = ReviewQuery.from_track(track)
        outcome = fetch(query)
        assert outcome.complete, outcome.error
        result[query.service] = [Review.from_json(item) for item in outcome.items]
    return result


def expected(limit: int) -> set[str]:
    return {clean_line(payload, limit) for payload in PAYLOADS}


def test_every_payload_comes_back_as_text(fetched: dict[str, list[Review]]) -> None:
    gerrit = [r for r in fetched["gerrit"] if r.number > 9_000_000]
    github = fetched["github"]
    assert len(gerrit) == len(github) == len(PAYLOADS)
    for reviews in (gerrit, github):
        assert {r.subject for r in reviews} == expected(MAX_SUBJECT)
        assert {r.owner for r in reviews} == expected(MAX_NAME)
    voters = {vote.name for r in gerrit for vote in r.votes}
    assert voters == expected(MAX_NAME)
    paths = {f.path for r in github for f in r.files}
    assert paths == {clean_line(f"specs/{p}", MAX_PATH) for p in PAYLOADS}


def test_urls_are_https_and_built_from_the_track(
    fetched: dict[str, list[Review]],
) -> None:
    for review in fetched["gerrit"]:
        assert review.url == f"https://review.opendev.org/c/gerrit/+/{review.number}"
    for review in fetched["github"]:
        assert review.url == (
            f"https://github.com/openframeworks/openFrameworks/pull/{review.number}"
        )
