"""Advisory pages in a built site: ``tests/roots/test-advisories``.

Most tests write small snapshots of synthetic OSV records into a copy of
the root (no corpus needed); the end-to-end tests run the fake upstream
over the corpus, fetch every advisory track into the copy, and build it.
Pages are read with lxml.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import pytest
from docutils import nodes
from sphinx.util.console import strip_escape_sequences
from sphinx.util.parallel import parallel_available

from crosswork.fetch.http import Policy
from crosswork.fetch.run import FetchReport
from crosswork.fetch.snapshot import Snapshot, write_snapshot
from crosswork.kinds import KINDS
from crosswork.kinds.advisories import sphinxext as advisories_sphinxext
from crosswork.kinds.advisories.feed import feed_entries
from crosswork.kinds.advisories.merge import merge
from crosswork.kinds.advisories.model import ADVISORY_HOSTS, Advisory, package_key
from crosswork.kinds.advisories.osv import normalize_osv
from crosswork.kinds.advisories.sphinxext import (
    MAX_SLUG,
    TOCTREE_LIMIT,
    VALIDATED_FILE,
    Catalogue,
    advisory_facts,
    affected_packages,
    catalogue_of,
    make_advisory_table,
    package_slug,
    security_section,
)
from crosswork.kinds.advisories.stored import advisory_item
from crosswork.links import DEFAULT_HOSTS
from crosswork.testing import loopback_only
from crosswork.testing.upstream import FakeUpstream, Fault, Recordings
from crosswork.workgroups.registry import load_registry

ROOT = Path(__file__).resolve().parents[2] / "roots" / "test-advisories"
SNAPSHOT_TIME = dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.UTC)
SERVICES = "security.advisories.services"
LIBRARIES = "security.advisories.libraries"
OSSA = "security.advisories.ossa"
FAST = Policy(
    connect_timeout=0.5,
    read_timeout=0.3,
    deadline=1.0,
    retries=1,
    backoff_factor=0.01,
    backoff_jitter=0.01,
    backoff_max=0.05,
    max_bytes=256 * 1024,
)


# --- Helpers -----------------------------------------------------------------------


@pytest.fixture
def site(copy_root: Callable[..., Path]) -> Path:
    """A private copy of the test root, free to edit."""
    return copy_root("test-advisories")


@dataclasses.dataclass
class Built:
    app: Any
    read: list[str]

    @property
    def out(self) -> Path:
        return Path(self.app.outdir)

    @property
    def warnings(self) -> list[str]:
        text = strip_escape_sequences(self.app.warning.getvalue())
        return [line for line in text.splitlines() if "WARNING" in line]

    def html(self, docname: str) -> str:
        return (self.out / f"{docname}.html").read_text(encoding="utf-8")

    def article(self, docname: str) -> Any:
        """The page's content, without the theme's navigation and scripts."""
        tree = lxml.html.fromstring(self.html(docname))
        return tree.xpath("//*[@role='main']")[0]


Build = Callable[..., Built]


@pytest.fixture
def build(build_site: Callable[..., tuple[Any, list[str]]]) -> Build:
    """``build(srcdir, builder="html", **kwargs)``: one build, as a :class:`Built`."""

    def run(srcdir: Path, builder: str = "html", **kwargs: Any) -> Built:
        return Built(*build_site(srcdir, builder, **kwargs))

    return run


def osv(identifier: str, day: str, **fields: Any) -> Advisory:
    """A synthetic OSV record, normalized like a fetched one."""
    package = fields.pop("package", "requests")
    record: dict[str, Any] = {
        "id": identifier,
        "published": f"{day}T00:00:00Z",
        "modified": f"{day}T00:00:00Z",
        "summary": f"Problem {identifier}",
        "affected": [
            {
                "package": {"name": package, "ecosystem": "PyPI"},
                "ranges": [
                    {
                        "type": "ECOSYSTEM",
                        "events": [{"introduced": "0"}, {"fixed": "2.31.0"}],
                    }
                ],
            }
        ],
    }
    record.update(fields)
    advisory, problems = normalize_osv(record, label=identifier)
    assert advisory is not None, problems
    return advisory


HIGH = [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}]


def write_source(
    site: Path,
    source: str,
    advisories: list[Advisory],
    fetched_at: dt.datetime = SNAPSHOT_TIME,
    items: list[dict[str, Any]] | None = None,
) -> Path:
    snapshot = Snapshot(
        source=source,
        kind="advisories",
        query={"source": "osv"},
        fetched_at=fetched_at,
        complete=True,
        items=tuple(items if items is not None else map(advisory_item, advisories)),
    )
    folder = site / "repo" / "snapshot"
    write_snapshot(folder, snapshot)
    return folder / f"{source}.json"


Fetch = Callable[[Path, str, dt.datetime], FetchReport]


@pytest.fixture
def fetch(fetch_charters: Callable[..., FetchReport]) -> Fetch:
    """``fetch(site, endpoints, when)``: every track of the site's charters,
    over loopback only."""

    def run(site: Path, endpoints: str, when: dt.datetime) -> FetchReport:
        with loopback_only() as refused:
            report = fetch_charters(
                site / "repo", endpoints, clock=lambda: when, policy=FAST
            )
        assert not refused
        return report

    return run


@pytest.fixture
def fake(corpus: Path) -> Iterator[FakeUpstream]:
    with FakeUpstream(
        Recordings.from_corpus(corpus), services=["osv", "files"]
    ) as upstream:
        yield upstream


@pytest.fixture
def fetched(fetch: Fetch, site: Path, fake: FakeUpstream) -> Path:
    """The root with every advisory track fetched from the corpus."""
    report = fetch(site, fake.endpoints(), SNAPSHOT_TIME)
    assert [o.status.state for o in report.outcomes] == ["fresh"] * 3
    return site


def corpus_ids(corpus: Path) -> set[str]:
    """Ids of every corpus record the test root's tracks follow."""
    registry, _ = load_registry(ROOT / "repo" / "workgroups", kinds=KINDS)
    packages = {
        package_key(name)
        for track in registry["security"].tracks["advisories"]
        for name in track.get("packages", [])
    }
    ids = {path.stem for path in (corpus / "openstack/ossa").glob("OSSA-*.yaml")}
    osv = corpus / "apis" / "osv"
    for folder in ("pypa-advisory-database-as-json", "github-advisory-database"):
        for path in (osv / folder).glob("*.json"):
            record = json.loads(path.read_text(encoding="utf-8"))
            names = {package_key(a["package"]["name"]) for a in record["affected"]}
            if names & packages:
                ids.add(record["id"])
    return ids


