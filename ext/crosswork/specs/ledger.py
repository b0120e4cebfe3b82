"""Spec events, from the status ledger (:mod:`crosswork.fetch.ledger`).

A spec's status lives in its file, which says what it is now, not when it
changed. The nightly fetch records every spec's status in the snapshot
(``spec-statuses.json``); a change between two nights is an event for the
spec feeds: an approval, an implementation, any other status change. The
day of an event is the first night the new status was seen, so a feed
entry may come up to a day after the merge that made it. A spec's first
event is its creation, on its ``Created`` date.

Pure.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from crosswork.specs.model import Spec


@dataclass(frozen=True)
class SpecEvent:
    """Something that happened to a spec, for the feeds."""

    spec_id: str
    workgroup: str
    #: ``created``, ``approved``, ``implemented`` or ``status``.
    kind: str
    day: dt.date
    #: The status from then on; "" for a creation before the ledger began.
    status: str
    #: The status before, for a change.
    before: str = ""

    @property
    def key(self) -> str:
        """Unique among the spec's events and stable across builds: the
        fragment of the feed entry's id, like ``approved-2026-12-02``."""
        status = self.status if self.kind == "status" else ""
        return "-".join(
            part for part in (self.kind, status, self.day.isoformat()) if part
        )


def events(
    ledger: Mapping[str, list[tuple[dt.date, str]]], specs: Iterable[Spec]
) -> list[SpecEvent]:
    """Each spec's creation and its status changes, newest first."""
    found: list[SpecEvent] = []
    for spec in specs:
        entries = ledger.get(spec.id, [])
        first = entries[0][1] if entries else ""
        found.append(SpecEvent(spec.id, spec.workgroup, "created", spec.created, first))
        for (_, before), (day, status) in itertools.pairwise(entries):
            kind = status if status in {"approved", "implemented"} else "status"
            found.append(SpecEvent(spec.id, spec.workgroup, kind, day, status, before))
    return sorted(
        found, key=lambda event: (event.day, event.spec_id, event.key), reverse=True
    )
