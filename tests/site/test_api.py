"""The site's api files and feeds: one envelope, one schema each, pages that exist.

Unit tests of :mod:`crosswork.site.api` first; then one build of this
repository's own site (its charters, specs and committed snapshot, which
hold every data kind) with a site address, in a private copy: every api
file is there and valid against its schema, every record's page is a
built page (and its anchor an id on it), every feed parses and links
itself and its page, and every page that announces a feed names one that
was written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from lxml import etree
from lxml import html as lxml_html

import crosswork
from apischemas import SCHEMAS, schema_problems
from crosswork.site.api import ENVELOPE_KEYS, api_bytes, envelope

EXT = Path(crosswork.__file__).resolve().parents[1]
REPO = EXT.parent
SITE = "https://crosswork.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"
NAMES = (
    "adoption",
    "advisories",
    "bugs",
    "ci",
    "matrices",
    "specs",
    "status",
    "workgroups",
)


# --- The envelope ----------------------------------------------------------------


def test_the_envelope_leads_with_version_data_time_and_day():
    moment = dt.datetime(2026, 5, 4, 23, 30, tzinfo=dt.timezone(-dt.timedelta(hours=2)))
    document = envelope(3, moment, {"things": []})
    assert list(document) == [*ENVELOPE_KEYS, "things"]
    assert document["generated"] == "2026-05-05T01:30:00Z"
    assert document["snapshot"] == "2026-05-05"  # the UTC day


def test_before_any_fetch_the_data_time_is_null_not_invented():
    assert envelope(1, None, {}) == {
        "schema_version": 1,
        "generated": None,
        "snapshot": None,
    }


def test_the_same_document_gives_the_same_bytes():
    document = envelope(1, None, {"text": "é"})
    assert api_bytes(document) == api_bytes(dict(document))
    assert api_bytes(document).endswith(b"}\n")
    assert "é".encode() in api_bytes(document)


def test_every_api_file_has_a_schema():
    assert sorted(SCHEMAS) == sorted(NAMES)


# --- The built site --------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository's site, built once from a copy with a site address."""
    root = tmp_path_factory.mktemp("repo")
    for folder in ("doc", "workgroups", "specs", "snapshot"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "conf.py", root)
    out = root / "out"
    environ = {
        **os.environ,
        "PYTHONPATH": str(EXT),
        "CROSSWORK_SITE_URL": f"{SITE}/",
    }
    environ.pop("CROSSWORK_LIVE", None)
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-c", str(root)]
    command += ["-d", str(root / "doctrees"), str(root / "doc/source"), str(out)]
    result = subprocess.run(
        command, env=environ, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return out


def api_file(site: Path, name: str) -> dict[str, Any]:
    return json.loads((site / "api" / f"{name}.json").read_text())


def pages_in(value: Any) -> Iterator[str]:
    """Every ``page`` of a document, at any depth."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "page" and isinstance(item, str):
                yield item
            else:
                yield from pages_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from pages_in(item)


def ids_of(page: Path) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', page.read_text()))


def built_file(site: Path, url: str) -> Path:
    """The file a site URL stands for; fails for an address off the site."""
    assert url.startswith(f"{SITE}/"), url
    return site / urlsplit(url).path.lstrip("/")


def announced(page: Path) -> list[str]:
    return lxml_html.parse(str(page)).xpath(
        '//head/link[@rel="alternate"][@type="application/atom+xml"]/@href'
    )


def test_every_file_is_written_with_the_same_envelope(site):
    assert sorted(p.stem for p in (site / "api").glob("*.json")) == sorted(NAMES)
    status = json.loads((REPO / "snapshot/status.json").read_text())
    for name in NAMES:
        document = api_file(site, name)
        assert list(document)[:3] == list(ENVELOPE_KEYS), name
        assert document["generated"] == status["updated_at"], name


@pytest.mark.parametrize("name", NAMES)
def test_each_file_matches_its_schema(site, name):
    assert schema_problems(name, api_file(site, name)) == []


@pytest.mark.parametrize("name", NAMES)
def test_every_record_names_a_built_page(site, name):
    document = api_file(site, name)
    records = next(value for key, value in document.items() if isinstance(value, list))
    assert records, f"api/{name}.json holds no record"
    assert all("page" in record for record in records)
    for url in set(pages_in(document)):
        page = built_file(site, url)
        assert page.is_file(), url
        anchor = urlsplit(url).fragment
        assert not anchor or anchor in ids_of(page), url


def test_every_feed_parses_and_links_itself_and_its_page(site):
    feeds = sorted(site.rglob("*.atom"))
    folders = {feed.relative_to(site).parent.as_posix() for feed in feeds}
    assert {"security", "security/packages", "matrices", "specs"} <= folders
    for feed in feeds:
        root = etree.parse(str(feed)).getroot()
        assert root.tag == f"{ATOM}feed", feed
        links = {
            link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")
        }
        assert built_file(site, links["self"]) == feed
        page = built_file(site, links["alternate"])
        hrefs = [urljoin(links["alternate"], href) for href in announced(page)]
        assert links["self"] in hrefs, feed
        for entry in root.findall(f"{ATOM}entry"):
            assert built_file(site, entry.find(f"{ATOM}link").get("href")).is_file()


def test_every_announced_feed_was_written(site):
    count = 0
    for page in site.rglob("*.html"):
        address = f"{SITE}/{page.relative_to(site).as_posix()}"
        for href in announced(page):
            count += 1
            assert built_file(site, urljoin(address, href)).is_file(), (page, href)
    assert count


def test_package_and_advisory_pages_announce_the_package_feeds(site):
    advisory = api_file(site, "advisories")["advisories"][0]
    slugs = [
        re.sub(r"[^a-z0-9]+", "-", package["key"].lower()).strip("-")
        for package in advisory["affected"]
    ]
    assert slugs
    page = built_file(site, advisory["page"])
    assert announced(page) == [
        "../advisories.atom",
        *(f"../packages/{slug}.atom" for slug in dict.fromkeys(slugs)),
    ]
    package_page = site / f"security/packages/{slugs[0]}.html"
    assert announced(package_page) == ["../advisories.atom", f"{slugs[0]}.atom"]
    assert announced(site / "security/packages/index.html") == ["../advisories.atom"]
