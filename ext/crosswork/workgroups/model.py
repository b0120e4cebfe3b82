"""The workgroup registry as typed, immutable values.

Instances are built only from data that passed the schema and the
cross-field rules (:mod:`crosswork.workgroups.registry`), so the code that
renders them can trust their shape.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

WEEKDAYS = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)


@dataclass(frozen=True)
class StatusChange:
    status: str
    date: dt.date
    note: str = ""


#: Where a deliverable stands, in the order a deliverable moves through them.
DELIVERABLE_STATUSES = ("planned", "in-progress", "done", "dropped")


@dataclass(frozen=True)
class Deliverable:
    title: str
    description: str
    target: str = ""
    #: One of :data:`DELIVERABLE_STATUSES`.
    status: str = "planned"
    #: Who answers for it: a person or a team, one line; empty when nobody yet.
    owner: str = ""


@dataclass(frozen=True)
class Chair:
    name: str
    #: Contact handles by kind: irc, matrix, email, github, launchpad.
    handles: dict[str, str]
    since: dt.date | None = None


@dataclass(frozen=True)
class Liaison:
    """The Technical Committee member who follows the workgroup."""

    name: str
    #: Contact handles by kind, as for chairs; may be empty.
    handles: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Communication:
    mailing_list: str
    tag: str
    chat: str
    #: The https address of the list's archive, when the charter gives one.
    archive: str = ""


@dataclass(frozen=True)
class Meeting:
    """A recurring meeting slot; all times are UTC."""

    title: str
    recurrence: str
    start_date: dt.date
    weekday: str
    time: dt.time
    duration: int
    channel: str
    agenda: str
    week_of_month: int | None = None
    #: The https address of the meeting's logs or minutes, when given.
    logs: str = ""
    end_date: dt.date | None = None
    skip: tuple[dt.date, ...] = ()

    @property
    def weekday_index(self) -> int:
        return WEEKDAYS.index(self.weekday)

    @property
    def end_time(self) -> dt.time:
        start = dt.datetime.combine(self.start_date, self.time)
        return (start + dt.timedelta(minutes=self.duration)).time()


@dataclass(frozen=True)
class Workgroup:
    slug: str
    name: str
    status: str
    status_history: tuple[StatusChange, ...]
    mission: str
    scope_in: tuple[str, ...]
    scope_out: tuple[str, ...]
    deliverables: tuple[Deliverable, ...]
    chairs: tuple[Chair, ...]
    stakeholders: tuple[str, ...]
    communication: Communication
    meetings: tuple[Meeting, ...]
    #: Data tracks, validated by the schema; each data capability reads its key.
    tracks: dict[str, Any] = field(default_factory=dict)
    #: The charter file, as given to the loader.
    source: str = ""
    #: The TC liaison; None while the charter says "to be appointed".
    liaison: Liaison | None = None
    #: How the workgroup will know it is done and can retire.
    exit_criteria: tuple[str, ...] = ()

    @property
    def since(self) -> dt.date:
        """When the current status began."""
        return self.status_history[-1].date
