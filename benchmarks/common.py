"""Build timing shared by the benchmarks that compare a site with plain Sphinx.

Not a benchmark itself: ``build.py`` and ``matrix_site.py`` import it
(run from the repository root as ``python benchmarks/<name>.py``, which puts
this folder first on the import path).
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: Where the children cache the bytecode of the modules they import.
PYCACHE = Path(tempfile.gettempdir()) / "crosswork-bench-pycache"


def child_environment() -> dict[str, str]:
    """The environment of a timed command: this one, with bytecode cached.

    An installed package (Sphinx, the theme) comes with its bytecode; the
    project's own modules, imported from the work tree, would be compiled
    again by every run under ``PYTHONDONTWRITEBYTECODE``. Their bytecode is
    cached outside the tree instead, so both sites start alike.
    """
    environment = dict(os.environ)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    environment.setdefault("PYTHONPYCACHEPREFIX", str(PYCACHE))
    return environment


def cpu_run(command: list[str], *, check: bool = False) -> tuple[float, str]:
    """CPU seconds (user and system) of ``command`` run to its end, and its
    output (stdout then stderr): on a shared machine CPU time varies far
    less than wall time. A command that fails (``check``) stops the run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        env=child_environment(),
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if check and done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, done.stdout + done.stderr


def build_seconds(site: Path, out: Path) -> float:
    """Seconds of one fresh full HTML build of ``site`` into ``out``, in its
    own process."""
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-E", "-q", "-b", "html", str(site), str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def time_builds(
    sites: dict[str, Path], folder: Path, runs: int
) -> tuple[dict[str, list[float]], dict[str, float]]:
    """``runs`` rounds of one build of each site, in turn, into ``folder /
    out-NAME``; returns the seconds of every build and their medians, by name."""
    times: dict[str, list[float]] = {name: [] for name in sites}
    for _ in range(runs):
        for name, site in sites.items():
            times[name].append(build_seconds(site, folder / f"out-{name}"))
    medians = {name: statistics.median(values) for name, values in times.items()}
    return times, medians


def ratio_line(medians: dict[str, float]) -> str:
    """The closing line: the crosswork median over the plain Sphinx one."""
    return f"     ratio: {medians['crosswork'] / medians['plain']:.2f} x plain Sphinx"
