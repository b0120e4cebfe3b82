"""Advisories as a snapshot stores them: exact round trips, damage reported."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from crosswork.kinds.advisories.model import Advisory, Source
from crosswork.kinds.advisories.ossa import load_ossa_folder
from crosswork.kinds.advisories.osv import normalize_osv
from crosswork.kinds.advisories.severity import database_rating
from crosswork.kinds.advisories.stored import advisory_item, read_items, schema
from crosswork.schemacheck import ValidationCache, digest, process_cache

LABEL = "snapshot/security.advisories.services.json"


def stored(advisory: Advisory) -> dict[str, Any]:
    """An item as it comes back from a JSON file."""
    return json.loads(json.dumps(advisory_item(advisory)))


@pytest.fixture
def item(make: Any) -> Any:
    """``item("PYSEC-2026-1", "2026-05-01")``: a stored synthetic advisory."""

    def build(identifier: str, day: str) -> dict[str, Any]:
        source = Source(identifier, "PyPA Advisory Database", identifier)
        return stored(make(identifier, day, sources=(source,)))

    return build


def test_a_year_before_1000_is_stored_in_four_digits(make: Any) -> None:
    source = Source("PYSEC-2026-1", "PyPA Advisory Database", LABEL)
    advisory = make("PYSEC-2026-1", "0099-05-01", sources=(source,))
    item = stored(advisory)
    assert item["published"] == "0099-05-01T00:00:00Z"
    advisories, problems = read_items(LABEL, [item])
    assert problems == []
    assert [a.published for a in advisories] == [advisory.published]


def comparable(advisory: Advisory) -> Advisory:
    """Without what the snapshot does not keep: sub-second times, labels."""
    return dataclasses.replace(
        advisory,
        modified=advisory.modified.replace(microsecond=0),
        published=advisory.published and advisory.published.replace(microsecond=0),
        sources=tuple((s.id, s.database) for s in advisory.sources),  # type: ignore[arg-type]
    )


def test_every_corpus_record_reads_back_as_it_was_stored(
    every_osv_record: list[tuple[str, dict[str, Any]]], ossa_dir: Any
) -> None:
    advisories, _ = load_ossa_folder(ossa_dir)
    for label, record in every_osv_record:
        if label.startswith("pypa-advisory-database/"):
            continue  # the YAML form of records also read as JSON
        advisory, _ = normalize_osv(record, label=label)
        assert advisory is not None
        advisories.append(advisory)

    read, problems = read_items(LABEL, [stored(a) for a in advisories])

    assert problems == []
    assert [comparable(a) for a in read] == [comparable(a) for a in advisories]
    assert all(source.label == LABEL for a in read for source in a.sources)


def test_version_runs_are_stored_beside_their_text(advisory: Any) -> None:
    item = stored(advisory("pypa-advisory-database/nova__PYSEC-2019-191.yaml"))

    package = item["affected"][0]
    assert package["ranges"][0] == {
        "lower": None,
        "upper": "17.0.12",
        "lower_inclusive": True,
        "upper_inclusive": False,
    }
    assert package["affected"][0] == "< 17.0.12"


def test_scores_and_links_are_recomputed_not_trusted(item: Any) -> None:
    vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"
    tampered = item("PYSEC-2026-1", "2026-05-01")
    tampered["ratings"] = [
        {"label": "Low", "score": 0.1, "version": "3.1", "vector": vector}
    ]
    tampered["references"] = [
        {"type": "WEB", "text": "https://evil.example/", "url": "https://evil.example/"}
    ]

    (advisory,), problems = read_items(LABEL, [tampered])

    assert problems == []
    assert (advisory.severity.label, advisory.severity.score) == ("High", 7.5)
    assert advisory.references[0].url is None


DAMAGE = [
    pytest.param(
        lambda item: item.pop("title"),
        "A302 items[0]: missing required key 'title'",
        id="missing",
    ),
    pytest.param(
        lambda item: item.update(extra=1),
        "A301 items[0].extra: unknown key",
        id="unknown",
    ),
    pytest.param(
        lambda item: item.update(id="../../etc/passwd"),
        "A305 items[0].id: '../../etc/passwd' is not an advisory id",
        id="id",
    ),
    pytest.param(
        lambda item: item.update(modified="2026-02-30T00:00:00Z"),
        "A305 items[0].modified: '2026-02-30T00:00:00Z' is not in the calendar",
        id="date",
    ),
    pytest.param(
        lambda item: item.update(
            ratings=[{"label": "High", "score": 9.0, "version": "3.1", "vector": "x"}]
        ),
        "A312 items[0].ratings[0].vector: 'x' cannot be scored",
        id="vector",
    ),
]


@pytest.mark.parametrize(("damage", "message"), DAMAGE)
def test_a_damaged_item_is_reported_and_the_source_gives_nothing(
    item: Any, damage: Any, message: str
) -> None:
    good = item("PYSEC-2026-2", "2026-05-02")
    bad = item("PYSEC-2026-1", "2026-05-01")
    damage(bad)

    advisories, problems = read_items(LABEL, [bad, good])

    assert advisories == []
    assert len(problems) == 1
    assert str(problems[0]).startswith(f"{LABEL}:1:1: {message}")


def test_an_id_stored_twice_is_reported(item: Any) -> None:
    first = item("PYSEC-2026-1", "2026-05-01")

    advisories, problems = read_items(LABEL, [first, dict(first, id="pysec-2026-1")])

    assert advisories == []
    assert [str(p) for p in problems] == [
        f"{LABEL}:1:1: A311 items[1].id: 'pysec-2026-1' is stored twice"
    ]


def test_a_database_rating_is_stored_and_read_back(make: Any) -> None:
    source = Source("GHSA-2026-1", "GitHub Advisory Database", LABEL)
    rating = database_rating("GitHub", "MODERATE")
    advisory = make("GHSA-2026-1", "2026-05-01", sources=(source,), ratings=(rating,))
    item = stored(advisory)
    assert item["severity"]["database"] == "GitHub"
    assert item["severity"]["word"] == "Moderate"
    (read,), problems = read_items(LABEL, [item])
    assert problems == []
    assert read.severity == rating


def test_a_title_taken_from_the_details_first_line_is_built_again(
    make: Any,
) -> None:
    source = Source("PYSEC-2026-1", "PyPA Advisory Database", LABEL)
    details = "Requests is a HTTP library. Requests leaks a header on redirects."
    old = make(
        "PYSEC-2026-1",
        "2026-05-01",
        sources=(source,),
        title="Requests is a HTTP library.",
        details=details,
    )
    (read,), _ = read_items(LABEL, [stored(old)])
    assert read.title == "Requests leaks a header on redirects"
    kept = dataclasses.replace(old, title="A summary from the record")
    (read,), _ = read_items(LABEL, [stored(kept)])
    assert read.title == "A summary from the record"


# --- Validated once per content ---------------------------------------------------


def test_content_that_passed_is_not_validated_again(item: Any, tmp_path: Any) -> None:
    items = [item("PYSEC-2026-1", "2026-05-01")]
    first = ValidationCache(tmp_path / "validated.json")
    read_items(LABEL, items, first)
    first.save()

    second = ValidationCache(tmp_path / "validated.json")
    advisories, problems = read_items(LABEL, items, second)

    assert (first.validations, second.validations) == (1, 0)
    assert [a.id for a in advisories] == ["PYSEC-2026-1"] and problems == []


def test_content_that_passed_in_this_process_is_not_validated_again(
    item: Any,
) -> None:
    items = [item("PYSEC-2026-71", "2026-07-01")]
    read_items(LABEL, items, ValidationCache())  # the advisory pages' check

    again = process_cache()  # the home page's, reading the same snapshot
    advisories, problems = read_items(LABEL, items, again)

    assert again.validations == 0
    assert [a.id for a in advisories] == ["PYSEC-2026-71"] and problems == []


def test_damage_is_found_by_every_check_in_a_process(item: Any) -> None:
    damaged = dict(item("PYSEC-2026-72", "2026-07-02"), title=None)
    for check in (ValidationCache(), process_cache(), process_cache()):
        _, problems = read_items(LABEL, [damaged], check)
        assert check.validations == 1 and [p.code for p in problems] == ["A303"]


def test_changed_content_is_validated_and_its_damage_reported(
    item: Any, tmp_path: Any
) -> None:
    good = item("PYSEC-2026-1", "2026-05-01")
    first = ValidationCache(tmp_path / "validated.json")
    read_items(LABEL, [good], first)
    first.save()

    damaged = dict(good, title=None)
    second = ValidationCache(tmp_path / "validated.json")
    advisories, problems = read_items(LABEL, [damaged], second)

    assert second.validations == 1
    assert advisories == [] and [p.code for p in problems] == ["A303"]


def test_damaged_content_is_validated_by_every_build(item: Any, tmp_path: Any) -> None:
    damaged = dict(item("PYSEC-2026-1", "2026-05-01"), title=None)
    for _ in range(2):
        cache = ValidationCache(tmp_path / "validated.json")
        _, problems = read_items(LABEL, [damaged], cache)
        cache.save()
        assert cache.validations == 1 and problems


def test_an_entry_for_other_content_does_not_skip_validation(
    item: Any, tmp_path: Any
) -> None:
    path = tmp_path / "validated.json"
    other = [item("PYSEC-2026-9", "2026-05-09")]
    key = f"{digest(schema())}:{digest({'items': other})}"
    path.write_text(json.dumps({"passed": [key]}))

    cache = ValidationCache(path)
    read_items(LABEL, [item("PYSEC-2026-1", "2026-05-01")], cache)
    read_items(LABEL, other, cache)

    assert cache.validations == 1


def test_a_damaged_cache_file_validates_everything(item: Any, tmp_path: Any) -> None:
    path = tmp_path / "validated.json"
    path.write_text('{"passed": [[]]}')

    cache = ValidationCache(path)
    read_items(LABEL, [item("PYSEC-2026-1", "2026-05-01")], cache)

    assert cache.validations == 1
