"""``crosswork fetch``: every source refreshed, the last good data kept.

Each test runs :func:`fetch_all` against the fake upstream with a fixed
clock, then reads the snapshot folder the way the site would.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import io
import itertools
import json
import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from crosswork import cli
from crosswork.fetch.endpoints import parse_endpoints
from crosswork.fetch.http import FetchError, Policy
from crosswork.fetch.ledger import load_ledger
from crosswork.fetch.providers import FetchContext, FetchResult
from crosswork.fetch.run import FetchReport, fetch_command, plan_lanes
from crosswork.fetch.snapshot import (
    STATUS_FILE,
    load_history,
    load_snapshot,
)
from crosswork.fetch.sources import Source
from crosswork.kinds import KINDS
from crosswork.layout import Layout
from crosswork.site.data import load_site
from crosswork.testing.timeline import Timeline
from crosswork.testing.upstream import FakeUpstream, Fault, Recordings
from faults import fault_params

TEST_SITE = Path(__file__).resolve().parents[1] / "roots" / "test-site" / "repo"

GITHUB = "common.bugs.pygithub"
LAUNCHPAD = "quality.bugs.sahara"
DATA_FILES = (f"{GITHUB}.json", f"{LAUNCHPAD}.json")

Fetch = Callable[..., FetchReport]


class TwoHosts:
    """Launchpad and GitHub fakes on two ports: two hosts, two breakers.

    The Launchpad host also serves the other services, so that a run over
    the repository's own charters reaches a fake for every track."""

    def __init__(self, launchpad: FakeUpstream, github: FakeUpstream) -> None:
        self.launchpad = launchpad
        self.github = github

    def fake(self, route: str) -> FakeUpstream:
        return self.github if route.startswith("github.") else self.launchpad

    def fail(self, route: str, fault: Fault, **arming: Any) -> None:
        self.fake(route).fail(route, fault, **arming)

    def count(self, route: str) -> int:
        return self.fake(route).count(route)

    def conditional_hits(self, route: str) -> int:
        return self.fake(route).conditional_hits(route)

    def endpoints(self) -> str:
        return f"{self.launchpad.endpoints()},{self.github.endpoints()}"


@pytest.fixture
def upstream(recordings: Recordings) -> Iterator[TwoHosts]:  # type: ignore[override]
    with (
        FakeUpstream(
            recordings, services=["launchpad", "osv", "zuul", "files", "gerrit"]
        ) as launchpad,
        FakeUpstream(recordings, services=["github"]) as github,
    ):
        yield TwoHosts(launchpad, github)


@pytest.fixture
def sources(
    launchpad_source: Callable[..., Source], github_source: Callable[..., Source]
) -> list[Source]:
    return [
        github_source("pygithub", "PyGithub/PyGithub"),
        launchpad_source("sahara", "sahara"),
    ]


@pytest.fixture
def fetch(sources: list[Source], fetch_sources: Fetch) -> Fetch:
    """Run a fetch of ``sources`` (or the given ones) with test settings."""

    def run(chosen: list[Source] | None = None, **options: Any) -> FetchReport:
        return fetch_sources(sources if chosen is None else chosen, **options)

    return run


def data_bytes(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in DATA_FILES}


def status_of(folder: Path, source: str) -> dict[str, Any]:
    return json.loads((folder / STATUS_FILE).read_text())["sources"][source]


def test_a_first_fetch_writes_every_source_and_its_status(
    fetch: Fetch, folder: Path, clock: Any
) -> None:
    report = fetch()

    assert [(o.source, o.status.state, o.written) for o in report.outcomes] == [
        (GITHUB, "fresh", True),
        (LAUNCHPAD, "fresh", True),
    ]
    github = load_snapshot(folder, GITHUB).snapshot
    assert github is not None
    assert github.count == 8
    assert github.fetched_at == clock.now
    assert status_of(folder, GITHUB) == {
        "state": "fresh",
        "checked_at": "2026-05-04T12:00:00Z",
        "fetched_at": "2026-05-04T12:00:00Z",
        "validated_at": "2026-05-04T12:00:00Z",
        "age_seconds": 0,
        "count": 8,
        "complete": True,
        "error": None,
        # Served by the fake upstream, an endpoint override: sample data.
        "sample": True,
    }
    assert [e.count for e in load_history(folder)[LAUNCHPAD]] == [1]


