"""The garbage collector stays out of the way of a build's bulk work: it
pauses while Sphinx loads the environment, and a process that loaded the
site leaves its objects to the operating system at exit instead of
collecting them."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import crosswork
from crosswork.site import garbage

EXT = Path(crosswork.__file__).parent.parent

#: Makes garbage the collector alone can free (a cycle), then exits; the
#: object reports when it is collected.
SCRIPT = textwrap.dedent(
    """
    import atexit, gc, os, sys
    from crosswork.site.garbage import freeze_at_exit

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


#: An extension recording, just after the pause at config-inited and just
#: after the resumption at builder-inited, whether the collector runs and
#: whether objects are frozen out of its reach.
OBSERVER = textwrap.dedent(
    """
    import gc

    seen = []

    def setup(app):
        app.connect("config-inited", lambda app, config: seen.append(state()), 1001)
        app.connect("builder-inited", lambda app: seen.append(state()), 1)

    def state():
        return gc.isenabled(), gc.get_freeze_count() > 0
    """
)


@pytest.fixture
def observer(tmp_path, monkeypatch):
    (tmp_path / "gcobserver.py").write_text(OBSERVER, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import gcobserver

    yield gcobserver.seen
    sys.modules.pop("gcobserver", None)


def test_the_collector_pauses_only_while_sphinx_loads_the_environment(
    make_app, copy_root, observer
):
    site = copy_root("test-site")
    extensions = {"extensions": ["crosswork", "gcobserver"]}
    for _ in range(2):  # a fresh environment, then one loaded
        app = make_app("html", srcdir=site, confoverrides=extensions)
        app.build()
        assert gc.isenabled()
        assert gc.get_freeze_count() == 0

    paused, frozen = (False, False), (True, True)
    assert observer == [paused, frozen, paused, frozen]


@pytest.mark.parametrize("stopped_after", ["pause", "settle"])
def test_what_a_stopped_build_holds_is_released_by_the_next_build(
    make_app, copy_root, stopped_after
):
    garbage.pause(None, None)
    if stopped_after == "settle":
        garbage.settle(None)
    assert (gc.isenabled(), gc.get_freeze_count() > 0) != (True, False)

    make_app("html", srcdir=copy_root("test-site")).build()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
