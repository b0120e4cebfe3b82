"""The state of every data source, for the site status page.

A row per source: those the status file knows and those the charters
declare but no fetch has reached yet. The date of the snapshot as a whole
is the status file's ``updated_at``, the end of the last fetch run.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from crosswork.fetch.snapshot import STATUS_FILE, SourceStatus, format_time, parse_time
from crosswork.fetch.view import reader_reason, reader_time

log = logging.getLogger("crosswork.fetch")

NEVER = "never fetched"
#: What a source the status file still knows, but no charter declares, is.
UNDECLARED = "no longer declared"


@dataclass(frozen=True)
class SourceRow:
    source: str
    #: What the source asks of whom ("Launchpad: nova, status New").
    what: str
    workgroup: str
    kind: str
    state: str
    items: str
    fetched_at: str
    validated_at: str
    error: str


def source_rows(
    statuses: Mapping[str, SourceStatus], declared: Mapping[str, str]
) -> list[SourceRow]:
    """Every known or declared source, by id; ``declared`` maps the ids of
    the declared ones to what they are. Times in UTC, "—" when unknown."""
    rows = []
    for source in sorted(set(statuses) | set(declared)):
        workgroup, kind, _ = source.split(".", 2)
        what = declared.get(source, UNDECLARED)
        status = statuses.get(source)
        if status is None:
            rows.append(
                SourceRow(
                    source, what, workgroup, kind, "missing", "—", "—", "—", NEVER
                )
            )
            continue
        items = "—" if status.count is None else str(status.count)
        if status.complete is False:
            items += " (incomplete)"
        error = reader_reason(status.error_kind) if status.error_kind else "—"
        rows.append(
            SourceRow(
                source,
                what,
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


def status_records(
    statuses: Mapping[str, SourceStatus], declared: Mapping[str, str], page: str
) -> list[dict[str, object]]:
    """Every known or declared source for ``api/status.json``, by id.

    Errors are named by kind and in reader's words, never by the message a
    fetch logged: that may hold an upstream's address.
    """
    records: list[dict[str, object]] = []
    for source in sorted(set(statuses) | set(declared)):
        workgroup, kind, name = source.split(".", 2)
        status = statuses.get(source)
        record: dict[str, object] = {
            "source": source,
            "what": declared.get(source, UNDECLARED),
            "page": page,
            "workgroup": workgroup,
            "kind": kind,
            "name": name,
            "state": "missing" if status is None else status.state,
            "count": None,
            "complete": None,
            "sample": False,
            "fetched_at": None,
            "validated_at": None,
            "checked_at": None,
            "error": None if status is not None else {"kind": None, "reason": NEVER},
        }
        if status is not None:
            record |= {
                "count": status.count,
                "complete": status.complete,
                "sample": status.sample,
                "fetched_at": _json_time(status.fetched_at),
                "validated_at": _json_time(status.validated_at),
                "checked_at": _json_time(status.checked_at),
                "error": {
                    "kind": status.error_kind,
                    "reason": reader_reason(status.error_kind),
                }
                if status.error_kind
                else None,
            }
        records.append(record)
    return records


def _json_time(moment: dt.datetime | None) -> str | None:
    return None if moment is None else format_time(moment)