def test_a_refetch_of_unchanged_data_writes_no_data_file(
    fetch: Fetch, folder: Path, clock: Any, upstream: TwoHosts
) -> None:
    fetch()
    before = {name: (folder / name).stat().st_mtime_ns for name in DATA_FILES}
    history = (folder / "history.json").read_bytes()
    clock.advance(hours=6)

    report = fetch()

    assert not any(outcome.written for outcome in report.outcomes)
    assert {name: (folder / name).stat().st_mtime_ns for name in DATA_FILES} == before
    assert (folder / "history.json").read_bytes() == history
    assert status_of(folder, GITHUB)["fetched_at"] == "2026-05-04T12:00:00Z"
    assert status_of(folder, GITHUB)["validated_at"] == "2026-05-04T18:00:00Z"


def test_a_304_keeps_the_data_bytes_and_advances_validated_at(
    fetch: Fetch, folder: Path, clock: Any, upstream: TwoHosts
) -> None:
    fetch()
    before = data_bytes(folder)
    clock.advance(days=1)

    report = fetch()

    assert report.state(GITHUB) == "not-modified"
    assert report.state(LAUNCHPAD) == "not-modified"
    assert upstream.conditional_hits("github.issues") == 1
    assert upstream.conditional_hits("launchpad.search") == 1
    assert data_bytes(folder) == before
    status = status_of(folder, GITHUB)
    assert status["validated_at"] == "2026-05-05T12:00:00Z"
    assert status["fetched_at"] == "2026-05-04T12:00:00Z"
    assert status["count"] == 8
    assert [e.day.isoformat() for e in load_history(folder)[GITHUB]] == [
        "2026-05-04",
        "2026-05-05",
    ]


def test_changed_data_is_written_with_a_new_fetched_at(
    fetch: Fetch,
    folder: Path,
    clock: Any,
    recordings: Recordings,
    sources: list[Source],
    run_policy: Policy,
) -> None:
    fetch()
    clock.advance(hours=1)

    with FakeUpstream(recordings.with_launchpad_tasks("sahara", 2)) as changed:
        report = fetch(endpoints=parse_endpoints(changed.endpoints()))

    assert report.state(LAUNCHPAD) == "fresh"
    snapshot = load_snapshot(folder, LAUNCHPAD).snapshot
    assert snapshot is not None
    assert snapshot.count == 3
    assert snapshot.fetched_at == clock.now


def test_multi_page_results_are_refetched_without_validators(
    fetch: Fetch, upstream: TwoHosts
) -> None:
    fetch(page_sizes={"github": 3})
    first_run = len(upstream.github.requests)

    report = fetch(page_sizes={"github": 3})

    assert report.state(GITHUB) == "fresh"
    later = upstream.github.requests[first_run:]
    assert len(later) == 3
    assert not any("if-none-match" in request.headers for request in later)


def test_a_full_refetch_of_the_same_items_keeps_fetched_at_and_the_file(
    fetch: Fetch, folder: Path, clock: Any
) -> None:
    fetch(page_sizes={"github": 3})
    path = folder / f"{GITHUB}.json"
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    clock.advance(days=1)

    report = fetch(page_sizes={"github": 3})

    assert report.state(GITHUB) == "fresh"
    assert not report.outcomes[0].written
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert status_of(folder, GITHUB)["fetched_at"] == "2026-05-04T12:00:00Z"
    assert status_of(folder, GITHUB)["validated_at"] == "2026-05-05T12:00:00Z"


def test_validators_obtained_without_a_token_are_not_sent_with_one(
    fetch: Fetch, folder: Path, upstream: TwoHosts
) -> None:
    fetch()

    report = fetch(environ={"GITHUB_TOKEN": "ghp_rotated"})

    assert report.state(GITHUB) == "fresh"
    assert "if-none-match" not in upstream.github.requests[-1].headers
    snapshot = load_snapshot(folder, GITHUB).snapshot
    assert snapshot is not None
    assert snapshot.validators.auth == "token"


