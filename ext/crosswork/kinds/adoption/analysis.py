"""Who uses which shared library, at which versions: pure computation.

Input: each service's requirements (:class:`RequirementsFile`), the
libraries to follow (names and ``fnmatch`` patterns such as ``oslo.*``,
compared as PEP 503 names), optional groups, and optionally the global
requirements and upper constraints. Output: :class:`Analysis`. Every
figure is defined here and on the reference page ``reference/adoption``:

* cell: the service's entries for the library, each specifier with its
  extras and marker, or "not used";
* minimum of a service: the lowest version any of its entries allows
  (:func:`~crosswork.kinds.adoption.requirements.minimum` per entry, the
  lowest of them; none if one entry has no lower bound);
* spread: the lowest and highest minimum among the users, the number of
  distinct minimums and the major gap (highest major minus lowest major);
  libraries rank by (major gap, distinct minimums), widest first;
* global floor: the lowest version the global requirements allow for the
  library; a user is *below the floor* when its minimum is lower or absent;
* pin: the upper-constraints version (the line without a marker, else the
  highest pinned); a user *excludes the pin* when none of its entries
  allows it;
* convergence: users whose minimum is the most common minimum (ties go
  to the highest version), divided by users; 1.0 when all agree, none
  when nobody uses the library;
* group adoption: a service has adopted a group when it uses at least one
  of the group's libraries.
"""

from __future__ import annotations

import fnmatch
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from packaging.version import Version

from crosswork.diagnostics import Diagnostic
from crosswork.kinds.adoption.requirements import (
    Entry,
    RequirementsFile,
    allows,
    minimum,
    normalize,
)

#: Version of the JSON shape of :meth:`Analysis.to_json`.
SHAPE_VERSION = 1
NOT_USED = "not used"


def normalize_pattern(pattern: str) -> str:
    """A library pattern compared as PEP 503 names: ``oslo.*`` is ``oslo-*``."""
    return re.sub(r"[-_.]+", "-", pattern).lower()


def matches(name: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(normalize(name), normalize_pattern(pattern))


def select_libraries(
    services: Mapping[str, RequirementsFile], patterns: Sequence[str]
) -> list[str]:
    """Names given outright, in their order, then pattern matches found in
    any service's file, sorted."""
    chosen: list[str] = []
    for pattern in patterns:
        if "*" not in pattern and "?" not in pattern and "[" not in pattern:
            name = normalize(pattern)
            if name not in chosen:
                chosen.append(name)
    found = sorted(
        {
            entry.name
            for requirements in services.values()
            for entry in requirements.entries
            if any(matches(entry.name, p) for p in patterns)
        }
    )
    return chosen + [name for name in found if name not in chosen]


def service_minimum(entries: Sequence[Entry]) -> Version | None:
    """The lowest version any of the entries allows; None without a bound."""
    bounds = [minimum(entry.specifier) for entry in entries]
    if not bounds or any(bound is None for bound in bounds):
        return None
    return min(b for b in bounds if b is not None)


def pin_of(entries: Sequence[Entry]) -> Version | None:
    """The upper-constraints pin: the line without a marker, else the highest."""
    plain = [minimum(e.specifier) for e in entries if not e.marker]
    pins = [v for v in plain if v is not None] or [
        v for v in (minimum(e.specifier) for e in entries) if v is not None
    ]
    return max(pins) if pins else None


def floor_of(entries: Sequence[Entry]) -> Version | None:
    """The global requirements' floor: the lowest lower bound, if every line has one."""
    return service_minimum(entries) if entries else None


def convergence(
    minimums: Iterable[Version | None],
) -> tuple[float | None, Version | None]:
    """(share of users at the most common minimum, that minimum)."""
    counts = Counter(minimums)
    total = sum(counts.values())
    if not total:
        return None, None
    best = max(counts.items(), key=lambda kv: (kv[1], kv[0] or Version("0")))
    return best[1] / total, best[0]


@dataclass(frozen=True)
class Cell:
    service: str
    library: str
    entries: tuple[Entry, ...] = ()

    @property
    def used(self) -> bool:
        return bool(self.entries)

    @property
    def text(self) -> str:
        return " | ".join(e.text for e in self.entries) if self.entries else NOT_USED


@dataclass(frozen=True)
class LibraryReport:
    name: str
    display: str
    users: tuple[str, ...]
    non_users: tuple[str, ...]
    minimums: Mapping[str, Version | None]
    global_specifier: str | None = None
    global_floor: Version | None = None
    pin: Version | None = None
    below_floor: tuple[str, ...] = ()
    excludes_pin: tuple[str, ...] = ()
    convergence: float | None = None
    modal_minimum: Version | None = None

    @property
    def known_minimums(self) -> list[Version]:
        return sorted(v for v in self.minimums.values() if v is not None)

    @property
    def lowest(self) -> Version | None:
        known = self.known_minimums
        return known[0] if known else None

    @property
    def highest(self) -> Version | None:
        known = self.known_minimums
        return known[-1] if known else None

    @property
    def distinct_minimums(self) -> int:
        return len(set(self.minimums.values()))

    @property
    def major_gap(self) -> int:
        if self.lowest is None or self.highest is None:
            return 0
        return self.highest.major - self.lowest.major

    @property
    def spread_key(self) -> tuple[int, int]:
        return (self.major_gap, self.distinct_minimums)

    @property
    def spread(self) -> str:
        if self.lowest is None:
            return "no minimums"
        if self.lowest == self.highest:
            return str(self.lowest)
        return f"{self.lowest} to {self.highest}"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "display": self.display,
            "users": list(self.users),
            "non_users": list(self.non_users),
            "minimums": {s: _v(v) for s, v in self.minimums.items()},
            "lowest": _v(self.lowest),
            "highest": _v(self.highest),
            "distinct_minimums": self.distinct_minimums,
            "major_gap": self.major_gap,
            "global_specifier": self.global_specifier,
            "global_floor": _v(self.global_floor),
            "pin": _v(self.pin),
            "below_floor": list(self.below_floor),
            "excludes_pin": list(self.excludes_pin),
            "convergence": self.convergence,
            "modal_minimum": _v(self.modal_minimum),
        }


