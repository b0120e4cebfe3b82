"""Bug pages built from a real fetch: lists, filters, summaries, triage, status.

Each test fetches from the fake upstream into a copy of the test root,
builds it with ``-W`` semantics, and reads the HTML with lxml.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import lxml.html
import pytest
from sphinx.util.console import strip_escape_sequences
from sphinx.util.parallel import parallel_available

from crosswork.fetch.snapshot import load_snapshot
from crosswork.testing.upstream import FakeUpstream, Recordings

from .conftest import BARBICAN, PYGITHUB, SAHARA, Build, Built, Fetch, FilesOf

PAGES_3 = {"launchpad": 3, "github": 3}


def html(built: Built, docname: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(built.page(docname))


def tables(page: lxml.html.HtmlElement, kind: str) -> list[lxml.html.HtmlElement]:
    return page.xpath(f'.//table[contains(concat(" ", @class, " "), " {kind} ")]')


def rows(table: lxml.html.HtmlElement) -> list[list[str]]:
    return [
        [cell.text_content().strip() for cell in row.xpath("./td")]
        for row in table.xpath("./tbody/tr")
    ]


def texts(page: lxml.html.HtmlElement, css_class: str) -> list[str]:
    found = page.xpath(f'.//*[contains(concat(" ", @class, " "), " {css_class} ")]')
    return [" ".join(node.text_content().split()) for node in found]


def section(page: lxml.html.HtmlElement, ident: str) -> lxml.html.HtmlElement:
    return page.get_element_by_id(ident)


@pytest.fixture
def built(fetch: Fetch, build: Build) -> Built:
    """The site from a fetch that reads three pages on each tracker."""
    fetch(page_sizes=PAGES_3)
    return build()


def test_builds_without_warnings_from_a_three_page_fetch(built: Built, site: Path):
    assert built.app.statuscode == 0
    assert built.warnings == ""
    for source in (SAHARA, PYGITHUB):
        snapshot = load_snapshot(site / "repo/snapshot", source).snapshot
        assert snapshot is not None
        assert (snapshot.pages, snapshot.count, snapshot.complete) == (3, 8, True)


def test_lists_show_every_bug_of_every_page(built: Built):
    launchpad, github = html(built, "launchpad"), html(built, "github")
    everything = tables(launchpad, "crosswork-bugs")[0]
    assert len(rows(everything)) == 8
    assert len(rows(tables(github, "crosswork-bugs")[0])) == 8
    assert "8 bugs." in texts(launchpad, "crosswork-count")
    assert "8 bugs: 3 open, 5 closed." in texts(github, "crosswork-count")


def test_list_rows_hold_the_bug_fields_most_important_first(built: Built):
    table = tables(html(built, "launchpad"), "crosswork-bugs")[0]
    first = rows(table)[0]
    assert first == [
        "#1458945",
        "Use graduated oslo.policy",
        "Fix Released",
        "Medium",
        "—",
        "slukjanov",
        "2015-06-02",
        "2015-06-02",
    ]
    assert [row[3] for row in rows(table)] == ["Medium"] * 5 + ["Undecided"] * 3
    link = table.xpath(".//a")[0]
    assert link.get("href") == "https://bugs.launchpad.net/sahara/+bug/1458945"


def test_filters_sort_and_limit(built: Built):
    page = html(built, "launchpad")
    table = tables(page, "crosswork-bugs")[1]
    assert [row[0] for row in rows(table)] == ["#9000006", "#9000005", "#9000004"]
    assert "5 bugs match the filters. Showing the first 3." in texts(
        page, "crosswork-count"
    )


def test_every_block_starts_with_its_freshness_notice(built: Built):
    page = html(built, "launchpad")
    for block in page.xpath('//div[contains(@class, "crosswork-bug-")]'):
        notice = block.xpath('.//p[contains(@class, "crosswork-data-as-of")]')[0]
        assert " ".join(notice.text_content().split()) == (
            "Sample data as of 2026-05-04 12:00 UTC, for Launchpad project"
            " sahara (track quality/sahara): served by a stand-in for the upstream,"
            " not by the upstream itself."
        )


def test_summary_counts_by_status_and_importance(built: Built):
    counts = tables(html(built, "launchpad"), "crosswork-counts")[0]
    assert rows(counts) == [
        ["New", "0", "3", "3"],
        ["Fix Released", "5", "0", "5"],
        ["All", "5", "3", "8"],
    ]
    github = tables(html(built, "github"), "crosswork-counts")[0]
    assert rows(github) == [["open", "3"], ["closed", "5"], ["All", "8"]]


def test_charts_are_svg_files_with_a_text_alternative(built: Built):
    page = html(built, "github")
    images = page.xpath('//img[contains(@class, "crosswork-chart")]')
    assert [image.get("alt") for image in images] == [
        "Bugs of GitHub repository PyGithub/PyGithub by status: open 3, closed 5.",
        "Bug count per track in 1 snapshot from 2026-05-04 to 2026-05-04."
        " Latest: common/pygithub: 8.",
    ]
    for image in images:
        assert image.get("src").startswith("_charts/")
        svg = ET.parse(built.out / image.get("src")).getroot()
        assert svg.get("role") == "img"
        assert svg[1].text == image.get("alt")


def test_charter_page_has_an_open_bugs_section_per_track(built: Built):
    page = html(built, "workgroups/quality")
    bugs = section(page, "open-bugs")
    headings = [h.text for h in bugs.xpath(".//h3")]
    assert headings == ["Waiting for triage", "sahara", "barbican"]
    sahara = section(page, "bugs-sahara")
    assert texts(sahara, "crosswork-search") == [
        "Launchpad project sahara; status New, Confirmed, Triaged, In Progress,"
        " Fix Committed, Fix Released."
    ]
    assert "8 bugs: 3 New, 5 Fix Released." in texts(sahara, "crosswork-count")
    assert len(rows(tables(sahara, "crosswork-bugs")[0])) == 8
    assert len(sahara.xpath('.//img[contains(@class, "crosswork-chart")]')) == 2


def test_workgroup_without_bug_tracks_has_no_bugs_section(
    fetch: Fetch, build: Build, site: Path
):
    charter = site / "repo/workgroups/common.yaml"
    charter.write_text(charter.read_text().split("tracks:")[0] + "tracks: {}\n")
    fetch()
    assert "open-bugs" not in build().page("workgroups/common")


def test_triage_queue_holds_old_untriaged_bugs_oldest_first(built: Built):
    queue = tables(html(built, "triage"), "crosswork-triage")[0]
    assert rows(queue) == [
        ["#9000001", "Use graduated oslo.policy", "sahara", "2015-07-01", "3960 days"],
        ["#9000002", "Use graduated oslo.policy", "sahara", "2015-07-02", "3959 days"],
    ]
    charter = section(html(built, "workgroups/quality"), "waiting-for-triage")
    assert "reported more than 7 days before" in charter.text_content()
    assert [row[0] for row in rows(tables(charter, "crosswork-triage")[0])] == [
        "#9000001",
        "#9000002",
    ]


def test_status_page_and_snapshot_date(built: Built):
    status = tables(html(built, "status"), "crosswork-status")[0]
    assert rows(status)[0] == [
        "GitHub: PyGithub/PyGithub, open and closed issues",  # never an address
        PYGITHUB,
        "common",
        "bugs",
        "fresh",
        "8",
        "2026-05-04 12:00 UTC",
        "2026-05-04 12:00 UTC",
        "—",
    ]
    assert [row[1] for row in rows(status)] == [PYGITHUB, BARBICAN, SAHARA]
    # Fetched from the fake upstream: the site says it is sample data.
    assert texts(html(built, "index"), "crosswork-snapshot-date") == [
        "The live data on this site was last fetched at 2026-05-04 12:00 UTC."
        " It is sample data from a stand-in for the upstreams, not live data."
    ]
    intro = html(built, "status").xpath('//p[contains(., "State of each source")]')
    assert " ".join(intro[0].text_content().split()).endswith(
        "3 of 3 sources hold sample data, served by a stand-in for their upstream"
        " rather than the upstream itself; every page built from them says so."
    )


def test_without_any_snapshot_every_track_says_no_data_yet(build: Build):
    built = build()

    assert built.app.statuscode == 0
    for docname in ("launchpad", "github", "triage", "workgroups/quality"):
        page = built.page(docname)
        assert "No data yet for " in page
        assert "No bugs" not in page
        assert "crosswork-bugs" not in page
    assert "No fetch has run yet" in built.page("status")
    assert [
        row[4] for row in rows(tables(html(built, "status"), "crosswork-status")[0])
    ] == ["missing"] * 3
    assert "has not been fetched yet" in built.page("index")


def test_a_source_without_data_shows_no_data_yet_and_never_fails(
    fetch: Fetch, build: Build, site: Path
):
    charter = site / "repo/workgroups/quality.yaml"
    charter.write_text(
        charter.read_text()
        + "    - name: nova\n      tracker: launchpad\n      project: nova\n"
        + "      status: [New]\n"
    )
    fetch()
    built = build()

    assert built.app.statuscode == 0
    assert built.warnings == ""
    assert "quality.bugs.nova is missing (http-404" in built.app.status.getvalue()
    nova = section(html(built, "workgroups/quality"), "bugs-nova")
    warning = texts(nova, "crosswork-data-warning")[0]
    # Readers get the reason; the address that failed is for the operator.
    assert warning == (
        "Data warning No data yet for Launchpad project nova (track quality/nova)"
        " (last attempt failed: the upstream answered HTTP 404)."
    )
    assert "127.0.0.1" not in html(built, "workgroups/quality")


def test_incomplete_data_says_at_least_and_never_no_bugs(fetch: Fetch, build: Build):
    fetch(page_sizes=PAGES_3, page_cap=2)
    built = build()

    page = html(built, "github")
    assert "At least 6 bugs: the data is incomplete." in texts(page, "crosswork-count")
    warnings = texts(page, "crosswork-data-warning")
    incomplete = {t for t in warnings if t.startswith("Data warning Incomplete data")}
    assert incomplete == {
        "Data warning Incomplete data: part of GitHub repository PyGithub/PyGithub"
        " (track common/pygithub) could not be read (the upstream had more pages"
        " than a refresh reads); counts may be higher."
    }
    assert "No bugs" not in built.page("github")


def test_a_filter_matching_nothing_in_incomplete_data_says_so(
    fetch: Fetch, build: Build, site: Path
):
    (site / "github.rst").write_text(
        "GitHub\n======\n\n.. bug-list::\n   :track: common.bugs.pygithub\n"
        "   :tag: no-such-label\n"
    )
    fetch(page_sizes=PAGES_3, page_cap=2)
    counts = texts(html(build(), "github"), "crosswork-count")
    assert counts == [
        "None of the bugs read match the filters, but the data is incomplete:"
        " some may be missing."
    ]


class TestContentErrors:
    def test_an_unknown_track_is_a_located_typed_warning_that_fails_w(
        self, fetch: Fetch, build: Build, site: Path
    ):
        (site / "github.rst").write_text(
            "GitHub\n======\n\n.. bug-list::\n   :track: common.bugs.nope\n"
        )
        fetch()
        built = build()

        assert built.app.statuscode == 1
        warnings = strip_escape_sequences(built.warnings)
        assert re.search(
            r"github\.rst:4: WARNING: no bug track 'common\.bugs\.nope'"
            r" \(write <workgroup>\.bugs\.<name>\) \[crosswork\.data\]",
            warnings,
        )

    def test_unknown_words_and_workgroups_are_warnings_too(
        self, fetch: Fetch, build: Build, site: Path
    ):
        (site / "github.rst").write_text(
            "GitHub\n======\n\n.. bug-list::\n   :workgroup: nope\n   :status: Fixed\n"
        )
        fetch()
        warnings = strip_escape_sequences(build().warnings)
        assert "no workgroup 'nope' [crosswork.data]" in warnings
        assert ":status: 'Fixed' is not one of New, Incomplete" in warnings

    def test_an_unknown_chart_is_an_option_error(
        self, fetch: Fetch, build: Build, site
    ):
        (site / "github.rst").write_text(
            "GitHub\n======\n\n.. bug-summary::\n   :charts: pie\n"
        )
        fetch()
        built = build()
        assert built.app.statuscode == 1
        assert "unknown chart(s) pie: use status, importance, trend or none" in (
            built.warnings
        )

    def test_a_bad_sort_key_is_an_option_error(self, fetch: Fetch, build: Build, site):
        (site / "github.rst").write_text(
            "GitHub\n======\n\n.. bug-list::\n   :sort: age\n"
        )
        fetch()
        built = build()
        assert built.app.statuscode == 1
        assert "'age' is not a sort key" in built.warnings


def test_charts_can_be_chosen_or_left_out(fetch: Fetch, build: Build, site: Path):
    (site / "github.rst").write_text(
        "GitHub\n======\n\n.. bug-summary::\n   :charts: none\n\n"
        ".. bug-summary::\n   :track: quality.bugs.sahara\n   :charts: importance\n"
    )
    fetch()
    page = html(build(), "github")
    alts = [image.get("alt") for image in page.xpath("//img")]
    assert alts == [
        "Bugs of Launchpad project sahara by importance: Medium 5, Undecided 3."
    ]
    assert len(tables(page, "crosswork-counts")) == 4


def test_hostile_links_in_the_snapshot_are_not_links(
    fetch: Fetch, build: Build, site: Path
):
    from dataclasses import replace

    from crosswork.fetch.snapshot import write_snapshot

    fetch()
    folder = site / "repo/snapshot"
    snapshot = load_snapshot(folder, PYGITHUB).snapshot
    assert snapshot is not None
    hostile = [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "https://github.com@evil.example/",
        "http://github.com/PyGithub/PyGithub/issues/1",
        "https://evil.example/x",
        "//evil.example/x",
    ]
    items = [
        {**item, "url": url} for item, url in zip(snapshot.items, hostile, strict=False)
    ]
    write_snapshot(folder, replace(snapshot, items=tuple(items)))

    page = html(build(), "github")

    hrefs = [a.get("href") or "" for a in page.xpath("//a")]
    assert not any(("evil" in h or "script:" in h or "data:" in h) for h in hrefs)
    assert not any(h.startswith("http://github.com") for h in hrefs)
    assert len(rows(tables(page, "crosswork-bugs")[0])) == 8


@pytest.mark.skipif(not parallel_available, reason="needs fork")
def test_parallel_build_equals_serial_build(
    fetch: Fetch,
    build: Build,
    files_of: FilesOf,
    site: Path,
    tmp_path: Path,
):
    fetch(page_sizes=PAGES_3)
    twin = tmp_path / "twin"
    shutil.copytree(site, twin)
    serial = build()
    parallel = build(twin, parallel=2)

    assert parallel.app.statuscode == 0
    assert parallel.warnings == ""
    wanted = (
        "workgroups/",
        "launchpad",
        "github",
        "triage",
        "status",
        "index",
        "_charts/",
    )
    pages = files_of(serial.out, wanted)
    assert pages == files_of(parallel.out, wanted)
    assert any(name.startswith("_charts/") for name in pages)


class TestIncremental:
    def settled(self, fetch: Fetch, build: Build, clock) -> Built:
        """Built after two fetches: every source confirmed unchanged once."""
        fetch()
        clock.advance(minutes=30)
        fetch()
        return build()

    def test_a_304_refresh_rereads_no_page(
        self, fetch: Fetch, build: Build, clock, upstream: FakeUpstream
    ):
        before = self.settled(fetch, build, clock)
        hits = upstream.conditional_hits("launchpad.search")
        clock.advance(hours=1)

        report = fetch()
        after = build()

        assert {o.status.state for o in report.outcomes} == {"not-modified"}
        assert upstream.conditional_hits("launchpad.search") == hits + 2
        assert after.read == []
        assert after.page("launchpad") == before.page("launchpad")
        assert "2026-05-04 13:30 UTC" in after.page("status")
        assert "2026-05-04 13:30 UTC" in after.page("index")

    def test_a_new_day_in_the_history_rereads_the_pages_charting_it(
        self, fetch: Fetch, build: Build, clock
    ):
        self.settled(fetch, build, clock)
        clock.advance(days=1)

        fetch()
        after = build()

        assert after.read == ["github", "workgroups/common", "workgroups/quality"]
        assert "in 2 snapshots from 2026-05-04 to 2026-05-05" in after.page("github")

    def test_a_refresh_that_changes_one_source_rereads_only_its_pages(
        self,
        fetch: Fetch,
        build: Build,
        clock,
        recordings: Recordings,
        site: Path,
    ):
        before = self.settled(fetch, build, clock)
        charts = set((site / "_build/html/_charts").iterdir())
        clock.advance(hours=1)

        with FakeUpstream(recordings.with_launchpad_tasks("sahara", 1)) as changed:
            report = fetch(changed)
        after = build()

        assert report.state(SAHARA) == "fresh"
        assert after.read == ["launchpad", "triage", "workgroups/quality"]
        assert "9 bugs." in after.page("launchpad")
        assert after.page("github") == before.page("github")
        now = set((site / "_build/html/_charts").iterdir())
        assert now != charts
        assert len(now) == len(charts)  # replaced charts are removed
