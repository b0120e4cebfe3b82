"""The linter as a whole: one file with every family, and whole trees."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crosswork.specs import lint as lint_module
from crosswork.specs.lint import CONTENT_CHECKS, lint_spec, lint_specs
from crosswork.specs.model import GapTarget
from crosswork.specs.template import Template

from .conftest import REPO, TODAY, WORKGROUPS


def test_every_finding_of_every_family_is_reported_at_once_in_order(
    template, make_spec
):
    text = make_spec(Status="ready").replace(
        "Each service loads its generated sample file in a unit test.",
        "Each service loads its\u200b sample file.\n\n.. raw:: html\n\n   <b>x</b>",
    )
    text = text.replace("Testing\n=======", "Tests\n=====")
    text = text.replace(
        "Port each service.", "Port each service. " + "word " * 14 + "end."
    )
    spec, found = lint_spec(
        "specs/2027.1/Mixed.rst", text, template, workgroups=WORKGROUPS, today=TODAY
    )
    path = "specs/2027.1/Mixed.rst"
    assert spec is None
    assert [str(finding) for finding in found] == [
        f'{path}:1:1: L103 file name "Mixed" is not a slug (lower-case words joined by '
        "hyphens)",
        f'{path}:2:1: S102 missing section "Testing"',
        f'{path}:5:10: M106 unknown status "ready" (one of: draft, proposed, approved, '
        "implemented, deferred, rejected, withdrawn, superseded)",
        f"{path}:71:80: T101 line is 93 characters long (at most 79)",
        f'{path}:78:1: S103 section "Tests" is not in the template',
        f"{path}:81:23: T105 invisible character U+200B ZERO WIDTH SPACE",
        f"{path}:83:1: F101 raw directive is not allowed",
    ]


def test_content_checks_leave_out_metadata_and_layout(template, make_spec):
    text = make_spec(Status="ready", Workgroup="nobody")
    spec, found = lint_spec(
        "elsewhere/Spec.rst",
        text,
        template,
        workgroups=set(),
        today=TODAY,
        checks=CONTENT_CHECKS,
    )
    assert (spec, found) == (None, [])


def write(root: Path, path: str, text: str) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


@pytest.fixture
def tree(tmp_path, make_spec):
    """A site with a superseded spec and its successor, both valid."""
    write(
        tmp_path,
        "specs/2026.2/weekly-rotation.rst",
        make_spec(
            Status="superseded",
            Cycle="2026.2",
            Created="2026-02-10",
            Superseded_By="2027.1/triage-squads",
        ),
    )
    write(
        tmp_path,
        "specs/2027.1/triage-squads.rst",
        make_spec(Status="proposed", Review=None, Supersedes="2026.2/weekly-rotation"),
    )
    return tmp_path


def lint_tree(template: Template, root: Path, paths=None, workgroups=WORKGROUPS):
    specs, found = lint_specs(root, paths, template, workgroups=workgroups, today=TODAY)
    return [spec.id for spec in specs], [str(finding) for finding in found]


def test_a_consistent_tree_lints_clean_with_paths_relative_to_the_root(template, tree):
    assert lint_tree(template, tree) == (
        ["2026.2/weekly-rotation", "2027.1/triage-squads"],
        [],
    )


def test_a_successor_that_does_not_confirm_is_reported_at_the_claim(
    template, tree, make_spec
):
    write(
        tree,
        "specs/2027.1/triage-squads.rst",
        make_spec(Status="proposed", Review=None),
    )
    assert lint_tree(template, tree)[1] == [
        "specs/2026.2/weekly-rotation.rst:11:17: M114 Superseded-By "
        '"2027.1/triage-squads", but that spec does not list this one in Supersedes'
    ]


def test_a_spec_without_metadata_does_not_stop_the_claims_of_the_next_ones(
    template, tree, make_spec
):
    write(
        tree,
        "specs/2026.1/unreadable.rst",
        make_spec().replace("\n\n:Status:", "\n\nIntro first.\n\n:Status:", 1),
    )
    write(
        tree,
        "specs/2027.1/triage-squads.rst",
        make_spec(Status="proposed", Review=None),
    )
    assert lint_tree(template, tree)[1] == [
        "specs/2026.1/unreadable.rst:2:1: M101 the metadata field list must come "
        "right after the title",
        "specs/2026.2/weekly-rotation.rst:11:17: M114 Superseded-By "
        '"2027.1/triage-squads", but that spec does not list this one in Supersedes',
    ]


def test_a_predecessor_that_does_not_confirm_is_reported_at_the_claim(
    template, tree, make_spec
):
    write(
        tree,
        "specs/2026.2/weekly-rotation.rst",
        make_spec(Status="implemented", Cycle="2026.2", Implemented_In="2026.2"),
    )
    assert lint_tree(template, tree)[1] == [
        "specs/2027.1/triage-squads.rst:10:14: M114 Supersedes "
        '"2026.2/weekly-rotation", but that spec has no Superseded-By'
    ]


def test_a_predecessor_naming_another_successor_is_quoted(template, tree, make_spec):
    write(
        tree, "specs/2027.1/rival.rst", make_spec(Supersedes="2026.2/weekly-rotation")
    )
    assert lint_tree(template, tree)[1] == [
        'specs/2027.1/rival.rst:11:14: M114 Supersedes "2026.2/weekly-rotation", but '
        'that spec says Superseded-By "2027.1/triage-squads"'
    ]


def test_naming_a_spec_that_does_not_exist_is_reported(template, tree, make_spec):
    write(
        tree,
        "specs/2027.1/triage-squads.rst",
        make_spec(
            Status="proposed",
            Review=None,
            Supersedes="2026.2/weekly-rotation, 2026.1/never-written",
        ),
    )
    assert lint_tree(template, tree)[1] == [
        "specs/2027.1/triage-squads.rst:10:14: M113 Supersedes names "
        '"2026.1/never-written", which does not exist'
    ]


def test_linting_one_spec_still_reports_the_other_side_of_its_pairs(
    template, tree, make_spec
):
    write(
        tree,
        "specs/2027.1/triage-squads.rst",
        make_spec(Status="proposed", Review=None),
    )
    write(tree, "specs/2027.1/unrelated.rst", make_spec())
    changed = [Path("specs/2027.1/triage-squads.rst")]
    assert lint_tree(template, tree, changed) == (
        ["2027.1/triage-squads"],
        [
            "specs/2026.2/weekly-rotation.rst:11:17: M114 Superseded-By "
            '"2027.1/triage-squads", but that spec does not list this one in Supersedes'
        ],
    )
    assert lint_tree(template, tree, [Path("specs/2027.1/unrelated.rst")]) == (
        ["2027.1/unrelated"],
        [],
    )


def test_workgroups_come_from_the_caller(template, tree):
    ids, found = lint_tree(template, tree, workgroups=set())
    assert ids == []
    assert found == [
        "specs/2026.2/weekly-rotation.rst:6:13: M107 unknown workgroup "
        '"common" (known: none)',
        "specs/2027.1/triage-squads.rst:6:13: M107 unknown workgroup "
        '"common" (known: none)',
    ]


def test_a_cycle_field_must_match_its_folder(template, tree, make_spec):
    write(tree, "specs/2027.1/moved.rst", make_spec(Cycle="2026.2"))
    assert lint_tree(template, tree)[1] == [
        'specs/2027.1/moved.rst:9:9: M109 Cycle "2026.2" does not match the '
        'folder "2027.1"'
    ]


def test_a_slug_reused_in_another_cycle_is_reported_on_both(template, tree, make_spec):
    write(tree, "specs/2027.1/weekly-rotation.rst", make_spec())
    assert lint_tree(template, tree)[1] == [
        'specs/2026.2/weekly-rotation.rst:1:1: L104 slug "weekly-rotation" is '
        "also used by specs/2027.1/weekly-rotation.rst",
        'specs/2027.1/weekly-rotation.rst:1:1: L104 slug "weekly-rotation" is '
        "also used by specs/2026.2/weekly-rotation.rst",
    ]


def test_misplaced_files_below_specs_are_found_and_index_files_are_not(template, tree):
    write(tree, "specs/2027.1/index.rst", "Index\n=====\n\n.. toctree::\n")
    write(tree, "specs/loose-idea.rst", "Just an idea.\n")
    assert lint_tree(template, tree)[1] == [
        "specs/loose-idea.rst:1:1: L101 specs live at specs/<cycle>/<slug>.rst",
        "specs/loose-idea.rst:1:1: M101 no metadata: the spec has no title",
        "specs/loose-idea.rst:1:1: S101 the spec has no title",
    ]


def test_the_template_is_held_to_the_text_and_markup_checks_only(template, tree):
    write(
        tree,
        "specs/template.rst",
        "=====\nTitle\n=====\n\n:Workgroup: <slug>\n\n" + "x" * 80 + "\n",
    )
    assert lint_tree(template, tree)[1] == [
        "specs/template.rst:7:80: T101 line is 80 characters long (at most 79)"
    ]


def test_a_file_that_is_not_utf8_is_reported_and_the_others_still_linted(
    template, tree
):
    (tree / "specs/2027.1/latin1.rst").write_bytes(b"Caf\xe9\n")
    ids, found = lint_tree(template, tree)
    assert ids == ["2026.2/weekly-rotation", "2027.1/triage-squads"]
    assert found == [
        "specs/2027.1/latin1.rst:1:4: T106 byte 0xE9 is not UTF-8: save the file "
        "as UTF-8"
    ]


def test_paths_may_be_folders_or_absolute(template, tree):
    assert lint_tree(template, tree, [Path("specs/2026.2")])[0] == [
        "2026.2/weekly-rotation"
    ]
    absolute = [tree / "specs/2027.1/triage-squads.rst"]
    assert lint_tree(template, tree, absolute)[0] == ["2027.1/triage-squads"]


def test_a_file_given_outside_the_specs_folder_is_reported(template, tree, make_spec):
    write(tree, "notes/idea.rst", make_spec())
    assert lint_tree(template, tree, [Path("notes/idea.rst")])[1] == [
        "notes/idea.rst:1:1: L101 specs live at specs/<cycle>/<slug>.rst"
    ]


def test_the_repository_specs_and_template_lint_clean(template):
    specs, found = lint_specs(
        REPO, None, template, workgroups=WORKGROUPS, today=date.today()
    )
    assert [str(finding) for finding in found] == []
    assert {spec.id: (spec.workgroup, spec.status) for spec in specs} == {
        "2026.2/adopt-one-configuration-library": ("common", "implemented"),
        "2026.2/weekly-manual-triage-rotation": ("quality", "superseded"),
        "2027.1/bug-triage-squads": ("quality", "proposed"),
        "2027.1/close-kvm-xen-feature-gaps": ("consistency", "approved"),
        "2027.1/coordinated-disclosure": ("security", "approved"),
    }


def test_the_kvm_xen_spec_names_the_gaps_it_closes_instead_of_counting_them(
    template,
):
    specs, _ = lint_specs(
        REPO,
        [Path("specs/2027.1/close-kvm-xen-feature-gaps.rst")],
        template,
        workgroups=WORKGROUPS,
        today=date.today(),
    )
    assert [spec.closes_gaps for spec in specs] == [
        (GapTarget("nova-2020", "libvirt-xen"),)
    ]
    text = (REPO / "specs/2027.1/close-kvm-xen-feature-gaps.rst").read_text()
    assert "13 operations" not in text


def test_the_repository_specs_are_substantial():
    for path in sorted((REPO / "specs").glob("*/*.rst")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert 120 <= lines <= 250, f"{path.name} has {lines} lines"


@pytest.mark.parametrize(
    ("deep", "line", "column"),
    [
        ("".join(" " * 2 * i + "- item\n\n" for i in range(180)), 173, 101),
        (" " + "- " * 4999 + "x\n", 73, 2),
    ],
    ids=["180 levels", "5,000 levels"],
)
def test_a_spec_nested_too_deep_is_one_finding_and_no_spec(
    template, tree, make_spec, deep, line, column
):
    text = make_spec().replace("Port each service.\n", f"Port each service.\n\n{deep}")
    write(tree, "specs/2027.1/deep-lists.rst", text)
    ids, found = lint_tree(template, tree)
    assert ids == ["2026.2/weekly-rotation", "2027.1/triage-squads"]
    assert [finding for finding in found if " T101 " not in finding] == [
        f"specs/2027.1/deep-lists.rst:{line}:{column}: R103 content nested more "
        "than 50 levels deep: flatten the lists, quotes or directives around it"
    ]


@pytest.fixture
def parses(monkeypatch):
    """The files the linter really parses, in order (the parser runs as usual)."""
    parsed: list[str] = []
    real = lint_module.parse_rst

    def counting(text, path, roles=frozenset()):
        parsed.append(path)
        return real(text, path, roles)

    monkeypatch.setattr(lint_module, "parse_rst", counting)
    return parsed


def test_linting_one_spec_parses_it_and_the_specs_it_pairs_with_only(
    template, tree, make_spec, parses
):
    for number in range(5):
        write(tree, f"specs/2027.1/unrelated-{number}.rst", make_spec())
    write(
        tree,
        "specs/2027.1/triage-squads.rst",
        make_spec(Status="proposed", Review=None),
    )

    _, found = lint_tree(template, tree, [Path("specs/2027.1/triage-squads.rst")])

    assert sorted(parses) == [
        "specs/2026.2/weekly-rotation.rst",
        "specs/2027.1/triage-squads.rst",
    ]
    assert [finding.split(" ")[1] for finding in found] == ["M114"]


def test_linting_one_spec_reads_no_other_spec_for_a_reused_slug(
    template, tree, make_spec, parses
):
    write(tree, "specs/2027.2/triage-squads.rst", make_spec(Cycle="2027.2"))

    _, found = lint_tree(template, tree, [Path("specs/2027.2/triage-squads.rst")])

    assert parses == ["specs/2027.2/triage-squads.rst"]
    assert [finding.split(" ")[1] for finding in found] == ["L104"]


def test_linting_every_spec_parses_each_once(template, tree, parses):
    lint_tree(template, tree)
    assert sorted(parses) == [
        "specs/2026.2/weekly-rotation.rst",
        "specs/2027.1/triage-squads.rst",
    ]


def test_worker_processes_find_exactly_what_one_process_finds(
    template, tree, make_spec
):
    from crosswork.specs.lint import FILES_PER_WORKER

    for number in range(2 * FILES_PER_WORKER):
        text = make_spec(Status="proposed", Review=None)
        if number % 5 == 0:
            text = text.replace("Problem description", "Problem descripton")
        write(tree, f"specs/2027.1/spec-{number:02d}.rst", text)

    def linted(workers: int) -> tuple[list[str], list[str]]:
        specs, found = lint_specs(
            tree, None, template, workgroups=WORKGROUPS, today=TODAY, workers=workers
        )
        return [spec.id for spec in specs], [str(finding) for finding in found]

    alone = linted(1)
    assert len(alone[0]) > 2 * FILES_PER_WORKER - 8 and alone[1]
    assert linted(2) == alone
