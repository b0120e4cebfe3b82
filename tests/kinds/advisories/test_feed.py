"""The Atom feed: max(last 8 days, 10 newest) entries, same bytes every time."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from lxml import etree

from crosswork.kinds.advisories.feed import atom_feed, feed_entries, package_feed
from crosswork.kinds.advisories.model import AffectedPackage
from crosswork.kinds.advisories.severity import rate_vector
from crosswork.kinds.advisories.versions import Interval

ATOM = "{http://www.w3.org/2005/Atom}"
SNAPSHOT = dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.UTC)
SITE = "https://security.example.org/"


def daily(make, count: int, last_day: int = 30):
    """``count`` advisories, one a day, the newest on June ``last_day``."""
    first = dt.date(2026, 6, last_day) - dt.timedelta(days=count - 1)
    days = [first + dt.timedelta(days=n) for n in range(count)]
    return [make(f"PYSEC-2026-{d:%m%d}", d.isoformat()) for d in days]


def entry_ids(feed: bytes) -> list[str]:
    root = etree.fromstring(feed)
    return [entry.findtext(f"{ATOM}id") for entry in root.iter(f"{ATOM}entry")]


def test_a_quiet_period_still_shows_the_ten_newest(make):
    advisories = daily(make, 15, last_day=10)  # all older than 8 days
    chosen = feed_entries(advisories, updated=SNAPSHOT)
    assert [a.id for a in chosen] == [f"PYSEC-2026-06{d:02d}" for d in range(10, 0, -1)]


def test_a_burst_shows_every_advisory_of_the_last_eight_days(make):
    burst = [make(f"PYSEC-2026-{n}", "2026-06-25") for n in range(100, 125)]
    older = daily(make, 5, last_day=20)
    chosen = feed_entries(burst + older, updated=SNAPSHOT)
    assert len(chosen) == 25
    assert {a.id for a in chosen} == {a.id for a in burst}


def test_the_window_includes_its_first_moment(make):
    edge = make("PYSEC-2026-1", "2026-06-22T12:00:00")
    outside = make("PYSEC-2026-2", "2026-06-22T11:59:59")
    others = daily(make, 8, last_day=30)  # June 23 to 30
    chosen = feed_entries([edge, outside, *others], updated=SNAPSHOT, minimum=1)
    assert [a.id for a in chosen] == [a.id for a in reversed(others)] + [edge.id]


def test_withdrawn_advisories_are_left_out(make):
    live = make("PYSEC-2026-1", "2026-06-29")
    gone = replace(make("PYSEC-2026-2", "2026-06-30"), withdrawn=SNAPSHOT)
    assert [a.id for a in feed_entries([live, gone], updated=SNAPSHOT)] == [live.id]


def test_two_calls_give_identical_bytes(make):
    advisories = daily(make, 12)
    first = atom_feed(advisories, site_url=SITE, updated=SNAPSHOT)
    second = atom_feed(list(reversed(advisories)), site_url=SITE, updated=SNAPSHOT)
    assert first == second


def test_the_feed_is_atom_xml_linking_to_advisory_pages(make):
    rating = rate_vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N")
    package = AffectedPackage("PyPI", "horizon", ranges=(Interval("19.4.0", "20.2.0"),))
    advisory = make(
        "PYSEC-2023-153",
        "2026-06-29",
        aliases=("CVE-2022-45582",),
        title="Open redirect",
        details="Open Redirect vulnerability in Horizon.",
        ratings=(rating,),
        affected=(package,),
    )
    feed = atom_feed([advisory], site_url=SITE, updated=SNAPSHOT)
    root = etree.fromstring(feed)
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}id") == (
        "https://security.example.org/security/advisories.atom"
    )
    assert root.findtext(f"{ATOM}updated") == "2026-06-30T12:00:00+00:00"
    (entry,) = root.findall(f"{ATOM}entry")
    url = "https://security.example.org/security/advisories/PYSEC-2023-153.html"
    assert entry.findtext(f"{ATOM}id") == url
    assert entry.find(f"{ATOM}link").get("href") == url
    assert entry.findtext(f"{ATOM}title") == "PYSEC-2023-153: Open redirect"
    assert entry.find(f"{ATOM}content").get("type") == "text"
    assert entry.findtext(f"{ATOM}content") == (
        "Severity: Medium (6.1, CVSS 3.1)\n"
        "Also known as: CVE-2022-45582\n"
        "Affected: horizon (PyPI) >= 19.4.0, < 20.2.0; fixed in 20.2.0\n"
        "\n"
        "Open Redirect vulnerability in Horizon."
    )


def test_the_page_url_pattern_is_a_parameter(make):
    feed = atom_feed(
        [make("OSSA-2026-012", "2026-06-29")],
        site_url="https://example.org",
        updated=SNAPSHOT,
        page_url="{site_url}/vmt/{primary_id}/",
    )
    assert entry_ids(feed) == ["https://example.org/vmt/OSSA-2026-012/"]


def test_an_empty_feed_is_still_valid_xml():
    feed = atom_feed([], site_url=SITE, updated=SNAPSHOT)
    assert entry_ids(feed) == []


def test_a_package_feed_links_itself_and_the_package_page(make):
    advisories = daily(make, 3)
    feed = package_feed(advisories, slug="oslo-utils", site_url=SITE, updated=SNAPSHOT)
    root = etree.fromstring(feed)
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links == {
        "self": "https://security.example.org/security/packages/oslo-utils.atom",
        "alternate": "https://security.example.org/security/packages/oslo-utils.html",
    }
    assert root.findtext(f"{ATOM}title") == "Security advisories for oslo-utils"
    assert entry_ids(feed) == [
        f"https://security.example.org/security/advisories/{a.id}.html"
        for a in reversed(advisories)
    ]
