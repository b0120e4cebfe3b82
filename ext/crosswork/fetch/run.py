"""``crosswork fetch``: refresh every source, keep the last good data.

Sources of different services run side by side, sources of one service
one after another (a lane per service), so the circuit breaker sees each
failure before the next source of that service starts, and GitHub, which
asks for serial requests, gets them. Independent requests of one source
(records, files) run side by side too
(:meth:`~crosswork.fetch.providers.FetchContext.each`). The
client bounds the requests in flight per host
(:attr:`~crosswork.fetch.http.Policy.per_host`),
whatever the threads: services sharing a host share its bound. Results
never depend on completion order: outcomes are sorted by source, items
by what the provider sorts them by.

A source that fails keeps its last good file untouched and is reported
``stale`` (or ``missing`` without one). The command still exits 0: the
site builds from whatever the snapshot holds, and the status file tells
the data-health check what went wrong. Only unusable configuration exits
non-zero (2), and a snapshot folder that another fetch kept busy past the
wait (75, "try again later").
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from crosswork.datakind import DataKind
from crosswork.fetch.endpoints import EndpointError, Endpoints, endpoints_from_environ
from crosswork.fetch.http import (
    GITHUB_SERVICE,
    FetchError,
    HttpClient,
    Policy,
    github_token,
)
from crosswork.fetch.ledger import load_ledger, record_statuses, write_ledger
from crosswork.fetch.lock import DEFAULT_WAIT, SnapshotLocked, folder_lock
from crosswork.fetch.providers import PAGE_CAP, FetchContext
from crosswork.fetch.snapshot import (
    Snapshot,
    SourceStatus,
    Validators,
    format_time,
    load_snapshot,
    load_status,
    record_history,
    remove_temporaries,
    write_snapshot,
    write_status,
)
from crosswork.fetch.sources import Source, SourceError, collect_sources, select_sources
from crosswork.workgroups.registry import load_registry

if TYPE_CHECKING:
    from crosswork.specs.model import Spec

log = logging.getLogger("crosswork.fetch")

#: The snapshot folder, relative to the repository root.

#: Exit status of a fetch that found its folder busy: ``EX_TEMPFAIL``.
EXIT_LOCKED = 75

#: Threads of a fetch: sources side by side, and their requests.
DEFAULT_WORKERS = 8

#: States that carry data confirmed by this run (and go into the history).
CONFIRMED = frozenset({"fresh", "not-modified", "incomplete"})


@dataclass(frozen=True)
class SourceOutcome:
    source: str
    status: SourceStatus
    #: Whether the source's snapshot file was (re)written.
    written: bool


@dataclass(frozen=True)
class FetchReport:
    outcomes: tuple[SourceOutcome, ...]

    def state(self, source_id: str) -> str:
        return next(o.status.state for o in self.outcomes if o.source == source_id)

    @property
    def failed(self) -> tuple[SourceOutcome, ...]:
        """Sources whose refresh failed (stale or missing)."""
        return tuple(o for o in self.outcomes if o.status.state not in CONFIRMED)


@dataclass(frozen=True)
class _Run:
    """What every source of one run shares."""

    folder: Path
    client: HttpClient
    now: dt.datetime
    earlier: Mapping[str, SourceStatus]
    environ: Mapping[str, str]
    page_sizes: Mapping[str, int]
    page_cap: int
    endpoints: Endpoints
    #: Threads for the independent requests of one source; None: in turn.
    pool: Executor | None = None


def fetch_all(
    sources: Sequence[Source],
    folder: Path,
    *,
    clock: Callable[[], dt.datetime],
    endpoints: Endpoints | None = None,
    policy: Policy | None = None,
    environ: Mapping[str, str] | None = None,
    workers: int = DEFAULT_WORKERS,
    page_sizes: Mapping[str, int] | None = None,
    page_cap: int = PAGE_CAP,
    sleep: Callable[[float], None] = time.sleep,
    monotonic: Callable[[], float] = time.monotonic,
    lock_wait: float = DEFAULT_WAIT,
    spec_statuses: Mapping[str, str] | None = None,
) -> FetchReport:
    """Refresh ``sources`` into ``folder``; update its status and history,
    and the status ledger with ``spec_statuses`` (spec id to status).

    ``workers`` threads fetch sources and their requests; 1 fetches
    everything one request after another.
    ``clock`` is read once: every time written by this run is that instant.
    Status entries of sources not in ``sources`` are kept as they were.
    ``sleep`` and ``monotonic`` time retries, deadlines and the wait of up
    to ``lock_wait`` seconds for another fetch of ``folder`` to finish
    (then :class:`SnapshotLocked`).
    """
    environ = os.environ if environ is None else environ
    endpoints = endpoints or endpoints_from_environ(environ)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with (
        folder_lock(folder, lock_wait, monotonic=monotonic, sleep=sleep),
        HttpClient(
            endpoints, policy, environ=environ, sleep=sleep, monotonic=monotonic
        ) as client,
        ThreadPoolExecutor(max_workers=max(1, workers)) as pool,
    ):
        remove_temporaries(folder)
        now = clock().astimezone(dt.UTC).replace(microsecond=0)
        earlier = load_status(folder)
        run = _Run(
            folder,
            client,
            now,
            earlier,
            environ,
            page_sizes or {},
            page_cap,
            endpoints,
            pool if workers > 1 else None,
        )
        outcomes = refresh_lanes(plan_lanes(sources), run, workers)
        record_run(run, outcomes, sources)
        if spec_statuses:
            ledger = record_statuses(load_ledger(folder), spec_statuses, now.date())
            write_ledger(folder, ledger)
    return FetchReport(tuple(outcomes))


def record_run(
    run: _Run, outcomes: Sequence[SourceOutcome], sources: Sequence[Source]
) -> None:
    """Write the run's statuses and today's counts of confirmed sources."""
    statuses = {**run.earlier, **{o.source: o.status for o in outcomes}}
    write_status(run.folder, statuses, run.now)
    counts = {
        o.source: (o.status.count or 0, bool(o.status.complete))
        for o in outcomes
        if o.status.state in CONFIRMED
    }
    breakdowns = {source.id: source.provider.breakdown for source in sources}
    record_history(run.folder, counts, run.now.date(), breakdowns)


def refresh_lanes(
    lanes: Sequence[Sequence[Source]], run: _Run, workers: int
) -> list[SourceOutcome]:
    """Each lane's sources one after another, lanes side by side."""
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        done = pool.map(lambda lane: [refresh(source, run) for source in lane], lanes)
        return sorted((o for lane in done for o in lane), key=lambda o: o.source)


