"""The words trackers use for a bug's state, in the order pages list them.

Launchpad statuses run from untouched to closed; GitHub has only ``open``
and ``closed``. Words outside these lists (a tracker may add some) sort
after the known ones, alphabetically, so a new status still shows.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Launchpad task statuses: open ones in workflow order, then closed ones.
LAUNCHPAD_STATUSES = (
    "New",
    "Incomplete",
    "Confirmed",
    "Triaged",
    "In Progress",
    "Fix Committed",
    "Fix Released",
    "Opinion",
    "Invalid",
    "Won't Fix",
    "Expired",
)
GITHUB_STATES = ("open", "closed")
STATUSES = LAUNCHPAD_STATUSES + GITHUB_STATES

#: Launchpad importances, most important first.
IMPORTANCES = ("Critical", "High", "Medium", "Low", "Wishlist", "Undecided")

#: The status and importance of a bug nobody has looked at yet.
NEW = "New"
UNDECIDED = "Undecided"

TRACKER_NAMES = {"launchpad": "Launchpad", "github": "GitHub"}


def rank(word: str | None, order: tuple[str, ...]) -> tuple[int, str]:
    """A sort key: known words in ``order``, others after them, ``None`` last."""
    if word is None:
        return (len(order) + 1, "")
    if word in order:
        return (order.index(word), "")
    return (len(order), word)


def ordered(words: Iterable[str | None], order: tuple[str, ...]) -> list[str | None]:
    """The distinct ``words`` in page order."""
    return sorted(set(words), key=lambda word: rank(word, order))


def canonical(word: str, known: tuple[str, ...]) -> str | None:
    """The known spelling of ``word``, ignoring case; ``None`` if unknown."""
    folded = word.casefold()
    return next((k for k in known if k.casefold() == folded), None)
