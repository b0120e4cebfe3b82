"""Build time of the site at scale, against plain Sphinx in the same run.

Generates N specs from the real template (spread over cycles of at most 100
specs, as the site's navigation expects), then builds:

* ``crosswork``: the real configuration (theme, extensions, generated
  sections, spec linting at ``builder-inited``);
* ``plain``: the same spec files as plain pages under one toctree per cycle,
  default theme, no extension.

Each build is a fresh full build; the figures are medians of ``--runs``.

    python benchmarks/site_build.py --specs 1000 --runs 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import tempfile
from pathlib import Path

from common import ratio_line, time_builds

from crosswork.specs.scaffold import new_spec

REPO = Path(__file__).resolve().parents[1]
WORKGROUPS = ("common", "consistency", "security", "quality")
PER_CYCLE = 100


def cycles(count: int) -> list[str]:
    names = []
    year, half = 2027, 1
    for _ in range(count):
        names.append(f"{year}.{half}")
        year, half = (year - 1, 2) if half == 1 else (year, 1)
    return names


def make_repo(folder: Path, specs: int) -> list[Path]:
    """A site repository with the real charters and ``specs`` generated specs."""
    shutil.copytree(REPO / "workgroups", folder / "workgroups")
    (folder / "specs").mkdir()
    shutil.copy(REPO / "specs" / "template.rst", folder / "specs" / "template.rst")
    names = cycles(-(-specs // PER_CYCLE))
    created = dt.date(2026, 1, 5)
    return [
        new_spec(
            folder,
            f"Synthetic spec number {index}",
            WORKGROUPS[index % len(WORKGROUPS)],
            names[index // PER_CYCLE],
            created,
            "Bench Mark <bench@example.org>",
        )
        for index in range(specs)
    ]


def crosswork_site(folder: Path) -> Path:
    """The real configuration and pages, reading data from ``folder``."""
    site = folder / "crosswork-site"
    shutil.copytree(REPO / "doc" / "source", site, ignore=shutil.ignore_patterns(
        "workgroups", "specs"
    ))  # fmt: skip
    conf = (REPO / "conf.py").read_text(encoding="utf-8")
    conf += f"\ncrosswork_root = {str(folder)!r}\n"
    (site / "conf.py").write_text(conf, encoding="utf-8")
    return site


def plain_site(folder: Path, spec_files: list[Path]) -> Path:
    """The same spec pages for plain Sphinx: one toctree per cycle."""
    site = folder / "plain-site"
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
    conf = 'project = "plain"\nsuppress_warnings = ["ref.ref", "ref.doc"]\n'
    (site / "conf.py").write_text(conf, encoding="utf-8")
    return site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--specs", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        spec_files = make_repo(folder, args.specs)
        sites = {
            "plain": plain_site(folder, spec_files),
            "crosswork": crosswork_site(folder),
        }
        times, medians = time_builds(sites, folder, args.runs)
        pages = sum(1 for _ in (folder / "out-crosswork").rglob("*.html"))
        weight = sum(
            p.stat().st_size
            for p in (folder / "out-crosswork" / "specs").rglob("*.html")
        )
    print(f"specs: {args.specs}, runs: {args.runs}, crosswork pages: {pages}")
    for name, median in medians.items():
        print(f"{name:>10}: median {median:7.2f} s  (runs: {times[name]})")
    print(ratio_line(medians))
    print(f"spec pages: {weight / args.specs / 1024:.0f} KiB of HTML per spec")


if __name__ == "__main__":
    main()
