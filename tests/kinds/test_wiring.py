"""Every registered data kind is whole and wired, from its record alone.

For each kind of ``crosswork.kinds.KINDS``: its record names a schema, an
extension, fake routes and checkers that exist; its example track
validates in a charter; the fake upstream serves it; the fetch stores it;
and the charter page renders it with its freshness. A new kind joins
every test here by its record, without a new test.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema
import lxml.html
import pytest
import yaml

from crosswork import extensions
from crosswork.datakind import DataKind
from crosswork.diagnostics import CODES
from crosswork.fetch.endpoints import parse_endpoints
from crosswork.fetch.run import fetch_all
from crosswork.fetch.sources import collect_sources
from crosswork.kinds import KINDS
from crosswork.site.warnings import CORE_SUBTYPES, subtypes
from crosswork.testing.upstream import FakeUpstream, Recordings
from crosswork.workgroups.registry import load_registry

ROOT = Path(__file__).resolve().parents[1] / "roots" / "test-site"

by_kind = pytest.mark.parametrize("kind", KINDS, ids=[kind.name for kind in KINDS])


def charter_with(kind: DataKind, *tracks: Mapping[str, Any]) -> dict:
    """The test root's alpha charter, tracking only ``tracks`` (default: the
    kind's example)."""
    source = ROOT / "repo" / "workgroups" / "alpha.yaml"
    charter = yaml.safe_load(source.read_text(encoding="utf-8"))
    charter["tracks"] = {kind.name: [dict(t) for t in tracks or [kind.example]]}
    return charter


def only_the_example(workgroups: Path, kind: DataKind) -> None:
    """Alpha tracks the kind's example; no other charter tracks anything."""
    for path in workgroups.glob("*.yaml"):
        charter = yaml.safe_load(path.read_text(encoding="utf-8"))
        charter["tracks"] = {}
        if path.stem == "alpha":
            charter = charter_with(kind)
        path.write_text(yaml.safe_dump(charter, sort_keys=False), encoding="utf-8")


def test_kind_names_are_unique_and_ordered_once() -> None:
    names = [kind.name for kind in KINDS]
    assert len(names) == len(set(names))


@by_kind
def test_the_record_names_parts_that_exist(kind: DataKind) -> None:
    schema = kind.track_schema_json()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["type"] == "array"
    module = importlib.import_module(kind.extension)
    assert callable(module.setup)
    assert kind.extension in extensions()
    for checker in kind.checkers:
        importlib.import_module(checker)
    assert kind.summary.endswith(".")
    assert kind.example, "an example track for the reference and these tests"
    assert kind.hostile, "hostile recordings, for tests/test_hostile.py"
    module, _, function = kind.hostile.partition(":")
    assert callable(getattr(importlib.import_module(module), function))


@by_kind
def test_the_kinds_warnings_and_codes_are_its_own(kind: DataKind) -> None:
    assert not set(kind.warnings) & set(CORE_SUBTYPES)
    assert set(kind.warnings) <= set(subtypes(KINDS))
    others = [other for other in KINDS if other is not kind]
    assert not set(kind.warnings) & {w for o in others for w in o.warnings}
    assert not set(kind.roles) & {r for o in others for r in o.roles}
    for checker in kind.checkers:
        importlib.import_module(checker)
    assert CODES  # registering twice would have raised


@by_kind
def test_the_example_track_validates_in_a_charter(
    kind: DataKind, tmp_path: Path
) -> None:
    folder = tmp_path / "workgroups"
    folder.mkdir()
    charter = charter_with(kind)
    (folder / "alpha.yaml").write_text(yaml.safe_dump(charter), encoding="utf-8")

    registry, problems = load_registry(folder, kinds=KINDS)

    assert problems == []
    assert registry["alpha"].tracks == {kind.name: [dict(kind.example)]}


@by_kind
def test_every_example_track_validates_and_names_a_source(
    kind: DataKind, tmp_path: Path
) -> None:
    folder = tmp_path / "workgroups"
    folder.mkdir()
    charter = charter_with(kind, *kind.examples)
    (folder / "alpha.yaml").write_text(yaml.safe_dump(charter), encoding="utf-8")

    registry, problems = load_registry(folder, kinds=KINDS)

    assert problems == []
    names = [source.name for source in collect_sources(registry, KINDS)]
    assert sorted(names) == sorted(track["name"] for track in kind.examples)


@by_kind
def test_every_example_source_says_what_it_is_by_its_service_never_an_address(
    kind: DataKind,
) -> None:
    services = {"Launchpad", "GitHub", "Gerrit", "OSV", "OSSA files", "Zuul"}
    services |= {"Feature matrix file", "Requirements files"}
    for track in kind.examples:
        query = kind.load_provider().query(track)
        if query is None:  # a file in the repository: nothing to describe
            continue
        what = query.describe()
        service, _, subject = what.partition(": ")
        assert service in services and subject, what
        assert "://" not in what and "127.0.0.1" not in what, what


@by_kind
def test_the_fake_serves_it_the_fetch_stores_it_a_page_renders_it(
    kind: DataKind, recordings: Recordings, copy_root, build_site, clock
) -> None:
    site = copy_root("test-site")
    workgroups = site / "repo" / "workgroups"
    only_the_example(workgroups, kind)
    registry, problems = load_registry(workgroups, kinds=KINDS)
    assert problems == []
    sources = collect_sources(registry, KINDS)
    assert [source.kind for source in sources] == [kind.name]

    with FakeUpstream(recordings) as fake:
        report = fetch_all(
            sources,
            site / "repo" / "snapshot",
            clock=clock,
            endpoints=parse_endpoints(fake.endpoints()),
            environ={},
            sleep=lambda seconds: None,
        )
        served = sum(fake.count(route.name) for route in fake.routes)

    assert served > 0
    assert [(o.status.state, o.status.error) for o in report.outcomes] == [
        ("fresh", None)
    ]
    stored = json.loads((site / "repo/snapshot" / f"{sources[0].id}.json").read_text())
    assert stored["kind"] == kind.name
    assert stored["items"]

    app, _ = build_site(site)
    page = lxml.html.parse(str(Path(app.outdir) / "workgroups" / "alpha.html"))
    text = page.getroot().text_content()
    # Fetched from the fake upstream, so the page says it is sample data.
    assert "Sample data as of" in text
    assert "served by a stand-in for the upstream" in text
    assert "No data yet" not in text
