"""Shared fixtures: Sphinx test roots, the shared corpus of real data, and
the fake upstream serving it.

Sites are built from private copies of the roots in ``tests/roots``:
``copy_root`` makes the copy, ``build_site`` builds it, ``files_of``
reads a folder back for comparisons. Fetches run against ``upstream``,
serving ``recordings``, on a ``clock`` that moves only when told to;
``fetch_charters`` fills a site's snapshot folder from its charters' tracks.
Folders whose tests all fetch turn ``no_network`` on for every test.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences
from sphinx.util.docutils import docutils_namespace

from crosswork.fetch.endpoints import parse_endpoints
from crosswork.fetch.http import Policy
from crosswork.fetch.run import FetchReport, fetch_all
from crosswork.fetch.sources import Source, collect_sources
from crosswork.kinds import KINDS
from crosswork.site.sphinxext import InvalidSiteData
from crosswork.testing import loopback_only
from crosswork.testing.required import CORPUS_VARIABLE, required_folder
from crosswork.testing.timeline import Timeline
from crosswork.testing.upstream import FakeUpstream, Recordings
from crosswork.workgroups.registry import load_registry

pytest_plugins = ("sphinx.testing.fixtures", "fetching", "browsing")
collect_ignore = ["roots"]

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"

CopyRoot = Callable[..., Path]
BuildSite = Callable[..., tuple[SphinxTestApp, list[str]]]
RebuildSite = Callable[..., tuple[SphinxTestApp, list[str], list[str]]]
FilesOf = Callable[..., dict[str, bytes]]
StoppedBuild = Callable[..., tuple[InvalidSiteData, list[str]]]


# --- Counts printed at the end of a run ---------------------------------------

#: Counts of the suites that report what they covered, by suite.
SUITE_COUNTS = pytest.StashKey[dict[str, dict[str, int]]]()


@pytest.fixture(scope="session")
def suite_counts(request: pytest.FixtureRequest) -> dict[str, dict[str, int]]:
    """``suite_counts[suite][what] += n``: printed after the test summary."""
    return request.config.stash.setdefault(SUITE_COUNTS, {})


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    counts = config.stash.get(SUITE_COUNTS, {})
    if counts:
        terminalreporter.section("what the suites covered")
        for suite, figures in counts.items():
            text = ", ".join(f"{what} {number}" for what, number in figures.items())
            terminalreporter.write_line(f"{suite}: {text}")


@pytest.fixture(scope="session", autouse=True)
def user_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A cache folder of the suite's own for ``crosswork lint`` (and every
    command it starts): the user's stays untouched."""
    folder = tmp_path_factory.mktemp("user-cache")
    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    yield folder
    if saved is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = saved


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return Path(__file__).parent / "roots"


@pytest.fixture
def corpus() -> Path:
    """The shared corpus: skips without it, fails if CI requires it."""
    return required_folder(CORPUS, "shared corpus not available", CORPUS_VARIABLE)


@pytest.fixture
def repo_root() -> Path:
    return ROOT


@pytest.fixture
def copy_root(rootdir: Path, tmp_path: Path) -> CopyRoot:
    """``copy_root("test-site", folder="site")``: a private copy of a test
    root (or of a folder in one, ``"test-site/repo"``) at ``tmp_path /
    folder``, free to edit."""

    def copy(name: str, folder: str = "site") -> Path:
        target = tmp_path / folder
        shutil.copytree(rootdir / name, target)
        return target

    return copy


@pytest.fixture
def build_site(make_app: Callable[..., SphinxTestApp]) -> BuildSite:
    """``build_site(srcdir, builder="html", **kwargs)``: one build by a new
    app (``kwargs`` go to ``make_app``); returns the app and the sorted
    names of the documents it read."""

    def build(
        srcdir: Path, builder: str = "html", **kwargs: Any
    ) -> tuple[SphinxTestApp, list[str]]:
        app = make_app(builder, srcdir=srcdir, **kwargs)
        read: list[str] = []
        app.connect("env-before-read-docs", lambda app, env, docs: read.extend(docs))
        app.build()
        app.cleanup()  # unregister its docutils nodes before the next app starts
        return app, sorted(read)

    return build


def page_times(outdir: Path) -> dict[str, int]:
    return {
        path.relative_to(outdir).with_suffix("").as_posix(): path.stat().st_mtime_ns
        for path in outdir.rglob("*.html")
    }