def plan_lanes(sources: Sequence[Source]) -> list[list[Source]]:
    """One lane per service, its sources in their order; lanes by service."""
    by_service: dict[str, list[Source]] = {}
    for source in sources:
        by_service.setdefault(source.service, []).append(source)
    return [by_service[service] for service in sorted(by_service)]


def refresh(source: Source, run: _Run) -> SourceOutcome:
    """Fetch one source and write its snapshot if the data changed."""
    previous, reason = load_snapshot(run.folder, source.id)
    query = source.query.to_json()
    auth = (
        "token"
        if source.service == GITHUB_SERVICE and github_token(run.environ)
        else "anonymous"
    )
    context = FetchContext(
        run.client.for_service(source.service),
        run.client.start_deadline(),
        validators=reusable_validators(previous, query, auth),
        auth=auth,
        page_size=run.page_sizes.get(source.service),
        page_cap=run.page_cap,
        previous_items=reusable_items(previous, query),
        pool=run.pool,
    )
    try:
        result = source.provider.fetch(source.query, context)
    except FetchError as error:
        return _failed(source, previous, reason, error, run)
    if result.not_modified and previous is not None:
        status = SourceStatus(
            "not-modified",
            checked_at=run.now,
            fetched_at=previous.fetched_at,
            validated_at=run.now,
            count=previous.count,
            complete=previous.complete,
            sample=run.endpoints.overridden(source.service),
        )
        return SourceOutcome(source.id, status, written=False)
    if result.error is not None and previous is not None:
        return _failed(source, previous, reason, result.error, run)
    snapshot = Snapshot(
        source=source.id,
        kind=source.kind,
        query=query,
        fetched_at=run.now,
        complete=result.complete,
        items=result.items,
        pages=result.pages,
        validators=result.validators,
    )
    if previous is not None and snapshot.same_data(previous):
        snapshot = replace(snapshot, fetched_at=previous.fetched_at)
    written = write_snapshot(run.folder, snapshot)
    status = SourceStatus(
        "fresh" if snapshot.complete else "incomplete",
        checked_at=run.now,
        fetched_at=snapshot.fetched_at,
        validated_at=run.now,
        count=snapshot.count,
        complete=snapshot.complete,
        **_incomplete_reason(result.error or result.left_out, snapshot, source, run),
        sample=run.endpoints.overridden(source.service),
    )
    log.info("%s: %s, %d items", source.id, status.state, snapshot.count)
    return SourceOutcome(source.id, status, written)


