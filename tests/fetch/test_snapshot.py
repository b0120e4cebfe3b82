"""The snapshot on disk: deterministic, atomic, checksummed, never fatal."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import stat
import time
from pathlib import Path

import pytest

from crosswork.fetch.snapshot import (
    HISTORY_FILE,
    STATUS_FILE,
    HistoryEntry,
    Snapshot,
    SourceStatus,
    Validators,
    checksum,
    load_history,
    load_snapshot,
    load_status,
    record_history,
    remove_temporaries,
    snapshot_path,
    write_if_changed,
    write_snapshot,
    write_status,
)
from crosswork.fetch.sources import collect_sources
from crosswork.fetch.view import reader_reason
from crosswork.kinds import KINDS
from crosswork.kinds.bugs.provider import Bug, bugs_of
from crosswork.workgroups.registry import load_registry

WHEN = dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.UTC)
BUG = {
    "id": 1,
    "tracker": "launchpad",
    "project": "nova",
    "title": "Ünïcode stays as is",
    "status": "New",
    "importance": "High",
    "tags": [],
    "assignee": None,
    "created": "2026-01-02T03:04:05Z",
    "updated": None,
    "url": "https://bugs.launchpad.net/nova/+bug/1",
}


def make_snapshot(**changes: object) -> Snapshot:
    fields: dict[str, object] = {
        "source": "quality.bugs.nova",
        "kind": "bugs",
        "query": {"tracker": "launchpad", "project": "nova", "status": ["New"]},
        "fetched_at": WHEN,
        "complete": True,
        "items": (BUG,),
        "validators": Validators('W/"abc"', "Mon, 04 May 2026 12:00:00 GMT"),
    }
    fields.update(changes)
    return Snapshot(**fields)  # type: ignore[arg-type]


def test_a_written_snapshot_loads_back_equal(tmp_path: Path) -> None:
    snapshot = make_snapshot()

    assert write_snapshot(tmp_path, snapshot)
    loaded, reason = load_snapshot(tmp_path, "quality.bugs.nova")

    assert reason == ""
    assert loaded == snapshot
    assert bugs_of(loaded)[0] == Bug.from_json(BUG)


def test_the_envelope_has_every_documented_field(tmp_path: Path) -> None:
    write_snapshot(tmp_path, make_snapshot())
    envelope = json.loads((tmp_path / "quality.bugs.nova.json").read_text())

    assert set(envelope) == {
        "schema_version",
        "source",
        "kind",
        "query",
        "fetched_at",
        "validators",
        "complete",
        "pages",
        "count",
        "items",
        "sha256",
    }
    assert envelope["fetched_at"] == "2026-05-04T12:00:00Z"
    assert envelope["validators"] == {
        "auth": "anonymous",
        "etag": 'W/"abc"',
        "last_modified": "Mon, 04 May 2026 12:00:00 GMT",
    }
    assert envelope["count"] == 1
    assert envelope["sha256"] == checksum(envelope)


def test_json_is_written_deterministically(tmp_path: Path) -> None:
    write_snapshot(tmp_path, make_snapshot())
    text = (tmp_path / "quality.bugs.nova.json").read_text(encoding="utf-8")

    assert text.endswith("}\n")
    assert "Ünïcode" in text
    assert text.splitlines()[1].startswith(' "complete"')
    assert list(json.loads(text)) == sorted(json.loads(text))


def test_unchanged_content_is_not_rewritten(tmp_path: Path) -> None:
    assert write_snapshot(tmp_path, make_snapshot())
    path = tmp_path / "quality.bugs.nova.json"
    before = path.stat()

    assert not write_snapshot(tmp_path, make_snapshot())

    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_the_snapshot_folder_is_private(tmp_path: Path) -> None:
    folder = tmp_path / "snapshot"

    write_snapshot(folder, make_snapshot())

    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_missing_snapshot_is_absent_without_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert load_snapshot(tmp_path, "quality.bugs.nova") == (None, "absent")
    assert caplog.records == []


def flip_one_byte(data: bytes) -> bytes:
    index = data.index(b"stays")
    return data[:index] + b"S" + data[index + 1 :]


@pytest.mark.parametrize(
    ("corrupt", "reason"),
    [
        (flip_one_byte, "checksum mismatch"),
        (lambda data: data[: len(data) // 2], "not valid JSON"),
        (lambda data: b"\xff\xfe" + data, "not valid JSON"),
        (lambda data: b"[]", "not a JSON object"),
        (lambda data: b"", "not valid JSON"),
    ],
    ids=["flipped-byte", "truncated", "bad-utf8", "not-an-object", "empty"],
)
def test_a_corrupt_snapshot_counts_as_missing_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, corrupt: object, reason: str
) -> None:
    write_snapshot(tmp_path, make_snapshot())
    path = tmp_path / "quality.bugs.nova.json"
    path.write_bytes(corrupt(path.read_bytes()))  # type: ignore[operator]

    loaded, why = load_snapshot(tmp_path, "quality.bugs.nova")

    assert loaded is None
    assert why == f"corrupt: {reason}"
    assert "snapshot quality.bugs.nova.json corrupt" in caplog.text
    assert "treating as missing" in caplog.text
    assert caplog.records[0].levelno == logging.WARNING


def resealed(envelope: dict[str, object]) -> bytes:
    envelope["sha256"] = checksum(envelope)
    return json.dumps(envelope).encode()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"schema_version": 2}, "unsupported schema version 2"),
        ({"source": "quality.bugs.neutron"}, "holds source 'quality.bugs.neutron'"),
        ({"count": 5}, "items do not match their count"),
        ({"items": "nope"}, "field 'items' missing or of the wrong type"),
        ({"fetched_at": "yesterday"}, "bad fetched_at"),
    ],
)
def test_a_well_sealed_but_wrong_snapshot_is_refused(
    tmp_path: Path, change: dict[str, object], reason: str
) -> None:
    envelope = make_snapshot().envelope()
    envelope.update(change)
    (tmp_path / "quality.bugs.nova.json").write_bytes(resealed(envelope))

    assert load_snapshot(tmp_path, "quality.bugs.nova") == (None, f"corrupt: {reason}")


def test_a_crash_between_write_and_rename_keeps_the_previous_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    previous = make_snapshot()
    write_snapshot(tmp_path, previous)
    before = (tmp_path / "quality.bugs.nova.json").read_bytes()

    def crash(source: object, target: object) -> None:
        raise KeyboardInterrupt("killed before the rename")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        write_snapshot(tmp_path, make_snapshot(items=()))
    monkeypatch.undo()

    assert (tmp_path / "quality.bugs.nova.json").read_bytes() == before
    assert load_snapshot(tmp_path, "quality.bugs.nova").snapshot == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["quality.bugs.nova.json"]


def test_temporary_files_left_by_a_killed_writer_are_removed(tmp_path: Path) -> None:
    write_snapshot(tmp_path, make_snapshot())
    (tmp_path / ".quality.bugs.nova.json.k3j2.tmp").write_bytes(b"{half")

    remove_temporaries(tmp_path)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["quality.bugs.nova.json"]


def test_write_if_changed_replaces_content_in_one_step(tmp_path: Path) -> None:
    path = tmp_path / "file.json"
    assert write_if_changed(path, b"one\n")
    before = path.stat().st_ino

    with path.open("rb") as reader:
        assert write_if_changed(path, b"two\n")
        # A reader that opened the file before the write still reads the
        # old bytes whole: the new file took the name, the old one was not
        # truncated and rewritten in place.
        assert reader.read() == b"one\n"

    assert path.stat().st_ino != before
    assert path.read_bytes() == b"two\n"
    assert not write_if_changed(path, b"two\n")
    assert [p.name for p in tmp_path.iterdir()] == ["file.json"]


def test_a_write_that_fails_midway_leaves_the_old_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "file.json"
    write_if_changed(path, b"one\n")

    def crash(descriptor: int) -> None:
        raise OSError("disk gone")

    # The bytes are written, then the machine fails before they are safe.
    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="disk gone"):
        write_if_changed(path, b"two\n")

    assert path.read_bytes() == b"one\n"
    assert [p.name for p in tmp_path.iterdir()] == ["file.json"]


@pytest.mark.parametrize("source_id", ["../etc/passwd", "nova", "a/b.c", ".hidden.x"])
def test_source_ids_cannot_escape_the_folder(tmp_path: Path, source_id: str) -> None:
    with pytest.raises(ValueError, match="is not a source id"):
        snapshot_path(tmp_path, source_id)


def test_status_round_trips_and_computes_age(tmp_path: Path) -> None:
    status = SourceStatus(
        "stale",
        checked_at=WHEN,
        fetched_at=WHEN - dt.timedelta(days=3),
        validated_at=WHEN - dt.timedelta(days=1),
        count=4,
        complete=True,
        error_kind="http-503",
        error="127.0.0.1:1/1.0/nova answered HTTP 503",
    )

    write_status(tmp_path, {"quality.bugs.nova": status}, WHEN)
    document = json.loads((tmp_path / STATUS_FILE).read_text())

    assert load_status(tmp_path) == {"quality.bugs.nova": status}
    assert document["updated_at"] == "2026-05-04T12:00:00Z"
    assert document["sources"]["quality.bugs.nova"] == {
        "state": "stale",
        "checked_at": "2026-05-04T12:00:00Z",
        "fetched_at": "2026-05-01T12:00:00Z",
        "validated_at": "2026-05-03T12:00:00Z",
        "age_seconds": 86400,
        "count": 4,
        "complete": True,
        "error": {
            "kind": "http-503",
            "message": "127.0.0.1:1/1.0/nova answered HTTP 503",
        },
    }


@pytest.mark.parametrize("content", [b"{not json", b"[1]", b'{"sources": {"x": {}}}'])
def test_an_unreadable_status_file_counts_as_empty(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, content: bytes
) -> None:
    (tmp_path / STATUS_FILE).write_bytes(content)

    assert load_status(tmp_path) == {}
    assert STATUS_FILE in caplog.text


def test_history_keeps_one_entry_per_source_and_day(tmp_path: Path) -> None:
    day = dt.date(2026, 5, 4)

    assert record_history(tmp_path, {"a.bugs.x": (3, True)}, day)
    assert record_history(tmp_path, {"a.bugs.x": (5, False)}, day)
    assert not record_history(tmp_path, {"a.bugs.x": (5, False)}, day)
    assert record_history(tmp_path, {"a.bugs.y": (1, True)}, day + dt.timedelta(days=1))

    assert load_history(tmp_path) == {
        "a.bugs.x": [HistoryEntry(day, 5, False)],
        "a.bugs.y": [HistoryEntry(day + dt.timedelta(days=1), 1, True)],
    }


def test_history_is_capped_to_the_latest_days(tmp_path: Path) -> None:
    first = dt.date(2026, 1, 1)
    for offset in range(6):
        day = first + dt.timedelta(days=offset)
        record_history(tmp_path, {"a.bugs.x": (offset, True)}, day, cap=4)

    entries = load_history(tmp_path)["a.bugs.x"]

    assert [entry.count for entry in entries] == [2, 3, 4, 5]
    document = json.loads((tmp_path / HISTORY_FILE).read_text())
    assert document["sources"]["a.bugs.x"][0] == {
        "date": "2026-01-03",
        "count": 2,
        "complete": True,
    }


def test_the_committed_snapshot_loads_and_covers_every_declared_source(
    repo_root: Path,
) -> None:
    registry, problems = load_registry(repo_root / "workgroups", repo_root, kinds=KINDS)
    folder = repo_root / "snapshot"
    statuses = load_status(folder)

    assert problems == []
    for source in collect_sources(registry, KINDS):
        assert source.id in statuses
        loaded, reason = load_snapshot(folder, source.id)
        if statuses[source.id].state == "missing":
            assert (loaded, reason) == (None, "absent")
            continue
        assert reason == ""
        assert dict(loaded.query) == source.query.to_json()
        assert loaded.kind == source.kind
        if source.kind == "bugs":
            assert all(set(item) == set(BUG) for item in loaded.items)
        assert statuses[source.id].count == loaded.count


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("http-404", "the upstream answered HTTP 404"),
        ("http-503", "the upstream answered HTTP 503"),
        ("timeout", "the upstream did not answer in time"),
        ("rate-limited", "the upstream's rate limit was reached"),
        ("page-cap", "the upstream had more pages than a refresh reads"),
        ("http-", "the refresh failed (http-)"),
        ("something-new", "the refresh failed (something-new)"),
    ],
)
def test_readers_are_told_the_reason_of_a_failure_never_its_address(kind, words):
    assert reader_reason(kind) == words


def test_a_status_says_sample_only_when_its_data_came_from_an_override():
    moment = dt.datetime(2026, 5, 4, 12, tzinfo=dt.UTC)
    own = SourceStatus("fresh", moment, fetched_at=moment)
    sample = SourceStatus("fresh", moment, fetched_at=moment, sample=True)
    assert "sample" not in own.to_json()  # files from before read the same
    assert sample.to_json()["sample"] is True
    assert SourceStatus.from_json(sample.to_json()) == sample
    assert SourceStatus.from_json(own.to_json()) == own


def test_same_data_means_same_query_completeness_and_items() -> None:
    snapshot = make_snapshot()
    later = make_snapshot(fetched_at=WHEN + dt.timedelta(days=1), pages=3)
    assert [
        snapshot.same_data(later),
        snapshot.same_data(make_snapshot(query={"project": "neutron"})),
        snapshot.same_data(make_snapshot(complete=False)),
        snapshot.same_data(make_snapshot(items=())),
    ] == [True, False, False, False]


def test_validators_without_an_auth_mode_are_anonymous() -> None:
    assert Validators.from_json({"etag": "x"}) == Validators("x", None, "anonymous")
    assert Validators.from_json({"auth": "token"}).auth == "token"


def test_the_page_count_loads_back_as_written(tmp_path: Path) -> None:
    write_snapshot(tmp_path, make_snapshot(pages=3))
    loaded, _ = load_snapshot(tmp_path, "quality.bugs.nova")
    assert loaded.pages == 3


def test_an_unreadable_snapshot_is_corrupt_with_the_reason(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    snapshot_path(tmp_path, "quality.bugs.nova").mkdir()
    with caplog.at_level(logging.WARNING, logger="crosswork.fetch"):
        loaded, reason = load_snapshot(tmp_path, "quality.bugs.nova")
    assert (loaded, reason) == (None, "corrupt: unreadable (Is a directory)")
    assert caplog.messages == [
        "snapshot quality.bugs.nova.json corrupt (unreadable (Is a directory)),"
        " treating as missing"
    ]


def test_status_and_history_files_name_their_schema_version(tmp_path: Path) -> None:
    write_status(tmp_path, {"a.b": SourceStatus("missing", WHEN)}, WHEN)
    record_history(tmp_path, {"a.b": (1, True)}, WHEN.date())
    status = json.loads((tmp_path / STATUS_FILE).read_text())
    history = json.loads((tmp_path / HISTORY_FILE).read_text())
    assert (status["schema_version"], history["schema_version"]) == (1, 1)
    assert status["sources"]["a.b"]["error"] is None
    assert load_status(tmp_path) == {"a.b": SourceStatus("missing", WHEN)}


def test_files_without_sources_read_as_empty_without_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / STATUS_FILE).write_text('{"schema_version": 1}')
    (tmp_path / HISTORY_FILE).write_text('{"schema_version": 1}')
    with caplog.at_level(logging.WARNING, logger="crosswork.fetch"):
        assert (load_status(tmp_path), load_history(tmp_path)) == ({}, {})
    assert caplog.messages == []


def test_a_temporary_file_removed_meanwhile_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer may drop a leftover between the listing and the removal."""
    gone = tmp_path / ".gone.tmp"
    monkeypatch.setattr(Path, "glob", lambda folder, pattern: iter([gone]))
    remove_temporaries(tmp_path)
    assert not gone.exists()


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("{", "is unreadable, ignoring it"),
        ("[]", "is not a JSON object, ignoring it"),
        (
            '{"sources": {"a.b": [{"date": "x"}]}}',
            "is malformed, starting a new history",
        ),
    ],
)
def test_a_bad_history_file_is_named_in_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, text: str, warning: str
) -> None:
    (tmp_path / HISTORY_FILE).write_text(text)
    with caplog.at_level(logging.WARNING, logger="crosswork.fetch"):
        assert load_history(tmp_path) == {}
    assert caplog.messages == [f"{HISTORY_FILE} {warning}"]


