"""Checks of a spec's raw text, line by line, with exact columns.

Specs are reviewed as plain text in a code review tool, so what a reviewer
cannot see must not be there:

* lines are at most 79 characters (T101), except lines of literal, doctest
  and math blocks (known from the parsed document, not guessed from
  ``::``), and lines where a URL runs past the limit, since a URL cannot be
  broken;
* no trailing spaces or tabs (T102), no tab characters (T103, the first of
  each line) and no carriage returns (T104, one per line);
* no invisible characters (T105, each one): the one character policy of
  :mod:`crosswork.textclean` (zero-width and bidirectional controls, which
  can make the text read differently from what it says, the byte-order
  mark, line and paragraph separators, and other control characters);
* the file is UTF-8 (T106).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

from crosswork.diagnostics import Diagnostic, decode_utf8, register
from crosswork.specs.source import Source
from crosswork.textclean import describe, unsafe_characters

register(
    "Spec text",
    T101="a line is longer than 79 characters",
    T102="a line ends with whitespace",
    T103="a line holds a tab character",
    T104="a line holds a carriage return",
    T105="a line holds an invisible or control character",
    T106="the file is not UTF-8 text",
)

MAX_LINE_LENGTH = 79

_TOKEN = re.compile(r"\S+")
_SCHEME_CHARACTERS = frozenset(string.ascii_letters + string.digits + "+.-")


def check_text(source: Source, literal_lines: frozenset[int]) -> list[Diagnostic]:
    """Findings of every line; ``literal_lines`` may be as long as they need."""
    found: list[Diagnostic] = []
    for number, line in enumerate(source.lines, start=1):
        found.extend(_check_line(source, number, line, number in literal_lines))
    return found


def _check_line(
    source: Source, number: int, line: str, literal: bool
) -> Iterator[Diagnostic]:
    text = line.removesuffix("\r")
    if len(text) > MAX_LINE_LENGTH and not literal and not _url_overflows(text):
        yield source.diagnostic(
            number,
            MAX_LINE_LENGTH + 1,
            "T101",
            f"line is {len(text)} characters long (at most {MAX_LINE_LENGTH})",
        )
    content = text.rstrip(" \t")
    if content != text:
        yield source.diagnostic(number, len(content) + 1, "T102", "trailing whitespace")
    if "\t" in line:
        yield source.diagnostic(
            number, line.index("\t") + 1, "T103", "tab character: indent with spaces"
        )
    if "\r" in line:
        yield source.diagnostic(
            number, line.index("\r") + 1, "T104", "carriage return: use LF line endings"
        )
    for index, char in unsafe_characters(line):
        yield source.diagnostic(
            number, index + 1, "T105", f"invisible character {describe(char)}"
        )


def _url_overflows(text: str) -> bool:
    """Whether a URL (``scheme://...``) runs past the limit: the word that
    holds it ends there.

    Not the pattern ``[A-Za-z][A-Za-z0-9+.-]*://\\S+``: on a long run of
    letters it scanned the run from each of its letters, quadratic in the
    line's length (a 100,000 letter title took 80 seconds).
    """
    return any(
        word.end() > MAX_LINE_LENGTH and _has_url(word.group())
        for word in _TOKEN.finditer(text)
    )


def _has_url(word: str) -> bool:
    """Whether a letter and scheme characters come before a ``://`` that
    has something after it."""
    found = word.find("://")
    while found != -1:
        start = found
        while start > 0 and word[start - 1] in _SCHEME_CHARACTERS:
            start -= 1
        scheme = word[start:found]
        if found + 3 < len(word) and any(c in string.ascii_letters for c in scheme):
            return True
        found = word.find("://", found + 1)
    return False


def undecodable(source_path: str, data: bytes) -> Diagnostic | None:
    """T106 at the first byte that is not UTF-8, or ``None`` for good text."""
    return decode_utf8(source_path, data, "T106")[1]
