"""Where spec files live (L1xx): specs/<cycle>/<slug>.rst, one slug per spec."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from crosswork.specs.layout import SPECS_DIR, duplicate_slugs, place, spec_id
from crosswork.specs.lint import Check

from .conftest import lint_messages


def layout(path: str) -> list[str]:
    return lint_messages("=====\nTitle\n=====\n", {Check.LAYOUT}, path=path)


def test_a_spec_in_a_cycle_folder_has_an_id():
    assert place("specs/2027.1/bug-triage-squads.rst") == (
        "2027.1",
        "bug-triage-squads",
    )
    assert spec_id("specs/2027.1/bug-triage-squads.rst") == "2027.1/bug-triage-squads"
    assert spec_id("/srv/site/specs/2027.1/x.rst") == "2027.1/x"
    assert spec_id("specs/drafts/x.rst") is None
    assert spec_id("specs/x.rst") is None


@pytest.mark.parametrize(
    "path",
    [
        "specs/2027.1/x.rst",
        "specs/2027.1/a.b.rst",
        "specs/2027.1/.rst",
        "specs/2027.1/.hidden",
        "specs/2027.1/x.",
        "specs/2027.1/x..rst",
        "specs/2027.1/x",
        "specs/template.rst",
        "a/specs/2027.1/x.rst",
        "/specs/2027.1/x.rst",
        "./specs/2027.1/x.rst",
        "specs//2027.1/x.rst",
        "specs/./2027.1/x.rst",
        "specs/../2027.1/x.rst",
        "specs/2027.1/x.rst/",
        "specs\\2027.1\\x.rst",
        "x.rst",
        "",
        ".",
        "..",
        "/",
    ],
)
def test_a_place_is_read_as_the_path_reads(path):
    parts = PurePosixPath(path.replace("\\", "/")).parts
    folder = parts[-2] if len(parts) >= 3 and parts[-3] == SPECS_DIR else None
    assert place(path) == (folder, PurePosixPath(path).stem)


def test_a_well_placed_spec_passes():
    assert layout("specs/2027.1/bug-triage-squads.rst") == []


@pytest.mark.parametrize(
    "path",
    [
        "specs/bug-triage.rst",
        "doc/2027.1/bug-triage.rst",
        "specs/2027.1/old/bug-triage.rst",
        "specs/2027.1/bug-triage.txt",
    ],
)
def test_a_spec_elsewhere_is_reported(path):
    assert layout(path) == [f"{path}:1:1: L101 specs live at specs/<cycle>/<slug>.rst"]


def test_a_folder_that_is_not_a_cycle_is_reported():
    assert layout("specs/next/bug-triage.rst") == [
        'specs/next/bug-triage.rst:1:1: L102 folder "next" is not a cycle (like 2027.1)'
    ]


def test_a_file_name_that_is_not_a_slug_is_reported():
    assert layout("specs/2027.1/Bug_Triage.rst") == [
        'specs/2027.1/Bug_Triage.rst:1:1: L103 file name "Bug_Triage" is not a slug '
        "(lower-case words joined by hyphens)"
    ]


def test_a_slug_used_in_two_cycles_is_reported_for_each_selected_spec():
    paths = [
        "specs/2026.2/triage.rst",
        "specs/2027.1/triage.rst",
        "specs/2027.1/other.rst",
    ]
    found = duplicate_slugs(
        paths, ["specs/2027.1/triage.rst", "specs/2027.1/other.rst"]
    )
    assert [str(finding) for finding in found] == [
        'specs/2027.1/triage.rst:1:1: L104 slug "triage" is also used by '
        "specs/2026.2/triage.rst"
    ]
