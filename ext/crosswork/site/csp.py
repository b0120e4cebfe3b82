"""The Content-Security-Policy of the published site.

Every page carries the policy in ``<meta http-equiv="Content-Security-Policy">``:
scripts from the site itself and the page's own inline scripts, each
allowed by the SHA-256 hash of its exact text, nothing from another origin.
Data never becomes markup on this site; the policy is the second wall, so
that a slip there still runs no script.

Two directives cannot be delivered in a ``<meta>`` element
(``frame-ancestors``, and reporting): :data:`HEADER_POLICY` is what the web
server sends as an HTTP header. Both policies apply together; the header
holds no ``script-src``, since the hashes differ from page to page.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable

#: The page policy, less its inline script hashes. Styles allow inline
#: markup: docutils writes table column widths as ``style`` attributes and
#: the icon script adds its style sheet when it runs. ``data:`` images are
#: the theme's inline SVG icons, drawn by its style sheets.
PAGE_DIRECTIVES: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'", "'unsafe-inline'"),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "object-src": ("'none'",),
    "frame-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
}

#: What the server sends as the ``Content-Security-Policy`` header: the
#: directives a ``<meta>`` element cannot carry, and those that hold for
#: every page whatever its scripts.
HEADER_POLICY = (
    "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"
)


def script_hash(body: str) -> str:
    """The CSP source expression that allows the inline script ``body``."""
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def page_policy(inline_scripts: Iterable[str]) -> str:
    """The policy of one page whose inline scripts are ``inline_scripts``."""
    hashes = tuple(dict.fromkeys(script_hash(body) for body in inline_scripts))
    directives = dict(PAGE_DIRECTIVES)
    directives["script-src"] = (*directives["script-src"], *hashes)
    return "; ".join(" ".join((name, *sources)) for name, sources in directives.items())
