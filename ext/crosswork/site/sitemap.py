"""The files that tell crawlers what the site holds: sitemap and robots.

Both are plain text computed from the site's address and its pages'
addresses. A sitemap needs absolute addresses: without a site address
there is none, and ``robots.txt`` names none.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape

#: Where the files go, at the root of the site.
SITEMAP_FILE = "sitemap.xml"
ROBOTS_FILE = "robots.txt"


def sitemap_xml(addresses: Iterable[str]) -> str:
    """A sitemap listing ``addresses`` (absolute, in the order given)."""
    entries = "".join(
        f"  <url><loc>{escape(address)}</loc></url>\n" for address in addresses
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</urlset>\n"
    )


def robots_txt(sitemap_address: str | None) -> str:
    """Every crawler may read every page; the sitemap is named if there is one."""
    lines = ["User-agent: *", "Allow: /"]
    if sitemap_address:
        lines += ["", f"Sitemap: {sitemap_address}"]
    return "\n".join(lines) + "\n"