FAULTS = fault_params(
    invalid_json=(Fault.invalid_json(), {"invalid-json"}),
    wrong_schema=(Fault.wrong_schema(), {"schema"}),
    **{
        "403-rate-limit": (Fault.github_rate_limit(3600), {"rate-limited"}),
        "403-secondary": (Fault.github_secondary_limit("0"), {"http-403"}),
    },
)


@pytest.mark.parametrize("route", ["github.issues", "launchpad.search"])
@pytest.mark.parametrize(("fault", "kinds"), FAULTS)
def test_every_fault_keeps_the_snapshot_and_reports_stale(
    fetch: Fetch,
    folder: Path,
    clock: Any,
    upstream: TwoHosts,
    route: str,
    fault: Fault,
    kinds: set[str],
) -> None:
    fetch()
    before = data_bytes(folder)
    clock.advance(days=2)
    upstream.fail(route, fault)

    report = fetch()

    source = GITHUB if route.startswith("github") else LAUNCHPAD
    other = LAUNCHPAD if source == GITHUB else GITHUB
    assert data_bytes(folder) == before
    status = status_of(folder, source)
    assert status["state"] == "stale"
    assert status["error"]["kind"] in kinds
    assert status["fetched_at"] == "2026-05-04T12:00:00Z"
    assert status["validated_at"] == "2026-05-04T12:00:00Z"
    assert status["age_seconds"] == 2 * 86400
    assert status["sample"] is True  # the data kept is the sample data
    assert "?" not in status["error"]["message"]
    assert report.state(other) == "not-modified"
    assert [o.source for o in report.failed] == [source]


def test_without_any_snapshot_a_failure_is_missing(
    fetch: Fetch, folder: Path, upstream: TwoHosts
) -> None:
    upstream.fail("github.issues", Fault.server_error(503))

    report = fetch()

    assert report.state(GITHUB) == "missing"
    assert not (folder / f"{GITHUB}.json").exists()
    status = status_of(folder, GITHUB)
    assert status["count"] is None
    assert status["fetched_at"] is None
    assert status["error"]["kind"] == "http-503"
    # The status file names the stand-in, never its loopback address.
    assert status["error"]["message"].startswith("[github stand-in]/repos/")
    assert "127.0.0.1" not in (folder / "status.json").read_text()


def corrupt(folder: Path, source: str) -> None:
    path = folder / f"{source}.json"
    data = bytearray(path.read_bytes())
    data[data.index(b'"title"') + 12] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_corrupt_snapshot_and_a_failure_report_missing_with_a_warning(
    fetch: Fetch, folder: Path, upstream: TwoHosts, caplog: pytest.LogCaptureFixture
) -> None:
    fetch()
    corrupt(folder, GITHUB)
    upstream.fail("github.issues", Fault.server_error(503))

    report = fetch()

    assert report.state(GITHUB) == "missing"
    assert (
        "snapshot corrupt: checksum mismatch"
        in status_of(folder, GITHUB)["error"]["message"]
    )
    assert "corrupt (checksum mismatch), treating as missing" in caplog.text


def test_a_corrupt_snapshot_is_replaced_by_a_good_fetch(
    fetch: Fetch, folder: Path
) -> None:
    fetch()
    good = (folder / f"{GITHUB}.json").read_bytes()
    corrupt(folder, GITHUB)

    report = fetch()

    assert report.state(GITHUB) == "fresh"
    assert (folder / f"{GITHUB}.json").read_bytes() == good


def test_the_page_cap_writes_an_incomplete_snapshot(fetch: Fetch, folder: Path) -> None:
    report = fetch(page_sizes={"github": 3}, page_cap=2)

    assert report.state(GITHUB) == "incomplete"
    snapshot = load_snapshot(folder, GITHUB).snapshot
    assert snapshot is not None
    assert (snapshot.complete, snapshot.count, snapshot.pages) == (False, 6, 2)
    assert status_of(folder, GITHUB)["error"]["kind"] == "page-cap"
    assert load_history(folder)[GITHUB][-1].complete is False


def test_a_later_page_failure_without_a_snapshot_keeps_what_was_read(
    fetch: Fetch, folder: Path, upstream: TwoHosts
) -> None:
    upstream.fail("github.issues", Fault.server_error(503), after=1)

    report = fetch(page_sizes={"github": 3})

    assert report.state(GITHUB) == "incomplete"
    snapshot = load_snapshot(folder, GITHUB).snapshot
    assert snapshot is not None
    assert (snapshot.complete, snapshot.count) == (False, 3)
    assert status_of(folder, GITHUB)["error"]["kind"] == "http-503"