def page_ids(article: Any) -> list[str]:
    """The identifiers an advisory page lists."""
    field = article.xpath("//dt[contains(., 'Identifiers')]/following-sibling::dd[1]")
    return [text.strip() for text in field[0].text_content().split(",")]


def redirect_target(path: Path) -> Path:
    """Where an alias page sends its reader."""
    content = path.read_text(encoding="utf-8")
    url = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', content)
    assert url is not None
    return path.parent / url.group(1)


# --- Pages without data ---------------------------------------------------------------


def test_without_data_the_section_says_no_data_yet(build: Build, site: Path) -> None:
    built = build(site)

    assert built.warnings == []
    text = built.article("security/advisories/index").text_content()
    assert (
        "No data yet for OSV: PyPI (nova, keystone, neutron, horizon, cinder)" in text
    )
    assert "No data yet for OSSA files of openstack/ossa" in text
    assert "No advisory to show." in text
    assert not (built.out / "security/advisories.atom").exists()


# --- End to end, from the corpus ------------------------------------------------------


def test_every_corpus_record_ends_up_on_a_page(
    build: Build, fetched: Path, corpus: Path
) -> None:
    built = build(fetched)

    assert built.warnings == []
    folder = built.out / "security" / "advisories"
    ids = corpus_ids(corpus)
    assert {"OSSA-2012-005", "GHSA-wmqq-r32m-87c5", "PYSEC-2021-142"} <= ids
    for identifier in sorted(ids):
        path = folder / f"{identifier}.html"
        if "http-equiv" in path.read_text(encoding="utf-8"):
            path = redirect_target(path)
        article = lxml.html.fromstring(path.read_text(encoding="utf-8"))
        assert identifier in page_ids(article), identifier


def test_a_pysec_and_ghsa_pair_is_one_page_listing_every_id(
    build: Build, fetched: Path
) -> None:
    built = build(fetched)

    article = built.article("security/advisories/GHSA-j8r2-6x86-q33q")
    assert page_ids(article) == [
        "GHSA-j8r2-6x86-q33q",
        "PYSEC-2023-74",
        "CVE-2023-32681",
    ]
    records = article.xpath("//dt[contains(., 'Records')]/following-sibling::dd[1]")
    assert "PyPA Advisory Database (PYSEC-2023-74)" in records[0].text_content()
    for alias in ("PYSEC-2023-74", "CVE-2023-32681"):
        path = built.out / "security/advisories" / f"{alias}.html"
        assert redirect_target(path).name == "GHSA-j8r2-6x86-q33q.html"
    index = built.article("security/advisories/index").text_content()
    assert "PYSEC-2023-74" not in index  # listed once, by its primary id


def test_an_ossa_merges_with_the_pypi_record_of_its_cve(
    build: Build, fetched: Path
) -> None:
    built = build(fetched)

    article = built.article("security/advisories/OSSA-2021-001")
    assert page_ids(article) == ["OSSA-2021-001", "PYSEC-2021-136", "CVE-2021-20267"]
    text = article.text_content()
    assert "for OSSA files of openstack/ossa" in text
    assert "for OSV: PyPI (nova, keystone, neutron, horizon, cinder)" in text
    assert "security.advisories." not in text  # no internal source id
    assert "< 16.3.3; >= 17.0.0, < 17.1.3; == 18.0.0" in text


