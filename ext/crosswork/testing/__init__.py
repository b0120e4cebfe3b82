"""Test support shipped with the package: the fake upstream and a socket guard.

:mod:`crosswork.testing.upstream` serves recorded upstream payloads on
loopback. :func:`loopback_only` makes any attempt to reach the network
fail loudly, so a test cannot pass by talking to a real service.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain"})


def _address(host: Any) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    try:
        return ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return None


def _is_local(host: Any) -> bool:
    if host is None or host in _LOCAL_NAMES:
        return True
    address = _address(host)
    return address is not None and address.is_loopback


def _needs_no_lookup(host: Any) -> bool:
    """Local names and IP literals: resolving them sends nothing out."""
    return _is_local(host) or _address(host) is not None


@contextmanager
def loopback_only() -> Iterator[list[str]]:
    """Refuse connections and name lookups beyond loopback.

    Yields the list of refused attempts: the caller fails the test when it
    is not empty, because the code under test may catch the error.
    """
    refused: list[str] = []
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex
    original_getaddrinfo = socket.getaddrinfo

    def check(address: Any) -> None:
        if isinstance(address, tuple) and not _is_local(address[0]):
            refused.append(f"connect to {address[0]}:{address[1]}")
            raise ConnectionRefusedError(f"test guard: no network ({address[0]})")

    def connect(self: socket.socket, address: Any) -> None:
        check(address)
        return original_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        check(address)
        return original_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _needs_no_lookup(host):
            refused.append(f"lookup of {host}")
            raise socket.gaierror(socket.EAI_NONAME, f"test guard: no network ({host})")
        return original_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo
    try:
        yield refused
    finally:
        socket.socket.connect = original_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = original_connect_ex  # type: ignore[method-assign]
        socket.getaddrinfo = original_getaddrinfo
