"""Charters and the spec template kept between builds, by content.

A cache whose entries are swapped for a marker finding shows which results
were reused: an unchanged file's, and never a changed file's or one loaded
against another schema.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from crosswork.buildcache import BuildCache
from crosswork.diagnostics import Diagnostic
from crosswork.kinds import KINDS
from crosswork.layout import Layout
from crosswork.workgroups.registry import load_registry

REPO = Path(__file__).resolve().parent / "roots" / "test-site" / "repo"
ALPHA = "workgroups/alpha.yaml"
TEMPLATE = "specs/template.rst"


def copy_repo(tmp_path: Path) -> Layout:
    root = tmp_path / "repo"
    shutil.copytree(REPO, root)
    return Layout(root)


def marker(label: str) -> Diagnostic:
    return Diagnostic(label, 1, 1, "T999", "from the cache")


def poisoned(cache: BuildCache) -> BuildCache:
    """The cache with a marker finding in every charter and template entry."""
    entries = {}
    for key, value in cache._used.items():
        if len(value) == 3:  # a charter: workgroup, located data, findings
            workgroup, data, _ = value
            entries[key] = (workgroup, data, [marker(data.path)])
        else:  # the template and its findings
            entries[key] = (value[0], [marker(TEMPLATE)])
    return BuildCache(entries)


def charters(layout: Layout, cache: BuildCache, kinds=KINDS) -> list[Diagnostic]:
    return load_registry(layout.workgroups, layout.root, kinds=kinds, cache=cache)[1]


def test_unchanged_charters_and_template_are_not_loaded_again(tmp_path):
    layout = copy_repo(tmp_path)
    first = BuildCache()
    assert charters(layout, first) == []
    assert layout.template(first)[1] == []

    again = poisoned(first)

    assert marker(ALPHA) in charters(layout, again)
    assert layout.template(again)[1] == [marker(TEMPLATE)]


def test_a_changed_charter_is_loaded_again(tmp_path):
    layout = copy_repo(tmp_path)
    first = BuildCache()
    charters(layout, first)
    alpha = layout.root / ALPHA
    alpha.write_text(alpha.read_text(encoding="utf-8") + "# edited\n", "utf-8")

    found = charters(layout, poisoned(first))

    assert marker(ALPHA) not in found
    assert marker("workgroups/beta.yaml") in found


def test_a_charter_is_loaded_again_against_another_schema(tmp_path):
    layout = copy_repo(tmp_path)
    first = BuildCache()
    charters(layout, first)

    assert marker(ALPHA) not in charters(layout, poisoned(first), kinds=KINDS[:1])


def test_the_cache_survives_a_round_trip_and_ignores_garbage(tmp_path):
    layout = copy_repo(tmp_path)
    cache = BuildCache()
    registry, _ = load_registry(layout.workgroups, kinds=KINDS, cache=cache)
    cache.save(tmp_path / "cache.pickle")
    reloaded = BuildCache.load(tmp_path / "cache.pickle")
    assert load_registry(layout.workgroups, kinds=KINDS, cache=reloaded)[0] == registry
    (tmp_path / "bad.pickle").write_bytes(b"not a pickle")
    garbage = BuildCache.load(tmp_path / "bad.pickle")
    assert load_registry(layout.workgroups, kinds=KINDS, cache=garbage)[0] == registry
