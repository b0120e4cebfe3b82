"""``api/matrices.json`` and the gaps-closed feeds: pure records, then a site.

A gap closed is a fall in a driver's open gaps between two recorded days
of the history; the root ``tests/roots/test-matrix`` has one: Hyper-V went
from 1 open gap on 2026-05-03 to none on 2026-05-04.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from lxml import etree

from apischemas import schema_problems
from crosswork.fetch.snapshot import HistoryEntry
from crosswork.kinds.matrices.export import (
    SCHEMA_VERSION,
    gaps_closed,
    gaps_feed,
    track_record,
)
from crosswork.kinds.matrices.gaps import analyse
from crosswork.kinds.matrices.parse import parse_matrix
from crosswork.kinds.matrices.tracks import MatrixTrack
from crosswork.site.api import envelope

ATOM = "{http://www.w3.org/2005/Atom}"
ROOT = Path(__file__).resolve().parents[2] / "roots" / "test-matrix"
SITE = "https://site.example"
COMPUTE = "gamma.matrices.compute"
TRACK = MatrixTrack("gamma", "compute", "Compute drivers", "kvm", path="x/m.ini")
DAY = dt.date(2026, 5, 1)


def day(offset: int, **gaps: int) -> HistoryEntry:
    return HistoryEntry(DAY + dt.timedelta(days=offset), sum(gaps.values()), True, gaps)


def test_a_fall_between_recorded_days_is_a_gap_closed_newest_first():
    history = [
        day(0, xen=3, hyperv=2),
        day(1, xen=3, hyperv=1),
        day(3, xen=1, hyperv=1),
    ]
    found = [
        (e.driver, e.since, e.day, e.closed, e.after) for e in gaps_closed(history)
    ]
    assert found == [
        ("xen", DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=3), 2, 1),
        ("hyperv", DAY, DAY + dt.timedelta(days=1), 1, 1),
    ]


def test_gaps_opened_or_a_driver_that_left_close_nothing():
    history = [day(1, xen=3, hyperv=2), day(0, xen=2), day(2, xen=4)]
    assert gaps_closed(history) == []


def test_the_feed_has_an_entry_per_gap_closed_linking_the_matrix_page():
    page = f"{SITE}/matrices/{COMPUTE}.html"
    feed = gaps_feed(
        TRACK,
        [day(0, xen=3), day(1, xen=1)],
        feed_url=f"{SITE}/matrices/{COMPUTE}.atom",
        page_url=page,
        author="Gamma",
        updated=dt.datetime(2026, 5, 2, tzinfo=dt.UTC),
    )
    root = etree.fromstring(feed)
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links == {"self": f"{SITE}/matrices/{COMPUTE}.atom", "alternate": page}
    [entry] = root.findall(f"{ATOM}entry")
    assert (
        entry.findtext(f"{ATOM}title")
        == "xen: 2 gaps closed (2026-05-01 to 2026-05-02)"
    )
    assert entry.findtext(f"{ATOM}id") == f"{page}#gaps-closed-2026-05-02-xen"
    assert entry.find(f"{ATOM}link").get("href") == page


def test_the_record_holds_gaps_parity_history_and_matches_the_schema():
    text = (ROOT / "upstream" / "support-matrix.ini").read_text()
    matrix, problems = parse_matrix("support-matrix.ini", text)
    analysis = analyse(matrix, "kvm")
    record = track_record(
        TRACK,
        analysis,
        problems,
        [day(0, xen=3), day(1, xen=2)],
        page="matrices/gamma.matrices.compute.html",
        fetched_at=dt.datetime(2026, 5, 2, 12, tzinfo=dt.UTC),
        state="fresh",
    )
    assert record["matrix"]["reference"] == "kvm"
    assert record["gap_counts"] == analysis.gap_counts()
    assert set(record["matrix"]["parity"]) == {d.key for d in matrix.drivers}
    assert record["gaps_closed"] == [
        {
            "driver": "xen",
            "since": "2026-05-01",
            "date": "2026-05-02",
            "closed": 1,
            "open": 2,
        }
    ]
    document = json.loads(
        json.dumps(envelope(SCHEMA_VERSION, None, {"tracks": [record]}))
    )
    assert schema_problems("matrices", document) == []


# --- In a site -------------------------------------------------------------------


def test_without_a_site_address_pages_are_site_paths_and_no_feed_is_written(
    build_site, copy_root
):
    app, _ = build_site(copy_root("test-matrix"))
    out = Path(app.outdir)
    document = json.loads((out / "api/matrices.json").read_text())
    assert schema_problems("matrices", document) == []
    pages = {t["name"]: t["page"] for t in document["tracks"]}
    assert pages == {
        "compute": f"matrices/{COMPUTE}.html",
        "local": "matrices/gamma.matrices.local.html",
    }
    assert all((out / page).is_file() for page in pages.values())
    assert document["generated"] is not None
    assert not list(out.rglob("*.atom"))
    head = (out / f"matrices/{COMPUTE}.html").read_text()
    assert "application/atom+xml" not in head


def test_with_a_site_address_the_fetched_matrix_has_its_feed(build_site, copy_root):
    app, _ = build_site(
        copy_root("test-matrix"), confoverrides={"html_baseurl": f"{SITE}/"}
    )
    out = Path(app.outdir)
    document = json.loads((out / "api/matrices.json").read_text())
    compute = next(t for t in document["tracks"] if t["name"] == "compute")
    assert compute["page"] == f"{SITE}/matrices/{COMPUTE}.html"
    assert compute["gaps_closed"] == [
        {
            "driver": "hyperv",
            "since": "2026-05-03",
            "date": "2026-05-04",
            "closed": 1,
            "open": 0,
        }
    ]
    assert [p.name for p in out.rglob("*.atom")] == [f"{COMPUTE}.atom"]
    root = etree.parse(str(out / f"matrices/{COMPUTE}.atom")).getroot()
    assert [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")] == [
        "hyperv: 1 gap closed (2026-05-03 to 2026-05-04)"
    ]
    for page in (f"matrices/{COMPUTE}.html", "workgroups/gamma.html"):
        assert (
            'type="application/atom+xml" title="Compute drivers: gaps closed (Atom)"'
            in (out / page).read_text()
        ), page
