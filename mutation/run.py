"""Mutation testing of crosswork modules, one module at a time.

``python mutation/run.py ext/crosswork/textclean.py ...`` copies the package
and the tests into ``build/mutation/<module>/`` with the package at the top
(mutmut names mutants by file path, so ``ext/`` must not be part of it),
runs mutmut there on that one module against its tests, and prints killed,
survived, timed-out and untested mutants per module. Each mutant runs only
the tests that call the function it changes. The exit status is 1 when a
module scores under the target (killed and timed out over all mutants).

A module's tests are its mirror in ``tests/`` (``kinds/advisories/versions.py``
is tested by ``tests/kinds/advisories/test_versions.py``) plus the entries
of ``EXTRA_TESTS``; ``--tests`` replaces them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ext" / "crosswork"
STAGES = ROOT / "build" / "mutation"
TARGET = 95.0

#: Tests beyond a module's mirror that exercise it on purpose.
EXTRA_TESTS: dict[str, list[str]] = {
    "crosswork/kinds/matrices/gaps.py": ["tests/kinds/matrices/test_summary.py"],
    # The new fields have their own file; the lifecycle rules across specs
    # are tested through the linter.
    "crosswork/specs/metadata.py": [
        "tests/specs/test_metadata_fields.py",
        "tests/specs/test_lint.py",
    ],
}

#: What the tests read from the repository besides the package and tests.
ALSO_COPY = ["conf.py", "doc", "snapshot", "specs", "workgroups", "README.rst"]

OUTCOMES = ("killed", "survived", "timeout", "no tests", "suspicious", "skipped")


def module_path(argument: str) -> str:
    """``crosswork/...py`` for ``ext/crosswork/...py`` or a dotted name."""
    text = argument.removeprefix("ext/")
    if not text.endswith(".py"):
        text = text.replace(".", "/") + ".py"
    if not (ROOT / "ext" / text).is_file():
        raise SystemExit(f"no module {argument}")
    return text


def mirror_tests(module: str) -> list[str]:
    relative = Path(module).relative_to("crosswork")
    mirror = Path("tests") / relative.parent / f"test_{relative.stem}.py"
    found = [str(mirror)] if (ROOT / mirror).is_file() else []
    found += EXTRA_TESTS.get(module, [])
    if not found:
        raise SystemExit(f"no tests for {module}: name them with --tests")
    return found


def stage(module: str, tests: list[str]) -> Path:
    folder = STAGES / module.removesuffix(".py").replace("/", ".")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(PACKAGE, folder / "crosswork", ignore=ignore)
    shutil.copytree(ROOT / "tests", folder / "tests", ignore=ignore)
    # The tests find the shared corpus beside the repository.
    shared = ROOT.parent / "shared"
    if shared.is_dir():
        (folder / "mutants").mkdir()
        (folder / "shared").symlink_to(shared)
    config = {
        "source_paths": ["crosswork"],
        "only_mutate": [module],
        "also_copy": [name for name in ALSO_COPY if (ROOT / name).exists()],
        "pytest_add_cli_args": ["-p", "no:cacheprovider", "-q"],
        "pytest_add_cli_args_test_selection": tests,
        "use_git_change_detection": False,
    }
    lines = ["[tool.mutmut]"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in config.items()]
    pytest_section = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    start = pytest_section.index("[tool.pytest.ini_options]")
    end = pytest_section.index("\n[", start + 1)
    lines.append(pytest_section[start:end])
    (folder / "pyproject.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name in config["also_copy"]:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=ignore)
        else:
            shutil.copy2(source, folder / name)
    return folder


def counts(folder: Path) -> dict[str, int]:
    """Outcome counts read from mutmut's own export."""
    subprocess.run(
        [sys.executable, "-m", "mutmut", "export-cicd-stats"],
        cwd=folder,
        check=True,
        capture_output=True,
    )
    stats = json.loads((folder / "mutants" / "mutmut-cicd-stats.json").read_text())
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="+", help="e.g. ext/crosswork/textclean.py")
    parser.add_argument("--tests", nargs="*", help="test paths, instead of the mirror")
    parser.add_argument("--target", type=float, default=TARGET)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    failed = []
    rows = []
    for argument in args.modules:
        module = module_path(argument)
        tests = args.tests or mirror_tests(module)
        folder = stage(module, tests)
        began = time.monotonic()
        print(f"{module}: mutants against {' '.join(tests)}", flush=True)
        with (folder / "mutmut.log").open("w", encoding="utf-8") as log:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "mutmut",
                    "run",
                    "--max-children",
                    str(args.jobs),
                ],
                cwd=folder,
                check=False,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        seconds = time.monotonic() - began
        stats = counts(folder)
        # Every mutant not killed, by name: `mutmut show NAME` in the folder.
        subprocess.run(
            [sys.executable, "-m", "mutmut", "results"], cwd=folder, check=False
        )
        rows.append((module, stats, seconds))
    print()
    print(f"{'module':48} killed survived timeout untested  score   time")
    for module, stats, seconds in rows:
        killed, survived = stats["killed"], stats["survived"]
        timeout = stats["timeout"]
        untested = stats["no_tests"] + stats.get("suspicious", 0)
        total = killed + survived + timeout + untested
        score = 100.0 * (killed + timeout) / total if total else 100.0
        print(
            f"{module:48} {killed:6} {survived:8} {timeout:7} {untested:8}"
            f" {score:5.1f}% {seconds:5.0f}s"
        )
        if score < args.target:
            failed.append(module)
    if failed:
        print(f"under the target of {args.target:g}%: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
