"""One advisory per vulnerability, however many databases report it.

The same vulnerability arrives as a PYSEC record, a GHSA record and an
OSSA, linked by shared identifiers. The links are not symmetric
(``PYSEC-2023-74`` names ``GHSA-j8r2-6x86-q33q``; the GHSA names only the
CVE), so records are grouped by the union of their ``id`` and ``aliases``
over all records (union-find), not by pairwise lookups.

Primary id rule: among the ids of the records in a group (never a bare
alias, which has no record here), OSSA beats GHSA beats PYSEC beats any
other database; ties go to the lowest id. An OSSA is written by the
community's own vulnerability management team, names our deliverables and
their patches, and is what operators are told to watch; a GHSA is reviewed
and carries a summary and a CVSS vector; a PYSEC record is imported from
NVD and often lacks both. A CVE never has a record of its own in these
sources, so it is always an alias.
"""

from __future__ import annotations

from collections.abc import Iterable

from crosswork.kinds.advisories.model import (
    Advisory,
    combine_packages,
    id_rank,
    newest_first,
    sort_ids,
    unique_references,
)


class _Groups:
    """Union-find over case-folded identifiers."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def join(self, first: str, second: str) -> None:
        root_first, root_second = self.find(first), self.find(second)
        if root_first != root_second:
            self.parent[max(root_first, root_second)] = min(root_first, root_second)


def group_records(advisories: Iterable[Advisory]) -> list[list[Advisory]]:
    """Records that share any identifier, transitively, grouped together."""
    records = list(advisories)
    groups = _Groups()
    for record in records:
        for identifier in record.aliases:
            groups.join(record.id.casefold(), identifier.casefold())
    grouped: dict[str, list[Advisory]] = {}
    for record in records:
        grouped.setdefault(groups.find(record.id.casefold()), []).append(record)
    return list(grouped.values())


def merge(advisories: Iterable[Advisory]) -> list[Advisory]:
    """Merge records of the same vulnerability; newest first, then by id.

    The merged advisory is dated by its primary record (an OSSA is news on
    the day the OSSA is published, even when a PYSEC record came first).

    Withdrawn records only lend their ids (as aliases) to a group that has a
    live record, so a withdrawn duplicate cannot add versions or links to a
    live advisory; a group of withdrawn records merges into a withdrawn
    advisory.
    """
    return newest_first(merge_group(group) for group in group_records(advisories))


def merge_group(records: list[Advisory]) -> Advisory:
    """One advisory from records known to describe the same vulnerability."""
    ordered = sorted(records, key=lambda r: (id_rank(r.id), r.id.casefold()))
    live = [record for record in ordered if not record.is_withdrawn]
    used = live or ordered
    primary = used[0]
    every_id = sort_ids(identifier for r in ordered for identifier in r.ids)
    published = [r.published for r in used if r.published is not None]
    return Advisory(
        id=primary.id,
        aliases=tuple(i for i in every_id if i.casefold() != primary.id.casefold()),
        title=next((r.title for r in used if r.title != r.id), primary.title),
        details=next((r.details for r in used if r.details), ""),
        ratings=tuple(dict.fromkeys(rating for r in used for rating in r.ratings)),
        affected=combine_packages(package for r in used for package in r.affected),
        published=primary.published or min(published, default=None),
        modified=max(r.modified for r in ordered),
        withdrawn=None if live else max(r.withdrawn for r in ordered if r.withdrawn),
        references=unique_references(ref for r in used for ref in r.references),
        sources=tuple(source for r in ordered for source in r.sources),
        patches=tuple(dict.fromkeys(patch for r in used for patch in r.patches)),
        errata=next((r.errata for r in used if r.errata), ""),
        errata_history=next((r.errata_history for r in used if r.errata_history), ()),
        notes=tuple(dict.fromkeys(note for r in used for note in r.notes)),
        credits=tuple(dict.fromkeys(name for r in used for name in r.credits)),
    )
