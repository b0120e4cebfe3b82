"""Advisory tracks: OSV package queries and OSSA folders, through the fake.

Every test fetches the corpus recordings as the fake upstream serves
them (OSV's ``/v1/query`` and ``/v1/vulns``, the ``files`` service's
folder listing and raw files) and reads the snapshot the way the site
does, with :func:`crosswork.kinds.advisories.stored.read_items`.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from requests.structures import CaseInsensitiveDict

from crosswork.diagnostics import Diagnostic
from crosswork.fetch.endpoints import Endpoints, parse_endpoints
from crosswork.fetch.http import FetchError, HttpClient, Policy, Response
from crosswork.fetch.providers import FetchContext
from crosswork.fetch.run import FetchReport
from crosswork.fetch.snapshot import STATUS_FILE, load_snapshot
from crosswork.fetch.sources import Source, sources_of
from crosswork.kinds import KINDS
from crosswork.kinds.advisories.provider import (
    PROVIDER,
    BadFile,
    OssaQuery,
    OsvQuery,
    fetch_ossa,
    fetch_osv,
    left_out,
    ossa_files,
    query_of,
)
from crosswork.kinds.advisories.stored import read_items
from crosswork.testing.upstream import FakeUpstream, Fault, Recordings
from crosswork.workgroups.registry import load_registry
from faults import fault_params

SERVICES = ("nova", "keystone", "neutron", "horizon", "cinder")
LIBRARIES = (
    "oslo.utils",
    "oslo.middleware",
    "python-keystoneclient",
    "requests",
    "urllib3",
    "pyyaml",
)
OSV_SOURCE = "security.advisories.libraries"
OSSA_SOURCE = "security.advisories.ossa"


def corpus_pypi_ids(corpus: Path, packages: tuple[str, ...]) -> set[str]:
    """Ids of the corpus records that affect ``packages`` on PyPI."""
    wanted = {name.replace(".", "-").lower() for name in packages}
    found = set()
    osv = corpus / "apis" / "osv"
    for folder in ("pypa-advisory-database-as-json", "github-advisory-database"):
        for path in (osv / folder).glob("*.json"):
            record = json.loads(path.read_text(encoding="utf-8"))
            names = {
                a["package"]["name"].replace(".", "-").replace("_", "-").lower()
                for a in record["affected"]
                if a["package"]["ecosystem"] == "PyPI"
            }
            if names & wanted:
                found.add(record["id"])
    return found


@pytest.fixture
def fake(recordings: Recordings) -> Iterator[FakeUpstream]:
    with FakeUpstream(recordings, services=["osv", "files"]) as upstream:
        yield upstream


@pytest.fixture
def endpoints(fake: FakeUpstream) -> Endpoints:  # type: ignore[override]
    return parse_endpoints(fake.endpoints())


@pytest.fixture
def context(client: HttpClient) -> FetchContext:
    return FetchContext(client, client.start_deadline())


def osv_source(packages: tuple[str, ...] = LIBRARIES) -> Source:
    return Source(
        OSV_SOURCE, "security", "advisories", "libraries", OsvQuery(packages), PROVIDER
    )


def ossa_source(path: str = "ossa") -> Source:
    return Source(
        OSSA_SOURCE,
        "security",
        "advisories",
        "ossa",
        OssaQuery("openstack/ossa", path),
        PROVIDER,
    )


Fetch = Callable[..., FetchReport]


@pytest.fixture
def fetch(fetch_sources: Fetch) -> Fetch:
    """``fetch(sources, **options)``: one run into ``tmp_path / "snapshot"``."""
    return fetch_sources


def stored_ids(result_items: tuple[dict[str, Any], ...]) -> list[str]:
    advisories, problems = read_items("test", result_items)
    assert problems == []
    return [advisory.id for advisory in advisories]


# --- Tracks ------------------------------------------------------------------------


def test_the_security_charter_declares_osv_and_ossa_tracks(repo_root: Path) -> None:
    registry, problems = load_registry(repo_root / "workgroups", repo_root, kinds=KINDS)
    assert problems == []
    queries = {s.id: s.query for s in sources_of(registry["security"], KINDS)}
    assert queries["security.advisories.services"] == OsvQuery(SERVICES)
    assert queries["security.advisories.libraries"] == OsvQuery(LIBRARIES)
    assert queries[OSSA_SOURCE] == OssaQuery("openstack/ossa", "ossa")
    assert queries[OSSA_SOURCE].service == "files"
    assert queries[OSV_SOURCE].service == "osv"


def test_a_query_is_stored_with_its_source_and_inputs() -> None:
    track = {"name": "libs", "source": "osv", "packages": ["requests"]}
    assert query_of(track).to_json() == {
        "source": "osv",
        "ecosystem": "PyPI",
        "packages": ["requests"],
    }
    ossa = {"name": "o", "source": "ossa", "repository": "a/b", "path": "ossa/"}
    assert query_of(ossa).to_json() == {
        "source": "ossa",
        "repository": "a/b",
        "path": "ossa",
    }


BAD_TRACKS = [
    pytest.param(
        {"source": "osv"}, "missing required key 'packages'", id="no-packages"
    ),
    pytest.param(
        {"source": "osv", "packages": ["a b"]},
        "is not a PyPI distribution name",
        id="bad-package",
    ),
    pytest.param(
        {"source": "ossa", "repository": "a/b", "path": "../etc"},
        "whose parts do not start with a dot",
        id="dot-dot",
    ),
    pytest.param(
        {"source": "ossa", "repository": "a/b", "path": "x", "packages": ["a"]},
        "'packages' is not allowed here",
        id="ossa-with-packages",
    ),
    pytest.param({"source": "nvd"}, "is not one of: osv, ossa", id="unknown-source"),
]


@pytest.mark.parametrize(("track", "message"), BAD_TRACKS)
def test_the_charter_schema_refuses_bad_advisory_tracks(
    tmp_path: Path, repo_root: Path, track: dict[str, Any], message: str
) -> None:
    folder = tmp_path / "workgroups"
    folder.mkdir()
    charter = yaml.safe_load((repo_root / "workgroups/security.yaml").read_text())
    charter["tracks"] = {"advisories": [{"name": "bad", **track}]}
    (folder / "security.yaml").write_text(yaml.safe_dump(charter))

    _, problems = load_registry(folder, tmp_path, kinds=KINDS)

    assert len(problems) == 1
    assert message in problems[0].message


# --- OSV ---------------------------------------------------------------------------


def test_every_corpus_record_of_the_packages_is_stored_normalized(
    context: FetchContext, corpus: Path
) -> None:
    result = fetch_osv(OsvQuery(SERVICES + LIBRARIES), context)

    assert result.complete
    assert set(stored_ids(result.items)) == corpus_pypi_ids(
        corpus, SERVICES + LIBRARIES
    )
    assert stored_ids(result.items) == sorted(stored_ids(result.items))
    for item in result.items:
        assert "schema_version" not in item  # normalized, never the raw record
        assert "database_specific" not in json.dumps(item)


def test_one_batch_asks_for_every_package_and_follows_each_token(
    recordings: Recordings, policy: Policy, corpus: Path
) -> None:
    paged = dataclasses.replace(recordings, osv_page_size=1)
    with (
        FakeUpstream(paged, services=["osv"]) as fake,
        HttpClient(parse_endpoints(fake.endpoints()), policy, environ={}) as client,
    ):
        result = fetch_osv(
            OsvQuery(("requests", "oslo.utils")),
            FetchContext(client, client.start_deadline()),
        )
        batches = [
            json.loads(r.body)["queries"]
            for r in fake.requests
            if r.route == "osv.querybatch"
        ]

    expected = corpus_pypi_ids(corpus, ("requests", "oslo.utils"))
    assert set(stored_ids(result.items)) == expected
    assert result.pages == len(expected)  # one record per page
    assert [[q.get("page_token") for q in batch] for batch in batches] == [
        [None, None],
        ["1", "1"],
    ]
    assert batches[0][0]["package"] == {"name": "requests", "ecosystem": "PyPI"}


def test_only_records_whose_date_changed_are_downloaded(
    recordings: Recordings, policy: Policy
) -> None:
    with FakeUpstream(recordings, services=["osv"]) as fake:
        first = fetch_with(recordings, policy, ("requests",), fake)
        assert fake.count("osv.vulns") == 2
    record = next(r for r in recordings.osv_records if r["id"] == "PYSEC-2023-74")
    changed = dataclasses.replace(
        recordings,
        osv_records=[
            {**r, "modified": "2099-01-01T00:00:00.5Z"} if r is record else r
            for r in recordings.osv_records
        ],
    )

    with FakeUpstream(changed, services=["osv"]) as fake:
        again = fetch_with(changed, policy, ("requests",), fake, first.items)
        fetched = [r.path for r in fake.requests if r.route == "osv.vulns"]

    assert fetched == ["/v1/vulns/PYSEC-2023-74"]
    assert [item["modified"] for item in again.items] == [
        first.items[0]["modified"],
        "2099-01-01T00:00:00Z",
    ]
    assert again.items[0] == first.items[0]


def fetch_with(
    recordings: Recordings,
    policy: Policy,
    packages: tuple[str, ...],
    fake: FakeUpstream | None = None,
    previous: tuple[dict[str, Any], ...] = (),
) -> Any:
    if fake is None:
        with FakeUpstream(recordings, services=["osv"]) as own:
            return fetch_with(recordings, policy, packages, own, previous)
    with HttpClient(parse_endpoints(fake.endpoints()), policy, environ={}) as client:
        return fetch_osv(
            OsvQuery(packages),
            FetchContext(client, client.start_deadline(), previous_items=previous),
        )


def test_an_empty_answer_means_complete_and_empty(
    context: FetchContext, fake: FakeUpstream
) -> None:
    result = fetch_osv(OsvQuery(("not-a-known-package",)), context)

    assert result.complete
    assert result.items == ()
    assert result.pages == 1


def test_the_page_cap_makes_the_result_incomplete(
    client: HttpClient, recordings: Recordings
) -> None:
    result = fetch_osv(
        OsvQuery(LIBRARIES), FetchContext(client, client.start_deadline(), page_cap=2)
    )

    assert not result.complete
    assert result.pages == 2


def test_a_later_failure_keeps_what_was_read_as_incomplete(
    recordings: Recordings, policy: Policy
) -> None:
    paged = dataclasses.replace(recordings, osv_page_size=1)
    with FakeUpstream(paged, services=["osv"]) as fake:
        fake.fail("osv.querybatch", Fault.server_error(404), after=1)
        result = fetch_with(paged, policy, ("requests", "urllib3"), fake)

    assert not result.complete
    assert result.error is not None and result.error.kind == "http-404"
    assert result.pages == 2  # the first page of each package
    assert stored_ids(result.items) == ["GHSA-j8r2-6x86-q33q", "PYSEC-2023-212"]


def test_a_failed_download_keeps_the_others_as_incomplete(
    context: FetchContext, fake: FakeUpstream
) -> None:
    fake.fail("osv.vulns", Fault.server_error(404), times=1)

    result = fetch_osv(OsvQuery(("requests",)), context)

    assert not result.complete
    assert result.error is not None and result.error.kind == "http-404"
    assert stored_ids(result.items) == ["PYSEC-2023-74"]


def test_a_first_failure_raises(context: FetchContext, fake: FakeUpstream) -> None:
    fake.fail("osv.querybatch", Fault.server_error(404))

    with pytest.raises(FetchError) as failure:
        fetch_osv(OsvQuery(("requests",)), context)

    assert failure.value.kind == "http-404"


def test_a_record_that_cannot_be_normalized_fails_the_source(
    recordings: Recordings, policy: Policy
) -> None:
    broken = {"id": "PYSEC-2099-1", "modified": "yesterday", "affected": []}
    broken["affected"] = [{"package": {"name": "requests", "ecosystem": "PyPI"}}]
    hostile = dataclasses.replace(
        recordings, osv_records=[*recordings.osv_records, broken]
    )

    with pytest.raises(FetchError) as failure:
        fetch_with(hostile, policy, ("requests",))

    assert failure.value.kind == "schema"
    assert "PYSEC-2099-1" in failure.value.message
    assert "A202" in failure.value.message


def test_a_post_is_retried_like_a_get(
    context: FetchContext, fake: FakeUpstream
) -> None:
    fake.fail("osv.querybatch", Fault.server_error(503), times=1)

    result = fetch_osv(OsvQuery(("requests",)), context)

    assert result.complete
    assert fake.count("osv.querybatch") == 2


OSV_FAULTS = fault_params(
    leave_out=("429-retry-after",),
    invalid_json=(Fault.invalid_json(), {"invalid-json"}),
    wrong_schema=(Fault.wrong_schema(), {"schema"}),
)


@pytest.mark.parametrize(("fault", "kinds"), OSV_FAULTS)
def test_every_fault_on_osv_keeps_the_snapshot_and_reports_stale(
    fetch: Fetch,
    recordings: Recordings,
    tmp_path: Path,
    clock: Any,
    fault: Fault,
    kinds: set[str],
) -> None:
    sources = [osv_source(), ossa_source()]
    with (
        FakeUpstream(recordings, services=["osv"]) as osv,
        FakeUpstream(recordings, services=["files"]) as files,
    ):
        endpoints = parse_endpoints(f"{osv.endpoints()},{files.endpoints()}")
        fetch(sources, endpoints=endpoints)
        data = tmp_path / "snapshot" / f"{OSV_SOURCE}.json"
        before = data.read_bytes()
        clock.advance(days=1)
        osv.fail("osv.querybatch", fault)

        report = fetch(sources, endpoints=endpoints)

    assert data.read_bytes() == before
    status = json.loads((tmp_path / "snapshot" / STATUS_FILE).read_text())
    entry = status["sources"][OSV_SOURCE]
    assert entry["state"] == "stale"
    assert entry["error"]["kind"] in kinds
    assert "?" not in entry["error"]["message"]
    assert report.state(OSSA_SOURCE) == "not-modified"


def test_a_refetch_of_the_same_records_writes_nothing(
    fetch: Fetch, tmp_path: Path, clock: Any
) -> None:
    fetch([osv_source()])
    data = tmp_path / "snapshot" / f"{OSV_SOURCE}.json"
    before = data.stat().st_mtime_ns
    clock.advance(hours=6)

    report = fetch([osv_source()])

    assert report.state(OSV_SOURCE) == "fresh"
    assert not report.outcomes[0].written
    assert data.stat().st_mtime_ns == before


# --- OSSA --------------------------------------------------------------------------

BROKEN_OSSA = b"date: 2099-01-01\nid: OSSA-2099-001\ntitle: Broken\n"


def test_every_ossa_file_of_the_folder_is_stored(
    context: FetchContext, corpus: Path
) -> None:
    result = fetch_ossa(OssaQuery("openstack/ossa", "ossa"), context)

    expected = sorted(p.stem for p in (corpus / "openstack/ossa").glob("OSSA-*.yaml"))
    assert result.complete
    assert stored_ids(result.items) == expected
    assert result.pages == 1
    assert result.validators.etag


def test_an_unchanged_folder_is_revalidated_without_reading_files(
    fetch: Fetch, fake: FakeUpstream
) -> None:
    fetch([ossa_source()])
    raw_reads = fake.count("files.raw")

    report = fetch([ossa_source()])

    assert report.state(OSSA_SOURCE) == "not-modified"
    assert fake.conditional_hits("files.list") == 1
    assert fake.count("files.raw") == raw_reads


def test_an_invalid_ossa_file_is_left_out_and_named_with_its_line(
    recordings: Recordings, policy: Policy
) -> None:
    derived = recordings.with_repository_file(
        "openstack/ossa", "ossa/OSSA-2099-001.yaml", BROKEN_OSSA
    )
    with (
        FakeUpstream(derived, services=["files"]) as fake,
        HttpClient(parse_endpoints(fake.endpoints()), policy, environ={}) as client,
    ):
        result = fetch_ossa(
            OssaQuery("openstack/ossa", "ossa"),
            FetchContext(client, client.start_deadline()),
        )

    assert not result.complete
    assert result.error is None  # read to the end: nothing was cut short
    assert result.left_out is not None and result.left_out.kind == "schema"
    assert result.left_out.message.startswith(
        "openstack/ossa/ossa/OSSA-2099-001.yaml:1:1: A102 (top level): missing"
    )
    assert "OSSA-2099-001" not in stored_ids(result.items)
    assert len(result.items) == 9


def new_ossa(corpus: Path, number: int) -> tuple[str, bytes]:
    """A valid OSSA file the corpus does not hold: OSSA-2024-001 renumbered."""
    identifier = f"OSSA-2099-{number:03d}"
    text = (corpus / "openstack/ossa/OSSA-2024-001.yaml").read_bytes()
    text = text.replace(b"OSSA-2024-001", identifier.encode())
    text = text.replace(b"CVE-2024-32498", f"CVE-2099-{number:04d}".encode())
    return f"ossa/{identifier}.yaml", text


def fetch_ossa_run(
    fetch: Fetch, recordings: Recordings, clock: Any, **advance: float
) -> FetchReport:
    """One run of the OSSA source against a fake serving ``recordings``."""
    clock.advance(**advance)
    with FakeUpstream(recordings, services=["files"]) as files:
        return fetch([ossa_source()], endpoints=parse_endpoints(files.endpoints()))


def stored_snapshot_ids(folder: Path) -> list[str]:
    snapshot = load_snapshot(folder, OSSA_SOURCE).snapshot
    assert snapshot is not None
    return stored_ids(snapshot.items)


def ossa_status(folder: Path) -> dict[str, Any]:
    status = json.loads((folder / STATUS_FILE).read_text())
    return status["sources"][OSSA_SOURCE]


def test_a_bad_ossa_file_keeps_the_good_ones_and_adds_the_new_ones(
    fetch: Fetch, recordings: Recordings, folder: Path, clock: Any, corpus: Path
) -> None:
    fetch_ossa_run(fetch, recordings, clock)
    before = stored_snapshot_ids(folder)
    path, valid = new_ossa(corpus, 2)
    changed = recordings.with_repository_file(
        "openstack/ossa", path, valid
    ).with_repository_file("openstack/ossa", "ossa/OSSA-2099-001.yaml", BROKEN_OSSA)

    report = fetch_ossa_run(fetch, changed, clock, days=1)

    assert report.state(OSSA_SOURCE) == "incomplete"
    assert stored_snapshot_ids(folder) == sorted([*before, "OSSA-2099-002"])
    entry = ossa_status(folder)
    assert entry["complete"] is False
    assert entry["count"] == len(before) + 1
    assert entry["error"]["kind"] == "schema"
    assert entry["error"]["message"].startswith(
        "openstack/ossa/ossa/OSSA-2099-001.yaml:1:1: A102 (top level): missing"
    )


def test_every_bad_ossa_file_is_named(
    fetch: Fetch, recordings: Recordings, folder: Path, clock: Any
) -> None:
    fetch_ossa_run(fetch, recordings, clock)
    changed = recordings.with_repository_file(
        "openstack/ossa", "ossa/OSSA-2099-001.yaml", BROKEN_OSSA
    ).with_repository_file("openstack/ossa", "ossa/OSSA-2099-003.yaml", b"a: [\n")

    report = fetch_ossa_run(fetch, changed, clock, days=1)

    assert report.state(OSSA_SOURCE) == "incomplete"
    message = ossa_status(folder)["error"]["message"]
    assert message.startswith("openstack/ossa/ossa/OSSA-2099-001.yaml:1:1: A102")
    assert "openstack/ossa/ossa/OSSA-2099-003.yaml:" in message


def test_an_ossa_file_that_goes_bad_keeps_its_last_good_version(
    fetch: Fetch, recordings: Recordings, folder: Path, clock: Any, corpus: Path
) -> None:
    path, valid = new_ossa(corpus, 2)
    good = recordings.with_repository_file("openstack/ossa", path, valid)
    fetch_ossa_run(fetch, good, clock)
    before = load_snapshot(folder, OSSA_SOURCE).snapshot
    assert before is not None
    damaged = valid.replace(b"date: 2024-07-02", b"date: 2024-13-02")
    bad = recordings.with_repository_file("openstack/ossa", path, damaged)

    report = fetch_ossa_run(fetch, bad, clock, days=1)

    assert report.state(OSSA_SOURCE) == "incomplete"
    after = load_snapshot(folder, OSSA_SOURCE).snapshot
    assert after is not None
    assert after.items == before.items  # the last good version, unchanged
    message = ossa_status(folder)["error"]["message"]
    assert message.startswith("openstack/ossa/ossa/OSSA-2099-002.yaml:")
    assert "its last good version is kept" in message


def test_the_error_names_five_bad_files_then_counts_the_rest() -> None:
    bad = [
        BadFile(
            f"OSSA-2099-{n:03d}.yaml",
            [Diagnostic(f"ossa/OSSA-2099-{n:03d}.yaml", 1, 1, "A102", "missing")],
        )
        for n in range(1, 8)
    ]

    error = left_out(bad, kept={"OSSA-2099-002": {}})

    parts = error.message.split("; ")
    assert error.kind == "schema"
    assert parts[0] == "ossa/OSSA-2099-001.yaml:1:1: A102 missing"
    assert parts[1].endswith("missing, its last good version is kept")
    assert len(parts) == 6
    assert parts[5] == "and 2 more bad files"


def test_a_raw_file_that_is_an_html_page_is_refused(
    context: FetchContext, fake: FakeUpstream
) -> None:
    fake.fail("files.raw", Fault.wrong_content_type(), after=2)

    result = fetch_ossa(OssaQuery("openstack/ossa", "ossa"), context)

    assert result.error is not None and result.error.kind == "content-type"
    assert len(result.items) == 2


def test_a_listing_of_the_wrong_shape_fails(
    context: FetchContext, fake: FakeUpstream
) -> None:
    fake.fail("files.list", Fault.wrong_schema())

    with pytest.raises(FetchError) as failure:
        fetch_ossa(OssaQuery("openstack/ossa", "ossa"), context)

    assert failure.value.kind == "schema"


def listing(*entries: dict[str, Any]) -> Response:
    return Response(
        200,
        "http://127.0.0.1:9/api/v1/repos/openstack/ossa/contents/ossa",
        CaseInsensitiveDict({"Content-Type": "application/json"}),
        json.dumps(list(entries)).encode(),
    )


def test_only_ossa_files_of_a_listing_are_read_in_name_order() -> None:
    base = "http://127.0.0.1:9"
    entries = listing(
        {"name": "OSSA-2024-002.yaml", "type": "file", "download_url": f"{base}/b"},
        {"name": "README.rst", "type": "file", "download_url": f"{base}/r"},
        {"name": "OSSA-2024-001.yaml", "type": "file", "download_url": f"{base}/a"},
        {"name": "OSSA-2024-003.yaml", "type": "dir", "download_url": None},
    )

    assert list(ossa_files(entries, base)) == [
        ("OSSA-2024-001.yaml", f"{base}/a"),
        ("OSSA-2024-002.yaml", f"{base}/b"),
    ]


def test_download_urls_must_stay_on_the_service() -> None:
    elsewhere = "https://opendev.org/openstack/ossa/raw/branch/master/x.yaml"
    entries = listing(
        {"name": "OSSA-2024-001.yaml", "type": "file", "download_url": elsewhere}
    )

    with pytest.raises(FetchError) as failure:
        list(ossa_files(entries, "http://127.0.0.1:9"))

    assert failure.value.kind == "disallowed-host"


def test_an_unknown_folder_is_an_error(context: FetchContext) -> None:
    with pytest.raises(FetchError) as failure:
        fetch_ossa(OssaQuery("openstack/ossa", "nowhere"), context)

    assert failure.value.kind == "http-404"


def test_both_kinds_run_through_crosswork_fetch(fetch: Fetch, tmp_path: Path) -> None:
    report = fetch([osv_source(), ossa_source()])

    assert {o.source: o.status.state for o in report.outcomes} == {
        OSV_SOURCE: "fresh",
        OSSA_SOURCE: "fresh",
    }
    snapshot = load_snapshot(tmp_path / "snapshot", OSSA_SOURCE).snapshot
    assert snapshot is not None
    assert snapshot.kind == "advisories"
    assert snapshot.query == {
        "source": "ossa",
        "repository": "openstack/ossa",
        "path": "ossa",
    }
