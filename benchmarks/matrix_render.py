"""Time parsing, gap analysis and the parity chart on a large synthetic matrix.

Usage: ``python benchmarks/matrix_render.py [--features 300] [--drivers 30]
[--runs 15] [--seed 0]``. Prints the median time of each step over the
runs, and of the three together, in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from crosswork.kinds.matrices.gaps import analyse
from crosswork.kinds.matrices.parse import parse_matrix
from crosswork.kinds.matrices.svg import parity_chart
from crosswork.kinds.matrices.synthetic import synthetic_matrix


def timed(step: Callable[[], object]) -> tuple[object, float]:
    start = time.perf_counter()
    result = step()
    return result, time.perf_counter() - start


def one_run(text: str) -> dict[str, float]:
    """Seconds per step of one parse → analyse → chart pass."""
    (matrix, _), parse = timed(lambda: parse_matrix("synthetic.ini", text))
    analysis, gaps = timed(lambda: analyse(matrix))
    _, svg = timed(lambda: parity_chart(analysis))
    return {"parse": parse, "analyse": gaps, "svg": svg, "total": parse + gaps + svg}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--features", type=int, default=300)
    parser.add_argument("--drivers", type=int, default=30)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    text = synthetic_matrix(args.features, args.drivers, args.seed)
    one_run(text)  # warm-up: imports and caches
    runs = [one_run(text) for _ in range(args.runs)]
    size = f"{args.features} features x {args.drivers} drivers"
    print(f"{size}, {len(text) // 1024} KiB, median of {args.runs} runs:")
    for step in ("parse", "analyse", "svg", "total"):
        median = statistics.median(run[step] for run in runs)
        print(f"  {step:<8} {median * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
