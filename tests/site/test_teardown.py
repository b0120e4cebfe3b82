"""A process that loaded the site leaves its objects to the operating
system at exit, instead of running the garbage collector over them."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import crosswork

EXT = Path(crosswork.__file__).parent.parent

#: Makes garbage the collector alone can free (a cycle), then exits; the
#: object reports when it is collected.
SCRIPT = textwrap.dedent(
    """
    import atexit, gc, os, sys
    from crosswork.site.teardown import freeze_at_exit

    class Reported:
        def __del__(self):
            os.write(1, b"collected\\n")

    gc.disable()
    item = Reported()
    item.me = item
    del item
    for _ in range(int(sys.argv[1])):
        freeze_at_exit()
    os.write(1, f"exit handlers {atexit._ncallbacks()}\\n".encode())
    """
)


def run(registrations: int) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(registrations)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(EXT)},
        check=True,
    )
    return result.stdout.splitlines()


def test_without_it_the_exit_collects_the_garbage():
    assert run(0) == ["exit handlers 0", "collected"]


def test_with_it_the_exit_leaves_the_garbage_to_the_system():
    assert run(1) == ["exit handlers 1"]


def test_it_is_registered_once_per_process():
    assert run(3) == ["exit handlers 1"]
