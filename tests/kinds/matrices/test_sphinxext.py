"""Feature matrices in a built site: pages, cells, notes, charts, rebuilds.

The root ``tests/roots/test-matrix`` declares two matrix tracks in
``repo/workgroups/gamma.yaml``: ``compute``, a remote matrix whose
snapshot was fetched from the fake upstream serving
``upstream/support-matrix.ini`` on two days (see
:func:`write_root_snapshot`), and ``local``, a file of the repository.
``embedded.rst`` shows the remote one with directive options.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from lxml import html as lxml_html
from sphinx.util.console import strip_escape_sequences
from sphinx.util.parallel import parallel_available

from crosswork.fetch.http import Policy
from crosswork.fetch.run import FetchReport
from crosswork.fetch.snapshot import load_snapshot, write_snapshot
from crosswork.fetch.sources import Source
from crosswork.testing.upstream import FakeUpstream, Fault, Recordings

ROOT = Path(__file__).resolve().parents[2] / "roots" / "test-matrix"
REPO_ROOT = Path(__file__).resolve().parents[3]
UPSTREAM_FILE = ROOT / "upstream" / "support-matrix.ini"
UPSTREAM_PATH = "example/compute/support-matrix.ini"
COMPUTE = "gamma.matrices.compute"
NOVA_2020_UPSTREAM = (
    "https://opendev.org/openstack/nova/src/commit/"
    "31b2fd114c741b241a4f567d0962e82c5034d7e4/doc/source/user/support-matrix.ini"
)
LOCAL = "gamma.matrices.local"
#: The two fetches that made the root's snapshot, a day apart.
DAYS = (
    dt.datetime(2026, 5, 3, 12, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.UTC),
)
QUICK = Policy(
    connect_timeout=0.5,
    read_timeout=0.5,
    deadline=2.0,
    retries=1,
    backoff_factor=0.01,
    backoff_jitter=0.01,
    backoff_max=0.05,
)


# --- Fetching ----------------------------------------------------------------


def remote_matrices(sources: list[Source]) -> list[Source]:
    """The matrix sources among ``sources`` that are fetched."""
    return [
        s for s in sources if s.kind == "matrices" and s.query.to_json().get("path")
    ]


Fetch = Callable[..., FetchReport]


@pytest.fixture
def fetch(fetch_charters: Fetch) -> Fetch:
    """``fetch(repo, recordings, moment, arm=...)``: one ``crosswork fetch``
    of the repository's remote matrices from a fake serving ``recordings``,
    armed by ``arm``."""

    def run(
        repo: Path,
        recordings: Recordings,
        moment: dt.datetime,
        arm: Callable[[FakeUpstream], None] = lambda fake: None,
    ) -> FetchReport:
        with FakeUpstream(recordings, services=["files"]) as fake:
            arm(fake)
            return fetch_charters(
                repo,
                fake.endpoints(),
                select=remote_matrices,
                clock=lambda: moment,
                policy=QUICK,
            )

    return run


def day_one(text: bytes) -> bytes:
    """The upstream file a day earlier: Hyper-V could not evacuate yet."""
    return text.replace(
        b"driver.xen=unknown\ndriver.hyperv=complete",
        b"driver.xen=unknown\ndriver.hyperv=missing",
    )


def write_root_snapshot(repo: Path, fetch: Fetch) -> None:
    """How ``repo/snapshot`` of the root was made: two days of fetches."""
    text = UPSTREAM_FILE.read_bytes()
    for moment, body in zip(DAYS, (day_one(text), text), strict=True):
        fetch(repo, Recordings().with_file(UPSTREAM_PATH, body), moment)


def upstream_serving(text: bytes) -> Recordings:
    return Recordings().with_file(UPSTREAM_PATH, text)


# --- Building ----------------------------------------------------------------


@pytest.fixture
def site(copy_root) -> Path:
    """A private copy of the matrix test site, free to edit."""
    return copy_root("test-matrix")


def warnings_of(app) -> list[str]:
    return strip_escape_sequences(app.warning.getvalue()).splitlines()


def article(app, docname: str):
    """The page's main content, parsed."""
    path = Path(app.outdir) / f"{docname}.html"
    return lxml_html.parse(str(path)).getroot().xpath('//*[@role="main"]')[0]


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def cell(page, feature: str, driver: str, table: int = 0):
    """The ``<td>`` of ``feature`` (its key) under the column ``driver``."""
    grid = page.xpath('//table[contains(@class, "crosswork-matrix ")]')[table]
    headers = [text_of(th) for th in grid.xpath(".//thead//th")]
    row = grid.xpath(f'.//tbody/tr[.//code[normalize-space()="{feature}"]]')[0]
    return row.xpath("./td")[headers.index(driver)]


