"""The snapshot on disk: one checksummed JSON file per source, plus status.

The site renders only from these files, so they must never be half
written or silently wrong: writes are atomic and skipped when the bytes
would not change, and a file whose checksum fails counts as missing.

``<source>.json`` changes only when the data (or its validators) changes,
which keeps a repeated fetch of unchanged upstreams from touching the
committed files. What changes on every run, when each source was last
confirmed and how it went, lives in ``status.json``; ``history.json``
keeps one count per source per day for trend charts, and for kinds that
whose provider has a breakdown named figures beside it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from crosswork.atomicfile import write_if_changed

log = logging.getLogger("crosswork.fetch")

SCHEMA_VERSION = 1
STATUS_FILE = "status.json"
HISTORY_FILE = "history.json"
#: Daily entries kept per source in ``history.json`` (over a year).
HISTORY_CAP = 400

#: Outcome of a source, as the status file and the site name it.
STATES = ("fresh", "not-modified", "incomplete", "stale", "missing")

_SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)+$")
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def dump_json(value: Any) -> bytes:
    """Deterministic JSON: sorted keys, indented, UTF-8, final newline."""
    return (
        json.dumps(value, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    ).encode()


def format_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime(_TIME_FORMAT)


def parse_time(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=dt.UTC)


def remove_temporaries(folder: Path) -> None:
    """Drop temporary files that a killed writer left behind."""
    for leftover in folder.glob(".*.tmp"):
        leftover.unlink(missing_ok=True)


@dataclass(frozen=True)
class Validators:
    """What a conditional request sends back to the upstream.

    ``auth`` says whether they were obtained with a token: GitHub ties
    ETags to the credentials, so they are reused only under the same mode.
    """

    etag: str | None = None
    last_modified: str | None = None
    auth: str = "anonymous"

    def to_json(self) -> dict[str, Any]:
        return {
            "auth": self.auth,
            "etag": self.etag,
            "last_modified": self.last_modified,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Validators:
        return cls(
            data.get("etag"), data.get("last_modified"), data.get("auth", "anonymous")
        )


@dataclass(frozen=True)
class Snapshot:
    """The normalized result of one source; ``items`` are JSON objects."""

    source: str
    kind: str
    query: Mapping[str, Any]
    fetched_at: dt.datetime
    complete: bool
    items: tuple[Mapping[str, Any], ...]
    pages: int = 1
    validators: Validators = field(default_factory=Validators)
    schema_version: int = SCHEMA_VERSION

    @property
    def count(self) -> int:
        return len(self.items)

    def same_data(self, other: Snapshot) -> bool:
        """Same query, items and completeness: nothing new to show."""
        return (
            dict(self.query) == dict(other.query)
            and self.complete == other.complete
            and list(self.items) == list(other.items)
        )

    def envelope(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "source": self.source,
            "kind": self.kind,
            "query": dict(self.query),
            "fetched_at": format_time(self.fetched_at),
            "validators": self.validators.to_json(),
            "complete": self.complete,
            "pages": self.pages,
            "count": self.count,
            "items": [dict(item) for item in self.items],
        }

    def to_bytes(self) -> bytes:
        envelope = self.envelope()
        return dump_json({**envelope, "sha256": checksum(envelope)})


def checksum(envelope: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical compact JSON of everything but the sum."""
    fields = {key: value for key, value in envelope.items() if key != "sha256"}
    canonical = json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def snapshot_path(folder: Path, source_id: str) -> Path:
    if not _SOURCE_ID.match(source_id):
        raise ValueError(f"{source_id!r} is not a source id")
    return folder / f"{source_id}.json"


def write_snapshot(folder: Path, snapshot: Snapshot) -> bool:
    """Write the source's file if its bytes change; True if written."""
    return write_if_changed(
        snapshot_path(folder, snapshot.source), snapshot.to_bytes(), folder_mode=0o700
    )


class LoadResult(NamedTuple):
    """A snapshot, or None and why: ``absent`` or ``corrupt: ...``."""

    snapshot: Snapshot | None
    reason: str


