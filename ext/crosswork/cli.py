"""The ``crosswork`` command: the checks and chores of contributors.

``crosswork lint`` is the review gate: it validates the workgroup charters,
the design specs and the repository files that data tracks name, and
prints every finding as ``path:line:col: CODE message``, exiting 1 if
there is any, since any finding fails the site build. ``crosswork new-spec`` starts a
spec from the template with valid metadata. ``crosswork fetch`` refreshes
the data snapshot from the upstream services; ``crosswork publish`` is the
nightly run (fetch, build, health) that leaves one folder to upload.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from crosswork import __version__
from crosswork.fetch.lock import DEFAULT_WAIT

if TYPE_CHECKING:
    from crosswork.diagnostics import Diagnostic
    from crosswork.layout import Layout

# Start-up stays cheap (``crosswork --version``, ``--help``): each command
# imports what it needs (the kinds, Sphinx's docutils, HTTP, JSON Schema)
# in its handler, and a subcommand declared in another module is imported
# only when its name is on the command line.

#: The default folders, as ``crosswork.fetch.run`` and ``crosswork.publish`` name them.
SNAPSHOT_HELP = "snapshot/ in the repository"
OUTPUT_HELP = "build/publish/"
#: As ``crosswork.fetch.run.DEFAULT_WORKERS``, which imports HTTP.
DEFAULT_WORKERS = 8


def find_root(start: Path) -> Path:
    """The nearest folder holding the site's ``conf.py``, else ``start``."""
    for folder in (start, *start.parents):
        if (folder / "conf.py").is_file() and (folder / "workgroups").is_dir():
            return folder
    return start


#: The folder ``crosswork lint`` keeps its results in, one file each.
LINT_CACHE = "results"


def cache_folder(root: Path, environ: Mapping[str, str] | None = None) -> Path | None:
    """Where ``crosswork lint`` keeps results for the repository at ``root``:
    the user's cache folder (``environ`` is the process's unless given),
    never the repository, where a change under review could plant a file;
    None for a user without a home folder."""
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:
            return None
    name = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return Path(base) / "crosswork" / name


def selected(paths: Sequence[Path], layout: Layout) -> tuple[bool, list[Path]]:
    """Whether charters are asked for, and which spec files."""
    if not paths:
        return True, []
    charters = False
    specs: list[Path] = []
    for path in (p.resolve() for p in paths):
        if path == layout.workgroups or layout.workgroups in path.parents:
            charters = True
        elif path.is_dir():
            charters = charters or layout.workgroups.is_relative_to(path)
            specs.extend(sorted(path.rglob("*.rst")))
        else:
            specs.append(path)
    return charters, specs


def lint(
    layout: Layout,
    paths: Sequence[Path],
    today: dt.date,
    cache: Path | None = None,
    workers: int = 1,
) -> list[Diagnostic]:
    """Every finding in the files named by ``paths`` (all if none): the
    checks of the site build, run by :func:`crosswork.site.data.load_site`.
    Files unchanged since a run that kept its results in the ``cache``
    folder are not read again; ``workers`` processes parse the others."""
    from crosswork.diagnostics import sort_diagnostics
    from crosswork.kinds import KINDS
    from crosswork.lintcache import LintCache
    from crosswork.site.data import load_site

    want_charters, spec_paths = selected(paths, layout)
    linted = LintCache.in_folder(cache / LINT_CACHE) if cache else None
    site = load_site(
        layout,
        today,
        KINDS,
        linted,
        spec_paths=spec_paths or None,
        track_files=not paths or want_charters,
        workers=workers,
    )
    if linted:
        linted.save_folder(prune=not paths)
    problems = list(site.charter_problems)
    if paths and not want_charters:
        problems = []
    if not paths or spec_paths:
        problems.extend(site.spec_problems)
    if not paths or want_charters:
        problems.extend(site.track_file_problems)
    return sort_diagnostics(problems)


def command_lint(args: argparse.Namespace) -> int:
    from crosswork.diagnostics import Severity
    from crosswork.layout import Layout

    layout = Layout(args.root)
    cache = None if args.no_cache else cache_folder(layout.root)
    problems = lint(layout, args.paths, dt.date.today(), cache, args.jobs)
    for problem in problems:
        print(problem)
    if problems:
        errors = sum(1 for p in problems if p.severity is Severity.ERROR)
        warnings = len(problems) - errors
        files = len({p.path for p in problems})
        summary = f"{errors} error(s), {warnings} warning(s) in {files} file(s)"
        print(summary, file=sys.stderr)
    # The site builds with -W: a warning fails it, so it fails the gate too.
    return 1 if problems else 0