def compare_cell(page, feature: str, driver: str) -> str:
    """The text of a comparison table's cell: the value, then its note."""
    grid = page.xpath('//table[contains(@class, "crosswork-matrix-compare")]')[0]
    headers = [text_of(th) for th in grid.xpath(".//thead//th")]
    row = grid.xpath(f'.//tbody/tr[.//code[normalize-space()="{feature}"]]')[0]
    return text_of(row.xpath("./td")[headers.index(driver)])


def section_text(page, section_id: str) -> str:
    return text_of(page.xpath(f'//section[@id="{section_id}"]')[0])


def data_warning(page) -> str:
    boxes = page.xpath('//div[contains(@class, "crosswork-data-warning")]')
    return text_of(boxes[0])


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


# --- The root ----------------------------------------------------------------


def test_the_root_snapshot_is_what_two_fetches_write(fetch, files_of, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "repo" / "workgroups", repo / "workgroups")
    write_root_snapshot(repo, fetch)
    assert files_of(repo / "snapshot") == files_of(ROOT / "repo" / "snapshot")


def test_builds_pages_charts_and_sections_without_warnings(build_site, site):
    app, _ = build_site(site)
    assert app.warning.getvalue() == ""
    out = Path(app.outdir)
    for page in (
        "matrices/index.html",
        f"matrices/{COMPUTE}.html",
        f"matrices/{LOCAL}.html",
        "workgroups/gamma.html",
        "embedded.html",
    ):
        assert (out / page).is_file(), page
    assert sorted(p.suffix for p in (out / "_charts").iterdir()) == [".svg"] * 3


def test_index_lists_every_track_with_its_page(build_site, site):
    app, _ = build_site(site)
    index = article(app, "matrices/index")
    links = {text_of(a): a.get("href") for a in index.xpath(".//table//a")}
    assert links["Compute drivers"] == f"{COMPUTE}.html"
    assert links["Local matrix"] == f"{LOCAL}.html"
    assert "opendev.org/example/compute/support-matrix.ini" in text_of(index)
    assert "matrices/local.ini in this repository" in text_of(index)


# --- Cells and notes ---------------------------------------------------------


def test_partial_and_complete_differ_in_symbol_word_and_class(build_site, site):
    app, _ = build_site(site)
    page = article(app, f"matrices/{COMPUTE}")
    partial = cell(page, "operation.snapshot", "Libvirt Xen")
    complete = cell(page, "operation.snapshot", "Libvirt KVM")
    assert text_of(partial) == "◐ partial [2]"
    assert text_of(complete) == "✔ complete"
    assert partial.xpath("./p/@class") == ["crosswork-cell crosswork-cell-partial"]
    assert complete.xpath("./p/@class") == ["crosswork-cell crosswork-cell-complete"]
    assert text_of(cell(page, "operation.resize", "Libvirt Xen")) == "✖ missing"
    assert text_of(cell(page, "operation.evacuate", "Libvirt Xen")) == "? unknown"


def test_a_driver_note_is_reachable_from_its_cell(build_site, site):
    app, _ = build_site(site)
    page = article(app, f"matrices/{COMPUTE}")
    mark = cell(page, "operation.snapshot", "Libvirt Xen").xpath(".//a")[0]
    target = mark.get("href")
    assert target.startswith("#")
    note = page.xpath(f'//*[@id="{target[1:]}"]')[0]
    assert text_of(note).endswith(
        "Libvirt Xen, Save snapshot of instance disk: Only cold snapshots"
        " (pause + snapshot) are supported."
    )


