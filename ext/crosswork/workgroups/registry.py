"""Load and validate the workgroup registry: one YAML charter per workgroup.

Validation runs in three layers, each reporting every problem it finds:
strict YAML loading (:mod:`crosswork.safeyaml`), the JSON Schema
(``workgroup.schema.json``), and the cross-field rules below that a schema
cannot express (status history, meeting dates, clashes between files).

One run reports every problem of a file, so each layer checks what the
layer before could load: after a duplicate key the schema still checks the
file, with the key's first value. A layer is left out only where it would
repeat a problem already reported: the schema when no YAML could be loaded
(the file is unreadable, empty or not YAML), its findings about values the
loader left out (aliases, data nested too deep), and the rules when the
schema failed, since they rely on its shapes.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from crosswork.contributorfiles import read_contributor_file
from crosswork.datakind import DataKind, track_schemas
from crosswork.diagnostics import Diagnostic, register, sort_diagnostics
from crosswork.links import safe_https_url
from crosswork.lintcache import LintCache
from crosswork.safeyaml import MAX_BYTES, DataPath, LocatedData, load_yaml
from crosswork.schemacheck import (
    format_path,
    register_schema_codes,
    schema_diagnostics,
)
from crosswork.textclean import describe, unsafe_characters
from crosswork.workgroups.calendar import find_conflicts, is_occurrence
from crosswork.workgroups.model import (
    WEEKDAYS,
    Chair,
    Communication,
    Deliverable,
    Liaison,
    Meeting,
    StatusChange,
    Workgroup,
)

register(
    "Workgroup charter rules",
    W201="the file name is not a valid workgroup slug",
    W202="the status is not the last entry of the status history",
    W203="the status history is not in date order",
    W204="a status change is not an allowed transition",
    W205="a date does not exist in the calendar",
    W206="a meeting's start date is not on its weekday",
    W207="a skipped date is not a meeting day",
    W208="a meeting ends before it starts",
    W209="two meetings overlap in the same channel",
    W210="a chair is listed twice",
    W211="two workgroups have the same name",
    W212="two workgroups share a subject tag or chat channel",
    W213="a data track name is used twice in one kind of track",
    W214="a text holds an invisible or control character",
    W215="a deliverable in progress or done names no owner",
    W216="a link's host is not on the site's link allowlist",
)

#: Deliverable statuses that someone must answer for.
OWNED_STATUSES = frozenset({"in-progress", "done"})

SLUG = re.compile(r"^[a-z][a-z0-9-]{1,30}$")

#: Allowed status transitions (the lifecycle page explains them).
TRANSITIONS = {
    "forming": {"active", "retired"},
    "active": {"dormant", "retired"},
    "dormant": {"active", "retired"},
    "retired": set(),
}

CHARTER_CODES = register_schema_codes("Workgroup charter schema", "W10")


@dataclass
class Registry:
    """Every valid workgroup, by slug, in slug order."""

    workgroups: dict[str, Workgroup] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Workgroup]:
        return iter(self.workgroups.values())

    def __len__(self) -> int:
        return len(self.workgroups)

    def __getitem__(self, slug: str) -> Workgroup:
        return self.workgroups[slug]

    def __contains__(self, slug: object) -> bool:
        return slug in self.workgroups


@functools.cache
def base_schema() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("workgroup.schema.json").read_text()
    return json.loads(text)


def charter_schema(kinds: Iterable[DataKind]) -> dict[str, Any]:
    """The charter schema with each data kind's track schema under ``tracks``."""
    result = copy.deepcopy(base_schema())
    result["$defs"]["tracks"]["properties"] = track_schemas(kinds)
    return result


def parse_date(
    data: LocatedData, where: DataPath, text: str, problems: list[Diagnostic]
) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        message = f"{format_path(where)}: {text!r} is not a date in the calendar"
        problems.append(data.diagnostic(where, "W205", message))
        return dt.date.min


