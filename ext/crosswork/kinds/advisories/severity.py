"""CVSS vectors to base scores and ratings, through the ``cvss`` library.

Upstream records carry a vector string (``CVSS:3.1/AV:N/...``), never a
trusted number: the score is always computed here, so two advisories with
the same vector always show the same score. A vector the library cannot
read is "not rated", never a guess.

A record without any vector may still carry its database's own rating
(GitHub's ``database_specific.severity``, e.g. ``MODERATE``): it is kept as
a :func:`database_rating`, shown in the database's words and named as
that database's rating, and used only when no vector is scored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import cvss

#: Longer strings are not CVSS vectors; refusing them keeps the library
#: from working on megabytes of hostile text.
MAX_VECTOR_LENGTH = 200

NOT_RATED_LABEL = "Not rated"

#: Every rating label, most severe first (the order of summary tables).
LABELS = ("Critical", "High", "Medium", "Low", "None", NOT_RATED_LABEL)

#: Why an advisory shows no rating: the words of its tooltip and notes.
NOT_RATED_REASON = (
    "No record of this vulnerability gives a CVSS vector to score, and no "
    "advisory database gives a rating of its own."
)
#: The same, short enough to stand beside the badge.
NOT_RATED_NOTE = "no CVSS vector or database rating in any record"

#: A database's severity words, as the CVSS labels they group under.
DATABASE_LEVELS = {
    "critical": "Critical",
    "high": "High",
    "moderate": "Medium",
    "medium": "Medium",
    "low": "Low",
}


@dataclass(frozen=True)
class Rating:
    """A base score and its qualitative rating, with the vector it came from."""

    vector: str
    #: CVSS version: "2.0", "3.0", "3.1" or "4.0"; "" when not rated.
    version: str
    score: float | None
    label: str
    #: The database whose own rating this is ("GitHub"); "" for a CVSS score.
    database: str = ""
    #: The database's word for it ("Moderate"), when it is a database rating.
    word: str = ""

    @property
    def rated(self) -> bool:
        return self.label != NOT_RATED_LABEL

    @property
    def scored(self) -> bool:
        return self.score is not None

    @property
    def text(self) -> str:
        """Readable form: ``Medium (6.1, CVSS 3.1)``, ``Moderate (GitHub's
        rating)`` or ``Not rated``."""
        if self.scored:
            return f"{self.label} ({self.score:.1f}, CVSS {self.version})"
        if self.database:
            return f"{self.word or self.label} ({self.database}'s rating)"
        return NOT_RATED_LABEL

    @property
    def detail(self) -> str:
        """What :attr:`text` adds to a badge showing the ``label``: the score
        and version, or whose rating it is; "" when not rated."""
        if self.scored:
            return f"{self.score:.1f}, CVSS {self.version}"
        if self.database:
            return f"{self.database}'s rating"
        return ""


NOT_RATED = Rating("", "", None, NOT_RATED_LABEL)


def database_rating(database: str, word: str) -> Rating | None:
    """A database's own rating (``"GitHub"``, ``"MODERATE"``); None when the
    word is none of the known levels."""
    label = DATABASE_LEVELS.get(word.strip().casefold())
    if label is None or not database:
        return None
    return Rating("", "", None, label, database, word.strip().capitalize())


def rate_vector(vector: str) -> Rating | None:
    """Score one CVSS v2, v3.x or v4.0 vector; None when it is not one.

    v2 vectors have no prefix (``AV:N/AC:L/Au:S/...``); v3 and v4 start
    with ``CVSS:3.x/`` or ``CVSS:4.0/``.
    """
    vector = vector.strip()
    if not vector or len(vector) > MAX_VECTOR_LENGTH:
        return None
    try:
        if vector.startswith("CVSS:4."):
            rating = _rate_v4(vector)
        elif vector.startswith("CVSS:3."):
            rating = _rate_v3(vector)
        else:
            rating = _rate_v2(vector)
    except (cvss.CVSSError, ValueError, KeyError, IndexError, TypeError):
        return None
    return rating if rating.label in LABELS else None


def _rate_v4(vector: str) -> Rating:
    parsed = cvss.CVSS4(vector)
    return Rating(
        parsed.clean_vector(), "4.0", float(parsed.base_score), parsed.severity
    )


def _rate_v3(vector: str) -> Rating:
    parsed = cvss.CVSS3(vector)
    version = f"3.{parsed.minor_version}"
    score = float(parsed.scores()[0])
    return Rating(parsed.clean_vector(), version, score, parsed.severities()[0])


def _rate_v2(vector: str) -> Rating:
    parsed = cvss.CVSS2(vector)
    score = float(parsed.scores()[0])
    return Rating(parsed.clean_vector(), "2.0", score, parsed.severities()[0])


def best_rating(ratings: Iterable[Rating]) -> Rating:
    """The rating to show: the newest CVSS version, then the highest score;
    without any score, the most severe database rating.

    A newer CVSS version describes the vulnerability with more care; among
    vectors of one version (two databases disagreeing) the higher score is
    the cautious reading, and so is the higher of two databases' words.
    """
    ratings = list(ratings)
    scored = [rating for rating in ratings if rating.scored]
    if scored:
        return max(scored, key=lambda r: (_version_key(r.version), r.score, r.vector))
    stated = [rating for rating in ratings if rating.rated]
    if stated:
        return min(stated, key=lambda r: (LABELS.index(r.label), r.database))
    return NOT_RATED


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))