def test_gaps_are_listed_per_driver_and_divergent_features_by_value(build_site, site):
    app, _ = build_site(site)
    page = article(app, f"matrices/{COMPUTE}")
    gaps = section_text(page, "gaps")
    assert "Hyper-V: 0 gaps, parity 100.0%" in gaps
    assert "Libvirt Xen: 3 gaps, parity 50.0%" in gaps
    assert (
        "◐ partial (1): Save snapshot of instance disk (operation.snapshot)"
        " ✖ missing (1): Resize instance (operation.resize)"
        " ? unknown (1): Evacuate instances from a host (operation.evacuate)" in gaps
    )
    divergent = section_text(page, "divergent")
    assert (
        "Remote desktop over VNC console.vnc ✔ complete: Libvirt KVM, Libvirt Xen"
        " ✖ missing: Hyper-V" in divergent
    )
    assert "Reboot instance" not in divergent


def test_directive_options_pick_drivers_reference_and_views(build_site, site):
    app, _ = build_site(site)
    page = article(app, "embedded")
    grid = page.xpath('//table[contains(@class, "crosswork-matrix ")]')[0]
    assert [text_of(th) for th in grid.xpath(".//thead//th")] == [
        "Feature",
        "Libvirt KVM",
        "Libvirt Xen",
    ]
    assert [text_of(r) for r in page.xpath(".//p[@class='rubric']")] == [
        "Where drivers diverge",
        "Matrix",
        "Notes",
    ]
    assert not page.xpath(".//img")


# --- Charts and charter ------------------------------------------------------


def test_the_parity_chart_is_a_published_svg_with_alternative_text(build_site, site):
    app, _ = build_site(site)
    page = article(app, f"matrices/{COMPUTE}")
    image = page.xpath('//section[@id="chart"]//img')[0]
    assert image.get("src").startswith("../_charts/")
    assert image.get("alt").startswith(
        "Parity with Libvirt KVM, the share of its 5 complete features each driver"
        " supports too: Hyper-V 100.0% (0 gaps); Libvirt Xen 50.0% (3 gaps)."
    )
    svg = (Path(app.outdir) / "matrices" / image.get("src")).read_text()
    assert svg.startswith("<svg ")
    assert "<title" in svg
    assert "Compute drivers: parity" in svg


def test_the_charter_shows_each_track_with_chart_gaps_trend_and_link(build_site, site):
    app, _ = build_site(site)
    charter = article(app, "workgroups/gamma")
    compute = charter.xpath('//section[@id="matrix-compute"]')[0]
    text = text_of(compute)
    assert "Sample data as of 2026-05-04 12:00 UTC" in text
    assert [i.get("alt")[:11] for i in compute.xpath(".//img")] == [
        "Parity with",
        "Gaps per dr",
    ]
    assert "Gaps per driver on 2 day(s) from 2026-05-03 to 2026-05-04" in (
        compute.xpath(".//img")[1].get("alt")
    )
    rows = [[text_of(td) for td in tr.xpath("./td")] for tr in compute.xpath(".//tr")]
    assert ["Libvirt Xen", "50.0%", "3"] in rows
    link = compute.xpath(".//a[normalize-space()='Compute drivers']")[0]
    assert link.get("href") == f"../matrices/{COMPUTE}.html"
    local = section_text(charter, "matrix-local")
    assert "From matrices/local.ini in this repository." in local
    assert "Gaps per driver" not in local


def test_other_builders_get_the_chart_in_words(build_site, site):
    app, _ = build_site(site, builder="text")
    text = (Path(app.outdir) / f"matrices/{COMPUTE}.txt").read_text()
    assert "Parity with Libvirt KVM, the share of its 5 complete features" in text


# --- Safety ------------------------------------------------------------------