def reusable_validators(
    previous: Snapshot | None, query: Mapping[str, object], auth: str
) -> Validators | None:
    """Validators worth a conditional request: same query, one full page."""
    if previous is None or not previous.complete or previous.pages != 1:
        return None
    kept = previous.validators
    if dict(previous.query) != dict(query) or kept.auth != auth:
        return None
    return kept if kept.etag or kept.last_modified else None


def reusable_items(
    previous: Snapshot | None, query: Mapping[str, object]
) -> tuple[Mapping[str, Any], ...]:
    """The last snapshot's items, when it answered the same query."""
    if previous is None or dict(previous.query) != dict(query):
        return ()
    return previous.items


def _incomplete_reason(
    error: FetchError | None, snapshot: Snapshot, source: Source, run: _Run
) -> dict[str, str]:
    if error is not None:
        return {"error_kind": error.kind, "error": _recorded(error, source, run)}
    if not snapshot.complete:
        message = f"stopped at the cap of {snapshot.pages} pages"
        return {"error_kind": "page-cap", "error": message}
    return {}


def _recorded(error: FetchError, source: Source, run: _Run) -> str:
    """The error's message as the status file keeps it: stand-ins named."""
    return run.endpoints.name_stand_ins(error.message, source.service)


def _failed(
    source: Source,
    previous: Snapshot | None,
    reason: str,
    error: FetchError,
    run: _Run,
) -> SourceOutcome:
    """Keep the last good file: ``stale`` with it, ``missing`` without."""
    log.info("%s: refresh failed (%s): %s", source.id, error.kind, error.message)
    message = _recorded(error, source, run)
    if previous is None:
        if reason != "absent":
            message = f"{message}; snapshot {reason}"
        status = SourceStatus("missing", run.now, error_kind=error.kind, error=message)
        return SourceOutcome(source.id, status, written=False)
    earlier = run.earlier.get(source.id)
    validated_at = previous.fetched_at
    if earlier and earlier.fetched_at == previous.fetched_at and earlier.validated_at:
        validated_at = earlier.validated_at
    status = SourceStatus(
        "stale",
        checked_at=run.now,
        fetched_at=previous.fetched_at,
        validated_at=validated_at,
        count=previous.count,
        complete=previous.complete,
        error_kind=error.kind,
        error=message,
        sample=bool(earlier and earlier.sample),  # the data shown is the earlier data
    )
    return SourceOutcome(source.id, status, written=False)


def describe(outcome: SourceOutcome) -> str:
    """One line for the terminal; error messages never hold secrets."""
    status = outcome.status
    text = f"{outcome.source}: {status.state}"
    if status.count is not None:
        text += f", {status.count} item{'' if status.count == 1 else 's'}"
    if status.state == "stale" and status.fetched_at is not None:
        text += f" from {format_time(status.fetched_at)}"
    if outcome.written:
        text += " (written)"
    if status.error_kind:
        text += f" [{status.error_kind}: {status.error}]"
    return text


def fetch_command(
    workgroups: Path,
    folder: Path,
    ids: Sequence[str],
    *,
    kinds: Sequence[DataKind],
    environ: Mapping[str, str] | None = None,
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    policy: Policy | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    lock_wait: float = DEFAULT_WAIT,
    specs: Sequence[Spec] = (),
    workers: int = DEFAULT_WORKERS,
) -> int:
    """The body of ``crosswork fetch``: 0 once it ran, 2 on bad configuration,
    :data:`EXIT_LOCKED` when another fetch held ``folder`` past ``lock_wait``.
    ``kinds`` are the data kinds served, given by the caller (the core knows
    none); ``specs`` add the sources their fields imply (the bugs they track)."""
    out, err = out or sys.stdout, err or sys.stderr
    environ = os.environ if environ is None else environ
    try:
        endpoints = endpoints_from_environ(environ)
    except EndpointError as error:
        print(f"CROSSWORK_ENDPOINTS: {error}", file=err)
        return 2
    registry, problems = load_registry(workgroups, kinds=kinds)
    if problems:
        print(
            f"{len(problems)} charter problem(s) skipped; run crosswork lint", file=err
        )
    try:
        sources = select_sources(collect_sources(registry, kinds, specs), ids)
    except SourceError as error:
        print(error, file=err)
        return 2
    try:
        report = fetch_all(
            sources,
            folder,
            clock=clock,
            endpoints=endpoints,
            environ=environ,
            policy=policy,
            lock_wait=lock_wait,
            workers=workers,
            spec_statuses={spec.id: spec.status for spec in specs},
        )
    except SnapshotLocked as error:
        print(error, file=err)
        return EXIT_LOCKED
    for outcome in report.outcomes:
        print(describe(outcome), file=out)
    return 0
