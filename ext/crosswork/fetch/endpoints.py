"""Where each upstream service lives, and which hosts may be contacted.

Every outbound URL, including each redirect hop, must be https to a host
of :data:`ALLOWED_HOSTS`. ``CROSSWORK_ENDPOINTS`` may point a service at
another base URL (the fake upstream in tests and demos); plain http is
accepted there only for loopback addresses, so the variable cannot send
requests, or the GitHub token, anywhere on the network.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crosswork.fetch.redact import redact_url

#: The variable that overrides service base URLs.
ENVIRONMENT_VARIABLE = "CROSSWORK_ENDPOINTS"

#: Base URL of each service; ``files`` serves raw files of repositories.
DEFAULT_BASES: Mapping[str, str] = {
    "launchpad": "https://api.launchpad.net",
    "github": "https://api.github.com",
    "gerrit": "https://review.opendev.org",
    "osv": "https://api.osv.dev",
    "zuul": "https://zuul.opendev.org",
    "files": "https://opendev.org",
}

#: The only hosts the fetch step talks to over the network.
ALLOWED_HOSTS = frozenset(
    urlsplit(base).hostname or "" for base in DEFAULT_BASES.values()
)

_WORD = re.compile(r"[A-Za-z0-9_-]{1,40}")

#: The one host that may receive the GitHub token.
GITHUB_API_HOST = "api.github.com"


class EndpointError(ValueError):
    """``CROSSWORK_ENDPOINTS`` names an unknown service or a forbidden URL."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback IP literal (names are not trusted)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def origin(url: str) -> tuple[str, str, int]:
    """Scheme, lower-case host and port: what decides where bytes go."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme == "https" else 80)
    return scheme, (parts.hostname or "").lower(), port


def host_key(url: str) -> str:
    """``host:port``: the unit of per-host limits and circuit breaking."""
    _, host, port = origin(url)
    return f"{host}:{port}"


def is_allowed_network_url(url: str) -> bool:
    """https, no userinfo, default port, and an allowlisted host."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    return (
        parts.scheme.lower() == "https"
        and not parts.username
        and not parts.password
        and (parts.hostname or "").lower() in ALLOWED_HOSTS
        and port in (None, 443)
    )


@dataclass(frozen=True)
class Endpoints:
    """Base URL per service, plus the loopback origins of overrides."""

    bases: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_BASES))

    def base(self, service: str) -> str:
        return self.bases[service]

    def host_of(self, service: str) -> str:
        return host_key(self.bases[service])

    def name_stand_ins(self, message: str, service: str) -> str:
        """``message`` with the address of each overridden endpoint replaced
        by what it stands in for (``[launchpad stand-in]/1.0/nova``): a test
        server's loopback address means nothing to whoever reads the status
        file later. An origin shared by several overrides is named after
        ``service``, the one the message is about."""
        names = sorted(self.bases, key=lambda name: (name != service, name))
        for name in names:
            if self.overridden(name):
                address = redact_url(self.bases[name]).rstrip("/")
                message = message.replace(address, f"[{name} stand-in]")
        return message

    def overridden(self, service: str) -> bool:
        """Whether ``service`` is served from another address than its own:
        data from there is sample data, not the upstream's."""
        return self.bases[service] != DEFAULT_BASES.get(service)

    def _loopback_origins(self) -> set[tuple[str, str, int]]:
        return {
            origin(base)
            for base in self.bases.values()
            if is_loopback(urlsplit(base).hostname or "")
        }

    def permits(self, url: str) -> bool:
        """Whether the client may send a request to ``url``."""
        if is_allowed_network_url(url):
            return True
        try:
            parts = urlsplit(url)
            where = origin(url)
        except ValueError:
            return False
        if parts.username or parts.password:
            return False
        return where in self._loopback_origins()

    def receives_github_token(self, url: str) -> bool:
        """https to the GitHub API host, or the loopback GitHub override."""
        try:
            where = origin(url)
        except ValueError:
            return False
        if where == ("https", GITHUB_API_HOST, 443):
            return is_allowed_network_url(url)
        github = self.bases["github"]
        return is_loopback(urlsplit(github).hostname or "") and where == origin(github)


def check_base(service: str, url: str) -> str:
    """The override URL without a trailing slash, if it is acceptable.

    Messages show the URL only through ``redact_url``: the variable may
    hold a password or token, and its errors end up in terminals and logs.
    """
    shown = redact_url(url)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as error:
        raise EndpointError(f"{service}: {shown!r} is not a URL") from error
    host = parts.hostname or ""
    if parts.username or parts.password or parts.query or parts.fragment:
        raise EndpointError(
            f"{service}: base URL may not hold credentials or a query ({shown!r})"
        )
    if parts.scheme not in {"http", "https"} or not host:
        raise EndpointError(f"{service}: {shown!r} is not an http(s) URL")
    if not is_loopback(host) and not is_allowed_network_url(url):
        raise EndpointError(
            f"{service}: {shown!r} is neither a loopback address nor an "
            f"allowed host ({', '.join(sorted(ALLOWED_HOSTS))})"
        )
    return url.rstrip("/")


def _entry_name(service: str, entry: str) -> str:
    """How a message names an entry: its service if that is a plain word,
    else the redacted entry (an entry without ``=`` may be a whole URL)."""
    return repr(service) if _WORD.fullmatch(service) else repr(redact_url(entry))


def parse_endpoints(text: str | None) -> Endpoints:
    """Parse ``SERVICE=URL`` pairs separated by commas.

    Services not named keep their default; an empty value means no override.
    """
    bases = dict(DEFAULT_BASES)
    seen: set[str] = set()
    for entry in (text or "").split(","):
        if not entry.strip():
            continue
        service, equals, url = (part.strip() for part in entry.partition("="))
        if not equals or service not in DEFAULT_BASES:
            known = ", ".join(DEFAULT_BASES)
            name = _entry_name(service, entry.strip())
            raise EndpointError(f"{name}: expected SERVICE=URL ({known})")
        if service in seen:
            raise EndpointError(f"{service}: named twice")
        seen.add(service)
        bases[service] = check_base(service, url)
    return Endpoints(bases)


def endpoints_from_environ(environ: Mapping[str, str]) -> Endpoints:
    return parse_endpoints(environ.get(ENVIRONMENT_VARIABLE))
