"""The bug tracks charters declare, with the words pages describe them in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import cast

from crosswork.fetch.sources import Source, sources_of
from crosswork.kinds.bugs import RECORD
from crosswork.kinds.bugs.provider import BugQuery
from crosswork.kinds.bugs.vocabulary import NEW, TRACKER_NAMES
from crosswork.site.data import SiteData


@dataclass(frozen=True)
class Track:
    """A bug track: its source and the charter file declaring it."""

    source: Source
    charter: Path

    @property
    def id(self) -> str:
        return self.source.id

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def workgroup(self) -> str:
        return self.source.workgroup

    @property
    def query(self) -> BugQuery:
        return cast("BugQuery", self.source.query)

    @property
    def path(self) -> str:
        """``workgroup/name``: how pages name the track."""
        return f"{self.workgroup}/{self.name}"

    @property
    def label(self) -> str:
        """Where the data comes from: "Launchpad project nova"."""
        kind = "repository" if self.query.tracker == "github" else "project"
        return f"{TRACKER_NAMES[self.query.tracker]} {kind} {self.query.project}"

    @property
    def search(self) -> str:
        """The track's search in words."""
        return "; ".join([self.label, *self.query.filters()]) + "."

    @property
    def can_hold_untriaged(self) -> bool:
        """Launchpad searches that return New bugs feed the triage queue."""
        return self.query.tracker == "launchpad" and NEW in self.query.status


def bug_tracks(site: SiteData) -> list[Track]:
    """Every bug track, by workgroup, in declaration order."""
    return [
        Track(source, site.path(workgroup.source))
        for workgroup in site.registry
        for source in sources_of(workgroup, [RECORD])
    ]
