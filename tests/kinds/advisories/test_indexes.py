"""Listings by package and year, counts per rating, and the latest few."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from crosswork.kinds.advisories.indexes import (
    by_package,
    by_year,
    counts_by_year_and_severity,
    latest,
)
from crosswork.kinds.advisories.model import AffectedPackage
from crosswork.kinds.advisories.severity import rate_vector

HIGH = rate_vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N")  # 7.5
CRITICAL = rate_vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H")  # 10.0


@pytest.fixture
def sample(make):
    nova = AffectedPackage("PyPI", "nova")
    ossa_nova = AffectedPackage("OpenStack", "Nova")
    store = AffectedPackage("OpenStack", "glance_store")
    return [
        make("PYSEC-2024-2", "2024-03-01", ratings=(HIGH,), affected=(nova,)),
        make("OSSA-2024-001", "2024-07-02", affected=(ossa_nova, nova, store)),
        make("GHSA-aaaa-bbbb-cccc", "2023-01-05", ratings=(CRITICAL,)),
        make("PYSEC-2024-9", "2024-09-09", ratings=(CRITICAL,), affected=(nova,)),
        replace(
            make("PYSEC-2024-5", "2024-05-05", ratings=(HIGH,), affected=(nova,)),
            withdrawn=dt.datetime(2024, 6, 1, tzinfo=dt.UTC),
        ),
    ]


def ids(advisories) -> list[str]:
    return [advisory.id for advisory in advisories]


def test_by_package_groups_every_spelling_and_ecosystem(sample):
    index = by_package(sample)
    assert list(index) == ["glance-store", "nova"]
    assert ids(index["nova"]) == ["PYSEC-2024-9", "OSSA-2024-001", "PYSEC-2024-2"]
    assert ids(index["glance-store"]) == ["OSSA-2024-001"]


def test_withdrawn_advisories_are_listed_only_on_request(sample):
    with_withdrawn = by_package(sample, include_withdrawn=True)
    assert "PYSEC-2024-5" in ids(with_withdrawn["nova"])
    assert "PYSEC-2024-5" in ids(by_year(sample, include_withdrawn=True)[2024])
    assert "PYSEC-2024-5" not in ids(by_year(sample)[2024])


def test_by_year_is_newest_year_first(sample):
    index = by_year(sample)
    assert list(index) == [2024, 2023]
    assert ids(index[2024]) == ["PYSEC-2024-9", "OSSA-2024-001", "PYSEC-2024-2"]


def test_counts_have_every_rating_and_leave_withdrawn_out(sample):
    assert counts_by_year_and_severity(sample) == {
        2024: {
            "Critical": 1,
            "High": 1,
            "Medium": 0,
            "Low": 0,
            "None": 0,
            "Not rated": 1,
        },
        2023: {
            "Critical": 1,
            "High": 0,
            "Medium": 0,
            "Low": 0,
            "None": 0,
            "Not rated": 0,
        },
    }


def test_latest_skips_withdrawn(sample):
    assert ids(latest(sample, 3)) == ["PYSEC-2024-9", "OSSA-2024-001", "PYSEC-2024-2"]
    assert latest(sample, 0) == [] and latest(sample, -1) == []
    assert len(latest(sample, 100)) == 4
