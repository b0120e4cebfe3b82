"""The ``reviews`` tracks of workgroup charters, each a snapshot source."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from crosswork.fetch.sources import source_id
from crosswork.kinds.reviews import KIND
from crosswork.kinds.reviews.model import SERVICE_NAMES
from crosswork.kinds.reviews.provider import ReviewQuery
from crosswork.workgroups.model import Workgroup


@dataclass(frozen=True)
class ReviewTrack:
    """One followed specs repository, as a charter declares it."""

    workgroup: str
    name: str
    title: str
    query: ReviewQuery

    @classmethod
    def from_track(cls, workgroup: str, track: Mapping[str, Any]) -> ReviewTrack:
        """From a schema-valid ``tracks.reviews`` entry."""
        query = ReviewQuery.from_track(track)
        return cls(
            workgroup=workgroup,
            name=track["name"],
            title=track.get("title") or f"Spec reviews of {query.project}",
            query=query,
        )

    @property
    def source_id(self) -> str:
        return source_id(self.workgroup, KIND, self.name)

    @property
    def label(self) -> str:
        """How notices name the track's origin: "Gerrit openstack/x-specs"."""
        return f"{SERVICE_NAMES[self.query.service]} {self.query.project}"


def review_tracks(workgroups: Iterable[Workgroup]) -> list[ReviewTrack]:
    """Every review track, by workgroup, in declaration order."""
    return [
        ReviewTrack.from_track(workgroup.slug, track)
        for workgroup in workgroups
        for track in workgroup.tracks.get(KIND, [])
    ]
