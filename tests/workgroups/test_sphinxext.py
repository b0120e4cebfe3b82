"""Charter pages and the meetings page, as a reader sees them.

Each test builds a private copy of ``tests/roots/test-site`` on a fixed
build date (``SOURCE_DATE_EPOCH``), so upcoming meeting dates are known.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

#: Wednesday 2026-12-02, 12:00 UTC.
BUILD_DAY = int(dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC).timestamp())
CONVERTER = "https://www.timeanddate.com/worldclock/fixedtime.html"


@pytest.fixture
def site(copy_root, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(BUILD_DAY))
    site = copy_root("test-site")
    edit(
        site / "repo/workgroups/alpha.yaml",
        (
            "liaison: to be appointed\n",
            "liaison:\n  name: Jo Park\n  handles:\n    irc: jpark\n",
        ),
        ("    status: planned\n", "    status: in-progress\n    owner: oslo team\n"),
        (
            "    agenda: https://etherpad.opendev.org/p/alpha\n",
            "    agenda: https://etherpad.opendev.org/p/alpha\n"
            "    logs: https://meetings.opendev.org/meetings/alpha/\n",
        ),
        (
            '  chat: "#openstack-alpha"\n',
            '  chat: "#openstack-alpha"\n'
            "  archive: https://lists.openstack.org/archives/list/"
            "openstack-discuss@lists.openstack.org/\n",
        ),
    )
    return site


def edit(path: Path, *changes: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def page(app, docname: str) -> str:
    return (Path(app.outdir) / f"{docname}.html").read_text(encoding="utf-8")


def words(markup: str) -> str:
    """The page's text, tags removed and white space folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def links(markup: str) -> dict[str, str]:
    """Each link's text by its address."""
    found = re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', markup, re.S)
    return {unquote(html.unescape(href)): words(text) for href, text in found}


class TestCharterPage:
    def test_the_facts_block_names_the_tc_liaison(self, build_site, site):
        app, _ = build_site(site)
        assert app.warning.getvalue() == ""
        text = words(page(app, "workgroups/alpha"))
        assert "Status : active since 2026-03-02 TC liaison : Jo Park ( irc:" in text

    def test_a_liaison_to_be_appointed_is_said_so(self, build_site, site):
        app, _ = build_site(site)
        assert "TC liaison : To be appointed" in words(page(app, "workgroups/beta"))

    def test_the_exit_criteria_are_a_section(self, build_site, site):
        app, _ = build_site(site)
        markup = page(app, "workgroups/alpha")
        assert '<section id="exit-criteria">' in markup
        assert (
            "The workgroup has done its work, and retires, when: "
            "Every deliverable is done or dropped People and contact" in words(markup)
        )

    def test_deliverables_show_a_status_badge_and_an_owner(self, build_site, site):
        app, _ = build_site(site)
        markup = page(app, "workgroups/alpha")
        assert (
            '<span class="crosswork-badge crosswork-badge-deliverable-in-progress">'
            "in progress</span>" in markup
        )
        assert (
            "Deliverable Status Owner Target cycle What One configuration library "
            "in progress oslo team 2026.2" in words(markup)
        )
        beta = words(page(app, "workgroups/beta"))
        assert "Gap report planned Not yet assigned" in beta

    def test_each_meeting_shows_its_next_three_dates_in_utc(self, build_site, site):
        app, _ = build_site(site)
        found = links(page(app, "workgroups/alpha"))
        # Weekly on Tuesdays from the build date, Wednesday 2026-12-02.
        assert {href: text for href, text in found.items() if CONVERTER in href} == {
            f"{CONVERTER}?iso=20261208T1500&p1=1440": "Tue 08 Dec 2026, 15:00",
            f"{CONVERTER}?iso=20261215T1500&p1=1440": "Tue 15 Dec 2026, 15:00",
            f"{CONVERTER}?iso=20261222T1500&p1=1440": "Tue 22 Dec 2026, 15:00",
        }

    def test_the_meetings_page_shows_the_same_dates(self, build_site, site):
        app, _ = build_site(site)
        found = links(page(app, "meetings"))
        # Beta meets on the last Wednesday of each month.
        assert f"{CONVERTER}?iso=20261230T1600&p1=1440" in found
        assert f"{CONVERTER}?iso=20270127T1600&p1=1440" in found
        assert f"{CONVERTER}?iso=20261208T1500&p1=1440" in found

    def test_logs_list_archive_and_chat_are_links(self, build_site, site):
        app, _ = build_site(site)
        found = links(page(app, "workgroups/alpha"))
        assert found["https://meetings.opendev.org/meetings/alpha/"] == "logs"
        assert found["https://etherpad.opendev.org/p/alpha"] == "agenda"
        # Sphinx cloaks addresses in the text, not in what the link opens.
        assert "mailto:openstack-discuss@lists.openstack.org" in found
        archive = (
            "https://lists.openstack.org/archives/list/"
            "openstack-discuss@lists.openstack.org/"
        )
        assert found[archive] == "archive"
        assert found["https://webchat.oftc.net/?channels=openstack-alpha"] == (
            "#openstack-alpha"
        )

    def test_a_meeting_without_logs_has_no_logs_link(self, build_site, site):
        app, _ = build_site(site)
        assert "logs" not in links(page(app, "workgroups/beta")).values()


class TestBuildDate:
    def test_a_new_day_rereads_only_the_pages_whose_dates_it_changes(
        self, rebuild_site, site, monkeypatch
    ):
        rebuild_site(site)
        _, read, written = rebuild_site(site)
        assert (read, written) == ([], [])
        # Thursday: no meeting has been held since Wednesday.
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(BUILD_DAY + 86400))
        _, read, written = rebuild_site(site)
        assert (read, written) == ([], [])
        # A week later alpha has met (Tuesday); beta meets monthly, later.
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(BUILD_DAY + 7 * 86400))
        app, read, _ = rebuild_site(site)
        assert read == ["meetings", "workgroups/alpha"]
        found = links(page(app, "workgroups/alpha"))
        assert f"{CONVERTER}?iso=20261229T1500&p1=1440" not in found  # skipped
        assert f"{CONVERTER}?iso=20270105T1500&p1=1440" in found
        assert f"{CONVERTER}?iso=20261208T1500&p1=1440" not in found


def test_a_bad_new_field_stops_the_build_with_every_finding(stopped_build, site):
    edit(
        site / "repo/workgroups/alpha.yaml",
        ("liaison:\n  name: Jo Park\n", "liaison:\n  nam: Jo Park\n"),
        ("    status: in-progress\n", "    status: started\n"),
    )
    edit(
        site / "repo/workgroups/beta.yaml",
        (
            "exit_criteria:\n  - Every deliverable is done or dropped\n",
            "exit_criteria: []\n",
        ),
    )
    stopped, lines = stopped_build(site)
    assert [line.split(" WARNING: ")[1].split(" ")[0] for line in lines[:-1]] == [
        "W104",
        "W101",
        "W102",
        "W106",
    ]
    assert [line.split(": WARNING")[0] for line in lines[:-1]] == [
        "workgroups/alpha.yaml:20:13",
        "workgroups/alpha.yaml:25:3",
        "workgroups/alpha.yaml:25:3",
        "workgroups/beta.yaml:18:16",
    ]
    assert lines[-1] == f"ERROR: build stopped: {stopped}"
