"""Records of one vulnerability merge into one advisory listing every id."""

from __future__ import annotations

import random
from dataclasses import replace

from crosswork.kinds.advisories.merge import group_records, merge
from crosswork.kinds.advisories.model import newest_first
from crosswork.kinds.advisories.ossa import load_ossa

PYSEC_REQUESTS = "pypa-advisory-database/requests__PYSEC-2023-74.yaml"
GHSA_REQUESTS = "github-advisory-database/GHSA-j8r2-6x86-q33q_requests.json"
PYSEC_OSLO = "pypa-advisory-database/oslo-utils__PYSEC-2022-258.yaml"
GHSA_OSLO = "github-advisory-database/GHSA-wmqq-r32m-87c5_oslo-utils.json"
PYSEC_NEUTRON = "pypa-advisory-database/neutron__PYSEC-2021-136.yaml"


def every_advisory(every_osv_record, advisory) -> list:
    """Each real record once (the JSON copies of PYSEC files are left out)."""
    return [
        advisory(label)
        for label, _ in every_osv_record
        if not label.startswith("pypa-advisory-database-as-json/")
        and not label.startswith("docs/")
    ]


def test_exactly_two_corpus_pysec_records_pair_with_a_corpus_ghsa(
    every_osv_record, advisory
):
    merged = merge(every_advisory(every_osv_record, advisory))
    pairs = sorted(
        tuple(source.id for source in a.sources) for a in merged if len(a.sources) > 1
    )
    assert pairs == [
        ("GHSA-j8r2-6x86-q33q", "PYSEC-2023-74"),
        ("GHSA-wmqq-r32m-87c5", "PYSEC-2022-258"),
    ]
    assert len(merged) == 15


def test_a_one_way_alias_is_enough_to_merge(advisory):
    # The PYSEC record names the GHSA; the GHSA names only the CVE.
    ghsa, pysec = advisory(GHSA_REQUESTS), advisory(PYSEC_REQUESTS)
    assert "PYSEC-2023-74" not in ghsa.aliases
    (merged,) = merge([pysec, ghsa])
    assert merged.id == "GHSA-j8r2-6x86-q33q"
    assert merged.aliases == ("PYSEC-2023-74", "CVE-2023-32681")
    assert merged.title == ghsa.title  # the GHSA has a summary; PYSEC has none
    assert merged.details == ghsa.details
    assert merged.severity.text == "Medium (6.1, CVSS 3.1)"
    assert merged.published == ghsa.published
    assert merged.modified == max(ghsa.modified, pysec.modified)
    (requests,) = merged.affected
    assert requests.affected == (">= 2.3.0, < 2.31.0",)
    assert len(requests.git_ranges) == 1 and len(requests.versions) == 66
    urls = [reference.text for reference in merged.references]
    assert len(urls) == len(set(urls))
    assert set(urls) == {r.text for r in ghsa.references + pysec.references}


def test_oslo_utils_pair_shows_the_v4_rating(advisory):
    (merged,) = merge([advisory(PYSEC_OSLO), advisory(GHSA_OSLO)])
    assert merged.ids == ("GHSA-wmqq-r32m-87c5", "PYSEC-2022-258", "CVE-2022-0718")
    assert merged.severity.text == "Medium (6.9, CVSS 4.0)"
    assert len(merged.ratings) == 2


def test_an_ossa_naming_the_same_cve_becomes_primary(advisory, ossa_dir):
    ossa, _ = load_ossa(
        "ossa/OSSA-2021-001.yaml", (ossa_dir / "OSSA-2021-001.yaml").read_bytes()
    )
    pysec = advisory(PYSEC_NEUTRON)
    (merged,) = merge([pysec, ossa])
    assert merged.id == "OSSA-2021-001"
    assert merged.aliases == ("PYSEC-2021-136", "CVE-2021-20267")
    assert merged.title == "Anti-spoofing bypass for Open vSwitch networks"
    assert merged.published == ossa.published
    assert [(p.ecosystem, p.name, p.fixed_in) for p in merged.affected] == [
        ("OpenStack", "Neutron", ("16.3.3", "17.1.3")),
        ("PyPI", "neutron", ("15.3.3", "16.3.1", "17.1.1")),
    ]
    assert merged.patches == ossa.patches
    assert [s.database for s in merged.sources] == [
        "OpenStack Security Advisories",
        "PyPA Advisory Database",
    ]


