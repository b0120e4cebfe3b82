"""``crosswork specs``: the specs board in a terminal, offline.

Like ``kepctl query`` for Kubernetes enhancements: filter the specs by
workgroup (owning or participating), status and cycle, or list the open
proposals with ``--under-review``. The figures are the ones the site shows,
read from the committed snapshot; nothing is fetched. ``--format json``
prints the records of ``api/specs.json`` (without their pages), under the
command's own ``schema_version``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

from crosswork.datakind import DataKind
from crosswork.fetch.snapshot import load_status
from crosswork.fetch.view import SourceView, read_view
from crosswork.layout import SNAPSHOT_DIR, Layout
from crosswork.site.data import SiteData, load_site
from crosswork.specs.board import (
    SpecState,
    age_in_words,
    matches,
    open_proposals,
    proposal_sources,
    spec_json,
    spec_state,
)
from crosswork.specs.model import STATUSES
from crosswork.specs.progress import Proposal, Read


def register(subparsers: argparse._SubParsersAction, kinds: Sequence[DataKind]) -> None:
    """Add the ``specs`` subcommand, whose figures come from ``kinds``."""
    command = subparsers.add_parser(
        "specs",
        help="list specs with their review state and progress (offline)",
        description=__doc__.split("\n")[0],
    )
    command.add_argument("--workgroup", metavar="SLUG", default="")
    command.add_argument("--status", choices=STATUSES, default="")
    command.add_argument("--cycle", metavar="CYCLE", default="")
    command.add_argument(
        "--under-review",
        action="store_true",
        help="list the open proposals instead of the specs",
    )
    command.add_argument("--format", choices=("text", "json"), default="text")
    command.add_argument(
        "--snapshot",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"the snapshot folder (default: {SNAPSHOT_DIR}/ in the repository)",
    )
    command.set_defaults(run=run, kinds=tuple(kinds))


def snapshot_reader(folder: Path) -> Read:
    """Reads sources of a snapshot folder, each once."""
    statuses = load_status(folder) if folder.is_dir() else {}
    views: dict[str, SourceView] = {}

    def read(source_id: str) -> SourceView:
        if source_id not in views:
            views[source_id] = read_view(folder, source_id, statuses)
        return views[source_id]

    return read


def run(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    layout = Layout(args.root)
    site = load_site(layout, dt.date.today(), args.kinds)
    if site.problems:
        print(
            f"{len(site.problems)} finding(s) in charters or specs: specs with "
            "errors are left out (see `crosswork lint`)",
            file=sys.stderr,
        )
    read = snapshot_reader(args.snapshot or layout.snapshot)
    if args.under_review:
        proposals = [
            proposal
            for proposal in open_proposals(site, site.kinds, read)
            if not args.workgroup or proposal.workgroup == args.workgroup
        ]
        followed = bool(proposal_sources(site, site.kinds))
        write_proposals(proposals, followed, args.format, out)
        return 0
    states = [
        spec_state(spec, site, site.kinds, read)
        for spec in site.specs
        if matches(spec, workgroup=args.workgroup, status=args.status, cycle=args.cycle)
    ]
    write_specs(states, site, args.format, out)
    return 0


def write_specs(
    states: Sequence[SpecState], site: SiteData, form: str, out: TextIO
) -> None:
    if form == "json":
        records = [spec_json(state.spec, state) for state in states]
        json.dump({"schema_version": 2, "specs": records}, out, indent=2)
        out.write("\n")
        return
    if not states:
        print("No spec matches.", file=out)
    for state in states:
        spec = state.spec
        print(f"{spec.id}  {spec.status}  {spec.workgroup}  {spec.title}", file=out)
        for figure in state.progress:
            print(
                f"    {figure.label}: {figure_words(figure.state, figure.summary)}",
                file=out,
            )


def figure_words(state: str, summary: str) -> str:
    return f"{state}, {summary}" if state and not summary.startswith(state) else summary


def write_proposals(
    proposals: Iterable[Proposal], followed: bool, form: str, out: TextIO
) -> None:
    proposals = list(proposals)
    if form == "json":
        json.dump({"under_review": [p.to_json() for p in proposals]}, out, indent=2)
        out.write("\n")
        return
    if not followed:
        print("No code review is followed: no charter has a reviews track.", file=out)
    elif not proposals:
        print("No spec is under review.", file=out)
    now = dt.datetime.now(dt.UTC)
    for proposal in proposals:
        target = proposal.spec_id or f"new: {proposal.path}"
        votes = "; ".join(f"{label} {votes}" for label, votes in proposal.votes)
        print(
            f"{proposal.service} {proposal.number}  {target}  {proposal.title}",
            file=out,
        )
        print(
            f"    {proposal.owner}, last activity {proposal.updated:%Y-%m-%d}"
            f" ({age_in_words(proposal.updated, now)} ago), {votes or 'no votes'}",
            file=out,
        )
        print(f"    {proposal.url}", file=out)
