"""Hostile upstream text stays inert: kept as text, never a link or markup.

A real record is given attacker-written summary, details and reference
URLs; the advisory keeps the text (after the documented clean-up), links
only https URLs to advisory hosts, and the feed and export carry the text
escaped.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from lxml import etree

from crosswork.kinds.advisories.export import advisory_record
from crosswork.kinds.advisories.feed import atom_feed
from crosswork.kinds.advisories.model import TEXT_LIMIT, TITLE_LIMIT
from crosswork.kinds.advisories.osv import normalize_osv

GHSA = "github-advisory-database/GHSA-j8r2-6x86-q33q_requests.json"

MARKUP = [
    "`x <javascript:alert(1)>`_",
    ".. raw:: html\n\n   <script>alert(1)</script>",
    ".. include:: /etc/passwd",
    "|sub| :ref:`x` **b** [#]_ `a`__",
    ".. _t: javascript:alert(1)",
    "<img src=x onerror=alert(1)>",
    "&lt;script&gt; {{ 7*7 }} ]]>",
    ":doc:`/index` :download:`x </etc/passwd>`",
]

BAD_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "https://evil.example/x",
    "http://github.com/psf/requests",
    "https://github.com@evil.example/",
    "https://github.com:8443/x",
]


def hostile(record, **fields):
    data = record(GHSA)
    data.update(fields)
    result, problems = normalize_osv(data, label="x")
    assert problems == []
    return result


@pytest.mark.parametrize("text", MARKUP)
def test_markup_in_summary_and_details_is_kept_as_text(record, text):
    result = hostile(record, summary=text, details=text)
    assert result.details == text
    assert result.title == " ".join(text.split())


def test_control_and_bidi_characters_are_removed(record):
    result = hostile(
        record,
        summary="safe\x00 title\u202e \r\nnext",
        details="line one\r\nline two\x07\u2066",
    )
    assert result.title == "safe title next"
    assert result.details == "line one\nline two"


def test_long_text_is_cut_with_an_ellipsis(record):
    result = hostile(record, summary="t" * 10_000, details="d" * (1 << 20))
    assert len(result.title) == TITLE_LIMIT and result.title.endswith("…")
    assert len(result.details) == TEXT_LIMIT and result.details.endswith("…")


def test_bad_reference_urls_become_text(record):
    references = [{"type": "WEB", "url": url} for url in BAD_URLS]
    references.append({"type": "WEB", "url": "https://github.com/psf/requests"})
    result = hostile(record, references=references)
    links = [(r.text, r.url) for r in result.references]
    assert links[-1] == (
        "https://github.com/psf/requests",
        "https://github.com/psf/requests",
    )
    assert all(url is None for _, url in links[:-1])
    # Clean-up strips the leading space, so two of the URLs become one text.
    assert len(links) == len(BAD_URLS)


def test_the_feed_carries_hostile_text_escaped(record):
    text = "<script>alert(1)</script> `x <javascript:alert(1)>`_ \x00\u202e"
    result = hostile(record, summary=text, details=text)
    feed = atom_feed(
        [result],
        site_url="https://example.org",
        updated=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    assert b"<script" not in feed
    root = etree.fromstring(feed)
    atom = "{http://www.w3.org/2005/Atom}"
    entry = root.find(f"{atom}entry")
    assert entry.findtext(f"{atom}title").startswith("GHSA-j8r2-6x86-q33q: <script>")
    assert "<script>alert(1)</script>" in entry.findtext(f"{atom}content")
    hrefs = [link.get("href") for link in root.iter(f"{atom}link")]
    assert all(href.startswith("https://example.org/") for href in hrefs)


def test_the_export_keeps_bad_urls_as_text_only(record):
    references = [{"type": "WEB", "url": url} for url in BAD_URLS]
    result = hostile(record, references=references, summary="<b>x</b>")
    exported = json.loads(json.dumps(advisory_record(result)))
    assert exported["title"] == "<b>x</b>"
    assert {r["url"] for r in exported["references"]} == {None}
    assert exported["references"][0] == {
        "type": "WEB",
        "text": "javascript:alert(1)",
        "url": None,
    }
