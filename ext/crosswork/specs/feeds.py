"""The spec feeds: events of the specs, as Atom entries.

One feed for the whole site and one per workgroup. Their entries are the
ledger's events (a spec created, approved, implemented, any other status
change; :mod:`crosswork.specs.ledger`) and the proposals opened for review
(from the data kinds that follow code review). Every entry links to the
spec's page; a proposal for a spec not merged yet links to the specs
index, where it is listed under review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence

from crosswork.feeds import FeedEntry
from crosswork.specs.ledger import SpecEvent
from crosswork.specs.model import Spec
from crosswork.specs.progress import Proposal

#: Entries a feed keeps, newest first.
FEED_SIZE = 50

#: Where feeds are published, beside the HTML.
SITE_FEED = "specs/specs.atom"
WORKGROUP_FEED = "specs/{workgroup}.atom"

_VERBS = {"approved": "Approved", "implemented": "Implemented"}


def event_entry(
    event: SpecEvent, spec: Spec, page_url: Callable[[str], str]
) -> FeedEntry:
    """An event as an entry; its id is the spec page with the event's key."""
    url = page_url(spec.id)
    if event.kind == "created":
        title = f"New spec: {spec.title}"
        text = f"{spec.title} ({spec.workgroup}, cycle {spec.cycle}) was created"
        text += f" on {event.day.isoformat()}."
        if event.status:
            text += f" Its status was {event.status} when the site first saw it."
    elif event.kind in _VERBS:
        title = f"{_VERBS[event.kind]}: {spec.title}"
        text = f"{spec.title} is {event.status} (it was {event.before})."
        if event.kind == "implemented" and spec.implemented_in:
            text += f" It landed in {spec.implemented_in}."
    else:
        title = f"Now {event.status}: {spec.title}"
        text = (
            f"The status of {spec.title} changed from {event.before} to {event.status}."
        )
    return FeedEntry(
        id=f"{url}#{event.key}",
        title=title,
        url=url,
        updated=midnight(event.day),
        text=text,
    )


def proposal_entry(
    proposal: Proposal,
    specs: Mapping[str, Spec],
    page_url: Callable[[str], str],
    index_url: str,
) -> FeedEntry:
    spec = specs.get(proposal.spec_id)
    target = f"a change to {spec.title}" if spec else f"a new spec, {proposal.path}"
    text = (
        f"{proposal.owner} proposed {target} for review: {proposal.title} "
        f"({proposal.service} {proposal.number}, {proposal.url})."
    )
    return FeedEntry(
        id=proposal.url,
        title=f"Proposed: {proposal.title}",
        url=page_url(spec.id) if spec else f"{index_url}#under-review",
        updated=proposal.created,
        text=text,
        published=proposal.created,
    )


def feed_entries(
    events: Iterable[SpecEvent],
    proposals: Iterable[Proposal],
    specs: Mapping[str, Spec],
    *,
    page_url: Callable[[str], str],
    index_url: str,
    workgroup: str = "",
    size: int = FEED_SIZE,
) -> list[FeedEntry]:
    """The newest ``size`` entries, of one workgroup if given."""
    entries = [
        event_entry(event, specs[event.spec_id], page_url)
        for event in events
        if event.spec_id in specs and (not workgroup or event.workgroup == workgroup)
    ]
    entries += [
        proposal_entry(proposal, specs, page_url, index_url)
        for proposal in proposals
        if not workgroup or proposal.workgroup == workgroup
    ]
    entries.sort(key=lambda entry: (entry.updated, entry.id), reverse=True)
    return entries[:size]


def newest(entries: Sequence[FeedEntry]) -> dt.datetime | None:
    return max((entry.updated for entry in entries), default=None)


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
