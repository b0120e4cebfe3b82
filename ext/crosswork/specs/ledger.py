"""The status ledger: each spec's status, night by night, and the events in it.

A spec's status lives in its file, which says what it is now, not when it
changed. The nightly fetch records every spec's status in the snapshot
(``spec-statuses.json``); a change between two nights is an event for the
spec feeds: an approval, an implementation, any other status change. The
day of an event is the first night the new status was seen, so a feed
entry may come up to a day after the merge that made it. A spec's first
event is its creation, on its ``Created`` date.

Pure: reading and writing go through :mod:`crosswork.atomicfile`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crosswork.atomicfile import write_if_changed
from crosswork.specs.model import Spec

LEDGER_FILE = "spec-statuses.json"
SCHEMA_VERSION = 1

log = logging.getLogger("crosswork.fetch")

#: ``{spec id: [(day, status), ...]}``, oldest first, one entry per change.
Ledger = dict[str, list[tuple[dt.date, str]]]


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


def record_statuses(ledger: Ledger, specs: Iterable[Spec], day: dt.date) -> Ledger:
    """The ledger with tonight's statuses: an entry only where one changed.

    A spec that is gone keeps its entries (its events stay true); a run
    repeated on one day replaces that day's entry.
    """
    result = {spec_id: list(entries) for spec_id, entries in ledger.items()}
    for spec in specs:
        entries = [entry for entry in result.get(spec.id, []) if entry[0] != day]
        if not entries or entries[-1][1] != spec.status:
            entries.append((day, spec.status))
        result[spec.id] = entries
    return result


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


def load_ledger(folder: Path) -> Ledger:
    try:
        document = json.loads((folder / LEDGER_FILE).read_bytes())
        return {
            spec_id: [
                (dt.date.fromisoformat(day), str(status)) for day, status in entries
            ]
            for spec_id, entries in document["specs"].items()
        }
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        log.warning("%s is malformed, starting a new ledger", LEDGER_FILE)
        return {}


def write_ledger(folder: Path, ledger: Ledger) -> bool:
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "specs": {
            spec_id: [[day.isoformat(), status] for day, status in entries]
            for spec_id, entries in sorted(ledger.items())
        },
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return write_if_changed(folder / LEDGER_FILE, text.encode())
