"""The shared pieces of the model: ids, text clean-up, package keys."""

from __future__ import annotations

import pytest

from crosswork.kinds.advisories.model import (
    AffectedPackage,
    clean_line,
    clean_text,
    combine_packages,
    first_sentence,
    id_url,
    is_valid_id,
    package_key,
    sort_ids,
)
from crosswork.kinds.advisories.versions import Interval


def test_ids_link_to_their_own_database():
    assert id_url("OSSA-2021-001") == (
        "https://security.openstack.org/ossa/OSSA-2021-001.html"
    )
    assert id_url("GHSA-j8r2-6x86-q33q") == (
        "https://github.com/advisories/GHSA-j8r2-6x86-q33q"
    )
    assert id_url("CVE-2023-32681") == "https://www.cve.org/CVERecord?id=CVE-2023-32681"
    assert id_url("PYSEC-2023-74") == "https://osv.dev/vulnerability/PYSEC-2023-74"
    assert id_url("../x") is None


@pytest.mark.parametrize(
    "identifier",
    ["OSSA-2012-005", "GHSA-j8r2-6x86-q33q", "PYSEC-2023-74", "RUSTSEC-2019-0001"],
)
def test_real_ids_are_valid(identifier):
    assert is_valid_id(identifier)


@pytest.mark.parametrize(
    "identifier",
    ["", "PYSEC", "-1", "a/b-1", "RHSA-2024:1234", "x-" + "1" * 70, "CVE-1 2"],
)
def test_ids_that_cannot_name_a_page_are_invalid(identifier):
    assert not is_valid_id(identifier)


def test_ids_sort_by_precedence_then_id_ignoring_case():
    ids = ["CVE-2020-1", "PYSEC-2020-2", "GHSA-bbbb-cccc-dddd", "OSSA-2020-001"]
    ids += ["OSV-2020-5", "pysec-2020-2", "DSA-1-1"]
    assert sort_ids(ids) == (
        "OSSA-2020-001",
        "GHSA-bbbb-cccc-dddd",
        "PYSEC-2020-2",
        "DSA-1-1",
        "OSV-2020-5",
        "CVE-2020-1",
    )


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("glance_store", "glance-store"),
        ("oslo.utils", "oslo-utils"),
        ("Neutron", "neutron"),
        ("os--brick", "os-brick"),
    ],
)
def test_package_keys_are_pep_503(name, key):
    assert package_key(name) == key


def test_clean_text_keeps_line_breaks_and_clean_line_does_not():
    assert clean_text(" a\r\n\tb \x1b[31m ") == "a\n\tb [31m"
    assert clean_line(" a\r\n\tb ") == "a b"
    assert clean_text("abcdef", limit=4) == "abc…"


def test_first_sentence():
    assert first_sentence("\n\nOne two. Three.\nFour.") == "One two."
    assert first_sentence("No stop at all") == "No stop at all"
    assert first_sentence("") == ""


def test_combining_keeps_one_entry_per_ecosystem_and_package():
    fixed = (Interval(None, "4.10.1"),)
    combined = combine_packages(
        [
            AffectedPackage("PyPI", "oslo.utils", fixed, ("4.0",)),
            AffectedPackage("PyPI", "oslo-utils", fixed, ("4.1",)),
            AffectedPackage("OpenStack", "oslo.utils", version_text="All versions"),
        ]
    )
    assert [(p.ecosystem, p.name, p.affected, p.versions) for p in combined] == [
        ("OpenStack", "oslo.utils", ("All versions",), ()),
        ("PyPI", "oslo.utils", ("< 4.10.1",), ("4.0", "4.1")),
    ]