def build_workgroup(
    slug: str, data: LocatedData, problems: list[Diagnostic]
) -> Workgroup:
    """Turn schema-valid data into a :class:`Workgroup`, checking its rules."""
    raw = data.value
    history = tuple(
        StatusChange(
            item["status"],
            parse_date(data, ("status_history", i, "date"), item["date"], problems),
            item.get("note", ""),
        )
        for i, item in enumerate(raw["status_history"])
    )
    chairs = tuple(
        Chair(
            chair["name"],
            dict(sorted(chair["handles"].items())),
            parse_date(data, ("chairs", i, "since"), chair["since"], problems)
            if "since" in chair
            else None,
        )
        for i, chair in enumerate(raw["chairs"])
    )
    meetings = tuple(
        build_meeting(data, i, item, problems) for i, item in enumerate(raw["meetings"])
    )
    deliverables = tuple(
        Deliverable(
            d["title"],
            d["description"].strip(),
            d.get("target", ""),
            d["status"],
            d.get("owner", ""),
        )
        for d in raw["deliverables"]
    )
    communication = Communication(**raw["communication"])
    problems.extend(check_status(data, raw["status"], history))
    problems.extend(check_owners(data, deliverables))
    problems.extend(check_chairs(data, chairs))
    problems.extend(check_links(data, communication, meetings))
    problems.extend(check_track_names(data, raw["tracks"]))
    problems.extend(check_characters(data, raw, ()))
    return Workgroup(
        slug=slug,
        name=raw["name"],
        status=raw["status"],
        status_history=history,
        mission=raw["mission"].strip(),
        scope_in=tuple(raw["scope"]["in"]),
        scope_out=tuple(raw["scope"]["out"]),
        deliverables=deliverables,
        chairs=chairs,
        stakeholders=tuple(raw["stakeholders"]),
        communication=communication,
        meetings=meetings,
        tracks=raw["tracks"],
        source=data.path,
        liaison=build_liaison(raw["liaison"]),
        exit_criteria=tuple(raw["exit_criteria"]),
    )


def build_liaison(raw: str | dict[str, Any]) -> Liaison | None:
    """None when the charter says the liaison is still to be appointed."""
    if isinstance(raw, str):
        return None
    return Liaison(raw["name"], dict(sorted(raw.get("handles", {}).items())))


def build_meeting(
    data: LocatedData, index: int, raw: dict[str, Any], problems: list[Diagnostic]
) -> Meeting:
    where: DataPath = ("meetings", index)
    before = len(problems)
    start = parse_date(data, (*where, "start_date"), raw["start_date"], problems)
    end = (
        parse_date(data, (*where, "end_date"), raw["end_date"], problems)
        if "end_date" in raw
        else None
    )
    skip = tuple(
        parse_date(data, (*where, "skip", i), day, problems)
        for i, day in enumerate(raw.get("skip", []))
    )
    hours, minutes = (int(part) for part in raw["time"].split(":"))
    meeting = Meeting(
        title=raw["title"],
        recurrence=raw["recurrence"],
        start_date=start,
        weekday=raw["weekday"],
        time=dt.time(hours, minutes),
        duration=raw["duration"],
        channel=raw["channel"],
        agenda=raw["agenda"],
        logs=raw.get("logs", ""),
        week_of_month=raw.get("week_of_month"),
        end_date=end,
        skip=skip,
    )
    if len(problems) == before:
        problems.extend(check_meeting_dates(data, where, meeting))
    return meeting


def check_status(
    data: LocatedData, status: str, history: tuple[StatusChange, ...]
) -> Iterator[Diagnostic]:
    if history[-1].status != status:
        yield data.diagnostic(
            ("status",),
            "W202",
            f"status: {status!r} differs from the last status_history entry "
            f"({history[-1].status!r})",
        )
    if history[0].status != "forming":
        yield data.diagnostic(
            ("status_history", 0, "status"),
            "W204",
            f"status_history[0].status: a workgroup starts as 'forming', "
            f"not {history[0].status!r}",
        )
    for index in range(1, len(history)):
        previous, current = history[index - 1], history[index]
        where: DataPath = ("status_history", index)
        if current.date <= previous.date:
            yield data.diagnostic(
                (*where, "date"),
                "W203",
                f"{format_path((*where, 'date'))}: {current.date} is not after "
                f"the previous change ({previous.date})",
            )
        if current.status not in TRANSITIONS[previous.status]:
            yield data.diagnostic(
                (*where, "status"),
                "W204",
                f"{format_path((*where, 'status'))}: cannot go from "
                f"{previous.status!r} to {current.status!r}",
            )


def check_owners(
    data: LocatedData, deliverables: tuple[Deliverable, ...]
) -> Iterator[Diagnostic]:
    """Work under way or finished has someone who answers for it."""
    for index, item in enumerate(deliverables):
        if item.status in OWNED_STATUSES and not item.owner:
            where: DataPath = ("deliverables", index, "status")
            yield data.diagnostic(
                where,
                "W215",
                f"{format_path(where)}: a deliverable that is {item.status!r} "
                "names its owner (a person or a team)",
            )


