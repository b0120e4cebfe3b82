"""Spec reviews: proposals of specs under code review, on Gerrit or GitHub.

``provider`` fetches a track's open changes or pull requests, and those
merged or abandoned within its window, that touch files below the spec
folder; ``model`` normalizes both services to one :class:`Review`;
``specs`` answers for specs from the snapshot (the review state and votes
of a spec, the open proposals of new or changed specs); ``tracks`` lists
the charters' tracks; ``fake`` serves recorded Gerrit changes and GitHub
pulls in tests; ``sphinxext`` puts a track's reviews on its charter page.
"""

from __future__ import annotations

from pathlib import Path

from crosswork.datakind import DataKind

KIND = "reviews"

RECORD = DataKind(
    name=KIND,
    summary="Spec proposals under code review on Gerrit and GitHub, with their votes.",
    provider="crosswork.kinds.reviews.provider:PROVIDER",
    track_schema=Path(__file__).with_name("track.schema.json"),
    extension="crosswork.kinds.reviews.sphinxext",
    fake_routes="crosswork.kinds.reviews.fake:routes",
    hostile="crosswork.kinds.reviews.fake:hostile",
    spec_progress="crosswork.kinds.reviews.specs:progress",
    proposals="crosswork.kinds.reviews.specs:proposals",
    example={
        "name": "gerrit-ui",
        "gerrit": "gerrit",
        "prefix": "polygerrit-ui/",
        "days": 30,
    },
    other_examples=(
        {
            "name": "openframeworks-specs",
            "github": "openframeworks/openFrameworks",
        },
    ),
)
