"""``api/adoption.json``: every adoption track's analysis, in a versioned shape.

The shape is ``adoption.api.schema.json`` beside this module, documented
in ``doc/source/reference/api.rst``; renaming or removing a key raises
:data:`SCHEMA_VERSION` (2: the site's shared envelope, each track's
``page``, and ``fetched_at`` in UTC with a ``Z``). A track's ``analysis``
is the shape ``crosswork adoption --format json`` prints, versioned on its
own.
"""

from __future__ import annotations

from typing import Any

from crosswork.fetch.snapshot import Snapshot, format_time
from crosswork.kinds.adoption.analysis import Analysis
from crosswork.kinds.adoption.tracks import AdoptionTrack

SCHEMA_VERSION = 2
API_NAME = "adoption"


def track_record(
    track: AdoptionTrack,
    snapshot: Snapshot | None,
    analysis: Analysis | None,
    page: str,
) -> dict[str, Any]:
    """One track: where its data came from, how old it is, and its analysis."""
    return {
        "source": track.source_id,
        "page": page,
        "workgroup": track.workgroup,
        "title": track.title,
        "fetched_at": format_time(snapshot.fetched_at) if snapshot else None,
        "complete": snapshot.complete if snapshot else None,
        "analysis": analysis.to_json() if analysis else None,
    }
