"""The Atom feed of security advisories.

Which entries: every advisory dated in the 8 days before the feed's
``updated`` time, and at least the 10 newest (the RustSec rule), so a burst
of advisories is never cut short and a quiet month never empties the feed.
Withdrawn advisories are left out.

The same input always gives the same bytes: there is no "now" (``updated``
is passed in, e.g. the snapshot date) and entries are in a fixed order.
Entries are plain text, built by :mod:`crosswork.feeds`. Each package
page has its own feed (:func:`package_feed`), chosen by the same rule
among the advisories that affect the package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from crosswork.feeds import FeedEntry, atom
from crosswork.kinds.advisories.indexes import latest
from crosswork.kinds.advisories.model import Advisory, utc

#: Where each advisory's page is published; the feed links entries there.
PAGE_URL = "{site_url}/security/advisories/{primary_id}.html"
FEED_URL = "{site_url}/security/advisories.atom"
INDEX_URL = "{site_url}/security/advisories/index.html"
PACKAGE_FEED_URL = "{site_url}/security/packages/{slug}.atom"
PACKAGE_PAGE_URL = "{site_url}/security/packages/{slug}.html"
WINDOW = dt.timedelta(days=8)
MINIMUM_ENTRIES = 10


def feed_entries(
    advisories: Iterable[Advisory],
    *,
    updated: dt.datetime,
    window: dt.timedelta = WINDOW,
    minimum: int = MINIMUM_ENTRIES,
) -> list[Advisory]:
    """Advisories of the last ``window``, or the ``minimum`` newest if more."""
    every = list(advisories)
    listed = latest(every, len(every))
    cutoff = utc(updated) - window
    recent = sum(1 for advisory in listed if advisory.date >= cutoff)
    return listed[: max(recent, minimum)]


def atom_feed(
    advisories: Iterable[Advisory],
    *,
    site_url: str,
    updated: dt.datetime,
    page_url: str = PAGE_URL,
    feed_url: str = FEED_URL,
    index_url: str = INDEX_URL,
    title: str = "Security advisories",
    author: str = "Security workgroup",
) -> bytes:
    """The feed as UTF-8 XML.

    ``page_url``, ``feed_url`` and ``index_url`` are patterns with a
    ``{site_url}`` field (and, for pages, ``{primary_id}``).
    """
    site_url = site_url.rstrip("/")
    entries = [
        FeedEntry(
            id=(url := page_url.format(site_url=site_url, primary_id=advisory.id)),
            title=f"{advisory.id}: {advisory.title}",
            url=url,
            updated=advisory.modified,
            text=entry_text(advisory),
            published=advisory.published,
        )
        for advisory in feed_entries(advisories, updated=updated)
    ]
    return atom(
        entries,
        feed_url=feed_url.format(site_url=site_url),
        page_url=index_url.format(site_url=site_url),
        title=title,
        author=author,
        updated=utc(updated),
    )


def package_feed(
    advisories: Iterable[Advisory], *, slug: str, site_url: str, updated: dt.datetime
) -> bytes:
    """One package's feed: the same entries rule, linking the package's page."""
    return atom_feed(
        advisories,
        site_url=site_url,
        updated=updated,
        feed_url=PACKAGE_FEED_URL.format(site_url="{site_url}", slug=slug),
        index_url=PACKAGE_PAGE_URL.format(site_url="{site_url}", slug=slug),
        title=f"Security advisories for {slug}",
    )


def entry_text(advisory: Advisory) -> str:
    """What the advisory says, as plain text lines."""
    lines = [f"Severity: {advisory.severity.text}"]
    if advisory.aliases:
        lines.append(f"Also known as: {', '.join(advisory.aliases)}")
    for package in advisory.affected:
        line = f"Affected: {package.name} ({package.ecosystem})"
        if package.affected:
            line += f" {'; '.join(package.affected)}"
        if package.fixed_in:
            line += f"; fixed in {', '.join(package.fixed_in)}"
        lines.append(line)
    if advisory.details:
        lines += ["", advisory.details]
    return "\n".join(lines)
