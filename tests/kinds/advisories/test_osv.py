"""OSV records normalize into advisories, and odd records never raise."""

from __future__ import annotations

import copy
import datetime as dt
import json
import random

import jsonschema
import pytest

from crosswork.diagnostics import CODES
from crosswork.kinds.advisories.osv import normalize_osv, parse_datetime
from crosswork.kinds.advisories.versions import Interval

NOVA = "pypa-advisory-database/nova__PYSEC-2019-191.yaml"
MIDDLEWARE = "pypa-advisory-database/oslo-middleware__PYSEC-2018-104.yaml"
URLLIB3 = "pypa-advisory-database/urllib3__PYSEC-2023-212.yaml"
REQUESTS = "pypa-advisory-database/requests__PYSEC-2023-74.yaml"
GHSA_REQUESTS = "github-advisory-database/GHSA-j8r2-6x86-q33q_requests.json"
GIT_ONLY = "docs/vulns_get_OSV-2020-111_sample.json"


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def messages(record, label="osv/x.json") -> list[str]:
    _, problems = normalize_osv(record, label=label)
    return [str(problem) for problem in problems]


def test_every_corpus_record_normalizes_without_a_problem(every_osv_record):
    assert len(every_osv_record) == 34
    for label, data in every_osv_record:
        result, problems = normalize_osv(data, label=label)
        assert problems == [], label
        assert result is not None and result.id == data["id"]
        assert result.title and result.modified.tzinfo is dt.UTC


def test_yaml_and_json_forms_of_a_record_are_the_same_advisory(record):
    yaml_form, _ = normalize_osv(record(URLLIB3), label="a")
    json_form, _ = normalize_osv(
        record("pypa-advisory-database-as-json/urllib3__PYSEC-2023-212.json"),
        label="a",
    )
    assert yaml_form == json_form


class TestHandCheckedRecords:
    """Affected and fixed versions read off the records by hand."""

    def test_nova_three_unsorted_ranges(self, advisory):
        nova = advisory(NOVA)
        (package,) = nova.affected
        assert (package.ecosystem, package.name, package.key) == (
            "PyPI",
            "nova",
            "nova",
        )
        assert package.affected == (
            "< 17.0.12",
            ">= 18.0.0, < 18.2.2",
            ">= 19.0.0, < 19.0.2",
        )
        assert package.fixed_in == ("17.0.12", "18.2.2", "19.0.2")
        assert len(package.versions) == 16 and package.git_ranges == ()
        assert nova.aliases == ("CVE-2019-14433",)
        assert nova.published == utc("2019-08-09T19:15:00")
        assert nova.modified == dt.datetime(2021, 8, 27, 3, 22, 9, 327110, dt.UTC)
        assert nova.withdrawn is None
        assert nova.severity.text == "Not rated"
        assert nova.title == (
            "nova: If an API request from an authenticated user ends in a fault "
            "condition due to an external exception, details of…"
        )

    def test_nova_links_only_allowlisted_https_hosts(self, advisory):
        links = {r.text: r.url for r in advisory(NOVA).references}
        assert links == {
            "http://www.openwall.com/lists/oss-security/2019/08/06/6": None,
            "https://security.openstack.org/ossa/OSSA-2019-003.html": (
                "https://security.openstack.org/ossa/OSSA-2019-003.html"
            ),
            "https://launchpad.net/bugs/1837877": "https://launchpad.net/bugs/1837877",
            "https://usn.ubuntu.com/4104-1/": None,
            "https://access.redhat.com/errata/RHSA-2019:2622": None,
            "https://access.redhat.com/errata/RHSA-2019:2631": None,
            "https://access.redhat.com/errata/RHSA-2019:2652": None,
        }

    def test_oslo_middleware_ranges_listed_out_of_order(self, advisory):
        (package,) = advisory(MIDDLEWARE).affected
        assert package.name == "oslo-middleware"
        assert package.affected == (
            "< 3.8.1",
            ">= 3.9.0, < 3.19.1",
            ">= 3.20.0, < 3.23.1",
        )
        assert package.fixed_in == ("3.8.1", "3.19.1", "3.23.1")

    def test_urllib3_git_range_is_kept_but_not_used_for_versions(self, advisory):
        urllib3 = advisory(URLLIB3)
        (package,) = urllib3.affected
        assert package.ranges == (Interval(None, "1.26.18"), Interval("2.0.0", "2.0.7"))
        assert package.affected == ("< 1.26.18", ">= 2.0.0, < 2.0.7")
        assert package.fixed_in == ("1.26.18", "2.0.7")
        (git,) = package.git_ranges
        assert git.repo.url == "https://github.com/urllib3/urllib3"
        assert git.events == (
            ("introduced", "0"),
            ("fixed", "4e98d57809dacab1cbe625fddeec1a290c478ea9"),
        )
        assert "2.0.6" in package.versions and "2.0.7" not in package.versions
        assert urllib3.severity.text == "Medium (4.2, CVSS 3.1)"
        assert urllib3.aliases == ("GHSA-g4mx-q9vg-27p4", "CVE-2023-45803")


