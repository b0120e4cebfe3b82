"""The state of every data source, for the site status page.

A row per source: those the status file knows and those the charters
declare but no fetch has reached yet. The date of the snapshot as a whole
is the status file's ``updated_at``, the end of the last fetch run.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from crosswork.fetch.snapshot import STATUS_FILE, SourceStatus, parse_time
from crosswork.fetch.view import reader_reason, reader_time

log = logging.getLogger("crosswork.fetch")

NEVER = "never fetched"


@dataclass(frozen=True)
class SourceRow:
    source: str
    workgroup: str
    kind: str
    state: str
    items: str
    fetched_at: str
    validated_at: str
    error: str


def source_rows(
    statuses: Mapping[str, SourceStatus], declared: Iterable[str]
) -> list[SourceRow]:
    """Every known or declared source, by id; times in UTC, "—" when unknown."""
    rows = []
    for source in sorted(set(statuses) | set(declared)):
        workgroup, kind, _ = source.split(".", 2)
        status = statuses.get(source)
        if status is None:
            rows.append(
                SourceRow(source, workgroup, kind, "missing", "—", "—", "—", NEVER)
            )
            continue
        items = "—" if status.count is None else str(status.count)
        if status.complete is False:
            items += " (incomplete)"
        error = reader_reason(status.error_kind) if status.error_kind else "—"
        rows.append(
            SourceRow(
                source,
                workgroup,
                kind,
                status.state,
                items,
                _time(status.fetched_at),
                _time(status.validated_at),
                error,
            )
        )
    return rows


def _time(moment: dt.datetime | None) -> str:
    return "—" if moment is None else reader_time(moment)


def snapshot_time(folder: Path) -> dt.datetime | None:
    """When the last fetch run ended (``updated_at``), or None without one."""
    try:
        document = json.loads((folder / STATUS_FILE).read_bytes())
        return parse_time(document["updated_at"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        log.warning("%s has no readable updated_at, ignoring it", STATUS_FILE)
        return None
