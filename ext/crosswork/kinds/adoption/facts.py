"""Requirements files as snapshot items, and back.

The snapshot holds facts, not requirements text: the site never parses
upstream text. Each item is one record:

* ``{"record": "file", "role", "service", "path", "entries", "options",
  "count"}`` per file, ``role`` being ``service``, ``global`` or
  ``constraints``; ``entries`` are the requirements of the followed
  libraries only (see :meth:`Entry.to_json`), ``count`` the number of
  requirements the file holds in all;
* ``{"record": "warning", "path", "line", "column", "code", "severity",
  "message"}`` per line that could not be read.

Every value is upstream text: render it as text only. Loading checks the
shape of every record, so a snapshot edited by hand cannot crash a build.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from crosswork.diagnostics import Diagnostic, Severity
from crosswork.kinds.adoption.analysis import Analysis, analyse, matches
from crosswork.kinds.adoption.requirements import (
    Entry,
    Option,
    RequirementsFile,
)

ROLES = ("service", "global", "constraints")


class FactsError(ValueError):
    """Snapshot items that do not describe requirements files."""


def followed(entry: Entry, libraries: Sequence[str]) -> bool:
    return any(matches(entry.name, pattern) for pattern in libraries)


def file_facts(
    role: str, service: str, requirements: RequirementsFile, libraries: Sequence[str]
) -> list[dict[str, Any]]:
    """The records of one file: kept entries, options and problems."""
    record = {
        "record": "file",
        "role": role,
        "service": service,
        "path": requirements.path,
        "entries": [
            e.to_json() for e in requirements.entries if followed(e, libraries)
        ],
        "options": [o.to_json() for o in requirements.options],
        "count": len(requirements.entries),
    }
    return [record, *(warning_record(p) for p in requirements.problems)]


def warning_record(problem: Diagnostic) -> dict[str, Any]:
    return {
        "record": "warning",
        "path": problem.path,
        "line": problem.line,
        "column": problem.column,
        "code": problem.code,
        "severity": problem.severity.value,
        "message": problem.message,
    }


@dataclass(frozen=True)
class Stored:
    """The files of one snapshot, read back."""

    services: dict[str, RequirementsFile] = field(default_factory=dict)
    global_requirements: RequirementsFile | None = None
    constraints: RequirementsFile | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def analyse(
        self, libraries: Sequence[str], groups: Mapping[str, Sequence[str]]
    ) -> Analysis:
        return analyse(
            self.services,
            libraries,
            groups,
            self.global_requirements,
            self.constraints,
        )


def from_facts(items: Iterable[Mapping[str, Any]]) -> Stored:
    """The stored files; FactsError if a record has the wrong shape."""
    stored = Stored()
    problems: dict[str, list[Diagnostic]] = {}
    files: list[tuple[str, str, str, tuple[Entry, ...], tuple[Option, ...], int]] = []
    try:
        for item in items:
            if item["record"] == "warning":
                problems.setdefault(str(item["path"]), []).append(
                    Diagnostic(
                        str(item["path"]),
                        int(item["line"]),
                        int(item["column"]),
                        str(item["code"]),
                        str(item["message"]),
                        Severity(item["severity"]),
                    )
                )
            elif item["record"] == "file" and item["role"] in ROLES:
                entries = tuple(Entry.from_json(e) for e in item["entries"])
                options = tuple(
                    Option(str(o["kind"]), str(o["value"]), int(o["line"]))
                    for o in item["options"]
                )
                files.append(
                    (
                        item["role"],
                        str(item["service"]),
                        str(item["path"]),
                        entries,
                        options,
                        int(item["count"]),
                    )
                )
            else:
                raise FactsError(f"unknown record {item.get('record')!r}")
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise FactsError(f"malformed record: {error}") from error
    for role, service, path, entries, options, count in files:
        requirements = RequirementsFile(
            path, entries, options, tuple(problems.get(path, ()))
        )
        if role == "service":
            stored.services[service] = requirements
            stored.counts[service] = count
        elif role == "global":
            stored = Stored(
                stored.services, requirements, stored.constraints, stored.counts
            )
        else:
            stored = Stored(
                stored.services, stored.global_requirements, requirements, stored.counts
            )
    return stored
