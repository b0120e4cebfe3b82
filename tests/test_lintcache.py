"""Lint results kept between runs: specs, charters and the template."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

from crosswork import lintcache
from crosswork.diagnostics import Diagnostic
from crosswork.kinds import KINDS
from crosswork.layout import Layout
from crosswork.lintcache import LintCache
from crosswork.specs.lint import lint_specs
from crosswork.specs.template import Template
from crosswork.workgroups.registry import load_registry

REPO = Path(__file__).resolve().parent / "roots" / "test-site" / "repo"
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


def test_a_run_that_used_only_loaded_results_does_not_write(tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    path = tmp_path / "lint.pickle"
    cache = LintCache()
    lint(root, cache)
    cache.save(path)
    dumped = []
    dumps = lintcache._dumps
    monkeypatch.setattr(lintcache, "_dumps", lambda v: dumped.append(v) or dumps(v))

    reloaded = LintCache.load(path)
    lint(root, reloaded)
    reloaded.save(path)
    assert dumped == []

    spec = root / SPEC
    spec.write_text(spec.read_text() + "\nA new closing line.\n")
    changed = LintCache.load(path)
    lint(root, changed)
    changed.save(path)
    assert len(dumped) == 1
    assert LintCache.load(path)._entries.keys() == changed._used.keys()


def test_a_cache_written_by_other_code_starts_empty(tmp_path, monkeypatch):
    root = copy_repo(tmp_path)
    cache = LintCache()
    lint(root, cache)
    cache.save(tmp_path / "lint.pickle")
    assert LintCache.load(tmp_path / "lint.pickle")._entries
    monkeypatch.setattr(lintcache, "code_digest", lambda: "another linter")
    assert LintCache.load(tmp_path / "lint.pickle")._entries == {}


def test_the_code_digest_follows_the_packages_modules():
    assert lintcache.code_digest() == lintcache.code_digest()
    assert len(lintcache.code_digest()) == 64


def test_a_folder_keeps_one_file_per_result_read_only_when_asked_for(tmp_path):
    folder = tmp_path / "results"
    first = LintCache.in_folder(folder)
    first.remember(("a",), lambda: 1)
    first.remember(("b",), lambda: 2)
    first.save_folder(prune=False)
    assert len(list(folder.glob("*/*.pickle"))) == 2

    some = LintCache.in_folder(folder)
    assert some.remember(("a",), lambda: 3) == 1
    assert len(some._read_keys) == 1, "only the entry asked for is read"
    some.save_folder(prune=False)
    assert LintCache.in_folder(folder).remember(("b",), lambda: 4) == 2

    every = LintCache.in_folder(folder)
    every.remember(("a",), lambda: 5)
    every.save_folder(prune=True)
    assert LintCache.in_folder(folder).remember(("b",), lambda: 6) == 6


def test_a_folder_entry_written_by_other_code_is_computed_again(tmp_path, monkeypatch):
    folder = tmp_path / "results"
    first = LintCache.in_folder(folder)
    first.remember(("a",), lambda: 1)
    first.save_folder(prune=False)
    monkeypatch.setattr(lintcache, "code_digest", lambda: "another linter")
    assert LintCache.in_folder(folder).remember(("a",), lambda: 2) == 2


def test_remember_keys_on_every_part():
    cache = LintCache()
    assert cache.remember(("charter", "x.yaml", b"one"), lambda: 1) == 1
    assert cache.remember(("charter", "x.yaml", b"one"), lambda: 2) == 1
    assert cache.remember(("charter", "x.yaml", b"two"), lambda: 3) == 3
    assert cache.remember(("a\0b",), lambda: 4) == 4
    assert cache.remember(("a", "b"), lambda: 5) == 5


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


# --- Charters and the template, kept by content ---------------------------

ALPHA = "workgroups/alpha.yaml"
TEMPLATE = "specs/template.rst"


def copy_layout(tmp_path: Path) -> Layout:
    return Layout(copy_repo(tmp_path))


def poisoned(cache: LintCache) -> LintCache:
    """The cache with a marker finding in every charter and template entry."""
    entries = {}
    for key, value in cache._used.items():
        if len(value) == 3:  # a charter: workgroup, located data, findings
            workgroup, data, _ = value
            entries[key] = (workgroup, data, [marker(data.path)])
        else:  # the template and its findings
            entries[key] = (value[0], [marker(TEMPLATE)])
    return LintCache(entries)


def charters(layout: Layout, cache: LintCache, kinds=KINDS) -> list[Diagnostic]:
    return load_registry(layout.workgroups, layout.root, kinds=kinds, cache=cache)[1]


def test_unchanged_charters_and_template_are_not_loaded_again(tmp_path):
    layout = copy_layout(tmp_path)
    first = LintCache()
    assert charters(layout, first) == []
    assert layout.template(first)[1] == []

    again = poisoned(first)

    assert marker(ALPHA) in charters(layout, again)
    assert layout.template(again)[1] == [marker(TEMPLATE)]


def test_a_changed_charter_is_loaded_again(tmp_path):
    layout = copy_layout(tmp_path)
    first = LintCache()
    charters(layout, first)
    alpha = layout.root / ALPHA
    alpha.write_text(alpha.read_text(encoding="utf-8") + "# edited\n", "utf-8")

    found = charters(layout, poisoned(first))

    assert marker(ALPHA) not in found
    assert marker("workgroups/beta.yaml") in found


def test_a_charter_is_loaded_again_against_another_schema(tmp_path):
    layout = copy_layout(tmp_path)
    first = LintCache()
    charters(layout, first)

    assert marker(ALPHA) not in charters(layout, poisoned(first), kinds=KINDS[:1])


def test_charters_survive_a_round_trip_and_garbage_is_ignored(tmp_path):
    layout = copy_layout(tmp_path)
    cache = LintCache()
    registry, _ = load_registry(layout.workgroups, kinds=KINDS, cache=cache)
    cache.save(tmp_path / "cache.pickle")
    reloaded = LintCache.load(tmp_path / "cache.pickle")
    assert load_registry(layout.workgroups, kinds=KINDS, cache=reloaded)[0] == registry
    (tmp_path / "bad.pickle").write_bytes(b"not a pickle")
    garbage = LintCache.load(tmp_path / "bad.pickle")
    assert load_registry(layout.workgroups, kinds=KINDS, cache=garbage)[0] == registry