def command_new_spec(args: argparse.Namespace) -> int:
    from crosswork.kinds import KINDS
    from crosswork.layout import Layout
    from crosswork.specs.scaffold import new_spec
    from crosswork.workgroups.registry import load_registry

    layout = Layout(args.root)
    registry, _ = load_registry(layout.workgroups, layout.root, kinds=KINDS)
    if args.workgroup not in registry:
        known = ", ".join(registry.workgroups) or "none"
        print(f"unknown workgroup {args.workgroup!r} ({known})", file=sys.stderr)
        return 2
    _, template_problems = layout.template()
    for problem in template_problems:
        print(problem, file=sys.stderr)
    if template_problems:
        return 1
    try:
        path = new_spec(
            layout.root,
            args.title,
            args.workgroup,
            args.cycle,
            dt.date.today(),
            args.author,
        )
    except (FileExistsError, ValueError) as error:
        print(error, file=sys.stderr)
        return 2
    print(path.relative_to(layout.root))
    return 0


def command_fetch(args: argparse.Namespace) -> int:
    from crosswork.fetch.run import fetch_command
    from crosswork.kinds import KINDS
    from crosswork.layout import Layout
    from crosswork.site.data import load_site

    layout = Layout(args.root)
    folder = args.snapshot or layout.snapshot
    return fetch_command(
        layout.workgroups,
        folder,
        args.source,
        kinds=KINDS,
        lock_wait=args.lock_wait,
        specs=load_site(layout, dt.date.today(), KINDS).specs,
        workers=args.max_workers,
    )


def command_health(args: argparse.Namespace) -> int:
    from crosswork.fetch.health import health_command
    from crosswork.fetch.sources import SourceError, collect_sources
    from crosswork.kinds import KINDS
    from crosswork.layout import Layout
    from crosswork.site.data import load_site

    layout = Layout(args.root)
    site = load_site(layout, dt.date.today(), KINDS)
    try:
        declared = [
            source.id for source in collect_sources(site.registry, KINDS, site.specs)
        ]
    except SourceError as error:
        print(error, file=sys.stderr)
        return 2
    return health_command(
        args.snapshot or layout.snapshot,
        declared,
        max_age_hours=args.max_age,
        form=args.format,
        now=dt.datetime.now(dt.UTC),
    )


def command_publish(args: argparse.Namespace) -> int:
    from crosswork.kinds import KINDS
    from crosswork.layout import Layout
    from crosswork.publish import OUTPUT_DIR, PublishRun, publish

    layout = Layout(args.root)
    run = PublishRun(
        layout,
        output=(args.output or layout.root / OUTPUT_DIR).resolve(),
        snapshot=(args.snapshot or layout.snapshot).resolve(),
        max_age_hours=args.max_age,
        lock_wait=args.lock_wait,
    )
    return publish(run, KINDS)


def _register_matrix(commands: argparse._SubParsersAction) -> None:
    from crosswork.kinds.matrices import command

    command.register(commands)


def _register_adoption(commands: argparse._SubParsersAction) -> None:
    from crosswork.kinds.adoption import command

    command.register(commands)


def _register_specs(commands: argparse._SubParsersAction) -> None:
    from crosswork.kinds import KINDS
    from crosswork.specs import command

    command.register(commands, KINDS)


def _register_health(commands: argparse._SubParsersAction) -> None:
    from crosswork.fetch.health import add_arguments as add_health_arguments

    health = commands.add_parser(
        "health",
        help=LAZY_COMMANDS["health"][0],
        description="Exit 1 when a source is missing, incomplete, stale or old.",
    )
    add_health_arguments(health)
    health.add_argument("--snapshot", type=Path, default=None, metavar="DIR")
    health.set_defaults(run=command_health)


def _register_publish(commands: argparse._SubParsersAction) -> None:
    from crosswork.fetch.health import add_arguments as add_health_arguments

    publish_cmd = commands.add_parser(
        "publish",
        help=LAZY_COMMANDS["publish"][0],
        description="The nightly run: fetch, build with warnings as errors into "
        "one fresh folder, check the data's health. Needs CROSSWORK_SITE_URL "
        "(https). Exit 0: upload; 1: build failed, nothing to upload; "
        "2: refused; 3: upload, then alert on the data's health.",
    )
    publish_cmd.add_argument(
        "--output",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"the folder to upload, replaced by each run (default: {OUTPUT_HELP})",
    )
    publish_cmd.add_argument(
        "--snapshot",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"the snapshot to refresh and render (default: {SNAPSHOT_HELP}); "
        "a new folder starts from a copy of the committed one",
    )
    add_health_arguments(publish_cmd, formats=False)
    publish_cmd.add_argument(
        "--lock-wait", type=float, default=DEFAULT_WAIT, metavar="SECONDS"
    )
    publish_cmd.set_defaults(run=command_publish)


