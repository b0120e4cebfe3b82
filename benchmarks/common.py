"""Build timing shared by the benchmarks that compare a site with plain Sphinx.

Not a benchmark itself: ``build.py`` and ``matrix_site.py`` import it
(run from the repository root as ``python benchmarks/<name>.py``, which puts
this folder first on the import path).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Run:
    """One command run to its end: CPU seconds (user and system), peak
    resident memory in KiB, output (stdout then stderr) and exit status."""

    cpu: float
    max_rss_kib: int
    output: str
    status: int


def measured_run(command: list[str]) -> Run:
    """Run ``command`` and read its own resource use with ``wait4``: the
    figures of that process and of the children it waited for (the
    workers of ``sphinx-build -j``), and of no other process. (The
    ``RUSAGE_CHILDREN`` figures of this process cannot give a peak per
    command: their ``ru_maxrss`` is the largest of every child ever.)"""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            command, stdout=out, stderr=err, env=child_environment()
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        output = out.read().decode(errors="replace") + err.read().decode(
            errors="replace"
        )
    return Run(
        usage.ru_utime + usage.ru_stime, usage.ru_maxrss, output, process.returncode
    )


def cpu_run(command: list[str], *, check: bool = False) -> tuple[float, str]:
    """CPU seconds (user and system) of ``command`` run to its end, and its
    output (stdout then stderr): on a shared machine CPU time varies far
    less than wall time. A command that fails (``check``) stops the run."""
    run = measured_run(command)
    if check and run.status != 0:
        sys.exit(f"{' '.join(command)} failed:\n{run.output}")
    return run.cpu, run.output


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
