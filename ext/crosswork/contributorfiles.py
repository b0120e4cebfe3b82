"""Reading contributor files (charters, specs, templates, matrices) safely.

A contributor commits whatever they like under a file's name: a symlink to
``/dev/zero`` would make a plain ``read()`` fill memory, a FIFO would make
it wait forever, and a folder named ``x.yaml`` would raise. Every reader of
contributor files goes through :func:`read_contributor_file`, which:

* follows symlinks, then refuses anything that is not a regular file
  (checked before opening, and again on the open descriptor, so a file
  swapped in between is caught too);
* opens without blocking, so a FIFO swapped in never hangs the open;
* reads at most ``cap + 1`` bytes, however large the file claims to be;
* turns every failure into one located finding, ``path:1:1: CODE ...``,
  instead of an exception.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from crosswork.diagnostics import Diagnostic, register

register(
    "Contributor files",
    C101="the path is not a regular file (a folder, device, FIFO or socket)",
    C102="the file is larger than the size cap of its kind",
    C103="the file cannot be opened or read",
)

#: What a file that is not regular is, for the message.
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
)

#: Flags of the open: never block (FIFOs), never become a controlling
#: terminal, never leak the descriptor into a child process.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


class UnreadableFile(ValueError):
    """A contributor file that was not read; ``code`` and ``reason`` say why."""

    def __init__(self, path: Path, code: str, reason: str) -> None:
        super().__init__(f"{path}: cannot read the file: {reason}")
        self.path = path
        self.code = code
        self.reason = reason


def read_bounded(path: Path, cap: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``cap`` of them.

    Raises :class:`UnreadableFile` (C101, C102 or C103) instead of reading
    anything that is not a regular file or is larger than ``cap``.
    """
    try:
        _require_regular(path, os.stat(path))
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        raise UnreadableFile(path, "C103", _strerror(error)) from error
    try:
        _require_regular(path, os.fstat(descriptor))
        data = _read_at_most(descriptor, cap + 1)
    except OSError as error:
        raise UnreadableFile(path, "C103", _strerror(error)) from error
    finally:
        os.close(descriptor)
    if len(data) > cap:
        raise UnreadableFile(path, "C102", f"it is larger than the {cap} byte cap")
    return data


def read_contributor_file(
    path: Path, label: str, cap: int
) -> tuple[bytes | None, list[Diagnostic]]:
    """The file's bytes, or ``None`` and the finding that says why not.

    ``label`` is how the finding names the file (``workgroups/x.yaml``);
    ``cap`` is the largest size accepted, in bytes.
    """
    try:
        return read_bounded(path, cap), []
    except UnreadableFile as error:
        message = f"cannot read the file: {error.reason}"
        return None, [Diagnostic(label, 1, 1, error.code, message)]


def _require_regular(path: Path, status: os.stat_result) -> None:
    if stat.S_ISREG(status.st_mode):
        return
    kind = next(
        (name for test, name in _KINDS if test(status.st_mode)), "a special file"
    )
    verb = "links to" if os.path.islink(path) else "is"
    raise UnreadableFile(path, "C101", f"it {verb} {kind}, not a regular file")


def _read_at_most(descriptor: int, limit: int) -> bytes:
    """Up to ``limit`` bytes; ``os.read`` may return fewer than asked."""
    chunks: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = os.read(descriptor, remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _strerror(error: OSError) -> str:
    return error.strerror or type(error).__name__
