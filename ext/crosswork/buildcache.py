"""Results kept between builds, keyed by everything they depend on.

The site build checks every contributor file at ``builder-inited``: the
charters, the spec template and every spec. Most of them are unchanged
from one build to the next, so a checker keys each result by its inputs
(the file's bytes, the schema, the day...), looks the key up before doing
the work, and puts what it computed. The cache lives in the build's
doctree folder, beside Sphinx's own pickled environment, never in a
tracked folder, and keeps only the entries the last build used.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any, Self

from crosswork.atomicfile import write_if_changed

#: Raised when the entries, or what a checker finds in the same inputs,
#: change: 2 added the metadata fields of spec reviews and gap targets, and
#: the template guidance check; 3 added charters and the template; 4 keeps
#: the day each spec was linted on.
FORMAT = 4


def content_key(*parts: str | bytes) -> str:
    """The key of a result computed from ``parts`` (a kind of result first,
    so that two checkers never share a key)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


class BuildCache:
    """Results by key: those the last build kept, and those this build used,
    which are the only ones :meth:`save` keeps."""

    def __init__(self, entries: dict[str, Any] | None = None) -> None:
        self._entries = entries or {}
        self._used: dict[str, Any] = {}

    def get(self, key: str) -> Any | None:
        """The result kept under ``key``, or None."""
        found = self._entries.get(key)
        if found is not None:
            self._used[key] = found
        return found

    def put(self, key: str, value: Any) -> None:
        """Keep ``value``, computed by this build, under ``key``."""
        self._used[key] = value

    @classmethod
    def load(cls, path: Path) -> Self:
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
        """Write the results this build used to ``path``."""
        write_if_changed(path, pickle.dumps((FORMAT, self._used)))
