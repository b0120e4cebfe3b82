"""Lint results kept between builds, so an unchanged spec is not re-parsed.

The site build lints every spec at ``builder-inited``; with a thousand
specs that is seconds on every incremental build. A result depends only on
the file's text, the template, the known workgroups, the day (``Created``
must not be in the future) and the checks, so that is its key. The cache
lives in the build's doctree folder, beside Sphinx's own pickled
environment, and keeps only the entries the last run used.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Set
from datetime import date
from pathlib import Path
from typing import Any

from crosswork.atomicfile import write_if_changed

#: Raised when the entries, or what the linter finds in the same inputs,
#: change: 2 added the metadata fields of spec reviews and gap targets, and
#: the template guidance check.
FORMAT = 2


class LintCache:
    def __init__(self, entries: dict[str, Any] | None = None) -> None:
        self._entries = entries or {}
        self._used: dict[str, Any] = {}

    @staticmethod
    def key(
        path: str,
        text: str,
        template: object,
        workgroups: Set[str],
        today: date,
        checks: Set[str],
        roles: Set[str] = frozenset(),
    ) -> str:
        parts = (
            path,
            text,
            repr(template),
            ",".join(sorted(workgroups)),
            today.isoformat(),
            ",".join(sorted(checks)),
            ",".join(sorted(roles)),
        )
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def get(self, key: str) -> Any | None:
        found = self._entries.get(key)
        if found is not None:
            self._used[key] = found
        return found

    def put(self, key: str, value: Any) -> None:
        self._used[key] = value

    @classmethod
    def load(cls, path: Path) -> LintCache:
        """The cache at ``path``; an unreadable or older one starts empty."""
        try:
            with path.open("rb") as handle:
                version, entries = pickle.load(handle)  # noqa: S301 (own build folder)
        except (OSError, ValueError, TypeError, EOFError, pickle.UnpicklingError):
            return cls()
        except (AttributeError, ImportError, IndexError):
            return cls()
        return cls(entries if version == FORMAT else None)

    def save(self, path: Path) -> None:
        write_if_changed(path, pickle.dumps((FORMAT, self._used)))