def test_the_export_holds_every_advisory(build: Build, fetched: Path) -> None:
    built = build(fetched)

    document = json.loads((built.out / "api/advisories.json").read_text())
    assert document["schema_version"] == 2
    assert document["updated"] == "2026-05-04T12:00:00Z"
    ids = {i for record in document["advisories"] for i in [record["id"]]}
    pages = {p.stem for p in (built.out / "security/advisories").glob("*-*.html")}
    primaries = {p for p in pages if "http-equiv" not in _read(built, p)}
    assert ids == primaries


def _read(built: Built, stem: str) -> str:
    return (built.out / "security/advisories" / f"{stem}.html").read_text()


@pytest.mark.parametrize(
    "fault",
    [Fault.server_error(503), Fault.wrong_schema(), Fault.invalid_json()],
    ids=["503", "wrong-schema", "invalid-json"],
)
def test_an_osv_outage_keeps_the_last_good_data_with_a_stale_notice(
    build: Build, fetch: Fetch, fetched: Path, fake: FakeUpstream, fault: Fault
) -> None:
    folder = fetched / "repo" / "snapshot"
    before = {p.name: p.read_bytes() for p in folder.glob("security.*.json")}
    fake.fail("osv.querybatch", fault)

    report = fetch(fetched, fake.endpoints(), SNAPSHOT_TIME + dt.timedelta(days=1))
    built = build(fetched)

    assert {p.name: p.read_bytes() for p in folder.glob("security.*.json")} == before
    assert report.state(SERVICES) == "stale"
    assert built.app.statuscode == 0
    assert all("[crosswork.fetch]" in line for line in built.warnings)
    text = built.article("security/advisories/GHSA-j8r2-6x86-q33q").text_content()
    assert "Stale data: the refresh at 2026-05-05 12:00 UTC failed" in text
    assert (built.out / "security/advisories/PYSEC-2020-228.html").is_file()


STATUS_PAGE = "Data status\n===========\n\n.. data-status::\n"


def test_a_bad_ossa_file_is_data_health_and_the_rest_is_kept(
    build: Build, fetch: Fetch, fetched: Path, corpus: Path
) -> None:
    # Upstream adds a valid advisory and a broken one after the first fetch.
    broken = b"date: 2099-01-01\nid: OSSA-2099-001\ntitle: Broken\n"
    valid = (corpus / "openstack/ossa/OSSA-2024-001.yaml").read_bytes()
    valid = valid.replace(b"OSSA-2024-001", b"OSSA-2099-002")
    valid = valid.replace(b"CVE-2024-32498", b"CVE-2099-0002")
    recordings = (
        Recordings.from_corpus(corpus)
        .with_repository_file("openstack/ossa", "ossa/OSSA-2099-001.yaml", broken)
        .with_repository_file("openstack/ossa", "ossa/OSSA-2099-002.yaml", valid)
    )
    (fetched / "status.rst").write_text(STATUS_PAGE)
    index = fetched / "index.rst"
    index.write_text(index.read_text() + "   status\n")
    with FakeUpstream(recordings, services=["osv", "files"]) as upstream:
        report = fetch(fetched, upstream.endpoints(), SNAPSHOT_TIME + dt.timedelta(1))

    built = build(fetched, warningiserror=True)

    assert report.state(OSSA) == "incomplete"
    assert built.app.statuscode == 0
    assert built.warnings == []
    named = "openstack/ossa/ossa/OSSA-2099-001.yaml:1:1: A102"
    status = json.loads((fetched / "repo/snapshot/status.json").read_text())
    assert status["sources"][OSSA]["error"]["message"].startswith(named)
    output = strip_escape_sequences(built.app.status.getvalue())
    assert f"{OSSA} is incomplete (schema: {named}" in output
    # Readers see the reason; the finding is for whoever runs the fetch.
    status_page = built.article("status").text_content()
    assert "data had an unexpected shape" in status_page
    assert named not in status_page
    text = built.article("security/advisories/OSSA-2024-001").text_content()
    assert "Incomplete data: " in text
    assert "data had an unexpected shape); counts may be higher." in text
    assert named not in text
    assert (built.out / "security/advisories/OSSA-2024-001.html").is_file()
    new = built.article("security/advisories/OSSA-2099-002").text_content()
    assert "CVE-2099-0002" in new
    assert not (built.out / "security/advisories/OSSA-2099-001.html").exists()