_ENVELOPE_TYPES: Mapping[str, type | tuple[type, ...]] = {
    "schema_version": int,
    "source": str,
    "kind": str,
    "query": dict,
    "fetched_at": str,
    "validators": dict,
    "complete": bool,
    "pages": int,
    "count": int,
    "items": list,
    "sha256": str,
}


def load_snapshot(folder: Path, source_id: str) -> LoadResult:
    """The source's snapshot if it is intact; never raises on bad files."""
    path = snapshot_path(folder, source_id)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return LoadResult(None, "absent")
    except OSError as error:
        return _corrupt(path, f"unreadable ({error.strerror})")
    try:
        envelope = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return _corrupt(path, "not valid JSON")
    problem = _envelope_problem(envelope, source_id)
    if problem:
        return _corrupt(path, problem)
    try:
        fetched_at = parse_time(envelope["fetched_at"])
    except ValueError:
        return _corrupt(path, "bad fetched_at")
    snapshot = Snapshot(
        source=envelope["source"],
        kind=envelope["kind"],
        query=envelope["query"],
        fetched_at=fetched_at,
        complete=envelope["complete"],
        items=tuple(envelope["items"]),
        pages=envelope["pages"],
        validators=Validators.from_json(envelope["validators"]),
        schema_version=envelope["schema_version"],
    )
    return LoadResult(snapshot, "")


def _envelope_problem(envelope: Any, source_id: str) -> str:
    if not isinstance(envelope, dict):
        return "not a JSON object"
    for key, wanted in _ENVELOPE_TYPES.items():
        if not isinstance(envelope.get(key), wanted):
            return f"field {key!r} missing or of the wrong type"
    if envelope["sha256"] != checksum(envelope):
        return "checksum mismatch"
    if envelope["schema_version"] != SCHEMA_VERSION:
        return f"unsupported schema version {envelope['schema_version']}"
    if envelope["source"] != source_id:
        return f"holds source {envelope['source']!r}"
    items = envelope["items"]
    if envelope["count"] != len(items) or not all(isinstance(i, dict) for i in items):
        return "items do not match their count"
    return ""


def _corrupt(path: Path, problem: str) -> LoadResult:
    log.warning("snapshot %s corrupt (%s), treating as missing", path.name, problem)
    return LoadResult(None, f"corrupt: {problem}")


@dataclass(frozen=True)
class SourceStatus:
    """How the last run went for one source (one entry of ``status.json``).

    ``validated_at`` is when the upstream last confirmed the data (a 200
    or a 304); ``fetched_at`` is when the data itself last changed.
    """

    state: str
    checked_at: dt.datetime
    fetched_at: dt.datetime | None = None
    validated_at: dt.datetime | None = None
    count: int | None = None
    complete: bool | None = None
    error_kind: str | None = None
    error: str | None = None
    #: The data came from an endpoint override (the fake upstream, say),
    #: not from the upstream's own address: pages call it sample data.
    sample: bool = False

    @property
    def age_seconds(self) -> int | None:
        """Seconds between the last confirmation and this check."""
        since = self.validated_at or self.fetched_at
        if since is None:
            return None
        return int((self.checked_at - since).total_seconds())

    def to_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "checked_at": format_time(self.checked_at),
            "fetched_at": _time_or_none(self.fetched_at),
            "validated_at": _time_or_none(self.validated_at),
            "age_seconds": self.age_seconds,
            "count": self.count,
            "complete": self.complete,
            "error": (
                {"kind": self.error_kind, "message": self.error}
                if self.error_kind
                else None
            ),
        } | ({"sample": True} if self.sample else {})

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SourceStatus:
        error = data.get("error") or {}
        return cls(
            state=data["state"],
            checked_at=parse_time(data["checked_at"]),
            fetched_at=_parse_optional(data.get("fetched_at")),
            validated_at=_parse_optional(data.get("validated_at")),
            count=data.get("count"),
            complete=data.get("complete"),
            error_kind=error.get("kind"),
            error=error.get("message"),
            sample=data.get("sample") is True,
        )


def _time_or_none(moment: dt.datetime | None) -> str | None:
    return None if moment is None else format_time(moment)


