"""The status ledger: named statuses, night by night, one entry per change.

The nightly fetch records every spec's status here (``spec-statuses.json``
in the snapshot), because a spec file says what its status is, not when it
changed; :mod:`crosswork.specs.ledger` turns the entries into events. The
ledger knows ids and statuses only.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from crosswork.atomicfile import write_if_changed

LEDGER_FILE = "spec-statuses.json"
SCHEMA_VERSION = 1

log = logging.getLogger("crosswork.fetch")

#: ``{id: [(day, status), ...]}``, oldest first, one entry per change.
Ledger = dict[str, list[tuple[dt.date, str]]]


def record_statuses(
    ledger: Ledger, statuses: Mapping[str, str], day: dt.date
) -> Ledger:
    """The ledger with tonight's statuses: an entry only where one changed.

    An id that is gone keeps its entries (its events stay true); a run
    repeated on one day replaces that day's entry.
    """
    result = {name: list(entries) for name, entries in ledger.items()}
    for name, status in statuses.items():
        entries = [entry for entry in result.get(name, []) if entry[0] != day]
        if not entries or entries[-1][1] != status:
            entries.append((day, status))
        result[name] = entries
    return result


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
