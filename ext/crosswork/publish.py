"""``crosswork publish``: the nightly run, from the upstreams to one folder to upload.

Each step is one function: the site address is checked (a published page
must never carry a placeholder address, and feeds need a real one), the
snapshot is refreshed by ``crosswork fetch``, the site is built with
``sphinx-build -W --keep-going -n`` into a fresh folder, every published
page is checked for loopback and placeholder addresses, and the data's
health is checked with ``crosswork health``.

An upstream outage never stops the run: the fetch records it in the status
file and pages show the last good data with its age. A content error does:
the build fails and nothing is left to upload. So the exit status tells a
scheduler what to do with the folder:

* ``0``: published and every source healthy: upload it.
* ``1``: the build failed, or a page carries a loopback or placeholder
  address: no folder is left, so nothing can be uploaded.
* ``2``: refused before anything ran: no https site address, an output
  folder that is not a build folder, unusable endpoints.
* ``3``: published, but the data needs attention: upload the folder (it
  shows the last good data, marked stale), then alert.
* ``75``: another fetch holds the snapshot folder: try again later.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from crosswork.datakind import DataKind
from crosswork.diagnostics import Diagnostic, register
from crosswork.fetch.health import health_command
from crosswork.fetch.http import TOKEN_VARIABLES
from crosswork.fetch.lock import DEFAULT_WAIT
from crosswork.fetch.run import fetch_command
from crosswork.fetch.sources import SourceError, collect_sources
from crosswork.layout import Layout
from crosswork.site.data import SiteData, load_site

register(
    "Published files",
    P101="a published file links a loopback address",
    P102="a published file carries a placeholder address",
)

EXIT_PUBLISHED = 0
EXIT_BUILD_FAILED = 1
EXIT_REFUSED = 2
EXIT_UNHEALTHY = 3

SITE_URL_VARIABLE = "CROSSWORK_SITE_URL"
#: Where ``make publish`` leaves the site, inside the repository.
OUTPUT_DIR = "build/publish"
#: The hand-written pages, relative to the repository (``conf.py`` is at its root).
SOURCE_DIR = "doc/source"

#: Host names reserved for examples, tests and placeholders (RFC 2606, 6761).
_PLACEHOLDER_SUFFIXES = (".invalid", ".test", ".example", ".localhost", ".local")
_PLACEHOLDER_HOSTS = frozenset(
    {"localhost", "example.com", "example.net", "example.org"}
)
#: Files a reader or a feed reader gets; the theme's own assets are not data.
_PAGE_SUFFIXES = frozenset({".html", ".atom", ".xml", ".json", ".ics", ".txt"})
_LOOPBACK_URL = re.compile(
    r"[a-z][a-z0-9+.-]*://(?:127(?:\.\d{1,3}){3}|\[::1\]|localhost|0\.0\.0\.0)\b",
    re.IGNORECASE,
)
_PLACEHOLDER_HOST = re.compile(
    r"(?://|[a-z0-9._%+-]+@)[a-z0-9.-]*\.invalid\b", re.IGNORECASE
)


@dataclass(frozen=True)
class PublishRun:
    """Where one run reads and writes."""

    layout: Layout
    #: The folder to upload, replaced as a whole by each successful run.
    output: Path
    #: The snapshot the fetch refreshes and the build renders.
    snapshot: Path
    #: Data the upstream confirmed longer ago needs attention (``crosswork health``).
    max_age_hours: float
    lock_wait: float = DEFAULT_WAIT


# --- Step 1: the site address -------------------------------------------------


def site_address_problem(url: str) -> str:
    """Why ``url`` cannot be the published site's address; "" if it can."""
    if not url:
        return f"{SITE_URL_VARIABLE} is not set: publishing needs the site's address"
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host:
        return f"{SITE_URL_VARIABLE} must be an https URL with a host name"
    if parts.username or parts.password or parts.query or parts.fragment:
        return (
            f"{SITE_URL_VARIABLE} must be a plain address: "
            "no credentials, query or fragment"
        )
    if _is_placeholder_host(host):
        return f"{SITE_URL_VARIABLE} names a loopback or placeholder host: {host}"
    return ""


def _is_placeholder_host(host: str) -> bool:
    if host.endswith(_PLACEHOLDER_SUFFIXES) or any(
        host == name or host.endswith(f".{name}") for name in _PLACEHOLDER_HOSTS
    ):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_unspecified


def output_problem(output: Path, root: Path) -> str:
    """Why ``output`` must not be replaced by a run; "" if it may."""
    if root.is_relative_to(output):
        return f"the output folder {output} holds the repository"
    builds = root / "build"
    if output.is_relative_to(root) and not (
        output.is_relative_to(builds) and output != builds
    ):
        return f"the output folder {output} is inside the repository but not in build/"
    return ""


# --- Step 2: the fetch --------------------------------------------------------


def seed_snapshot(committed: Path, folder: Path) -> None:
    """A new snapshot folder starts from the committed data, so that a
    source whose upstream fails shows its last good data, marked stale."""
    if folder.exists() or not committed.is_dir() or folder == committed:
        return
    shutil.copytree(committed, folder)


