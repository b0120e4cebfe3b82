"""The home page dashboard on a built site, from data the fake upstream serves.

The alpha charter tracks every data kind's example tracks; beta tracks
nothing. After one fetch, the home page shows a card per workgroup: each
figure links to a page of the site that has the section it names, says
where it comes from, and a workgroup without data for a kind shows
nothing of it. The data's age is told once, in words, against the build
time (``SOURCE_DATE_EPOCH``), with the sample-data notice.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
import yaml
from sphinx.testing.util import SphinxTestApp

from crosswork.fetch.endpoints import parse_endpoints
from crosswork.fetch.run import fetch_all
from crosswork.fetch.sources import collect_sources
from crosswork.kinds import KINDS
from crosswork.testing.required import CORPUS_VARIABLE, required_folder
from crosswork.testing.upstream import FakeUpstream, Recordings
from crosswork.workgroups.registry import load_registry

HERE = Path(__file__).parent
ROOT = HERE.parent / "roots" / "test-site"
CORPUS = HERE.parents[2] / "shared" / "corpus"
DASHBOARD = """
.. workgroup-dashboard::

.. toctree::
   :hidden:

   matrices/index
   security/index
   adoption/index
   ci/index
"""

FETCHED_AT = dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.UTC)
#: Six hours after the fetch, a Monday: alpha meets next on Tuesday at 15:00.
BUILT_AT = FETCHED_AT + dt.timedelta(hours=6)
HOSTILE = (
    "<script>window.__pwned = 1</script> `x <javascript:alert(1)>`_"
    " <img src=x onerror=alert(1)>"
)


def card_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def fetched_site(site: Path, recordings: Recordings) -> Path:
    """The test site with the dashboard on its home page, alpha tracking
    every kind's examples, fetched from the fake upstream on two days."""
    shutil.copytree(ROOT, site)
    index = site / "index.rst"
    index.write_text(index.read_text(encoding="utf-8") + DASHBOARD, encoding="utf-8")
    path = site / "repo" / "workgroups" / "alpha.yaml"
    charter = yaml.safe_load(path.read_text(encoding="utf-8"))
    charter["tracks"] = {kind.name: [dict(t) for t in kind.examples] for kind in KINDS}
    path.write_text(yaml.safe_dump(charter, sort_keys=False), encoding="utf-8")
    registry, problems = load_registry(site / "repo" / "workgroups", kinds=KINDS)
    assert problems == []
    with FakeUpstream(recordings) as fake:
        for moment in (FETCHED_AT - dt.timedelta(days=1), FETCHED_AT):
            fetch_all(
                collect_sources(registry, KINDS),
                site / "repo" / "snapshot",
                clock=lambda moment=moment: moment,
                endpoints=parse_endpoints(fake.endpoints()),
                environ={},
                sleep=lambda seconds: None,
            )
    return site


