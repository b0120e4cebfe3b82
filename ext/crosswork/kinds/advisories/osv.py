"""OSV records (PYSEC, GHSA, ...) to :class:`Advisory`.

Records come from the OSV API or a snapshot of it, so they are untrusted
JSON: this module checks the shape it relies on and never raises on odd
input. A record without a usable ``id`` or ``modified`` is rejected with an
error; a broken optional part (one alias, one range, one vector) is dropped
with a warning and the rest of the record is kept. Messages name the record
by ``label`` and the JSON path of the problem, since JSON has no lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from crosswork.diagnostics import Diagnostic, Severity, register
from crosswork.kinds.advisories.model import (
    Advisory,
    AffectedPackage,
    GitRange,
    Reference,
    Source,
    clean_line,
    clean_text,
    combine_packages,
    database_name,
    id_prefix,
    is_valid_id,
    sort_ids,
    unique_references,
    utc,
)
from crosswork.kinds.advisories.severity import Rating, database_rating, rate_vector
from crosswork.kinds.advisories.titles import flaw_title
from crosswork.kinds.advisories.versions import intervals_from_events, sort_intervals
from crosswork.safeyaml import DataPath
from crosswork.schemacheck import describe_type, format_path

register(
    "Security advisory records (OSV)",
    A201="the record is not an OSV record (not a mapping, or no usable id)",
    A202="a required date is missing or not a date-time",
    A203="an optional part has the wrong type and was dropped",
    A204="an alias is not an advisory id and was dropped",
    A205="a severity vector could not be scored and was dropped",
    A206="an affected entry or range is malformed and was dropped",
)

#: SEMVER and ECOSYSTEM events are versions; GIT events are commits.
RANGE_TYPES = frozenset({"ECOSYSTEM", "SEMVER", "GIT"})
EVENT_KINDS = frozenset({"introduced", "fixed", "last_affected", "limit"})
CVSS_TYPES = frozenset({"CVSS_V2", "CVSS_V3", "CVSS_V4"})


class _Reader:
    """Reads one record, collecting located problems instead of raising."""

    def __init__(self, record: dict[str, Any], label: str) -> None:
        self.record = record
        self.label = label
        self.problems: list[Diagnostic] = []

    def report(
        self,
        where: DataPath,
        code: str,
        message: str,
        severity: Severity = Severity.WARNING,
    ) -> None:
        text = f"{format_path(where)}: {message}"
        self.problems.append(Diagnostic(self.label, 1, 1, code, text, severity))

    def typed(self, where: DataPath, value: Any, kind: type, default: Any) -> Any:
        """``value`` when it has the expected type, else a warning and ``default``."""
        if value is None:
            return default
        if isinstance(value, kind) and not isinstance(value, bool):
            return value
        wanted = {str: "a string", list: "a list", dict: "a mapping"}[kind]
        self.report(where, "A203", f"expected {wanted}, got {describe_type(value)}")
        return default

    def field(self, key: str, kind: type, default: Any) -> Any:
        return self.typed((key,), self.record.get(key), kind, default)

    def items(self, key: str, kind: type) -> Iterator[tuple[int, Any]]:
        """Items of a list field that have the expected type."""
        for index, item in enumerate(self.field(key, list, [])):
            value = self.typed((key, index), item, kind, None)
            if value is not None:
                yield index, value


def normalize_osv(
    record: dict[str, Any], *, label: str
) -> tuple[Advisory | None, list[Diagnostic]]:
    """Normalize one OSV record; ``label`` is how messages name it."""
    if not isinstance(record, dict):
        message = f"(top level): expected a mapping, got {describe_type(record)}"
        return None, [Diagnostic(label, 1, 1, "A201", message)]
    reader = _Reader(record, label)
    identifier = record.get("id")
    if not isinstance(identifier, str) or not is_valid_id(identifier):
        reader.report(
            ("id",),
            "A201",
            f"{_shown(identifier)} is not an advisory id (like PYSEC-2023-74)",
            Severity.ERROR,
        )
        return None, reader.problems
    modified = read_datetime(reader, "modified", required=True)
    if modified is None:
        return None, reader.problems
    summary = clean_line(reader.field("summary", str, ""))
    details = clean_text(reader.field("details", str, ""))
    aliases = read_aliases(reader, identifier)
    ratings = read_ratings(reader)
    affected = read_affected(reader)
    packages = [package.name for package in affected]
    advisory = Advisory(
        id=identifier,
        aliases=aliases,
        title=summary or flaw_title(details, packages) or identifier,
        details=details,
        ratings=ratings,
        affected=affected,
        published=read_datetime(reader, "published"),
        modified=modified,
        withdrawn=read_withdrawn(reader, modified),
        references=read_references(reader),
        sources=(Source(identifier, database_name(identifier), label),),
        credits=read_credits(reader),
    )
    return advisory, reader.problems


def _shown(value: Any) -> str:
    return repr(value[:80]) if isinstance(value, str) else describe_type(value)


def parse_datetime(value: Any) -> dt.datetime | None:
    """An RFC 3339 string (or a datetime a YAML loader made) as aware UTC."""
    if isinstance(value, dt.datetime):
        return utc(value)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        return utc(dt.datetime.fromisoformat(value.strip()))
    except (ValueError, OverflowError):  # OverflowError: 0001-01-01T00:00+01:00
        return None


def read_datetime(
    reader: _Reader, key: str, *, required: bool = False
) -> dt.datetime | None:
    value = reader.record.get(key)
    if value is None and not required:
        return None
    moment = parse_datetime(value)
    if moment is None:
        severity = Severity.ERROR if required else Severity.WARNING
        what = "missing" if value is None else f"{_shown(value)} is not a date-time"
        reader.report((key,), "A202", what, severity)
    return moment


def read_withdrawn(reader: _Reader, modified: dt.datetime) -> dt.datetime | None:
    """When the record was withdrawn; ``modified`` if it says so unreadably.

    A record that claims to be withdrawn is never shown as active.
    """
    withdrawn = read_datetime(reader, "withdrawn")
    if withdrawn is None and reader.record.get("withdrawn") is not None:
        return modified
    return withdrawn


def read_aliases(reader: _Reader, identifier: str) -> tuple[str, ...]:
    aliases = []
    for index, alias in reader.items("aliases", str):
        if is_valid_id(alias):
            aliases.append(alias)
        else:
            reader.report(("aliases", index), "A204", f"{_shown(alias)} dropped")
    others = [alias for alias in aliases if alias.casefold() != identifier.casefold()]
    return sort_ids(others)


#: Who a record's ``database_specific.severity`` belongs to, by id prefix.
RATING_DATABASES = {"GHSA": "GitHub", "PYSEC": "PyPA"}


def read_ratings(reader: _Reader) -> tuple[Rating, ...]:
    """Scores of the CVSS vectors (other severity types are ignored); the
    database's own rating when no vector is scored."""
    ratings = []
    for index, item in reader.items("severity", dict):
        kind, vector = item.get("type"), item.get("score")
        if not isinstance(kind, str) or kind not in CVSS_TYPES:
            continue
        rating = rate_vector(vector) if isinstance(vector, str) else None
        if rating is None:
            message = f"{kind} vector {_shown(vector)} could not be scored"
            reader.report(("severity", index, "score"), "A205", message)
        else:
            ratings.append(rating)
    stated = None if ratings else read_database_rating(reader)
    return tuple(dict.fromkeys([*ratings, *([stated] if stated else [])]))


