"""Tracking bugs: the bugs a spec's ``Tracking`` names, and how many are fixed.

The bugs are fetched through the fake upstream (a real loopback server
serving the corpus recordings): Launchpad bug 1458945 has tasks on sahara,
sahara/kilo and barbican, all Fix Released; GitHub PyGithub/PyGithub#28
is closed as completed and #3379 is open. Launchpad bug 9999999 does not
exist upstream.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from crosswork.fetch.run import FetchReport
from crosswork.fetch.snapshot import load_status
from crosswork.fetch.sources import collect_sources
from crosswork.fetch.view import SourceView, read_view
from crosswork.kinds import KINDS
from crosswork.kinds.bugs import RECORD
from crosswork.kinds.bugs.progress import progress, tracking_summary
from crosswork.kinds.bugs.tracking import BugRef, is_fixed, parse_ref, spec_tracks
from crosswork.specs.model import Spec
from crosswork.testing.upstream import FakeUpstream, Fault, Recordings, bug_number
from crosswork.workgroups.registry import Registry, load_registry

FIXED_LP = "1458945"
FIXED_LP_PROJECT = "sahara#1458945"
ABSENT_LP = "9999999"
FIXED_GH = "https://github.com/PyGithub/PyGithub/issues/28"
OPEN_GH = "https://github.com/PyGithub/PyGithub/issues/3379"


def make_spec(*tracking: str, workgroup: str = "quality", slug: str = "s") -> Spec:
    return Spec(
        slug=slug,
        cycle="2026.1",
        title="A spec",
        status="approved",
        workgroup=workgroup,
        authors=("Ann",),
        created=dt.date(2026, 1, 5),
        review="https://review.opendev.org/c/x/+/1",
        tracking=tracking,
        supersedes=(),
        superseded_by="",
        implemented_in="",
        path=f"specs/2026.1/{slug}.rst",
        title_line=1,
    )


@pytest.fixture
def registry(repo_root: Path) -> Registry:
    registry, problems = load_registry(repo_root / "workgroups", repo_root, kinds=KINDS)
    assert problems == []
    return registry


def reader(folder: Path) -> Callable[[str], SourceView]:
    statuses = load_status(folder) if folder.is_dir() else {}
    return lambda source_id: read_view(folder, source_id, statuses)


# --- References ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "ref"),
    [
        ("2001234", BugRef("launchpad", "", 2001234)),
        ("nova#2001234", BugRef("launchpad", "nova", 2001234)),
        (
            "https://bugs.launchpad.net/nova/+bug/2001234",
            BugRef("launchpad", "nova", 2001234),
        ),
        ("https://bugs.launchpad.net/bugs/2001234", BugRef("launchpad", "", 2001234)),
        (FIXED_GH, BugRef("github", "PyGithub/PyGithub", 28)),
        ("https://example.org/bugs/12", None),
        ("https://github.com/o/r/pull/3", None),
    ],
)
def test_a_tracking_entry_names_a_bug_of_one_tracker(
    entry: str, ref: BugRef | None
) -> None:
    assert parse_ref(entry) == ref


def test_a_workgroup_s_specs_imply_one_track_per_tracker(registry: Registry) -> None:
    specs = [
        make_spec(FIXED_LP, FIXED_GH, slug="a"),
        make_spec(FIXED_LP_PROJECT, "https://example.org/x", slug="b"),
    ]

    tracks = spec_tracks(specs, registry.workgroups["quality"])

    assert tracks == [
        {
            "name": "spec-tracking.github",
            "tracker": "github",
            "bugs": ["PyGithub/PyGithub#28"],
        },
        {"name": "spec-tracking.launchpad", "tracker": "launchpad", "bugs": [FIXED_LP]},
    ]


def test_derived_names_can_never_be_charter_track_names() -> None:
    pattern = RECORD.track_schema_json()["items"]["properties"]["name"]["pattern"]

    assert not re.search(pattern, "spec-tracking.launchpad")
    assert not re.search(pattern, "spec-tracking.github")


# --- Fixed or not ----------------------------------------------------------------


def launchpad_item(*tasks: tuple[str, str]) -> dict[str, Any]:
    return {
        "tracker": "launchpad",
        "id": 1,
        "tasks": [{"target": target, "status": status} for target, status in tasks],
    }


def test_a_launchpad_bug_is_fixed_once_no_project_task_is_open() -> None:
    bare = BugRef("launchpad", "", 1)

    assert is_fixed(launchpad_item(("nova", "Fix Released")), bare)
    assert is_fixed(
        launchpad_item(("nova", "Fix Committed"), ("cinder", "Invalid")), bare
    )
    assert not is_fixed(
        launchpad_item(("nova", "Fix Released"), ("cinder", "New")), bare
    )
    assert not is_fixed(launchpad_item(("nova", "Won't Fix")), bare)


def test_a_launchpad_reference_with_a_project_reads_that_project_s_task() -> None:
    item = launchpad_item(("nova", "In Progress"), ("cinder", "Fix Released"))

    assert is_fixed(item, BugRef("launchpad", "cinder", 1))
    assert not is_fixed(item, BugRef("launchpad", "nova", 1))


def test_series_tasks_do_not_hold_a_bug_open() -> None:
    item = launchpad_item(("nova", "Fix Released"), ("nova/wallaby", "Triaged"))

    assert is_fixed(item, BugRef("launchpad", "", 1))


@pytest.mark.parametrize(
    ("issue", "fixed"),
    [
        ({"status": "closed", "state_reason": "completed"}, True),
        ({"status": "closed", "state_reason": "not_planned"}, False),
        ({"status": "closed", "state_reason": None}, False),
        ({"status": "open", "state_reason": "reopened"}, False),
        ({"status": "closed", "state_reason": None, "merged": True}, True),
    ],
)
def test_a_github_issue_is_fixed_when_closed_as_completed(
    issue: dict[str, Any], fixed: bool
) -> None:
    assert is_fixed(issue, BugRef("github", "o/r", 1)) is fixed


def test_the_summary_names_the_unknown_only_when_there_are_some() -> None:
    assert tracking_summary(3, 5, 0) == "3 of 5 fixed"
    assert tracking_summary(3, 5, 1) == "3 of 5 fixed, 1 unknown"


# --- Through the fake upstream ----------------------------------------------------


def spec_sources(registry: Registry, spec: Spec) -> list[Any]:
    return [
        source
        for source in collect_sources(registry, KINDS, [spec])
        if ".spec-tracking." in source.id
    ]


def test_tracked_bugs_are_fetched_and_counted(
    registry: Registry,
    fetch_sources: Callable[..., FetchReport],
    folder: Path,
) -> None:
    spec = make_spec(FIXED_LP, FIXED_LP_PROJECT, ABSENT_LP, FIXED_GH, OPEN_GH)
    sources = spec_sources(registry, spec)
    assert [source.id for source in sources] == [
        "quality.bugs.spec-tracking.github",
        "quality.bugs.spec-tracking.launchpad",
    ]

    report = fetch_sources(sources)
    (figure,) = progress(spec, None, reader(folder))

    assert report.state("quality.bugs.spec-tracking.launchpad") == "incomplete"
    assert figure.key == "tracking"
    assert figure.label == "Tracking bugs"
    assert figure.summary == "3 of 5 fixed, 1 unknown"
    assert (figure.done, figure.total) == (3, 5)
    assert figure.sources == (
        "quality.bugs.spec-tracking.github",
        "quality.bugs.spec-tracking.launchpad",
    )
    assert [link.text for link in figure.links] == [
        "#1458945 (fixed)",
        "sahara#1458945 (fixed)",
        "#9999999 (unknown)",
        "PyGithub/PyGithub#28 (fixed)",
        "PyGithub/PyGithub#3379 (open)",
    ]
    assert figure.links[3].url == FIXED_GH


def test_a_missing_bug_is_left_out_and_named(
    registry: Registry, fetch_sources: Callable[..., FetchReport], folder: Path
) -> None:
    spec = make_spec(FIXED_LP, ABSENT_LP)

    fetch_sources(spec_sources(registry, spec))
    status = load_status(folder)["quality.bugs.spec-tracking.launchpad"]

    assert status.state == "incomplete"
    assert status.error_kind == "http-404"
    assert ABSENT_LP in status.error


def test_a_garbled_bug_is_left_out_and_the_rest_lands(
    registry: Registry,
    fetch_sources: Callable[..., FetchReport],
    folder: Path,
    recordings: Recordings,
) -> None:
    garbled = dict(recordings.with_launchpad_tasks("sahara", 1).launchpad_tasks[-1])
    del garbled["status"]
    recordings.launchpad_tasks.append(garbled)  # served from the next request on
    spec = make_spec(FIXED_LP, str(bug_number(garbled)))

    fetch_sources(spec_sources(registry, spec))
    status = load_status(folder)["quality.bugs.spec-tracking.launchpad"]
    (figure,) = progress(spec, None, reader(folder))

    assert (status.state, status.error_kind) == ("incomplete", "schema")
    assert figure.summary == "1 of 2 fixed, 1 unknown"


def test_a_tracker_outage_keeps_the_last_good_bugs(
    registry: Registry,
    fetch_sources: Callable[..., FetchReport],
    folder: Path,
    upstream: FakeUpstream,
    clock: Any,
) -> None:
    spec = make_spec(FIXED_LP)
    sources = spec_sources(registry, spec)
    fetch_sources(sources)
    clock.advance(days=1)
    upstream.fail("launchpad.bug", Fault.server_error(503))

    report = fetch_sources(sources)
    (figure,) = progress(spec, None, reader(folder))

    assert report.state("quality.bugs.spec-tracking.launchpad") == "stale"
    assert figure.summary == "1 of 1 fixed"


def test_bugs_never_fetched_are_unknown(tmp_path: Path) -> None:
    spec = make_spec(FIXED_LP, FIXED_GH)

    (figure,) = progress(spec, None, reader(tmp_path / "none"))

    assert figure.summary == "0 of 2 fixed, 2 unknown"
    assert figure.detail["unknown"] == 2


def test_an_entry_no_tracker_can_answer_is_unknown(tmp_path: Path) -> None:
    (figure,) = progress(
        make_spec("https://example.org/x/1"), None, reader(tmp_path / "none")
    )

    assert figure.summary == "0 of 1 fixed, 1 unknown"
    assert figure.sources == ()


def test_a_spec_that_tracks_nothing_has_no_figure(tmp_path: Path) -> None:
    assert progress(make_spec(), None, reader(tmp_path)) == []


def test_specs_of_other_workgroups_add_no_sources(registry: Registry) -> None:
    spec = dataclasses.replace(make_spec(FIXED_LP), workgroup="nobody")

    assert spec_sources(registry, spec) == []


def test_the_record_derives_tracks_and_reads_progress(registry: Registry) -> None:
    workgroup = registry.workgroups["quality"]

    assert RECORD.spec_tracks_of([make_spec(FIXED_LP)], workgroup)
    assert RECORD.spec_progress_of(make_spec(), None, lambda _: None) == []