def test_a_refetch_that_changes_nothing_rereads_nothing(
    build: Build, fetch: Fetch, fetched: Path, fake: FakeUpstream
) -> None:
    # The OSSA listing's first revalidation turns its state from "fresh" to
    # "not-modified", a freshness fact of its own (crosswork.fetch.view);
    # from then on, unchanged upstreams leave every fact as it was.
    fetch(fetched, fake.endpoints(), SNAPSHOT_TIME + dt.timedelta(hours=6))
    build(fetched)

    report = fetch(fetched, fake.endpoints(), SNAPSHOT_TIME + dt.timedelta(hours=12))
    again = build(fetched)

    assert not any(outcome.written for outcome in report.outcomes)
    assert again.read == []


def test_a_changed_source_rereads_only_the_pages_that_show_it(
    build: Build, fetch: Fetch, fetched: Path, fake: FakeUpstream
) -> None:
    build(fetched)
    fake.fail("files.list", Fault.server_error(404))

    fetch(fetched, fake.endpoints(), SNAPSHOT_TIME + dt.timedelta(hours=6))
    again = build(fetched)

    assert "security/advisories/OSSA-2024-001" in again.read
    assert "security/advisories/index" in again.read
    assert "security/advisories/PYSEC-2020-228" not in again.read
    assert "workgroups/index" not in again.read


# --- Safety -------------------------------------------------------------------------


HOSTILE_TEXT = "<script>alert(1)</script><img src=x onerror=alert(1)>"


def hostile_advisory() -> Advisory:
    return osv(
        "PYSEC-2026-1",
        "2026-05-01",
        summary=f"Boom {HOSTILE_TEXT}",
        details=(
            f"{HOSTILE_TEXT}\n\n`click <javascript:alert(1)>`_ and **bold**\n\n"
            ".. raw:: html\n\n   <script>alert(2)</script>"
        ),
        references=[
            {"type": "WEB", "url": "javascript:alert(1)"},
            {"type": "WEB", "url": "http://github.com/plain-http"},
            {"type": "WEB", "url": "https://evil.example/x"},
            {"type": "WEB", "url": "https://github.com@evil.example/"},
            {"type": "FIX", "url": "https://github.com/psf/requests/commit/1"},
        ],
        aliases=["CVE-2026-0001"],
    )


def test_hostile_summaries_details_and_links_render_inert(
    build: Build, site: Path
) -> None:
    write_source(site, SERVICES, [hostile_advisory()])

    built = build(site)

    assert built.warnings == []
    allowed = ADVISORY_HOSTS | DEFAULT_HOSTS
    for docname in (
        "security/advisories/PYSEC-2026-1",
        "security/advisories/index",
        "security/advisories/2026",
        "security/packages/requests",
        "workgroups/security",
    ):
        article = built.article(docname)
        assert article.xpath(".//script") == [], docname
        assert article.xpath(".//img[@src='x']") == [], docname
        handlers = [a for e in article.iter() for a in e.attrib if a.startswith("on")]
        assert handlers == [], docname
        for href in article.xpath(".//a/@href"):
            parts = urlsplit(href)
            assert (
                not parts.scheme
                or parts.scheme == "mailto"  # the charter's mailing list
                or (parts.scheme == "https" and parts.hostname in allowed)
            ), href
    text = built.article("security/advisories/PYSEC-2026-1").text_content()
    assert HOSTILE_TEXT in text  # shown as text, not dropped
    assert "click <javascript:alert(1)>_ and bold" in text  # Markdown, as text
    assert "https://evil.example/x" in text
    page = built.html("security/advisories/PYSEC-2026-1")
    assert 'href="https://github.com/psf/requests/commit/1"' in page


# --- Markdown details, severity once -------------------------------------------------

MARKDOWN_DETAILS = """\
### Impact

Requests leaks the `Proxy-Authorization` header, see [the fix](https://github.com/psf/requests/pull/1)
or [a mirror](https://evil.example/fix) or [this](javascript:alert(1)).

1. HTTP to HTTPS: **leak**
2. HTTPS to HTTP: *no leak*

```python
requests.get(url, allow_redirects=False)
```

<div onclick="alert(1)"><script>alert(1)</script></div>

![diagram of the leak](https://github.com/x.png) <img src=x onerror=alert(1)>
"""


def details_of(built: Built, docname: str) -> Any:
    return built.article(docname).xpath(".//section[@id='details']")[0]


def severity_of(built: Built, docname: str) -> Any:
    article = built.article(docname)
    return article.xpath(".//dt[contains(., 'Severity')]/following-sibling::dd[1]")[0]