def _parse_optional(text: str | None) -> dt.datetime | None:
    return None if text is None else parse_time(text)


def write_status(
    folder: Path, statuses: Mapping[str, SourceStatus], updated_at: dt.datetime
) -> bool:
    document = {
        "schema_version": SCHEMA_VERSION,
        "updated_at": format_time(updated_at),
        "sources": {source: status.to_json() for source, status in statuses.items()},
    }
    return write_if_changed(folder / STATUS_FILE, dump_json(document))


def load_status(folder: Path) -> dict[str, SourceStatus]:
    """Statuses by source; an unreadable file counts as empty, with a warning."""
    document = _load_document(folder / STATUS_FILE)
    try:
        return {
            source: SourceStatus.from_json(entry)
            for source, entry in document.get("sources", {}).items()
        }
    except (AttributeError, KeyError, TypeError, ValueError):
        log.warning("%s is malformed, ignoring it", STATUS_FILE)
        return {}


@dataclass(frozen=True)
class HistoryEntry:
    """One day of a source: its count, and figures its kind breaks it into.

    ``breakdown`` is absent from entries of kinds without one, and from
    files written before it existed, so those files still read the same.
    """

    day: dt.date
    count: int
    complete: bool
    breakdown: Mapping[str, int] = field(default_factory=dict, hash=False)

    def to_json(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "date": self.day.isoformat(),
            "count": self.count,
            "complete": self.complete,
        }
        if self.breakdown:
            entry["breakdown"] = dict(sorted(self.breakdown.items()))
        return entry

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> HistoryEntry:
        breakdown = data.get("breakdown") or {}
        return cls(
            dt.date.fromisoformat(data["date"]),
            int(data["count"]),
            bool(data["complete"]),
            {str(name): int(value) for name, value in breakdown.items()},
        )


#: A kind's figures for the history, computed from a snapshot.
Breakdown = Callable[["Snapshot"], Mapping[str, int]]


def breakdown_of(folder: Path, source_id: str, compute: Breakdown) -> dict[str, int]:
    """The breakdown of the source's snapshot, or nothing without one."""
    snapshot, _ = load_snapshot(folder, source_id)
    return {} if snapshot is None else dict(compute(snapshot))


def load_history(folder: Path) -> dict[str, list[HistoryEntry]]:
    document = _load_document(folder / HISTORY_FILE)
    try:
        return {
            source: [HistoryEntry.from_json(entry) for entry in entries]
            for source, entries in document.get("sources", {}).items()
        }
    except (AttributeError, KeyError, TypeError, ValueError):
        log.warning("%s is malformed, starting a new history", HISTORY_FILE)
        return {}


def record_history(
    folder: Path,
    counts: Mapping[str, tuple[int, bool]],
    day: dt.date,
    breakdowns: Mapping[str, Breakdown] | None = None,
    cap: int = HISTORY_CAP,
) -> bool:
    """Set today's ``(count, complete)`` of each source, keeping ``cap`` days.

    One entry per source per day, the last run of the day winning, so
    repeated runs on one day with the same counts write nothing. A source
    with a breakdown in ``breakdowns`` gets its figures from its snapshot.
    """
    breakdowns = breakdowns or {}
    history = load_history(folder)
    for source, (count, complete) in counts.items():
        entries = [entry for entry in history.get(source, []) if entry.day != day]
        compute = breakdowns.get(source)
        breakdown = breakdown_of(folder, source, compute) if compute else {}
        entries.append(HistoryEntry(day, count, complete, breakdown))
        entries.sort(key=lambda entry: entry.day)
        history[source] = entries[-cap:]
    document = {
        "schema_version": SCHEMA_VERSION,
        "sources": {
            source: [entry.to_json() for entry in entries]
            for source, entries in sorted(history.items())
        },
    }
    return write_if_changed(folder / HISTORY_FILE, dump_json(document))


def _load_document(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, UnicodeDecodeError):
        log.warning("%s is unreadable, ignoring it", path.name)
        return {}
    if not isinstance(document, dict):
        log.warning("%s is not a JSON object, ignoring it", path.name)
        return {}
    return document
