"""Build-time costs of the site against plain Sphinx, and the targets.

Builds a synthetic repository (:mod:`synthetic`: specs, charters naming
every data kind's sources, and their snapshot) three ways, interleaved run
by run so that the machine's load falls on all alike:

* ``crosswork``: the real configuration, pages and extensions;
* ``plain``: plain Sphinx, the same theme and theme options, the same spec
  files as pages under one toctree per cycle, and equivalent plain pages
  of the same data (:mod:`plain`): one per advisory, one table per bug
  source, the matrix, adoption and CI builds as tables;
* ``floor``: ``plain`` with every sidebar emptied.

and measures, in CPU seconds of the child processes (wall time is noise on
a shared machine), read per process with ``wait4``: a full build per HTML
page and its peak memory (largest resident set of the ``sphinx-build``
process and its workers), the growth from half to full scale when both
are given, a no-op rebuild (documents re-read, CPU), rebuilds after one
spec, one charter and one source's data changed (documents re-read, CPU;
plain rebuilds its copy of the same spec and its page of the same bug
source), a fresh ``-j 2`` build against a fresh ``-j 1`` build (every
HTML file compared byte for byte), ``crosswork lint`` of one spec and of
all, and ``crosswork --version``. Medians of ``--runs`` runs, with the
range beside them. Appends its results to ``benchmarks/RESULTS.md``
(``--record``) and exits 1 when a target is missed.

    python benchmarks/build.py --scale tiny --runs 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import sphinx
from common import cpu_run, measured_run
from plain import plain_pages
from synthetic import (
    REPO,
    SCALES,
    change_one_bug,
    change_one_charter,
    make_repo,
)

#: Measure name -> the largest value that meets the target.
TARGETS = {
    "full build per page, x floor": 1.2,
    "full build per page, x plain": 1.0,
    "peak memory, x plain": 1.3,
    "no-op rebuild, documents re-read": 0,
    "no-op rebuild CPU, x plain": 1.2,
    "-j 2 against -j 1, HTML files differing": 0,
    "lint of one spec, CPU s": 0.5,
    "lint of all specs, CPU s": 5.0,
    "--version, CPU s": 0.3,
    "growth half to full, x full build CPU": 2.1,
}
SPHINX = [sys.executable, "-m", "sphinx", "-b", "html"]
REREAD = re.compile(r"(\d+) added, (\d+) changed")
#: Differing paths listed in the report, at most.
SHOWN_DIFFERENCES = 5


def crosswork_site(folder: Path, repo: Path) -> Path:
    site = folder / "crosswork-site"
    shutil.copytree(
        REPO / "doc" / "source",
        site,
        ignore=shutil.ignore_patterns("workgroups", "specs"),
    )
    conf = (REPO / "conf.py").read_text(encoding="utf-8")
    (site / "conf.py").write_text(conf + f"\ncrosswork_root = {str(repo)!r}\n")
    return site


def plain_site(
    folder: Path, name: str, repo: Path, spec_files: list[Path], *, sidebars: bool
) -> Path:
    """The same spec pages and equivalent data pages (:mod:`plain`) for
    plain Sphinx with the site's theme."""
    site = folder / name
    by_cycle: dict[str, list[str]] = {}
    for path in spec_files:
        target = site / "specs" / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
        by_cycle.setdefault(path.parent.name, []).append(path.stem)
    for cycle, slugs in by_cycle.items():
        entries = "\n".join(f"   {slug}" for slug in sorted(slugs))
        index = f"{cycle}\n{'=' * len(cycle)}\n\n.. toctree::\n\n{entries}\n"
        (site / "specs" / cycle / "index.rst").write_text(index, encoding="utf-8")
    sections = [f"specs/{c}/index" for c in sorted(by_cycle)]
    sections += plain_pages(site, repo)
    entries = "\n".join(f"   {section}" for section in sections)
    root = f"Plain\n=====\n\n.. toctree::\n   :maxdepth: 1\n\n{entries}\n"
    (site / "index.rst").write_text(root, encoding="utf-8")
    conf = (REPO / "conf.py").read_text(encoding="utf-8")
    conf = conf.replace("from crosswork import __version__", '__version__ = "0"')
    conf = re.sub(r"extensions = \[.*?\]", "extensions = []", conf, flags=re.S)
    conf = re.sub(r"html_sidebars = \{.*?\}\n", "", conf, flags=re.S)
    # The edit link is crosswork's own component.
    conf = conf.replace(', "crosswork-edit-link"', "")
    conf += '\nsuppress_warnings = ["ref.ref", "ref.doc", "ref.spec"]\n'
    if not sidebars:
        conf += 'html_sidebars = {"**": []}\n'
    (site / "conf.py").write_text(conf, encoding="utf-8")
    return site