@dataclass(frozen=True)
class GroupReport:
    name: str
    libraries: tuple[str, ...]
    adopted: tuple[str, ...]
    not_adopted: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "libraries": list(self.libraries),
            "adopted": list(self.adopted),
            "not_adopted": list(self.not_adopted),
        }


@dataclass(frozen=True)
class Analysis:
    services: tuple[str, ...]
    libraries: tuple[str, ...]
    cells: Mapping[tuple[str, str], Cell]
    reports: Mapping[str, LibraryReport]
    groups: tuple[GroupReport, ...] = ()
    problems: tuple[Diagnostic, ...] = ()
    includes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def cell(self, service: str, library: str) -> Cell:
        return self.cells[(service, library)]

    @property
    def uses_none(self) -> tuple[str, ...]:
        """Services that use none of the followed libraries."""
        return tuple(
            s
            for s in self.services
            if not any(self.cells[(s, lib)].used for lib in self.libraries)
        )

    def widest_spreads(self, count: int = 3) -> list[LibraryReport]:
        ranked = [r for r in self.reports.values() if len(r.users) > 1]
        ranked.sort(key=lambda r: (r.spread_key, r.name), reverse=True)
        return [r for r in ranked if r.spread_key[1] > 1][:count]

    def divergent(self) -> list[LibraryReport]:
        """Libraries with a user below the floor or excluding the pin."""
        return [r for r in self.reports.values() if r.below_floor or r.excludes_pin]

    def to_json(self) -> dict[str, Any]:
        return {
            "version": SHAPE_VERSION,
            "services": list(self.services),
            "libraries": [self.reports[lib].to_json() for lib in self.libraries],
            "matrix": {
                service: {
                    lib: (
                        {
                            "text": cell.text,
                            "minimum": _v(self.reports[lib].minimums.get(service)),
                            "entries": [e.to_json() for e in cell.entries],
                        }
                        if cell.used
                        else None
                    )
                    for lib in self.libraries
                    for cell in (self.cells[(service, lib)],)
                }
                for service in self.services
            },
            "groups": [group.to_json() for group in self.groups],
            "uses_none": list(self.uses_none),
            "problems": [str(p) for p in self.problems],
        }


def _v(version: Version | None) -> str | None:
    return None if version is None else str(version)


