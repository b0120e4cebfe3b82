"""The specs board: figures gathered from every kind, proposals once each,
approved specs as the work in progress, and the filters of ``crosswork specs``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from crosswork.fetch.view import SourceView
from crosswork.kinds import KINDS
from crosswork.layout import Layout
from crosswork.site.data import SiteData, load_site
from crosswork.specs.board import (
    SpecState,
    age_in_words,
    in_progress,
    matches,
    open_proposals,
    spec_json,
    spec_state,
)
from crosswork.specs.progress import Link, Progress, Proposal

SITE = Path(__file__).resolve().parents[1] / "roots" / "test-site" / "repo"
UTC = dt.UTC


def moment(day: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, 12, 0, tzinfo=UTC)


def review_figures(spec, site, read) -> list[Progress]:
    read("alpha.reviews.specs")
    return [Progress("review", "Review", "Code-Review +2 (1)", state="open")]


def bug_figures(spec, site, read) -> list[Progress]:
    return [Progress("tracking", "Tracking bugs", "1 of 2 fixed", done=1, total=2)]


def proposals_a(site, read) -> list[Proposal]:
    return [proposal("https://review.opendev.org/c/x/+/2", 20), proposal(URL_1, 10)]


def proposals_b(site, read) -> list[Proposal]:
    return [dataclasses.replace(proposal(URL_1, 10), title="seen twice")]


URL_1 = "https://review.opendev.org/c/x/+/1"


def proposal(url: str, day: int) -> Proposal:
    return Proposal(
        title=f"change {url[-1]}",
        path="specs/2027.1/new.rst",
        spec_id="",
        workgroup="alpha",
        url=url,
        service="Gerrit",
        number=int(url[-1]),
        owner="Ana",
        created=moment(1),
        updated=moment(day),
    )


def kind_with(**hooks: str):
    """A real record with test hooks in place of its own."""
    base = next(kind for kind in KINDS if kind.name == "bugs")
    return dataclasses.replace(
        base,
        spec_progress=hooks.get("spec_progress", ""),
        proposals=hooks.get("proposals", ""),
    )


@pytest.fixture(scope="module")
def site() -> SiteData:
    return load_site(Layout(SITE), dt.date(2026, 11, 27), KINDS)


def no_data(source_id: str) -> SourceView:
    return SourceView(source_id, None, None, "absent")


def test_a_spec_state_gathers_each_kinds_figures_in_kind_order(site):
    kinds = [
        kind_with(spec_progress=f"{__name__}:review_figures"),
        kind_with(),
        kind_with(spec_progress=f"{__name__}:bug_figures"),
    ]
    read_ids: list[str] = []

    def read(source_id: str) -> SourceView:
        read_ids.append(source_id)
        return no_data(source_id)

    state = spec_state(site.specs[0], site, kinds, read)
    assert [figure.key for figure in state.progress] == ["review", "tracking"]
    assert state.review_state == "open"
    assert state.figure("tracking").summary == "1 of 2 fixed"
    assert state.figure("gaps") is None
    assert read_ids == ["alpha.reviews.specs"]


def test_without_a_review_figure_the_review_state_is_empty(site):
    assert SpecState(site.specs[0]).review_state == ""


def test_each_proposal_is_listed_once_oldest_activity_first(site):
    kinds = [
        kind_with(proposals=f"{__name__}:proposals_a"),
        kind_with(proposals=f"{__name__}:proposals_b"),
    ]
    found = open_proposals(site, kinds, no_data)
    assert [item.url for item in found] == [URL_1, "https://review.opendev.org/c/x/+/2"]
    assert found[0].title == "change 1"  # the first kind's record is kept


def test_in_progress_is_approved_specs_oldest_first(site):
    specs = [
        dataclasses.replace(site.specs[0], slug="b", status="approved"),
        dataclasses.replace(site.specs[0], slug="c", status="implemented"),
        dataclasses.replace(
            site.specs[0], slug="a", status="approved", created=dt.date(2020, 1, 1)
        ),
    ]
    chosen = in_progress(SpecState(spec) for spec in specs)
    assert [state.spec.slug for state in chosen] == ["a", "b"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, True),
        ({"workgroup": "alpha"}, True),
        ({"workgroup": "beta"}, True),  # taking part counts
        ({"workgroup": "gamma"}, False),
        ({"status": "approved"}, True),
        ({"status": "draft"}, False),
        ({"cycle": "2027.1"}, True),
        ({"cycle": "2026.2"}, False),
        ({"workgroup": "alpha", "status": "draft"}, False),
    ],
)
def test_filters_of_the_specs_command(site, filters, expected):
    spec = dataclasses.replace(
        site.specs[0],
        workgroup="alpha",
        participating=("beta",),
        status="approved",
        cycle="2027.1",
    )
    assert matches(spec, **filters) is expected


@pytest.mark.parametrize(
    ("hours", "words"),
    [
        (0, "less than a day"),
        (23, "less than a day"),
        (24, "1 day"),
        (24 * 12, "12 days"),
    ],
)
def test_age_in_words(hours, words):
    assert age_in_words(moment(1), moment(1) + dt.timedelta(hours=hours)) == words


def test_the_record_carries_the_figures_by_key_and_the_page_url(site):
    figure = Progress(
        "tracking",
        "Tracking bugs",
        "1 of 2 fixed",
        done=1,
        total=2,
        links=(Link("nova 1", "https://bugs.launchpad.net/nova/+bug/1"),),
        sources=("alpha.bugs.spec-tracking",),
    )
    state = SpecState(site.specs[0], (figure,))
    record = spec_json(state.spec, state, "specs/x.html")
    assert record["page"] == "specs/x.html"
    assert record["review_state"] is None
    assert record["progress"] == {
        "tracking": {
            "label": "Tracking bugs",
            "summary": "1 of 2 fixed",
            "done": 1,
            "total": 2,
            "state": None,
            "updated": None,
            "links": [
                {"text": "nova 1", "url": "https://bugs.launchpad.net/nova/+bug/1"}
            ],
            "sources": ["alpha.bugs.spec-tracking"],
        }
    }
    assert "page" not in spec_json(state.spec, state)


def crosswork(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crosswork.cli", "--root", str(SITE), "specs", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_specs_command_lists_specs_with_their_status(site):
    result = crosswork()
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines == [
        f"{spec.id}  {spec.status}  {spec.workgroup}  {spec.title}"
        for spec in site.specs
    ]


def test_the_specs_command_filters_and_prints_json(site):
    result = crosswork("--status", "superseded", "--format", "json")
    data = json.loads(result.stdout)
    expected = [spec.id for spec in site.specs if spec.status == "superseded"]
    assert expected
    assert [record["id"] for record in data["specs"]] == expected
    assert data["schema_version"] == 2


def test_under_review_says_when_no_review_is_followed():
    result = crosswork("--under-review")
    assert result.returncode == 0
    assert result.stdout == (
        "No code review is followed: no charter has a reviews track.\n"
    )
