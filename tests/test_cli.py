"""The ``crosswork`` command: exit codes and output as contributors see them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crosswork.cli import current_cycle, main

SITE = Path(__file__).resolve().parent / "roots" / "test-site" / "repo"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A small site repository: two charters, the specs of the test root."""
    target = tmp_path / "repo"
    shutil.copytree(SITE, target)
    (target / "conf.py").write_text("")
    return target


def run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crosswork.cli", "--root", str(repo), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_lint_passes_on_the_sites_own_content(repo_root):
    result = run(repo_root, "lint")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_lint_reports_every_problem_and_exits_1(repo):
    charter = repo / "workgroups/alpha.yaml"
    charter.write_text(charter.read_text().replace('time: "15:00"', "time: 1500"))
    (repo / "workgroups/empty.yaml").write_text("")
    result = run(repo, "lint")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "workgroups/alpha.yaml:42:11: W103 meetings[0].time: expected a string "
        '(a UTC time as "HH:MM", quoted), got the number 1500',
        "workgroups/empty.yaml:1:1: Y108 the file is empty",
    ]
    assert result.stderr == "2 error(s), 0 warning(s) in 2 file(s)\n"


def test_lint_reports_the_liaison_exit_criteria_and_deliverable_rules(repo):
    alpha = repo / "workgroups/alpha.yaml"
    alpha.write_text(
        alpha.read_text()
        .replace("    status: planned\n", "    status: done\n")
        .replace(
            "    agenda: https://etherpad.opendev.org/p/alpha\n",
            "    agenda: https://etherpad.opendev.org/p/alpha\n"
            "    logs: https://irclogs.example.org/alpha/\n",
        )
    )
    beta = repo / "workgroups/beta.yaml"
    beta.write_text(
        beta.read_text().replace("liaison: to be appointed\n", "liaison: nobody\n")
    )
    result = run(repo, "lint")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "workgroups/alpha.yaml:20:13: W215 deliverables[0].status: a deliverable "
        "that is 'done' names its owner (a person or a team)",
        "workgroups/alpha.yaml:46:11: W216 meetings[0].logs: "
        "'https://irclogs.example.org/alpha/' is not on a host the site links to "
        "(see crosswork.links)",
        "workgroups/beta.yaml:20:10: W104 liaison: 'nobody' is not one of: "
        "to be appointed",
    ]


def test_lint_of_a_path_reports_only_that_path(repo):
    charter = repo / "workgroups/alpha.yaml"
    charter.write_text(charter.read_text() + "chiar: x\n")
    spec_folder = repo / "specs"
    result = run(repo, "lint", str(spec_folder))
    assert (result.returncode, result.stdout) == (0, "")


def test_lint_reuses_its_results_for_unchanged_files_from_the_user_cache(repo):
    from crosswork.cli import LINT_CACHE, cache_folder
    from crosswork.diagnostics import Diagnostic

    before = sorted(repo.rglob("*"))
    assert run(repo, "lint").returncode == 0
    assert sorted(repo.rglob("*")) == before, "nothing is written in the repository"
    marker = Diagnostic("specs/marker.rst", 1, 1, "T999", "from the cache")
    for path in (cache_folder(repo) / LINT_CACHE).glob("*/*.pickle"):
        version, digest, value = pickle.loads(path.read_bytes())
        if isinstance(value[0], dt.date):  # a spec's: (day linted, findings)
            value = (value[0], dataclasses.replace(value[1], diagnostics=[marker]))
        path.write_bytes(pickle.dumps((version, digest, value)))
    assert str(marker) in run(repo, "lint").stdout
    assert run(repo, "lint", "--no-cache").stdout == ""