def test_markdown_details_render_as_text_structure(build: Build, site: Path) -> None:
    ghsa = osv("GHSA-2026-0001-abcd", "2026-05-01", details=MARKDOWN_DETAILS)
    write_source(site, LIBRARIES, [ghsa])

    built = build(site)

    assert built.warnings == []
    details = details_of(built, "security/advisories/GHSA-2026-0001-abcd")
    assert details.xpath(".//h3 | .//h4 | .//section") == []  # no document sections
    (rubric,) = details.xpath(".//p[contains(@class, 'rubric')]")
    assert rubric.text_content() == "Impact"
    assert [li.text_content() for li in details.xpath(".//ol/li")] == [
        "HTTP to HTTPS: leak",
        "HTTPS to HTTP: no leak",
    ]
    assert details.xpath(".//ol//strong/text()") == ["leak"]
    assert details.xpath(".//ol//em/text()") == ["no leak"]
    assert "Proxy-Authorization" in details.xpath(".//code//text()")
    (code,) = details.xpath(".//pre")
    assert code.text_content().strip() == "requests.get(url, allow_redirects=False)"
    links = details.xpath(".//a[not(contains(@class, 'headerlink'))]/@href")
    assert links == ["https://github.com/psf/requests/pull/1"]
    text = details.text_content()
    assert "a mirror" in text and "[this](javascript:alert(1))" in text
    assert '<div onclick="alert(1)"><script>alert(1)</script></div>' in text
    assert "diagram of the leak" in text and "<img src=x onerror=alert(1)>" in text
    assert details.xpath(".//script | .//img | .//div[@onclick]") == []


def test_ossa_double_backticks_are_inline_code(build: Build, site: Path) -> None:
    ossa = dataclasses.replace(
        osv("OSSA-2026-001", "2026-05-01"),
        details="Users who can set ``node.instance_info`` can run code.",
        notes=("Enable ``[conductor]/enabled_deploy_interfaces`` with care.",),
    )
    write_source(site, OSSA, [ossa])

    built = build(site)

    article = built.article("security/advisories/OSSA-2026-001")
    codes = article.xpath(".//section[@id='details' or @id='notes']//code")
    assert [c.text_content() for c in codes] == [
        "node.instance_info",
        "[conductor]/enabled_deploy_interfaces",
    ]
    text = article.text_content()
    assert "``" not in text and "\u201c" not in text


def test_severity_is_said_once_with_its_source(build: Build, site: Path) -> None:
    scored = osv("GHSA-2026-0001-aaaa", "2026-05-03", severity=HIGH)
    stated = osv(
        "GHSA-2026-0002-bbbb",
        "2026-05-02",
        database_specific={"severity": "MODERATE"},
    )
    unrated = osv("PYSEC-2026-3", "2026-05-01")
    write_source(site, LIBRARIES, [scored, stated, unrated])

    built = build(site)

    assert built.warnings == []
    high = severity_of(built, "security/advisories/GHSA-2026-0001-aaaa")
    assert " ".join(high.text_content().split()) == (
        "High 7.5, CVSS 3.1 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"
    )
    moderate = severity_of(built, "security/advisories/GHSA-2026-0002-bbbb")
    assert " ".join(moderate.text_content().split()) == (
        "Moderate GitHub's rating; no CVSS vector in any record"
    )
    assert moderate.xpath(".//abbr/@title") == ["Moderate (GitHub's rating)"]
    none = severity_of(built, "security/advisories/PYSEC-2026-3")
    assert none.text_content().count("Not rated") == 1
    assert "no CVSS vector or database rating in any record" in none.text_content()
    (title,) = none.xpath(".//abbr/@title")
    assert "no advisory database gives a rating" in title
    medium = built.article("security/severity/medium").text_content()
    assert "GHSA-2026-0002-bbbb" in medium
    index = built.article("security/advisories/index")
    assert len(index.xpath(".//abbr[@title]")) == 2  # the two without a score
    dates = index.xpath(".//td//span[contains(@class, 'crosswork-nowrap')]/text()")
    assert "2026-05-02" in dates


# --- Withdrawn advisories ------------------------------------------------------------


def test_a_withdrawn_advisory_is_marked_and_kept_out_of_counts(
    build: Build, site: Path
) -> None:
    live = osv("PYSEC-2026-2", "2026-04-01", severity=HIGH)
    gone = osv("PYSEC-2026-3", "2026-04-02", withdrawn="2026-04-20T00:00:00Z")
    write_source(site, SERVICES, [live, gone])

    built = build(site)

    assert built.warnings == []
    page = built.article("security/advisories/PYSEC-2026-3")
    banner = page.xpath(".//div[contains(@class, 'crosswork-withdrawn')]")
    assert "withdrawn on 2026-04-20" in banner[0].text_content()
    charter = built.article("workgroups/security").text_content()
    assert "1 advisory from this workgroup" in charter
    rows = built.article("workgroups/security").xpath(
        ".//table[contains(@class, 'crosswork-counts')]//tr"
    )
    cells = [c.text_content().strip() for c in rows[-1].xpath("./td")]
    assert cells == ["All years", "0", "1", "0", "0", "0", "0", "1"]
    index = built.article("security/advisories/index")
    badges = index.xpath(".//span[contains(@class, 'crosswork-badge-withdrawn')]")
    assert len(badges) == 1
    assert "PYSEC-2026-3" not in built.html("security/severity/high")
    assert not (built.out / "security/severity/not-rated.html").exists()
    feed = (built.out / "security/advisories.atom").read_text()
    assert "PYSEC-2026-3" not in feed


