"""Pages whose parts are filled in when written are written only when those
parts change.

The test site gets the dashboard on its home page, a status page and a
snapshot status file; builds run at fixed moments (``SOURCE_DATE_EPOCH``).
A rebuild that changes nothing reads and writes no page, serial or
parallel; a later moment writes the home page again exactly when the age of
the data or the next meeting reads differently, and a fetch run writes the
status page again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from sphinx.util.parallel import parallel_available

#: Wednesday 2026-12-02, 12:00 UTC; alpha meets on Tuesdays at 15:00.
BUILT_AT = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)
FETCHED_AT = "2026-12-02T06:00:00Z"
STATUS_PAGE = """:orphan:

Status
======

.. data-snapshot-date::

.. data-status::
"""

JOBS = [
    pytest.param(0, id="serial"),
    pytest.param(
        2,
        id="parallel",
        marks=pytest.mark.skipif(not parallel_available, reason="needs fork"),
    ),
]


def build_at(monkeypatch: pytest.MonkeyPatch, moment: dt.datetime) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))


def fetch_run_ended(site: Path, moment: str) -> None:
    snapshot = site / "repo" / "snapshot"
    snapshot.mkdir(exist_ok=True)
    status = {"updated_at": moment, "sources": {}}
    (snapshot / "status.json").write_text(json.dumps(status), encoding="utf-8")


@pytest.fixture
def site(copy_root, monkeypatch) -> Path:
    build_at(monkeypatch, BUILT_AT)
    site = copy_root("test-site")
    index = site / "index.rst"
    text = index.read_text(encoding="utf-8")
    index.write_text(text + "\n.. workgroup-dashboard::\n", encoding="utf-8")
    (site / "status.rst").write_text(STATUS_PAGE, encoding="utf-8")
    fetch_run_ended(site, FETCHED_AT)
    return site


def page(app, docname: str) -> str:
    return (Path(app.outdir) / f"{docname}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("jobs", JOBS)
def test_a_rebuild_without_change_reads_and_writes_no_page(rebuild_site, site, jobs):
    _, read, written = rebuild_site(site, parallel=jobs)
    assert {"index", "status"} <= set(written)

    _, read, written = rebuild_site(site, parallel=jobs)

    assert (read, written) == ([], [])


def test_the_home_page_is_written_again_when_the_data_age_reads_differently(
    rebuild_site, site, monkeypatch
):
    rebuild_site(site)
    build_at(monkeypatch, BUILT_AT + dt.timedelta(minutes=59))
    first, _, same_words = rebuild_site(site)
    shown_first = page(first, "index")
    build_at(monkeypatch, BUILT_AT + dt.timedelta(hours=1))
    later, read, new_words = rebuild_site(site)

    assert same_words == []
    assert "Data fetched 6 hours ago, 2026-12-02 06:00 UTC" in shown_first
    assert (read, new_words) == ([], ["index"])
    assert "Data fetched 7 hours ago, 2026-12-02 06:00 UTC" in page(later, "index")


def test_the_home_page_is_written_again_when_the_next_meeting_starts(
    rebuild_site, site, monkeypatch
):
    rebuild_site(site)
    tuesday = dt.datetime(2026, 12, 8, 15, 0, tzinfo=dt.UTC)
    build_at(monkeypatch, tuesday)
    before, _, _ = rebuild_site(site)
    shown_before = page(before, "index")
    build_at(monkeypatch, tuesday + dt.timedelta(seconds=1))
    after, read, written = rebuild_site(site)

    assert "Tue 2026-12-08 15:00 UTC" in shown_before
    assert read == []
    assert written == ["index"]
    assert "Tue 2026-12-15 15:00 UTC" in page(after, "index")


def test_a_fetch_run_writes_the_status_page_and_the_home_page_again(rebuild_site, site):
    rebuild_site(site)
    fetch_run_ended(site, "2026-12-02T11:00:00Z")
    app, read, written = rebuild_site(site)

    assert read == []
    assert written == ["index", "status"]
    assert "last fetched at 2026-12-02 11:00 UTC" in page(app, "status")
    assert "Data fetched 1 hour ago, 2026-12-02 11:00 UTC" in page(app, "index")


def test_a_page_left_unwritten_by_a_stopped_build_is_written_by_the_next(
    rebuild_site, site
):
    app, _, _ = rebuild_site(site)
    status = Path(app.outdir) / "status.html"
    decided = app.env.crosswork_filled_pages["status"].at
    # As if the build that decided to write the page had stopped first.
    before = (decided - 1) * 1000
    os.utime(status, ns=(before, before))

    _, read, written = rebuild_site(site)

    assert (read, written) == ([], ["status"])
