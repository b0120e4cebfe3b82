"""One character policy for text from outside: upstream data and
contributor fields alike.

Removed everywhere: C0 and C1 control characters (tab and line ends aside,
which become spaces or ``\\n``), bidirectional marks, embeddings, overrides
and isolates (they reorder what a reader sees), zero-width characters and
the byte-order mark (they hide text), lone surrogates and non-characters
(XML cannot hold them), and the line and paragraph separators. Every
provider goes through :func:`clean_text` or :func:`clean_line`, so a title
is the same string in HTML, SVG, Atom, ICS and JSON; contributor files are
held to the same policy by located findings (:func:`unsafe_characters`):
T105 in specs, W214 in charters.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters no text from outside may carry.
UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
    "\ud800-\udfff\ufffe\uffff]"
)


def unsafe_characters(text: str) -> list[tuple[int, str]]:
    """Where ``text`` holds characters of the policy, and which: contributor
    files report them (located), where upstream text has them removed."""
    return [(match.start(), match.group()) for match in UNSAFE.finditer(text)]


def describe(char: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``, for messages."""
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    return f"{code} {name}" if name else f"{code} (control character)"


_LINE_ENDS = re.compile(r"\r\n?")
_SPACES = re.compile(r"\s+")


def clean_text(text: str, limit: int | None = None) -> str:
    """Text with its line breaks (as ``\\n``), trimmed, cut at ``limit``."""
    text = UNSAFE.sub("", _LINE_ENDS.sub("\n", text)).strip()
    return cut(text, limit)


def clean_line(text: str, limit: int | None = None) -> str:
    """One line: every run of white space becomes one space."""
    return cut(_SPACES.sub(" ", UNSAFE.sub("", text)).strip(), limit)


def cut(text: str, limit: int | None) -> str:
    """``text`` of at most ``limit`` characters, an ellipsis marking a cut."""
    if limit is None or len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"
