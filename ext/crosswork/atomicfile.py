"""One way to write a file: atomically, and only when its bytes change.

Readers in other processes (a parallel build, a web server, a second
fetch) see the old file or the new one, never a part; a crash at any point
leaves one of the two. An unchanged file keeps its mtime, so incremental
builds and ``rsync`` see no change.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

#: Prefix and suffix of a writer's temporary file, beside its target.
TEMPORARY_PREFIX = "."
TEMPORARY_SUFFIX = ".tmp"


def holds(path: Path, data: bytes) -> bool:
    """Whether the file at ``path`` holds exactly ``data`` (no file: no)."""
    with contextlib.suppress(FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return path.read_bytes() == data
    return False


def write_if_changed(path: Path, data: bytes, *, folder_mode: int = 0o777) -> bool:
    """Atomically replace ``path`` with ``data`` unless it already holds it.

    Temporary file in the same folder, flush, fsync, rename, fsync of the
    folder. Returns whether the file was written. A missing folder is made
    with ``folder_mode`` (less the umask).
    """
    if holds(path, data):
        return False
    path.parent.mkdir(mode=folder_mode, parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent,
        prefix=f"{TEMPORARY_PREFIX}{path.name}.",
        suffix=TEMPORARY_SUFFIX,
    )
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _fsync_folder(path.parent)
    return True


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
