"""OSSA files: every real layout validates; damaged copies give located errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from crosswork.diagnostics import CODES
from crosswork.kinds.advisories import ossa
from crosswork.kinds.advisories.model import Patch, Reference
from crosswork.kinds.advisories.ossa import load_ossa, load_ossa_folder, schema


def real(ossa_dir: Path, identifier: str) -> str:
    return (ossa_dir / f"{identifier}.yaml").read_text(encoding="utf-8")


def lint(tmp_path: Path, name: str, text: str) -> list[str]:
    folder = tmp_path / "ossa"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    _, problems = load_ossa_folder(folder)
    return [str(problem) for problem in problems]


def damaged(ossa_dir: Path, identifier: str, old: str, new: str) -> str:
    text = real(ossa_dir, identifier)
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_the_schema_is_valid_draft_2020_12():
    jsonschema.Draft202012Validator.check_schema(schema())


def test_every_corpus_file_validates_and_normalizes(ossa_dir):
    advisories, problems = load_ossa_folder(ossa_dir)
    assert problems == []
    assert [a.id for a in advisories] == [
        "OSSA-2026-012",
        "OSSA-2024-001",
        "OSSA-2023-003",
        "OSSA-2021-001",
        "OSSA-2020-003",
        "OSSA-2017-005",
        "OSSA-2016-012",
        "OSSA-2014-039",
        "OSSA-2012-005",
    ]
    assert all(a.sources[0].label == f"ossa/{a.id}.yaml" for a in advisories)


class TestNormalized:
    def load(self, ossa_dir, identifier):
        advisory, problems = load_ossa(
            f"ossa/{identifier}.yaml", (ossa_dir / f"{identifier}.yaml").read_bytes()
        )
        assert problems == []
        return advisory

    def test_2016_012_three_products_with_inclusive_bounds(self, ossa_dir):
        advisory = self.load(ossa_dir, "OSSA-2016-012")
        assert advisory.aliases == ("CVE-2015-5162",)
        assert advisory.published == dt.datetime(2016, 10, 6, tzinfo=dt.UTC)
        assert [
            (p.ecosystem, p.name, p.affected, p.fixed_in) for p in advisory.affected
        ] == [
            ("OpenStack", "cinder", ("<= 7.0.2", ">= 8.0.0, <= 8.1.1"), ()),
            ("OpenStack", "glance", ("<= 11.0.1", "== 12.0.0"), ()),
            ("OpenStack", "nova", ("<= 12.0.4", "== 13.0.0"), ()),
        ]
        assert advisory.affected[0].version_text == "<=7.0.2, >=8.0.0 <=8.1.1"
        assert advisory.patches[:2] == (
            Patch(
                "ocata",
                "cinder",
                "",
                Reference.from_text("FIX", "https://review.openstack.org/375099"),
            ),
            Patch(
                "ocata",
                "glance",
                "",
                Reference.from_text("FIX", "https://review.openstack.org/375526"),
            ),
        )
        assert advisory.credits == ("Richard W.M. Jones (Red Hat)",)

    def test_2021_001_single_equals_and_fixed_versions(self, ossa_dir):
        advisory = self.load(ossa_dir, "OSSA-2021-001")
        (neutron,) = advisory.affected
        assert neutron.name == "Neutron" and neutron.key == "neutron"
        assert neutron.affected == ("< 16.3.3", ">= 17.0.0, < 17.1.3", "== 18.0.0")
        assert neutron.fixed_in == ("16.3.3", "17.1.3")
        assert advisory.severity.text == "Not rated"
        assert [r.url for r in advisory.references] == [
            "https://security.openstack.org/ossa/OSSA-2021-001.html",
            "https://launchpad.net/bugs/1902917",
        ]

    def test_2014_039_prose_versions_errata_and_legacy_cvss(self, ossa_dir):
        advisory = self.load(ossa_dir, "OSSA-2014-039")
        (neutron,) = advisory.affected
        assert neutron.ranges == () and neutron.fixed_in == ()
        assert neutron.affected == ("up to 2014.1.3 and 2014.2",)
        assert advisory.errata.startswith("The former fix did not take into account")
        assert advisory.errata_history == (
            "2014-12-10 - Errata 1",
            "2014-11-19 - Original Version",
        )
        assert advisory.modified == dt.datetime(2014, 12, 10, tzinfo=dt.UTC)
        assert advisory.severity.text == "Medium (4.0, CVSS 2.0)"
        assert [(p.branch, p.note) for p in advisory.patches[:2]] == [
            ("kilo", "original"),
            ("kilo", "errata"),
        ]

    def test_2012_005_legacy_layout(self, ossa_dir):
        advisory = self.load(ossa_dir, "OSSA-2012-005")
        assert advisory.affected[0].affected == ("All versions",)
        assert [p.branch for p in advisory.patches] == [
            "folsom",
            "folsom",
            "essex",
            "diablo",
        ]
        assert advisory.references[-1] == Reference(
            "ARTICLE", "https://lists.launchpad.net/openstack/msg10268.html", None
        )

    def test_2023_003_free_text_review_keys_name_products(self, ossa_dir):
        advisory = self.load(ossa_dir, "OSSA-2023-003")
        assert [p.key for p in advisory.affected] == [
            "cinder",
            "glance-store",
            "nova",
            "os-brick",
        ]
        by_url = {p.link.text: (p.branch, p.product, p.note) for p in advisory.patches}
        base = "https://review.opendev.org/"
        assert by_url[f"{base}882852"] == ("2023.2/bobcat", "nova", "errata 1")
        assert by_url[f"{base}882876"] == ("2023.2/bobcat", "", "tempest errata 2")
        assert by_url[f"{base}882834"] == ("2023.2/bobcat", "glance-store", "")

    def test_2024_001_capitalised_products_and_branch_suffixes(self, ossa_dir):
        advisory = self.load(ossa_dir, "OSSA-2024-001")
        assert [p.name for p in advisory.affected] == ["Cinder", "Glance", "Nova"]
        first = advisory.patches[0]
        assert (first.branch, first.product) == ("2024.2/dalmatian", "cinder")
        assert advisory.credits == ("Martin Kaesberger",)  # affiliation "none"

    def test_invisible_characters_in_reviews_and_products_are_removed(self, ossa_dir):
        path = ossa_dir / "OSSA-2024-001.yaml"
        text = path.read_text().replace(
            "  - product: Nova\n", "  - product: No\u200bva\n"
        )
        text = text.replace(
            "  2024.2/dalmatian(nova):", '  "2024.2/dalmatian\u202e(no\u200bva)":'
        )
        advisory, problems = load_ossa("ossa/OSSA-2024-001.yaml", text.encode())
        assert problems == []
        patches = [p for p in advisory.patches if p.link.text.endswith("923255")]
        assert [(p.branch, p.product) for p in patches] == [
            ("2024.2/dalmatian", "nova")
        ]

    def test_2026_012_unmaintained_branches_keep_their_note(self, ossa_dir):
        advisory = self.load(ossa_dir, "OSSA-2026-012")
        notes = {p.branch: p.note for p in advisory.patches}
        assert notes["2024.1/caracal"] == "unmaintained"
        assert notes["bugfix/34.0"] == ""
        assert advisory.affected[0].fixed_in == ("26.1.7", "29.0.6", "32.0.2", "35.0.2")


class TestLocatedErrors:
    """Each damaged copy of a real file gives exactly these messages."""

    def test_misspelt_key(self, tmp_path, ossa_dir):
        text = damaged(ossa_dir, "OSSA-2021-001", "\ntitle:", "\ntitel:")
        allowed = ", ".join(sorted(schema()["properties"]))
        assert lint(tmp_path, "OSSA-2021-001.yaml", text) == [
            "ossa/OSSA-2021-001.yaml:1:1: A102 (top level): "
            "missing required key 'title'",
            f"ossa/OSSA-2021-001.yaml:5:1: A101 titel: unknown key "
            f"(allowed: {allowed})",
        ]

    def test_unquoted_version_number(self, tmp_path, ossa_dir):
        text = damaged(
            ossa_dir, "OSSA-2021-001", "'<16.3.3, >=17.0.0 <17.1.3, =18.0.0'", "16.3"
        )
        assert lint(tmp_path, "OSSA-2021-001.yaml", text) == [
            "ossa/OSSA-2021-001.yaml:17:14: A103 affected-products[0].version: "
            "expected a string (version text in quotes, like '<15.0.1, ==16.0.0'), "
            "got the number 16.3"
        ]

    def test_malformed_cve_id(self, tmp_path, ossa_dir):
        text = damaged(
            ossa_dir, "OSSA-2021-001", "cve-id: CVE-2021-20267", "cve-id: CVE-21-7"
        )
        assert lint(tmp_path, "OSSA-2021-001.yaml", text) == [
            "ossa/OSSA-2021-001.yaml:20:13: A105 vulnerabilities[0].cve-id: "
            "'CVE-21-7' is not a CVE id like CVE-2024-32498, or Requested"
        ]

    def test_no_affected_products(self, tmp_path, ossa_dir):
        text = damaged(
            ossa_dir,
            "OSSA-2021-001",
            "  - product: Neutron\n    version: '<16.3.3, >=17.0.0 <17.1.3, =18.0.0'\n",
            "  []\n",
        )
        assert lint(tmp_path, "OSSA-2021-001.yaml", text) == [
            "ossa/OSSA-2021-001.yaml:16:3: A106 affected-products: "
            "must list at least 1 item"
        ]

    def test_unknown_assessment_type(self, tmp_path, ossa_dir):
        text = damaged(ossa_dir, "OSSA-2012-005", "type: CVSS2", "type: CVSS9")
        assert lint(tmp_path, "OSSA-2012-005.yaml", text) == [
            "ossa/OSSA-2012-005.yaml:26:15: A104 "
            "vulnerabilities[0].impact-assessment.assessment.type: "
            "'CVSS9' is not one of: CVSS2, CVSS3, CVSS4"
        ]

    def test_id_differs_from_file_name(self, tmp_path, ossa_dir):
        text = real(ossa_dir, "OSSA-2021-001")
        assert lint(tmp_path, "OSSA-2021-002.yaml", text) == [
            "ossa/OSSA-2021-002.yaml:3:5: A111 id: 'OSSA-2021-001' differs from "
            "the file name 'OSSA-2021-002'"
        ]

    def test_date_not_in_the_calendar(self, tmp_path, ossa_dir):
        text = damaged(
            ossa_dir, "OSSA-2021-001", "date: 2021-07-12", "date: 2021-02-30"
        )
        assert lint(tmp_path, "OSSA-2021-001.yaml", text) == [
            "ossa/OSSA-2021-001.yaml:1:7: A112 date: '2021-02-30' is not a date "
            "in the calendar"
        ]

    def test_reporter_credited_for_an_unlisted_cve(self, tmp_path, ossa_dir):
        text = damaged(
            ossa_dir,
            "OSSA-2021-001",
            "      - CVE-2021-20267",
            "      - CVE-2021-99999",
        )
        assert lint(tmp_path, "OSSA-2021-001.yaml", text) == [
            "ossa/OSSA-2021-001.yaml:26:9: A113 reporters[0].reported[0]: "
            "'CVE-2021-99999' is not in vulnerabilities (CVE-2021-20267)"
        ]

    def test_duplicate_key_is_caught_by_the_loader(self, tmp_path, ossa_dir):
        text = damaged(
            ossa_dir,
            "OSSA-2021-001",
            "id: OSSA-2021-001\n",
            "id: OSSA-2021-001\nid: x\n",
        )
        assert lint(tmp_path, "OSSA-2021-001.yaml", text) == [
            "ossa/OSSA-2021-001.yaml:4:1: Y102 duplicate key 'id' "
            "(first defined at line 3)"
        ]

    def test_every_schema_problem_of_a_file_is_reported(self, tmp_path, ossa_dir):
        text = damaged(ossa_dir, "OSSA-2021-001", "\ntitle:", "\ntitle: 5\nsummary:")
        text = text.replace("date: 2021-07-12", "date: July 12")
        assert [
            m.split(": ", 2)[1] for m in lint(tmp_path, "OSSA-2021-001.yaml", text)
        ] == [
            "A105 date",
            "A103 title",
            "A101 summary",
        ]


class TestWarnings:
    """Warnings are reported, and the advisory is still loaded."""

    def test_errata_without_history(self, tmp_path, ossa_dir):
        text = damaged(
            ossa_dir,
            "OSSA-2021-001",
            "\naffected-products:",
            "\nerrata: A second patch was needed.\n\naffected-products:",
        )
        folder = tmp_path / "ossa"
        folder.mkdir()
        (folder / "OSSA-2021-001.yaml").write_text(text)
        advisories, problems = load_ossa_folder(folder)
        assert [str(p) for p in problems] == [
            "ossa/OSSA-2021-001.yaml:15:1: A114 errata: given without errata_history"
        ]
        assert problems[0].severity.value == "warning"
        assert advisories[0].errata == "A second patch was needed."

    def test_legacy_score_differs_from_its_vector(self, tmp_path, ossa_dir):
        text = damaged(ossa_dir, "OSSA-2012-005", "score: 4.0", "score: 9.0")
        assert lint(tmp_path, "OSSA-2012-005.yaml", text) == [
            "ossa/OSSA-2012-005.yaml:27:16: A115 "
            "vulnerabilities[0].impact-assessment.assessment.score: 9.0 differs "
            "from 4.0 computed from AV:N/AC:L/Au:S/C:N/I:N/A:P"
        ]


@pytest.mark.parametrize(
    "raw",
    [b"", b"- a list\n", b"\xff\xfe", b"date: [\n", b"id: !!python/object:os.system x"],
)
def test_unreadable_files_are_rejected_with_a_located_error(raw):
    advisory, problems = load_ossa("ossa/OSSA-2026-999.yaml", raw)
    assert advisory is None and problems
    assert all(str(p).startswith("ossa/OSSA-2026-999.yaml:") for p in problems)


def test_every_code_is_registered_with_a_summary():
    codes = {code: CODES[code].summary for code in CODES if code.startswith("A1")}
    assert sorted(codes) == [
        "A101", "A102", "A103", "A104", "A105", "A106", "A107", "A108",
        "A111", "A112", "A113", "A114", "A115",
    ]  # fmt: skip
    assert all(codes.values())


def test_the_schema_file_is_shipped_as_json():
    shipped = Path(ossa.__file__).with_name("ossa.schema.json")
    assert json.loads(shipped.read_text()) == schema()


MINIMAL = """\
date: 2021-07-12
id: OSSA-2021-001
title: '  A   title '
description: A description.
affected-products:
  - product: Neutron
    version: '<16.3.3'