def test_a_later_page_failure_keeps_a_previous_complete_snapshot(
    fetch: Fetch, folder: Path, upstream: TwoHosts
) -> None:
    fetch(page_sizes={"github": 3})
    before = data_bytes(folder)
    upstream.fail("github.issues", Fault.server_error(503), after=1)

    report = fetch(page_sizes={"github": 3})

    assert report.state(GITHUB) == "stale"
    assert data_bytes(folder) == before


@dataclasses.dataclass(frozen=True)
class ListQuery:
    """A query of :class:`LeavingOut`, named by ``name``."""

    name: str

    @property
    def service(self) -> str:
        return "files"

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name}


class LeavingOut:
    """A provider answering ``answers`` in turn, without the network; it
    records the previous items each fetch was handed."""

    def __init__(self, *answers: FetchResult) -> None:
        self.answers = list(answers)
        self.handed: list[tuple[Any, ...]] = []

    def query(self, track: Any) -> ListQuery:
        return ListQuery(track["name"])

    def fetch(self, query: Any, context: FetchContext) -> FetchResult:
        self.handed.append(context.previous_items)
        return self.answers.pop(0)

    def breakdown(self, snapshot: Any) -> dict[str, int]:
        return {}


def test_a_result_that_left_items_out_replaces_the_snapshot_as_incomplete(
    fetch: Fetch, folder: Path, clock: Any
) -> None:
    first = ({"id": "a"}, {"id": "b"})
    later = ({"id": "a"}, {"id": "c"})
    skipped = FetchError("schema", "b.yaml:1:1: A102 missing")
    provider = LeavingOut(
        FetchResult(items=first, pages=1),
        FetchResult(items=later, complete=False, pages=1, left_out=skipped),
    )
    source = Source("demo.files.x", "demo", "files", "x", ListQuery("x"), provider)
    fetch([source])
    clock.advance(days=1)

    report = fetch([source])

    assert report.state(source.id) == "incomplete"
    snapshot = load_snapshot(folder, source.id).snapshot
    assert snapshot is not None
    assert (snapshot.items, snapshot.complete) == (later, False)
    assert status_of(folder, source.id)["error"] == {
        "kind": "schema",
        "message": "b.yaml:1:1: A102 missing",
    }
    assert provider.handed == [(), first]


def test_previous_items_are_handed_over_only_for_the_same_query(
    fetch: Fetch, clock: Any
) -> None:
    provider = LeavingOut(FetchResult(items=({"id": "a"},), pages=1), FetchResult())
    one = Source("demo.files.list", "demo", "files", "list", ListQuery("x"), provider)
    other = dataclasses.replace(one, query=ListQuery("y"))
    fetch([one])
    clock.advance(days=1)

    fetch([other])

    assert provider.handed == [(), ()]


def test_a_host_failing_everything_gets_a_bounded_number_of_requests(
    fetch: Fetch,
    folder: Path,
    upstream: TwoHosts,
    run_policy: Policy,
    launchpad_source: Callable[..., Source],
    github_source: Callable[..., Source],
) -> None:
    launchpad = [launchpad_source(f"sahara-{n}", "sahara") for n in range(6)]
    upstream.fail("launchpad.search", Fault.server_error(503))

    report = fetch([*launchpad, github_source("pygithub", "PyGithub/PyGithub")])

    bound = run_policy.breaker_threshold * (1 + run_policy.retries)
    assert upstream.count("launchpad.search") == bound
    kinds = [status_of(folder, s.id)["error"]["kind"] for s in launchpad]
    assert kinds == ["http-503"] * 3 + ["circuit-open"] * 3
    assert report.state(GITHUB) == "fresh"


def test_a_retry_after_of_100000_gives_up_at_once_and_keeps_the_snapshot(
    fetch: Fetch, folder: Path, upstream: TwoHosts, timeline: Timeline
) -> None:
    fetch()
    before = data_bytes(folder)
    upstream.fail("launchpad.search", Fault.too_many_requests("100000"))

    report = fetch(sleep=timeline.sleep, monotonic=timeline.monotonic)

    assert timeline.sleeps == []
    assert report.state(LAUNCHPAD) == "stale"
    assert upstream.count("launchpad.search") == 2
    assert data_bytes(folder) == before


