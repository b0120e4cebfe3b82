"""Atom feeds: one builder for every feed of the site.

Entries are plain text (``feedgen`` escapes it as XML) and the same
input gives the same bytes: there is no "now", the caller passes
``updated`` (a snapshot's date, say) and entries keep the caller's order.
Each feed links itself (``rel=self``) and the page it follows
(``rel=alternate``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class FeedEntry:
    #: Permanent and unique: the entry's page URL, with a fragment if a page
    #: has several entries.
    id: str
    title: str
    url: str
    updated: dt.datetime
    text: str
    published: dt.datetime | None = None


def atom(
    entries: Iterable[FeedEntry],
    *,
    feed_url: str,
    page_url: str,
    title: str,
    author: str,
    updated: dt.datetime,
) -> bytes:
    """The feed as UTF-8 XML."""
    # Imported here: with lxml and dateutil it is a tenth of the site's
    # start-up, and a rebuild that changes nothing writes no feed.
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title(title)
    feed.author({"name": author})
    feed.link(href=feed_url, rel="self")
    feed.link(href=page_url, rel="alternate")
    feed.generator("crosswork")
    feed.updated(updated)
    for item in entries:
        entry = feed.add_entry(order="append")
        entry.id(item.id)
        entry.title(item.title)
        entry.link(href=item.url, rel="alternate")
        entry.updated(item.updated)
        if item.published is not None:
            entry.published(item.published)
        entry.content(item.text, type="text")
    return feed.atom_str(pretty=True)