def test_listings_keep_ids_while_read_and_show_rows_when_written(
    build: Build, site: Path
) -> None:
    """Sphinx keeps every doctree read until it writes the page: the
    listings of a thousand advisories keep their ids, not their rows."""
    few, many = many_advisories(3), many_advisories(30)
    sizes = {}
    for advisories in (few, many):
        write_source(site, SERVICES, advisories)
        built = build(site, freshenv=True)
        listing = built.app.env.get_doctree("security/advisories/index")
        assert not list(listing.findall(nodes.row))
        page = built.app.env.get_doctree("security/advisories/PYSEC-2026-1")
        assert not list(page.findall(nodes.row))
        assert not list(page.findall(nodes.field))
        sizes[len(advisories)] = len(list(listing.findall()))
        rows = built.article("security/advisories/index").xpath(".//tbody/tr")
        assert len(rows) == len(advisories)
        facts = built.article("security/advisories/PYSEC-2026-1").xpath(
            ".//dl[contains(@class, 'crosswork-advisory-facts')]/dt"
        )
        names = [term.text_content() for term in facts]
        assert names[:2] == ["Identifiers:", "Severity:"]
    assert sizes[30] - sizes[3] <= 3 * (30 - 3), "a node or so per page linked"


def test_after_a_retitle_every_page_written_shows_the_new_title(
    build: Build, site: Path
) -> None:
    """Tables made when pages are written show the data of that build."""
    first = osv("PYSEC-2026-1", "2026-04-01", package="requests")
    other = osv("PYSEC-2026-2", "2026-04-02", package="urllib3")
    write_source(site, SERVICES, [first, other])
    build(site)
    retitled = dataclasses.replace(first, title="Problem, retitled")
    later = SNAPSHOT_TIME + dt.timedelta(days=1)
    write_source(site, SERVICES, [retitled, other], fetched_at=later)

    again = build(site)

    listings = [
        "security/advisories/index",
        "security/advisories/2026",
        "security/packages/requests",
        "security/severity/not-rated",
        "security/advisories/PYSEC-2026-1",
    ]
    for docname in listings:
        assert docname in again.read
        shown = again.article(docname).text_content()
        assert "Problem, retitled" in shown, docname
        assert "Problem PYSEC-2026-1" not in shown, docname


def test_an_advisory_gone_at_write_time_is_left_out_not_claimed(
    build: Build, site: Path
) -> None:
    """A placeholder naming an advisory the catalogue no longer holds
    makes nothing: no row, no facts, and no claim that it names no package."""
    write_source(site, SERVICES, [osv("PYSEC-2026-1", "2026-04-01")])
    env = build(site).app.env
    index = "security/advisories/index"

    (table,) = make_advisory_table(env, index, ("PYSEC-2026-1", "PYSEC-2026-9"))
    assert len(list(table.findall(nodes.row))) == 1 + 1, "the heading and one row"
    page = "security/advisories/PYSEC-2026-9"
    assert advisory_facts(env, page, "PYSEC-2026-9") == []
    assert affected_packages(env, page, "PYSEC-2026-9") == []
    assert affected_packages(env, page, "PYSEC-2026-1")


# --- Feed, export, charts ------------------------------------------------------------


def many_advisories(count: int) -> list[Advisory]:
    start = dt.date(2026, 5, 4)
    return [
        osv(
            f"PYSEC-2026-{n}",
            (start - dt.timedelta(days=n)).isoformat(),
            package=("requests", "urllib3", "pyyaml")[n % 3],
            **({"severity": HIGH} if n % 2 else {}),
        )
        for n in range(1, count + 1)
    ]


def test_the_feed_is_valid_atom_holding_the_entries_of_the_rule(
    build: Build, site: Path, tmp_path: Path
) -> None:
    advisories = many_advisories(14)
    write_source(site, SERVICES, advisories)
    twin = tmp_path / "twin"
    shutil.copytree(site, twin)

    first = build(site)
    second = build(twin)

    feed = (first.out / "security/advisories.atom").read_bytes()
    assert feed == (second.out / "security/advisories.atom").read_bytes()
    root = lxml.etree.fromstring(feed)
    atom = {"a": "http://www.w3.org/2005/Atom"}
    assert root.findtext("a:updated", namespaces=atom) == "2026-05-04T12:00:00+00:00"
    wanted = feed_entries(merge(advisories), updated=SNAPSHOT_TIME)
    assert [
        e.findtext("a:id", namespaces=atom) for e in root.iterfind("a:entry", atom)
    ] == [
        f"https://crosswork.example.org/security/advisories/{a.id}.html" for a in wanted
    ]
    index = first.html("security/advisories/index")
    assert 'href="../advisories.atom"' in index
    head = first.html(f"security/advisories/{wanted[0].id}").split("</head>")[0]
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'title="Security advisories (Atom)" href="../advisories.atom">'
    ) in head


