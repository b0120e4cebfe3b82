"""One fetch at a time per snapshot folder.

A fetch starts by deleting the temporary files a killed writer left
behind. Two fetches on one folder would delete each other's files
mid-write, so a fetch first takes the folder's lock and only the holder
cleans up. A second fetch waits a bounded time, then gives up with
:class:`SnapshotLocked`; the folder is never half shared.

The lock is ``flock`` on :data:`LOCK_FILE` in the folder: the kernel frees
it when its holder exits, even when killed, so a crash never leaves the
folder locked. The holder removes the file before it lets go, so a folder
holds it only during a fetch (or after a killed one); a waiter that locked
a file removed meanwhile tries again on the new one. ``snapshot/.gitignore``
keeps it out of git.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

#: The lock's file, inside the snapshot folder.
LOCK_FILE = ".fetch.lock"

#: Seconds a fetch waits for a folder another fetch holds.
DEFAULT_WAIT = 60.0

#: Seconds between two attempts to take a held lock.
POLL_INTERVAL = 0.1


class SnapshotLocked(Exception):
    """Another fetch held the folder for longer than the wait."""

    def __init__(self, folder: Path, waited: float) -> None:
        super().__init__(
            f"{folder} is in use by another fetch; gave up after waiting {waited:g} s"
        )
        self.folder = folder
        self.waited = waited


@contextlib.contextmanager
def folder_lock(
    folder: Path,
    wait: float = DEFAULT_WAIT,
    *,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[None]:
    """Hold ``folder``'s lock, waiting at most ``wait`` seconds for it."""
    path = folder / LOCK_FILE
    give_up = monotonic() + wait
    descriptor = None
    while descriptor is None:
        descriptor = _try_lock(path)
        if descriptor is None:
            left = give_up - monotonic()
            if left <= 0:
                raise SnapshotLocked(folder, wait)
            sleep(min(POLL_INTERVAL, left))
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(descriptor)  # releases the lock


def _try_lock(path: Path) -> int | None:
    """A descriptor holding the lock on ``path``, or None while another
    process holds it. Retries at once when the file it locked was removed
    by its previous holder in the meantime."""
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            return None
        except BaseException:
            os.close(descriptor)
            raise
        if _is_linked_at(descriptor, path):
            return descriptor
        os.close(descriptor)


def _is_linked_at(descriptor: int, path: Path) -> bool:
    """Whether ``path`` still names the open file ``descriptor``."""
    try:
        named = path.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(descriptor)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)