#: Subcommands declared only when named (their modules cost start-up time):
#: name, help, how to declare them.
LAZY_COMMANDS: dict[str, tuple[str, Callable[[argparse._SubParsersAction], None]]] = {
    "matrix": (
        "report feature gaps between drivers of a support matrix",
        _register_matrix,
    ),
    "adoption": (
        "report which services use which shared libraries",
        _register_adoption,
    ),
    "specs": (
        "list specs with their review state and progress (offline)",
        _register_specs,
    ),
    "health": (
        "check that the snapshot has every source, whole and recent",
        _register_health,
    ),
    "publish": (
        "fetch, build the site for its address, check the data's health",
        _register_publish,
    ),
}


def add_lazy_commands(
    commands: argparse._SubParsersAction, argv: Sequence[str]
) -> None:
    """Declare in full each lazy subcommand named in ``argv``, the others
    by name and help only: those cannot be the one argparse picks."""
    for name, (help_text, register) in LAZY_COMMANDS.items():
        if name in argv:
            register(commands)
        else:
            commands.add_parser(name, help=help_text, add_help=False)


def parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The ``crosswork`` command line, declared in full for ``argv``'s
    subcommand (every subcommand when ``argv`` is None)."""
    argv = list(LAZY_COMMANDS) if argv is None else argv
    main = argparse.ArgumentParser(prog="crosswork", description=__doc__.split("\n")[0])
    main.add_argument("--version", action="version", version=__version__)
    main.add_argument(
        "--root",
        type=Path,
        default=None,
        help="the site repository (default: found from the current folder)",
    )
    commands = main.add_subparsers(dest="command", required=True)

    lint_cmd = commands.add_parser("lint", help="validate charters and specs")
    lint_cmd.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default: everything)"
    )
    lint_cmd.add_argument(
        "--no-cache",
        action="store_true",
        help="parse every spec again instead of reusing the results of earlier "
        "runs for unchanged files (kept in the user's cache folder)",
    )
    lint_cmd.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="processes parsing specs, when there are enough to share "
        "(default: the number of CPUs)",
    )
    lint_cmd.set_defaults(run=command_lint)

    spec = commands.add_parser("new-spec", help="start a spec from the template")
    spec.add_argument("title")
    spec.add_argument("--workgroup", required=True)
    spec.add_argument("--cycle", default=None, help="default: the current cycle")
    spec.add_argument("--author", default="Your Name <you@example.org>")
    spec.set_defaults(run=command_new_spec)

    add_lazy_commands(commands, argv)

    fetch = commands.add_parser(
        "fetch", help="refresh the data snapshot from upstreams"
    )
    fetch.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="ID",
        help="only this source, like quality.bugs.nova (repeatable; default: all)",
    )
    fetch.add_argument(
        "--snapshot",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"the snapshot folder (default: {SNAPSHOT_HELP})",
    )
    fetch.add_argument(
        "--lock-wait",
        type=float,
        default=DEFAULT_WAIT,
        metavar="SECONDS",
        help="how long to wait for another fetch of the folder to end "
        f"(default: {DEFAULT_WAIT:g})",
    )
    fetch.add_argument(
        "--max-workers",
        type=int,
        default=DEFAULT_WORKERS,
        metavar="N",
        help="threads fetching sources and their requests; 1 fetches one "
        f"request after another (default: {DEFAULT_WORKERS})",
    )
    fetch.set_defaults(run=command_fetch)

    return main


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parser(argv).parse_args(argv)
    args.root = (args.root or find_root(Path.cwd())).resolve()
    if getattr(args, "cycle", "") is None:
        args.cycle = current_cycle(dt.date.today())
    return args.run(args)


def current_cycle(today: dt.date) -> str:
    """The cycle in development on a date.

    Releases ship around April (``YYYY.1``) and October (``YYYY.2``), so
    work from October onwards targets next year's first release.
    """
    from crosswork.dashboard.model import cycle_of

    return cycle_of(today).name


if __name__ == "__main__":
    sys.exit(main())