def build(site: Path) -> tuple[Path, str]:
    """Build at :data:`BUILT_AT`; the output folder and the warnings."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(int(BUILT_AT.timestamp())))
        app = SphinxTestApp("html", srcdir=site)
        try:
            app.build()
        finally:
            app.cleanup()
    return Path(app.outdir), app.warning.getvalue()


@pytest.fixture(scope="module")
def corpus_recordings() -> Recordings:
    corpus = required_folder(CORPUS, "shared corpus not available", CORPUS_VARIABLE)
    return Recordings.from_corpus(corpus)


@pytest.fixture(scope="module")
def home(
    tmp_path_factory: pytest.TempPathFactory, corpus_recordings: Recordings
) -> Iterator[tuple[Path, object]]:
    """One build for the module: the output folder and the parsed home page."""
    site = fetched_site(
        tmp_path_factory.mktemp("dashboard") / "site", corpus_recordings
    )
    out, warnings = build(site)
    assert warnings == ""
    yield out, lxml.html.parse(str(out / "index.html")).getroot()


def cards(root) -> dict[str, object]:
    found = root.xpath(f"//div[{card_class('crosswork-card')}]")
    return {
        card.xpath(f".//p[{card_class('crosswork-card-title')}]")[
            0
        ].text_content(): card
        for card in found
    }


def glances(card) -> dict[str, object]:
    """The figures of a card by label (the first of a label)."""
    result: dict[str, object] = {}
    for item in card.xpath(f".//li[{card_class('crosswork-glance')}]"):
        label = item.xpath(f".//p[{card_class('crosswork-glance-label')}]")[0]
        result.setdefault(label.text_content(), item)
    return result


def test_the_data_age_is_told_once_in_words_with_the_sample_notice(home):
    _, root = home
    ages = root.xpath(f"//p[{card_class('crosswork-data-age')}]")
    assert [age.text_content() for age in ages] == [
        "Data fetched 6 hours ago, 2026-05-04 12:00 UTC, as of this build."
        " It is sample data from a stand-in for the upstreams, not live data."
    ]
    assert root.text_content().count("sample data") == 1


def test_each_workgroup_has_a_card_and_each_kind_a_figure_with_its_source(home):
    _, root = home
    shown = cards(root)
    assert list(shown) == ["Alpha", "Beta"]
    alpha = glances(shown["Alpha"])
    for label in [
        "Next meeting",
        "Specs under review",
        "Specs in progress",
        "Open bugs",
        "Advisories",
        "Gate failure rate",
    ]:
        assert label in alpha, label
    assert any(label.startswith("Open gaps (") for label in alpha)
    assert any(label.endswith(" adoption") or "shared" in label for label in alpha)
    for label, item in alpha.items():
        origin = item.xpath(f".//p[{card_class('crosswork-glance-origin')}]")
        assert origin, f"{label} says where it comes from"
        assert "http" not in origin[0].text_content()
    meeting = alpha["Next meeting"].text_content()
    assert "Tue 2026-05-05 15:00 UTC" in meeting
    assert "Weekly meeting" in meeting
    progress = alpha["Specs in progress"]
    assert (
        progress.xpath(f".//p[{card_class('crosswork-glance-figure')}]")[
            0
        ].text_content()
        == "1"
    )


def test_a_workgroup_without_data_shows_no_figure_of_it_rather_than_zero(home):
    _, root = home
    beta = glances(cards(root)["Beta"])
    assert "Open bugs" not in beta
    assert not [label for label in beta if "gaps" in label or "parity" in label]
    assert "Advisories" not in beta
    assert "Gate failure rate" not in beta


def test_every_figure_links_to_a_page_of_the_site_and_its_section(home):
    out, root = home
    links = root.xpath(
        f"//p[{card_class('crosswork-glance-figure')}]//a"
        f" | //p[{card_class('crosswork-card-title')}]//a"
    )
    assert len(links) > 10
    for link in links:
        href = link.get("href")
        parts = urlsplit(href)
        assert not parts.scheme and not parts.netloc, href
        page = out / parts.path
        assert page.is_file(), href
        if parts.fragment:
            target = lxml.html.parse(str(page)).getroot()
            assert target.xpath(f"//*[@id='{parts.fragment}']"), href
    calendar = root.xpath("//a[text()='Add to a calendar']")
    assert calendar
    assert all((out / a.get("href")).is_file() for a in calendar)


def test_trends_are_drawn_and_told_in_words(home):
    _, root = home
    alpha = glances(cards(root)["Alpha"])
    gaps = next(label for label in alpha if label.startswith("Open gaps"))
    for label in ("Open bugs", gaps):
        item = alpha[label]
        image = item.xpath(f".//img[{card_class('crosswork-sparkline')}]")
        assert image and image[0].get("alt"), label
        words = item.xpath(f".//p[{card_class('crosswork-glance-trend')}]")
        assert " on 2026-05-03, " in words[0].text_content(), label
        assert words[0].text_content().endswith(" on 2026-05-04"), label
    assert not alpha["Specs in progress"].xpath(".//img")


def test_hostile_text_from_the_snapshot_stays_text(tmp_path, corpus_recordings):
    advisories = next(kind for kind in KINDS if kind.name == "advisories")
    hostile = advisories.hostile_recordings(corpus_recordings, [HOSTILE] * 3)
    out, _ = build(fetched_site(tmp_path / "site", hostile))
    root = lxml.html.parse(str(out / "index.html")).getroot()
    assert root.xpath("//script[contains(., '__pwned')]") == []
    assert root.xpath("//img[@onerror]") == []
    assert root.xpath("//a[starts-with(@href, 'javascript:')]") == []
    notes = root.xpath(f"//p[{card_class('crosswork-glance-note')}]")
    assert any("<script>window.__pwned" in note.text_content() for note in notes)


def fetch_again(site: Path, recordings: Recordings, moment: dt.datetime) -> None:
    registry, _ = load_registry(site / "repo" / "workgroups", kinds=KINDS)
    with FakeUpstream(recordings) as fake:
        fetch_all(
            collect_sources(registry, KINDS),
            site / "repo" / "snapshot",
            clock=lambda: moment,
            endpoints=parse_endpoints(fake.endpoints()),
            environ={},
            sleep=lambda seconds: None,
        )


def test_the_home_page_is_reread_when_its_data_changes_and_rewritten_when_its_age(
    tmp_path, corpus_recordings, rebuild_site, monkeypatch
):
    site = fetched_site(tmp_path / "site", corpus_recordings)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(BUILT_AT.timestamp())))
    rebuild_site(site)
    _, _, same_time = rebuild_site(site)

    an_hour_later = BUILT_AT + dt.timedelta(hours=1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(an_hour_later.timestamp())))
    _, unchanged, older = rebuild_site(site)
    home = (site / "_build/html/index.html").read_text(encoding="utf-8")

    changed_data = corpus_recordings.with_launchpad_tasks("sahara", 1)
    fetch_again(site, changed_data, FETCHED_AT + dt.timedelta(hours=1))
    _, changed, _ = rebuild_site(site)

    assert same_time == []
    assert "index" not in unchanged, unchanged
    assert "index" in older
    assert "Data fetched 7 hours ago, 2026-05-04 12:00 UTC" in home
    assert "index" in changed


def test_a_figure_from_a_stale_source_says_so_with_the_time_of_its_data(
    tmp_path, corpus_recordings
):
    site = fetched_site(tmp_path / "site", corpus_recordings)
    status_file = site / "repo" / "snapshot" / "status.json"
    status = json.loads(status_file.read_text(encoding="utf-8"))
    ci = next(source for source in status["sources"] if ".ci." in source)
    status["sources"][ci].update(
        state="stale", error={"kind": "timeout", "message": "timed out"}
    )
    status_file.write_text(json.dumps(status), encoding="utf-8")

    out, _ = build(site)

    root = lxml.html.parse(str(out / "index.html")).getroot()
    alpha = glances(cards(root)["Alpha"])
    health = alpha["Gate failure rate"].xpath(
        f".//p[{card_class('crosswork-glance-health')}]"
    )
    assert [p.text_content() for p in health] == [
        "stale data, as of 2026-05-03 12:00 UTC"  # unchanged since the first fetch
    ]
    assert not alpha["Open bugs"].xpath(
        f".//p[{card_class('crosswork-glance-health')}]"
    )
