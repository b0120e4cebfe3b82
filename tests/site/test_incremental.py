"""An incremental build after one edit writes what a clean build writes.

Each case builds the test site, edits one charter or one spec, rebuilds
incrementally, and compares every output file with a clean build of the
edited tree: the search index (whose ``indexentries`` once kept only the
rewritten pages' entries) and every page. Nothing is normalised: the two
builds see the same sources and configuration, so no byte may differ.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sphinx.search import js_index
from sphinx.util.parallel import parallel_available

#: One edit per kind of site data: (file in the test site, old, new text).
EDITS = {
    "charter": ("repo/workgroups/beta.yaml", "Gap report", "Gap reports"),
    "spec": (
        "repo/specs/2026.2/shared-logging-format.rst",
        "in words an operator would use",
        "in the words an operator would use",
    ),
}

JOBS = [
    pytest.param(0, id="serial"),
    pytest.param(
        2,
        id="parallel",
        marks=pytest.mark.skipif(not parallel_available, reason="needs fork"),
    ),
]


def edit(site: Path, change: str) -> None:
    name, old, new = EDITS[change]
    path = site / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{name} no longer holds {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def search_index(outdir: Path) -> dict[str, Any]:
    return js_index.loads((outdir / "searchindex.js").read_text(encoding="utf-8"))


def pages_with_entries(index: dict[str, Any]) -> set[str]:
    return {
        index["docnames"][place[0]]
        for places in index["indexentries"].values()
        for place in places
    }


@pytest.mark.parametrize("jobs", JOBS)
@pytest.mark.parametrize("change", sorted(EDITS))
def test_incremental_build_equals_clean_build(
    build_site, copy_root, files_of, change, jobs
):
    site = copy_root("test-site", "incremental")
    first, _ = build_site(site, parallel=jobs)
    kept = Path(first.outdir) / "glossary.html"
    written = kept.stat().st_mtime_ns
    edit(site, change)
    incremental, read = build_site(site, parallel=jobs)
    assert read, "the edit was not seen"
    assert kept.stat().st_mtime_ns == written, "a page with entries must be kept"

    fresh = copy_root("test-site", "clean")
    edit(fresh, change)
    clean, _ = build_site(fresh, parallel=jobs)

    assert incremental.warning.getvalue() == clean.warning.getvalue() == ""
    wanted = search_index(Path(clean.outdir))
    assert {"glossary", "index", "meetings"} <= pages_with_entries(wanted)
    assert search_index(Path(incremental.outdir)) == wanted
    assert files_of(Path(incremental.outdir)) == files_of(Path(clean.outdir))
