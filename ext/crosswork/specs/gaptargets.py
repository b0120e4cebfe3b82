"""The ``Closes-Gaps`` field: which feature-matrix gaps a spec closes.

The value is one or more targets separated by ``;``::

   <track> <driver>: all
   <track> <driver>: <feature>, <feature>, ...

``track`` is a matrix track of the spec's workgroup (``nova-2020``),
``driver`` a driver key of that matrix (``libvirt-xen``), and after the
colon either ``all`` (every gap of the driver against the matrix's
reference, as the data has them at each build) or the feature keys of the
gaps the spec takes on (``operation.evacuate``). For example::

   :Closes-Gaps: nova-2020 libvirt-xen: all;
      nova-2020 xenserver: operation.evacuate, operation.snapshot

Only the syntax is read here. Whether the track, the driver and the
features exist is the matrices kind's to say, from its data, through the
``spec_lint`` hook of :class:`crosswork.datakind.DataKind`.

Problems carry the offset in the value of the part they are about, so
that the linter reports each one at its own column; every problem of a
value is found, not only the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crosswork.specs.model import GapTarget

#: The word that stands for every gap of a driver.
ALL = "all"

#: Track names, as the matrices kind's track schema spells them.
TRACK_RE = re.compile(r"[a-z][a-z0-9-]{1,40}")
#: Driver and feature keys of a matrix file.
KEY_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")

_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class GapProblem:
    """Something wrong at ``offset`` (0-based) in the field's value."""

    offset: int
    code: str
    message: str


def parse_closes_gaps(value: str) -> tuple[tuple[GapTarget, ...], list[GapProblem]]:
    """The targets written in ``value``, and every problem in how it is
    written; the targets are only meaningful when there is no problem."""
    targets: list[GapTarget] = []
    problems: list[GapProblem] = []
    seen: set[tuple[str, str]] = set()
    for offset, text in _parts(value, ";", 0):
        if not text:
            problems.append(GapProblem(offset, "M116", _EMPTY_TARGET))
            continue
        target, found = _target(text, offset)
        problems.extend(found)
        if target is None:
            continue
        key = (target.track, target.driver)
        if key in seen:
            message = f'Closes-Gaps names "{target.track} {target.driver}" twice'
            problems.append(GapProblem(offset, "M118", message))
        else:
            seen.add(key)
            targets.append(target)
    return tuple(targets), problems


_EMPTY_TARGET = (
    'empty Closes-Gaps target: write "<track> <driver>: all" or '
    '"<track> <driver>: <feature>, ..." between the ";"'
)


def _parts(text: str, separator: str, start: int) -> list[tuple[int, str]]:
    """Each ``separator``-separated part, stripped, with its offset; an
    empty part is placed at the separator before it (the first one, at the
    separator after it), where a reader sees the doubled separator."""
    parts = []
    offset = start
    for raw in text.split(separator):
        stripped = raw.strip()
        if stripped:
            parts.append((offset + len(raw) - len(raw.lstrip()), stripped))
        elif offset > start:
            parts.append((offset - len(separator), ""))
        else:
            parts.append((offset + len(raw), ""))
        offset += len(raw) + len(separator)
    return parts


def _target(text: str, offset: int) -> tuple[GapTarget | None, list[GapProblem]]:
    head, colon, selection = text.partition(":")
    if not colon:
        message = f'Closes-Gaps target "{text}" has no ":" after "<track> <driver>"'
        return None, [GapProblem(offset, "M116", message)]
    names = [(offset + m.start(), m.group()) for m in _WORD.finditer(head)]
    if len(names) != 2:
        said = f'"{head.strip()}"' if head.strip() else "nothing"
        message = (
            f'Closes-Gaps target needs "<track> <driver>" before ":", found {said}'
        )
        return None, [GapProblem(offset, "M116", message)]
    (track_at, track), (driver_at, driver) = names
    problems = [*_track(track, track_at), *_key("driver", driver, driver_at)]
    selection_at = offset + len(head) + 1
    features, found = _selection(selection, selection_at, track, driver)
    problems.extend(found)
    if problems:
        return None, problems
    return GapTarget(track, driver, features), []


def _track(track: str, offset: int) -> list[GapProblem]:
    if TRACK_RE.fullmatch(track):
        return []
    message = f'Closes-Gaps track "{track}" is not a track name (like nova-2020)'
    return [GapProblem(offset, "M117", message)]


def _key(kind: str, key: str, offset: int) -> list[GapProblem]:
    if KEY_RE.fullmatch(key):
        return []
    message = f'Closes-Gaps {kind} "{key}" is not a matrix key (like libvirt-xen)'
    return [GapProblem(offset, "M117", message)]


def _selection(
    text: str, offset: int, track: str, driver: str
) -> tuple[tuple[str, ...], list[GapProblem]]:
    """The features after the colon; ``()`` for ``all``."""
    if ":" in text:
        at = offset + text.index(":")
        message = 'Closes-Gaps target has a second ":"; separate targets with ";"'
        return (), [GapProblem(at, "M116", message)]
    if not text.strip():
        message = (
            f'Closes-Gaps target "{track} {driver}" names no gaps: '
            'write "all" or feature keys after ":"'
        )
        return (), [GapProblem(offset, "M116", message)]
    entries = _parts(text, ",", offset)
    words = [word for _, word in entries]
    problems = _all_alone(entries) if ALL in words else []
    seen: set[str] = set()
    for at, feature in entries:
        if feature != ALL:
            problems.extend(_feature(feature, at, seen))
            seen.add(feature)
    return (() if ALL in words else tuple(words)), problems


def _all_alone(entries: list[tuple[int, str]]) -> list[GapProblem]:
    if len(entries) == 1:
        return []
    at = next(at for at, word in entries if word == ALL)
    message = '"all" already means every gap: name no features with it'
    return [GapProblem(at, "M118", message)]


def _feature(feature: str, offset: int, earlier: set[str]) -> list[GapProblem]:
    if not feature:
        message = "empty Closes-Gaps feature between commas"
        return [GapProblem(offset, "M116", message)]
    if " " in feature:
        message = f'Closes-Gaps features "{feature}" need a comma between them'
        return [GapProblem(offset, "M116", message)]
    if feature in earlier:
        return [GapProblem(offset, "M118", f'feature "{feature}" is named twice')]
    return _key("feature", feature, offset)
