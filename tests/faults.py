"""The fault modes of the fake upstream, with the error kind each must cause.

Transport faults end the same way for every provider; how a provider names
a body it cannot use (bad JSON, wrong shape) depends on what it expects, so
each test module gives those itself. :func:`fault_kinds` finds every mode
by introspection, so tests over all of them cover a new one the day it is
added.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from crosswork.testing.upstream import Fault

TRANSPORT_FAULTS: dict[str, tuple[Fault, set[str]]] = {
    "500": (Fault.server_error(500), {"http-500"}),
    "503": (Fault.server_error(503), {"http-503"}),
    "429-retry-after": (Fault.too_many_requests("0"), {"http-429"}),
    "429-far": (Fault.too_many_requests("100000"), {"rate-limited"}),
    "drip": (Fault.drip(0.01), {"deadline"}),
    "read-timeout": (Fault.read_timeout(3), {"timeout", "deadline"}),
    "reset": (Fault.connection_reset(), {"connection"}),
    "truncated": (Fault.truncated_body(), {"connection"}),
    "html-200": (Fault.wrong_content_type(), {"content-type"}),
    "oversized": (Fault.oversized_body(), {"too-large"}),
    "endless": (Fault.endless_body(), {"too-large"}),
    "gzip-bomb": (Fault.gzip_bomb(), {"too-large"}),
    "redirect": (Fault.redirect("https://evil.example/x"), {"disallowed-host"}),
}


def fault_params(
    *,
    leave_out: tuple[str, ...] = (),
    **specific: tuple[Fault, set[str]],
) -> list[Any]:
    """``(fault, kinds)`` parameters: the transport faults (less
    ``leave_out``) and a provider's own, keyed by test id."""
    table = {k: v for k, v in TRANSPORT_FAULTS.items() if k not in leave_out}
    table |= {key.replace("_", "-"): value for key, value in specific.items()}
    return [pytest.param(fault, kinds, id=key) for key, (fault, kinds) in table.items()]


#: Arguments of the faults that have no default for them.
ARGUMENTS: dict[str, tuple[Any, ...]] = {"redirect": ("https://evil.example/x",)}


def fault_kinds() -> list[str]:
    """The names of the fault constructors of :class:`Fault`."""
    return sorted(
        name for name, member in vars(Fault).items() if isinstance(member, classmethod)
    )


def make_fault(kind: str) -> Fault:
    """The fault ``Fault.<kind>`` builds, with :data:`ARGUMENTS` if it needs any."""
    constructor = getattr(Fault, kind)
    required = [
        p
        for p in inspect.signature(constructor).parameters.values()
        if p.default is inspect.Parameter.empty
    ]
    if required and kind not in ARGUMENTS:
        pytest.fail(f"Fault.{kind} needs arguments: add them to ARGUMENTS")
    return constructor(*ARGUMENTS.get(kind, ()))
