"""Affected version ranges, in a form people can read.

Versions are compared with :mod:`packaging` (PEP 440), never as strings:
``17.0.12`` sorts after ``17.0.9``. A version packaging cannot read is
kept as written and sorts after every readable one, so odd upstream data
still displays instead of vanishing.

Two inputs produce :class:`Interval` values: OSV range events
(``introduced``/``fixed``/``last_affected``) and the OSSA version grammar,
where a comma separates alternatives and a space joins bounds
(``<=7.0.2, >=8.0.0 <=8.1.1``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

#: OSV's "from the first version" marker for ``introduced``.
FROM_START = "0"

#: PEP 440 order first, then unreadable versions by their text.
VersionKey = tuple[int, Version, str]
_BEFORE_ALL: VersionKey = (-1, Version("0"), "")
_AFTER_ALL: VersionKey = (2, Version("0"), "")

_BOUND = re.compile(r"\s*(<=|>=|==|=|<|>)\s*([0-9][0-9A-Za-z.+!_-]*)\s*")


def parse_version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def version_key(text: str) -> VersionKey:
    """Sort key: PEP 440 order first, unreadable versions after, by text."""
    parsed = parse_version(text)
    return (0, parsed, text) if parsed is not None else (1, Version("0"), text)


def sort_versions(versions: Iterable[str]) -> tuple[str, ...]:
    """Unique versions in version order."""
    return tuple(sorted(set(versions), key=version_key))


@dataclass(frozen=True)
class Interval:
    """One run of affected versions.

    ``lower`` None means from the first release; ``upper`` None means no end
    is known. An exclusive upper bound is the version that fixes it.
    """

    lower: str | None = None
    upper: str | None = None
    lower_inclusive: bool = True
    upper_inclusive: bool = False

    @property
    def fixed(self) -> str | None:
        """The first fixed version, when the range says so."""
        return None if self.upper_inclusive else self.upper

    @property
    def text(self) -> str:
        """E.g. ``>= 18.0.0, < 18.2.2``, ``< 17.0.12``, ``== 18.0.0``."""
        if self.lower is not None and self.lower == self.upper:
            return f"== {self.lower}"
        bounds = []
        if self.lower is not None:
            bounds.append(f"{'>=' if self.lower_inclusive else '>'} {self.lower}")
        if self.upper is not None:
            bounds.append(f"{'<=' if self.upper_inclusive else '<'} {self.upper}")
        return ", ".join(bounds) or "all versions"

    def sort_key(self) -> tuple[VersionKey, VersionKey, bool, bool]:
        """Oldest first; open ends sort before (lower) and after (upper) all."""
        return (
            _BEFORE_ALL if self.lower is None else version_key(self.lower),
            _AFTER_ALL if self.upper is None else version_key(self.upper),
            not self.lower_inclusive,
            self.upper_inclusive,
        )


def sort_intervals(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """Unique intervals, oldest first."""
    return tuple(sorted(set(intervals), key=Interval.sort_key))


def intervals_from_events(events: Sequence[tuple[str, str]]) -> tuple[Interval, ...]:
    """Turn OSV ``(kind, version)`` events into intervals.

    OSV evaluates events in version order, whatever order the record lists
    them in (PYSEC records list pairs like ``19.0.0 -> 19.0.2`` before
    ``0 -> 17.0.12``). When every version is readable they are sorted;
    otherwise the written order is kept. ``limit`` events only bound
    commit searches and are ignored here.
    """
    usable = [(kind, version) for kind, version in events if kind != "limit"]
    if all(v == FROM_START or parse_version(v) is not None for _, v in usable):
        usable.sort(key=_event_key)
    intervals: list[Interval] = []
    start: str | None = None
    is_open = False
    for kind, version in usable:
        if kind == "introduced":
            if not is_open:
                start, is_open = (None if version == FROM_START else version), True
        elif is_open:
            intervals.append(Interval(start, version, True, kind == "last_affected"))
            is_open = False
    if is_open:
        intervals.append(Interval(start, None))
    return sort_intervals(intervals)


def _event_key(event: tuple[str, str]) -> tuple[Version, int]:
    kind, version = event
    parsed = Version("0") if version == FROM_START else Version(version)
    # At one version a fix closes the previous run before a new one opens.
    return (parsed, 0 if kind == "fixed" else 1)


def parse_ossa_versions(text: str) -> tuple[Interval, ...] | None:
    """Read an OSSA version string; None when it is prose.

    ``"<15.0.1, ==16.0.0"`` gives two intervals; ``"=18.0.0"`` is read as
    ``==18.0.0``; ``"up to 2014.1.3 and 2014.2"`` and ``"All versions"``
    give None, and the caller shows the text as written.
    """
    intervals = []
    for alternative in text.split(","):
        interval = _parse_alternative(alternative)
        if interval is None:
            return None
        intervals.append(interval)
    return tuple(intervals)


def _parse_alternative(text: str) -> Interval | None:
    bounds = []
    position = 0
    while position < len(text):
        match = _BOUND.match(text, position)
        if match is None or parse_version(match.group(2)) is None:
            return None
        bounds.append((match.group(1), match.group(2)))
        position = match.end()
    if not bounds:
        return None
    lower = upper = None
    lower_inclusive, upper_inclusive = True, False
    for operator, version in bounds:
        if operator in {"==", "="}:
            lower = upper = version
            lower_inclusive = upper_inclusive = True
        elif operator.startswith(">"):
            lower, lower_inclusive = version, operator == ">="
        else:
            upper, upper_inclusive = version, operator == "<="
    return Interval(lower, upper, lower_inclusive, upper_inclusive)