def test_a_malformed_status_file_is_named_in_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / STATUS_FILE).write_text('{"sources": {"a.b": {}}}')
    with caplog.at_level(logging.WARNING, logger="crosswork.fetch"):
        assert load_status(tmp_path) == {}
    assert caplog.messages == [f"{STATUS_FILE} is malformed, ignoring it"]


def test_history_keeps_the_breakdown_a_kind_computes_from_its_snapshot(
    tmp_path: Path,
) -> None:
    """Only sources with a breakdown get one, and one without a snapshot
    gets an empty one; entries read back with names and whole numbers."""
    write_snapshot(tmp_path, make_snapshot())
    write_snapshot(tmp_path, make_snapshot(source="quality.bugs.plain"))
    figures = {
        "quality.bugs.nova": lambda s: {"new": s.count, "high": 1},
        "quality.bugs.gone": lambda s: {"new": 5},
    }
    counts = {"quality.bugs.nova": (1, True), "quality.bugs.gone": (0, False)}
    counts["quality.bugs.plain"] = (2, True)
    record_history(tmp_path, counts, WHEN.date(), figures)
    written = json.loads((tmp_path / HISTORY_FILE).read_text())["sources"]
    assert written["quality.bugs.nova"] == [
        {"date": "2026-05-04", "count": 1, "complete": True,
         "breakdown": {"high": 1, "new": 1}}
    ]  # fmt: skip
    assert "breakdown" not in written["quality.bugs.gone"][0]
    assert "breakdown" not in written["quality.bugs.plain"][0]
    assert load_history(tmp_path)["quality.bugs.nova"] == [
        HistoryEntry(WHEN.date(), 1, True, {"high": 1, "new": 1})
    ]


def test_a_stored_breakdown_is_read_as_names_and_whole_numbers() -> None:
    entry = HistoryEntry.from_json(
        {"date": "2026-05-04", "count": "3", "complete": 1, "breakdown": {7: "2"}}
    )
    assert entry == HistoryEntry(dt.date(2026, 5, 4), 3, True, {"7": 2})


def test_times_are_written_in_utc_whatever_the_local_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        moment = dt.datetime(
            2026, 5, 4, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))
        )
        assert (
            SourceStatus("fresh", moment).to_json()["checked_at"]
            == "2026-05-04T12:00:00Z"
        )
    finally:
        monkeypatch.undo()
        time.tzset()
