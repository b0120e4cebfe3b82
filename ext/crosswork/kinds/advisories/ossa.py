"""OpenStack Security Advisory files (``OSSA-YYYY-NNN.yaml``) to :class:`Advisory`.

Upstream keeps these files without a schema or validation, and their form
changed over the years (legacy CVSS assessments, ``type: gerrit`` inside
``reviews``, prose version strings). Files are loaded with the strict
located loader, validated against ``ossa.schema.json`` (which accepts every
layout in use) and checked for the rules a schema cannot express; every
problem is reported as ``path:line:col: CODE message``. Version strings are
read leniently: what cannot be parsed is shown as written.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Collection, Iterator
from dataclasses import replace
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

from crosswork.diagnostics import (
    Diagnostic,
    Severity,
    has_errors,
    register,
    sort_diagnostics,
)
from crosswork.kinds.advisories.model import (
    Advisory,
    AffectedPackage,
    Patch,
    Reference,
    Source,
    clean_line,
    clean_text,
    combine_packages,
    database_name,
    id_url,
    newest_first,
    package_key,
    sort_ids,
)
from crosswork.kinds.advisories.severity import Rating, rate_vector
from crosswork.kinds.advisories.versions import parse_ossa_versions
from crosswork.safeyaml import DataPath, LocatedData, load_yaml
from crosswork.schemacheck import format_path, register_schema_codes, schema_diagnostics

register(
    "Security advisory files (OSSA)",
    A111="the file name does not match the advisory id",
    A112="a date does not exist in the calendar",
    A113="a reporter is credited for a CVE the advisory does not list",
    A114="errata text and errata history do not come together",
    A115="a legacy CVSS assessment cannot be scored or disagrees with its score",
)

SCHEMA_CODES = register_schema_codes("Security advisory files (OSSA)", "A10")

#: OSSA products are OpenStack deliverables, versioned by their releases.
ECOSYSTEM = "OpenStack"
REQUESTED = "Requested"
#: Affiliations that mean "none given".
NO_AFFILIATION = frozenset({"", "none", "unknown", "n/a"})

_SCORE_TOLERANCE = 0.05


@functools.cache
def schema() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("ossa.schema.json").read_text()
    return json.loads(text)


def load_ossa(label: str, raw: bytes) -> tuple[Advisory | None, list[Diagnostic]]:
    """Load one OSSA file; ``label`` (its path) names it in messages."""
    data, problems = load_yaml(label, raw)
    if problems:
        return None, problems
    problems = schema_diagnostics(data, schema(), SCHEMA_CODES)
    if problems:
        return None, problems
    problems = list(check_rules(data, PurePosixPath(label).stem))
    if has_errors(problems):
        return None, problems
    return build_advisory(data, label), problems


def load_ossa_folder(
    folder: Path, root: Path | None = None
) -> tuple[list[Advisory], list[Diagnostic]]:
    """Load every ``*.yaml`` in ``folder``, newest advisory first.

    Messages name files relative to ``root`` (default: the folder's parent).
    """
    root = root or folder.parent
    advisories, problems = [], []
    for path in sorted(folder.glob("*.yaml")):
        advisory, found = load_ossa(
            path.relative_to(root).as_posix(), path.read_bytes()
        )
        problems.extend(found)
        if advisory is not None:
            advisories.append(advisory)
    return newest_first(advisories), sort_diagnostics(problems)


def check_rules(data: LocatedData, file_stem: str) -> Iterator[Diagnostic]:
    """The rules a schema cannot express, on schema-valid data."""
    raw = data.value
    if raw["id"] != file_stem:
        yield data.diagnostic(
            ("id",),
            "A111",
            f"id: {raw['id']!r} differs from the file name {file_stem!r}",
        )
    yield from check_dates(data)
    yield from check_reporters(data)
    yield from check_errata(data)
    yield from check_assessments(data)


def parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def check_dates(data: LocatedData) -> Iterator[Diagnostic]:
    dated: list[tuple[DataPath, str]] = [(("date",), data.value["date"])]
    history = data.value.get("errata_history", [])
    dated += [(("errata_history", i), entry) for i, entry in enumerate(history)]
    for where, text in dated:
        if parse_date(text) is None:
            message = (
                f"{format_path(where)}: {text[:10]!r} is not a date in the calendar"
            )
            yield data.diagnostic(where, "A112", message)


def check_reporters(data: LocatedData) -> Iterator[Diagnostic]:
    listed = {item["cve-id"] for item in data.value["vulnerabilities"]}
    for index, reporter in enumerate(data.value.get("reporters", [])):
        for position, cve in enumerate(reporter.get("reported", [])):
            if cve not in listed:
                where = ("reporters", index, "reported", position)
                message = (
                    f"{format_path(where)}: {cve!r} is not in vulnerabilities "
                    f"({', '.join(sorted(listed))})"
                )
                yield data.diagnostic(where, "A113", message)


def check_errata(data: LocatedData) -> Iterator[Diagnostic]:
    has_errata = "errata" in data.value
    has_history = "errata_history" in data.value
    if has_errata != has_history:
        present, absent = (
            ("errata", "errata_history") if has_errata else ("errata_history", "errata")
        )
        message = f"{present}: given without {absent}"
        yield _warning(data.diagnostic((present,), "A114", message, key=True))


def check_assessments(data: LocatedData) -> Iterator[Diagnostic]:
    for index, item in enumerate(data.value["vulnerabilities"]):
        assessment = item.get("impact-assessment", {}).get("assessment")
        if assessment is None:
            continue
        where = ("vulnerabilities", index, "impact-assessment", "assessment")
        rating = rate_vector(assessment["detail"])
        stated = assessment.get("score")
        if rating is None:
            message = (
                f"{format_path((*where, 'detail'))}: "
                f"{assessment['detail']!r} is not a CVSS vector"
            )
            yield _warning(data.diagnostic((*where, "detail"), "A115", message))
        elif stated is not None and abs(rating.score - stated) > _SCORE_TOLERANCE:
            message = (
                f"{format_path((*where, 'score'))}: {stated} differs from "
                f"{rating.score} computed from {rating.vector}"
            )
            yield _warning(data.diagnostic((*where, "score"), "A115", message))


def _warning(diagnostic: Diagnostic) -> Diagnostic:
    return replace(diagnostic, severity=Severity.WARNING)


def build_advisory(data: LocatedData, label: str) -> Advisory:
    """Turn schema-valid data into an :class:`Advisory`."""
    raw = data.value
    identifier = raw["id"]
    published = _midnight(raw["date"])
    history = tuple(clean_line(entry) for entry in raw.get("errata_history", []))
    products = {package_key(clean_line(i["product"])) for i in raw["affected-products"]}
    return Advisory(
        id=identifier,
        aliases=sort_ids(
            item["cve-id"]
            for item in raw["vulnerabilities"]
            if item["cve-id"] != REQUESTED
        ),
        title=clean_line(raw["title"]),
        details=clean_text(raw["description"]),
        ratings=read_ratings(raw),
        affected=combine_packages(
            read_product(item) for item in raw["affected-products"]
        ),
        published=published,
        modified=max([published, *(_midnight(entry) for entry in history)]),
        withdrawn=None,
        references=read_references(raw),
        sources=(Source(identifier, database_name(identifier), label),),
        patches=tuple(read_patches(raw.get("reviews", {}), products)),
        errata=clean_text(raw.get("errata", "")),
        errata_history=history,
        notes=tuple(clean_text(note) for note in raw.get("notes", [])),
        credits=tuple(read_credit(reporter) for reporter in raw.get("reporters", [])),
    )


def _midnight(text: str) -> dt.datetime:
    day = parse_date(text) or dt.date.min
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def read_ratings(raw: dict[str, Any]) -> tuple[Rating, ...]:
    """Scores of the legacy (2012-2015) assessments' vectors."""
    ratings = []
    for item in raw["vulnerabilities"]:
        assessment = item.get("impact-assessment", {}).get("assessment")
        rating = rate_vector(assessment["detail"]) if assessment else None
        if rating is not None:
            ratings.append(rating)
    return tuple(dict.fromkeys(ratings))


def read_product(item: dict[str, str]) -> AffectedPackage:
    text = clean_line(item["version"])
    return AffectedPackage(
        ecosystem=ECOSYSTEM,
        name=clean_line(item["product"]),
        ranges=parse_ossa_versions(text) or (),
        version_text=text,
    )


def read_references(raw: dict[str, Any]) -> tuple[Reference, ...]:
    """The advisory's own page, its bug reports and the legacy announcement."""
    own = id_url(raw["id"])
    references = [Reference.from_text("ADVISORY", own)] if own else []
    issues = raw.get("issues", {}).get("links", [])
    references += [Reference.from_text("REPORT", link) for link in issues]
    if "reference" in raw:
        references.append(Reference.from_text("ARTICLE", raw["reference"]))
    return tuple(references)


def read_patches(reviews: dict[str, Any], products: Collection[str]) -> Iterator[Patch]:
    """Patches per branch; the product comes from the key or the line.

    Branch keys are free text (``2023.2/bobcat nova errata 1``,
    ``2024.2/dalmatian(cinder)``, ``2024.1/caracal (unmaintained)``) and so
    are lines (``https://... (glance)``, ``https://... - errata``). The
    first word is the branch; a word naming an affected product is the
    product; the other words are a note. Non-list values (the legacy
    ``type: gerrit``) are skipped.
    """
    for key, lines in reviews.items():
        if not isinstance(lines, list):
            continue
        branch, _, key_label = clean_line(key).replace("(", " (").partition(" ")
        key_product, key_note = _product_and_note(key_label, products)
        for line in lines:
            url, _, line_label = clean_line(line).partition(" ")
            line_product, line_note = _product_and_note(line_label, products)
            yield Patch(
                branch=clean_line(branch),
                product=line_product or key_product,
                note=clean_line(" ".join(filter(None, (key_note, line_note)))),
                link=Reference.from_text("FIX", url),
            )


_LABEL_WORD = re.compile(r"[^\s()]+")


def _product_and_note(text: str, products: Collection[str]) -> tuple[str, str]:
    words = [w for w in _LABEL_WORD.findall(text) if w.strip("-")]
    named = [w for w in words if package_key(w) in products]
    product = package_key(named[0]) if named else ""
    note = " ".join(w for w in words if not named or w != named[0])
    return product, note


def read_credit(reporter: dict[str, Any]) -> str:
    name = clean_line(reporter["name"])
    affiliation = clean_line(reporter.get("affiliation", ""))
    if affiliation.casefold() in NO_AFFILIATION:
        return name
    return f"{name} ({affiliation})"