def test_status_errors_name_no_credentials_or_query(
    fetch: Fetch, folder: Path, upstream: TwoHosts
) -> None:
    location = "http://user:s3cret@127.0.0.1:99999/x?token=s3cret"
    upstream.fail("github.issues", Fault.redirect(location))

    report = fetch()

    assert report.state(GITHUB) == "missing"
    assert status_of(folder, GITHUB)["error"] == {
        "kind": "disallowed-host",
        "message": "***@127.0.0.1:99999/x is not allowed",
    }
    assert "s3" not in (folder / STATUS_FILE).read_text()


def test_status_entries_of_sources_not_fetched_are_kept(
    fetch: Fetch, folder: Path, sources: list[Source]
) -> None:
    fetch()
    github_status = status_of(folder, GITHUB)

    fetch([sources[1]])

    assert status_of(folder, GITHUB) == github_status


def test_sources_on_different_hosts_are_fetched_concurrently(
    fetch: Fetch, upstream: TwoHosts, timeline: Timeline
) -> None:
    """Both bodies drip at once: the lanes' threads take turns reading the
    clock (each look takes 0.01 s), where one after the other would not."""
    upstream.fail("github.issues", Fault.drip(0.01))
    upstream.fail("launchpad.search", Fault.drip(0.01))
    timeline.tick = 0.01
    readers: list[str] = []

    def monotonic() -> float:
        readers.append(threading.current_thread().name)
        return timeline.monotonic()

    report = fetch(sleep=timeline.sleep, monotonic=monotonic)

    assert [o.status.error_kind for o in report.outcomes] == ["deadline", "deadline"]
    lanes = [name for name in readers if name != threading.main_thread().name]
    turns = sum(1 for one, two in itertools.pairwise(lanes) if one != two)
    assert len(set(lanes)) == 2
    assert turns >= 2


def test_lanes_serialise_the_sources_of_one_service(
    sources: list[Source], launchpad_source: Callable[..., Source]
) -> None:
    more = [*sources, launchpad_source("a", "nova"), launchpad_source("b", "nova")]

    lanes = plan_lanes(more)

    assert [[s.name for s in lane] for lane in lanes] == [
        ["pygithub"],
        ["sahara", "a", "b"],
    ]


