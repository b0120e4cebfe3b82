"""Which links from outside data may become hyperlinks.

Text from upstreams and contributors is hostile until checked: a scheme
check is bypassed with leading spaces, control characters, mixed case or
userinfo (``https://github.com@evil.example/``). URLs are normalised first,
then must be https to an allowlisted host; anything else is shown as text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from urllib.parse import urlsplit

_CONTROLS = re.compile(r"[\x00-\x20\x7f-\x9f]")

#: Hosts that the project's own pages and data tracks link to.
DEFAULT_HOSTS = frozenset(
    {
        "bugs.launchpad.net",
        "launchpad.net",
        "blueprints.launchpad.net",
        "github.com",
        "osv.dev",
        "review.opendev.org",
        "opendev.org",
        "etherpad.opendev.org",
        "zuul.opendev.org",
        "security.openstack.org",
        "docs.openstack.org",
        "lists.openstack.org",
        "governance.openstack.org",
        "specs.openstack.org",
        "nvd.nist.gov",
        "www.cve.org",
        # Meeting logs and minutes: the published place, and its old name.
        "meetings.opendev.org",
        "eavesdrop.openstack.org",
        # Charter pages: a meeting time in the reader's zone, and the web
        # client of the chat network the channels are on.
        "www.timeanddate.com",
        "webchat.oftc.net",
    }
)


def normalise_url(url: str) -> str:
    """Strip whitespace and control characters and apply NFKC."""
    return _CONTROLS.sub("", unicodedata.normalize("NFKC", url))


def safe_https_url(url: str, hosts: Collection[str] = DEFAULT_HOSTS) -> str | None:
    """The normalised URL if it is https to an allowed host, else None."""
    cleaned = normalise_url(url)
    try:
        parts = urlsplit(cleaned)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() != "https" or parts.username or parts.password:
        return None
    host = (parts.hostname or "").lower()
    if host not in hosts or port not in (None, 443):
        return None
    return cleaned


def has_safe_scheme(url: str) -> bool:
    """Whether a link in a page is relative, http(s) or mailto."""
    cleaned = normalise_url(url)
    scheme, colon, _ = cleaned.partition(":")
    if not colon or "/" in scheme or "?" in scheme or "#" in scheme:
        return True  # relative: no scheme at all
    return scheme.lower() in {"http", "https", "mailto"}