def test_hostile_titles_and_notes_render_as_literal_text(build_site, site):
    hostile_title = "<script>alert(1)</script>"
    hostile_driver = "<img src=x onerror=alert(1)>"
    hostile_note = "`x <javascript:alert(1)>`_ <a href='https://evil.example/'>x</a>"
    local = site / "repo/matrices/local.ini"
    edit(local, "title=Alpha driver", f"title={hostile_driver}")
    edit(local, "title=Attach block volume to instance", f"title={hostile_title}")
    edit(local, "Only for volumes of the same backend.", hostile_note)
    app, _ = build_site(site)
    assert app.warning.getvalue() == ""
    charter = article(app, "workgroups/gamma").xpath('//*[@id="matrix-local"]')[0]
    for page in (article(app, f"matrices/{LOCAL}"), charter):
        assert not page.xpath(".//script | .//iframe | .//object")
        assert not [
            name
            for element in page.iter()
            for name in element.attrib
            if name.lower().startswith("on")
        ]
        for link in page.xpath(".//a[@href]"):
            href = link.get("href")
            assert ":" not in href.split("#")[0], href
        for image in page.xpath(".//img"):
            assert image.get("src").startswith("../_charts/")
    page = article(app, f"matrices/{LOCAL}")
    assert hostile_title in text_of(page)
    assert hostile_driver in text_of(page)
    assert hostile_note in text_of(page)


# --- Build properties --------------------------------------------------------


@pytest.mark.skipif(not parallel_available, reason="needs fork")
def test_parallel_build_equals_serial_build(build_site, copy_root, files_of, site):
    serial, _ = build_site(site)
    twin = copy_root("test-matrix", "twin")
    parallel, _ = build_site(twin, parallel=2)
    assert parallel.warning.getvalue() == ""
    wanted = ("matrices/", "workgroups/", "_charts/", "embedded.html")
    assert files_of(Path(parallel.outdir), wanted) == files_of(
        Path(serial.outdir), wanted
    )


class TestIncremental:
    def test_nothing_changed_reads_nothing(self, build_site, site):
        build_site(site)
        _, read = build_site(site)
        assert read == []

    def test_a_changed_repository_matrix_rereads_its_pages_only(self, build_site, site):
        build_site(site)
        edit(site / "repo/matrices/local.ini", "beta=partial", "beta=complete")
        app, read = build_site(site)
        assert read == [f"matrices/{LOCAL}", "workgroups/gamma"]
        page = article(app, f"matrices/{LOCAL}")
        assert text_of(cell(page, "operation.attach-volume", "Beta driver")).startswith(
            "✔ complete"
        )

    def test_a_refetched_matrix_rereads_the_pages_that_show_it(
        self, build_site, fetch, site
    ):
        build_site(site)
        changed = UPSTREAM_FILE.read_bytes().replace(
            b"driver.xen=missing", b"driver.xen=complete"
        )
        third_day = DAYS[1] + dt.timedelta(days=1)
        fetch(site / "repo", upstream_serving(changed), third_day)
        app, read = build_site(site)
        assert read == ["embedded", f"matrices/{COMPUTE}", "workgroups/gamma"]
        page = article(app, f"matrices/{COMPUTE}")
        assert text_of(cell(page, "operation.resize", "Libvirt Xen")) == "✔ complete"


@pytest.mark.parametrize(
    "fault",
    [
        Fault.server_error(503),
        Fault.wrong_content_type(),
        Fault.truncated_body(),
        Fault.wrong_schema(),
    ],
    ids=["503", "html", "truncated", "json"],
)
def test_a_failed_refresh_keeps_the_last_good_matrix_marked_stale(
    build_site, fetch, site, fault
):
    before = (site / f"repo/snapshot/{COMPUTE}.json").read_bytes()
    third_day = DAYS[1] + dt.timedelta(days=1)
    report = fetch(
        site / "repo",
        upstream_serving(UPSTREAM_FILE.read_bytes()),
        third_day,
        arm=lambda fake: fake.fail("files.raw", fault),
    )
    assert report.state(COMPUTE) == "stale"
    assert (site / f"repo/snapshot/{COMPUTE}.json").read_bytes() == before
    app, _ = build_site(site)
    assert all(w.endswith("[crosswork.fetch]") for w in warnings_of(app))
    page = article(app, f"matrices/{COMPUTE}")
    warning = data_warning(page)
    assert warning.startswith(
        "Data warning Stale data: the refresh at 2026-05-05 12:00 UTC"
    )
    assert text_of(cell(page, "operation.snapshot", "Libvirt Xen")).startswith(
        "◐ partial"
    )


