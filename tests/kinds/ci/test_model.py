"""Both Zuul payload shapes normalize to one build model; results land in buckets."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

from crosswork.kinds.ci.model import (
    CANCELED,
    CONFIG,
    FAILURE,
    INFRA,
    OTHER,
    RUNNING,
    SKIPPED,
    SUCCESS,
    Build,
    BuildError,
    bucket_of,
    normalize_build,
)


def zuul(corpus: Path, name: str):
    return json.loads((corpus / "apis" / "zuul" / name).read_text(encoding="utf-8"))


def flattened(nested: dict) -> dict:
    """The Zuul 10 build in the pre-10 shape: its ``ref`` fields made flat."""
    flat = {k: v for k, v in copy.deepcopy(nested).items() if k != "ref"}
    flat.update(nested["ref"])
    flat["buildset"] = {"uuid": nested["buildset"]["uuid"]}
    return flat


def test_the_nested_and_the_flat_shape_give_the_same_build(corpus: Path) -> None:
    nested = zuul(corpus, "build_detail_opendev_2024_v10.json")
    assert isinstance(nested["ref"], dict)

    build = normalize_build(nested)

    assert build == normalize_build(flattened(nested))
    assert build.job == "nodepool-functional-container-openstack-release"
    assert build.project == "zuul/nodepool"
    assert (build.branch, build.pipeline) == ("master", "check")
    assert (build.change, build.patchset) == (908952, "1")
    assert build.result == "FAILURE" and build.bucket == FAILURE
    assert build.start == dt.datetime(2024, 2, 13, 23, 17, 28, tzinfo=dt.UTC)
    assert build.end == dt.datetime(2024, 2, 13, 23, 39, 24, tzinfo=dt.UTC)
    assert build.duration == 1316.0
    assert build.buildset == "338114acf62841f48d37862efc29cb87"
    # https://localhost is not an allowlisted host: no link.
    assert build.log_url is None


def test_every_recorded_flat_build_normalizes(corpus: Path) -> None:
    builds = [
        normalize_build(item)
        for item in zuul(corpus, "builds_list_opendev_2020_pre_v10.json")
    ]
    builds.append(
        normalize_build(zuul(corpus, "build_softwarefactory_2021_pre_v10_subset.json"))
    )

    assert [b.bucket for b in builds].count(SUCCESS) == 7
    assert [b.bucket for b in builds].count(FAILURE) == 1
    skipped = next(b for b in builds if b.bucket == SKIPPED)
    assert skipped.uuid is None and skipped.start is None and skipped.duration is None
    assert skipped.job == "openstack-operator:functional"
    periodic = next(b for b in builds if b.pipeline == "periodic")
    assert periodic.change is None and periodic.patchset is None
    gate = builds[-1]
    assert (gate.pipeline, gate.change, gate.patchset) == ("gate", 22894, "1")
    # Log hosts of the recordings are not allowlisted: every link is dropped.
    assert all(b.log_url is None for b in builds)


def test_a_stored_build_reads_back_equal(corpus: Path) -> None:
    build = normalize_build(zuul(corpus, "build_detail_opendev_2024_v10.json"))
    assert Build.from_json(json.loads(json.dumps(build.to_json()))) == build


@pytest.mark.parametrize(
    ("result", "bucket"),
    [
        ("SUCCESS", SUCCESS),
        ("FAILURE", FAILURE),
        ("TIMED_OUT", FAILURE),
        ("POST_FAILURE", INFRA),
        ("NODE_FAILURE", INFRA),
        ("RETRY_LIMIT", INFRA),
        ("RETRY", INFRA),
        ("DISK_FULL", INFRA),
        ("LOST", INFRA),
        ("ERROR", INFRA),
        ("EXCEPTION", INFRA),
        ("MERGE_CONFLICT", CONFIG),
        ("MERGER_FAILURE", CONFIG),
        ("CONFIG_ERROR", CONFIG),
        ("CANCELED", CANCELED),
        ("ABORTED", CANCELED),
        ("DEQUEUED", CANCELED),
        ("SKIPPED", SKIPPED),
        (None, RUNNING),
        ("TIMEOUT", OTHER),
        ("SOMETHING_NEW", OTHER),
    ],
)
def test_every_result_lands_in_its_bucket(result: str | None, bucket: str) -> None:
    assert bucket_of(result) == bucket


def test_zone_less_times_are_utc_and_a_given_zone_is_honoured(corpus: Path) -> None:
    payload = zuul(corpus, "build_detail_opendev_2024_v10.json")
    payload["start_time"] = "2024-02-13T23:17:28+01:00"
    assert normalize_build(payload).start == dt.datetime(
        2024, 2, 13, 22, 17, 28, tzinfo=dt.UTC
    )


@pytest.mark.parametrize(
    "link",
    [
        "http://review.opendev.org/logs/",
        "javascript:alert(1)",
        "https://review.opendev.org@evil.example/",
        "https://evil.example/logs/",
    ],
)
def test_log_links_stay_https_and_allowlisted(corpus: Path, link: str) -> None:
    payload = zuul(corpus, "build_detail_opendev_2024_v10.json")
    payload["log_url"] = link
    assert normalize_build(payload).log_url is None
    payload["log_url"] = "https://zuul.opendev.org/t/zuul/build/e09e82/logs"
    assert normalize_build(payload).log_url == payload["log_url"]


def test_hostile_names_are_cleaned_to_one_line(corpus: Path) -> None:
    payload = zuul(corpus, "build_detail_opendev_2024_v10.json")
    payload["job_name"] = "tox\n<script>alert(1)</script>\u202e" + "x" * 500
    build = normalize_build(payload)
    assert "\n" not in build.job and "\u202e" not in build.job
    assert len(build.job) <= 200


@pytest.mark.parametrize(
    "change",
    [
        {"job_name": None},
        {"duration": "long"},
        {"start_time": "yesterday"},
        {"voting": "yes"},
        {"ref": {"branch": "master"}},
        {"start_time": "0001-01-01T00:00:00+01:00"},
        {"end_time": "9999-12-31T23:59:59-01:00"},
        {"duration": float("nan")},
        {"duration": float("inf")},
    ],
)
def test_a_malformed_build_is_refused(corpus: Path, change: dict) -> None:
    payload = zuul(corpus, "build_detail_opendev_2024_v10.json")
    payload.update(change)
    with pytest.raises(BuildError):
        normalize_build(payload)


def test_a_build_of_the_year_1_is_stored_in_four_digits(corpus: Path) -> None:
    payload = zuul(corpus, "build_detail_opendev_2024_v10.json")
    payload["start_time"] = "0001-01-01T00:00:00"
    build = normalize_build(payload)
    stored = json.loads(json.dumps(build.to_json()))
    assert stored["start"] == "0001-01-01T00:00:00Z"
    assert Build.from_json(stored) == build