def test_links_are_followed_transitively(make):
    a = make("PYSEC-2020-1", "2020-01-01", aliases=("CVE-2020-1",))
    b = make("GHSA-aaaa-bbbb-cccc", "2020-01-02", aliases=("CVE-2020-1",))
    c = make("OSV-2020-9", "2020-01-03", aliases=("GHSA-AAAA-BBBB-CCCC",))
    d = make("PYSEC-2020-2", "2020-01-04")
    assert [len(group) for group in group_records([a, b, c, d])] == [3, 1]
    merged = merge([a, b, c, d])
    assert [m.id for m in merged] == ["PYSEC-2020-2", "GHSA-aaaa-bbbb-cccc"]
    assert merged[1].aliases == ("PYSEC-2020-1", "OSV-2020-9", "CVE-2020-1")


def test_a_withdrawn_duplicate_lends_only_its_id(make, advisory):
    pysec = advisory(PYSEC_REQUESTS)
    ghsa = advisory(GHSA_REQUESTS)
    withdrawn = make(
        ghsa.id,
        "2023-05-22",
        aliases=ghsa.aliases,
        title="Withdrawn: duplicate",
        withdrawn=ghsa.modified,
    )
    (merged,) = merge([pysec, withdrawn])
    assert merged.id == "PYSEC-2023-74" and not merged.is_withdrawn
    assert "GHSA-j8r2-6x86-q33q" in merged.aliases
    assert merged.title == pysec.title


def test_a_group_of_withdrawn_records_is_withdrawn(make):
    first = make("PYSEC-2024-1", "2024-01-01", aliases=("CVE-2024-1",))
    second = make("GHSA-xxxx-yyyy-zzzz", "2024-01-02", aliases=("CVE-2024-1",))
    gone = [replace(a, withdrawn=a.modified) for a in (first, second)]
    (merged,) = merge(gone)
    assert merged.id == "GHSA-xxxx-yyyy-zzzz"
    assert merged.withdrawn == second.modified


def test_order_is_newest_first_then_id_whatever_the_input_order(
    every_osv_record, advisory, make
):
    records = every_advisory(every_osv_record, advisory)
    records += [make("PYSEC-2026-2", "2026-01-01"), make("PYSEC-2026-1", "2026-01-01")]
    expected = merge(records)
    shuffled = records[:]
    random.Random(7).shuffle(shuffled)
    assert merge(shuffled) == expected
    assert [a.id for a in expected[:2]] == ["PYSEC-2026-1", "PYSEC-2026-2"]
    assert expected == newest_first(expected)


def test_merging_twice_changes_nothing(every_osv_record, advisory):
    once = merge(every_advisory(every_osv_record, advisory))
    assert merge(once) == once


def test_errata_history_notes_and_credits_survive_a_merge(make):
    # The pages render these; the OSSA is primary and carries the errata,
    # the notes and credits of every live record are kept once each.
    ossa = make(
        "OSSA-2026-001",
        "2026-02-01",
        aliases=("CVE-2026-1",),
        errata="Errata 1 corrects the affected versions.",
        errata_history=("2026-02-03: Errata 1",),
        notes=("Only deployments with the option enabled are affected.",),
        credits=("Alice (Example)",),
    )
    pysec = make(
        "PYSEC-2026-7",
        "2026-01-30",
        aliases=("CVE-2026-1",),
        errata="A later, unrelated errata text.",
        errata_history=("2026-02-09: other",),
        notes=(
            "Only deployments with the option enabled are affected.",
            "Fixed in the stable branches too.",
        ),
        credits=("Bob", "Alice (Example)"),
    )
    (merged,) = merge([pysec, ossa])
    assert merged.id == "OSSA-2026-001"
    assert merged.errata == "Errata 1 corrects the affected versions."
    assert merged.errata_history == ("2026-02-03: Errata 1",)
    assert merged.notes == (
        "Only deployments with the option enabled are affected.",
        "Fixed in the stable branches too.",
    )
    assert merged.credits == ("Alice (Example)", "Bob")