def check_links(
    data: LocatedData, communication: Communication, meetings: tuple[Meeting, ...]
) -> Iterator[Diagnostic]:
    """Links the page shows must pass the allowlist, or they would show as text."""
    links: list[tuple[DataPath, str]] = []
    if communication.archive:
        links.append((("communication", "archive"), communication.archive))
    links += [
        (("meetings", index, "logs"), meeting.logs)
        for index, meeting in enumerate(meetings)
        if meeting.logs
    ]
    for where, url in links:
        if safe_https_url(url) is None:
            yield data.diagnostic(
                where,
                "W216",
                f"{format_path(where)}: {url!r} is not on a host the site links "
                "to (see crosswork.links)",
            )


def check_chairs(data: LocatedData, chairs: tuple[Chair, ...]) -> Iterator[Diagnostic]:
    names: list[str] = []
    for index, chair in enumerate(chairs):
        if chair.name in names:
            where: DataPath = ("chairs", index, "name")
            yield data.diagnostic(
                where,
                "W210",
                f"{format_path(where)}: {chair.name!r} is already chairs"
                f"[{names.index(chair.name)}]",
            )
        names.append(chair.name)


def check_track_names(
    data: LocatedData, tracks: dict[str, Any]
) -> Iterator[Diagnostic]:
    """Track names make source ids, so they are unique within a kind."""
    for kind, entries in tracks.items():
        seen: dict[str, int] = {}
        for index, entry in enumerate(entries):
            name = entry["name"]
            if name in seen:
                where: DataPath = ("tracks", kind, index, "name")
                yield data.diagnostic(
                    where,
                    "W213",
                    f"{format_path(where)}: {name!r} is already the name of "
                    f"tracks.{kind}[{seen[name]}]",
                )
            seen.setdefault(name, index)


def check_meeting_dates(
    data: LocatedData, where: DataPath, meeting: Meeting
) -> Iterator[Diagnostic]:
    if meeting.start_date.weekday() != meeting.weekday_index:
        actual = WEEKDAYS[meeting.start_date.weekday()]
        yield data.diagnostic(
            (*where, "start_date"),
            "W206",
            f"{format_path((*where, 'start_date'))}: {meeting.start_date} is a "
            f"{actual}, not a {meeting.weekday}",
        )
    elif meeting.recurrence == "monthly" and not is_occurrence(
        meeting, meeting.start_date
    ):
        yield data.diagnostic(
            (*where, "start_date"),
            "W206",
            f"{format_path((*where, 'start_date'))}: {meeting.start_date} is not "
            f"the meeting's weekday of the month ({meeting.week_of_month})",
        )
    if meeting.end_date is not None and meeting.end_date <= meeting.start_date:
        yield data.diagnostic(
            (*where, "end_date"),
            "W208",
            f"{format_path((*where, 'end_date'))}: {meeting.end_date} is not after "
            f"start_date {meeting.start_date}",
        )
    unskipped = Meeting(**{**meeting.__dict__, "skip": ()})
    for index, day in enumerate(meeting.skip):
        if not is_occurrence(unskipped, day):
            skip_path = (*where, "skip", index)
            yield data.diagnostic(
                skip_path,
                "W207",
                f"{format_path(skip_path)}: no meeting is scheduled on {day}",
            )


def load_charter(
    path: Path,
    label: str,
    schema: Mapping[str, Any],
    read: tuple[bytes | None, list[Diagnostic]] | None = None,
) -> tuple[Workgroup | None, LocatedData, list[Diagnostic]]:
    """Load one charter file; ``label`` is how messages name it, ``read``
    the file's bytes and findings when the caller has read it."""
    raw, found = read or read_contributor_file(path, label, MAX_BYTES)
    problems = list(found)
    data = LocatedData(label)
    if raw is not None:
        data, problems = load_yaml(label, raw)
    problems += check_slug(path, label)
    if data.values:
        schema_problems = schema_diagnostics(data, schema, CHARTER_CODES)
        problems += outside_holes(data, schema_problems)
        if not schema_problems:
            workgroup = build_workgroup(path.stem, data, problems)
            return (None if problems else workgroup), data, problems
    return None, data, problems


def check_slug(path: Path, label: str) -> list[Diagnostic]:
    if SLUG.match(path.stem):
        return []
    message = (
        f"file name {path.name!r} is not a workgroup slug "
        "(lower case letters, digits and hyphens)"
    )
    return [Diagnostic(label, 1, 1, "W201", message)]


