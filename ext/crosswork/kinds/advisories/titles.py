"""Titles for advisories whose record has no summary.

PYSEC records imported from NVD often have no ``summary``; their details
start with a blurb about the package ("urllib3 is a user-friendly HTTP
client library for Python.") or with boilerplate ("A flaw was found in
python-oslo-utils."), neither of which tells a reader what is wrong. The
title is built from the sentence that names the flaw:

1. sentences are the details' prose (Markdown heading lines left out),
   split after ``.``, ``!`` or ``?`` followed by a space;
2. a *blurb* ("X is a ...", "X are the ...") and *boilerplate* ("An issue
   was discovered in X", with no flaw word after it) are skipped;
3. of the first :data:`WINDOW` sentences left, the first with a flaw word
   (:data:`FLAW_WORDS`) wins; otherwise the first sentence left; otherwise
   the first sentence at all. The window keeps a late "Because the
   vulnerability requires ..." from beating the sentence that says what
   happens;
4. the affected package is put in front unless the sentence names it, and
   the title is cut at a word boundary to :data:`TITLE_LENGTH` characters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from crosswork import textclean

#: Longest title built from details, ellipsis included.
TITLE_LENGTH = 120
ELLIPSIS = "…"
#: Sentences (blurbs and boilerplate left out) searched for a flaw word.
WINDOW = 2

#: Word starts that name a flaw, matched case-insensitively at a word start.
FLAW_WORDS = (
    "vulnerab",
    "allow",
    "attack",
    "bypass",
    "inject",
    "overflow",
    "denial",
    "leak",
    "expos",
    "crafted",
    "malicious",
    "arbitrary",
    "cve-",
    "disclos",
    "escalat",
    "impersonat",
    "spoof",
    "traversal",
    "forge",
    "redirect",
    "unauthori",
    "insecure",
    "susceptible",
    "enumerat",
    "exploit",
    "execut",
    "xss",
    "cross-site",
    "flaw",
)

_FLAW = re.compile(r"\b(?:" + "|".join(map(re.escape, FLAW_WORDS)) + ")", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s|$)")
_BLURB = re.compile(r"^[\w .'-]{1,60}?\s+(?:is|are)\s+(?:a|an|the)\s", re.I)
_BOILERPLATE = re.compile(
    r"^(?:an?|the)\s+(?:flaw|issue|vulnerability|problem)\s+"
    r"(?:was|has\s+been)\s+(?:found|discovered|identified|reported)\s*"
    r"(?:in\s+\S+)?(?P<rest>.*)$",
    re.I | re.S,
)
#: Code marks of Markdown or reST: a title is plain text.
_MARKS = re.compile(r"`+")


def sentences(details: str) -> list[str]:
    """The prose sentences of ``details``, one line each."""
    lines = [line for line in details.splitlines() if not _HEADING.match(line)]
    parts = _SENTENCE_END.split(" ".join(lines))
    return [" ".join(part.split()) for part in parts if part.strip()]


def names_flaw(sentence: str) -> bool:
    return bool(_FLAW.search(sentence))


def is_blurb(sentence: str) -> bool:
    """ "urllib3 is a user-friendly HTTP client library for Python.": a
    sentence about the package, not about a flaw."""
    return bool(_BLURB.match(sentence)) and not names_flaw(sentence)


def is_boilerplate(sentence: str) -> bool:
    """ "A flaw was found in python-oslo-utils.": it says only that there is
    a flaw; what follows the opener names no flaw."""
    match = _BOILERPLATE.match(sentence)
    return match is not None and not names_flaw(match["rest"])


def flaw_sentence(details: str) -> str:
    """The sentence of ``details`` that best says what is wrong ("" if none)."""
    every = sentences(details)
    telling = [s for s in every if not (is_blurb(s) or is_boilerplate(s))]
    window = telling[:WINDOW]
    return next((s for s in window if names_flaw(s)), None) or next(
        iter(telling or every), ""
    )


def flaw_title(details: str, packages: Sequence[str]) -> str:
    """A title from ``details``: "package: sentence", cut at a word boundary."""
    sentence = _MARKS.sub("", flaw_sentence(details)).rstrip(".").strip()
    if not sentence:
        return ""
    named = [name for name in packages if _mentions(sentence, name)]
    if packages and not named:
        sentence = f"{', '.join(packages[:2])}: {sentence}"
    return shorten(textclean.clean_line(sentence, 10 * TITLE_LENGTH), TITLE_LENGTH)


def _mentions(sentence: str, package: str) -> bool:
    """Whether the sentence names the package, ignoring case and ``-``/``_``."""

    def key(text: str) -> str:
        return re.sub(r"[-_.\s]+", "-", text.casefold())

    return key(package) in key(sentence)


def shorten(text: str, limit: int) -> str:
    """``text`` cut at the last word boundary within ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS) + 1]
    head = cut.rsplit(" ", 1)[0] if " " in cut else cut[:-1]
    return head.rstrip(" ,;:-") + ELLIPSIS
