"""The ``ci`` tracks of workgroup charters, each a snapshot source."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from crosswork.kinds.ci import KIND
from crosswork.workgroups.model import Workgroup


@dataclass(frozen=True)
class CiTrack:
    """One followed set of Zuul builds, as a charter declares it."""

    workgroup: str
    name: str
    title: str
    tenant: str
    projects: tuple[str, ...] = ()
    pipelines: tuple[str, ...] = ()
    jobs: tuple[str, ...] = ()
    window: str = ""

    @classmethod
    def from_track(cls, workgroup: str, track: Mapping[str, Any]) -> CiTrack:
        """From a schema-valid ``tracks.ci`` entry."""
        window = track["window"]
        days, builds = window.get("days"), window.get("builds")
        return cls(
            workgroup=workgroup,
            name=track["name"],
            title=track.get("title") or f"CI builds {track['name']}",
            tenant=track["tenant"],
            projects=tuple(track.get("projects", ())),
            pipelines=tuple(track.get("pipelines", ())),
            jobs=tuple(track.get("jobs", ())),
            window=f"the last {days} days"
            if days
            else f"the last {builds} builds per job",
        )

    @property
    def source_id(self) -> str:
        return f"{self.workgroup}.{KIND}.{self.name}"

    def followed(self) -> list[tuple[str, str]]:
        """The (pipeline, job) pairs named outright (no wildcard)."""
        return [
            (pipeline, job)
            for pipeline in self.pipelines
            for job in self.jobs
            if "*" not in pipeline and "*" not in job
        ]


def ci_tracks(workgroups: Iterable[Workgroup]) -> list[CiTrack]:
    """Every CI track, by workgroup, in declaration order."""
    return [
        CiTrack.from_track(workgroup.slug, track)
        for workgroup in workgroups
        for track in workgroup.tracks.get(KIND, [])
    ]


def find_track(tracks: Sequence[CiTrack], source_id: str) -> CiTrack | None:
    return next((t for t in tracks if t.source_id == source_id), None)
