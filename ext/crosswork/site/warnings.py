"""Typed, located build warnings.

Every warning crosswork emits has type ``crosswork`` and one of the
subtypes below, so it ends with ``[crosswork.<subtype>]`` and a site can
silence one kind with ``suppress_warnings``.
"""

from __future__ import annotations

from typing import Any, Literal

from sphinx.util import logging

from crosswork.diagnostics import Diagnostic

logger = logging.getLogger("crosswork")

Subtype = Literal[
    "charter",  # a workgroup charter is invalid
    "spec",  # a design spec breaks a lint rule
    "spec-ref",  # a :spec: reference names no spec
    "config",  # a crosswork_* configuration value is invalid
    "sanitize",  # unsafe markup was removed from a page
    "fetch",  # a data source is stale, incomplete or missing (never fails -W)
    "data",  # snapshot content a page cannot show (fails -W)
    "advisory-ref",  # an :advisory: or :cve: reference names no advisory
    "matrix",  # a matrix file, track reference or feature-matrix directive is wrong
]

SUBTYPES: dict[str, str] = {
    "charter": "a workgroup charter is invalid",
    "spec": "a design spec breaks a lint rule",
    "spec-ref": "a :spec: reference names no spec",
    "config": "a crosswork_* configuration value is invalid",
    "sanitize": "unsafe markup was removed from a page",
    "fetch": "a data source is stale, incomplete or missing (never fails -W)",
    "data": "snapshot content a page cannot show",
    "advisory-ref": "an :advisory: or :cve: reference names no advisory",
    "matrix": "a matrix file, track reference or feature-matrix directive is wrong",
}


def warn(subtype: Subtype, message: str, location: Any = None) -> None:
    logger.warning(message, type="crosswork", subtype=subtype, location=location)


def report(subtype: Subtype, diagnostic: Diagnostic) -> None:
    """Log a diagnostic with the same location and text the linter prints."""
    logger.warning(
        "%s %s",
        diagnostic.code,
        diagnostic.message,
        type="crosswork",
        subtype=subtype,
        location=diagnostic.location,
    )
