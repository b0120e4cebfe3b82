"""One fetch at a time per snapshot folder.

The other fetch is a real process where that matters (a lock held by
another process, two command-line fetches racing); waits run on the
injected timeline, so no test waits for real.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import crosswork
from crosswork.fetch.endpoints import Endpoints
from crosswork.fetch.lock import LOCK_FILE, POLL_INTERVAL, SnapshotLocked, folder_lock
from crosswork.fetch.run import EXIT_LOCKED, fetch_all, fetch_command
from crosswork.fetch.snapshot import STATUS_FILE, load_status
from crosswork.fetch.sources import Source
from crosswork.kinds import KINDS
from crosswork.layout import SNAPSHOT_DIR
from crosswork.testing.timeline import Timeline
from crosswork.testing.upstream import FakeUpstream

MID_WRITE = ".status.json.mid-write.tmp"

#: Another fetch, stopped while it writes: holds the lock until stdin closes.
HOLDER = f"""
import sys
from pathlib import Path
from crosswork.fetch.lock import folder_lock
folder = Path(sys.argv[1])
with folder_lock(folder, 0):
    (folder / {MID_WRITE!r}).write_bytes(b"half a status file")
    print("held", flush=True)
    sys.stdin.read()
"""


def child_environ(**extra: str) -> dict[str, str]:
    """This environment for a child process: this tree's package first, and
    no token or crosswork setting of the caller's."""
    keep = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("CROSSWORK_") and "TOKEN" not in name
    }
    package = str(Path(crosswork.__file__).resolve().parents[1])
    path = os.pathsep.join(filter(None, [package, keep.get("PYTHONPATH")]))
    return {**keep, "PYTHONPATH": path, **extra}


@pytest.fixture
def holder(folder: Path) -> Iterator[subprocess.Popen[str]]:
    """A process holding ``folder``'s lock, with a temporary file half written."""
    folder.mkdir(parents=True)
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=child_environ(),
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        assert process.stdout.readline() == "held\n"
        yield process
    finally:
        process.stdin.close()
        process.wait(timeout=30)


@pytest.fixture
def sahara(launchpad_source: Callable[..., Source]) -> Source:
    return launchpad_source("sahara", "sahara")


def test_a_fetch_of_a_folder_another_process_holds_ends_in_one_line(
    holder: subprocess.Popen[str],
    folder: Path,
    repo_root: Path,
    upstream: FakeUpstream,
) -> None:
    err = io.StringIO()

    code = fetch_command(
        repo_root / "workgroups",
        folder,
        [],
        environ={"CROSSWORK_ENDPOINTS": upstream.endpoints()},
        err=err,
        lock_wait=0,
        kinds=KINDS,
    )

    assert code == EXIT_LOCKED
    assert err.getvalue() == (
        f"{folder} is in use by another fetch; gave up after waiting 0 s\n"
    )
    assert (folder / MID_WRITE).read_bytes() == b"half a status file"
    assert not (folder / STATUS_FILE).exists()
    assert upstream.requests == []


def test_a_second_fetch_waits_the_bounded_time_then_gives_up(
    folder: Path,
    sahara: Source,
    endpoints: Endpoints,
    clock: Any,
    timeline: Timeline,
) -> None:
    folder.mkdir()

    with folder_lock(folder), pytest.raises(SnapshotLocked) as refusal:
        fetch_all(
            [sahara],
            folder,
            clock=clock,
            endpoints=endpoints,
            environ={},
            sleep=timeline.sleep,
            monotonic=timeline.monotonic,
            lock_wait=60,
        )

    assert refusal.value.waited == 60
    assert timeline.now == pytest.approx(60)
    assert max(timeline.sleeps) == pytest.approx(POLL_INTERVAL)
    assert not (folder / STATUS_FILE).exists()


def test_a_waiting_fetch_goes_on_once_the_other_one_ends(
    folder: Path,
    sahara: Source,
    endpoints: Endpoints,
    clock: Any,
    timeline: Timeline,
) -> None:
    folder.mkdir()
    other = contextlib.ExitStack()
    other.enter_context(folder_lock(folder))

    def sleep(seconds: float) -> None:
        timeline.sleep(seconds)
        other.close()

    report = fetch_all(
        [sahara],
        folder,
        clock=clock,
        endpoints=endpoints,
        environ={},
        sleep=sleep,
        monotonic=timeline.monotonic,
    )

    assert report.state(sahara.id) == "fresh"
    assert timeline.sleeps == [POLL_INTERVAL]
    assert load_status(folder)[sahara.id].state == "fresh"
    assert not (folder / LOCK_FILE).exists()


def test_two_command_line_fetches_racing_on_one_folder_both_finish(
    upstream: FakeUpstream, repo_root: Path, folder: Path
) -> None:
    command = [
        sys.executable,
        "-m",
        "crosswork.cli",
        "--root",
        str(repo_root),
        "fetch",
        "--snapshot",
        str(folder),
        "--source",
        "security.bugs.barbican",
        "--source",
        "common.bugs.pygithub",
    ]
    environ = child_environ(CROSSWORK_ENDPOINTS=upstream.endpoints())
    runs = [
        subprocess.Popen(
            command, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]

    results = [(*run.communicate(timeout=120), run.returncode) for run in runs]

    assert [(code, err) for _, err, code in results] == [(0, b""), (0, b"")]
    assert sorted(load_status(folder)) == [
        "common.bugs.pygithub",
        "security.bugs.barbican",
    ]
    assert list(folder.glob(".*.tmp")) == []


def test_the_lock_file_is_ignored_in_the_committed_snapshot(repo_root: Path) -> None:
    git = shutil.which("git")
    if git is None or not (repo_root / ".git").exists():
        pytest.skip("not a git work tree")

    ignored = subprocess.run(
        [
            git,
            "-C",
            str(repo_root),
            "check-ignore",
            "-q",
            f"{SNAPSHOT_DIR}/{LOCK_FILE}",
        ],
        check=False,
    )

    assert ignored.returncode == 0
