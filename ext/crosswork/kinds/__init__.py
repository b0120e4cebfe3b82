"""Every data kind of the site, one folder each, listed once.

A kind's folder holds all of it: track model, provider, normalized model,
views, Sphinx layer, fake-upstream routes and track schema; its
``__init__`` declares its :class:`~crosswork.datakind.DataKind` record.
Adding a kind is one folder and one line below.
"""

from __future__ import annotations

from crosswork.datakind import DataKind, by_name
from crosswork.kinds import adoption, advisories, bugs, ci, matrices, reviews

KINDS: tuple[DataKind, ...] = tuple(
    by_name(
        (
            bugs.RECORD,
            matrices.RECORD,
            advisories.RECORD,
            adoption.RECORD,
            ci.RECORD,
            reviews.RECORD,
        )
    ).values()
)
