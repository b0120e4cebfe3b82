"""``crosswork matrix``: parity gaps of a support-matrix file, in a terminal.

The report says which features the reference driver completes and the
others do not, per driver, with parity scores; problems in the file are
printed as ``path:line:col: CODE message`` on standard error. The exit
status is 1 when the file has errors (the report is still printed), 2 when
the command cannot run at all. ``--format json`` prints the shape
documented in ``doc/source/reference/matrices.rst`` instead, problems
included, for scripts.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import TextIO

from crosswork.diagnostics import Diagnostic, Severity, has_errors
from crosswork.kinds.matrices.compare import (
    Comparison,
    ComparisonError,
    compare_drivers,
    comparison_json,
)
from crosswork.kinds.matrices.gaps import Analysis, analyse, to_json
from crosswork.kinds.matrices.model import Matrix
from crosswork.kinds.matrices.parse import decode_matrix, parse_matrix, visible

#: Largest file read: nova's matrix is 70 KiB.
MAX_BYTES = 4 * 1024 * 1024
REMOTE = re.compile(r"^\s*https?://", re.IGNORECASE)
REMOTE_MESSAGE = "remote matrices are fetched by `crosswork fetch`"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``matrix`` subcommand to the ``crosswork`` command."""
    command = subparsers.add_parser(
        "matrix",
        help="report feature gaps between drivers of a support matrix",
        description=__doc__.split("\n")[0],
    )
    command.add_argument("source", metavar="FILE_OR_URL", help="a matrix INI file")
    command.add_argument(
        "--reference",
        metavar="DRIVER",
        default=None,
        help="the driver others are compared with (default: libvirt-kvm-x86,"
        " else libvirt-kvm, else the driver with the most complete features)",
    )
    command.add_argument(
        "--compare",
        metavar="DRIVER",
        nargs="+",
        default=None,
        help="print only the features where these two or three drivers differ,"
        " with their notes; the first is the one the others are measured against",
    )
    command.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format"
    )
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the report of ``args.source``; the exit status."""
    if REMOTE.match(args.source):
        print(f"crosswork matrix: {REMOTE_MESSAGE}", file=sys.stderr)
        return 2
    data = read_source(args.source)
    if data is None:
        return 2
    text, problems = decode_matrix(args.source, data)
    if text is None:
        print_problems(problems)
        return 1
    matrix, problems = parse_matrix(args.source, text)
    if not matrix.drivers:
        print_problems(problems)
        return 1
    try:
        if args.compare:
            comparison = compare_drivers(matrix, args.compare)
        else:
            analysis = analyse(matrix, args.reference)
    except ComparisonError as error:
        for reason in error.reasons:
            where = visible(args.source)
            print(
                f"crosswork matrix: {where}: --compare: {visible(reason)}",
                file=sys.stderr,
            )
        return 2
    except ValueError as error:
        print(f"crosswork matrix: {visible(str(error))}", file=sys.stderr)
        return 2
    try:
        if args.compare and args.format == "json":
            print(comparison_json(comparison))
        elif args.compare:
            write_comparison(comparison, sys.stdout)
            print_problems(problems)
        elif args.format == "json":
            print(to_json(analysis, problems))
        else:
            write_report(analysis, sys.stdout)
            print_problems(problems)
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
    return 1 if has_errors(problems) else 0


def silence_stdout() -> None:
    """After the reader went away (``| head``): no traceback at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def read_source(source: str) -> bytes | None:
    """The file's bytes, or None after saying why not."""
    try:
        with Path(source).open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        print(f"crosswork matrix: cannot read {source}: {reason}", file=sys.stderr)
        return None
    if len(data) > MAX_BYTES:
        limit = MAX_BYTES // (1024 * 1024)
        print(f"crosswork matrix: {source} is larger than {limit} MiB", file=sys.stderr)
        return None
    return data


def print_problems(problems: list[Diagnostic]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    if problems:
        warnings = len(problems) - errors
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)


def write_report(analysis: Analysis, out: TextIO) -> None:
    """The terminal report: summary, parity, gaps, then required features."""
    for section in (
        summary_lines(analysis),
        parity_lines(analysis),
        gap_lines(analysis),
        requirement_lines(analysis),
    ):
        if section:
            out.write("\n".join(section) + "\n\n")


