"""Which items of a sequence are out of order, reported the way a person would.

Sections and metadata fields have a fixed order. When one item is moved,
only that item should be reported, not everything between its old and new
place: the items kept are those of a longest increasing run of ranks, and
each other item is told which kept neighbour it belongs next to.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Misplaced:
    """An item out of order, and the kept item it belongs next to."""

    position: int
    #: Rank of that kept item: the nearest lower one if there is any, else
    #: the lowest.
    neighbour: int
    #: Whether the item belongs after its neighbour (or before it).
    after: bool


def misplaced(ranks: Sequence[int]) -> list[Misplaced]:
    """Items of ``ranks`` (distinct numbers) outside a longest increasing run."""
    kept = _longest_increasing(ranks)
    kept_ranks = sorted(ranks[position] for position in kept)
    result = []
    for position, rank in enumerate(ranks):
        if position in kept:
            continue
        slot = bisect_left(kept_ranks, rank)
        if slot:
            result.append(Misplaced(position, kept_ranks[slot - 1], after=True))
        else:
            result.append(Misplaced(position, kept_ranks[0], after=False))
    return result


def _longest_increasing(ranks: Sequence[int]) -> set[int]:
    """Positions of one longest strictly increasing subsequence."""
    tails: list[int] = []
    previous: list[int | None] = [None] * len(ranks)
    for position, rank in enumerate(ranks):
        slot = bisect_left([ranks[tail] for tail in tails], rank)
        previous[position] = tails[slot - 1] if slot else None
        if slot == len(tails):
            tails.append(position)
        else:
            tails[slot] = position
    kept: set[int] = set()
    current = tails[-1] if tails else None
    while current is not None:
        kept.add(current)
        current = previous[current]
    return kept
