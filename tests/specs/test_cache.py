"""Spec lint results kept between builds."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

from crosswork.diagnostics import Diagnostic
from crosswork.specs.cache import LintCache
from crosswork.specs.lint import lint_specs
from crosswork.specs.template import Template

REPO = Path(__file__).resolve().parents[1] / "roots" / "test-site" / "repo"
TODAY = dt.date(2026, 11, 27)
SPEC = "specs/2026.2/shared-logging-format.rst"


def lint(root: Path, cache: LintCache, today: dt.date = TODAY):
    template = Template.from_file(root / "specs/template.rst")
    return lint_specs(
        root, None, template, workgroups={"alpha", "beta"}, today=today, cache=cache
    )


def copy_repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO, root)
    return root


def marker(path: str) -> Diagnostic:
    return Diagnostic(path, 1, 1, "T999", "from the cache")


def poison(cache: LintCache) -> LintCache:
    """A cache whose every entry reports a marker: shows which were reused."""
    entries = {
        key: (day, dataclasses.replace(value, diagnostics=[marker(value.source.path)]))
        for key, (day, value) in cache._used.items()
    }
    return LintCache(entries)


def test_an_unchanged_file_is_not_linted_again(tmp_path):
    root = copy_repo(tmp_path)
    first = LintCache()
    _, problems = lint(root, first)
    assert problems == []
    _, problems = lint(root, poison(first))
    assert marker(SPEC) in problems


def test_a_changed_file_is_linted_again(tmp_path):
    root = copy_repo(tmp_path)
    first = LintCache()
    lint(root, first)
    spec = root / SPEC
    spec.write_text(spec.read_text() + "\nA new closing line.\n")
    _, problems = lint(root, poison(first))
    assert [p for p in problems if p.path == SPEC] == []
    assert marker("specs/template.rst") in problems


def test_the_cache_survives_a_round_trip_and_ignores_garbage(tmp_path):
    root = copy_repo(tmp_path)
    cache = LintCache()
    specs, _ = lint(root, cache)
    cache.save(tmp_path / "lint.pickle")
    reloaded = LintCache.load(tmp_path / "lint.pickle")
    assert lint(root, reloaded)[0] == specs
    (tmp_path / "bad.pickle").write_bytes(b"not a pickle")
    assert lint(root, LintCache.load(tmp_path / "bad.pickle"))[0] == specs


def test_a_later_day_lints_again_only_the_specs_created_after_the_first(tmp_path):
    root = copy_repo(tmp_path)
    spec = root / SPEC
    text = spec.read_text(encoding="utf-8")
    created = next(line for line in text.splitlines() if line.startswith(":Created:"))
    spec.write_text(text.replace(created, ":Created: 2026-11-28"), encoding="utf-8")
    first = LintCache()
    _, problems = lint(root, first)
    assert [p.code for p in problems if p.path == SPEC] == ["M108"]

    _, problems = lint(root, poison(first), today=TODAY + dt.timedelta(days=1))

    assert [p for p in problems if p.path == SPEC] == []
    others = {p.path for p in problems if p.code == "T999"}
    assert others and SPEC not in others
