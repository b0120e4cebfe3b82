"""Fixtures of the bug dashboard tests: the fake upstream, a fetch, a build.

Sites are copies of ``tests/roots/test-bugs``: a Quality workgroup with
two Launchpad tracks (sahara, barbican) and a Common workgroup with a
GitHub track (PyGithub), and pages using every directive. Data comes from
``fetch_all`` against the fake upstream serving the corpus recordings,
written into the copy's ``repo/snapshot``.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from crosswork.fetch.http import Policy
from crosswork.fetch.run import FetchReport
from crosswork.testing.upstream import FakeUpstream, Recordings

SERVICES = ("launchpad", "github")

SAHARA = "quality.bugs.sahara"
BARBICAN = "quality.bugs.barbican"
PYGITHUB = "common.bugs.pygithub"

#: Small numbers, production shape; bodies up to 2 MiB (a 1 MiB title fits).
FAST = Policy(
    connect_timeout=0.5,
    read_timeout=0.3,
    deadline=1.0,
    retries=1,
    backoff_factor=0.01,
    backoff_jitter=0.01,
    backoff_max=0.05,
    max_bytes=2 * 1024 * 1024,
    breaker_threshold=3,
    secondary_limit_wait=0.05,
)


@pytest.fixture(autouse=True)
def offline(no_network: None) -> None:
    """Every bug test fails if anything tried to leave loopback."""


def derived_sahara(base: Recordings) -> Recordings:
    """Sahara with 8 bugs: the recorded one, 4 more fixed, 3 untriaged (one
    reported 3 days before the fetch).

    Every derived task is a fresh copy, so the recordings stay untouched.
    """
    derived = base.with_launchpad_tasks("sahara", 7)
    for index, task in enumerate(derived.launchpad_tasks[-7:]):
        task["date_created"] = f"2015-07-{index + 1:02d}T10:00:00+00:00"
        if index in (0, 1, 6):
            task["status"], task["importance"] = "New", "Undecided"
    derived.launchpad_tasks[-1]["date_created"] = "2026-05-01T10:00:00+00:00"
    return derived


def with_titles(recordings: Recordings, titles: list[str]) -> Recordings:
    """A copy whose PyGithub issues, then sahara tasks, carry ``titles``."""
    issues = copy.deepcopy(recordings.github_issues)
    tasks = copy.deepcopy(recordings.launchpad_tasks)
    plain = [item for item in issues["pygithub/pygithub"] if "pull_request" not in item]
    for item, title in zip(plain, titles, strict=False):
        item["title"] = title
    sahara = [t for t in tasks if t["bug_target_name"] == "sahara"]
    for task, title in zip(sahara, titles[len(plain) :], strict=False):
        number = task["bug_link"].rstrip("/").rsplit("/", 1)[-1]
        task["title"] = f'Bug #{number} in Sahara: "{title}"'
    return dataclasses.replace(recordings, github_issues=issues, launchpad_tasks=tasks)


@pytest.fixture
def recordings(recordings: Recordings) -> Recordings:
    """The corpus recordings, with sahara derived (:func:`derived_sahara`)."""
    return derived_sahara(recordings)


@pytest.fixture
def upstream(recordings: Recordings) -> Iterator[FakeUpstream]:
    with FakeUpstream(recordings, services=SERVICES) as fake:
        yield fake


@pytest.fixture
def site(copy_root: Callable[..., Path]) -> Path:
    """A private copy of the test root, free to edit."""
    return copy_root("test-bugs")


Fetch = Callable[..., FetchReport]


@pytest.fixture
def fetch(
    fetch_charters: Fetch, site: Path, clock: Any, upstream: FakeUpstream
) -> Fetch:
    """Fetch every track of the site's charters into its snapshot folder."""

    def run(fake: FakeUpstream | None = None, **options: Any) -> FetchReport:
        endpoints = (fake or upstream).endpoints()
        return fetch_charters(
            site / "repo", endpoints, clock=clock, policy=FAST, **options
        )

    return run


@dataclasses.dataclass
class Built:
    app: Any
    #: The documents read, sorted.
    read: list[str]

    @property
    def out(self) -> Path:
        return Path(self.app.outdir)

    def page(self, docname: str) -> str:
        return (self.out / f"{docname}.html").read_text(encoding="utf-8")

    @property
    def warnings(self) -> str:
        return self.app.warning.getvalue()


Build = Callable[..., Built]
#: The ``files_of`` fixture: a folder's files by relative path, with their bytes.
FilesOf = Callable[..., dict[str, bytes]]


@pytest.fixture
def build(build_site: Callable[..., tuple[Any, list[str]]], site: Path) -> Build:
    """Build the site with -W semantics; returns the app and the pages read."""

    def run(srcdir: Path | None = None, **options: Any) -> Built:
        options.setdefault("warningiserror", True)
        return Built(*build_site(srcdir or site, **options))

    return run