def test_the_github_token_appears_in_no_snapshot_status_or_log(
    upstream: TwoHosts,
    repo_root: Path,
    run_policy: Policy,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    launchpad, github = upstream.launchpad, upstream.github
    canary = f"ghp_CANARY_{id(tmp_path):x}"
    monkeypatch.setenv("GITHUB_TOKEN", canary)
    environ = {
        "GITHUB_TOKEN": canary,
        "CROSSWORK_ENDPOINTS": upstream.endpoints(),
    }
    caplog.set_level(logging.DEBUG)
    out = io.StringIO()
    folder = tmp_path / "snapshot"

    def run() -> int:
        return fetch_command(
            repo_root / "workgroups",
            folder,
            [],
            environ=environ,
            policy=run_policy,
            out=out,
            kinds=KINDS,
        )

    code = run()
    github.fail("github.issues", Fault.server_error(500))
    run()

    assert code == 0
    assert github.requests[0].headers["authorization"] == f"Bearer {canary}"
    assert not any("authorization" in r.headers for r in launchpad.requests)
    captured = capsys.readouterr()
    outputs = [out.getvalue(), caplog.text, captured.out, captured.err]
    outputs += [path.read_text() for path in sorted(folder.iterdir())]
    forms = [canary, base64.b64encode(canary.encode()).decode(), quote(canary)]
    for text in outputs:
        for form in forms:
            assert form not in text
    assert "common.bugs.pygithub: stale" in out.getvalue()


def test_on_one_origin_only_github_requests_carry_the_token(
    recordings: Recordings, repo_root: Path, tmp_path: Path, run_policy: Policy
) -> None:
    """Every service on one loopback origin, as in the README's demo."""
    canary = f"ghp_CANARY_{id(tmp_path):x}"
    with FakeUpstream(recordings) as one:
        fetch_command(
            repo_root / "workgroups",
            tmp_path / "snapshot",
            [],
            environ={"GITHUB_TOKEN": canary, "CROSSWORK_ENDPOINTS": one.endpoints()},
            policy=run_policy,
            out=io.StringIO(),
            kinds=KINDS,
        )

    carried: dict[str, set[str | None]] = {}
    for request in one.requests:
        service = request.route.split(".")[0]
        carried.setdefault(service, set()).add(request.headers.get("authorization"))
    assert carried == {
        "github": {f"Bearer {canary}"},
        "launchpad": {None},
        "osv": {None},
        "zuul": {None},
        "files": {None},
        "gerrit": {None},
    }


def test_the_command_prints_one_line_per_source_and_exits_0_when_stale(
    upstream: TwoHosts, repo_root: Path, tmp_path: Path, run_policy: Policy
) -> None:
    upstream.fail("launchpad.search", Fault.server_error(503))
    out = io.StringIO()

    code = fetch_command(
        repo_root / "workgroups",
        tmp_path,
        ["common.bugs.pygithub", "security.bugs.barbican"],
        environ={"CROSSWORK_ENDPOINTS": upstream.endpoints()},
        policy=run_policy,
        out=out,
        kinds=KINDS,
    )

    assert code == 0
    assert out.getvalue().splitlines() == [
        "common.bugs.pygithub: fresh, 2 items (written)",
        "security.bugs.barbican: missing [http-503: [launchpad stand-in]"
        "/1.0/barbican answered HTTP 503 (3 attempts)]",
    ]


@pytest.mark.parametrize(
    ("ids", "environ", "message"),
    [
        ([], {"CROSSWORK_ENDPOINTS": "github=http://10.0.0.1"}, "CROSSWORK_ENDPOINTS"),
        (
            [],
            {"CROSSWORK_ENDPOINTS": "github=http://user:s3cret@127.0.0.1:99999"},
            "CROSSWORK_ENDPOINTS: github: '***@127.0.0.1:99999' is not a URL",
        ),
        (
            [],
            {"CROSSWORK_ENDPOINTS": "gihtub=http://user:s3cret@127.0.0.1:8002"},
            "CROSSWORK_ENDPOINTS: 'gihtub': expected SERVICE=URL",
        ),
        (["quality.bugs.nope"], {}, "unknown source(s): quality.bugs.nope"),
    ],
)
def test_bad_configuration_exits_2_without_fetching(
    repo_root: Path,
    tmp_path: Path,
    ids: list[str],
    environ: dict[str, str],
    message: str,
) -> None:
    err = io.StringIO()

    code = fetch_command(
        repo_root / "workgroups",
        tmp_path,
        ids,
        environ=environ,
        err=err,
        kinds=KINDS,
    )

    assert code == 2
    assert message in err.getvalue()
    assert "s3cret" not in err.getvalue()
    assert list(tmp_path.iterdir()) == []


def test_crosswork_fetch_runs_from_the_command_line(
    upstream: TwoHosts,
    repo_root: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CROSSWORK_ENDPOINTS", upstream.endpoints())

    code = cli.main(
        [
            "--root",
            str(repo_root),
            "fetch",
            "--snapshot",
            str(tmp_path),
            "--source",
            "security.bugs.barbican",
        ]
    )

    assert code == 0
    assert (
        capsys.readouterr().out == "security.bugs.barbican: fresh, 1 item (written)\n"
    )
    assert load_snapshot(tmp_path, "security.bugs.barbican").reason == ""


def test_each_run_records_the_specs_statuses_in_the_ledger(
    fetch: Fetch, folder: Path, clock: Any
) -> None:
    site = load_site(Layout(TEST_SITE), dt.date(2026, 11, 27), KINDS)
    fetch(spec_statuses={spec.id: spec.status for spec in site.specs})
    clock.advance(days=1)
    fetch(spec_statuses={spec.id: "approved" for spec in site.specs})

    ledger = load_ledger(folder)
    first, second = clock.now.date() - dt.timedelta(days=1), clock.now.date()
    assert ledger == {
        spec.id: [(first, spec.status)]
        + ([(second, "approved")] if spec.status != "approved" else [])
        for spec in site.specs
    }