# --- Problems ----------------------------------------------------------------


def test_problems_of_a_repository_matrix_are_located_typed_warnings(build_site, site):
    edit(
        site / "repo/matrices/local.ini",
        "driver.alpha=complete\ndriver.beta=complete",
        "driver.alpha=done\ndriver.beta=complete",
    )
    app, _ = build_site(site, warning=StringIO())
    assert warnings_of(app) == [
        "matrices/local.ini:19:14: WARNING: X109 invalid value 'done' for driver"
        " 'alpha' in [operation.detach-volume] (expected complete, partial, missing"
        " or unknown) [crosswork.track-file]"
    ]
    problems = section_text(article(app, f"matrices/{LOCAL}"), "problems")
    assert "line 19, column 14: X109 (error) invalid value 'done'" in problems


def test_unknown_tracks_drivers_and_references_are_reported(build_site, site):
    (site / "embedded.rst").write_text(
        "Embedded\n========\n\n"
        ".. feature-matrix:: nowhere\n\n"
        ".. feature-matrix:: compute\n   :drivers: xen, nope\n   :view: table\n"
    )
    edit(site / "repo/workgroups/gamma.yaml", "reference: kvm", "reference: vmware")
    app, _ = build_site(site, warning=StringIO())
    assert warnings_of(app) == [
        "workgroups/gamma.yaml:1: WARNING: gamma.matrices.compute: reference driver"
        " 'vmware' is not a column of the matrix; the default reference is used"
        " [crosswork.matrix]",
        f"{site}/embedded.rst:4: WARNING: no matrix track 'nowhere' (write a source"
        " id like consistency.matrices.nova, or a track name used once)"
        " [crosswork.matrix]",
        f"{site}/embedded.rst:6: WARNING: no driver 'nope' in this matrix"
        " [crosswork.matrix]",
    ]
    page = text_of(article(app, f"matrices/{COMPUTE}"))
    assert (
        "The reference driver 'vmware' is not a column of this matrix; drivers are"
        " compared with Libvirt KVM." in page
    )


def test_a_malformed_matrix_snapshot_is_a_data_warning(build_site, site):
    folder = site / "repo/snapshot"
    snapshot = load_snapshot(folder, COMPUTE).snapshot
    assert snapshot is not None
    items = [*snapshot.items, {"record": "comment", "text": "hand-edited"}]
    write_snapshot(folder, dataclasses.replace(snapshot, items=tuple(items)))
    app, _ = build_site(site, warning=StringIO())
    assert warnings_of(app) == [
        f"snapshot/{COMPUTE}.json:1: WARNING: {COMPUTE}: malformed matrix snapshot"
        " (item 10: unknown record 'comment') [crosswork.data]"
    ]
    page = article(app, f"matrices/{COMPUTE}")
    assert "malformed" in data_warning(page)
    assert not page.xpath('//table[contains(@class, "crosswork-matrix ")]')


# --- Comparisons and the upstream place ------------------------------------------

COMPARE = """\
      compare:
        - name: kvm-xen
          drivers: [kvm, xen]
"""
UPSTREAM = """\
      upstream:
        repository: example/compute
        path: doc/support-matrix.ini
        commit: 0123456789abcdef0123456789abcdef01234567
        date: "2026-04-30"
"""


def declare(site: Path, lines: str) -> None:
    """Add ``lines`` to the compute track of the root's charter."""
    edit(
        site / "repo/workgroups/gamma.yaml",
        "reference: kvm\n",
        f"reference: kvm\n{lines}",
    )


