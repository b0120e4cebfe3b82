"""Listings of merged advisories: per package, per year, counts, latest.

Every listing is in the order of :func:`newest_first`. Withdrawn advisories
are left out unless a caller asks for them (to show them marked as
withdrawn), and are never counted: a withdrawn advisory does not affect
anything.
"""

from __future__ import annotations

from collections.abc import Iterable

from crosswork.kinds.advisories.model import Advisory, newest_first
from crosswork.kinds.advisories.severity import LABELS


def _listed(advisories: Iterable[Advisory], include_withdrawn: bool) -> list[Advisory]:
    ordered = newest_first(advisories)
    return [a for a in ordered if include_withdrawn or not a.is_withdrawn]


def by_package(
    advisories: Iterable[Advisory], *, include_withdrawn: bool = False
) -> dict[str, list[Advisory]]:
    """Advisories per package key (PEP 503 form), keys in alphabetical order.

    An advisory naming a package in two ecosystems (an OSSA product and
    its PyPI distribution) is listed once under it.
    """
    index: dict[str, list[Advisory]] = {}
    for advisory in _listed(advisories, include_withdrawn):
        for key in dict.fromkeys(package.key for package in advisory.affected):
            index.setdefault(key, []).append(advisory)
    return dict(sorted(index.items()))


def by_year(
    advisories: Iterable[Advisory], *, include_withdrawn: bool = False
) -> dict[int, list[Advisory]]:
    """Advisories per year of :attr:`Advisory.date`, newest year first."""
    index: dict[int, list[Advisory]] = {}
    for advisory in _listed(advisories, include_withdrawn):
        index.setdefault(advisory.date.year, []).append(advisory)
    return index


def counts_by_year_and_severity(
    advisories: Iterable[Advisory],
) -> dict[int, dict[str, int]]:
    """Per year (newest first), how many advisories have each rating.

    Every rating label is present, in :data:`LABELS` order, so tables have
    the same columns every year.
    """
    counts: dict[int, dict[str, int]] = {}
    for year, listed in by_year(advisories).items():
        row = dict.fromkeys(LABELS, 0)
        for advisory in listed:
            row[advisory.severity.label] += 1
        counts[year] = row
    return counts


def latest(advisories: Iterable[Advisory], n: int) -> list[Advisory]:
    """The ``n`` newest advisories that are not withdrawn."""
    return _listed(advisories, include_withdrawn=False)[: max(n, 0)]