@dataclass(frozen=True)
class Build:
    """One ``sphinx-build``: CPU seconds, documents read, peak KiB."""

    cpu: float
    read: int
    max_rss_kib: int


def sphinx_build(site: Path, out: Path, *, fresh: bool, jobs: int = 1) -> Build:
    """One build of ``site`` into ``out`` in its own process; a failed
    build stops the run."""
    if fresh:
        shutil.rmtree(out, ignore_errors=True)
    command = [
        *SPHINX,
        "-j",
        str(jobs),
        "-d",
        str(out / ".doctrees"),
        str(site),
        str(out),
    ]
    run = measured_run(command)
    if run.status != 0:
        sys.exit(f"{' '.join(command)} failed:\n{run.output}")
    counts = REREAD.search(run.output)
    read = (int(counts[1]) + int(counts[2])) if counts else -1
    return Build(run.cpu, read, run.max_rss_kib)


def pages(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.html"))


def differing_pages(one: Path, other: Path) -> list[str]:
    """The HTML files, relative paths, that are not byte for byte the same
    in both folders (or are in one only)."""
    first = {p.relative_to(one) for p in one.rglob("*.html")}
    second = {p.relative_to(other) for p in other.rglob("*.html")}
    return sorted(
        str(path)
        for path in first | second
        if path not in first
        or path not in second
        or (one / path).read_bytes() != (other / path).read_bytes()
    )


class Figures:
    """Values of one measure over the runs: the median, and the range."""

    def __init__(self) -> None:
        self.values: list[float] = []

    def add(self, value: float) -> None:
        self.values.append(value)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def range(self) -> tuple[float, float]:
        return min(self.values), max(self.values)


@dataclass
class Results:
    """A scale's measures in order, the range of those taken in every run,
    and notes printed under the table."""

    values: dict[str, float | int]
    ranges: dict[str, tuple[float, float]]
    notes: list[str]

    def put(self, name: str, figures: Figures, scale: float = 1.0) -> None:
        self.values[name] = figures.median * scale
        low, high = figures.range
        if len(figures.values) > 1:
            self.ranges[name] = (low * scale, high * scale)


def measure_scale(folder: Path, scale_name: str, runs: int) -> Results:
    scale = SCALES[scale_name]
    repo = folder / "repo"
    spec_files = make_repo(repo, scale)
    sites = {
        "crosswork": crosswork_site(folder, repo),
        "plain": plain_site(folder, "plain-site", repo, spec_files, sidebars=True),
        "floor": plain_site(folder, "floor-site", repo, spec_files, sidebars=False),
    }
    outs = {name: folder / f"out-{name}" for name in sites}
    per_page = {name: Figures() for name in sites}
    memory = {name: Figures() for name in sites}
    noop = {name: Figures() for name in sites}
    reread: dict[str, int] = {}
    for _ in range(runs):
        for name, site in sites.items():
            build = sphinx_build(site, outs[name], fresh=True)
            per_page[name].add(build.cpu / pages(outs[name]))
            memory[name].add(build.max_rss_kib)
            again = sphinx_build(site, outs[name], fresh=False)
            noop[name].add(again.cpu)
            reread[name] = max(reread.get(name, 0), again.read)
    crosswork_pages = pages(outs["crosswork"])
    results = Results(
        {
            "specs": scale.specs,
            "advisories": scale.advisories,
            "bugs": scale.bugs,
            "matrix cells": scale.features * scale.drivers,
            "CI jobs": scale.jobs,
            "pages": crosswork_pages,
            "plain pages": pages(outs["plain"]),
        },
        {},
        [],
    )
    for name in sites:
        results.put(f"full build per page, {name} ms", per_page[name], 1000)
    ratio = {n: per_page["crosswork"].median / per_page[n].median for n in sites}
    results.values["full build per page, x floor"] = ratio["floor"]
    results.values["full build per page, x plain"] = ratio["plain"]
    results.values["full build CPU s"] = per_page["crosswork"].median * crosswork_pages
    results.put("peak memory, crosswork MiB", memory["crosswork"], 1 / 1024)
    results.put("peak memory, plain MiB", memory["plain"], 1 / 1024)
    results.values["peak memory, x plain"] = (
        memory["crosswork"].median / memory["plain"].median
    )
    results.values["no-op rebuild, documents re-read"] = reread["crosswork"]
    results.put("no-op rebuild CPU s, crosswork", noop["crosswork"])
    results.put("no-op rebuild CPU s, plain", noop["plain"])
    results.values["no-op rebuild CPU, x plain"] = (
        noop["crosswork"].median / noop["plain"].median
    )
    changed = measure_changes(repo, sites, outs, spec_files, results)
    measure_parallel(sites["crosswork"], folder, results)
    measure_lint(repo, folder, changed, runs, results)
    version = [sys.executable, "-m", "crosswork.cli", "--version"]
    results.put("--version, CPU s", cpu_figures(version, runs))
    return results


def measure_lint(
    repo: Path, folder: Path, spec: Path, runs: int, results: Results
) -> None:
    """``crosswork lint`` of every spec with nothing kept from earlier runs
    (one process, then every CPU) beside docutils' parse of the same files
    alone, of every spec again, and of one spec just edited, as a
    contributor runs it; its cache is the run's own."""
    os.environ["XDG_CACHE_HOME"] = str(folder / "user-cache")
    lint = [sys.executable, "-m", "crosswork.cli", "--root", str(repo), "lint"]
    results.put(
        "lint of all specs, nothing cached, CPU s",
        cpu_figures([*lint, "--no-cache", "-j", "1"], runs),
    )
    results.put(
        "lint of all specs, nothing cached, -j 2, wall s",
        wall_figures([*lint, "--no-cache", "-j", "2"], runs),
    )
    # What any lint built on docutils pays before its first check.
    parse = [sys.executable, str(Path(__file__).with_name("docutils_parse.py"))]
    results.put(
        "docutils' parse of all specs alone, CPU s",
        cpu_figures([*parse, str(repo / "specs")], runs),
    )
    cpu_run(lint)  # keeps every result
    results.put("lint of all specs, CPU s", cpu_figures(lint, runs))
    edited = Figures()
    for number in range(runs):
        spec.write_text(spec.read_text() + f"\nEdited, time {number}.\n")
        edited.add(cpu_run([*lint, str(spec)])[0])
    results.put("lint of one spec, CPU s", edited)


def wall_figures(command: list[str], runs: int) -> Figures:
    figures = Figures()
    for _ in range(runs):
        start = time.perf_counter()
        cpu_run(command)
        figures.add(time.perf_counter() - start)
    return figures


def cpu_figures(command: list[str], runs: int) -> Figures:
    figures = Figures()
    for _ in range(runs):
        figures.add(cpu_run(command)[0])
    return figures


def measure_changes(
    repo: Path,
    sites: dict[str, Path],
    outs: dict[str, Path],
    spec_files: list[Path],
    results: Results,
) -> Path:
    """Rebuilds after one spec, one charter and one source's data changed,
    each after the one before; plain rebuilds its equivalent of the spec
    and of the data. Returns the changed spec."""
    changed = spec_files[len(spec_files) // 2]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more sentence.\n")
    copy = sites["plain"] / "specs" / changed.parent.name / changed.name
    shutil.copy(changed, copy)
    rebuild("one spec changed", sites, outs, results, plain=True)
    change_one_charter(repo, "security")
    rebuild("one charter changed", sites, outs, results, plain=False)
    source = sorted((repo / "snapshot").glob("*.bugs.*.json"))[0].stem
    change_one_bug(repo / "snapshot", source)
    plain_pages(sites["plain"], repo)
    rebuild("one source's data changed", sites, outs, results, plain=True)
    return changed


def rebuild(
    change: str,
    sites: dict[str, Path],
    outs: dict[str, Path],
    results: Results,
    *,
    plain: bool,
) -> None:
    build = sphinx_build(sites["crosswork"], outs["crosswork"], fresh=False)
    results.values[f"{change}, documents re-read"] = build.read
    results.values[f"{change}, CPU s"] = build.cpu
    if plain:
        baseline = sphinx_build(sites["plain"], outs["plain"], fresh=False)
        results.values[f"{change}, plain documents re-read"] = baseline.read
        results.values[f"{change}, plain CPU s"] = baseline.cpu


def measure_parallel(site: Path, folder: Path, results: Results) -> None:
    """A fresh ``-j 2`` build against a fresh ``-j 1`` build, HTML files
    compared byte for byte. Both are built as of one moment
    (``SOURCE_DATE_EPOCH``): a data age or a next meeting that moves on
    between the two builds is the clock's doing, not the parallel build's."""
    one, two = folder / "out-j1", folder / "out-j2"
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = saved or str(int(time.time()))
    try:
        sphinx_build(site, one, fresh=True, jobs=1)
        parallel = sphinx_build(site, two, fresh=True, jobs=2)
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
    results.values["full build -j 2, CPU s"] = parallel.cpu
    differing = differing_pages(one, two)
    results.values["-j 2 against -j 1, HTML files differing"] = len(differing)
    if differing:
        shown = ", ".join(differing[:SHOWN_DIFFERENCES])
        more = len(differing) - SHOWN_DIFFERENCES
        results.notes.append(
            f"HTML files differing between -j 2 and -j 1: {shown}"
            + (f" and {more} more" if more > 0 else "")
            + "."
        )


def missed(values: dict[str, float | int]) -> list[str]:
    return [
        f"{name}: {values[name]:.2f} > {limit}"
        for name, limit in TARGETS.items()
        if name in values and values[name] > limit
    ]


def number(value: float | int) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def report(scale: str, runs: int, results: Results) -> str:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    lines = [
        f"### Build, {scale} scale ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"{SCALES[scale].describe()}.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, load average {load}; "
        f"Python {platform.python_version()}, Sphinx {sphinx.__version__}; "
        f"medians of {runs} interleaved run(s), CPU seconds of child processes.",
        "",
        "| Measure | Median | Range | Target |",
        "|---|---|---|---|",
    ]
    for name, value in results.values.items():
        target = f"<= {TARGETS[name]}" if name in TARGETS else ""
        low_high = results.ranges.get(name)
        spread = f"{number(low_high[0])} to {number(low_high[1])}" if low_high else ""
        lines.append(f"| {name} | {number(value)} | {spread} | {target} |")
    lines += ["", *results.notes] if results.notes else []
    problems = missed(results.values)
    lines += ["", "Missed: " + "; ".join(problems) if problems else "Every target met."]
    return "\n".join(lines) + "\n"


def add_growth(found: dict[str, Results], scales: list[str]) -> None:
    """Full build CPU of the second scale over the first's, with the
    larger scale's measures (a target from half to full)."""
    small, large = (found[s].values["full build CPU s"] for s in scales)
    found[scales[1]].values[f"growth {scales[0]} to {scales[1]}, x full build CPU"] = (
        large / small
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=SCALES, action="append")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--record", action="store_true", help="append to RESULTS.md")
    args = parser.parse_args()
    scales = args.scale or ["tiny"]
    found: dict[str, Results] = {}
    for scale in scales:
        with tempfile.TemporaryDirectory() as temp:
            found[scale] = measure_scale(Path(temp), scale, args.runs)
    if len(scales) == 2:
        add_growth(found, scales)
    text = "".join(report(s, args.runs, found[s]) + "\n" for s in scales)
    print(text)
    if args.record:
        results = Path(__file__).with_name("RESULTS.md")
        previous = results.read_text() if results.exists() else "# Benchmark results\n"
        results.write_text(previous.rstrip("\n") + "\n\n" + text)
    return 1 if any(missed(found[s].values) for s in scales) else 0


if __name__ == "__main__":
    sys.exit(main())