@pytest.fixture
def rebuild_site(build_site: BuildSite) -> RebuildSite:
    """``rebuild_site(srcdir, **kwargs)``: :func:`build_site`, also returning
    the sorted names of the documents whose pages it wrote (their files
    changed, so parallel writing counts too; Sphinx's own index and search
    pages, written on every build, are not documents)."""

    def build(
        srcdir: Path, **kwargs: Any
    ) -> tuple[SphinxTestApp, list[str], list[str]]:
        outdir = srcdir / "_build" / "html"
        before = page_times(outdir) if outdir.is_dir() else {}
        app, read = build_site(srcdir, **kwargs)
        after = page_times(Path(app.outdir))
        written = sorted(
            docname
            for docname, moment in after.items()
            if docname in app.env.all_docs and before.get(docname) != moment
        )
        return app, read, written

    return build


@pytest.fixture
def stopped_build(make_app: Callable[..., SphinxTestApp]) -> StoppedBuild:
    """``stopped_build(srcdir, **kwargs)``: a build that the site extension
    stops with :class:`~crosswork.site.sphinxext.InvalidSiteData`; returns
    the exception and the lines of the warning stream.

    The exception is a ``SystemExit``, which ``SphinxTestApp`` does not
    clean up after, so the docutils registrations of the stopped app are
    undone here, as ``sphinx-build`` does.
    """

    def build(srcdir: Path, **kwargs: Any) -> tuple[InvalidSiteData, list[str]]:
        log = StringIO()
        with docutils_namespace(), pytest.raises(InvalidSiteData) as stopped:
            make_app("html", srcdir=srcdir, warning=log, **kwargs)
        return stopped.value, strip_escape_sequences(log.getvalue()).splitlines()

    return build


@pytest.fixture
def files_of() -> FilesOf:
    """``files_of(folder, under=("",))``: every file below ``folder`` whose
    POSIX path relative to ``folder`` starts with one of ``under``, by that
    path, in path order, with its bytes."""

    def read(folder: Path, under: tuple[str, ...] = ("",)) -> dict[str, bytes]:
        files = (
            (path.relative_to(folder).as_posix(), path)
            for path in sorted(folder.rglob("*"))
            if path.is_file()
        )
        return {
            name: path.read_bytes() for name, path in files if name.startswith(under)
        }

    return read


# --- Fetching from the fake upstream ---------------------------------------------

#: Where every fake clock starts.
START = dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def no_network() -> Iterator[None]:
    """Fail the test if anything tried to leave loopback."""
    with loopback_only() as refused:
        yield
    assert not refused, f"network access attempted: {refused}"


@pytest.fixture
def recordings(corpus: Path) -> Recordings:
    return Recordings.from_corpus(corpus)


@pytest.fixture
def upstream(recordings: Recordings) -> Iterator[FakeUpstream]:
    """Every service of the fake upstream on one loopback port."""
    with FakeUpstream(recordings) as fake:
        yield fake


class Clock:
    """A clock that moves only when told to."""

    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def timeline() -> Timeline:
    """A clock that moves only by recorded sleeps (or by a ``tick`` set)."""
    return Timeline()


@pytest.fixture
def fetch_charters() -> Callable[..., FetchReport]:
    """``fetch_charters(repo, endpoints, select=list, **options)``: one
    :func:`fetch_all` of the sources of the charters in ``repo /
    "workgroups"`` (those ``select`` keeps) into ``repo / "snapshot"``, from
    ``endpoints`` (as ``CROSSWORK_ENDPOINTS`` writes them); ``clock`` and
    ``policy`` in ``options``. Unless given, ``environ`` is empty and time
    runs on :meth:`Timeline.for_deadline` of the policy's deadline."""

    def run(
        repo: Path,
        endpoints: str,
        select: Callable[[list[Source]], list[Source]] = list,
        **options: Any,
    ) -> FetchReport:
        registry, problems = load_registry(repo / "workgroups", kinds=KINDS)
        assert problems == []
        options.setdefault("environ", {})
        policy = options.get("policy") or Policy()
        timeline = Timeline.for_deadline(policy.deadline)
        options.setdefault("sleep", timeline.sleep)
        options.setdefault("monotonic", timeline.monotonic)
        return fetch_all(
            select(collect_sources(registry, KINDS)),
            repo / "snapshot",
            endpoints=parse_endpoints(endpoints),
            **options,
        )

    return run
