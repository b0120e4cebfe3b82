"""Adoption in a built site: matrix, library pages, divergence, charter
section, charts and ``api/adoption.json``; hostile text stays text.

The test root's alpha charter tracks the kind's example (nova, horizon,
swift of the corpus) plus ``evil``, a requirements file served by the fake
upstream with markup in a marker, a name and a comment.
"""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import yaml

from crosswork.fetch.endpoints import parse_endpoints
from crosswork.fetch.run import fetch_all
from crosswork.fetch.sources import collect_sources
from crosswork.kinds import KINDS
from crosswork.kinds.adoption import RECORD
from crosswork.testing.upstream import FakeUpstream, Recordings
from crosswork.workgroups.registry import load_registry

EVIL_PATH = "example/evil/requirements.txt"
EVIL = (
    b"oslo.config>=1.0; platform_release == '<script>alert(1)</script>'\n"
    b"oslo.<b>log</b>>=1\n"
    b"oslo.log>=2.0 # <img src=x onerror=alert(1)>\n"
)
SOURCE = "alpha.adoption.oslo"


def site_with_adoption(copy_root, recordings: Recordings, clock, days: int = 1) -> Path:
    site = copy_root("test-site")
    workgroups = site / "repo" / "workgroups"
    for path in workgroups.glob("*.yaml"):
        charter = yaml.safe_load(path.read_text(encoding="utf-8"))
        charter["tracks"] = {}
        if path.stem == "alpha":
            track = json.loads(json.dumps(RECORD.example))
            track["services"].append({"name": "evil", "path": EVIL_PATH})
            charter["tracks"] = {"adoption": [track]}
        path.write_text(yaml.safe_dump(charter, sort_keys=False), encoding="utf-8")
    registry, problems = load_registry(workgroups, kinds=KINDS)
    assert problems == []
    for day in range(days):
        if day:
            clock.advance(days=1)
        # On the second day evil drops oslo.log: one user fewer.
        body = EVIL if day == 0 else EVIL.replace(b"oslo.log>=2.0", b"")
        with FakeUpstream(recordings.with_file(EVIL_PATH, body)) as fake:
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


def having(node, tag: str, cls: str = "", ident: str = "") -> list:
    """Descendants ``tag`` with the class ``cls`` or the id ``ident``."""
    test = f"[contains(concat(' ', @class, ' '), ' {cls} ')]" if cls else ""
    test += f"[@id='{ident}']" if ident else ""
    return node.xpath(f".//{tag}{test}")


def page(app, name: str):
    return lxml.html.parse(str(Path(app.outdir) / name)).getroot()


def test_pages_of_the_track(copy_root, build_site, recordings, clock) -> None:
    site = site_with_adoption(copy_root, recordings, clock)
    app, _ = build_site(site)
    out = Path(app.outdir)

    matrix = page(app, f"adoption/{SOURCE}.html")
    table = having(matrix, "table", "crosswork-adoption-matrix")[0]
    assert "crosswork-adoption-scroll" in table.getparent().get("class").split()
    header = [th.text_content().strip() for th in table.xpath(".//thead//th")]
    assert header[:2] == ["Service", "oslo.cache"]
    first_column = [
        row.xpath("./td")[0].text_content().strip()
        for row in table.xpath(".//tbody/tr")
    ]
    assert first_column == ["nova", "horizon", "swift", "evil"]
    assert having(matrix, "td", "crosswork-adoption-unused")
    assert all("alert(1)" not in s.text_content() for s in matrix.xpath("//script"))
    assert not matrix.xpath("//img[@onerror]") and not matrix.xpath("//b[.='log']")
    text = matrix.text_content()
    assert "<script>alert(1)</script>" in text
    assert "Using none of the followed libraries: swift." in text
    assert "D102" in text  # the unreadable name, located

    library = page(app, f"adoption/{SOURCE}.oslo-config.html").text_content()
    assert "oslo.config is used by 3 of 4 services; not by swift." in library
    assert "Upper-constraints pin: 10.7.0." in library
    assert (out / f"adoption/{SOURCE}.divergence.html").is_file()

    charter = page(app, "workgroups/alpha.html")
    section = having(charter, "section", ident="adoption")[0]
    first = section.xpath(".//li")[0].text_content()
    assert first.startswith("Configuration (oslo.config): 3 of 4 services adopted")
    assert len(section.xpath(".//img")) == 2  # one chart per group

    api = json.loads((out / "api/adoption.json").read_text())
    assert api["schema_version"] == 2
    assert api["tracks"][0]["source"] == SOURCE
    analysis = api["tracks"][0]["analysis"]
    assert analysis["uses_none"] == ["swift"]
    assert analysis["matrix"]["evil"]["oslo-config"]["entries"][0]["marker"] == (
        'platform_release == "<script>alert(1)</script>"'
    )


def test_the_charter_section_is_on_the_stylesheet_list(
    copy_root, build_site, recordings, clock
) -> None:
    site = site_with_adoption(copy_root, recordings, clock)
    app, _ = build_site(site)
    assert (Path(app.outdir) / "_static" / "adoption.css").is_file()


def test_the_trend_shows_from_the_second_day(
    copy_root, build_site, recordings, clock
) -> None:
    site = site_with_adoption(copy_root, recordings, clock, days=2)
    app, _ = build_site(site)
    matrix = page(app, f"adoption/{SOURCE}.html")
    trend = having(matrix, "section", ident="trend")[0]
    images = trend.xpath(".//img")
    assert len(images) == 2
    alt = images[0].get("alt")
    assert "oslo.log" in alt and "oslo.config" in alt
    history = json.loads((site / "repo/snapshot/history.json").read_text())
    days = history["sources"][SOURCE]
    assert [d["breakdown"]["oslo-log"] for d in days] == [2, 1]


def test_one_day_of_history_says_when_the_trend_shows(
    copy_root, build_site, recordings, clock
) -> None:
    site = site_with_adoption(copy_root, recordings, clock)
    app, _ = build_site(site)
    trend = having(page(app, f"adoption/{SOURCE}.html"), "section", ident="trend")[0]
    assert "once two days are recorded" in trend.text_content()
