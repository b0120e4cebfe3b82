"""Counts of a track's bugs by status and importance.

A summary of incomplete data is a lower bound: pages say "at least" and
never "no bugs" for it (see :func:`describe`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from crosswork.charts import plural
from crosswork.kinds.bugs.provider import Bug
from crosswork.kinds.bugs.vocabulary import IMPORTANCES, STATUSES, ordered


@dataclass(frozen=True)
class Summary:
    """How many bugs have each status, each importance, and each pair.

    ``statuses`` and ``importances`` list the values present, in page
    order; ``None`` stands for "no importance" (every GitHub issue).
    """

    total: int
    statuses: tuple[str, ...] = ()
    importances: tuple[str | None, ...] = ()
    cells: Counter[tuple[str, str | None]] = field(default_factory=Counter)

    def count(self, status: str | None = None, importance: str | None = "*") -> int:
        """Bugs with ``status`` (any if None) and ``importance`` (any if "*")."""
        return sum(
            number
            for (s, i), number in self.cells.items()
            if (status is None or s == status)
            and (importance == "*" or i == importance)
        )

    @property
    def by_status(self) -> list[tuple[str, int]]:
        return [(status, self.count(status)) for status in self.statuses]

    @property
    def by_importance(self) -> list[tuple[str | None, int]]:
        return [(imp, self.count(importance=imp)) for imp in self.importances]

    @property
    def has_importance(self) -> bool:
        """Whether any bug has an importance (Launchpad bugs do)."""
        return any(importance is not None for importance in self.importances)


def summarize(bugs: Iterable[Bug]) -> Summary:
    cells = Counter((bug.status, bug.importance) for bug in bugs)
    statuses = ordered((status for status, _ in cells), STATUSES)
    importances = ordered((importance for _, importance in cells), IMPORTANCES)
    return Summary(
        total=sum(cells.values()),
        statuses=tuple(s for s in statuses if s is not None),
        importances=tuple(importances),
        cells=cells,
    )


def describe(summary: Summary, *, complete: bool = True) -> str:
    """One sentence: "3 bugs: 2 New, 1 Confirmed." or its incomplete form."""
    counts = ", ".join(f"{n} {status}" for status, n in summary.by_status)
    if complete:
        if not summary.total:
            return "No bugs match this track."
        return f"{plural(summary.total, 'bug')}: {counts}."
    if not summary.total:
        return "No bugs were read before the fetch stopped: the data is incomplete."
    return (
        f"At least {plural(summary.total, 'bug')} (incomplete data, counts may be"
        f" higher): {counts}."
    )
