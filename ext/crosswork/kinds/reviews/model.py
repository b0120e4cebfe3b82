"""One code review of spec files, whatever the service: a Gerrit change or
a GitHub pull request.

Both normalize to :class:`Review`: its state (open, merged, abandoned),
owner, times, the files it touches under the track's path prefix, the
votes cast on it per label and whether it is a draft. Text from the
upstream is cleaned and capped (:func:`crosswork.textclean.clean_line`);
the review's URL is built from the track and the number, never taken from
the payload. This module imports neither Sphinx nor docutils.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from crosswork.textclean import clean_line

OPEN = "open"
MERGED = "merged"
ABANDONED = "abandoned"
STATES = (OPEN, MERGED, ABANDONED)

GERRIT = "gerrit"
GITHUB = "github"
#: How pages name each service.
SERVICE_NAMES: Mapping[str, str] = {GERRIT: "Gerrit", GITHUB: "GitHub"}

MAX_SUBJECT = 300
MAX_NAME = 100
MAX_PATH = 500
MAX_LABEL = 60

#: The ``:Workgroup:`` field of a proposed spec: a slug, nothing else.
_WORKGROUP_FIELD = re.compile(
    r"^:Workgroup:[ \t]*([a-z0-9][a-z0-9-]{0,40})[ \t]*$", re.M
)
#: Only the head of a proposed file is searched for its field.
WORKGROUP_HEAD = 20_000


class ReviewError(ValueError):
    """A review payload without the fields every review has."""


@dataclass(frozen=True)
class Vote:
    """One account's vote on one label."""

    label: str
    name: str
    value: int

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "name": self.name, "value": self.value}


@dataclass(frozen=True)
class ReviewFile:
    """A file the review touches; ``added`` when the review creates it."""

    path: str
    added: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "added": self.added}


@dataclass(frozen=True)
class Review:
    """A review that touches spec files, as the snapshot stores it."""

    service: str
    number: int
    project: str
    subject: str
    state: str
    owner: str
    created: dt.datetime
    updated: dt.datetime
    url: str
    files: tuple[ReviewFile, ...] = ()
    votes: tuple[Vote, ...] = ()
    draft: bool = False
    #: The workgroup a new spec file names in its ``:Workgroup:`` field.
    workgroup: str = ""

    @property
    def is_open(self) -> bool:
        return self.state == OPEN

    @property
    def service_name(self) -> str:
        return SERVICE_NAMES.get(self.service, self.service)

    def votes_by_label(self) -> tuple[tuple[str, str], ...]:
        """``(("Code-Review", "+2 (1), -1 (1)"),)``: non-zero votes counted."""
        return summarize_votes(self.votes)

    def to_json(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "number": self.number,
            "project": self.project,
            "subject": self.subject,
            "state": self.state,
            "owner": self.owner,
            "created": format_time(self.created),
            "updated": format_time(self.updated),
            "url": self.url,
            "files": [f.to_json() for f in self.files],
            "votes": [v.to_json() for v in self.votes],
            "draft": self.draft,
            "workgroup": self.workgroup,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Review:
        """From a snapshot item (its checksum is already verified)."""
        return cls(
            service=data["service"],
            number=int(data["number"]),
            project=data["project"],
            subject=data["subject"],
            state=data["state"],
            owner=data["owner"],
            created=parse_iso(data["created"]),
            updated=parse_iso(data["updated"]),
            url=data["url"],
            files=tuple(ReviewFile(f["path"], bool(f["added"])) for f in data["files"]),
            votes=tuple(
                Vote(v["label"], v["name"], int(v["value"])) for v in data["votes"]
            ),
            draft=bool(data["draft"]),
            workgroup=data.get("workgroup", ""),
        )


def summarize_votes(votes: Iterable[Vote]) -> tuple[tuple[str, str], ...]:
    """Per label, each non-zero value and how many cast it, highest first."""
    counts: dict[str, Counter[int]] = {}
    for vote in votes:
        if vote.value:
            counts.setdefault(vote.label, Counter())[vote.value] += 1
    return tuple(
        (
            label,
            ", ".join(
                f"{value:+d} ({count})"
                for value, count in sorted(counted.items(), reverse=True)
            ),
        )
        for label, counted in sorted(counts.items())
    )


def format_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


def parse_iso(text: str) -> dt.datetime:
    """An ISO 8601 time (GitHub's ``Z`` too), as aware UTC."""
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone")
    return moment.astimezone(dt.UTC)


def parse_gerrit_time(text: str) -> dt.datetime:
    """Gerrit's ``2019-12-23 23:37:29.000000000``: UTC without a zone,
    nanoseconds cut to microseconds."""
    head, _, fraction = text.partition(".")
    moment = dt.datetime.strptime(head, "%Y-%m-%d %H:%M:%S")
    if fraction:
        if not fraction.isdigit():
            raise ValueError(f"{text!r} is not a Gerrit timestamp")
        moment = moment.replace(microsecond=int(fraction[:6].ljust(6, "0")))
    return moment.replace(tzinfo=dt.UTC)


def clean_subject(text: str) -> str:
    return clean_line(text, MAX_SUBJECT)


def clean_name(text: str) -> str:
    return clean_line(text, MAX_NAME)


def clean_path(text: str) -> str:
    return clean_line(text, MAX_PATH)


def clean_label(text: str) -> str:
    return clean_line(text, MAX_LABEL)


def workgroup_field(text: str) -> str:
    """The ``:Workgroup:`` slug of a proposed spec's head, or "".

    Only this one field is read, by a pattern that accepts a slug alone:
    the file is never parsed as markup.
    """
    found = _WORKGROUP_FIELD.search(text[:WORKGROUP_HEAD])
    return found.group(1) if found else ""


def under_prefix(path: str, prefix: str) -> bool:
    """Whether a repository path is a file below ``prefix`` (``specs/``)."""
    return path.startswith(prefix) and len(path) > len(prefix)
