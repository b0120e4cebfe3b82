"""Bugs for unit tests: every field has a plain default."""

from __future__ import annotations

import datetime as dt

from crosswork.kinds.bugs.provider import Bug

AS_OF = dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.UTC)


def bug(number: int, **fields) -> Bug:
    values = {
        "id": number,
        "tracker": "launchpad",
        "project": "nova",
        "title": f"Bug {number}",
        "status": "New",
        "importance": "Undecided",
        "tags": (),
        "assignee": None,
        "created": AS_OF - dt.timedelta(days=fields.pop("age", 10)),
        "updated": None,
        "url": None,
    }
    values.update(fields)
    return Bug(**values)
