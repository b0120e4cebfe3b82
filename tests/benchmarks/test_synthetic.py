"""The synthetic repository of the build benchmark, and its plain pages.

The benchmark is only worth its figures if the synthetic site is a site
the project would publish: it lints clean, and every data kind has a
source that a charter names and the snapshot holds, at the scale's size.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from crosswork.fetch.snapshot import load_snapshot
from crosswork.fetch.sources import collect_sources
from crosswork.kinds import KINDS
from crosswork.workgroups.registry import load_registry

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def load(name: str) -> ModuleType:
    """A benchmark module by file: the folder is not a package."""
    spec = importlib.util.spec_from_file_location(
        f"benchmarks_{name}", BENCHMARKS / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


synthetic = load("synthetic")
plain = load("plain")
TINY = synthetic.SCALES["tiny"]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    synthetic.make_repo(folder, TINY)
    return folder


@pytest.fixture(scope="module")
def snapshots(repo: Path) -> dict:
    """Every source the charters name, with its snapshot."""
    registry, problems = load_registry(repo / "workgroups", kinds=KINDS)
    assert problems == []
    folder = repo / "snapshot"
    return {
        source.id: (source, load_snapshot(folder, source.id).snapshot)
        for source in collect_sources(registry, KINDS)
    }


def test_the_synthetic_repository_lints_clean(repo):
    lint = [sys.executable, "-m", "crosswork.cli", "--root", str(repo), "lint"]
    done = subprocess.run(lint, capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, "")


@pytest.mark.parametrize("scale", ["half", "full"])
def test_the_charters_of_larger_scales_are_valid(scale, tmp_path):
    """Several bug tracks a workgroup: no value is written as an alias."""
    for workgroup, tracks in synthetic.synthetic_tracks(
        synthetic.SCALES[scale]
    ).items():
        synthetic.write_charter(tmp_path, workgroup, tracks)
    registry, problems = load_registry(tmp_path / "workgroups", kinds=KINDS)
    assert problems == []
    sources = collect_sources(registry, KINDS)
    bugs = [source for source in sources if source.kind == "bugs"]
    assert len(bugs) == synthetic.SCALES[scale].bug_sources


def test_every_kind_has_a_source_the_charters_name_in_the_snapshot(snapshots):
    kinds = {source.kind for source, snapshot in snapshots.values() if snapshot}
    assert kinds == {kind.name for kind in KINDS}
    assert [key for key, (_, snapshot) in snapshots.items() if snapshot is None] == []


def test_the_snapshot_holds_the_scale(snapshots):
    def items(kind):
        return [
            item
            for source, snapshot in snapshots.values()
            if source.kind == kind
            for item in snapshot.items
        ]

    bug_sources = [s for s, _ in snapshots.values() if s.kind == "bugs"]
    records = [item["record"] for item in items("matrices")]
    files = [item for item in items("adoption") if item["role"] == "service"]
    assert len(bug_sources) == TINY.bug_sources
    assert len(items("bugs")) == TINY.bugs
    assert len(items("advisories")) == TINY.advisories
    assert (records.count("feature"), records.count("driver")) == (
        TINY.features,
        TINY.drivers,
    )
    assert len(files) == TINY.services
    assert {e["name"] for f in files for e in f["entries"]} == {
        synthetic.LIBRARY.format(n) for n in range(TINY.libraries)
    }
    assert len({build["job"] for build in items("ci")}) == TINY.jobs


def test_a_snapshot_query_is_the_one_its_track_makes(snapshots):
    """A refresh would find the same query, so the data stands as fetched."""
    assert {
        key: dict(snapshot.query)
        for key, (source, snapshot) in snapshots.items()
        if dict(snapshot.query) != source.query.to_json()
    } == {}


def test_changing_one_bug_changes_that_source_only(repo, tmp_path):
    folder = tmp_path / "snapshot"
    shutil.copytree(repo / "snapshot", folder)
    before = {p.name: p.read_bytes() for p in folder.glob("*.json")}
    synthetic.change_one_bug(folder, "common.bugs.synthetic-00")
    after = {p.name: p.read_bytes() for p in folder.glob("*.json")}
    assert sorted(n for n in before if before[n] != after[n]) == [
        "common.bugs.synthetic-00.json",
        "history.json",
        "status.json",
    ]
    assert (
        synthetic.load_status(folder).keys()
        == synthetic.load_status(repo / "snapshot").keys()
    )
    old = load_snapshot(repo / "snapshot", "common.bugs.synthetic-00").snapshot
    new = load_snapshot(folder, "common.bugs.synthetic-00").snapshot
    assert [a == b for a, b in zip(old.items, new.items, strict=True)].count(False) == 1


def test_the_plain_site_has_a_page_per_advisory_and_bug_source(repo, tmp_path):
    entries = plain.plain_pages(tmp_path, repo)
    assert entries == [
        "advisories/index",
        "bugs/index",
        "matrices/index",
        "adoption/index",
        "ci/index",
    ]
    assert len(list((tmp_path / "advisories").glob("PYSEC-*.rst"))) == TINY.advisories
    assert len(list((tmp_path / "bugs").glob("*.bugs.*.rst"))) == TINY.bug_sources


def test_plain_text_escapes_inline_markup():
    assert plain.text("a *b* `c` <d>") == r"a \*b\* \`c\` \<d\>"