def outside_holes(data: LocatedData, problems: list[Diagnostic]) -> list[Diagnostic]:
    """Schema findings, less those about values the loader already reported
    and left out (an alias, data nested too deep): they would only say
    again, less clearly, that the value is missing."""
    holes = {data.values[path] for path in data.holes}
    return [p for p in problems if (p.line, p.column) not in holes]


def check_registry(
    charters: list[tuple[Workgroup, LocatedData]],
) -> Iterator[Diagnostic]:
    """Rules across charters: unique names, no clashing meetings."""
    first_by_name: dict[str, Workgroup] = {}
    for workgroup, data in charters:
        first = first_by_name.setdefault(workgroup.name.casefold(), workgroup)
        if first is not workgroup:
            yield data.diagnostic(
                ("name",),
                "W211",
                f"name: {workgroup.name!r} is already the name of {first.source}",
            )
    yield from check_shared_channels(charters)
    located = {workgroup.slug: data for workgroup, data in charters}
    meetings = [
        (f"{workgroup.slug}:{index}", meeting)
        for workgroup, _ in charters
        for index, meeting in enumerate(workgroup.meetings)
    ]
    for conflict in find_conflicts(meetings):
        slug, index = conflict.second_label.split(":")
        other_slug, other_index = conflict.first_label.split(":")
        where: DataPath = ("meetings", int(index))
        yield located[slug].diagnostic(
            where,
            "W209",
            f"{format_path(where)}: overlaps {other_slug} meetings[{other_index}] "
            f"in {conflict.second.channel} on {conflict.at:%Y-%m-%d %H:%M} UTC",
        )


def check_characters(
    data: LocatedData, value: Any, where: DataPath
) -> Iterator[Diagnostic]:
    """Every text of the charter holds to the one character policy."""
    if isinstance(value, str):
        for _, char in unsafe_characters(value):
            yield data.diagnostic(
                where,
                "W214",
                f"{format_path(where)}: invisible or control character "
                f"{describe(char)}",
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from check_characters(data, item, (*where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from check_characters(data, item, (*where, index))


def check_shared_channels(
    charters: list[tuple[Workgroup, LocatedData]],
) -> Iterator[Diagnostic]:
    """A subject tag or chat channel belongs to one workgroup."""
    owners: dict[tuple[str, str], Workgroup] = {}
    for workgroup, data in charters:
        comms = workgroup.communication
        for key, value in (("tag", comms.tag), ("chat", comms.chat)):
            first = owners.setdefault((key, value), workgroup)
            if first is not workgroup:
                where: DataPath = ("communication", key)
                yield data.diagnostic(
                    where,
                    "W212",
                    f"{format_path(where)}: {value!r} is already used by "
                    f"{first.source}",
                )


def charter_slugs(folder: Path) -> set[str]:
    """Every workgroup that has a charter file, valid or not.

    Specs are checked against this set, so that one broken charter is
    reported once rather than again in every spec of its workgroup.
    """
    return {path.stem for path in folder.glob("*.yaml")}


def load_registry(
    folder: Path,
    root: Path | None = None,
    *,
    kinds: Iterable[DataKind],
    cache: LintCache | None = None,
) -> tuple[Registry, list[Diagnostic]]:
    """Load every ``*.yaml`` charter in ``folder``.

    Messages name files relative to ``root`` (default: the folder's parent),
    so they read ``workgroups/security.yaml:3:9: ...`` from the repository.
    Tracks may be of the given data ``kinds`` only. A ``cache`` spares
    reading a charter whose bytes were checked against the same schema.
    """
    root = root or folder.parent
    schema = charter_schema(kinds)
    schema_key = json.dumps(schema, sort_keys=True)
    problems: list[Diagnostic] = []
    charters: list[tuple[Workgroup, LocatedData]] = []
    for path in sorted(folder.glob("*.yaml")):
        label = path.relative_to(root).as_posix()
        # Read once: the cache key and the charter are the same bytes.
        read = read_contributor_file(path, label, MAX_BYTES)
        load = functools.partial(load_charter, path, label, schema, read)
        raw = read[0]
        if cache is None or raw is None:
            workgroup, data, found = load()
        else:
            workgroup, data, found = cache.remember(
                ("charter", label, raw, schema_key), load
            )
        problems.extend(found)
        if workgroup is not None:
            charters.append((workgroup, data))
    problems.extend(check_registry(charters))
    registry = Registry({workgroup.slug: workgroup for workgroup, _ in charters})
    return registry, sort_diagnostics(problems)