def test_errata_come_from_another_record_when_the_primary_has_none(make):
    ghsa = make("GHSA-aaaa-bbbb-cccc", "2026-01-02", aliases=("CVE-2026-2",))
    pysec = make(
        "PYSEC-2026-8",
        "2026-01-01",
        aliases=("CVE-2026-2",),
        errata="Errata 1",
        errata_history=("2026-01-05: Errata 1",),
    )
    (merged,) = merge([pysec, ghsa])
    assert merged.id == "GHSA-aaaa-bbbb-cccc"
    assert merged.errata == "Errata 1"
    assert merged.errata_history == ("2026-01-05: Errata 1",)


def test_an_undated_primary_takes_the_earliest_date_of_its_group(make):
    ghsa = replace(
        make("GHSA-aaaa-bbbb-cccc", "2026-03-09", aliases=("CVE-2026-3",)),
        published=None,
    )
    later = make("PYSEC-2026-9", "2026-03-05", aliases=("CVE-2026-3",))
    earlier = make("OSV-2026-4", "2026-03-02", aliases=("CVE-2026-3",))
    (merged,) = merge([later, ghsa, earlier])
    assert merged.id == "GHSA-aaaa-bbbb-cccc"
    assert merged.published == earlier.published


def test_a_dated_primary_keeps_its_own_date(make):
    # An OSSA is news on its own day, even when an older record exists.
    ossa = make("OSSA-2026-002", "2026-03-09", aliases=("CVE-2026-4",))
    older = make("PYSEC-2026-10", "2026-03-01", aliases=("CVE-2026-4",))
    (merged,) = merge([older, ossa])
    assert merged.published == ossa.published


def test_a_group_with_no_date_stays_undated(make):
    records = [
        replace(make(identifier, "2026-03-01", aliases=("CVE-2026-5",)), published=None)
        for identifier in ("GHSA-aaaa-bbbb-cccc", "PYSEC-2026-11")
    ]
    (merged,) = merge(records)
    assert merged.published is None


def test_a_title_that_is_only_the_id_gives_way_to_a_real_title(make):
    ghsa = make(
        "GHSA-aaaa-bbbb-cccc",
        "2026-04-01",
        aliases=("CVE-2026-6",),
        title="GHSA-aaaa-bbbb-cccc",
    )
    pysec = make(
        "PYSEC-2026-12",
        "2026-04-01",
        aliases=("CVE-2026-6",),
        title="Path traversal in the image upload",
    )
    (merged,) = merge([ghsa, pysec])
    assert merged.id == "GHSA-aaaa-bbbb-cccc"
    assert merged.title == "Path traversal in the image upload"


def test_when_every_title_is_an_id_the_primary_id_is_the_title(make):
    records = [
        make(identifier, "2026-04-02", aliases=("CVE-2026-7",), title=identifier)
        for identifier in ("PYSEC-2026-13", "GHSA-aaaa-bbbb-cccc")
    ]
    (merged,) = merge(records)
    assert merged.title == "GHSA-aaaa-bbbb-cccc"


def test_a_group_without_details_or_errata_has_empty_text_not_none(make):
    # Nothing to take: empty text and empty tuples, of the types a record has.
    records = [
        make(identifier, "2026-04-03", aliases=("CVE-2026-8",))
        for identifier in ("GHSA-aaaa-bbbb-cccc", "PYSEC-2026-14")
    ]
    (merged,) = merge(records)
    assert (merged.details, merged.errata, merged.errata_history) == ("", "", ())
    assert (merged.notes, merged.credits) == ((), ())
