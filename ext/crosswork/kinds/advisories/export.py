"""The machine-readable form of advisories, for ``api/advisories.json``.

The shape is ``advisories.api.schema.json`` beside this module, documented
in the API reference page and versioned by :data:`SCHEMA_VERSION`: adding a key
keeps the version, renaming or removing one bumps it (2: the site's
shared envelope, and ``page``). Values are JSON types only (dates as
RFC 3339 strings in UTC), lists keep the advisory's order, and a
reference's ``url`` is null when the link is not allowlisted (its ``text``
is always there). ``page`` is the advisory's page on the site, as the
caller addresses it (see :mod:`crosswork.site.api`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from crosswork.kinds.advisories.model import Advisory, AffectedPackage, Reference, utc
from crosswork.kinds.advisories.severity import Rating

SCHEMA_VERSION = 2


def advisories_document(
    advisories: Iterable[Advisory],
    *,
    updated: dt.datetime,
    page_of: Callable[[Advisory], str],
) -> dict[str, Any]:
    """The file's own keys: the data time and every advisory with its page."""
    return {
        "updated": _timestamp(updated),
        "advisories": [
            {"page": page_of(advisory), **advisory_record(advisory)}
            for advisory in advisories
        ],
    }


def advisory_record(advisory: Advisory) -> dict[str, Any]:
    """One advisory as a JSON-ready mapping (the snapshot stores it too)."""
    return {
        "id": advisory.id,
        "aliases": list(advisory.aliases),
        "title": advisory.title,
        "details": advisory.details,
        "severity": _rating(advisory.severity),
        "ratings": [_rating(rating) for rating in advisory.ratings],
        "affected": [_package(package) for package in advisory.affected],
        "published": _timestamp(advisory.published),
        "modified": _timestamp(advisory.modified),
        "withdrawn": _timestamp(advisory.withdrawn),
        "references": [_reference(reference) for reference in advisory.references],
        "patches": [
            {
                "branch": patch.branch,
                "product": patch.product,
                "note": patch.note,
                "text": patch.link.text,
                "url": patch.link.url,
            }
            for patch in advisory.patches
        ],
        "errata": advisory.errata,
        "errata_history": list(advisory.errata_history),
        "notes": list(advisory.notes),
        "credits": list(advisory.credits),
        "sources": [
            {"id": source.id, "database": source.database}
            for source in advisory.sources
        ],
    }


def _timestamp(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    # Not strftime("%Y"): it writes the year 1 as "1", which is no RFC 3339.
    return utc(moment).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def _rating(rating: Rating) -> dict[str, Any]:
    return {
        "label": rating.label,
        "score": rating.score,
        "version": rating.version or None,
        "vector": rating.vector or None,
        "database": rating.database or None,
        "word": rating.word or None,
    }


def _reference(reference: Reference) -> dict[str, Any]:
    return {"type": reference.type, "text": reference.text, "url": reference.url}


def _package(package: AffectedPackage) -> dict[str, Any]:
    return {
        "ecosystem": package.ecosystem,
        "name": package.name,
        "key": package.key,
        "affected": list(package.affected),
        "fixed_in": list(package.fixed_in),
        "version_text": package.version_text or None,
        "versions": list(package.versions),
        "git": [
            {
                "repo": _reference(git.repo),
                "events": [{kind: value} for kind, value in git.events],
            }
            for git in package.git_ranges
        ],
    }
