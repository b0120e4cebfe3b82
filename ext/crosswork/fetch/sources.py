"""The sources to fetch: the data tracks of workgroup charters and of specs.

A source id, ``<workgroup>.<kind>.<name>``, names its snapshot file and its
entry in the status file, so it must stay stable while the track exists.
Besides the tracks a charter declares, a kind may derive tracks from the
workgroup's specs (:attr:`crosswork.datakind.DataKind.spec_tracks`): their
names hold a dot (``spec-tracking.launchpad``), which the charter schema
forbids in a track name, so a charter can never take a derived id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crosswork.datakind import DataKind
from crosswork.fetch.providers import Provider, Query
from crosswork.workgroups.model import Workgroup

if TYPE_CHECKING:
    from crosswork.specs.model import Spec

#: What every derived track name holds and no charter track name may.
DERIVED_MARK = "."


class SourceError(ValueError):
    """Tracks that cannot become sources: a repeated or an unknown id."""


@dataclass(frozen=True)
class Source:
    """One upstream query whose result is one snapshot file."""

    id: str
    workgroup: str
    kind: str
    name: str
    query: Query
    #: The provider of the source's kind, which fetches it.
    provider: Provider = field(compare=False, repr=False)

    @property
    def service(self) -> str:
        """The upstream service, a key of ``CROSSWORK_ENDPOINTS``."""
        return self.query.service


def source_id(workgroup: str, kind: str, name: str) -> str:
    return f"{workgroup}.{kind}.{name}"


def sources_of(workgroup: Workgroup, kinds: Iterable[DataKind]) -> list[Source]:
    """The sources of one workgroup's tracks, by kind, in declaration order."""
    return [
        Source(
            id=source_id(workgroup.slug, kind.name, track["name"]),
            workgroup=workgroup.slug,
            kind=kind.name,
            name=track["name"],
            query=query,
            provider=kind.load_provider(),
        )
        for kind in kinds
        for track in workgroup.tracks.get(kind.name, [])
        if (query := kind.load_provider().query(track)) is not None
    ]


def derived_sources_of(
    workgroup: Workgroup, kinds: Iterable[DataKind], specs: Sequence[Spec]
) -> list[Source]:
    """The sources of the tracks ``workgroup``'s specs imply, by kind."""
    own = [spec for spec in specs if spec.workgroup == workgroup.slug]
    if not own:
        return []
    sources = []
    for kind in kinds:
        for track in kind.spec_tracks_of(own, workgroup):
            name = track["name"]
            if DERIVED_MARK not in name:
                raise ValueError(
                    f"data kind {kind.name!r} derives track {name!r}, "
                    f"whose name lacks {DERIVED_MARK!r}: it could take a charter's"
                )
            query = kind.load_provider().query(track)
            if query is not None:
                sources.append(
                    Source(
                        id=source_id(workgroup.slug, kind.name, name),
                        workgroup=workgroup.slug,
                        kind=kind.name,
                        name=name,
                        query=query,
                        provider=kind.load_provider(),
                    )
                )
    return sources


def collect_sources(
    workgroups: Iterable[Workgroup],
    kinds: Iterable[DataKind],
    specs: Sequence[Spec] = (),
) -> list[Source]:
    """Every source of the given kinds, charter tracks and the tracks
    ``specs`` imply, sorted by id; a repeated track name is an error."""
    kinds = tuple(kinds)
    by_id: dict[str, Source] = {}
    for workgroup in workgroups:
        declared = sources_of(workgroup, kinds)
        for source in declared + derived_sources_of(workgroup, kinds, specs):
            if source.id in by_id:
                raise SourceError(
                    f"{workgroup.source or workgroup.slug}: track name "
                    f"{source.name!r} is used twice"
                )
            by_id[source.id] = source
    return [by_id[key] for key in sorted(by_id)]


def select_sources(sources: Sequence[Source], ids: Sequence[str]) -> list[Source]:
    """The sources named by ``ids`` (all if none); unknown ids are an error."""
    if not ids:
        return list(sources)
    known = {source.id for source in sources}
    unknown = sorted(set(ids) - known)
    if unknown:
        raise SourceError(f"unknown source(s): {', '.join(unknown)}")
    wanted = set(ids)
    return [source for source in sources if source.id in wanted]
