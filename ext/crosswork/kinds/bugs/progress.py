"""What the tracked bugs say about a spec: "3 of 5 fixed".

Read from the derived sources of :mod:`crosswork.kinds.bugs.tracking`
only. A bug is counted as unknown when the snapshot lacks it (never
fetched, not found upstream, or an entry that names no bug a tracker can
be asked for); the figure says how many, rather than counting them as
open. "Fixed" is :func:`crosswork.kinds.bugs.tracking.is_fixed`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crosswork.fetch.sources import source_id
from crosswork.kinds.bugs import KIND
from crosswork.kinds.bugs.tracking import (
    BugRef,
    is_fixed,
    items_by_key,
    parse_ref,
    spec_refs,
    track_name,
)
from crosswork.links import safe_https_url
from crosswork.specs.model import Spec
from crosswork.specs.progress import Link, Progress, Read


def tracking_source(workgroup: str, tracker: str) -> str:
    return source_id(workgroup, KIND, track_name(tracker))


def progress(spec: Spec, site: Any, read: Read) -> list[Progress]:
    """The spec's tracking bugs, fixed out of all; nothing if it tracks none."""
    refs = spec_refs(spec)
    if not refs:
        return []
    trackers = sorted({ref.tracker for _, ref in refs if ref is not None})
    sources = tuple(tracking_source(spec.workgroup, tracker) for tracker in trackers)
    known: dict[str, Mapping[str, Mapping[str, Any]]] = {
        tracker: items_by_key(read(source).items)
        for tracker, source in zip(trackers, sources, strict=True)
    }
    rows = [bug_row(text, ref, known) for text, ref in refs]
    fixed = sum(1 for row in rows if row["state"] == "fixed")
    unknown = sum(1 for row in rows if row["state"] == "unknown")
    return [
        Progress(
            key="tracking",
            label="Tracking bugs",
            summary=tracking_summary(fixed, len(rows), unknown),
            done=fixed,
            total=len(rows),
            links=tuple(link for row in rows if (link := bug_link(row)) is not None),
            sources=sources,
            detail={"unknown": unknown, "bugs": rows},
        )
    ]


def tracking_summary(fixed: int, total: int, unknown: int) -> str:
    """``3 of 5 fixed``, and how many of them the snapshot cannot tell."""
    summary = f"{fixed} of {total} fixed"
    return f"{summary}, {unknown} unknown" if unknown else summary


def bug_row(
    text: str, ref: BugRef | None, known: Mapping[str, Mapping[str, Mapping[str, Any]]]
) -> dict[str, Any]:
    """One tracked bug for the figure: fixed, open or unknown, and its page."""
    item = None if ref is None else known.get(ref.tracker, {}).get(ref.key)
    if ref is None or item is None:
        return {
            "ref": text,
            "tracker": None if ref is None else ref.tracker,
            "state": "unknown",
            "status": None,
            "url": safe_https_url(ref.url if ref else text),
        }
    return {
        "ref": text,
        "tracker": ref.tracker,
        "state": "fixed" if is_fixed(item, ref) else "open",
        "status": item.get("status"),
        "url": safe_https_url(str(item.get("url") or ref.url)),
    }


def bug_link(row: Mapping[str, Any]) -> Link | None:
    """``nova#1458945 (fixed)``, linked to the bug; None without a safe URL."""
    if not row["url"]:
        return None
    ref = parse_ref(row["ref"])
    name = ref.label if ref else row["ref"]
    return Link(f"{name} ({row['state']})", row["url"])
