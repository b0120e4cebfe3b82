"""Which bugs a list shows, in which order, and which wait for triage.

Ages are measured against the moment the data was fetched, never the
wall clock: the same snapshot renders the same pages on any day, and a
page changes only when its data does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from crosswork.kinds.bugs.provider import Bug
from crosswork.kinds.bugs.vocabulary import IMPORTANCES, NEW, STATUSES, UNDECIDED, rank

#: Default age, in days, past which an untriaged bug joins the triage queue.
TRIAGE_DAYS = 7

#: Keys a list can be sorted by; ``-key`` reverses one.
SORT_KEYS = ("id", "created", "updated", "importance", "status", "title")
DEFAULT_SORT = "importance"


@dataclass(frozen=True)
class BugFilter:
    """What a bug must have to be listed; an empty field accepts anything.

    Statuses, importances and tags compare without regard to case; every
    tag in ``tags`` must be on the bug. Ages are whole days before
    ``as_of``: ``older_than=7`` keeps bugs reported more than 7 days
    before it, ``newer_than=7`` those reported less than 7 days before.
    """

    statuses: frozenset[str] = frozenset()
    importances: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    older_than: int | None = None
    newer_than: int | None = None

    @classmethod
    def of(
        cls,
        statuses: Iterable[str] = (),
        importances: Iterable[str] = (),
        tags: Iterable[str] = (),
        older_than: int | None = None,
        newer_than: int | None = None,
    ) -> BugFilter:
        return cls(
            frozenset(s.casefold() for s in statuses),
            frozenset(i.casefold() for i in importances),
            frozenset(t.casefold() for t in tags),
            older_than,
            newer_than,
        )

    def matches(self, bug: Bug, as_of: dt.datetime) -> bool:
        age = as_of - bug.created
        return (
            (not self.statuses or bug.status.casefold() in self.statuses)
            and (
                not self.importances
                or (bug.importance or "").casefold() in self.importances
            )
            and self.tags <= {tag.casefold() for tag in bug.tags}
            and (self.older_than is None or age > dt.timedelta(days=self.older_than))
            and (self.newer_than is None or age < dt.timedelta(days=self.newer_than))
        )


def filter_bugs(bugs: Iterable[Bug], rule: BugFilter, as_of: dt.datetime) -> list[Bug]:
    return [bug for bug in bugs if rule.matches(bug, as_of)]


@dataclass(frozen=True)
class SortOrder:
    key: str = DEFAULT_SORT
    descending: bool = False

    @classmethod
    def parse(cls, text: str) -> SortOrder:
        """``importance``, ``-updated``...; raises ValueError on other keys."""
        text = text.strip()
        key = text.removeprefix("-")
        if key not in SORT_KEYS:
            raise ValueError(
                f"{text!r} is not a sort key (use {', '.join(SORT_KEYS)},"
                " optionally with a leading -)"
            )
        return cls(key, text.startswith("-"))


def sort_bugs(bugs: Iterable[Bug], order: SortOrder = SortOrder()) -> list[Bug]:
    """Bugs in ``order``; ties keep tracker, project and id order.

    Ascending importance and status mean most important and least advanced
    first; a bug never updated counts as updated when it was reported.
    """
    ranked = sorted(bugs, key=identity)
    return sorted(
        ranked, key=lambda bug: _sort_value(bug, order.key), reverse=order.descending
    )


def _sort_value(bug: Bug, key: str) -> Any:
    if key == "importance":
        return rank(bug.importance, IMPORTANCES)
    if key == "status":
        return rank(bug.status, STATUSES)
    if key == "updated":
        return bug.updated or bug.created
    if key == "title":
        return bug.title.casefold()
    return getattr(bug, key)


def identity(bug: Bug) -> tuple[str, str, int]:
    """One bug across tracks: two searches may both return it."""
    return (bug.tracker, bug.project, bug.id)


def limited(bugs: Sequence[Bug], limit: int | None) -> list[Bug]:
    return list(bugs if limit is None else bugs[:limit])


def age_in_days(bug: Bug, as_of: dt.datetime) -> int:
    """Whole days from the report to ``as_of`` (never negative)."""
    return max(0, (as_of - bug.created).days)


def is_untriaged(bug: Bug) -> bool:
    """Still New with no importance decided: nobody has triaged it yet.

    GitHub issues have no triage state (their status is open or closed),
    so they never are.
    """
    return bug.status == NEW and bug.importance in (None, UNDECIDED)


@dataclass(frozen=True)
class Waiting:
    """A bug in the triage queue and its age in days at its data's time."""

    bug: Bug
    age: int


def triage_queue(
    batches: Iterable[tuple[dt.datetime, Iterable[Bug]]], older_than: int
) -> list[Waiting]:
    """Untriaged bugs reported more than ``older_than`` days before their
    data was fetched, oldest first.

    ``batches`` pair each track's bugs with its snapshot's ``fetched_at``.
    A bug found by several tracks is listed once, with its greatest age.
    """
    rule = BugFilter(older_than=older_than)
    found: dict[tuple[str, str, int], Waiting] = {}
    for as_of, bugs in batches:
        for bug in bugs:
            if not (is_untriaged(bug) and rule.matches(bug, as_of)):
                continue
            entry = Waiting(bug, age_in_days(bug, as_of))
            known = found.get(identity(bug))
            if known is None or entry.age > known.age:
                found[identity(bug)] = entry
    return sorted(
        found.values(), key=lambda entry: (entry.bug.created, identity(entry.bug))
    )
