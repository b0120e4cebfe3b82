"""``crosswork adoption``: shared-library adoption of requirements files.

Each FILE_OR_URL is a service's requirements file; the service is named
after the file (``nova.requirements.txt`` and ``nova/requirements.txt``
are both ``nova``). A URL must be a file of the ``files`` service
(``CROSSWORK_ENDPOINTS`` can point it at a mirror), fetched with the
project's one HTTP client. Lines that cannot be read are printed as
``path:line:col: CODE message`` on standard error. The exit status is 1
when a file is not text, 2 when the command cannot run at all.
``--format json`` prints the shape of ``api/adoption.json``'s
``analysis`` (documented in ``doc/source/reference/adoption.rst``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import TextIO

from crosswork.charts import percent
from crosswork.diagnostics import Diagnostic, Severity, has_errors
from crosswork.fetch.endpoints import endpoints_from_environ
from crosswork.fetch.http import FetchError, HttpClient
from crosswork.fetch.providers import expect_ok
from crosswork.kinds.adoption.analysis import Analysis, analyse
from crosswork.kinds.adoption.provider import MAX_BYTES, expect_text
from crosswork.kinds.adoption.requirements import (
    RequirementsFile,
    parse_requirements,
)
from crosswork.kinds.adoption.tracks import SERVICE
from crosswork.textclean import clean_line

REMOTE = re.compile(r"^\s*https?://", re.IGNORECASE)
PROG = "crosswork adoption"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``adoption`` subcommand to the ``crosswork`` command."""
    command = subparsers.add_parser(
        "adoption",
        help="report which services use which shared libraries",
        description=__doc__.split("\n")[0],
    )
    command.add_argument(
        "sources",
        metavar="FILE_OR_URL",
        nargs="+",
        help="requirements files, one per service",
    )
    command.add_argument(
        "--libraries",
        metavar="PATTERN",
        action="append",
        default=None,
        help="a library name or pattern like oslo.* (repeatable; default: oslo.*)",
    )
    command.add_argument(
        "--global", dest="global_file", metavar="FILE", help="global requirements"
    )
    command.add_argument(
        "--constraints", metavar="FILE", help="upper constraints (version pins)"
    )
    command.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format"
    )
    command.set_defaults(run=run)


def service_name(source: str) -> str:
    """``.../nova.requirements.txt`` and ``.../nova/requirements.txt``: nova."""
    path = PurePosixPath(source.split("?")[0].split("#")[0].rstrip("/"))
    stem = path.name.split(".")[0]
    if stem in {"requirements", ""} and path.parent.name:
        return path.parent.name
    return stem or source


def read(source: str, environ: Mapping[str, str]) -> bytes | None:
    """The bytes of a file or a files-service URL, or None after saying why."""
    if REMOTE.match(source):
        return read_url(source.strip(), environ)
    try:
        with open(source, "rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        print(f"{PROG}: cannot read {source}: {reason}", file=sys.stderr)
        return None
    if len(data) > MAX_BYTES:
        print(f"{PROG}: {source} is larger than {MAX_BYTES} bytes", file=sys.stderr)
        return None
    return data


def read_url(url: str, environ: Mapping[str, str]) -> bytes | None:
    try:
        endpoints = endpoints_from_environ(environ)
    except ValueError as error:
        print(f"{PROG}: {clean_line(str(error), 200)}", file=sys.stderr)
        return None
    base = endpoints.base(SERVICE)
    if not url.startswith(f"{base}/"):
        print(
            f"{PROG}: {clean_line(url, 200)} is not a file of {base}/",
            file=sys.stderr,
        )
        return None
    try:
        with HttpClient(endpoints, environ=environ) as client:
            files = client.for_service(SERVICE)
            response = files.get(
                url,
                headers={"Accept": "text/plain"},
                deadline=files.start_deadline(),
            )
            return expect_text(expect_ok(response)).body
    except FetchError as error:
        print(f"{PROG}: {error.message}", file=sys.stderr)
        return None


def run(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> int:
    """Print the analysis of ``args.sources``; the exit status."""
    environ = os.environ if environ is None else environ
    services: dict[str, RequirementsFile] = {}
    for source in args.sources:
        data = read(source, environ)
        if data is None:
            return 2
        name = service_name(source)
        if name in services:
            print(f"{PROG}: two files name the service {name!r}", file=sys.stderr)
            return 2
        services[name] = parse_requirements(source, data)
    extra: dict[str, RequirementsFile | None] = {}
    for key, source in (
        ("global", args.global_file),
        ("constraints", args.constraints),
    ):
        extra[key] = None
        if source:
            data = read(source, environ)
            if data is None:
                return 2
            extra[key] = parse_requirements(source, data)
    analysis = analyse(
        services,
        args.libraries or ["oslo.*"],
        {"configuration": ["oslo.config"], "logging": ["oslo.log"]},
        extra["global"],
        extra["constraints"],
    )
    problems = list(analysis.problems)
    try:
        if args.format == "json":
            print(json.dumps(analysis.to_json(), indent=2, ensure_ascii=False))
        else:
            write_report(analysis, sys.stdout)
            print_problems(problems)
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 1 if has_errors(problems) else 0


def print_problems(problems: list[Diagnostic]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        errors = sum(1 for p in problems if p.severity is Severity.ERROR)
        print(
            f"{errors} error(s), {len(problems) - errors} warning(s)", file=sys.stderr
        )


def write_report(analysis: Analysis, out: TextIO) -> None:
    """Groups, then per library: users, minimums, floor, pin, convergence."""
    total = len(analysis.services)
    for group in analysis.groups:
        out.write(
            f"{group.name}: {len(group.adopted)} of {total} services"
            f"; not: {', '.join(group.not_adopted) or 'none'}\n"
        )
    out.write(f"uses none: {', '.join(analysis.uses_none) or 'none'}\n\n")
    for lib in analysis.libraries:
        report = analysis.reports[lib]
        share = (
            f"{percent(report.convergence)} at {report.modal_minimum or 'no minimum'}"
            if report.convergence is not None
            else "not used"
        )
        out.write(
            f"{report.display}: {len(report.users)} of {total}"
            f"; minimums {report.spread}; convergence {share}"
            f"; floor {report.global_floor or 'none'}; pin {report.pin or 'none'}\n"
        )
        for service in report.users:
            flags = [
                label
                for label, names in (
                    ("below floor", report.below_floor),
                    ("excludes pin", report.excludes_pin),
                )
                if service in names
            ]
            suffix = f"  ({', '.join(flags)})" if flags else ""
            out.write(f"  {service}: {analysis.cell(service, lib).text}{suffix}\n")
        if report.non_users:
            out.write(f"  not used by: {', '.join(report.non_users)}\n")
