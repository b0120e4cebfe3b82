"""Sources: the bug tracks of the charters, each with a stable id."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest

from crosswork.fetch.endpoints import DEFAULT_BASES
from crosswork.fetch.http import Policy
from crosswork.fetch.run import fetch_command
from crosswork.fetch.sources import (
    SourceError,
    collect_sources,
    select_sources,
    source_id,
    sources_of,
)
from crosswork.kinds import KINDS
from crosswork.kinds.bugs.provider import BugQuery
from crosswork.specs.model import Spec
from crosswork.testing.upstream import FakeUpstream
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
        "common.reviews.specs",
        "consistency.bugs.nova-libvirt",
        "consistency.matrices.nova",
        "consistency.matrices.nova-2020",
        "consistency.reviews.specs",
        "quality.bugs.neutron",
        "quality.bugs.nova",
        "quality.bugs.nova-triage",
        "quality.ci.integrated",
        "quality.reviews.specs",
        "security.advisories.libraries",
        "security.advisories.ossa",
        "security.advisories.services",
        "security.bugs.barbican",
        "security.bugs.nova-security",
        "security.reviews.specs",
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


# --- Sources derived from specs ------------------------------------------------


def tracking_spec(workgroup: str, *tracking: str, slug: str = "s") -> Spec:
    return Spec(
        slug=slug,
        cycle="2026.1",
        title="A spec",
        status="approved",
        workgroup=workgroup,
        authors=("Ann",),
        created=dt.date(2026, 1, 5),
        review="",
        tracking=tracking,
        supersedes=(),
        superseded_by="",
        implemented_in="",
        path=f"specs/2026.1/{slug}.rst",
        title_line=1,
    )


def test_specs_add_one_derived_source_per_workgroup_and_tracker(
    registry: Registry,
) -> None:
    specs = [
        tracking_spec("quality", "2001234", "https://github.com/o/r/issues/3"),
        tracking_spec("quality", "nova#2001235", slug="t"),
        tracking_spec("security", "https://bugs.launchpad.net/nova/+bug/7"),
    ]

    charter_only = {source.id for source in collect_sources(registry, KINDS)}
    sources = collect_sources(registry, KINDS, specs)
    derived = {source.id: source for source in sources if source.id not in charter_only}

    assert sorted(derived) == [
        "quality.bugs.spec-tracking.github",
        "quality.bugs.spec-tracking.launchpad",
        "security.bugs.spec-tracking.launchpad",
    ]
    assert derived["quality.bugs.spec-tracking.launchpad"].query.to_json() == {
        "tracker": "launchpad",
        "bugs": ["2001234", "2001235"],
    }
    assert derived["quality.bugs.spec-tracking.github"].service == "github"
    assert [source.id for source in sources] == sorted(s.id for s in sources)


def test_a_derived_id_keeps_out_of_the_charter_track_namespace(
    registry: Registry,
) -> None:
    specs = [tracking_spec("quality", "2001234")]

    for source in collect_sources(registry, KINDS, specs):
        charter_name = source.name.count(".") == 0
        assert charter_name == (source.name in charter_track_names(registry))


def charter_track_names(registry: Registry) -> set[str]:
    return {
        track["name"]
        for workgroup in registry
        for tracks in workgroup.tracks.values()
        for track in tracks
    }


def test_specs_without_tracking_or_of_no_charter_add_nothing(
    registry: Registry,
) -> None:
    specs = [tracking_spec("quality"), tracking_spec("nobody", "2001234", slug="t")]

    assert collect_sources(registry, KINDS, specs) == collect_sources(registry, KINDS)


def test_the_fetch_command_fetches_the_sources_specs_imply(
    upstream: FakeUpstream, repo_root: Path, tmp_path: Path, run_policy: Policy
) -> None:
    out = io.StringIO()

    code = fetch_command(
        repo_root / "workgroups",
        tmp_path,
        ["quality.bugs.spec-tracking.launchpad"],
        environ={"CROSSWORK_ENDPOINTS": upstream.endpoints()},
        policy=run_policy,
        out=out,
        specs=[tracking_spec("quality", "sahara#1458945")],
        kinds=KINDS,
    )

    assert code == 0
    assert out.getvalue() == (
        "quality.bugs.spec-tracking.launchpad: fresh, 1 item (written)\n"
    )
