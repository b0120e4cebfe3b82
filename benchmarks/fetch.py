"""Fetch time of every source of the repository's charters, at a latency.

Serves the shared corpus from the fake upstream, every service on one host
(as in the README's demo), each answer held back ``--latency`` seconds, and
fetches every charter source into a temporary folder:

* ``concurrent``: the default number of workers;
* ``sequential``: one worker, one request after another.

Each run fetches cold (an empty folder) then warm (the same folder again),
both ways, in alternating order. Printed per way: seconds, requests made,
bodies received (medians of ``--runs``) and most requests in flight at once.

    python benchmarks/fetch.py --runs 5 --latency 0.1
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from crosswork.fetch.endpoints import parse_endpoints
from crosswork.fetch.run import DEFAULT_WORKERS, fetch_all
from crosswork.fetch.sources import Source, collect_sources
from crosswork.kinds import KINDS
from crosswork.testing.upstream import FakeUpstream, Recordings
from crosswork.workgroups.registry import load_registry

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
WAYS = {"concurrent": DEFAULT_WORKERS, "sequential": 1}


@dataclass(frozen=True)
class Measure:
    seconds: float
    requests: int
    bodies: int
    peak: int


def charter_sources() -> list[Source]:
    registry, _ = load_registry(REPO / "workgroups", kinds=KINDS)
    return list(collect_sources(registry, KINDS, ()))


def measure(
    upstream: FakeUpstream, sources: list[Source], folder: Path, workers: int
) -> Measure:
    """One fetch of ``sources`` into ``folder``, counted on the fake."""
    requests, bodies = len(upstream.requests), upstream.bodies()
    upstream.peak_in_flight = 0
    start = time.perf_counter()
    fetch_all(
        sources,
        folder,
        clock=lambda: dt.datetime.now(dt.UTC),
        endpoints=parse_endpoints(upstream.endpoints()),
        environ={},
        workers=workers,
    )
    return Measure(
        time.perf_counter() - start,
        len(upstream.requests) - requests,
        upstream.bodies() - bodies,
        upstream.peak_in_flight,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--latency", type=float, default=0.1, metavar="SECONDS")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    sources = charter_sources()
    load_before = os.getloadavg()[0]
    results: dict[str, list[Measure]] = {}
    with (
        FakeUpstream(
            Recordings.from_corpus(args.corpus), latency=args.latency
        ) as upstream,
        tempfile.TemporaryDirectory() as temporary,
    ):
        for run in range(args.runs):
            order = list(WAYS) if run % 2 == 0 else list(reversed(WAYS))
            for way in order:
                folder = Path(temporary) / f"{way}-{run}"
                for phase in ("cold", "warm"):
                    found = measure(upstream, sources, folder, WAYS[way])
                    results.setdefault(f"{way} {phase}", []).append(found)
    print(
        f"{len(sources)} sources, latency {args.latency * 1000:.0f} ms, "
        f"{args.runs} runs, load average {load_before:.1f} before and "
        f"{os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores"
    )
    print(f"{'':16} {'median s':>9} {'requests':>9} {'bodies':>7} {'in flight':>10}")
    for name in sorted(results):
        found = results[name]
        print(
            f"{name:16} {statistics.median(m.seconds for m in found):9.2f}"
            f" {statistics.median(m.requests for m in found):9.0f}"
            f" {statistics.median(m.bodies for m in found):7.0f}"
            f" {max(m.peak for m in found):10d}"
        )
    for phase in ("cold", "warm"):
        sequential, concurrent = (
            statistics.median(m.seconds for m in results[f"{way} {phase}"])
            for way in ("sequential", "concurrent")
        )
        print(f"{phase}: concurrent is {sequential / concurrent:.1f} x sequential")


if __name__ == "__main__":
    main()