vulnerabilities:
  - cve-id: CVE-2021-20267
  - cve-id: CVE-2021-20268
"""
LABEL = "ossa/OSSA-2021-001.yaml"


def test_a_file_with_only_the_required_keys_has_empty_optional_parts():
    advisory, problems = load_ossa(LABEL, MINIMAL.encode())
    assert problems == []
    assert (advisory.title, advisory.details) == ("A title", "A description.")
    assert (advisory.notes, advisory.errata, advisory.credits, advisory.patches) == (
        (),
        "",
        (),
        (),
    )
    assert [(r.type, r.text) for r in advisory.references] == [
        ("ADVISORY", "https://security.openstack.org/ossa/OSSA-2021-001.html")
    ]
    source = advisory.sources[0]
    assert (source.id, source.database, source.label) == (
        "OSSA-2021-001",
        "OpenStack Security Advisories",
        LABEL,
    )


def test_errata_dates_and_reporters_are_checked_with_their_places():
    text = MINIMAL + (
        "reporters:\n  - name: Ada\n    reported: [CVE-2021-1]\n"
        "errata_history:\n  - 2021-07-30 - Errata 1\n  - 2021-02-30 - Errata 2\n"
    )
    _, problems = load_ossa(LABEL, text.encode())
    assert [str(problem) for problem in problems] == [
        f"{LABEL}:16:5: A112 errata_history[1]: '2021-02-30' is not a date"
        " in the calendar",
        f"{LABEL}:13:16: A113 reporters[0].reported[0]: 'CVE-2021-1' is not in"
        " vulnerabilities (CVE-2021-20267, CVE-2021-20268)",
        f"{LABEL}:14:1: A114 errata_history: given without errata",
    ]


def test_optional_parts_are_read_and_legacy_review_types_skipped():
    text = MINIMAL + (
        "reporters:\n  - name: Ada\n  - name: Bob\n    affiliation: n/a\n"
        "errata: Errata 1 fixes the fix.\n"
        "errata_history:\n  - 2021-07-30 - Errata 1\n"
        "reviews:\n  type: gerrit\n"
        "  xena:\n    - https://review.opendev.org/1 - errata\n"
        "  wallaby neutron backport:\n"
        "    - https://review.opendev.org/2 (neutron) -- extra X\n"
        "issues:\n  links:\n    - https://launchpad.net/bugs/1\n"
        "notes:\n  - A note.\n"
        "reference: https://lists.openstack.org/x\n"
    )
    advisory, problems = load_ossa(LABEL, text.encode())
    assert problems == []
    assert (advisory.notes, advisory.errata, advisory.credits) == (
        ("A note.",),
        "Errata 1 fixes the fix.",
        ("Ada", "Bob"),
    )
    assert advisory.modified == dt.datetime(2021, 7, 30, tzinfo=dt.UTC)
    assert [(p.branch, p.product, p.note, p.link.text) for p in advisory.patches] == [
        ("xena", "", "errata", "https://review.opendev.org/1"),
        ("wallaby", "neutron", "backport extra X", "https://review.opendev.org/2"),
    ]
    assert [r.type for r in advisory.references] == ["ADVISORY", "REPORT", "ARTICLE"]


def test_a_legacy_assessment_that_is_no_vector_is_a_warning_after_other_items(
    tmp_path, ossa_dir
):
    """Items without an assessment are passed over, not the end of the list."""
    text = damaged(
        ossa_dir,
        "OSSA-2012-005",
        "detail: AV:N/AC:L/Au:S/C:N/I:N/A:P",
        "detail: not a vector",
    ).replace(
        "vulnerabilities:\n\n  - cve-id: CVE-2012-2101",
        "vulnerabilities:\n\n  - cve-id: CVE-2012-9999\n\n  - cve-id: CVE-2012-2101",
    )
    found = lint(tmp_path, "OSSA-2012-005.yaml", text)
    assert found == [
        "ossa/OSSA-2012-005.yaml:30:17: A115 "
        "vulnerabilities[1].impact-assessment.assessment.detail: "
        "'not a vector' is not a CVSS vector"
    ]


def test_a_legacy_score_within_the_tolerance_of_its_vector_is_accepted(
    tmp_path, ossa_dir
):
    """0.05 off is within it: the vector scores 0.0, the file says 0.05."""
    text = damaged(
        ossa_dir,
        "OSSA-2012-005",
        "score: 4.0\n        detail: AV:N/AC:L/Au:S/C:N/I:N/A:P",
        "score: 0.05\n        detail: AV:N/AC:L/Au:S/C:N/I:N/A:N",
    )
    assert lint(tmp_path, "OSSA-2012-005.yaml", text) == []
