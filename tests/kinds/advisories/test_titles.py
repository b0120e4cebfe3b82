"""Titles built from details name the flaw, not the package.

The rule is checked sentence by sentence, then on every real PYSEC record
of the corpus that has no summary (skipped without the corpus).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crosswork.kinds.advisories.titles import (
    TITLE_LENGTH,
    flaw_sentence,
    flaw_title,
    is_blurb,
    is_boilerplate,
    sentences,
    shorten,
)


def test_sentences_leave_out_markdown_headings_and_join_lines() -> None:
    details = "### Impact\nOne two\nthree. Four?  Five!\n\n## Patches\nSix."
    assert sentences(details) == ["One two three.", "Four?", "Five!", "Six."]


@pytest.mark.parametrize(
    "sentence",
    [
        "urllib3 is a user-friendly HTTP client library for Python.",
        "Requests is a HTTP library.",
        "The oslo.utils library is the home of common utilities.",
    ],
)
def test_a_sentence_about_the_package_is_a_blurb(sentence: str) -> None:
    assert is_blurb(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "python-oslo-middleware before 3.8.1 is vulnerable to a disclosure.",
        "Keystone is a service that leaks tokens to any user.",
        "Since Requests 2.3.0, Requests has been leaking headers.",
    ],
)
def test_a_sentence_naming_a_flaw_is_no_blurb(sentence: str) -> None:
    assert not is_blurb(sentence)


def test_boilerplate_is_an_opener_that_names_nothing_else() -> None:
    assert is_boilerplate("A flaw was found in python-oslo-utils.")
    assert is_boilerplate(
        "An issue was discovered in OpenStack Keystone before 15.0.1."
    )
    assert not is_boilerplate(
        "A vulnerability was discovered in PyYAML, where it is susceptible "
        "to arbitrary code execution."
    )
    assert not is_boilerplate("An insecure-credentials flaw was found in cinder.")


def test_the_first_near_sentence_with_a_flaw_word_wins() -> None:
    details = (
        "Requests is a HTTP library. Since 2.3.0 it has been leaking headers. "
        "This allows an attacker to read them."
    )
    assert flaw_sentence(details) == "Since 2.3.0 it has been leaking headers."


def test_a_late_flaw_word_does_not_beat_the_sentence_that_says_what_happens() -> None:
    details = (
        "urllib3 is a library. urllib3 kept the body on a 303. "
        "It is not in the spec. Because the vulnerability needs a bad server..."
    )
    assert flaw_sentence(details) == "urllib3 kept the body on a 303."


def test_without_anything_better_the_first_sentence_is_used() -> None:
    assert flaw_sentence("Requests is a HTTP library.") == "Requests is a HTTP library."
    assert flaw_sentence("") == ""


def test_the_package_leads_unless_the_sentence_names_it() -> None:
    assert flaw_title("A token is leaked in logs.", ["oslo.utils"]) == (
        "oslo.utils: A token is leaked in logs"
    )
    assert flaw_title("python-oslo-utils leaks a token.", ["oslo-utils"]) == (
        "python-oslo-utils leaks a token"
    )


def test_titles_are_cut_at_a_word_boundary_and_lose_code_marks() -> None:
    details = "The `rebuild_proxies` call leaks " + "credentials " * 30 + "."
    title = flaw_title(details, ["requests"])
    assert len(title) <= TITLE_LENGTH and title.endswith("…")
    assert "`" not in title
    assert title[:-1].endswith("credentials")
    assert shorten("word " * 3, 9) == "word…"
    assert shorten("short", 9) == "short"


#: Every corpus PYSEC record without a summary, and the title it gets.
CORPUS_TITLES = {
    "requests__PYSEC-2023-74.json": (
        "Since Requests 2.3.0, Requests has been leaking Proxy-Authorization "
        "headers to destination servers when redirected to…"
    ),
    "urllib3__PYSEC-2023-212.json": (
        "urllib3 previously wouldn't remove the HTTP request body when an HTTP "
        "redirect response using status 301, 302, or 303…"
    ),
    "oslo-utils__PYSEC-2022-258.json": (
        'oslo-utils: Due to improper parsing, passwords with a double quote ( " ) '
        "in them cause incorrect masking in debug logs…"
    ),
    "keystone__PYSEC-2020-54.json": (
        "keystone: The list of roles provided for an OAuth1 access token is "
        "silently ignored"
    ),
    "horizon__PYSEC-2020-45.json": (
        'There is a lack of validation of the "next" parameter, which would '
        "allow someone to supply a malicious URL in Horizon…"
    ),
    "python-keystoneclient__PYSEC-2019-197.json": (
        "python-keystoneclient version 0.2.3 to 0.2.5 has middleware memcache "
        "encryption bypass"
    ),
}


JSON_RECORDS = "pypa-advisory-database-as-json"


def test_real_records_get_titles_that_name_the_flaw(record: Any) -> None:
    for name, title in CORPUS_TITLES.items():
        data = record(f"{JSON_RECORDS}/{name}")
        assert "summary" not in data
        packages = [item["package"]["name"] for item in data["affected"]]
        assert flaw_title(data["details"], packages) == title, name


def test_no_real_record_gets_a_package_blurb_as_title(osv_dir: Path) -> None:
    for path in sorted((osv_dir / JSON_RECORDS).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        packages = [item["package"]["name"] for item in data["affected"]]
        title = flaw_title(data["details"], packages)
        assert title and not is_blurb(title + "."), path.name
        assert not is_boilerplate(title.split(": ", 1)[-1] + "."), path.name
