"""Sources: the bug tracks of the charters, each with a stable id."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from crosswork.fetch.endpoints import DEFAULT_BASES
from crosswork.fetch.sources import (
    SourceError,
    collect_sources,
    select_sources,
    source_id,
    sources_of,
)
from crosswork.kinds import KINDS
from crosswork.kinds.bugs.provider import BugQuery
from crosswork.workgroups.model import Workgroup
from crosswork.workgroups.registry import Registry, load_registry


@pytest.fixture
def registry(repo_root: Path) -> Registry:
    registry, problems = load_registry(repo_root / "workgroups", repo_root, kinds=KINDS)
    assert problems == []
    return registry


def with_tracks(workgroup: Workgroup, *tracks: dict[str, Any]) -> Workgroup:
    return dataclasses.replace(workgroup, tracks={"bugs": list(tracks)})


def test_ids_name_the_workgroup_the_kind_and_the_track() -> None:
    assert source_id("quality", "bugs", "nova") == "quality.bugs.nova"


def test_every_charter_track_becomes_a_source(registry: Registry) -> None:
    sources = collect_sources(registry, KINDS)

    assert [source.id for source in sources] == [
        "common.adoption.oslo",
        "common.bugs.pygithub",
        "consistency.bugs.nova-libvirt",
        "consistency.matrices.nova",
        "consistency.matrices.nova-2020",
        "quality.bugs.neutron",
        "quality.bugs.nova",
        "quality.bugs.nova-triage",
        "quality.bugs.sahara-fixed",
        "quality.ci.integrated",
        "security.advisories.libraries",
        "security.advisories.ossa",
        "security.advisories.services",
        "security.bugs.barbican",
        "security.bugs.nova-security",
    ]
    assert all(source.service in DEFAULT_BASES for source in sources)


def test_a_track_keeps_its_filters(registry: Registry) -> None:
    sources = {source.id: source for source in collect_sources(registry, KINDS)}

    assert sources["security.bugs.nova-security"].query == BugQuery(
        "launchpad",
        "nova",
        status=("New", "Confirmed", "Triaged", "In Progress"),
        tags=("security",),
    )
    assert sources["common.bugs.pygithub"].query == BugQuery(
        "github", "PyGithub/PyGithub", labels=("bug",), state="all"
    )


def test_sources_follow_the_declaration_order_within_a_workgroup(
    registry: Registry,
) -> None:
    quality = with_tracks(
        registry["quality"],
        {"name": "zeta", "tracker": "launchpad", "project": "nova", "status": ["New"]},
        {"name": "alpha", "tracker": "github", "project": "a/b"},
    )

    assert [source.name for source in sources_of(quality, KINDS)] == ["zeta", "alpha"]
    assert sources_of(quality, KINDS)[1].query.state == "open"


def test_a_workgroup_without_bug_tracks_has_no_sources(registry: Registry) -> None:
    assert sources_of(dataclasses.replace(registry["common"], tracks={}), KINDS) == []


def test_a_track_name_used_twice_in_a_workgroup_is_an_error(
    registry: Registry,
) -> None:
    track = {
        "name": "nova",
        "tracker": "launchpad",
        "project": "nova",
        "status": ["New"],
    }
    quality = with_tracks(registry["quality"], track, {**track, "project": "neutron"})

    with pytest.raises(SourceError, match="track name 'nova' is used twice"):
        collect_sources([quality], KINDS)


def test_the_same_track_name_in_two_workgroups_is_two_sources(
    registry: Registry,
) -> None:
    track = {
        "name": "nova",
        "tracker": "launchpad",
        "project": "nova",
        "status": ["New"],
    }

    sources = collect_sources(
        [
            with_tracks(registry["quality"], track),
            with_tracks(registry["security"], track),
        ],
        KINDS,
    )

    assert [source.id for source in sources] == [
        "quality.bugs.nova",
        "security.bugs.nova",
    ]


def test_selecting_sources_keeps_their_order(registry: Registry) -> None:
    sources = collect_sources(registry, KINDS)

    chosen = select_sources(sources, ["security.bugs.barbican", "common.bugs.pygithub"])

    assert [source.id for source in chosen] == [
        "common.bugs.pygithub",
        "security.bugs.barbican",
    ]
    assert select_sources(sources, []) == sources


def test_selecting_an_unknown_source_is_an_error(registry: Registry) -> None:
    with pytest.raises(SourceError, match=r"unknown source\(s\): quality\.bugs\.x$"):
        select_sources(
            collect_sources(registry, KINDS), ["quality.bugs.x", "quality.bugs.nova"]
        )
