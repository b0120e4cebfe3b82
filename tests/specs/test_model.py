"""The vocabulary of spec metadata: statuses, cycles, slugs and ids."""

from __future__ import annotations

from datetime import date

import pytest

from crosswork.specs.model import (
    DEAD_STATUSES,
    STATUSES,
    Spec,
    cycle_key,
    is_cycle,
    is_slug,
    is_spec_id,
)


def test_statuses_follow_the_lifecycle_from_draft_to_its_ends():
    assert STATUSES == (
        "draft",
        "proposed",
        "approved",
        "implemented",
        "deferred",
        "rejected",
        "withdrawn",
        "superseded",
    )


def test_dead_statuses_are_the_ends_nobody_works_on_and_deferred_is_not_one():
    assert frozenset({"rejected", "withdrawn", "superseded"}) == DEAD_STATUSES
    assert "deferred" not in DEAD_STATUSES
    assert set(STATUSES) >= DEAD_STATUSES


@pytest.mark.parametrize("text", ["2026.1", "2026.2", "2031.1"])
def test_a_cycle_is_a_year_and_its_half(text):
    assert is_cycle(text)


@pytest.mark.parametrize(
    "text", ["2026.3", "2026.0", "26.1", "2026.10", "2026", " 2026.1"]
)
def test_other_shapes_are_not_cycles(text):
    assert not is_cycle(text)


def test_cycles_sort_by_year_then_half():
    cycles = ["2027.1", "2026.2", "2026.1"]
    assert sorted(cycles, key=cycle_key) == ["2026.1", "2026.2", "2027.1"]


@pytest.mark.parametrize(
    "text", ["bug-triage-squads", "tls-1-3", "a", "2fa-everywhere"]
)
def test_slugs_are_lower_case_words_joined_by_hyphens(text):
    assert is_slug(text)


@pytest.mark.parametrize(
    "text", ["Bug-Triage", "bug_triage", "bug--triage", "-bug", "bug-", ""]
)
def test_other_names_are_not_slugs(text):
    assert not is_slug(text)


def test_a_spec_id_is_a_cycle_and_a_slug():
    assert is_spec_id("2027.1/bug-triage-squads")
    assert not is_spec_id("bug-triage-squads")
    assert not is_spec_id("2027.3/bug-triage-squads")
    assert not is_spec_id("2027.1/Bug")


def test_a_spec_is_identified_by_its_cycle_and_slug():
    spec = Spec(
        slug="bug-triage-squads",
        cycle="2027.1",
        title="Bug triage squads",
        status="proposed",
        workgroup="quality",
        authors=("Chiara Mbeki",),
        created=date(2026, 11, 3),
        review="",
        tracking=(),
        supersedes=(),
        superseded_by="",
        implemented_in="",
        path="specs/2027.1/bug-triage-squads.rst",
        title_line=2,
    )
    assert spec.id == "2027.1/bug-triage-squads"
