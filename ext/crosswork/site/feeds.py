"""Feeds on the site: where they are, and the pages that announce them.

A feed needs the site's address (``html_baseurl``, from
``CROSSWORK_SITE_URL``): Atom ids and links are absolute, and a feed that
points elsewhere than the site it came from is worse than none. Without it
no feed is written and no page links one; pages say so where they would
offer a feed. Each extension that publishes feeds answers
``PAGE_FEEDS_EVENT`` for the pages that relate to them, and every such
page gets ``<link rel="alternate" type="application/atom+xml">`` in its head.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sphinx.util.osutil import relative_uri

from crosswork import __version__

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

#: Handlers ``(app, pagename) -> list[Feed]``: the feeds a page relates to.
PAGE_FEEDS_EVENT = "crosswork-page-feeds"

#: What pages say when feeds are off.
FEEDS_OFF = (
    "Atom feeds are published with the site: this build has no site address "
    "(CROSSWORK_SITE_URL), so it has none."
)


@dataclass(frozen=True)
class Feed:
    #: Beside the HTML, like ``specs/specs.atom``.
    path: str
    title: str


def site_url(config: Config) -> str:
    """The published site's address, without a trailing slash; "" if unset."""
    return (config.html_baseurl or "").rstrip("/")


def absolute(app: Sphinx, path: str) -> str:
    return f"{site_url(app.config)}/{path}"


def page_address(app: Sphinx, docname: str) -> str:
    return absolute(app, app.builder.get_target_uri(docname))


def link_feeds(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    if not site_url(app.config) or app.builder.format != "html":
        return
    feeds = [
        feed for found in app.events.emit(PAGE_FEEDS_EVENT, pagename) for feed in found
    ]
    here = app.builder.get_target_uri(pagename)
    tags = "".join(
        '\n<link rel="alternate" type="application/atom+xml" '
        f'title="{html.escape(feed.title)}" '
        f'href="{html.escape(relative_uri(here, feed.path))}">'
        for feed in dict.fromkeys(feeds)
    )
    context["metatags"] = context.get("metatags", "") + tags


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_event(PAGE_FEEDS_EVENT)
    app.connect("html-page-context", link_feeds)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
