"""An outage is not a content error: ``-W`` fails on content alone.

A stale source is reported as data health (build output, the pages, the
status page), never as a warning, so no ``suppress_warnings`` setting can
hide a content error behind it, nor an outage fail the build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crosswork.testing.upstream import FakeUpstream, Fault

from .conftest import Build, Fetch


def make_stale(fetch: Fetch, clock: Any, upstream: FakeUpstream) -> None:
    fetch()
    clock.advance(days=1)
    upstream.fail("launchpad.search", Fault.server_error(503))
    report = fetch()
    assert "stale" in {outcome.status.state for outcome in report.outcomes}


@pytest.mark.parametrize("suppress", [[], ["crosswork.fetch"], ["crosswork"]])
def test_a_stale_source_alone_never_fails_the_build(
    suppress: list[str], fetch: Fetch, build: Build, clock: Any, upstream: FakeUpstream
) -> None:
    make_stale(fetch, clock, upstream)

    built = build(confoverrides={"suppress_warnings": suppress})

    assert built.app.statuscode == 0
    assert built.warnings == ""
    assert "data health: 2 of 3 source(s)" in built.app.status.getvalue()
    assert "quality.bugs.sahara is stale (http-503:" in built.app.status.getvalue()


@pytest.mark.parametrize("suppress", [[], ["crosswork.fetch"]])
def test_a_content_error_fails_the_build_beside_a_stale_source(
    suppress: list[str],
    fetch: Fetch,
    build: Build,
    clock: Any,
    upstream: FakeUpstream,
    site: Path,
) -> None:
    make_stale(fetch, clock, upstream)
    page = site / "launchpad.rst"
    page.write_text(page.read_text() + "\n\nSee :spec:`no-such-spec`.\n")

    built = build(confoverrides={"suppress_warnings": suppress})

    assert built.app.statuscode == 1
    assert "no-such-spec" in built.warnings