def read_database_rating(reader: _Reader) -> Rating | None:
    """``database_specific.severity`` (GitHub's ``MODERATE``); an unknown
    word is dropped without a warning: the field is the database's own."""
    specific = reader.record.get("database_specific")
    word = specific.get("severity") if isinstance(specific, dict) else None
    if not isinstance(word, str):
        return None
    database = RATING_DATABASES.get(id_prefix(reader.record["id"]), "OSV")
    return database_rating(database, word)


def read_affected(reader: _Reader) -> tuple[AffectedPackage, ...]:
    packages = []
    for index, item in reader.items("affected", dict):
        package = read_package(reader, ("affected", index), item)
        if package is not None:
            packages.append(package)
    return combine_packages(packages)


def read_package(
    reader: _Reader, where: DataPath, item: dict[str, Any]
) -> AffectedPackage | None:
    package = item.get("package")
    if not isinstance(package, dict):
        reader.report((*where, "package"), "A206", "no package: entry dropped")
        return None
    ecosystem, name = package.get("ecosystem"), package.get("name")
    if not (isinstance(ecosystem, str) and isinstance(name, str) and name.strip()):
        message = "package needs an ecosystem and a name: entry dropped"
        reader.report((*where, "package"), "A206", message)
        return None
    intervals, git_ranges = [], []
    ranges = reader.typed((*where, "ranges"), item.get("ranges"), list, [])
    for index, entry in enumerate(ranges):
        found = read_range(reader, (*where, "ranges", index), entry)
        if found is None:
            continue
        kind, events = found
        if kind == "GIT":
            repo = entry.get("repo") if isinstance(entry.get("repo"), str) else ""
            git_ranges.append(GitRange(Reference.from_text("GIT", repo), events))
        else:
            intervals.extend(intervals_from_events(events))
    versions = reader.typed((*where, "versions"), item.get("versions"), list, [])
    return AffectedPackage(
        ecosystem=clean_line(ecosystem, 80),
        name=clean_line(name, 200),
        ranges=sort_intervals(intervals),
        versions=tuple(
            clean_line(v, 80) for v in versions if isinstance(v, str) and v.strip()
        ),
        git_ranges=tuple(git_ranges),
    )


def read_range(
    reader: _Reader, where: DataPath, entry: Any
) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    """A range's type and ``(kind, version)`` events; None (and a warning) if broken."""
    kind = entry.get("type") if isinstance(entry, dict) else None
    if not isinstance(kind, str) or kind not in RANGE_TYPES:
        reader.report(where, "A206", f"range type {_shown(kind)} unknown: dropped")
        return None
    events = entry.get("events")
    pairs = [_event(item) for item in events] if isinstance(events, list) else []
    if not pairs or None in pairs:
        reader.report((*where, "events"), "A206", "malformed events: dropped")
        return None
    return kind, tuple(pair for pair in pairs if pair is not None)


def _event(item: Any) -> tuple[str, str] | None:
    """One ``{kind: version}`` event, or None when it is not one."""
    if not isinstance(item, dict) or len(item) != 1:
        return None
    ((kind, version),) = item.items()
    if kind not in EVENT_KINDS or not isinstance(version, str) or not version.strip():
        return None
    return kind, clean_line(version, 80)


def read_references(reader: _Reader) -> tuple[Reference, ...]:
    references = []
    for _, item in reader.items("references", dict):
        url, kind = item.get("url"), item.get("type")
        if isinstance(url, str) and url.strip():
            kind = kind if isinstance(kind, str) else "WEB"
            references.append(Reference.from_text(kind, url))
    return unique_references(references)


def read_credits(reader: _Reader) -> tuple[str, ...]:
    names = (item.get("name") for _, item in reader.items("credits", dict))
    return tuple(clean_line(n) for n in names if isinstance(n, str) and n.strip())