def analyse(
    services: Mapping[str, RequirementsFile],
    libraries: Sequence[str],
    groups: Mapping[str, Sequence[str]] | None = None,
    global_requirements: RequirementsFile | None = None,
    constraints: RequirementsFile | None = None,
) -> Analysis:
    """The matrix, per-library and per-group figures of one moment."""
    names = tuple(services)
    chosen = tuple(select_libraries(services, libraries))
    by_service = {name: services[name].by_name() for name in names}
    global_entries = global_requirements.by_name() if global_requirements else {}
    pins = constraints.by_name() if constraints else {}
    cells: dict[tuple[str, str], Cell] = {}
    reports: dict[str, LibraryReport] = {}
    for lib in chosen:
        users: list[str] = []
        minimums: dict[str, Version | None] = {}
        written = Counter[str]()
        for service in names:
            entries = tuple(by_service[service].get(lib, ()))
            cells[(service, lib)] = Cell(service, lib, entries)
            if entries:
                users.append(service)
                minimums[service] = service_minimum(entries)
                written.update(e.written for e in entries)
        floor_entries = global_entries.get(lib, [])
        floor = floor_of(floor_entries)
        pin = pin_of(pins.get(lib, []))
        share, modal = convergence(minimums.values())
        reports[lib] = LibraryReport(
            name=lib,
            display=written.most_common(1)[0][0] if written else lib,
            users=tuple(users),
            non_users=tuple(s for s in names if s not in users),
            minimums=minimums,
            global_specifier=(
                " | ".join(e.text for e in floor_entries) if floor_entries else None
            ),
            global_floor=floor,
            pin=pin,
            below_floor=tuple(
                s
                for s in users
                if floor is not None and (minimums[s] is None or minimums[s] < floor)  # type: ignore[operator]
            ),
            excludes_pin=tuple(
                s
                for s in users
                if pin is not None
                and not any(allows(e.specifier, pin) for e in cells[(s, lib)].entries)
            ),
            convergence=share,
            modal_minimum=modal,
        )
    group_reports = []
    for group, members in (groups or {}).items():
        libs = tuple(
            lib for lib in chosen if any(matches(lib, member) for member in members)
        ) or tuple(normalize(m) for m in members if "*" not in m)
        adopted = tuple(s for s in names if any(by_service[s].get(lib) for lib in libs))
        group_reports.append(
            GroupReport(
                group, libs, adopted, tuple(s for s in names if s not in adopted)
            )
        )
    problems = tuple(
        problem
        for requirements in (
            *services.values(),
            *(f for f in (global_requirements, constraints) if f is not None),
        )
        for problem in requirements.problems
    )
    includes = {
        name: tuple(f"-{o.kind[0]} {o.value}" for o in services[name].includes)
        for name in names
        if services[name].includes
    }
    return Analysis(
        names, chosen, cells, reports, tuple(group_reports), problems, includes
    )


@dataclass(frozen=True)
class TrendPoint:
    label: str
    library: str
    users: int
    services: int
    convergence: float | None
    lowest: str | None
    highest: str | None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def trend(
    points: Sequence[tuple[str, Mapping[str, RequirementsFile]]],
    libraries: Sequence[str],
) -> list[TrendPoint]:
    """Adoption and convergence per library at each labelled moment."""
    result: list[TrendPoint] = []
    for label, services in points:
        analysis = analyse(services, libraries)
        for lib in analysis.libraries:
            report = analysis.reports[lib]
            result.append(
                TrendPoint(
                    label,
                    lib,
                    len(report.users),
                    len(analysis.services),
                    report.convergence,
                    _v(report.lowest),
                    _v(report.highest),
                )
            )
    return result


#: Suffix of a history key holding a library's convergence in percent.
CONVERGENCE_SUFFIX = "%"


def history_figures(analysis: Analysis) -> dict[str, int]:
    """The daily history's figures: users per library, and convergence in
    whole percent under ``<library>%`` for libraries in use."""
    figures: dict[str, int] = {}
    for lib in analysis.libraries:
        report = analysis.reports[lib]
        figures[lib] = len(report.users)
        if report.convergence is not None:
            figures[f"{lib}{CONVERGENCE_SUFFIX}"] = round(100 * report.convergence)
    return figures


def split_history(
    breakdown: Mapping[str, int], libraries: Sequence[str]
) -> tuple[dict[str, int], dict[str, int]]:
    """One history entry's (users, convergence %) of ``libraries``."""
    users = {lib: breakdown[lib] for lib in libraries if lib in breakdown}
    shares = {
        lib: breakdown[f"{lib}{CONVERGENCE_SUFFIX}"]
        for lib in libraries
        if f"{lib}{CONVERGENCE_SUFFIX}" in breakdown
    }
    return users, shares


def trend_libraries(analysis: Analysis, count: int = 6) -> list[str]:
    """The libraries a trend chart follows: the groups', then the widest
    spreads, at most ``count``."""
    chosen: list[str] = []
    for group in analysis.groups:
        chosen += [lib for lib in group.libraries if lib not in chosen]
    chosen += [r.name for r in analysis.widest_spreads() if r.name not in chosen]
    return chosen[:count]
