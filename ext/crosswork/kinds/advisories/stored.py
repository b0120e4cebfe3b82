"""Advisories as a snapshot stores them, and back.

The fetch step stores normalized advisories, never raw upstream records:
one :func:`advisory_item` per record, the shape of an
``api/advisories.json`` record plus each package's version runs (which
the export gives only as text). The site rebuilds :class:`Advisory`
values with :func:`read_items`.

A snapshot file is checksummed, but it is still data from outside the
build: items are validated against ``stored.schema.json`` and every
problem is reported, located at the file and the JSON path. A source with
any problem gives no advisories at all, so a page never shows half of a
damaged file. Links are re-checked against the allowlist and scores are
recomputed from their vectors, whatever the file says.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

from crosswork.diagnostics import Diagnostic, register
from crosswork.kinds.advisories.export import advisory_record
from crosswork.kinds.advisories.model import (
    Advisory,
    AffectedPackage,
    GitRange,
    Patch,
    Reference,
    Source,
    first_sentence,
    id_prefix,
    safe_reference_url,
)
from crosswork.kinds.advisories.severity import Rating, database_rating, rate_vector
from crosswork.kinds.advisories.titles import flaw_title
from crosswork.kinds.advisories.versions import Interval
from crosswork.safeyaml import LocatedData
from crosswork.schemacheck import (
    ValidationCache,
    process_cache,
    register_schema_codes,
)

register(
    "Stored advisories (snapshot items)",
    A311="an advisory id is stored twice in one source",
    A312="a stored CVSS vector cannot be scored",
)

SCHEMA_CODES = register_schema_codes(
    "Stored advisories (snapshot items)", "A30", subject="a stored value"
)

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


@functools.cache
def schema() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("stored.schema.json").read_text()
    return json.loads(text)


def advisory_item(advisory: Advisory) -> dict[str, Any]:
    """One advisory as a snapshot item: its export record plus version runs."""
    item = advisory_record(advisory)
    for stored, package in zip(item["affected"], advisory.affected, strict=True):
        stored["ranges"] = [
            {
                "lower": run.lower,
                "upper": run.upper,
                "lower_inclusive": run.lower_inclusive,
                "upper_inclusive": run.upper_inclusive,
            }
            for run in package.ranges
        ]
    return item


def read_items(
    label: str,
    items: Sequence[Mapping[str, Any]],
    validated: ValidationCache | None = None,
) -> tuple[list[Advisory], list[Diagnostic]]:
    """The advisories of one snapshot's items; none if any item is damaged.

    ``label`` names the snapshot file in messages and in each advisory's
    sources. Items whose content passed the schema before, as ``validated``
    remembers (by default: anywhere in this process), are not validated
    again.
    """
    document = {"items": [dict(item) for item in items]}
    validated = validated or process_cache()
    problems = validated.diagnostics(
        LocatedData(label, document), schema(), SCHEMA_CODES
    )
    if problems:
        return [], problems
    advisories, seen = [], set()
    for index, item in enumerate(document["items"]):
        if item["id"].casefold() in seen:
            message = f"items[{index}].id: {item['id']!r} is stored twice"
            problems.append(Diagnostic(label, 1, 1, "A311", message))
        seen.add(item["id"].casefold())
        advisory, found = read_item(label, index, item)
        advisories.append(advisory)
        problems += found
    return ([], problems) if problems else (advisories, [])


def read_item(
    label: str, index: int, item: Mapping[str, Any]
) -> tuple[Advisory, list[Diagnostic]]:
    """One schema-valid item as an advisory, and what could not be read."""
    ratings, problems = [], []
    times: dict[str, dt.datetime | None] = {}
    for key in ("published", "modified", "withdrawn"):
        try:
            times[key] = _time(item[key])
        except ValueError:
            message = f"items[{index}].{key}: {item[key]!r} is not in the calendar"
            problems.append(Diagnostic(label, 1, 1, "A305", message))
            times[key] = dt.datetime.min.replace(tzinfo=dt.UTC)
    for position, stored in enumerate(item["ratings"]):
        rating = _rating(stored)
        if rating is None:
            where = f"items[{index}].ratings[{position}].vector"
            message = f"{where}: {stored['vector']!r} cannot be scored"
            problems.append(Diagnostic(label, 1, 1, "A312", message))
        else:
            ratings.append(rating)
    advisory = Advisory(
        id=item["id"],
        aliases=tuple(item["aliases"]),
        title=_title(item),
        details=item["details"],
        ratings=tuple(ratings),
        affected=tuple(_package(package) for package in item["affected"]),
        published=times["published"],
        modified=times["modified"] or dt.datetime.min.replace(tzinfo=dt.UTC),
        withdrawn=times["withdrawn"],
        references=tuple(_reference(r) for r in item["references"]),
        sources=tuple(
            Source(source["id"], source["database"], label)
            for source in item["sources"]
        ),
        patches=tuple(
            Patch(
                branch=patch["branch"],
                product=patch["product"],
                note=patch["note"],
                link=_reference({"type": "FIX", "text": patch["text"]}),
            )
            for patch in item["patches"]
        ),
        errata=item["errata"],
        errata_history=tuple(item["errata_history"]),
        notes=tuple(item["notes"]),
        credits=tuple(item["credits"]),
    )
    return advisory, problems


def _title(item: Mapping[str, Any]) -> str:
    """The stored title; one that is the details' first sentence, as
    snapshots written before titles named the flaw hold, is built again."""
    title = item["title"]
    if title != first_sentence(item["details"]) or id_prefix(item["id"]) == "OSSA":
        return title
    packages = [package["name"] for package in item["affected"]]
    return flaw_title(item["details"], packages) or title


def _rating(stored: Mapping[str, Any]) -> Rating | None:
    """The rating its vector scores to (a stored score is never trusted), or
    the database's own rating a record without a vector carried."""
    vector, database = stored["vector"], stored.get("database")
    if vector:
        return rate_vector(vector)
    if not database:
        return None
    return database_rating(database, stored.get("word") or stored["label"])


def _reference(stored: Mapping[str, Any]) -> Reference:
    return Reference(stored["type"], stored["text"], safe_reference_url(stored["text"]))


def _package(stored: Mapping[str, Any]) -> AffectedPackage:
    return AffectedPackage(
        ecosystem=stored["ecosystem"],
        name=stored["name"],
        ranges=tuple(
            Interval(
                run["lower"],
                run["upper"],
                run["lower_inclusive"],
                run["upper_inclusive"],
            )
            for run in stored["ranges"]
        ),
        versions=tuple(stored["versions"]),
        git_ranges=tuple(
            GitRange(
                _reference(git["repo"]),
                tuple(next(iter(event.items())) for event in git["events"]),
            )
            for git in stored["git"]
        ),
        version_text=stored["version_text"] or "",
    )


def _time(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    return dt.datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=dt.UTC)