def test_ghsa_summary_and_severity(advisory):
    ghsa = advisory(GHSA_REQUESTS)
    assert ghsa.title == "Unintended leak of Proxy-Authorization header in requests"
    assert ghsa.details.startswith("### Impact\n\nSince Requests v2.3.0")
    assert ghsa.severity.text == "Medium (6.1, CVSS 3.1)"
    assert ghsa.sources[0].database == "GitHub Advisory Database"


def test_pysec_without_summary_takes_the_sentence_naming_the_flaw(advisory):
    assert advisory(REQUESTS).title == (
        "Since Requests 2.3.0, Requests has been leaking Proxy-Authorization "
        "headers to destination servers when redirected to…"
    )


def test_a_git_only_record_has_commits_and_no_versions(advisory):
    sample = advisory(GIT_ONLY)
    (package,) = sample.affected
    assert package.ranges == () and package.affected == () and package.fixed_in == ()
    (git,) = package.git_ranges
    assert git.repo.url is None  # not an advisory host: shown as text
    assert git.repo.text == "https://anongit.freedesktop.org/git/poppler/poppler.git"
    assert dict(git.events) == {
        "introduced": "e4badf4d745b8e8f9a0a25b6c3cc97fbadbbb499",
        "fixed": "155f73bdd261622323491df4aebb840cde8bfee1",
    }


def test_a_git_only_variant_of_a_pypi_record_keeps_its_versions_list(record):
    data = record(REQUESTS)
    data["affected"][0]["ranges"] = data["affected"][0]["ranges"][:1]
    result, problems = normalize_osv(data, label="x")
    (package,) = result.affected
    assert problems == [] and package.ranges == () and len(package.git_ranges) == 1
    assert package.affected == package.versions and "2.30.0" in package.versions


def test_a_withdrawn_variant_is_marked_withdrawn(record):
    data = record("github-advisory-database/GHSA-wmqq-r32m-87c5_oslo-utils.json")
    data["withdrawn"] = "2024-11-01T10:00:00Z"
    result, problems = normalize_osv(data, label="x")
    assert problems == []
    assert result.withdrawn == utc("2024-11-01T10:00:00")
    assert result.is_withdrawn


def test_an_unreadable_withdrawn_date_still_withdraws(record):
    data = record(GHSA_REQUESTS)
    data["withdrawn"] = "soon"
    result, problems = normalize_osv(data, label="x")
    assert [str(p) for p in problems] == [
        "x:1:1: A202 withdrawn: 'soon' is not a date-time"
    ]
    assert result.withdrawn == result.modified


def test_several_affected_entries_for_one_package_are_combined(record):
    data = record(GHSA_REQUESTS)
    extra = copy.deepcopy(data["affected"][0])
    extra["package"]["name"] = "Requests"
    extra["ranges"][0]["events"] = [{"introduced": "3.0.0"}, {"fixed": "3.0.1"}]
    data["affected"].append(extra)
    result, _ = normalize_osv(data, label="x")
    (package,) = result.affected
    assert package.affected == (">= 2.3.0, < 2.31.0", ">= 3.0.0, < 3.0.1")


