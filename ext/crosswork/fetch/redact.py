"""The one way the fetch step shows a URL in a message, log or status file.

URLs reach messages from ``CROSSWORK_ENDPOINTS``, from upstream redirects
and from the client's own requests; any of them may carry a password or a
token in its userinfo or query. Every message names a URL through
``redact_url``, so none of them can echo one.
"""

from __future__ import annotations

import re

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_QUERY_OR_FRAGMENT = re.compile(r"[?#]")

#: What stands for removed credentials, so a reader sees there were some.
HIDDEN = "***@"


def redact_url(url: str) -> str:
    """``host[:port]/path``: no scheme, credentials, query or fragment.

    Works on the text rather than on a parser's fields, so a malformed URL
    (a bad port, a stray bracket) is redacted too instead of raising.
    Everything up to the last ``@`` counts as credentials, even when a
    mistyped password holds ``/``, ``?`` or ``#`` that a parser would take
    for the path or query: a URL with ``@`` in its path loses that part,
    never a secret.
    """
    text = _SCHEME.sub("", url.strip(), count=1).lstrip("/")
    hidden = ""
    if "@" in text:
        hidden, text = HIDDEN, text.rpartition("@")[2]
    text = _QUERY_OR_FRAGMENT.split(text, maxsplit=1)[0]
    host, slash, path = text.partition("/")
    return f"{hidden}{host.lower()}{slash}{path}"
