"""One fetch at a time per snapshot folder.

A fetch starts by deleting the temporary files a killed writer left
behind. Two fetches on one folder would delete each other's files
mid-write, so a fetch first takes the folder's lock and only the holder
cleans up. A second fetch waits a bounded time, then gives up with
:class:`SnapshotLocked`; the folder is never half shared.

The lock is ``flock`` on :data:`LOCK_FILE` in the folder: the kernel frees
it when its holder exits, even when killed, so a crash never leaves the
folder locked. The file stays (removing it would let two holders lock
different files) and is empty; ``snapshot/.gitignore`` keeps it out of git.
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
    descriptor = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        _acquire(descriptor, folder, wait, monotonic, sleep)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def _acquire(
    descriptor: int,
    folder: Path,
    wait: float,
    monotonic: Callable[[], float],
    sleep: Callable[[float], None],
) -> None:
    give_up = monotonic() + wait
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            left = give_up - monotonic()
            if left <= 0:
                raise SnapshotLocked(folder, wait) from None
            sleep(min(POLL_INTERVAL, left))
        else:
            return
