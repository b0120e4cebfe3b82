"""A build process that ends does not collect its garbage first.

When Python exits, it runs the cyclic garbage collector over every object
still alive: for ``sphinx-build``, the environment, every doctree it kept
and the site's data, millions of objects. At half scale that was a quarter
of a rebuild's CPU (1.3 of 5.3 seconds) spent freeing memory the operating
system takes back anyway.

At exit, the objects alive are moved out of the collector's reach
(``gc.freeze``). Only then: a process that builds several times (a test
run, a server) collects between its builds as usual. Objects are still
released by reference counting as modules are torn down, so files left
open are closed and flushed as before.
"""

from __future__ import annotations

import atexit
import gc
from typing import TYPE_CHECKING

from crosswork import __version__

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


#: Whether this process freezes its objects at exit (once is enough).
_registered = False


def freeze_at_exit() -> None:
    """Have the interpreter's exit skip the collection of what is alive."""
    global _registered
    if not _registered:
        atexit.register(gc.freeze)
        _registered = True


def setup(app: Sphinx) -> ExtensionMetadata:
    freeze_at_exit()
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
