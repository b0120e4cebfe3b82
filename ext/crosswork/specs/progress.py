"""What the data says about a spec: its review and its progress.

Data kinds answer for a spec through two hooks of their record
(:class:`crosswork.datakind.DataKind`): ``spec_progress`` gives
:class:`Progress` figures (the review state, tracking bugs fixed, matrix
gaps closed) and ``proposals`` gives the open reviews that add or change a
spec, including specs not merged yet. Both read the snapshot only, through
a ``read`` function that returns a source's
:class:`~crosswork.fetch.view.SourceView` (the build's registers the page's
dependency on it; the CLI's just reads). The core renders them on spec
pages, indexes, charters, ``api/specs.json``, the feeds and
``crosswork specs``: no kind renders a spec page itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crosswork.fetch.view import SourceView

if TYPE_CHECKING:
    from crosswork.site.data import SiteData
    from crosswork.specs.model import Spec

#: Reads one source of the snapshot by id.
Read = Callable[[str], SourceView]


@dataclass(frozen=True)
class Link:
    """A link to an upstream page; rendered only if it passes the allowlist."""

    text: str
    url: str


@dataclass(frozen=True)
class Progress:
    """One figure about a spec, from one kind's data."""

    #: Key in ``api/specs.json`` and ``crosswork specs --format json``:
    #: ``review``, ``tracking``, ``gaps``...
    key: str
    #: What the figure is, as a field name: "Review", "Tracking bugs".
    label: str
    #: The figure in words: "3 of 5 fixed", "open, Code-Review +2 (2)".
    summary: str
    #: For a figure that is a count of a whole, both parts.
    done: int | None = None
    total: int | None = None
    #: A review's state (``open``, ``merged``, ``abandoned``); "" otherwise.
    state: str = ""
    #: When the figure last changed upstream (a review's last activity).
    updated: dt.datetime | None = None
    links: tuple[Link, ...] = ()
    #: ``(day, value)`` from the snapshot history, oldest first: a small chart.
    trend: tuple[tuple[dt.date, float], ...] = ()
    #: What the trend counts, for its caption: "open gaps".
    trend_label: str = ""
    #: The sources the figure is read from: the page says how old they are.
    sources: tuple[str, ...] = ()
    #: More of the figure, JSON-serializable, for the API.
    detail: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "summary": self.summary,
            "done": self.done,
            "total": self.total,
            "state": self.state or None,
            "updated": _iso(self.updated),
            "links": [{"text": link.text, "url": link.url} for link in self.links],
            "sources": list(self.sources),
            **self.detail,
        }


@dataclass(frozen=True)
class Proposal:
    """An open review that adds or changes a spec file."""

    title: str
    #: The spec file the review touches, ``specs/<cycle>/<slug>.rst``.
    path: str
    #: ``<cycle>/<slug>`` of the merged spec it changes; "" for a new spec.
    spec_id: str
    #: The workgroup of the spec, or the one the proposed file names; "".
    workgroup: str
    url: str
    #: "Gerrit" or "GitHub", and the change or pull number there.
    service: str
    number: int
    owner: str
    created: dt.datetime
    updated: dt.datetime
    #: Votes per label in words: ``(("Code-Review", "+2 (1), -1 (1)"),)``.
    votes: tuple[tuple[str, str], ...] = ()
    source: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "path": self.path,
            "spec": self.spec_id or None,
            "workgroup": self.workgroup or None,
            "url": self.url,
            "service": self.service,
            "number": self.number,
            "owner": self.owner,
            "created": _iso(self.created),
            "updated": _iso(self.updated),
            "votes": dict(self.votes),
            "source": self.source,
        }


#: ``function(spec, site, read) -> list[Progress]``, a kind's ``spec_progress``.
SpecProgress = Callable[["Spec", "SiteData", Read], "list[Progress]"]
#: ``function(site, read) -> list[Proposal]``, a kind's ``proposals``.
Proposals = Callable[["SiteData", Read], "list[Proposal]"]


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None
