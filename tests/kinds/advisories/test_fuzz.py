"""Properties of the OSV and OSSA normalizers on any input.

Whatever the record, :func:`normalize_osv` and :func:`load_ossa` give an
advisory or located findings, never an exception; an advisory they give
is stored, read back, exported and put in the feed without a problem;
and their work grows linearly with the record.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st
from lxml import etree

from crosswork.diagnostics import has_errors
from crosswork.kinds.advisories.export import advisories_document
from crosswork.kinds.advisories.feed import atom_feed
from crosswork.kinds.advisories.model import Advisory
from crosswork.kinds.advisories.ossa import load_ossa
from crosswork.kinds.advisories.osv import normalize_osv
from crosswork.kinds.advisories.stored import advisory_item, read_items
from fuzzing import (
    assert_linear,
    assert_located,
    awkward_text,
    fuzz_settings,
    joined,
    json_values,
)

UPDATED = dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.UTC)


def check_advisory(advisory: Advisory) -> None:
    """Stored as JSON, read back without a problem, exported, in the feed."""
    item = advisory_item(advisory)
    stored = json.loads(json.dumps(item, ensure_ascii=False).encode())
    again, problems = read_items("snapshot.json", [stored])
    assert problems == []
    assert [a.id for a in again] == [advisory.id]
    document = advisories_document(
        [advisory],
        updated=UPDATED,
        page_of=lambda a: f"security/advisories/{a.id}.html",
    )
    json.dumps(document, ensure_ascii=False).encode()
    feed = atom_feed([advisory], site_url="https://example.org", updated=UPDATED)
    etree.fromstring(feed)


# --- OSV ---------------------------------------------------------------------

IDS = ("PYSEC-2024-1", "GHSA-j8r2-6x86-q33q", "CVE-2024-3651", "OSSA-2024-001")
VECTORS = (
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.0/AV:N/AC:H/PR:L/UI:R/S:C/C:L/I:N/A:N",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    "AV:N/AC:L/Au:N/C:P/I:P/A:P",
)
VECTOR_PARTS = ("CVSS:3.1/", "CVSS:4.0/", "AV:N/", "AC:L/", "C:H/", "/", ":", "X")
DATES = (
    "2024-01-01T00:00:00Z",
    "2024-01-01",
    "2024-02-30T00:00:00Z",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "0001-01-01T00:00:00",
    "2024-01-01T00:00:00.123456789Z",
    " 2024-01-01T00:00:00+23:59 ",
)
offsets = st.builds(
    dt.timezone,
    st.timedeltas(
        min_value=dt.timedelta(hours=-23, minutes=-59),
        max_value=dt.timedelta(hours=23, minutes=59),
    ),
)
dates = st.one_of(
    st.sampled_from(DATES),
    st.datetimes(timezones=st.none() | offsets).map(dt.datetime.isoformat),
    awkward_text(max_size=30),
    json_values(max_leaves=3),
)
texts = st.one_of(awkward_text(max_size=80), json_values(max_leaves=3))
urls = st.one_of(
    st.sampled_from(
        (
            "https://github.com/psf/requests",
            "JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            "https://github.com@evil.example/",
            "data:text/html,<script>",
        )
    ),
    awkward_text(max_size=40),
)
events = st.lists(
    st.one_of(
        st.dictionaries(
            st.sampled_from(("introduced", "fixed", "last_affected", "limit", "x")),
            st.sampled_from(("0", "1.0", "2.0.1", "1!2.0", "v1", "")) | texts,
            max_size=2,
        ),
        json_values(max_leaves=2),
    ),
    max_size=5,
)
ranges = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "type": st.sampled_from(("ECOSYSTEM", "SEMVER", "GIT", "X")) | texts,
            "events": events | texts,
            "repo": urls,
        },
    )
    | texts,
    max_size=3,
)
affected = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "package": st.fixed_dictionaries(
                {},
                optional={
                    "ecosystem": st.sampled_from(("PyPI", "")) | texts,
                    "name": st.sampled_from(("nova", "oslo.utils")) | texts,
                },
            )
            | texts,
            "ranges": ranges | texts,
            "versions": st.lists(texts, max_size=3) | texts,
        },
    )
    | texts,
    max_size=3,
)
osv_records = st.fixed_dictionaries(
    {
        "id": st.sampled_from(IDS) | texts,
        "modified": dates,
    },
    optional={
        "summary": texts,
        "details": texts,
        "aliases": st.lists(st.sampled_from(IDS) | texts, max_size=3) | texts,
        "published": dates,
        "withdrawn": dates,
        "severity": st.lists(
            st.fixed_dictionaries(
                {
                    "type": st.sampled_from(("CVSS_V2", "CVSS_V3", "CVSS_V4", "X")),
                    "score": st.sampled_from(VECTORS)
                    | joined(VECTOR_PARTS, max_size=12)
                    | texts,
                }
            )
            | texts,
            max_size=3,
        )
        | texts,
        "affected": affected | texts,
        "references": st.lists(
            st.fixed_dictionaries({"type": texts, "url": urls}) | texts, max_size=3
        )
        | texts,
        "credits": st.lists(st.fixed_dictionaries({"name": texts}), max_size=2) | texts,
    },
)


def check_osv(record: object) -> None:
    advisory, problems = normalize_osv(record, label="OSV record")  # type: ignore[arg-type]
    assert_located(problems, ("A2",))
    if advisory is None:
        assert has_errors(problems)
    else:
        check_advisory(advisory)


@fuzz_settings(300)
@given(osv_records)
@example({"id": "PYSEC-2024-1", "modified": "0001-01-01T00:00:00+01:00"})
@example({"id": "PYSEC-2024-1", "modified": "9999-12-31T23:59:59-01:00"})
@example({"id": "PYSEC-2024-1", "modified": "0001-01-01T00:00:00"})
@example({"id": "PYSEC-2024-1", "modified": "2024-01-01", "summary": "\ud800"})
def test_any_osv_record_gives_an_advisory_or_located_findings(record: dict) -> None:
    check_osv(record)


@fuzz_settings(100)
@given(json_values())
def test_any_json_value_gives_an_advisory_or_located_findings(value: object) -> None:
    check_osv(value)


def osv_with(count: int, unit: str) -> dict:
    """A valid record with ``count`` of one part: the linear-time inputs."""
    record: dict = {"id": "PYSEC-2024-1", "modified": "2024-01-01T00:00:00Z"}
    if unit == "details":
        record["details"] = "Long. " * count
    elif unit == "summary":
        record["summary"] = "<b>x</b> \u202e" * count
    elif unit == "aliases":
        record["aliases"] = [f"CVE-2024-{n:05d}" for n in range(count)]
    elif unit == "references":
        record["references"] = [
            {"type": "WEB", "url": f"https://github.com/a/b/{n}"} for n in range(count)
        ]
    elif unit == "packages":
        record["affected"] = [
            {"package": {"ecosystem": "PyPI", "name": f"p{n}"}, "versions": ["1.0"]}
            for n in range(count)
        ]
    elif unit == "events":
        events = [
            {"introduced": f"{n}.0"} if n % 2 else {"fixed": f"{n}.0"}
            for n in range(count)
        ]
        package = {"ecosystem": "PyPI", "name": "nova"}
        ranges = [{"type": "ECOSYSTEM", "events": events}]
        record["affected"] = [{"package": package, "ranges": ranges}]
    elif unit == "severity":
        record["severity"] = [
            {"type": "CVSS_V3", "score": VECTORS[n % 2]} for n in range(count)
        ]
    elif unit == "credits":
        record["credits"] = [{"name": f"Name {n}"} for n in range(count)]
    return record


@pytest.mark.parametrize(
    "unit",
    [
        "details",
        "summary",
        "aliases",
        "references",
        "packages",
        "events",
        "severity",
        "credits",
    ],
)
def test_normalizing_takes_linear_time(unit: str) -> None:
    def work(record: dict) -> None:
        normalize_osv(record, label="OSV record")

    assert_linear(work, lambda count: osv_with(count, unit), 200)


# --- OSSA --------------------------------------------------------------------

OSSA = {
    "date": "2024-07-02",
    "id": "OSSA-2024-001",
    "title": "Arbitrary file access through custom QCOW2 external data",
    "description": "A reporter found a vulnerability.",
    "affected-products": [{"product": "Nova", "version": "<27.3.1, >=28.0.0"}],
    "vulnerabilities": [{"cve-id": "CVE-2024-32498"}],
    "reporters": [{"name": "A Reporter", "affiliation": "none"}],
    "issues": {"links": ["https://launchpad.net/bugs/2059809"]},
    "reviews": {"2024.2/dalmatian(nova)": ["https://review.opendev.org/923255"]},
    "notes": ["A note."],
}
LABEL = "openstack/ossa/ossa/OSSA-2024-001.yaml"


def ossa_text(value: object) -> bytes:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False).encode(
        "utf-8", "surrogatepass"
    )


#: Where a value is put in the good file: top-level keys and a few inner ones.
PLACES = (
    *OSSA,
    "errata",
    "errata_history",
    "reference",
    "type",
    "affected-products.0.version",
    "affected-products.0.product",
    "vulnerabilities.0.impact-assessment",
    "reporters.0.name",
    "reporters.0.reported",
    "issues.links",
    "reviews.type",
    "reviews.2024.2/dalmatian(nova)",
)


def put(document: dict, place: str, value: object) -> dict:
    """``document`` with ``value`` at ``place`` (dotted, numbers index lists)."""
    document = json.loads(json.dumps(document))
    if place.startswith("reviews.2024"):
        document["reviews"] = {place.removeprefix("reviews."): value}
        return document
    *parents, last = place.split(".")
    target = document
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[int(last) if last.isdigit() else last] = value
    return document


ossa_values = st.one_of(
    awkward_text(max_size=80),
    st.sampled_from(
        (
            "<=7.0.2, >=8.0.0 <=8.1.1",
            "up to 2014.1.3 and 2014.2",
            "2017-12-05 - Errata 1",
            "CVE-2024-32498",
            "Requested",
            "https://review.opendev.org/923255 (nova) - errata",
        )
    ),
    st.lists(awkward_text(max_size=30), max_size=3),
    json_values(max_leaves=4),
)


def check_ossa(raw: bytes, label: str = LABEL) -> None:
    advisory, problems = load_ossa(label, raw)
    assert_located(problems, ("A1", "Y1"))
    if advisory is None:
        assert has_errors(problems)
    else:
        check_advisory(advisory)


def test_the_good_ossa_file_loads() -> None:
    advisory, problems = load_ossa(LABEL, ossa_text(OSSA))
    assert problems == []
    assert advisory is not None


@fuzz_settings(300)
@given(st.sampled_from(PLACES), ossa_values)
@example("date", "2024-02-30")
@example("affected-products.0.version", "<=7.0.2,, >= 8.0.0 <")
@example("vulnerabilities.0.impact-assessment", {"assessment": {"type": "CVSS2"}})
@example(
    "vulnerabilities.0.impact-assessment",
    {"assessment": {"type": "CVSS3", "detail": "AV:N", "score": 11}},
)
@example("title", "x\x00y")
def test_any_value_in_an_ossa_file_gives_an_advisory_or_findings(
    place: str, value: object
) -> None:
    check_ossa(ossa_text(put(OSSA, place, value)))


@fuzz_settings(100)
@given(st.binary(max_size=200) | joined(("id: ", "date: ", "- ", "\n", ": ")))
def test_any_bytes_give_an_advisory_or_findings(raw: bytes | str) -> None:
    check_ossa(raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw)


@pytest.mark.parametrize("unit", ["description", "products", "reviews", "reporters"])
def test_loading_an_ossa_file_takes_linear_time(unit: str) -> None:
    def make(count: int) -> bytes:
        document = json.loads(json.dumps(OSSA))
        if unit == "description":
            document["description"] = "Text. " * count
        elif unit == "products":
            document["affected-products"] = [
                {"product": f"p{n}", "version": "<1.0"} for n in range(count)
            ]
        elif unit == "reviews":
            document["reviews"] = {
                f"b{n}/x (p{n})": ["https://review.opendev.org/1 (nova)"]
                for n in range(count)
            }
        else:
            document["reporters"] = [{"name": f"R{n}"} for n in range(count)]
        return ossa_text(document)

    assert_linear(lambda raw: load_ossa(LABEL, raw), make, 25)
