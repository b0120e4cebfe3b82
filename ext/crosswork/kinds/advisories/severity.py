"""CVSS vectors to base scores and ratings, through the ``cvss`` library.

Upstream records carry a vector string (``CVSS:3.1/AV:N/...``), never a
trusted number: the score is always computed here, so two advisories with
the same vector always show the same score. A vector the library cannot
read is "not rated", never a guess.
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


@dataclass(frozen=True)
class Rating:
    """A base score and its qualitative rating, with the vector it came from."""

    vector: str
    #: CVSS version: "2.0", "3.0", "3.1" or "4.0"; "" when not rated.
    version: str
    score: float | None
    label: str

    @property
    def rated(self) -> bool:
        return self.score is not None

    @property
    def text(self) -> str:
        """Readable form, e.g. ``Medium (6.1, CVSS 3.1)``."""
        if not self.rated:
            return NOT_RATED_LABEL
        return f"{self.label} ({self.score:.1f}, CVSS {self.version})"


NOT_RATED = Rating("", "", None, NOT_RATED_LABEL)


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
    """The rating to show: the newest CVSS version, then the highest score.

    A newer CVSS version describes the vulnerability with more care; among
    vectors of one version (two databases disagreeing) the higher score is
    the cautious reading.
    """
    rated = [rating for rating in ratings if rating.rated]
    if not rated:
        return NOT_RATED
    return max(rated, key=lambda r: (_version_key(r.version), r.score, r.vector))


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))
