"""Contributor files are read bounded, and only when they are regular files.

A charter or spec that is a symlink to ``/dev/zero``, a FIFO, a folder or
simply too large is one located finding; it never exhausts memory, hangs
or raises. Tests that could do either if the reader regressed run under
``limits``, which turns both into a test failure.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import shutil
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from crosswork.cli import main
from crosswork.contributorfiles import (
    UnreadableFile,
    read_bounded,
    read_contributor_file,
)
from crosswork.kinds import KINDS
from crosswork.layout import Layout
from crosswork.safeyaml import MAX_BYTES as CHARTER_CAP
from crosswork.specs.scaffold import new_spec
from crosswork.specs.source import MAX_SPEC_BYTES
from crosswork.workgroups.registry import load_registry

SITE = Path(__file__).resolve().parent / "roots" / "test-site" / "repo"

#: How long a read may take, and how much more memory it may map.
SECONDS = 5
EXTRA_BYTES = 1024**3


@pytest.fixture
def limits() -> Iterator[None]:
    """Fail the test, rather than hang or fill memory, if a read runs away."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"still reading after {SECONDS} s")

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    previous = signal.signal(signal.SIGALRM, expire)
    resource.setrlimit(resource.RLIMIT_AS, (_mapped_bytes() + EXTRA_BYTES, hard))
    signal.alarm(SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _mapped_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmSize in /proc/self/status")


#: Each hostile shape: how to put it at a path (given the cap), and why
#: the file is refused.
HOSTILE: dict[str, tuple[Callable[[Path, int], object], str]] = {
    "symlink to /dev/zero": (
        lambda path, cap: path.symlink_to("/dev/zero"),
        "C101 cannot read the file: it links to a character device, not a regular file",
    ),
    "FIFO": (
        lambda path, cap: os.mkfifo(path),
        "C101 cannot read the file: it is a FIFO, not a regular file",
    ),
    "folder": (
        lambda path, cap: path.mkdir(),
        "C101 cannot read the file: it is a folder, not a regular file",
    ),
    "one byte over the cap": (
        lambda path, cap: path.write_bytes(b"#" * (cap + 1)),
        "C102 cannot read the file: it is larger than the {cap} byte cap",
    ),
}


def make_hostile(path: Path, shape: str, cap: int) -> str:
    """Put ``shape`` at ``path``; return the finding it gives, after the place."""
    make, finding = HOSTILE[shape]
    make(path, cap)
    return finding.format(cap=cap)


class TestReading:
    @pytest.mark.parametrize("shape", HOSTILE)
    def test_a_hostile_file_is_one_located_finding(self, tmp_path, limits, shape):
        expected = make_hostile(tmp_path / "x.yaml", shape, 100)
        data, found = read_contributor_file(tmp_path / "x.yaml", "wg/x.yaml", 100)
        assert (data, [str(problem) for problem in found]) == (
            None,
            [f"wg/x.yaml:1:1: {expected}"],
        )

    def test_a_file_of_exactly_the_cap_is_read_whole(self, tmp_path):
        (tmp_path / "x.yaml").write_bytes(b"a" * 100)
        assert read_contributor_file(tmp_path / "x.yaml", "x.yaml", 100) == (
            b"a" * 100,
            [],
        )

    def test_a_symlink_to_a_regular_file_is_followed(self, tmp_path):
        (tmp_path / "real.yaml").write_bytes(b"name: x\n")
        (tmp_path / "x.yaml").symlink_to(tmp_path / "real.yaml")
        assert read_bounded(tmp_path / "x.yaml", 100) == b"name: x\n"

    def test_a_dangling_symlink_cannot_be_read(self, tmp_path):
        (tmp_path / "x.yaml").symlink_to(tmp_path / "gone.yaml")
        _, found = read_contributor_file(tmp_path / "x.yaml", "x.yaml", 100)
        assert [str(problem) for problem in found] == [
            "x.yaml:1:1: C103 cannot read the file: No such file or directory"
        ]

    def test_the_exception_names_the_file_and_the_code(self, tmp_path):
        with pytest.raises(UnreadableFile) as raised:
            read_bounded(tmp_path / "missing.rst", 100)
        assert (raised.value.code, str(raised.value)) == (
            "C103",
            f"{tmp_path}/missing.rst: cannot read the file: No such file or directory",
        )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A small site repository: two charters and two specs."""
    target = tmp_path / "repo"
    shutil.copytree(SITE, target)
    (target / "conf.py").write_text("")
    return target


@pytest.mark.parametrize("shape", HOSTILE)
def test_lint_reports_a_hostile_charter_and_spec_and_goes_on(
    repo, limits, capsys, shape
):
    charter = make_hostile(repo / "workgroups/gamma.yaml", shape, CHARTER_CAP)
    spec = make_hostile(repo / "specs/2027.1/hostile.rst", shape, MAX_SPEC_BYTES)
    with (repo / "workgroups/alpha.yaml").open("a") as alpha:
        alpha.write("chiar: x\n")
    assert main(["--root", str(repo), "lint"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "specs/2027.1/hostile.rst:1:1: " + spec,
        "workgroups/alpha.yaml:48:1: W101 chiar: unknown key (allowed: chairs, "
        "communication, deliverables, exit_criteria, liaison, meetings, "
        "mission, name, scope, stakeholders, status, status_history, tracks)",
        "workgroups/gamma.yaml:1:1: " + charter,
    ]


@pytest.mark.parametrize("shape", HOSTILE)
def test_the_registry_reports_a_hostile_charter_and_loads_the_others(
    repo, limits, shape
):
    expected = make_hostile(repo / "workgroups/gamma.yaml", shape, CHARTER_CAP)
    registry, problems = load_registry(repo / "workgroups", kinds=KINDS)
    assert list(registry.workgroups) == ["alpha", "beta"]
    assert [str(problem) for problem in problems] == [
        f"workgroups/gamma.yaml:1:1: {expected}"
    ]


@pytest.mark.parametrize("shape", HOSTILE)
def test_a_hostile_template_cannot_serve(repo, limits, shape):
    template = repo / "specs/template.rst"
    template.unlink()
    reason = make_hostile(template, shape, MAX_SPEC_BYTES).split(": ", 1)[1]
    assert [str(problem) for problem in Layout(repo).template()[1]] == [
        f"specs/template.rst:1:1: S108 cannot read the template: {reason}"
    ]


@pytest.mark.parametrize("shape", HOSTILE)
def test_new_spec_refuses_a_hostile_template(repo, limits, shape):
    template = repo / "specs/template.rst"
    template.unlink()
    reason = make_hostile(template, shape, MAX_SPEC_BYTES).split(": ", 1)[1]
    with pytest.raises(UnreadableFile) as raised:
        new_spec(repo, "X spec", "alpha", "2027.1", dt.date(2026, 11, 27), "A B")
    assert str(raised.value) == f"{template}: cannot read the file: {reason}"
