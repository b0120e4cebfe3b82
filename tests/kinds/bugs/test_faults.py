"""Every fault of the fake upstream: the site still builds from the last good data.

For each fault mode the fake offers (found by introspection, so a new mode
is covered the day it is added), a good fetch and build come first; then
a refresh with the fault armed on every route, and a rebuild. The rebuild
passes ``-W``, the pages keep the last good data under a visible stale
notice, and the snapshot's data files keep their bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crosswork.testing.upstream import FakeUpstream
from faults import ARGUMENTS, fault_kinds, make_fault

from .conftest import Build, Fetch, FilesOf

ROUTES = ("launchpad.search", "github.issues")
DATA_PAGES = [
    "github",
    "launchpad",
    "triage",
    "workgroups/common",
    "workgroups/quality",
]


def data_files(snapshot: dict[str, bytes]) -> dict[str, bytes]:
    """The data files of a snapshot folder, read by ``files_of``."""
    return {name: data for name, data in snapshot.items() if name.count(".") == 3}


def test_every_fault_kind_is_covered():
    assert len(fault_kinds()) >= 15
    assert set(ARGUMENTS) <= set(fault_kinds())


@pytest.mark.parametrize("kind", fault_kinds())
def test_a_fault_leaves_the_last_good_data_on_the_pages(
    kind: str,
    fetch: Fetch,
    build: Build,
    clock: Any,
    upstream: FakeUpstream,
    files_of: FilesOf,
    site: Path,
):
    fetch()
    good = build()
    before = data_files(files_of(site / "repo/snapshot"))
    clock.advance(days=2)
    for route in ROUTES:
        upstream.fail(route, make_fault(kind))

    report = fetch()
    rebuilt = build()

    assert {o.status.state for o in report.outcomes} == {"stale"}
    assert data_files(files_of(site / "repo/snapshot")) == before
    assert rebuilt.app.statuscode == 0
    assert "WARNING" not in rebuilt.warnings
    assert "data health: 3 of 3 source(s)" in rebuilt.app.status.getvalue()
    assert rebuilt.read == DATA_PAGES
    for docname in ("launchpad", "github"):
        page = rebuilt.page(docname)
        assert "Stale data: the refresh at 2026-05-06 12:00 UTC failed (" in page
        assert "Showing the last good data, 2 days older." in page
        assert "Sample data as of 2026-05-04 12:00 UTC" in page
        assert "8 bugs." in page
    assert rebuilt.page("triage").count("#9000001") == good.page("triage").count(
        "#9000001"
    )
