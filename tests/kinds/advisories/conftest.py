"""Helpers for the advisory tests: real records from the shared corpus.

Records are read in place (never copied into the repository); YAML records
are loaded as the PyPA database's own tooling loads them.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from crosswork.kinds.advisories.model import Advisory
from crosswork.kinds.advisories.osv import normalize_osv


def read_record(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text) if path.suffix == ".yaml" else json.loads(text)


@pytest.fixture
def osv_dir(corpus: Path) -> Path:
    return corpus / "apis" / "osv"


@pytest.fixture
def ossa_dir(corpus: Path) -> Path:
    return corpus / "openstack" / "ossa"


@pytest.fixture
def record(osv_dir: Path):
    """``record("pypa-advisory-database/nova__PYSEC-2019-191.yaml")``."""

    def load(relative: str) -> dict[str, Any]:
        return read_record(osv_dir / relative)

    return load


@pytest.fixture
def every_osv_record(osv_dir: Path) -> list[tuple[str, dict[str, Any]]]:
    """Every real OSV record of the corpus: database files and API samples."""
    found = []
    for folder in ("pypa-advisory-database", "pypa-advisory-database-as-json"):
        for path in sorted((osv_dir / folder).iterdir()):
            found.append((f"{folder}/{path.name}", read_record(path)))
    for path in sorted((osv_dir / "github-advisory-database").iterdir()):
        found.append((f"github-advisory-database/{path.name}", read_record(path)))
    query = read_record(osv_dir / "docs" / "query_response_sample.json")
    found += [(f"docs/query#{i}", vuln) for i, vuln in enumerate(query["vulns"])]
    single = "docs/vulns_get_OSV-2020-111_sample.json"
    found.append((single, read_record(osv_dir / single)))
    return found


@pytest.fixture
def advisory(record):
    """A corpus record normalized; the test fails if it has any problem."""

    def load(relative: str) -> Advisory:
        result, problems = normalize_osv(record(relative), label=relative)
        assert problems == []
        assert result is not None
        return result

    return load


@pytest.fixture
def make():
    """Build a synthetic advisory: ``make("PYSEC-2026-1", "2026-05-01")``."""

    def build(identifier: str, day: str, **fields: Any) -> Advisory:
        moment = dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC)
        values: dict[str, Any] = {
            "id": identifier,
            "aliases": (),
            "title": f"Title of {identifier}",
            "details": "",
            "ratings": (),
            "affected": (),
            "published": moment,
            "modified": moment,
            "withdrawn": None,
            "references": (),
            "sources": (),
        }
        return Advisory(**(values | fields))

    return build