def title_of(analysis: Analysis, key: str) -> str:
    driver = analysis.matrix.driver(key)
    return shown(driver.title if driver else key)


def shown(text: str, width: int = 60) -> str:
    """One line of contributor text, safe to print and cut to ``width``."""
    text = visible(" ".join(text.split()))
    return text if len(text) <= width else text[: width - 1] + "…"


def summary_lines(analysis: Analysis) -> list[str]:
    matrix = analysis.matrix
    return [
        f"Feature matrix {shown(matrix.label, 200)} ({matrix.layout.value} layout)",
        f"{len(matrix.drivers)} drivers, {len(matrix.features)} features,"
        f" {len(analysis.divergent)} of them not the same for every driver",
        f"Reference: {title_of(analysis, analysis.reference)}"
        f" [{shown(analysis.reference)}], complete in"
        f" {len(analysis.reference_features)} features",
    ]


def parity_lines(analysis: Analysis) -> list[str]:
    counts = analysis.gap_counts()
    lines = ["Parity (complete 1, partial 1/2, of the reference's complete features)"]
    for key in analysis.ranking():
        gaps = counts.get(key, 0)
        note = "reference" if key == analysis.reference else f"{gaps} gap(s)"
        score = f"{analysis.parity[key] * 100:5.1f}%"
        lines.append(f"  {score}  {title_of(analysis, key):<32}  {note}")
    return lines


def gap_lines(analysis: Analysis) -> list[str]:
    if not analysis.gaps:
        return ["No gaps: every driver completes what the reference completes."]
    lines = ["Gaps: features the reference completes"]
    counts = analysis.gap_counts()
    for key in analysis.ranking():
        gaps = [gap for gap in analysis.gaps if gap.driver == key]
        if not gaps:
            continue
        lines.append(f"  {title_of(analysis, key)} [{shown(key)}]: {counts[key]}")
        width = max(len(shown(gap.feature)) for gap in gaps)
        for gap in gaps:
            feature = analysis.matrix.feature(gap.feature)
            title = shown(feature.title) if feature else ""
            lines.append(
                f"    {gap.value.value:<8} {shown(gap.feature):<{width}}  {title}"
            )
    return lines


def requirement_lines(analysis: Analysis) -> list[str]:
    lines: list[str] = []
    if analysis.mandatory_holes:
        lines.append("Required features not complete everywhere")
        for hole in analysis.mandatory_holes:
            lines.append(
                f"  {shown(hole.feature)} ({shown(hole.reason)}):"
                f" {shown(hole.driver)} {hole.value.value}"
            )
    if analysis.unmet_choices:
        lines.append("Choice groups a driver completes no member of")
        for driver, group in analysis.unmet_choices:
            lines.append(f"  choice({shown(group)}): {shown(driver)}")
    return lines


def write_comparison(comparison: Comparison, out: TextIO) -> None:
    """The features where the drivers differ, each value with its note."""
    matrix = comparison.matrix
    names = " against ".join(
        f"{title_of_key(matrix, key)} [{shown(key)}]" for key in comparison.drivers
    )
    lines = [
        f"Feature matrix {shown(matrix.label, 200)}: {names}",
        f"{len(comparison.differences)} feature(s) differ,"
        f" {comparison.same} are the same",
    ]
    for key in comparison.others:
        lines.append(
            f"  {title_of_key(matrix, key)}: {comparison.gaps[key]} gap(s),"
            f" parity {comparison.parity[key] * 100:.1f}%"
            f" against {title_of_key(matrix, comparison.yardstick)}"
        )
    out.write("\n".join(lines) + "\n\n")
    for difference in comparison.differences:
        feature = difference.feature
        out.write(f"{shown(feature.key)}  {shown(feature.title)}\n")
        for key, cell in zip(comparison.drivers, difference.cells, strict=True):
            since = f" (since {shown(cell.since)})" if cell.since else ""
            out.write(f"  {title_of_key(matrix, key):<32}  {cell.value.value}{since}\n")
            if cell.note:
                out.write(f"    note: {shown(cell.note, 200)}\n")
    if comparison.differences:
        out.write("\n")


def title_of_key(matrix: Matrix, key: str) -> str:
    driver = matrix.driver(key)
    return shown(driver.title if driver else key)