class TestRejected:
    def test_not_a_mapping(self):
        assert messages(["id"]) == [
            "osv/x.json:1:1: A201 (top level): expected a mapping, got a list"
        ]

    @pytest.mark.parametrize(
        ("identifier", "shown"),
        [
            ("../../etc/passwd", "'../../etc/passwd'"),
            ("RHSA-2024:1234", "'RHSA-2024:1234'"),
            ("PYSEC 2020 1", "'PYSEC 2020 1'"),
            (42, "the number 42"),
            (None, "nothing"),
        ],
    )
    def test_an_id_that_cannot_name_a_page(self, identifier, shown):
        problems = messages({"id": identifier, "modified": "2024-01-01T00:00:00Z"})
        assert problems == [
            f"osv/x.json:1:1: A201 id: {shown} is not an advisory id "
            "(like PYSEC-2023-74)"
        ]

    def test_no_modified_date(self):
        result, problems = normalize_osv({"id": "PYSEC-2024-1"}, label="x")
        assert result is None
        assert [str(p) for p in problems] == ["x:1:1: A202 modified: missing"]

    @pytest.mark.parametrize(
        "moment", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"]
    )
    def test_a_date_past_the_calendar_in_utc(self, moment):
        record = {"id": "PYSEC-2024-1", "modified": moment}
        result, problems = normalize_osv(record, label="x")
        assert result is None
        assert [str(p) for p in problems] == [
            f"x:1:1: A202 modified: {moment!r} is not a date-time"
        ]


def test_broken_optional_parts_are_dropped_with_warnings(record):
    data = record(URLLIB3)
    data["aliases"] = ["CVE-2023-45803", "javascript:alert(1)", 7]
    data["summary"] = ["not", "text"]
    data["severity"].append({"type": "CVSS_V3", "score": "CVSS:3.1/AV:N"})
    data["severity"].append({"type": ["unhashable"], "score": "x"})
    data["affected"][0]["ranges"].append({"type": "SEMVER", "events": []})
    data["affected"].append({"package": {"name": "x"}})
    data["references"].append({"type": "WEB"})
    result, problems = normalize_osv(data, label="osv/urllib3.json")
    assert [str(p) for p in problems] == [
        "osv/urllib3.json:1:1: A203 summary: expected a string, got a list",
        "osv/urllib3.json:1:1: A204 aliases[1]: 'javascript:alert(1)' dropped",
        "osv/urllib3.json:1:1: A203 aliases[2]: expected a string, got the number 7",
        "osv/urllib3.json:1:1: A205 severity[1].score: CVSS_V3 vector "
        "'CVSS:3.1/AV:N' could not be scored",
        "osv/urllib3.json:1:1: A206 affected[0].ranges[2].events: "
        "malformed events: dropped",
        "osv/urllib3.json:1:1: A206 affected[1].package: "
        "package needs an ecosystem and a name: entry dropped",
    ]
    assert all(problem.severity.value == "warning" for problem in problems)
    assert result.aliases == ("CVE-2023-45803",)
    assert result.severity.text == "Medium (4.2, CVSS 3.1)"
    assert result.affected[0].affected == ("< 1.26.18", ">= 2.0.0, < 2.0.7")


REJECTED, WARNED = "rejected", "warned"

