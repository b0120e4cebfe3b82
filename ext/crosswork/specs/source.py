"""A spec's text as physical lines, so every checker locates findings alike."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from crosswork.diagnostics import Diagnostic, Severity

#: The largest spec or template read, in bytes: seven times the largest spec
#: of the nova-specs corpus (19 KB), small enough to parse in well under a
#: second, and a bound on what a symlink to an endless device can make the
#: linter read.
MAX_SPEC_BYTES = 128 * 1024


@dataclass(frozen=True)
class Source:
    """The text of one file and the path to report it under."""

    path: str
    text: str

    @cached_property
    def lines(self) -> tuple[str, ...]:
        """Lines split on ``\\n`` only, so a stray carriage return stays
        visible to the text checks instead of starting a new line."""
        return tuple(self.text.split("\n"))

    def line(self, number: int) -> str:
        """The 1-based line ``number``, or ``""`` past the end."""
        if 1 <= number <= len(self.lines):
            return self.lines[number - 1]
        return ""

    def indent_column(self, number: int) -> int:
        """Column of the first character that is not a space on a line."""
        text = self.line(number)
        return len(text) - len(text.lstrip(" ")) + 1

    def diagnostic(
        self,
        line: int,
        column: int,
        code: str,
        message: str,
        severity: Severity = Severity.ERROR,
    ) -> Diagnostic:
        return Diagnostic(self.path, line, column, code, message, severity)
