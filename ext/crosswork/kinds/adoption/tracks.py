"""The ``adoption`` tracks of workgroup charters.

A track names services, each by the path of its requirements file on the
``files`` service, the libraries to follow (names and patterns such as
``oslo.*``), optional groups of libraries with a meaning, and the
community's global requirements and upper-constraints files. It becomes
the snapshot source ``<workgroup>.adoption.<name>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from crosswork.kinds.adoption import KIND
from crosswork.workgroups.model import Workgroup

#: The upstream service of requirements files.
SERVICE = "files"


@dataclass(frozen=True)
class AdoptionTrack:
    """One declared adoption track."""

    workgroup: str
    name: str
    title: str
    services: tuple[tuple[str, str], ...]
    libraries: tuple[str, ...]
    groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    global_path: str = ""
    constraints_path: str = ""

    @classmethod
    def from_track(cls, workgroup: str, track: Mapping[str, Any]) -> AdoptionTrack:
        """From a schema-valid ``tracks.adoption`` entry."""
        return cls(
            workgroup=workgroup,
            name=track["name"],
            title=track.get("title") or f"Shared-library adoption {track['name']}",
            services=tuple((s["name"], s["path"]) for s in track["services"]),
            libraries=tuple(track["libraries"]),
            groups={g: tuple(libs) for g, libs in (track.get("groups") or {}).items()},
            global_path=track.get("global", ""),
            constraints_path=track.get("constraints", ""),
        )

    @property
    def source_id(self) -> str:
        return f"{self.workgroup}.{KIND}.{self.name}"


def adoption_tracks(workgroups: Iterable[Workgroup]) -> list[AdoptionTrack]:
    return [
        AdoptionTrack.from_track(workgroup.slug, track)
        for workgroup in workgroups
        for track in workgroup.tracks.get(KIND, [])
    ]
