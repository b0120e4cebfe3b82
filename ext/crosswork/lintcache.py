"""Lint results kept between runs, so an unchanged spec is not re-parsed.

The site build checks every charter and spec at ``builder-inited``, and
``crosswork lint`` every file it is given; with a thousand specs that is
tens of seconds of docutils. A spec's findings depend only on the file's
text, the template, the known workgroups and the checks, so that is its
key; the day matters only to a ``Created`` date after it, so an entry
keeps the day it was linted on and the linter decides whether it still
holds (``holds_on`` in :mod:`crosswork.specs.lint`). Charters and the
template are kept by their bytes (``LintCache.remember``). A file also
records the code that wrote it (:func:`code_digest`), so a changed linter
or docutils starts afresh instead of replaying old findings. The build
keeps its cache in the doctree folder, beside Sphinx's own pickled
environment; the command line keeps one per repository in the user's cache
folder, never in the repository, where a change under review could plant
one.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from collections.abc import Callable, Sequence, Set
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import docutils

import crosswork
from crosswork.atomicfile import write_if_changed

T = TypeVar("T")

#: Raised when the files' shape changes: 3 added the code digest, 4 keeps
#: the day each spec was linted on, 5 keeps one entry per file in a folder.
FORMAT = 5


@cache
def code_digest() -> str:
    """What the findings depend on besides the inputs: every module of the
    package and the docutils version (a few milliseconds to read)."""
    digest = hashlib.sha256(docutils.__version__.encode())
    package = Path(crosswork.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class LintCache:
    """Results by key: those an earlier run kept, and those this run used."""

    def __init__(self, entries: dict[str, Any] | None = None) -> None:
        self._entries = entries or {}
        self._used: dict[str, Any] = {}
        self._folder: Path | None = None
        #: Entries read from the folder, which saving need not write again.
        self._read_keys: set[str] = set()
        #: The file :meth:`load` read, if any.
        self._loaded_from: Path | None = None

    @staticmethod
    def key(
        path: str,
        text: str,
        template: object,
        workgroups: Set[str],
        checks: Set[str],
        roles: Set[str] = frozenset(),
    ) -> str:
        parts = (
            path,
            text,
            repr(template),
            ",".join(sorted(workgroups)),
            ",".join(sorted(checks)),
            ",".join(sorted(roles)),
        )
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def remember(self, parts: Sequence[str | bytes], compute: Callable[[], T]) -> T:
        """``compute()``, or what it gave for the same ``parts`` before: the
        template's outline, a charter's checked content."""
        digest = hashlib.sha256()
        for part in parts:
            data = part if isinstance(part, bytes) else part.encode()
            digest.update(len(data).to_bytes(8, "big") + data)
        key = digest.hexdigest()
        found = self.get(key)
        if found is None:
            found = compute()
        self.put(key, found)
        return found

    def get(self, key: str) -> Any | None:
        found = self._used.get(key, self._entries.get(key))
        if found is None and self._folder is not None:
            found = self._read_entry(key)
        if found is not None:
            self._used[key] = found
        return found

    def put(self, key: str, value: Any) -> None:
        self._used[key] = value

    @classmethod
    def load(cls, path: Path) -> LintCache:
        """The cache in the file at ``path`` (the build's); an unreadable
        one, or one written by other code, starts empty."""
        value = _read(path)
        cache = cls(value if isinstance(value, dict) else None)
        cache._loaded_from = path
        return cache

    def save(self, path: Path) -> None:
        """Write the entries this run used to the file at ``path``; when
        they are those it was loaded from, the file already holds them."""
        if path == self._loaded_from and self._used_all_as_loaded():
            return
        write_if_changed(path, _dumps(self._used))

    def _used_all_as_loaded(self) -> bool:
        entries = self._entries
        return self._used.keys() == entries.keys() and all(
            value is entries[key] for key, value in self._used.items()
        )

    @classmethod
    def in_folder(cls, folder: Path) -> LintCache:
        """The cache of one file per entry in ``folder`` (the command
        line's): a run over one spec reads only the entries it needs, not
        those of the whole tree."""
        cache = cls()
        cache._folder = folder
        return cache

    def save_folder(self, *, prune: bool) -> None:
        """Write the entries this run made; with ``prune`` (a run over every
        file), remove those it did not use. A folder that cannot be written
        is no error: the results are kept only when they can be."""
        assert self._folder is not None
        with contextlib.suppress(OSError):
            for key, value in self._used.items():
                if key not in self._read_keys:
                    path = self._entry_path(key)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    write_if_changed(path, _dumps(value))
            if prune:
                for path in self._folder.glob("*/*.pickle"):
                    if path.stem not in self._used:
                        path.unlink(missing_ok=True)

    def _entry_path(self, key: str) -> Path:
        assert self._folder is not None
        return self._folder / key[:2] / f"{key}.pickle"

    def _read_entry(self, key: str) -> Any | None:
        found = _read(self._entry_path(key))
        if found is not None:
            self._read_keys.add(key)
        return found


def _dumps(value: Any) -> bytes:
    return pickle.dumps((FORMAT, code_digest(), value))


def _read(path: Path) -> Any | None:
    """What a file of ours holds, or None when it is unreadable or was
    written by other code."""
    try:
        with path.open("rb") as handle:
            # Only our own folders: the build's, or the user's cache.
            version, digest, value = pickle.load(handle)  # noqa: S301
    except (OSError, ValueError, TypeError, EOFError, pickle.UnpicklingError):
        return None
    except (AttributeError, ImportError, IndexError):
        return None
    return value if version == FORMAT and digest == code_digest() else None