def test_a_comparison_has_its_page_and_leads_the_charter(build_site, site):
    declare(site, COMPARE)
    app, _ = build_site(site)
    assert app.warning.getvalue() == ""
    page = article(app, f"matrices/{COMPUTE}.kvm-xen")
    assert text_of(page.xpath("//h1")[0]).startswith("Libvirt KVM against Libvirt Xen")
    assert compare_cell(page, "operation.snapshot", "Libvirt Xen") == (
        "◐ partial Only cold snapshots (pause + snapshot) are supported."
    )
    assert compare_cell(page, "operation.snapshot", "Libvirt KVM") == "✔ complete"
    features = page.xpath(
        '//table[contains(@class, "crosswork-matrix-compare")]//tbody/tr/td[1]//code'
    )
    # Only the features where the two differ: reboot is complete for both.
    assert "operation.reboot" not in [text_of(code) for code in features]
    charter = article(app, "workgroups/gamma")
    first = charter.xpath('//section[@id="feature-matrices"]/section')[0]
    assert first.get("id") == "compare-compute-kvm-xen"
    index = article(app, "matrices/index")
    links = {text_of(a): a.get("href") for a in index.xpath(".//table//a")}
    assert links["kvm against xen"] == f"{COMPUTE}.kvm-xen.html"


def test_comparison_drivers_the_matrix_lacks_are_located_errors(build_site, site):
    declare(site, COMPARE.replace("[kvm, xen]", "[kvm, vmware]"))
    app, _ = build_site(site, warning=StringIO())
    assert warnings_of(app) == [
        "workgroups/gamma.yaml:49:26: WARNING: X132"
        " tracks.matrices[0].compare[0].drivers[1]: matrix 'compute' has no driver"
        " 'vmware' (drivers: kvm, xen, hyperv) [crosswork.track-file]"
    ]
    page = text_of(article(app, f"matrices/{COMPUTE}.kvm-xen"))
    assert "This comparison cannot be drawn: no driver 'vmware' in this matrix" in page


def test_the_upstream_commit_date_replaces_the_fetch_time(build_site, site):
    declare(site, UPSTREAM)
    app, _ = build_site(site)
    assert app.warning.getvalue() == ""
    for docname in ("workgroups/gamma", f"matrices/{COMPUTE}"):
        page = article(app, docname)
        text = text_of(page)
        assert (
            "Data as of 2026-04-30, the date of commit 01234567 of example/compute:"
            " doc/support-matrix.ini at 01234567." in text
        )
        assert "Data as of 2026-05-04" not in text
        assert "fetched on 2026-05-04 from a stand-in for the upstream" in text
        link = page.xpath('//a[normalize-space()="doc/support-matrix.ini at 01234567"]')
        assert link[0].get("href") == (
            "https://opendev.org/example/compute/src/commit/"
            "0123456789abcdef0123456789abcdef01234567/doc/support-matrix.ini"
        )


def test_a_bad_upstream_is_a_located_error(stopped_build, site):
    declare(
        site,
        UPSTREAM.replace("0123456789abcdef0123456789abcdef01234567", "31b2fd11"),
    )
    _, lines = stopped_build(site)
    assert lines[0].startswith(
        "workgroups/gamma.yaml:50:17: WARNING: W105 tracks.matrices[0].upstream.commit:"
        " '31b2fd11' is not a full commit id"
    )


def test_an_upstream_date_not_in_the_calendar_is_a_located_error(build_site, site):
    declare(site, UPSTREAM.replace("2026-04-30", "2026-02-30"))
    app, _ = build_site(site, warning=StringIO())
    assert warnings_of(app) == [
        "workgroups/gamma.yaml:51:15: WARNING: X131"
        " tracks.matrices[0].upstream.date: not a date in the calendar"
        " [crosswork.track-file]"
    ]


# --- End to end --------------------------------------------------------------


