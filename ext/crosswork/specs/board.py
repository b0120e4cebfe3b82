"""The specs board: what the snapshot says about every spec, in one place.

A tracking board in the spirit of Kubernetes enhancements and PEP 0: the
specs under review (open proposals, oldest activity first) and the specs in
progress (approved, with their figures), computed once from the data kinds'
hooks (:mod:`crosswork.specs.progress`) and shown alike by the pages,
``api/specs.json`` and ``crosswork specs``. Pure: no Sphinx.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from crosswork.fetch.sources import source_id
from crosswork.specs.model import Spec
from crosswork.specs.progress import Progress, Proposal, Read

if TYPE_CHECKING:
    from crosswork.datakind import DataKind
    from crosswork.site.data import SiteData

#: A spec whose work is under way: approved, not yet implemented.
IN_PROGRESS_STATUSES = frozenset({"approved"})


@dataclass(frozen=True)
class SpecState:
    """A spec with the figures the data kinds give for it."""

    spec: Spec
    progress: tuple[Progress, ...] = ()

    def figure(self, key: str) -> Progress | None:
        return next((item for item in self.progress if item.key == key), None)

    @property
    def review_state(self) -> str:
        """``open``, ``merged`` or ``abandoned``; "" when no review is known."""
        review = self.figure("review")
        return review.state if review else ""

    def to_json(self) -> dict[str, Any]:
        return {item.key: item.to_json() for item in self.progress}


def spec_state(
    spec: Spec, site: SiteData, kinds: Iterable[DataKind], read: Read
) -> SpecState:
    figures = [
        item for kind in kinds for item in kind.spec_progress_of(spec, site, read)
    ]
    return SpecState(spec, tuple(figures))


def open_proposals(
    site: SiteData, kinds: Iterable[DataKind], read: Read
) -> list[Proposal]:
    """Every open review of a spec file, once, oldest activity first: the
    proposals waiting longest for a reviewer lead."""
    by_url: dict[str, Proposal] = {}
    for kind in kinds:
        for proposal in kind.proposals_of(site, read):
            by_url.setdefault(proposal.url, proposal)
    return sorted(by_url.values(), key=lambda item: (item.updated, item.url))


def proposal_sources(site: SiteData, kinds: Iterable[DataKind]) -> list[str]:
    """The sources that could hold proposals: tracks of kinds that give them."""
    return [
        source_id(workgroup.slug, kind.name, track["name"])
        for kind in kinds
        if kind.proposals
        for workgroup in site.registry.workgroups.values()
        for track in workgroup.tracks.get(kind.name, [])
    ]


def proposals_of(proposals: Sequence[Proposal], workgroup: str) -> list[Proposal]:
    """The proposals of one workgroup's specs, or naming it as their owner."""
    return [item for item in proposals if item.workgroup == workgroup]


def in_progress(states: Iterable[SpecState]) -> list[SpecState]:
    """Approved specs, oldest first: the work the community signed up for."""
    chosen = [state for state in states if state.spec.status in IN_PROGRESS_STATUSES]
    return sorted(chosen, key=lambda state: (state.spec.created, state.spec.id))


def matches(
    spec: Spec,
    *,
    workgroup: str = "",
    status: str = "",
    cycle: str = "",
) -> bool:
    """Whether a spec passes the filters of ``crosswork specs`` (empty = any)."""
    return (
        (not workgroup or workgroup in (spec.workgroup, *spec.participating))
        and (not status or spec.status == status)
        and (not cycle or spec.cycle == cycle)
    )


def age_in_words(since: dt.datetime, now: dt.datetime) -> str:
    """How long ago, for a reader: "less than a day", "1 day", "12 days"."""
    days = (now - since).days
    if days <= 0:
        return "less than a day"
    return f"{days} day{'' if days == 1 else 's'}"


def spec_json(spec: Spec, state: SpecState, page: str | None = None) -> dict[str, Any]:
    """A spec's record in ``api/specs.json`` (with its ``page``) and
    ``crosswork specs`` (without)."""
    record: dict[str, Any] = {
        "id": spec.id,
        "slug": spec.slug,
        "title": spec.title,
        "status": spec.status,
        "workgroup": spec.workgroup,
        "cycle": spec.cycle,
        "authors": list(spec.authors),
        "created": spec.created.isoformat(),
        "review": spec.review or None,
        "tracking": list(spec.tracking),
        "participating": list(spec.participating),
        "reviewers": list(spec.reviewers),
        "approvers": list(spec.approvers),
        "discussion": spec.discussion or None,
        "closes_gaps": [
            {
                "track": target.track,
                "driver": target.driver,
                "all": not target.features,
                "features": list(target.features),
            }
            for target in spec.closes_gaps
        ],
        "supersedes": list(spec.supersedes),
        "superseded_by": spec.superseded_by or None,
        "implemented_in": spec.implemented_in or None,
        "review_state": state.review_state or None,
        "progress": state.to_json(),
    }
    if page is not None:
        record["page"] = page
    return record