def test_lint_works_when_the_cache_folder_cannot_be_written(repo, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    result = subprocess.run(
        [sys.executable, "-m", "crosswork.cli", "--root", str(repo), "lint"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "XDG_CACHE_HOME": str(blocked)},
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_new_spec_writes_a_spec_that_lints_once_its_guidance_is_replaced(
    repo, repo_root, monkeypatch, capsys
):
    shutil.copy(repo_root / "specs/template.rst", repo / "specs/template.rst")
    monkeypatch.chdir(repo)
    code = main(
        [
            "new-spec",
            "Shared policy defaults",
            "--workgroup",
            "alpha",
            "--cycle",
            "2027.1",
        ]
    )
    created = capsys.readouterr().out.strip()
    assert (code, created) == (0, "specs/2027.1/shared-policy-defaults.rst")
    result = run(repo, "lint", created)
    findings = result.stdout.splitlines()
    assert result.returncode == 1
    assert findings[0].startswith(f"{created}:34:1: S109 the template's guidance")
    assert {line.split(": ")[1].split()[0] for line in findings} == {"S109"}
    spec = repo / created
    lines = spec.read_text(encoding="utf-8").split("\n")
    for finding in reversed(findings):
        start = int(finding.split(":")[1])
        end = lines.index("", start - 1)
        lines[start - 1 : end] = [f"Written by the authors, line {start}."]
    spec.write_text("\n".join(lines), encoding="utf-8")
    result = run(repo, "lint", created)
    assert (result.returncode, result.stdout) == (0, "")


def test_new_spec_refuses_an_unknown_workgroup(repo, capsys):
    code = main(["--root", str(repo), "new-spec", "X spec", "--workgroup", "gamma"])
    assert code == 2
    assert capsys.readouterr().err == "unknown workgroup 'gamma' (alpha, beta)\n"


@pytest.mark.parametrize(
    ("day", "cycle"),
    [
        (dt.date(2026, 1, 5), "2026.1"),
        (dt.date(2026, 3, 31), "2026.1"),
        (dt.date(2026, 4, 1), "2026.2"),
        (dt.date(2026, 9, 30), "2026.2"),
        (dt.date(2026, 10, 1), "2027.1"),
        (dt.date(2026, 11, 27), "2027.1"),
    ],
)
def test_current_cycle(day, cycle):
    assert current_cycle(day) == cycle


def test_a_missing_template_is_a_located_finding_not_a_traceback(repo):
    (repo / "specs/template.rst").unlink()
    result = run(repo, "lint")
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "specs/template.rst:1:1: S108 cannot read the template: "
        "No such file or directory\n",
        "1 error(s), 0 warning(s) in 1 file(s)\n",
    )


def test_a_template_without_a_title_is_a_located_finding(repo):
    (repo / "specs/template.rst").write_text("Just prose, no sections.\n")
    result = run(repo, "lint")
    assert result.returncode == 1
    assert result.stdout == (
        "specs/template.rst:1:1: S108 a template has one title with every "
        "section below it; found 0 top-level sections\n"
    )


def test_new_spec_without_a_template_says_why(repo, capsys):
    (repo / "specs/template.rst").unlink()
    code = main(["--root", str(repo), "new-spec", "X spec", "--workgroup", "alpha"])
    assert code == 1
    assert capsys.readouterr().err == (
        "specs/template.rst:1:1: S108 cannot read the template: "
        "No such file or directory\n"
    )


MATRIX_TRACK = """\
  matrices:
    - name: local
      file: matrices/local.ini
"""
MATRIX = Path(__file__).resolve().parent / "roots/test-matrix/repo/matrices/local.ini"


def with_matrix_track(repo: Path, ini: str) -> None:
    """Alpha tracks a repository matrix file holding ``ini``."""
    (repo / "matrices").mkdir()
    (repo / "matrices/local.ini").write_text(ini)
    charter = repo / "workgroups/alpha.yaml"
    charter.write_text(
        charter.read_text().replace("tracks: {}\n", "tracks:\n" + MATRIX_TRACK)
    )


def test_lint_checks_the_matrix_files_that_tracks_name(repo):
    with_matrix_track(
        repo,
        MATRIX.read_text().replace("driver.alpha=complete", "driver.alpha=done", 1),
    )
    result = run(repo, "lint")
    assert result.returncode == 1
    assert [line.split(": ")[1].split()[0] for line in result.stdout.splitlines()] == [
        "X109"
    ]
    assert result.stdout.startswith("matrices/local.ini:")


def test_a_warning_the_build_fails_on_fails_lint_too(repo):
    ini = MATRIX.read_text().replace("\ntitle=", "\nnew-key=1\ntitle=", 1)
    with_matrix_track(repo, ini)
    result = run(repo, "lint")
    assert result.returncode == 1
    assert "X113" in result.stdout
    assert result.stderr.startswith("0 error(s), 1 warning(s)")


def test_an_unreadable_matrix_file_is_a_located_finding(repo):
    with_matrix_track(repo, "")
    (repo / "matrices/local.ini").unlink()
    result = run(repo, "lint")
    assert result.returncode == 1
    assert result.stdout.startswith("workgroups/alpha.yaml:1:1: X130 tracks.matrices")


def test_adoption_is_a_subcommand(repo, tmp_path):
    sample = tmp_path / "nova.requirements.txt"
    sample.write_text("oslo.config>=9.3.0 # Apache-2.0\n")
    result = run(repo, "adoption", str(sample), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert '"oslo-config"' in result.stdout


def test_health_checks_the_sources_the_charters_declare(repo):
    assert run(repo, "health").stdout.startswith("healthy: 0 source(s), checked at ")
    charter = repo / "workgroups" / "alpha.yaml"
    charter.write_text(
        charter.read_text().replace(
            "tracks: {}",
            "tracks:\n  bugs:\n    - name: nova\n      tracker: launchpad\n"
            "      project: nova\n      status: [New]\n",
        )
    )
    result = run(repo, "health", "--format", "json")
    assert result.returncode == 1
    sources = json.loads(result.stdout)["sources"]
    assert [(s["source"], s["problems"]) for s in sources] == [
        ("alpha.bugs.nova", ["missing"])
    ]


HEAVY_MODULES = ("sphinx", "docutils", "requests", "jsonschema", "icalendar")


def test_importing_the_command_loads_no_heavy_library():
    code = (
        "import sys, crosswork.cli; "
        f"print(sorted(name for name in {HEAVY_MODULES!r} if name in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_version_answers_without_loading_the_commands():
    code = (
        "import sys\n"
        "from crosswork.cli import main\n"
        "try:\n"
        "    main(['--version'])\n"
        "except SystemExit as stop:\n"
        "    assert stop.code == 0\n"
        f"print(sorted(name for name in {HEAVY_MODULES!r} if name in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["0.1.0", "[]"]


@pytest.mark.parametrize("name", ["matrix", "adoption", "specs"])
def test_a_lazy_subcommand_is_listed_with_its_own_help(name):
    from crosswork.cli import LAZY_COMMANDS, parser

    def helps(argv):
        commands = parser(argv)._subparsers._group_actions[0]
        return {action.dest: action.help for action in commands._choices_actions}

    assert helps([name])[name] == helps([])[name] == LAZY_COMMANDS[name][0]


def test_a_lazy_subcommand_parses_its_own_options(repo):
    result = run(repo, "specs", "--format", "json", "--status", "approved")
    assert result.returncode == 0, result.stderr
    specs = json.loads(result.stdout)["specs"]
    assert specs and {spec["status"] for spec in specs} == {"approved"}


def test_the_help_names_the_default_folders_and_workers():
    from crosswork import cli
    from crosswork.fetch import run
    from crosswork.layout import SNAPSHOT_DIR
    from crosswork.publish import OUTPUT_DIR

    assert cli.SNAPSHOT_HELP.startswith(f"{SNAPSHOT_DIR}/")
    assert f"{OUTPUT_DIR}/" == cli.OUTPUT_HELP
    assert cli.DEFAULT_WORKERS == run.DEFAULT_WORKERS


def test_linting_one_spec_reports_the_other_side_of_its_supersession(repo):
    successor = repo / "specs/2027.1/structured-logging-everywhere.rst"
    text = successor.read_text(encoding="utf-8")
    successor.write_text(
        text.replace(":Supersedes: 2026.2/shared-logging-format\n", ""),
        encoding="utf-8",
    )

    result = run(repo, "lint", str(successor))

    assert result.returncode == 1
    assert result.stdout.startswith("specs/2026.2/shared-logging-format.rst:11:")
    assert " M114 Superseded-By " in result.stdout
