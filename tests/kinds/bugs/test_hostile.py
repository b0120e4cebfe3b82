"""Hostile bug titles, served by the fake upstream, render as literal text.

The list follows S-2 of the security notes: reStructuredText roles,
targets and directives, HTML and script, template syntax, control and
bidirectional characters, line breaks, a 1 MiB title, ``javascript:``
links in several disguises, and quotes, dashes and dots that Sphinx's smart
quotes would rewrite. Pages are parsed with lxml.
"""

from __future__ import annotations

import lxml.html
import pytest

from crosswork.testing.upstream import FakeUpstream, Recordings
from crosswork.textclean import UNSAFE

from .conftest import SERVICES, Build, Fetch, with_titles

HOSTILE = [
    "`x <javascript:alert(1)>`_",
    ".. raw:: html\n\n   <script>alert(1)</script>",
    ".. include:: /etc/passwd",
    "|sub|",
    ":ref:`x`",
    "**b**",
    "[#]_",
    "`a`__",
    ".. _t: javascript:alert(1)",
    "=" * 40,
    "<img src=x onerror=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "{{ 7*7 }}",
    "]]>",
    "nul \x00 byte",
    "right-to-left \u202egnp.exe",
    "two lines\r\n   indented",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "x" * (1024 * 1024),
    "nova-manage --force \"cell1\" -- 'it's' ... <!-- c -->",
]


def documented(title: str) -> str:
    """The documented normalisation: the characters of the one policy
    (controls, bidi, zero-width) removed, whitespace runs one space, capped
    at 300 characters with the ellipsis."""
    title = " ".join(UNSAFE.sub("", title).split())
    if len(title) > 300:
        title = title[:299].rstrip() + "…"
    return title


@pytest.fixture
def hostile(recordings: Recordings) -> Recordings:
    """Room for every title: 8 GitHub issues and 18 sahara bugs."""
    return with_titles(recordings.with_launchpad_tasks("sahara", 10), HOSTILE)


def test_hostile_titles_render_as_literal_text(
    hostile: Recordings, fetch: Fetch, build: Build
):
    with FakeUpstream(hostile, services=SERVICES) as fake:
        report = fetch(fake)
    assert {o.status.state for o in report.outcomes} == {"fresh"}

    built = build()

    assert built.app.statuscode == 0
    assert built.warnings == ""
    shown: list[str] = []
    for docname in ("github", "launchpad", "triage", "workgroups/quality"):
        page = lxml.html.fromstring(built.page(docname))
        assert_inert(page)
        shown += [
            cell.text_content()
            for cell in page.xpath(
                '//table[contains(@class, "crosswork-bugs")]/tbody/tr/td[2]'
            )
        ]
    for title in HOSTILE:
        assert documented(title) in shown, title[:40]
    assert "x" * 299 + "…" in shown


def assert_inert(page: lxml.html.HtmlElement) -> None:
    """Nothing from the payload became markup: no script, handler or link."""
    for script in page.xpath("//script"):
        assert "alert" not in (script.text or "") + (script.get("src") or "")
    for element in page.iter():
        for name, value in element.attrib.items():
            assert not (name.startswith("on") and "alert" in value)
    for link in page.xpath("//a[@href]"):
        href = link.get("href").lower()
        assert not any(bad in href for bad in ("script:", "data:", "alert", "/etc"))
    assert page.xpath('//img[@src="x"]') == []
    assert page.xpath('//*[contains(@class, "system-message")]') == []
