"""Build time of one page showing a large matrix, against plain Sphinx.

Makes a synthetic matrix (300 features x 30 drivers by default) with
``crosswork.kinds.matrices.synthetic``, stores it as a snapshot the way
``crosswork fetch`` does, and builds:

* ``crosswork``: one page with ``.. feature-matrix::`` (every view: chart,
  gaps, divergent features, table with notes, problems), through the
  whole crosswork extension (data loading, generated stubs, which are
  excluded from reading so that only the one page is built);
* ``plain``: one page with a ``list-table`` of the same size, cells
  holding the value words, no extension.

Both use the default theme; each build is a fresh full build in its own
process, and the figures are medians of ``--runs``.

    python benchmarks/matrix_site.py --features 300 --drivers 30 --runs 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import tempfile
from pathlib import Path

from common import ratio_line, time_builds

from crosswork.diagnostics import Diagnostic
from crosswork.fetch.snapshot import Snapshot, write_snapshot
from crosswork.kinds.matrices.facts import matrix_facts
from crosswork.kinds.matrices.model import Matrix
from crosswork.kinds.matrices.parse import parse_matrix
from crosswork.kinds.matrices.synthetic import synthetic_matrix

REPO = Path(__file__).resolve().parents[1]
SOURCE = "bench.matrices.synthetic"
PATH = "bench/synthetic/support-matrix.ini"

CHARTER = """\
name: Bench
status: active
status_history:
  - status: forming
    date: "2026-01-05"
  - status: active
    date: "2026-02-02"
mission: Measures how fast a large feature matrix renders.
scope:
  in: [feature matrices]
  out: [everything else]
deliverables:
  - title: Figures
    description: Build times.
    status: planned
exit_criteria:
  - Every deliverable is done or dropped
liaison: to be appointed
chairs:
  - name: Bench Mark
    handles:
      irc: bench
stakeholders: [nova]
communication:
  mailing_list: openstack-discuss@lists.openstack.org
  tag: "[bench]"
  chat: "#openstack-bench"
meetings: []
tracks:
  matrices:
    - name: synthetic
      title: Synthetic matrix
      path: {path}
"""


def make_repo(folder: Path, matrix: Matrix, problems: list[Diagnostic]) -> None:
    """Charter, spec template and the matrix's snapshot, as fetch writes it."""
    (folder / "workgroups").mkdir(parents=True)
    (folder / "workgroups" / "bench.yaml").write_text(CHARTER.format(path=PATH))
    (folder / "specs").mkdir()
    shutil.copy(REPO / "specs" / "template.rst", folder / "specs" / "template.rst")
    snapshot = Snapshot(
        source=SOURCE,
        kind="matrices",
        query={"path": PATH, "reference": None},
        fetched_at=dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.UTC),
        complete=True,
        items=tuple(matrix_facts(matrix, problems)),
    )
    write_snapshot(folder / "snapshot", snapshot)


def crosswork_site(folder: Path) -> Path:
    site = folder / "crosswork-site"
    site.mkdir()
    (site / "conf.py").write_text(
        'extensions = ["crosswork"]\n'
        'crosswork_root = "../repo"\n'
        'exclude_patterns = ["workgroups", "specs", "matrices"]\n'
        'suppress_warnings = ["toc.excluded"]\n'
    )
    (site / "index.rst").write_text(f"Matrix\n======\n\n.. feature-matrix:: {SOURCE}\n")
    return site


def plain_site(folder: Path, matrix: Matrix) -> Path:
    """The same grid as a plain list-table: a header row and a row per feature."""
    site = folder / "plain-site"
    site.mkdir()
    lines = ["Matrix", "======", "", ".. list-table::", "   :header-rows: 1", ""]
    header = ["Feature", *(driver.title for driver in matrix.drivers)]
    rows = [header] + [
        [feature.title, *(feature.value(d.key).value for d in matrix.drivers)]
        for feature in matrix.features
    ]
    for row in rows:
        lines.append(f"   * - {row[0]}")
        lines.extend(f"     - {value}" for value in row[1:])
    (site / "index.rst").write_text("\n".join(lines) + "\n")
    (site / "conf.py").write_text('project = "plain"\n')
    return site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--features", type=int, default=300)
    parser.add_argument("--drivers", type=int, default=30)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    text = synthetic_matrix(args.features, args.drivers, args.seed)
    matrix, problems = parse_matrix(PATH, text)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        make_repo(folder / "repo", matrix, problems)
        sites = {
            "plain": plain_site(folder, matrix),
            "crosswork": crosswork_site(folder),
        }
        times, medians = time_builds(sites, folder, args.runs)
        pages = {
            name: (folder / f"out-{name}" / "index.html").stat().st_size
            for name in sites
        }
    print(
        f"{args.features} features x {args.drivers} drivers, one page,"
        f" median of {args.runs} fresh builds:"
    )
    for name, median in medians.items():
        runs = ", ".join(f"{t:.2f}" for t in times[name])
        print(
            f"{name:>10}: {median:6.2f} s  ({runs}); page {pages[name] / 1024:.0f} KiB"
        )
    print(ratio_line(medians))


if __name__ == "__main__":
    main()
