"""Reading requirements files: every awkward line read or reported, located."""

from __future__ import annotations

import pytest
from packaging.version import Version

from crosswork.diagnostics import CODES, Severity
from crosswork.kinds.adoption.requirements import (
    allows,
    minimum,
    normalize,
    parse_requirements,
    without_comment,
)

SAMPLE = """\
# A comment line, then a blank one

oslo.config>=6.4.0 # Apache-2.0
Oslo_Log>=4.3.0,!=4.4.1  #license: Apache
oslo.service[threading]>=4.2.0
pyroute2>=0.7.3;sys_platform!='win32' # Apache-2.0
xattr ; sys_platform != 'win32'
-r other-requirements.txt
-c https://example.org/upper-constraints.txt
--index-url https://example.org/simple
requests==2.32.4 \\
    --hash=sha256:aaaa \\
    --hash=sha256:bbbb
pkg @ https://example.org/pkg-1.0.tar.gz
https://example.org/archive.zip#egg=archived
-e git+https://example.org/repo.git#egg=edited
-e .
https://example.org/nameless.tar.gz
this is not a requirement >= 1
oslo.db>=
"""


def by_name(text: str = SAMPLE):
    parsed = parse_requirements("sample.txt", text.encode())
    return parsed, {entry.name: entry for entry in parsed.entries}


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("oslo.config>=1.0  # why", "oslo.config>=1.0"),
        ("# only a comment", ""),
        ("x @ https://example.org/a.zip#egg=x", "x @ https://example.org/a.zip#egg=x"),
        ("oslo.config>=1.0\t#\ttabbed", "oslo.config>=1.0"),
        ("a#b #c", "a#b"),
    ],
)
def test_comments_start_at_a_hash_after_white_space(line: str, kept: str) -> None:
    assert without_comment(line) == kept


def test_a_line_of_white_space_is_read_in_linear_time() -> None:
    """The comment pattern rescanned the run from each of its characters."""
    read = parse_requirements("r.txt", "oslo.config" + " " * 500_000 + "b\n")
    assert [p.code for p in read.problems] == ["D102"]


def test_names_are_normalized_and_specifiers_kept() -> None:
    _, entries = by_name()
    assert entries["oslo-config"].specifier == ">=6.4.0"
    assert entries["oslo-config"].written == "oslo.config"
    assert entries["oslo-config"].line == 3
    assert entries["oslo-log"].written == "Oslo_Log"
    assert set(entries["oslo-log"].specifier.split(",")) == {">=4.3.0", "!=4.4.1"}
    assert normalize("Oslo_Log") == normalize("oslo.log") == "oslo-log"


def test_extras_and_markers() -> None:
    _, entries = by_name()
    assert entries["oslo-service"].extras == ("threading",)
    assert entries["oslo-service"].text == "[threading]>=4.2.0"
    assert entries["pyroute2"].marker == 'sys_platform != "win32"'
    assert entries["pyroute2"].text == '>=0.7.3; sys_platform != "win32"'
    assert entries["xattr"].specifier == ""
    assert entries["xattr"].text == 'any version; sys_platform != "win32"'


def test_includes_and_options_are_recorded_not_followed() -> None:
    parsed, _ = by_name()
    assert [(o.kind, o.value, o.line) for o in parsed.includes] == [
        ("requirement", "other-requirements.txt", 8),
        ("constraint", "https://example.org/upper-constraints.txt", 9),
    ]
    kinds = {(o.kind, o.value) for o in parsed.options}
    assert ("--index-url", "https://example.org/simple") in kinds
    assert ("editable", ".") in kinds


def test_continuations_and_hashes() -> None:
    _, entries = by_name()
    assert entries["requests"].specifier == "==2.32.4"
    assert entries["requests"].line == 11
    assert entries["requests"].hashes == ("sha256:aaaa", "sha256:bbbb")


def test_urls_and_editables() -> None:
    _, entries = by_name()
    assert entries["pkg"].url == "https://example.org/pkg-1.0.tar.gz"
    assert entries["archived"].url.endswith("#egg=archived")
    assert entries["edited"].editable
    assert entries["edited"].url.startswith("git+https://")


def test_unreadable_lines_are_located_warnings() -> None:
    parsed, entries = by_name()
    found = [(p.line, p.code, p.severity) for p in parsed.problems]
    assert found == [
        (18, "D103", Severity.WARNING),
        (19, "D102", Severity.WARNING),
        (20, "D102", Severity.WARNING),
    ]
    assert str(parsed.problems[0]).startswith("sample.txt:18:1: D103 ")
    assert "oslo-db" not in entries
    assert all(p.code in CODES for p in parsed.problems)
    # 20 lines: 2 comment or blank, 3 joined into 1; each of the 16 logical
    # lines is an entry, an option or a problem.
    assert len(parsed.entries) + len(parsed.options) + len(parsed.problems) == 16


def test_bytes_that_are_not_utf8_are_one_located_error() -> None:
    parsed = parse_requirements("bad.txt", b"oslo.config>=1\nna\xefve>=2\n")
    assert parsed.entries == ()
    assert [(p.line, p.code) for p in parsed.problems] == [(2, "D101")]


def test_hostile_text_is_kept_as_text_without_control_characters() -> None:
    parsed = parse_requirements("h.txt", "evil\u202e<script>>=1\nok>=1 # <b>\u0007\n")
    assert [e.name for e in parsed.entries] == ["ok"]
    assert "\u202e" not in parsed.problems[0].message


def test_a_final_backslash_is_reported() -> None:
    parsed = parse_requirements("c.txt", "oslo.config>=1 \\")
    assert [e.name for e in parsed.entries] == ["oslo-config"]
    assert [p.code for p in parsed.problems] == ["D105"]


def test_minimum_and_allows() -> None:
    assert minimum(">=6.4.0") == Version("6.4.0")
    assert minimum(">=1.0,>=2.0,<3") == Version("2.0")
    assert minimum("~=1.4") == Version("1.4")
    assert minimum("==1.2.*") == Version("1.2")
    assert minimum("===10.7.0") == Version("10.7.0")
    assert minimum("!=4.3.0,!=4.4.0") is None
    assert minimum("") is None
    assert allows(">=6.4.0", Version("10.7.0"))
    assert not allows(">=6.4.0,<10", Version("10.7.0"))


def test_the_real_files_read_without_a_problem(services) -> None:
    for requirements in services.values():
        assert requirements.problems == ()
        assert requirements.entries


def test_options_without_their_value_are_reported() -> None:
    parsed = parse_requirements("o.txt", "-r\n--hash=sha256:abc\n-f ./wheels\n")
    assert [(p.line, p.code) for p in parsed.problems] == [(1, "D104"), (2, "D102")]
    assert [(o.kind, o.value) for o in parsed.options] == [("-f", "./wheels")]
