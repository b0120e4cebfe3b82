"""Typed, located build warnings.

Every warning crosswork emits has type ``crosswork`` and one of the
subtypes below, so it ends with ``[crosswork.<subtype>]`` and a site can
silence one kind with ``suppress_warnings``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sphinx.util import logging

from crosswork.datakind import DataKind
from crosswork.diagnostics import Diagnostic

logger = logging.getLogger("crosswork")

#: Subtypes of the core; each data kind adds its own in its record.
CORE_SUBTYPES: dict[str, str] = {
    "charter": "a workgroup charter is invalid",
    "spec": "a design spec breaks a lint rule",
    "spec-ref": "a :spec: reference names no spec",
    "track-file": "a repository file that a data track names is invalid",
    "config": "a crosswork_* configuration value is invalid",
    "sanitize": "unsafe markup was removed from a page",
    "data": "snapshot content a page cannot show",
}


def subtypes(kinds: Iterable[DataKind]) -> dict[str, str]:
    """Every warning subtype with its meaning: the core's and the kinds'."""
    result = dict(CORE_SUBTYPES)
    for kind in kinds:
        result.update(kind.warnings)
    return result


def warn(subtype: str, message: str, location: Any = None) -> None:
    logger.warning(message, type="crosswork", subtype=subtype, location=location)


def report(subtype: str, diagnostic: Diagnostic) -> None:
    """Log a diagnostic with the same location and text the linter prints."""
    logger.warning(
        "%s %s",
        diagnostic.code,
        diagnostic.message,
        type="crosswork",
        subtype=subtype,
        location=diagnostic.location,
    )