def fetch(
    run: PublishRun, site: SiteData, kinds: Sequence[DataKind], out: TextIO, err: TextIO
) -> int:
    """``crosswork fetch`` into the run's snapshot; 0 unless it could not run.
    The GitHub token, if any, is read from the environment at each request."""
    seed_snapshot(run.layout.snapshot, run.snapshot)
    return fetch_command(
        run.layout.workgroups,
        run.snapshot,
        [],
        kinds=kinds,
        lock_wait=run.lock_wait,
        specs=site.specs,
        out=out,
        err=err,
    )


# --- Step 3: the build --------------------------------------------------------


def build_environment(environ: Mapping[str, str], url: str) -> dict[str, str]:
    """The build's environment: the site address, no live fetch, no token
    (the build never talks to an upstream, so it gets no credential)."""
    env = {k: v for k, v in environ.items() if k not in TOKEN_VARIABLES}
    env.pop("CROSSWORK_LIVE", None)
    env[SITE_URL_VARIABLE] = url
    return env


def sphinx_command(run: PublishRun, html: Path, doctrees: Path) -> list[str]:
    root = run.layout.root
    return [
        sys.executable,
        "-m",
        "sphinx",
        "-W",
        "--keep-going",
        "-n",
        "-q",
        "-b",
        "html",
        "-c",
        str(root),
        "-d",
        str(doctrees),
        "-D",
        f"crosswork_snapshot_dir={run.snapshot}",
        str(root / SOURCE_DIR),
        str(html),
    ]


def build(run: PublishRun, url: str, environ: Mapping[str, str]) -> bool:
    """Build the site from scratch beside ``run.output``, then put it in its
    place: the folder never mixes two runs. False if the build failed."""
    run.output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(
        prefix=f".{run.output.name}-", dir=run.output.parent
    ) as work:
        html, doctrees = Path(work, "html"), Path(work, "doctrees")
        command = sphinx_command(run, html, doctrees)
        done = subprocess.run(  # noqa: S603 (our interpreter, our arguments)
            command, env=build_environment(environ, url), check=False
        )
        if done.returncode != 0:
            return False
        html.rename(run.output)
    return True


# --- Step 4: the published addresses --------------------------------------------


def published_pages(folder: Path) -> Iterator[Path]:
    """Pages and data files, not the theme's assets under ``_static``."""
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if path.suffix in _PAGE_SUFFIXES and "_static" not in parts and path.is_file():
            yield path


def address_findings(folder: Path) -> list[Diagnostic]:
    """Every loopback link and placeholder address in the published pages."""
    findings: list[Diagnostic] = []
    for path in published_pages(folder):
        text = path.read_text(encoding="utf-8", errors="replace")
        label = path.relative_to(folder).as_posix()
        for pattern, code, what in (
            (_LOOPBACK_URL, "P101", "loopback address"),
            (_PLACEHOLDER_HOST, "P102", "placeholder address"),
        ):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
                message = f"{what} {match.group(0).lstrip('/')!r} in a published file"
                findings.append(Diagnostic(label, line, column, code, message))
    return findings


# --- Step 5: the data's health ------------------------------------------------


def health(
    run: PublishRun, site: SiteData, kinds: Sequence[DataKind], out: TextIO, err: TextIO
) -> int:
    """``crosswork health`` on the run's snapshot: 0 healthy, 1 otherwise."""
    try:
        declared = [s.id for s in collect_sources(site.registry, kinds, site.specs)]
    except SourceError as error:
        print(error, file=err)
        return 1
    return health_command(
        run.snapshot,
        declared,
        max_age_hours=run.max_age_hours,
        form="text",
        now=dt.datetime.now(dt.UTC),
        out=out,
    )


# --- The run ------------------------------------------------------------------


def publish(
    run: PublishRun,
    kinds: Sequence[DataKind],
    *,
    environ: Mapping[str, str] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Fetch, build, check; the exit status says what to upload (module doc)."""
    environ = os.environ if environ is None else environ
    out, err = out or sys.stdout, err or sys.stderr
    url = environ.get(SITE_URL_VARIABLE, "").strip()
    refusal = site_address_problem(url) or output_problem(run.output, run.layout.root)
    if refusal:
        print(f"publish: refused: {refusal}", file=err)
        return EXIT_REFUSED
    # Nothing of an earlier run may be left to upload if this one fails.
    if run.output.exists():
        shutil.rmtree(run.output)

    # Read once: the fetch and the health check need the same charters and
    # specs (the build checks every file again, in its own process).
    site = load_site(run.layout, dt.date.today(), kinds)
    print(f"publish: fetching into {run.snapshot}", file=out)
    fetched = fetch(run, site, kinds, out, err)
    if fetched != 0:
        print(f"publish: the fetch could not run (exit {fetched})", file=err)
        return fetched
    print(f"publish: building {url} into {run.output}", file=out)
    if not build(run, url, environ):
        print("publish: the build failed: nothing to upload", file=err)
        return EXIT_BUILD_FAILED
    findings = address_findings(run.output)
    if findings:
        for finding in findings:
            print(f"{run.output}/{finding}", file=err)
        shutil.rmtree(run.output)
        print(
            "publish: pages carry unpublishable addresses: nothing to upload", file=err
        )
        return EXIT_BUILD_FAILED
    print("publish: checking the data's health", file=out)
    if health(run, site, kinds, out, err) != 0:
        print(
            f"publish: {run.output} is ready to upload, but the data needs "
            "attention (exit 3: upload, then alert)",
            file=err,
        )
        return EXIT_UNHEALTHY
    print(f"publish: {run.output} is ready to upload", file=out)
    return EXIT_PUBLISHED
