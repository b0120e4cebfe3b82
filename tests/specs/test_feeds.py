"""The spec feeds: every event and proposal as an entry linking to its spec."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from crosswork.feeds import atom
from crosswork.kinds import KINDS
from crosswork.layout import Layout
from crosswork.site.data import load_site
from crosswork.specs.feeds import feed_entries, newest
from crosswork.specs.ledger import SpecEvent
from crosswork.specs.progress import Proposal

SITE = Path(__file__).resolve().parents[1] / "roots" / "test-site" / "repo"
BASE = "https://specs.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"


def page(spec_id: str) -> str:
    return f"{BASE}/specs/{spec_id}.html"


@pytest.fixture(scope="module")
def specs():
    site = load_site(Layout(SITE), dt.date(2026, 11, 27), KINDS)
    return site.specs_by_id


def proposal(path: str, spec_id: str, workgroup: str, day: int) -> Proposal:
    moment = dt.datetime(2026, 12, day, 9, 30, tzinfo=dt.UTC)
    return Proposal(
        title="<script>alert(1)</script> & more",
        path=path,
        spec_id=spec_id,
        workgroup=workgroup,
        url=f"https://review.opendev.org/c/openstack/specs/+/{day}",
        service="Gerrit",
        number=day,
        owner="Ana Silva",
        created=moment,
        updated=moment,
    )


def test_entries_are_events_and_proposals_newest_first(specs):
    spec_id, spec = next(iter(specs.items()))
    approved = SpecEvent(
        spec_id,
        spec.workgroup,
        "approved",
        dt.date(2026, 12, 2),
        "approved",
        "proposed",
    )
    created = SpecEvent(spec_id, spec.workgroup, "created", spec.created, "")
    new = proposal("specs/2027.1/new-idea.rst", "", spec.workgroup, 3)
    entries = feed_entries(
        [approved, created],
        [new],
        specs,
        page_url=page,
        index_url=f"{BASE}/specs/index.html",
    )
    assert [entry.title for entry in entries] == [
        "Proposed: <script>alert(1)</script> & more",
        f"Approved: {spec.title}",
        f"New spec: {spec.title}",
    ]
    assert entries[0].url == f"{BASE}/specs/index.html#under-review"
    assert entries[0].text.startswith(
        "Ana Silva proposed a new spec, specs/2027.1/new-idea.rst"
    )
    assert entries[1].url == page(spec_id)
    assert entries[1].id == f"{page(spec_id)}#approved-2026-12-02"
    assert entries[1].text == f"{spec.title} is approved (it was proposed)."
    assert newest(entries) == dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.UTC)


def test_a_workgroup_feed_keeps_its_own_entries(specs):
    spec_id, spec = next(iter(specs.items()))
    ours = SpecEvent(spec_id, spec.workgroup, "created", spec.created, "")
    theirs = proposal("specs/2027.1/x.rst", "", "someone-else", 4)
    entries = feed_entries(
        [ours], [theirs], specs, page_url=page, index_url=BASE, workgroup=spec.workgroup
    )
    assert [entry.url for entry in entries] == [page(spec_id)]


def test_events_of_specs_no_longer_on_the_site_are_left_out(specs):
    gone = SpecEvent("2020.1/gone", "alpha", "created", dt.date(2020, 1, 1), "")
    assert feed_entries([gone], [], specs, page_url=page, index_url=BASE) == []


def test_the_feed_escapes_text_and_links_itself_and_its_page(specs):
    new = proposal("specs/2027.1/new-idea.rst", "", "alpha", 3)
    entries = feed_entries([], [new], specs, page_url=page, index_url=BASE)
    xml = atom(
        entries,
        feed_url=f"{BASE}/specs/specs.atom",
        page_url=f"{BASE}/specs/index.html",
        title="Design specs",
        author="crosswork",
        updated=newest(entries),
    )
    root = ET.fromstring(xml)
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links == {
        "self": f"{BASE}/specs/specs.atom",
        "alternate": f"{BASE}/specs/index.html",
    }
    (entry,) = root.findall(f"{ATOM}entry")
    assert (
        entry.find(f"{ATOM}title").text == "Proposed: <script>alert(1)</script> & more"
    )
    assert b"<script>" not in xml
