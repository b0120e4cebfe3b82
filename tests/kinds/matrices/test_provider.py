"""Matrix tracks: raw INI files of the files service stored as facts.

Fetches run against the fake upstream serving the corpus's support
matrices at their corpus paths (``openstack/nova/support-matrix.ini``).
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from crosswork.fetch.endpoints import Endpoints
from crosswork.fetch.http import FetchError, HttpClient, Policy
from crosswork.fetch.providers import FetchContext
from crosswork.fetch.run import FetchReport
from crosswork.fetch.snapshot import (
    HISTORY_FILE,
    STATUS_FILE,
    load_history,
    load_snapshot,
    record_history,
)
from crosswork.fetch.sources import Source, sources_of
from crosswork.kinds import KINDS
from crosswork.kinds.matrices.facts import matrix_from_facts
from crosswork.kinds.matrices.gaps import analyse
from crosswork.kinds.matrices.parse import parse_matrix
from crosswork.kinds.matrices.provider import PROVIDER, MatrixQuery, fetch_matrix
from crosswork.testing.upstream import FakeUpstream, Fault, Recordings
from crosswork.workgroups.registry import load_registry
from faults import fault_params

NOVA = "openstack/nova/support-matrix.ini"
NOVA_2020 = "openstack/nova/support-matrix.pre-xen-removal.ini"
SOURCE = "consistency.matrices.nova"
ROOT = Path(__file__).resolve().parents[2] / "roots" / "test-matrix"


def source(path: str = NOVA, reference: str | None = "libvirt-kvm-x86") -> Source:
    return Source(
        id=SOURCE,
        workgroup="consistency",
        kind="matrices",
        name="nova",
        query=MatrixQuery(path=path, reference=reference),
        provider=PROVIDER,
    )


@pytest.fixture
def run(fetch_sources: Callable[..., FetchReport]) -> Callable[..., FetchReport]:
    """``run(source, ...)``: one fetch of the given sources into ``folder``."""

    def fetch(*sources: Source, **options: Any) -> FetchReport:
        return fetch_sources(sources, **options)

    return fetch


def context(client: HttpClient, **fields: Any) -> FetchContext:
    return FetchContext(client, client.start_deadline(), **fields)


# --- Tracks ------------------------------------------------------------------


def test_remote_tracks_become_queries_of_the_files_service() -> None:
    by_path = PROVIDER.query({"name": "nova", "path": NOVA})
    by_url = PROVIDER.query(
        {"name": "nova", "url": f"https://opendev.org/{NOVA}", "reference": "ironic"}
    )

    assert by_path == MatrixQuery(path=NOVA)
    assert by_url == MatrixQuery(path=NOVA, reference="ironic")
    assert by_path.service == by_url.service == "files"
    assert by_url.to_json() == {"path": NOVA, "reference": "ironic"}


def test_a_repository_file_is_never_fetched() -> None:
    assert PROVIDER.query({"name": "mine", "file": "matrices/mine.ini"}) is None


def test_only_the_remote_track_of_the_root_charter_is_fetched() -> None:
    registry, problems = load_registry(ROOT / "repo" / "workgroups", kinds=KINDS)
    queries = {s.id: s.query.to_json() for s in sources_of(registry["gamma"], KINDS)}

    assert problems == []
    assert [t["name"] for t in registry["gamma"].tracks["matrices"]] == [
        "compute",
        "local",
    ]
    assert queries == {
        "gamma.matrices.compute": {
            "path": "example/compute/support-matrix.ini",
            "reference": "kvm",
        },
    }


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "{name: nova, path: a/b.ini, file: b.ini}",
            "tracks.matrices[0]: 'path' is not allowed here",
        ),
        (
            "{name: nova, path: a/b.ini, url: 'https://opendev.org/a/b.ini'}",
            "tracks.matrices[0]: 'url' is not allowed here",
        ),
        ("{name: nova}", "tracks.matrices[0]: missing required key 'path'"),
        (
            "{name: nova, path: a/../b.ini}",
            "tracks.matrices[0].path: 'a/../b.ini' is not a file path on the files"
            " service whose parts do not start with a dot",
        ),
        (
            "{name: nova, url: 'https://evil.example/a/b.ini'}",
            "tracks.matrices[0].url: 'https://evil.example/a/b.ini' is not an"
            " https://opendev.org/ file address",
        ),
        (
            "{name: nova, file: /etc/passwd.ini}",
            "tracks.matrices[0].file: '/etc/passwd.ini' is not a repository path",
        ),
        (
            "{name: nova, path: a/b.ini, colour: red}",
            "tracks.matrices[0].colour: unknown key",
        ),
    ],
)
def test_bad_track_declarations_are_charter_problems(
    tmp_path: Path, entry: str, message: str
) -> None:
    charter = (ROOT / "repo/workgroups/gamma.yaml").read_text()
    head = charter[: charter.index("tracks:")]
    (tmp_path / "gamma.yaml").write_text(f"{head}tracks:\n  matrices:\n    - {entry}\n")

    _, problems = load_registry(tmp_path, kinds=KINDS)

    assert any(message in p.message for p in problems), problems


# --- Fetching ----------------------------------------------------------------


def test_a_matrix_is_stored_as_facts_with_its_findings(
    client: HttpClient, corpus: Path
) -> None:
    result = fetch_matrix(MatrixQuery(path=NOVA_2020), context(client))
    text = (corpus / NOVA_2020).read_text()
    parsed, findings = parse_matrix(NOVA_2020, text)

    matrix, warnings = matrix_from_facts(NOVA_2020, result.items)

    assert (result.complete, result.pages) == (True, 1)
    assert result.validators.etag
    assert [r["record"] for r in result.items[:3]] == ["matrix", "driver", "driver"]
    assert [(d.key, d.title) for d in matrix.drivers] == [
        (d.key, d.title) for d in parsed.drivers
    ]
    assert [(f.key, f.title, f.status, f.notes) for f in matrix.features] == [
        (f.key, f.title, f.status, f.notes) for f in parsed.features
    ]
    assert [
        {k: (c.value, c.note) for k, c in f.cells.items()} for f in matrix.features
    ] == [{k: (c.value, c.note) for k, c in f.cells.items()} for f in parsed.features]
    assert [(w.line, w.code, w.message) for w in warnings] == [
        (f.line, f.code, f.message) for f in findings
    ]
    assert [w.code for w in warnings] == ["X110", "X110"]


def test_the_query_url_is_the_path_on_the_files_service(
    client: HttpClient, upstream: FakeUpstream
) -> None:
    fetch_matrix(MatrixQuery(path=NOVA), context(client))

    request = upstream.requests[-1]
    assert (request.route, request.path) == ("files.raw", f"/{NOVA}")
    assert request.headers["accept"] == "text/plain"


def test_an_unchanged_file_is_revalidated_with_a_conditional_request(
    run, folder: Path, clock: Any, upstream: FakeUpstream
) -> None:
    first = run(source())
    written = (folder / f"{SOURCE}.json").read_bytes()
    clock.advance(days=1)

    second = run(source())

    assert [first.state(SOURCE), second.state(SOURCE)] == ["fresh", "not-modified"]
    assert upstream.conditional_hits("files.raw") == 1
    assert (folder / f"{SOURCE}.json").read_bytes() == written


FAULTS = fault_params(
    invalid_json=(Fault.invalid_json(), {"content-type"}),
    wrong_schema=(Fault.wrong_schema(), {"content-type"}),
)


@pytest.mark.parametrize(("fault", "kinds"), FAULTS)
def test_every_fault_keeps_the_last_good_matrix_and_reports_stale(
    run,
    folder: Path,
    clock: Any,
    upstream: FakeUpstream,
    fault: Fault,
    kinds: set[str],
) -> None:
    run(source())
    before = (folder / f"{SOURCE}.json").read_bytes()
    clock.advance(days=2)
    upstream.fail("files.raw", fault)

    report = run(source())

    status = json.loads((folder / STATUS_FILE).read_text())["sources"][SOURCE]
    assert report.state(SOURCE) == "stale"
    assert status["error"]["kind"] in kinds
    assert (folder / f"{SOURCE}.json").read_bytes() == before


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"Nothing to see here.\n", "no driver columns or no features"),
        (b"[driver.kvm]\ntitle=KVM\n", "no driver columns or no features"),
        (b"[driver.kvm]\ntitle=KVM \xff\n", "is not UTF-8"),
    ],
    ids=["prose", "no-features", "latin-1"],
)
def test_a_text_file_that_is_no_matrix_fails_the_fetch(
    recordings: Recordings, policy: Policy, body: bytes, message: str
) -> None:
    served = recordings.with_file("example/not-a-matrix.ini", body)
    with (
        FakeUpstream(served, services=["files"]) as fake,
        HttpClient(Endpoints({"files": fake.base_url}), policy, environ={}) as client,
        pytest.raises(FetchError) as failure,
    ):
        fetch_matrix(MatrixQuery(path="example/not-a-matrix.ini"), context(client))

    assert failure.value.kind == "schema"
    assert message in failure.value.message


def test_a_repository_file_is_not_a_source_to_fetch() -> None:
    track = {"name": "mine", "file": "matrices/mine.ini"}

    assert PROVIDER.query(track) is None


def test_an_unknown_file_is_a_404(run, upstream: FakeUpstream) -> None:
    report = run(source(path="openstack/nova/no-such-matrix.ini"))

    assert report.state(SOURCE) == "missing"
    assert report.outcomes[0].status.error_kind == "http-404"


def test_the_files_route_serves_no_dot_segments(upstream: FakeUpstream) -> None:
    host, port = upstream.base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    connection.request("GET", "/openstack/../openstack/nova/support-matrix.ini")

    assert connection.getresponse().status == 404
    assert upstream.count("files.raw") == 0
    connection.close()


# --- History -----------------------------------------------------------------


def test_history_records_the_gap_count_of_every_driver(
    run, folder: Path, corpus: Path
) -> None:
    run(source(path=NOVA_2020))

    matrix, _ = parse_matrix(NOVA_2020, (corpus / NOVA_2020).read_text())
    expected = analyse(matrix, "libvirt-kvm-x86").gap_counts()
    (entry,) = load_history(folder)[SOURCE]
    assert entry.breakdown == expected
    assert (entry.breakdown["libvirt-xen"], entry.breakdown["xenserver"]) == (15, 20)


def test_an_unknown_reference_counts_gaps_against_the_default(
    run, folder: Path
) -> None:
    run(source(path=NOVA_2020, reference="no-such-driver"))

    snapshot = load_snapshot(folder, SOURCE).snapshot
    assert snapshot is not None
    (entry,) = load_history(folder)[SOURCE]
    assert entry.breakdown["libvirt-xen"] == 15


def test_other_kinds_keep_the_history_format_they_had(folder: Path, clock: Any) -> None:
    record_history(folder, {"quality.bugs.nova": (3, True)}, clock.now.date())

    document = json.loads((folder / HISTORY_FILE).read_text())
    assert document["sources"]["quality.bugs.nova"] == [
        {"complete": True, "count": 3, "date": "2026-05-04"}
    ]
