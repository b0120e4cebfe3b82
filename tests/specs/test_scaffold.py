"""``crosswork new-spec``: a draft copied from the real template, lint clean."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from crosswork.diagnostics import Severity
from crosswork.specs.lint import lint_specs
from crosswork.specs.scaffold import fill_template, new_spec, slugify

from .conftest import REPO, WORKGROUPS

DAY = date(2026, 11, 27)


@pytest.fixture
def site(tmp_path):
    (tmp_path / "specs").mkdir()
    shutil.copy(REPO / "specs" / "template.rst", tmp_path / "specs" / "template.rst")
    return tmp_path


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Adopt one configuration library", "adopt-one-configuration-library"),
        ("  KVM/Xen: close the gaps!  ", "kvm-xen-close-the-gaps"),
        ("Café crème for TLS 1.3", "cafe-creme-for-tls-1-3"),
    ],
)
def test_titles_become_slugs(title, slug):
    assert slugify(title) == slug


def test_a_new_spec_is_a_draft_with_the_fields_filled_in(site):
    path = new_spec(
        site,
        "Bug triage squads",
        "quality",
        "2027.1",
        DAY,
        "Chiara Mbeki <cm@example.org>",
    )
    assert path == site / "specs" / "2027.1" / "bug-triage-squads.rst"
    assert path.read_text(encoding="utf-8").splitlines()[:9] == [
        "=================",
        "Bug triage squads",
        "=================",
        "",
        ":Status: draft",
        ":Workgroup: quality",
        ":Authors: Chiara Mbeki <cm@example.org>",
        ":Created: 2026-11-27",
        ":Cycle: 2027.1",
    ]


def test_a_new_spec_reports_each_guidance_paragraph_it_still_has(site, template):
    path = new_spec(site, "Bug triage squads", "quality", "2027.1", DAY, "Chiara M")
    _, found = lint_specs(site, None, template, workgroups=WORKGROUPS, today=DAY)
    assert {(finding.code, finding.severity) for finding in found} == {
        ("S109", Severity.ERROR)
    }
    assert len(found) == len(template.guidance)
    lines = path.read_text(encoding="utf-8").splitlines()
    for finding in found:
        assert finding.column == 1
        assert lines[finding.line - 2 : finding.line - 1] == [""]
        assert lines[finding.line - 1].split()[0] in finding.message
    assert str(found[0]) == (
        "specs/2027.1/bug-triage-squads.rst:34:1: S109 the template's guidance is "
        'still here ("One paragraph, in words an operator..."): replace it with '
        "what this spec has to say"
    )


def test_a_new_spec_with_its_guidance_written_over_lints_clean(site, template):
    path = new_spec(site, "Bug triage squads", "quality", "2027.1", DAY, "Chiara M")
    _, found = lint_specs(site, None, template, workgroups=WORKGROUPS, today=DAY)
    path.write_text(
        write_over(path.read_text(encoding="utf-8"), [f.line for f in found]),
        encoding="utf-8",
    )
    specs, found = lint_specs(site, None, template, workgroups=WORKGROUPS, today=DAY)
    assert [str(finding) for finding in found] == []
    assert [(spec.id, spec.status, spec.created) for spec in specs] == [
        ("2027.1/bug-triage-squads", "draft", DAY)
    ]


def write_over(text: str, starts: list[int]) -> str:
    """``text`` with each paragraph starting at one of the 1-based lines
    ``starts`` replaced by a sentence of the authors' own."""
    lines = text.split("\n")
    for start in sorted(starts, reverse=True):
        end = start - 1
        while lines[end].strip():
            end += 1
        lines[start - 1 : end] = [f"What the authors wrote at line {start}."]
    return "\n".join(lines)


def test_the_rest_of_the_template_is_copied_unchanged(site):
    path = new_spec(site, "Bug triage squads", "quality", "2027.1", DAY, "Chiara Mbeki")
    template = (site / "specs" / "template.rst").read_text(encoding="utf-8")
    assert (
        path.read_text(encoding="utf-8").splitlines()[9:] == template.splitlines()[9:]
    )


def test_an_existing_spec_is_never_overwritten(site):
    new_spec(site, "Bug triage squads", "quality", "2027.1", DAY, "Chiara Mbeki")
    path = site / "specs" / "2027.1" / "bug-triage-squads.rst"
    path.write_text("edited\n", encoding="utf-8")
    with pytest.raises(FileExistsError, match="bug-triage-squads"):
        new_spec(site, "Bug triage squads", "quality", "2027.1", DAY, "Chiara Mbeki")
    assert path.read_text(encoding="utf-8") == "edited\n"


def test_a_slug_taken_in_another_cycle_is_refused(site):
    new_spec(site, "Bug triage squads", "quality", "2026.2", DAY, "Chiara Mbeki")
    with pytest.raises(FileExistsError, match=r"2026\.2"):
        new_spec(site, "Bug Triage Squads", "quality", "2027.1", DAY, "Chiara Mbeki")


@pytest.mark.parametrize(
    ("title", "cycle", "author", "message"),
    [
        ("!!!", "2027.1", "Chiara Mbeki", "gives no slug"),
        ("x" * 80, "2027.1", "Chiara Mbeki", "longer than 79"),
        ("Triage", "2027.3", "Chiara Mbeki", "not a cycle"),
        ("Triage", "2027.1", "cm@example.org", "is not"),
        ("Triage", "2027.1", "  ", "is not"),
    ],
)
def test_arguments_that_would_not_lint_are_refused(site, title, cycle, author, message):
    with pytest.raises(ValueError, match=message):
        new_spec(site, title, "quality", cycle, DAY, author)
    assert not list((site / "specs").glob("*/*.rst"))


def test_a_title_underlined_only_gets_an_overline_too():
    template = "Old\n===\n\n:Status: <status>\n:Cycle: <cycle>\n\nText.\n"
    assert fill_template(template, "New title", {"Status": "draft"}) == (
        "=========\nNew title\n=========\n\n:Status: draft\n\nText.\n"
    )