def test_nova_2020_page_shows_kvm_against_xen_from_the_corpus(
    build_site, fetch, site, corpus
):
    """Fetch the real charter's 2020 track from the fake serving the corpus."""
    shutil.copy(REPO_ROOT / "workgroups/consistency.yaml", site / "repo/workgroups")
    recordings = Recordings.from_corpus(corpus).with_file(
        UPSTREAM_PATH, UPSTREAM_FILE.read_bytes()
    )
    report = fetch(site / "repo", recordings, DAYS[1])
    assert report.state("consistency.matrices.nova-2020") == "fresh"
    app, _ = build_site(site)
    assert app.warning.getvalue() == ""
    page = article(app, "matrices/consistency.matrices.nova-2020")
    expected = {
        ("operation.snapshot", "Libvirt KVM (x86)"): "✔ complete",
        ("operation.snapshot", "Libvirt Xen"): "◐ partial",
        ("operation.snapshot", "XenServer"): "✔ complete",
        ("operation.trigger-crash-dump", "Libvirt KVM (x86)"): "✔ complete",
        ("operation.trigger-crash-dump", "Libvirt Xen"): "✖ missing",
        ("operation.trigger-crash-dump", "XenServer"): "✖ missing",
        ("operation.evacuate", "Libvirt KVM (x86)"): "✔ complete",
        ("operation.evacuate", "Libvirt Xen"): "? unknown",
        ("operation.evacuate", "XenServer"): "? unknown",
    }
    for (feature, driver), shown in expected.items():
        assert text_of(cell(page, feature, driver)).startswith(shown), (feature, driver)
    gaps = section_text(page, "gaps")
    assert "Libvirt Xen: 15 gaps, parity 71.6%" in gaps
    assert "XenServer: 20 gaps, parity 60.8%" in gaps
    problems = section_text(page, "problems")
    assert "line 673, column 1: X110 (error) 'driver-notes.vz-vm'" in problems
    charter = article(app, "workgroups/consistency")
    section = section_text(charter, "matrix-nova-2020")
    assert "Data as of 2020-08-31, the date of commit 31b2fd11 of openstack/nova" in (
        section
    )
    assert "support-matrix.pre-xen-removal.ini" not in section
    upstream = charter.xpath(
        '//section[@id="matrix-nova-2020"]'
        '//a[normalize-space()="doc/source/user/support-matrix.ini at 31b2fd11"]'
    )[0]
    assert upstream.get("href") == NOVA_2020_UPSTREAM
    matrices = charter.xpath('//section[@id="feature-matrices"]/section')
    assert matrices[0].get("id") == "compare-nova-2020-kvm-xen"
    lead = text_of(matrices[0])
    assert lead.startswith("Libvirt KVM against Xen (libvirt-Xen and XenServer)")
    assert (
        "Against Libvirt KVM (x86): Libvirt Xen has 15 gaps, parity 71.6%;"
        " XenServer has 20 gaps, parity 60.8%. 30 of 57 features differ" in lead
    )
    links = {text_of(a): a.get("href") for a in matrices[0].xpath(".//a")}
    assert links["Nova before the Xen removal (2020), KVM against Xen"] == (
        "../matrices/consistency.matrices.nova-2020.html"
    )
    assert links["Libvirt KVM against Xen (libvirt-Xen and XenServer)"] == (
        "../matrices/consistency.matrices.nova-2020.kvm-xen.html"
    )
    comparison = article(app, "matrices/consistency.matrices.nova-2020.kvm-xen")
    rows = comparison.xpath(
        '//table[contains(@class, "crosswork-matrix-compare")]//tbody/tr'
    )
    assert len(rows) == 30
    snapshot = compare_cell(comparison, "operation.snapshot", "Libvirt Xen")
    assert snapshot == "◐ partial Only cold snapshots (pause + snapshot) supported"
    history = json.loads((site / "repo/snapshot/history.json").read_text())
    breakdown = history["sources"]["consistency.matrices.nova-2020"][0]["breakdown"]
    assert (breakdown["libvirt-xen"], breakdown["xenserver"]) == (15, 20)
