"""Build-time costs of the site against plain Sphinx, and the targets.

Builds a synthetic repository (:mod:`synthetic`) three ways, interleaved
run by run so that the machine's load falls on all alike:

* ``crosswork``: the real configuration, pages and extensions;
* ``plain``: plain Sphinx, the same theme and theme options, the same spec
  files as pages under one toctree per cycle;
* ``floor``: ``plain`` with every sidebar emptied.

and measures, in CPU seconds of the child processes (wall time is noise on
a shared machine): a full build per HTML page, the growth from half to
full scale when two scales are given, a no-op rebuild (documents re-read,
CPU), a rebuild after one spec changed, ``crosswork lint`` of one spec and
of all, and ``crosswork --version``. Appends its results to
``benchmarks/RESULTS.md`` (``--record``) and exits 1 when a target is missed.

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
from pathlib import Path

import sphinx
from common import cpu_run
from synthetic import REPO, SCALES, make_repo

#: name -> (measure, limit, how the limit reads).
TARGETS = {
    "full build per page, x floor": 1.2,
    "full build per page, x plain": 1.0,
    "no-op rebuild, documents re-read": 0,
    "no-op rebuild CPU, x plain": 1.2,
    "lint of one spec, CPU s": 0.5,
    "lint of all specs, CPU s": 5.0,
    "--version, CPU s": 0.3,
}
SPHINX = [sys.executable, "-m", "sphinx", "-b", "html"]
REREAD = re.compile(r"(\d+) added, (\d+) changed")


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
    folder: Path, name: str, spec_files: list[Path], *, sidebars: bool
) -> Path:
    """The same spec pages for plain Sphinx with the site's theme."""
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
    cycle_entries = "\n".join(f"   specs/{c}/index" for c in sorted(by_cycle))
    root = f"Plain\n=====\n\n.. toctree::\n   :maxdepth: 1\n\n{cycle_entries}\n"
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


def sphinx_build(site: Path, out: Path, *, fresh: bool) -> tuple[float, int]:
    """CPU seconds of one build and the number of documents it read."""
    if fresh:
        shutil.rmtree(out, ignore_errors=True)
    command = [*SPHINX, "-d", str(out / ".doctrees"), str(site), str(out)]
    cpu, output = cpu_run(command, check=True)
    counts = REREAD.search(output)
    return cpu, (int(counts[1]) + int(counts[2])) if counts else -1


def pages(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.html"))


def measure_scale(folder: Path, scale: str, runs: int) -> dict[str, float]:
    specs, advisories = SCALES[scale]
    repo = folder / "repo"
    spec_files = make_repo(repo, specs, advisories)
    sites = {
        "crosswork": crosswork_site(folder, repo),
        "plain": plain_site(folder, "plain-site", spec_files, sidebars=True),
        "floor": plain_site(folder, "floor-site", spec_files, sidebars=False),
    }
    full: dict[str, list[float]] = {name: [] for name in sites}
    noop: dict[str, list[float]] = {name: [] for name in sites}
    reread: dict[str, int] = {}
    for _ in range(runs):
        for name, site in sites.items():
            out = folder / f"out-{name}"
            cpu, _ = sphinx_build(site, out, fresh=True)
            full[name].append(cpu / pages(out))
            cpu, read = sphinx_build(site, out, fresh=False)
            noop[name].append(cpu)
            reread[name] = max(reread.get(name, 0), read)
    changed = spec_files[len(spec_files) // 2]
    changed.write_text(changed.read_text() + "\nOne more sentence.\n")
    _, one_changed = sphinx_build(
        sites["crosswork"], folder / "out-crosswork", fresh=False
    )
    lint = [sys.executable, "-m", "crosswork.cli", "--root", str(repo), "lint"]
    lint_one = statistics.median(cpu_run([*lint, str(changed)])[0] for _ in range(runs))
    lint_all = statistics.median(cpu_run(lint)[0] for _ in range(runs))
    version = [sys.executable, "-m", "crosswork.cli", "--version"]
    start = statistics.median(cpu_run(version)[0] for _ in range(runs))
    median = {name: statistics.median(values) for name, values in full.items()}
    noop_median = {name: statistics.median(values) for name, values in noop.items()}
    return {
        "specs": specs,
        "advisories": advisories,
        "pages": pages(folder / "out-crosswork"),
        "plain pages": pages(folder / "out-plain"),
        "full build per page, crosswork ms": 1000 * median["crosswork"],
        "full build per page, plain ms": 1000 * median["plain"],
        "full build per page, floor ms": 1000 * median["floor"],
        "full build per page, x floor": median["crosswork"] / median["floor"],
        "full build per page, x plain": median["crosswork"] / median["plain"],
        "full build CPU s": median["crosswork"] * pages(folder / "out-crosswork"),
        "no-op rebuild, documents re-read": reread["crosswork"],
        "no-op rebuild CPU s, crosswork": noop_median["crosswork"],
        "no-op rebuild CPU s, plain": noop_median["plain"],
        "no-op rebuild CPU, x plain": noop_median["crosswork"] / noop_median["plain"],
        "one spec changed, documents re-read": one_changed,
        "lint of one spec, CPU s": lint_one,
        "lint of all specs, CPU s": lint_all,
        "--version, CPU s": start,
    }


def missed(results: dict[str, float]) -> list[str]:
    return [
        f"{name}: {results[name]:.2f} > {limit}"
        for name, limit in TARGETS.items()
        if results[name] > limit
    ]


def report(scale: str, runs: int, results: dict[str, float], growth: str) -> str:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    lines = [
        f"### Build, {scale} scale ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, load average {load}; "
        f"Python {platform.python_version()}, Sphinx {sphinx.__version__}; "
        f"medians of {runs} interleaved run(s), CPU seconds of child processes.",
        "",
        "| Measure | Value | Target |",
        "|---|---|---|",
    ]
    for name, value in results.items():
        target = f"<= {TARGETS[name]}" if name in TARGETS else ""
        text = f"{value:.3g}" if isinstance(value, float) else str(value)
        lines.append(f"| {name} | {text} | {target} |")
    if growth:
        lines += ["", growth]
    problems = missed(results)
    lines += ["", "Missed: " + "; ".join(problems) if problems else "Every target met."]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=SCALES, action="append")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--record", action="store_true", help="append to RESULTS.md")
    args = parser.parse_args()
    scales = args.scale or ["tiny"]
    found: dict[str, dict[str, float]] = {}
    for scale in scales:
        with tempfile.TemporaryDirectory() as temp:
            found[scale] = measure_scale(Path(temp), scale, args.runs)
    growth = ""
    if len(scales) == 2:
        small, large = (found[s]["full build CPU s"] for s in scales)
        growth = (
            f"Growth {scales[0]} to {scales[1]}: x{large / small:.2f} full build CPU."
        )
    text = "".join(report(s, args.runs, found[s], growth) + "\n" for s in scales)
    print(text)
    if args.record:
        results = Path(__file__).with_name("RESULTS.md")
        previous = results.read_text() if results.exists() else "# Benchmark results\n"
        results.write_text(previous.rstrip("\n") + "\n\n" + text)
    return 1 if any(missed(found[s]) for s in scales) else 0


if __name__ == "__main__":
    sys.exit(main())