def test_without_a_site_address_no_feed_is_written_or_announced(
    build: Build, site: Path
) -> None:
    write_source(site, SERVICES, many_advisories(2))
    built = build(site, confoverrides={"html_baseurl": ""})
    assert not (built.out / "security/advisories.atom").exists()
    index = built.html("security/advisories/index")
    assert "application/atom+xml" not in index
    assert "this build has no site address (CROSSWORK_SITE_URL)" in index
    assert (built.out / "api/advisories.json").is_file()


def test_the_charter_chart_is_a_published_svg_with_its_figures_as_alt_text(
    build: Build, site: Path
) -> None:
    write_source(site, SERVICES, many_advisories(3))

    built = build(site)

    images = built.article("workgroups/security").xpath(
        ".//img[contains(@class, 'crosswork-chart')]"
    )
    assert len(images) == 1
    alt = images[0].get("alt")
    assert alt.startswith("Security: advisories per year.")
    assert "2026: 3 advisories (High 2, Not rated 1)" in alt
    svg = built.out / "workgroups" / images[0].get("src")
    root = lxml.etree.fromstring(svg.read_bytes())
    assert root.findtext("{http://www.w3.org/2000/svg}title") == (
        "Security: advisories per year"
    )
    text = build(site, builder="text").out / "workgroups/security.txt"
    assert "Security: advisories per year. Advisories per year" in text.read_text()


def test_no_open_bugs_section_means_no_link_to_one(build: Build, site: Path) -> None:
    write_source(site, SERVICES, many_advisories(1))

    built = build(site)

    assert 'href="#open-bugs"' not in built.html("workgroups/security")


@pytest.mark.skipif(not parallel_available, reason="needs fork")
def test_a_parallel_build_equals_a_serial_build(
    build: Build,
    files_of: Callable[..., dict[str, bytes]],
    site: Path,
    tmp_path: Path,
) -> None:
    write_source(site, SERVICES, many_advisories(12))
    write_source(site, LIBRARIES, [hostile_advisory()])
    twin = tmp_path / "twin"
    shutil.copytree(site, twin)

    serial = build(site)
    parallel = build(twin, parallel=2)

    assert parallel.warnings == []

    wanted = ("security/", "workgroups/", "api/")
    assert files_of(parallel.out, wanted) == files_of(serial.out, wanted)


# --- Navigation ---------------------------------------------------------------------


def toctree_entries(text: str) -> list[str]:
    if ".. toctree::" not in text:
        return []
    lines = text.split(".. toctree::", 1)[1].splitlines()
    return [
        line.strip() for line in lines if line.startswith("   ") and ":" not in line
    ]


@pytest.mark.parametrize(
    ("key", "slug"),
    [
        ("glance-store", "glance-store"),
        ("<script>alert(1)</script>", "script-alert-1-script"),
        ("\u202e\U0001f600", ""),
        ("word " * 1000, ("word-" * 20).rstrip("-")),
        ("a" * 99 + "-b", "a" * 99),
    ],
)
def test_package_page_names_are_short_plain_slugs(key: str, slug: str) -> None:
    """An OSSA product is free text: a long one made a name no file can have."""
    assert package_slug(key) == slug
    assert len(package_slug(key)) <= MAX_SLUG


