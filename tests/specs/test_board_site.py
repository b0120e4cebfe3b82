"""The specs board on a built site, from reviews the fake Gerrit serves.

The alpha charter follows the specs repository on Gerrit. Two open changes
are served: one changes the approved spec, one proposes a new spec. After a
fetch, the spec page shows the review, the index lists both proposals, the
API carries the review state, and the feed announces the proposals.
"""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest
import yaml

from crosswork.fetch.endpoints import parse_endpoints
from crosswork.fetch.run import fetch_all
from crosswork.fetch.sources import collect_sources
from crosswork.kinds import KINDS
from crosswork.testing.upstream import FakeUpstream, Recordings
from crosswork.workgroups.registry import load_registry
from kinds.reviews.conftest import (
    PROJECT,
    derived_change,
    recorded_change,
    with_changes,
)

APPROVED = "specs/2027.1/structured-logging-everywhere.rst"
NEW = "specs/2027.1/one-log-format-for-agents.rst"
SITE_URL = "https://specs.example.org/"
HOSTILE_SUBJECT = '<script>window.__pwned = 1</script> "quoted" & more'
HOSTILE_OWNER = "<img src=x onerror=alert(1)>"


@pytest.fixture
def site(copy_root, recordings: Recordings, clock) -> Path:
    """The test site, its alpha charter following reviews, fetched."""
    site = copy_root("test-site")
    charter_path = site / "repo" / "workgroups" / "alpha.yaml"
    charter = yaml.safe_load(charter_path.read_text(encoding="utf-8"))
    charter["tracks"] = {"reviews": [{"name": "specs", "gerrit": PROJECT}]}
    charter_path.write_text(yaml.safe_dump(charter, sort_keys=False), encoding="utf-8")
    template = recorded_change(recordings)
    proposal = derived_change(
        template, 9_000_002, {NEW: "A"}, updated="2019-12-20 08:00:00.000000000"
    )
    proposal["subject"] = HOSTILE_SUBJECT
    proposal["owner"] = {**proposal["owner"], "name": HOSTILE_OWNER}
    served = with_changes(
        recordings, derived_change(template, 9_000_001, {APPROVED: None}), proposal
    )
    registry, problems = load_registry(site / "repo" / "workgroups", kinds=KINDS)
    assert problems == []
    with FakeUpstream(served, services=["gerrit"]) as fake:
        report = fetch_all(
            collect_sources(registry, KINDS),
            site / "repo" / "snapshot",
            clock=clock,
            endpoints=parse_endpoints(fake.endpoints()),
            environ={},
            sleep=lambda seconds: None,
        )
    assert [o.status.state for o in report.outcomes] == ["fresh"]
    return site


@pytest.fixture
def built(build_site, site):
    app, _ = build_site(site, confoverrides={"html_baseurl": SITE_URL})
    assert app.statuscode == 0
    return Path(app.outdir)


def article(out: Path, docname: str):
    return lxml.html.parse(str(out / f"{docname}.html")).getroot()


def words(node) -> str:
    return " ".join(node.text_content().split())


def test_the_spec_page_shows_its_open_review(built):
    page = article(built, "specs/2027.1/structured-logging-everywhere")
    (block,) = page.xpath('.//div[contains(@class, "crosswork-spec-progress")]')
    text = words(block)
    assert text.startswith("Progress Review: open ")
    badge = block.xpath('.//span[contains(@class, "crosswork-badge")]')[0]
    assert badge.text == "open"
    links = [a.get("href") for a in block.xpath(".//a")]
    assert links == [f"https://review.opendev.org/c/{PROJECT}/+/9000001"]
    # Fetched from the fake upstream: the figures say they are sample data.
    assert text.endswith(
        "Sample progress figures as of 2026-05-04 12:00 UTC: served by a"
        " stand-in for the upstream, not by the upstream itself."
    )


def test_the_index_lists_both_proposals_oldest_activity_first(built):
    index = article(built, "specs/index")
    (section,) = index.xpath('.//section[@id="under-review"]')
    rows = [words(row) for row in section.xpath(".//tbody/tr")]
    assert len(rows) == 2
    assert (
        rows[0].startswith(f"{recorded_change_subject(built)} (new: {NEW})")
        or "(new: " in rows[0]
    )
    assert "Structured logging everywhere" in rows[1]
    assert rows[1].endswith("Gerrit 9000001")


def recorded_change_subject(out: Path) -> str:
    data = json.loads((out / "api/specs.json").read_text())
    return next(p["title"] for p in data["under_review"] if p["spec"] is None)


def test_a_hostile_subject_and_owner_are_text_on_every_page(built):
    assert recorded_change_subject(built) == HOSTILE_SUBJECT
    for page in ("specs/index.html", "specs/specs.atom"):
        text = (built / page).read_text()
        assert "<script>window.__pwned" not in text
        assert "<img src=x" not in text
    index = article(built, "specs/index")
    assert not index.xpath("//script[contains(., '__pwned')]")
    assert not index.xpath("//img[@src='x']")
    row = words(index.xpath('.//section[@id="under-review"]//tbody/tr')[0])
    assert HOSTILE_OWNER in row


def test_the_api_carries_the_review_state_and_the_proposals(built):
    data = json.loads((built / "api/specs.json").read_text())
    spec = next(
        s for s in data["specs"] if s["id"] == "2027.1/structured-logging-everywhere"
    )
    assert spec["review_state"] == "open"
    assert spec["progress"]["review"]["links"] == [
        {
            "text": "Gerrit 9000001",
            "url": f"https://review.opendev.org/c/{PROJECT}/+/9000001",
        }
    ]
    proposals = {p["number"]: p for p in data["under_review"]}
    assert sorted(proposals) == [9_000_001, 9_000_002]
    # With a site address, pages are absolute; a new spec's proposal has no
    # page of its own yet and names the index that lists it.
    site = SITE_URL.rstrip("/")
    assert (
        proposals[9_000_001]["page"]
        == f"{site}/specs/2027.1/structured-logging-everywhere.html"
    )
    assert proposals[9_000_002]["path"] == NEW
    assert proposals[9_000_002]["page"] == f"{site}/specs/index.html"


def test_the_feed_announces_each_proposal_once(built):
    feed = (built / "specs/specs.atom").read_text()
    for number in (9_000_001, 9_000_002):
        url = f"https://review.opendev.org/c/{PROJECT}/+/{number}"
        assert feed.count(f"<id>{url}</id>") == 1
    assert f"{SITE_URL}specs/index.html#under-review" in feed
