"""``api/bugs.json``: every bug track of the charters, in a versioned shape.

The shape is ``bugs.api.schema.json`` beside this module, documented in
``doc/source/reference/api.rst``; renaming or removing a key raises
:data:`SCHEMA_VERSION`. A track's ``page`` is its section of the charter
page; each bug keeps its tracker's ``url`` (null when not allowlisted) and
names that section too. A track without data has a null ``total``, never
a zero it cannot know. An incomplete track (``complete`` false) lists
the bugs read before the fetch stopped: its counts are lower bounds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crosswork.fetch.snapshot import format_time
from crosswork.fetch.view import SourceView
from crosswork.kinds.bugs.provider import Bug
from crosswork.kinds.bugs.summary import summarize
from crosswork.kinds.bugs.tracks import Track

SCHEMA_VERSION = 1
API_NAME = "bugs"


def section_id(track: Track) -> str:
    """The id of the track's section on its charter page."""
    return f"bugs-{track.name}"


def track_record(
    track: Track, view: SourceView, bugs: Sequence[Bug], page: str
) -> dict[str, Any]:
    """One track: its search, how fresh its data is, counts and bugs."""
    snapshot = view.snapshot
    summary = summarize(bugs)
    return {
        "source": track.id,
        "page": page,
        "workgroup": track.workgroup,
        "name": track.name,
        "tracker": track.query.tracker,
        "project": track.query.project,
        "search": track.search,
        "state": view.state,
        "fetched_at": format_time(snapshot.fetched_at) if snapshot else None,
        "complete": snapshot.complete if snapshot else None,
        "total": summary.total if snapshot else None,
        "by_status": dict(summary.by_status),
        "by_importance": {
            importance or "none": count for importance, count in summary.by_importance
        },
        "bugs": [{**bug.to_json(), "page": page} for bug in bugs],
    }
