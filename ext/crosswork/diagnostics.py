"""Located findings: one shape for every problem in contributor input.

Every checker in crosswork (charter loader, spec linter, matrix parser)
reports :class:`Diagnostic` objects. They print as
``path:line:col: CODE message`` so editors and CI logs can jump to them, and
each code is registered once with a one-line summary that the documentation
lists.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place. Lines and columns are 1-based."""

    path: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = Severity.ERROR

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def __str__(self) -> str:
        return f"{self.location}: {self.code} {self.message}"


@dataclass(frozen=True)
class Code:
    code: str
    summary: str
    family: str


#: Every diagnostic code, registered by the module that emits it.
CODES: dict[str, Code] = {}


def register(family: str, **codes: str) -> None:
    """Register diagnostic codes of one family (``code=summary`` pairs)."""
    for code, summary in codes.items():
        if code in CODES:
            raise ValueError(f"diagnostic code {code} registered twice")
        CODES[code] = Code(code, summary, family)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Order by file, then position, so reports read top to bottom."""
    return sorted(diagnostics, key=lambda d: (d.path, d.line, d.column, d.code))


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def decode_utf8(
    path: str, raw: bytes, code: str
) -> tuple[str | None, Diagnostic | None]:
    """The text of ``raw``, or a ``code`` finding at its first non-UTF-8 byte."""
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        message = f"byte 0x{raw[error.start]:02X} is not UTF-8: save the file as UTF-8"
        return None, Diagnostic(path, line, column, code, message)