#: Damage done to a real record, and what the OSV JSON Schema says of it.
MUTATIONS = {
    "no id": (lambda r: r.pop("id"), REJECTED),
    "numeric id": (lambda r: r.update(id=12), REJECTED),
    "no modified": (lambda r: r.pop("modified"), REJECTED),
    "modified is prose": (lambda r: r.update(modified="last tuesday"), REJECTED),
    "published is a number": (lambda r: r.update(published=2023), WARNED),
    "aliases is a string": (lambda r: r.update(aliases="CVE-2023-45803"), WARNED),
    "details is a mapping": (lambda r: r.update(details={"a": 1}), WARNED),
    "severity is a mapping": (lambda r: r.update(severity={"a": 1}), WARNED),
    "affected is a string": (lambda r: r.update(affected="urllib3"), WARNED),
    "a range type is unknown": (
        lambda r: r["affected"][0]["ranges"][1].update(type="CALVER"),
        WARNED,
    ),
    "a package has no name": (
        lambda r: r["affected"][0]["package"].pop("name"),
        WARNED,
    ),
    "references is a mapping": (lambda r: r.update(references={"a": 1}), WARNED),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_damage_the_osv_schema_rejects_is_reported(name, osv_dir):
    """Damage to ``id`` or ``modified`` rejects the record with an error;
    other damage is a warning and the rest of the record is kept.
    """
    schema = json.loads((osv_dir / "schema" / "osv_schema.json").read_text())
    path = osv_dir / "pypa-advisory-database-as-json/urllib3__PYSEC-2023-212.json"
    data = json.loads(path.read_text())
    mutate, expected = MUTATIONS[name]
    mutate(data)
    assert not jsonschema.Draft202012Validator(schema).is_valid(data)
    result, problems = normalize_osv(data, label="x")
    severities = {problem.severity.value for problem in problems}
    if expected == REJECTED:
        assert result is None and severities == {"error"}
    else:
        assert result is not None and severities == {"warning"}


def test_every_corpus_json_record_is_valid_osv(osv_dir):
    schema = json.loads((osv_dir / "schema" / "osv_schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    folders = ("pypa-advisory-database-as-json", "github-advisory-database")
    paths = [path for folder in folders for path in (osv_dir / folder).iterdir()]
    assert len(paths) == 17
    for path in paths:
        assert validator.is_valid(json.loads(path.read_text())), path.name


@pytest.mark.parametrize(
    "junk",
    [
        {"id": "PYSEC-1-1", "modified": "2024-01-01T00:00:00Z", "affected": [None]},
        {"id": "PYSEC-1-1", "modified": "2024-01-01T00:00:00Z", "affected": [{}]},
        {
            "id": "PYSEC-1-1",
            "modified": "2024-01-01T00:00:00Z",
            "affected": [
                {
                    "package": {"ecosystem": "PyPI", "name": "x"},
                    "ranges": [
                        {"type": "ECOSYSTEM", "events": [{}]},
                        {"type": "GIT", "events": [{"fixed": None}], "repo": 5},
                        {"type": {"a": 1}, "events": "introduced"},
                        None,
                    ],
                    "versions": [1, None, "1.0"],
                }
            ],
        },
        {"id": "PYSEC-1-1", "modified": 1.5, "published": []},
        {"id": "PYSEC-1-1", "modified": "2024-01-01T00:00:00Z", "severity": [None]},
        {"id": "PYSEC-1-1", "modified": "2024-01-01T00:00:00Z", "credits": "me"},
        {"id": "PYSEC-1-1", "modified": "x" * 10_000},
    ],
)
def test_odd_records_never_raise(junk):
    result, problems = normalize_osv(junk, label="x")
    assert result is not None or problems


JUNK = [None, 0, -1.5, True, "", "\x00\u202e", "x" * 5000, [], [None], {}, {"a": []}]


def paths_of(value, prefix=()):
    """Every path into a JSON value, containers included."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths_of(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths_of(item, (*prefix, index))


def test_random_damage_to_real_records_never_raises(every_osv_record):
    rng = random.Random(20260630)
    for label, original in every_osv_record:
        paths = [path for path in paths_of(original) if path]
        for _ in range(40):
            data = copy.deepcopy(original)
            path = rng.choice(paths)
            parent = data
            for part in path[:-1]:
                parent = parent[part]
            parent[path[-1]] = rng.choice(JUNK)
            result, problems = normalize_osv(data, label=label)
            assert result is not None or problems, (label, path)


def test_every_osv_code_is_registered_with_a_summary():
    codes = {code: CODES[code].summary for code in CODES if code.startswith("A2")}
    assert sorted(codes) == ["A201", "A202", "A203", "A204", "A205", "A206"]
    assert all(codes.values())


def minimal(**fields):
    """The smallest record that normalizes, with ``fields`` added."""
    return {"id": "PYSEC-2024-1", "modified": "2024-01-01T00:00:00Z", **fields}


CRITICAL = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"


def test_a_part_of_the_wrong_type_names_the_type_it_needs():
    record = minimal(aliases="CVE-2024-1", severity=[5])
    assert messages(record, label="x") == [
        "x:1:1: A203 aliases: expected a list, got the string 'CVE-2024-1'",
        "x:1:1: A203 severity[0]: expected a mapping, got the number 5",
    ]


def test_a_dropped_alias_is_shown_up_to_80_characters():
    assert messages(minimal(aliases=["X" * 100]), label="x") == [
        f"x:1:1: A204 aliases[0]: {'X' * 80!r} dropped"
    ]


def test_severities_of_other_types_are_skipped_not_the_ones_after_them():
    severity = [
        {"type": "Ubuntu", "score": "high"},
        {"type": "CVSS_V3", "score": CRITICAL},
    ]
    advisory, problems = normalize_osv(minimal(severity=severity), label="x")
    assert ([r.score for r in advisory.ratings], problems) == ([9.8], [])


def test_broken_affected_entries_and_ranges_are_dropped_one_by_one():
    """Each broken entry, range or list is reported where it is; the good
    ranges after a broken one are still read."""
    affected = [
        {"ranges": []},
        {"package": {"ecosystem": "PyPI", "name": "a"}, "ranges": {"a": 1}},
        {"package": {"ecosystem": "PyPI", "name": "b"}, "versions": "1.0"},
        {
            "package": {"ecosystem": "PyPI", "name": "c"},
            "ranges": [
                {"type": "CALVER", "events": [{"introduced": "0"}]},
                {"type": "GIT", "events": [{"introduced": "abc"}]},
                {
                    "type": "ECOSYSTEM",
                    "events": [{"introduced": "0"}, {"fixed": "1.0"}],
                },
            ],
        },
    ]
    advisory, problems = normalize_osv(minimal(affected=affected), label="x")
    assert [str(problem) for problem in problems] == [
        "x:1:1: A206 affected[0].package: no package: entry dropped",
        "x:1:1: A203 affected[1].ranges: expected a list, got a mapping",
        "x:1:1: A203 affected[2].versions: expected a list, got the string '1.0'",
        "x:1:1: A206 affected[3].ranges[0]: range type 'CALVER' unknown: dropped",
    ]
    package = advisory.affected[-1]
    assert (package.name, package.affected) == ("c", ("< 1.0",))
    (git,) = package.git_ranges
    assert (git.repo.type, git.repo.text, git.events) == (
        "GIT",
        "",
        (("introduced", "abc"),),
    )


def test_long_package_fields_are_cut_to_their_limits():
    """Ecosystem, versions and commits at 80 characters, names at 200."""
    package = {"ecosystem": "E" * 100, "name": "n" * 250}
    ranges = [{"type": "GIT", "events": [{"introduced": "a" * 100}]}]
    entry = {"package": package, "ranges": ranges, "versions": ["1" * 100]}
    advisory, _ = normalize_osv(minimal(affected=[entry]), label="x")
    (read,) = advisory.affected
    assert (
        read.ecosystem,
        read.name,
        read.versions,
        read.git_ranges[0].events,
    ) == (
        "E" * 79 + "…",
        "n" * 199 + "…",
        ("1" * 79 + "…",),
        (("introduced", "a" * 79 + "…"),),
    )


def test_a_record_without_text_is_titled_by_its_id_and_names_its_source():
    advisory, _ = normalize_osv(minimal(), label="osv/x.json")
    source = advisory.sources[0]
    assert (advisory.title, advisory.details, source.id, source.label) == (
        "PYSEC-2024-1",
        "",
        "PYSEC-2024-1",
        "osv/x.json",
    )


def test_credits_keep_the_names_that_are_text():
    credits = [{"name": " Ada  Lovelace "}, {"name": " "}, {"name": 5}, {"contact": []}]
    advisory, _ = normalize_osv(minimal(credits=credits), label="x")
    assert advisory.credits == ("Ada Lovelace",)


def test_a_reference_type_that_is_not_text_reads_as_web():
    references = [
        {"type": "FIX", "url": "https://a.example/fix"},
        {"type": 3, "url": "https://b.example/page"},
    ]
    advisory, _ = normalize_osv(minimal(references=references), label="x")
    assert [(r.type, r.text) for r in advisory.references] == [
        ("FIX", "https://a.example/fix"),
        ("WEB", "https://b.example/page"),
    ]


def test_a_date_a_yaml_loader_made_is_midnight_utc():
    assert parse_datetime(dt.date(2024, 2, 3)) == dt.datetime(2024, 2, 3, tzinfo=dt.UTC)


def test_date_time_text_is_read_up_to_64_characters():
    moment = "2024-01-01T00:00:00+00:00"
    padded = moment + " " * (64 - len(moment))
    assert (parse_datetime(padded), parse_datetime(padded + " ")) == (
        dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        None,
    )


# --- Severity: the vector, else the database's own rating, else none -----------------


def test_a_record_with_a_vector_is_rated_by_its_score_only(record):
    result, _ = normalize_osv(record(GHSA_REQUESTS), label="x")
    assert result.severity.text == "Medium (6.1, CVSS 3.1)"
    assert all(rating.scored for rating in result.ratings)  # MODERATE not kept


def test_a_record_with_only_githubs_rating_shows_it_as_githubs(record):
    data = record(GHSA_REQUESTS)
    del data["severity"]
    assert data["database_specific"]["severity"] == "MODERATE"
    result, problems = normalize_osv(data, label="x")
    assert problems == []
    assert result.severity.label == "Medium"
    assert result.severity.text == "Moderate (GitHub's rating)"


def test_a_record_with_neither_is_not_rated(record):
    data = record(GHSA_REQUESTS)
    del data["severity"]
    data["database_specific"]["severity"] = "UNKNOWN"
    result, problems = normalize_osv(data, label="x")
    assert problems == []
    assert result.severity.text == "Not rated"
