"""The build benchmark's reading of its measures: medians and ranges, the
targets, the growth target and the ``-j 2`` comparison of HTML files."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def build():
    """``benchmarks/build.py`` under a name of its own (``build`` is also a
    package's); it imports its neighbours by name, from its folder."""
    spec = importlib.util.spec_from_file_location(
        "benchmarks_build", BENCHMARKS / "build.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCHMARKS))
    return module


def results(build, **values):
    return build.Results(dict(values), {}, [])


def test_a_measure_of_several_runs_shows_its_median_and_range(build):
    figures = build.Figures()
    for value in (0.003, 0.001, 0.002):
        figures.add(value)
    found = results(build)
    found.put("full build per page, crosswork ms", figures, 1000)
    assert found.values == {"full build per page, crosswork ms": 2.0}
    assert found.ranges == {"full build per page, crosswork ms": (1.0, 3.0)}
    assert "| full build per page, crosswork ms | 2 | 1 to 3 |  |" in build.report(
        "tiny", 3, found
    )


def test_a_measure_of_one_run_has_no_range(build):
    figures = build.Figures()
    figures.add(4.0)
    found = results(build)
    found.put("no-op rebuild CPU s, crosswork", figures)
    assert found.ranges == {}


def test_a_missed_target_is_named_and_a_met_one_is_not(build):
    found = results(build, **{"peak memory, x plain": 1.5, "--version, CPU s": 0.1})
    assert build.missed(found.values) == ["peak memory, x plain: 1.50 > 1.3"]
    assert "Missed: peak memory, x plain" in build.report("tiny", 1, found)


def test_growth_from_half_to_full_is_a_target(build):
    found = {
        "half": results(build, **{"full build CPU s": 100.0}),
        "full": results(build, **{"full build CPU s": 230.0}),
    }
    build.add_growth(found, ["half", "full"])
    assert build.missed(found["full"].values) == [
        "growth half to full, x full build CPU: 2.30 > 2.1"
    ]


def test_html_files_that_differ_or_exist_once_are_listed(build, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    for folder in (one, two):
        (folder / "specs").mkdir(parents=True)
        (folder / "index.html").write_text("same")
        (folder / "_static.css").write_text(folder.name)
    (one / "specs" / "a.html").write_text("one")
    (two / "specs" / "a.html").write_text("two")
    (two / "extra.html").write_text("")
    assert build.differing_pages(one, two) == ["extra.html", "specs/a.html"]
