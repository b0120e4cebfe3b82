"""``api/advisories.json``: a stable, documented, JSON-only shape."""

from __future__ import annotations

import datetime as dt
import json

from crosswork.kinds.advisories.export import advisories_document, advisory_record
from crosswork.kinds.advisories.merge import merge
from crosswork.kinds.advisories.ossa import load_ossa

#: The documented keys; changing them is a format change.
RECORD_KEYS = [
    "id",
    "aliases",
    "title",
    "details",
    "severity",
    "ratings",
    "affected",
    "published",
    "modified",
    "withdrawn",
    "references",
    "patches",
    "errata",
    "errata_history",
    "notes",
    "credits",
    "sources",
]


def test_a_merged_advisory_exports_with_the_documented_shape(advisory, ossa_dir):
    ossa, _ = load_ossa(
        "ossa/OSSA-2021-001.yaml", (ossa_dir / "OSSA-2021-001.yaml").read_bytes()
    )
    (merged,) = merge(
        [ossa, advisory("pypa-advisory-database/neutron__PYSEC-2021-136.yaml")]
    )
    record = json.loads(json.dumps(advisory_record(merged)))
    assert list(record) == RECORD_KEYS
    assert record["id"] == "OSSA-2021-001"
    assert record["aliases"] == ["PYSEC-2021-136", "CVE-2021-20267"]
    assert record["severity"] == {
        "label": "Not rated",
        "score": None,
        "version": None,
        "vector": None,
        "database": None,
        "word": None,
    }
    assert record["published"] == "2021-07-12T00:00:00Z"
    assert record["modified"] == "2021-08-27T03:22:08Z"
    assert record["withdrawn"] is None
    assert record["affected"][0] == {
        "ecosystem": "OpenStack",
        "name": "Neutron",
        "key": "neutron",
        "affected": ["< 16.3.3", ">= 17.0.0, < 17.1.3", "== 18.0.0"],
        "fixed_in": ["16.3.3", "17.1.3"],
        "version_text": "<16.3.3, >=17.0.0 <17.1.3, =18.0.0",
        "versions": [],
        "git": [],
    }
    assert record["patches"][0] == {
        "branch": "xena",
        "product": "",
        "note": "",
        "text": "https://review.opendev.org/783743",
        "url": "https://review.opendev.org/783743",
    }
    assert record["sources"] == [
        {"id": "OSSA-2021-001", "database": "OpenStack Security Advisories"},
        {"id": "PYSEC-2021-136", "database": "PyPA Advisory Database"},
    ]


def test_git_ranges_and_ratings_export(advisory):
    urllib3 = advisory("pypa-advisory-database/urllib3__PYSEC-2023-212.yaml")
    record = advisory_record(urllib3)
    assert record["severity"] == {
        "label": "Medium",
        "score": 4.2,
        "version": "3.1",
        "vector": "CVSS:3.1/AV:A/AC:H/PR:H/UI:N/S:U/C:H/I:N/A:N",
        "database": None,
        "word": None,
    }
    assert record["affected"][0]["git"] == [
        {
            "repo": {
                "type": "GIT",
                "text": "https://github.com/urllib3/urllib3",
                "url": "https://github.com/urllib3/urllib3",
            },
            "events": [
                {"introduced": "0"},
                {"fixed": "4e98d57809dacab1cbe625fddeec1a290c478ea9"},
            ],
        }
    ]


def page_of(advisory) -> str:
    return f"https://site.example/security/advisories/{advisory.id}.html"


def test_the_document_is_deterministic_and_names_each_page(advisory):
    advisories = [advisory("pypa-advisory-database/nova__PYSEC-2019-191.yaml")]
    updated = dt.datetime(2026, 6, 30, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    document = advisories_document(advisories, updated=updated, page_of=page_of)
    assert document["updated"] == "2026-06-30T12:00:00Z"
    assert [a["id"] for a in document["advisories"]] == ["PYSEC-2019-191"]
    assert document["advisories"][0]["page"] == page_of(advisories[0])
    first = json.dumps(document, sort_keys=True)
    assert first == json.dumps(
        advisories_document(advisories, updated=updated, page_of=page_of),
        sort_keys=True,
    )