def test_no_toctree_lists_more_than_100_entries_with_1000_advisories() -> None:
    advisories = tuple(
        merge(
            osv(
                f"GHSA-{n:04d}-aaaa-bbbb",
                (dt.date(2026, 12, 31) - dt.timedelta(days=n // 4)).isoformat(),
                package=f"package-{n % 150}",
            )
            for n in range(1000)
        )
    )
    pages = security_section(
        Catalogue(advisories=advisories, workgroup_sources={"security": (SERVICES,)})
    )

    listed: list[str] = []
    for path, text in pages.items():
        entries = toctree_entries(text)
        assert len(entries) <= TOCTREE_LIMIT, path
        folder = Path(path).parent
        for entry in entries:
            assert f"{(folder / entry).as_posix()}.rst" in pages, (path, entry)
        listed += [(folder / entry).as_posix() for entry in entries]
    assert sorted(listed) == sorted(
        p.removesuffix(".rst") for p in pages if p != "index.rst"
    )
    assert "advisories/2026-part-1.rst" in pages
    assert "packages/part_1.rst" in pages
    assert sum(1 for p in pages if p.startswith("advisories/GHSA-")) == 1000


# --- Roles -------------------------------------------------------------------------


ROLES = """\
References
==========

By alias :advisory:`CVE-2026-0002`, with a title :advisory:`the leak <PYSEC-2026-4>`.

A CVE we know :cve:`CVE-2026-0002`, one we do not :cve:`CVE-2099-12345`.

Broken :advisory:`NOPE-2026-1` and :cve:`CVE-1`.
"""


def test_roles_link_advisories_by_any_id_and_warn_when_broken(
    build: Build, site: Path
) -> None:
    write_source(
        site, SERVICES, [osv("PYSEC-2026-4", "2026-05-01", aliases=["CVE-2026-0002"])]
    )
    (site / "references.rst").write_text(ROLES)
    index = site / "index.rst"
    index.write_text(index.read_text() + "   references\n")

    built = build(site)

    assert [w.replace(f"{site}/", "") for w in built.warnings] == [
        "references.rst:8: WARNING: no advisory 'NOPE-2026-1' (write an id or alias)"
        " [crosswork.advisory-ref]",
        "references.rst:8: WARNING: 'CVE-1' is not a CVE id (like CVE-2024-32498)"
        " [crosswork.advisory-ref]",
    ]
    links = built.article("references").xpath(".//a[not(@class='headerlink')]")
    hrefs = [(a.text_content(), a.get("href")) for a in links]
    assert hrefs == [
        ("CVE-2026-0002", "security/advisories/PYSEC-2026-4.html"),
        ("the leak", "security/advisories/PYSEC-2026-4.html"),
        ("CVE-2026-0002", "security/advisories/PYSEC-2026-4.html"),
        ("CVE-2099-12345", "https://www.cve.org/CVERecord?id=CVE-2099-12345"),
    ]


# --- Damaged data ---------------------------------------------------------------------


def test_a_damaged_snapshot_item_is_a_located_data_warning(
    build: Build, site: Path
) -> None:
    item = advisory_item(osv("PYSEC-2026-5", "2026-05-01"))
    del item["title"]
    item["published"] = "yesterday"
    write_source(site, SERVICES, [], items=[item])

    built = build(site)

    assert built.warnings == [
        "snapshot/security.advisories.services.json:1:1: WARNING: A302 items[0]: "
        "missing required key 'title' [crosswork.data]",
        "snapshot/security.advisories.services.json:1:1: WARNING: A308 "
        "items[0].published: 'yesterday' is not valid under any of the given "
        "schemas [crosswork.data]",
    ]
    assert not (built.out / "security/advisories/PYSEC-2026-5.html").exists()


def test_a_rebuild_keeps_the_catalogue_and_still_reports_its_damage(
    build: Build, site: Path
) -> None:
    write_source(site, SERVICES, [osv("PYSEC-2026-1", "2026-05-01")])
    damaged = advisory_item(osv("PYSEC-2026-5", "2026-05-01"))
    del damaged["title"]
    write_source(site, OSSA, [], items=[damaged])

    first = build(site)
    # Without it, any snapshot read again would be validated again.
    (Path(first.app.doctreedir) / VALIDATED_FILE).unlink()
    again = build(site)

    assert catalogue_of(again.app.env).validated == 0
    assert (
        catalogue_of(again.app.env).advisories == catalogue_of(first.app.env).advisories
    )
    assert first.warnings == again.warnings
    assert any("A302" in warning for warning in again.warnings)


def test_a_catalogue_made_again_for_new_code_is_kept_by_the_next_build(
    build: Build, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_source(site, SERVICES, [osv("PYSEC-2026-1", "2026-05-01")])
    doctrees = Path(build(site).app.doctreedir)
    # New code remakes the catalogue, yet changes no page Sphinx would read.
    monkeypatch.setattr(advisories_sphinxext, "code_digest", lambda: "new code")
    (doctrees / VALIDATED_FILE).unlink()
    renewed = build(site)
    (doctrees / VALIDATED_FILE).unlink()
    kept = build(site)

    assert [catalogue_of(b.app.env).validated for b in (renewed, kept)] == [1, 0]


def test_a_rebuild_does_not_validate_the_snapshot_again_until_it_changes(
    build: Build, site: Path
) -> None:
    write_source(site, SERVICES, [osv("PYSEC-2026-1", "2026-05-01")])
    first = build(site)
    again = build(site)
    write_source(site, SERVICES, [osv("PYSEC-2026-2", "2026-05-02")])
    changed = build(site)

    assert [catalogue_of(b.app.env).validated for b in (first, again, changed)] == [
        1,
        0,
        1,
    ]
    assert (Path(first.app.doctreedir) / VALIDATED_FILE).is_file()
    assert not list((site / "repo").rglob(VALIDATED_FILE))
    assert (changed.out / "security/advisories/PYSEC-2026-2.html").is_file()
