"""The matrix parser: every section read, every problem located."""

from __future__ import annotations

import configparser
import re
from collections import Counter

import pytest

from crosswork.diagnostics import Severity
from crosswork.kinds.matrices.model import (
    Cell,
    CellValue,
    Driver,
    Feature,
    Layout,
    Status,
    StatusKind,
)
from crosswork.kinds.matrices.parse import (
    MAX_CELLS,
    MAX_SUGGESTED_KEY,
    MAX_SUGGESTIONS,
    decode_matrix,
    parse_matrix,
    parse_status,
    read_ini,
)

from .conftest import CORPUS_MATRICES

HEADER = re.compile(r"^\[(?P<name>[^\]]+)\]", re.MULTILINE)
COLUMN = re.compile(r"^(driver|target)\.")

BASE = """\
[driver.kvm]
title=KVM

[driver.xen]
title=Xen

[operation.boot]
title=Boot
status=mandatory
driver.kvm=complete
driver.xen=complete
"""


def messages(text: str, label: str = "m.ini") -> list[str]:
    _, problems = parse_matrix(label, text)
    return [str(problem) for problem in problems]


def replace_line(text: str, number: int, new: str) -> str:
    lines = text.splitlines()
    lines[number - 1 : number] = new.splitlines()
    return "\n".join(lines) + "\n"


def line_of(text: str, start: str, after: int = 0) -> int:
    """1-based number of the first line past line ``after`` that starts so."""
    lines = text.splitlines()
    return next(n for n in range(after, len(lines)) if lines[n].startswith(start)) + 1


class TestCorpus:
    """The real matrices of nova, cinder and the upstream library."""

    @pytest.mark.parametrize("name", CORPUS_MATRICES)
    def test_every_feature_section_is_read(self, openstack, name):
        text = (openstack / name).read_text(encoding="utf-8")
        headers = HEADER.findall(text)
        features = [h for h in headers if not COLUMN.match(h) and h != "targets"]
        columns = [h for h in headers if COLUMN.match(h)]
        matrix, _ = parse_matrix(name, text)
        assert [f.key for f in matrix.features] == features
        assert len(matrix.drivers) == len(columns)

    @pytest.mark.parametrize("name", CORPUS_MATRICES)
    def test_sections_keys_and_values_match_configparser(self, openstack, name):
        text = (openstack / name).read_text(encoding="utf-8")
        reference = configparser.ConfigParser(interpolation=None, strict=True)
        reference.read_string(text)
        sections, problems = read_ini(name, text)
        assert problems == []
        assert [s.name for s in sections] == reference.sections()
        for section in sections:
            values = {key: entry.value for key, entry in section.entries.items()}
            assert values == dict(reference[section.name])

    @pytest.mark.parametrize("name", CORPUS_MATRICES)
    def test_only_nova_orphan_notes_are_reported(self, openstack, name):
        text = (openstack / name).read_text(encoding="utf-8")
        found = messages(text, name)
        if not name.startswith("nova/support-matrix"):
            assert found == []
            return
        resize = line_of(text, "[operation.resize]")
        vm = line_of(text, "driver-notes.vz-vm=", resize)
        ct = line_of(text, "driver-notes.vz-ct=", resize)
        assert found == [
            f"{name}:{vm}:1: X110 'driver-notes.vz-vm' in [operation.resize]:"
            " no driver column 'vz-vm' (did you mean 'libvirt-vz-vm'?)",
            f"{name}:{ct}:1: X110 'driver-notes.vz-ct' in [operation.resize]:"
            " no driver column 'vz-ct' (did you mean 'libvirt-vz-ct'?)",
        ]

    def test_nova_figures(self, openstack):
        text = (openstack / "nova/support-matrix.ini").read_text(encoding="utf-8")
        matrix, _ = parse_matrix("nova", text)
        cells = [c.value.value for f in matrix.features for c in f.cells.values()]
        statuses = Counter(str(f.status) for f in matrix.features)
        groups = Counter(f.group for f in matrix.features)
        assert (len(matrix.drivers), len(matrix.features), len(cells)) == (11, 59, 649)
        assert Counter(cells) == {
            "complete": 334,
            "missing": 262,
            "unknown": 42,
            "partial": 11,
        }
        assert statuses == {
            "optional": 48,
            "mandatory": 4,
            "choice(console)": 5,
            "choice(guest.setup)": 1,
            "condition(storage.block==complete)": 1,
        }
        assert groups == {"operation": 44, "console": 5, "guest": 5, "storage": 5}

    def test_nova_cell_with_its_note(self, openstack):
        path = openstack / "nova/support-matrix.pre-xen-removal.ini"
        matrix, _ = parse_matrix("nova", path.read_text(encoding="utf-8"))
        snapshot = matrix.feature("operation.snapshot")
        cell = snapshot.cells["libvirt-xen"]
        assert cell.value is CellValue.PARTIAL
        assert cell.note == "Only cold snapshots (pause + snapshot) supported"
        assert snapshot.title == "Save snapshot of instance disk"

    def test_feature_classification_layout(self, openstack):
        path = openstack / "nova/feature-matrix-gp.ini"
        matrix, _ = parse_matrix("gp", path.read_text(encoding="utf-8"))
        feature = matrix.feature("operation.create-delete-server")
        assert matrix.layout is Layout.CLASSIFICATION
        assert [d.key for d in matrix.drivers][:2] == [
            "libvirt-kvm",
            "libvirt-kvm-s390",
        ]
        assert feature.maturity == "complete"
        assert feature.status.kind is StatusKind.OPTIONAL
        assert feature.extra["tempest_test_uuids"] == (
            "9a438d88-10c6-4bcd-8b5b-5b6e25e1346f;585e934c-448e-43c4-acbf-d06a9b899997"
        )
        virtuozzo = feature.cells["libvirt-virtuozzo-ct"]
        assert virtuozzo.value is CellValue.PARTIAL
        assert virtuozzo.note.startswith("This is not tested in a CI system")

    def test_release_suffix_of_classification_cells(self, openstack):
        path = openstack / "nova/feature-matrix-hpc.ini"
        matrix, _ = parse_matrix("hpc", path.read_text(encoding="utf-8"))
        gpu = matrix.feature("operation.gpu-passthrough").cells["libvirt-kvm"]
        vgpu = matrix.feature("operation.virtual-gpu").cells["libvirt-kvm"]
        assert (gpu.value, gpu.since) == (CellValue.COMPLETE, "l")
        assert (vgpu.value, vgpu.since) == (CellValue.PARTIAL, "queens")

    def test_upstream_fake_matrix(self, openstack):
        path = openstack / "sphinx-feature-classification/fake-support-matrix.ini"
        matrix, _ = parse_matrix("fake", path.read_text(encoding="utf-8"))
        (feature,) = matrix.features
        assert matrix.driver("foo").link == "https://docs.openstack.org"
        assert feature.key == "operation.Cool_Feature"
        assert feature.cli == ("openstack get coolness *",)
        assert feature.api == "get-coolness"
        assert feature.cells["bar"].note == "Requires hardware support."

    def test_mutated_real_matrix_locates_the_bad_cell(self, openstack):
        path = openstack / "nova/support-matrix.pre-xen-removal.ini"
        text = path.read_text(encoding="utf-8")
        number = line_of(
            text, "driver.libvirt-xen=partial", line_of(text, "[operation.snapshot]")
        )
        mutated = replace_line(text, number, "driver.libvirt-xen=half")
        bad = [m for m in messages(mutated, "nova.ini") if " X110 " not in m]
        assert bad == [
            f"nova.ini:{number}:20: X109 invalid value 'half' for driver 'libvirt-xen'"
            " in [operation.snapshot] (expected complete, partial, missing or unknown)"
        ]


class TestLocatedErrors:
    """Each mutation of a small valid matrix gives exactly one finding."""

    def test_base_is_valid(self):
        assert messages(BASE) == []

    def test_cell_for_unknown_driver(self):
        text = replace_line(BASE, 11, "driver.xen=complete\ndriver.xem=partial")
        assert messages(text) == [
            "m.ini:12:1: X107 'driver.xem' in [operation.boot]: no driver column"
            " 'xem' (did you mean 'xen'?)"
        ]

    def test_missing_cell(self):
        text = replace_line(BASE, 11, "")
        matrix, _ = parse_matrix("m.ini", text)
        assert messages(text) == [
            "m.ini:7:1: X108 [operation.boot] has no cell for driver 'xen'"
        ]
        cell = matrix.feature("operation.boot").cells["xen"]
        assert (cell.value, cell.declared) == (CellValue.UNKNOWN, False)

    def test_invalid_value(self):
        text = replace_line(BASE, 11, "driver.xen = yes")
        assert messages(text) == [
            "m.ini:11:14: X109 invalid value 'yes' for driver 'xen' in"
            " [operation.boot] (expected complete, partial, missing or unknown)"
        ]

    def test_release_suffix_is_invalid_in_support_layout(self):
        text = replace_line(BASE, 11, "driver.xen=complete:queens")
        assert [m.split(" X")[1][:3] for m in messages(text)] == ["109"]

    def test_notes_for_driver_without_column(self):
        text = BASE + "driver-notes.vz=Needs a patch.\n"
        assert messages(text) == [
            "m.ini:12:1: X110 'driver-notes.vz' in [operation.boot]:"
            " no driver column 'vz'"
        ]

    def test_duplicate_section(self):
        text = BASE + "\n[operation.boot]\ntitle=Again\n"
        matrix, _ = parse_matrix("m.ini", text)
        assert messages(text) == [
            "m.ini:13:1: X103 duplicate section [operation.boot] (first at line 7)"
        ]
        assert [f.title for f in matrix.features] == ["Boot"]

    def test_duplicate_key(self):
        text = BASE + "title=Boot again\n"
        assert messages(text) == [
            "m.ini:12:1: X104 duplicate key 'title' in [operation.boot]"
            " (first at line 8)"
        ]

    def test_every_duplicate_is_reported(self):
        text = BASE + "title=B\nstatus=optional\n[driver.kvm]\n[operation.boot]\n"
        assert [m.split(":")[1] + m.split(" ")[1] for m in messages(text)] == [
            "12X104",
            "13X104",
            "14X103",
            "15X103",
        ]

    def test_unknown_prefix_is_a_warning_and_the_feature_is_kept(self):
        text = BASE.replace("[operation.boot]", "[operations.boot]")
        matrix, problems = parse_matrix("m.ini", text)
        assert [str(p) for p in problems] == [
            "m.ini:7:1: X105 [operations.boot]: unknown prefix 'operations'"
            " (known: operation., console., guest., storage., networking.);"
            " read as a feature"
        ]
        assert problems[0].severity is Severity.WARNING
        assert [f.key for f in matrix.features] == ["operations.boot"]

    def test_all_known_prefixes_are_features(self):
        sections = ["console.vnc", "guest.setup", "storage.block", "networking.vlan"]
        text = BASE + "".join(
            f"\n[{name}]\ntitle=T\ndriver.kvm=complete\ndriver.xen=missing\n"
            for name in sections
        )
        matrix, problems = parse_matrix("m.ini", text)
        assert problems == []
        assert [f.key for f in matrix.features] == ["operation.boot", *sections]

    def test_invalid_status(self):
        text = replace_line(BASE, 9, "status=conditional(operation.boot==complete)")
        assert messages(text) == [
            "m.ini:9:8: X111 invalid status 'conditional(operation.boot==complete)'"
            " (expected mandatory, optional, choice(<group>),"
            " condition(<feature>==<value>), mature or immature)"
        ]

    def test_condition_on_unknown_feature(self):
        text = replace_line(BASE, 9, "status=condition(storage.block==complete)")
        assert messages(text) == [
            "m.ini:9:8: X112 condition refers to unknown feature 'storage.block'"
        ]

    def test_malformed_condition(self):
        text = replace_line(BASE, 9, "status=condition(operation.boot=complete)")
        assert messages(text) == [
            "m.ini:9:8: X112 condition 'operation.boot=complete' does not read"
            " '<feature>==<complete|partial|missing|unknown>'"
        ]

    def test_missing_title(self):
        text = replace_line(BASE, 8, "")
        matrix, _ = parse_matrix("m.ini", text)
        assert messages(text) == ["m.ini:7:1: X106 [operation.boot] has no title"]
        assert matrix.features[0].title == "operation.boot"

    def test_unknown_key_is_kept_with_a_warning(self):
        text = replace_line(BASE, 9, "stauts=mandatory")
        matrix, problems = parse_matrix("m.ini", text)
        assert [str(p) for p in problems] == [
            "m.ini:9:1: X113 unknown key 'stauts' in [operation.boot], kept as is"
        ]
        assert matrix.features[0].extra == {"stauts": "mandatory"}

    def test_text_before_first_section(self):
        assert messages("title=x\n" + BASE)[0] == (
            "m.ini:1:1: X102 text before the first section"
        )

    def test_line_that_is_no_key(self):
        text = replace_line(BASE, 9, "just words")
        assert messages(text) == [
            "m.ini:9:1: X101 expected '[section]' or 'key = value', got 'just words'"
        ]

    def test_no_drivers(self):
        assert messages("[operation.boot]\ntitle=Boot\n") == [
            "m.ini:1:1: X114 no [driver.*] or [target.*] section"
        ]

    def test_mixed_column_kinds(self):
        text = BASE + "\n[target.ironic]\ntitle=Ironic\n"
        assert messages(text) == [
            "m.ini:13:1: X115 [target.ironic] mixes column kinds:"
            " this file uses [driver.*] sections"
        ]

    def test_legacy_targets_section(self):
        text = "[targets]\nkvm=KVM\n\n" + BASE
        assert messages(text) == [
            "m.ini:1:1: X116 [targets] is the pre-2017 layout;"
            " write one [target.<key>] per column"
        ]

    def test_invalid_maturity(self):
        text = BASE + "maturity=stable\n"
        assert messages(text) == [
            "m.ini:12:10: X111 invalid maturity 'stable'"
            " (expected incomplete, experimental, complete, deprecated)"
        ]

    def test_control_characters_in_names_never_reach_a_message(self):
        text = BASE.replace("[operation.boot]", "[oper\x1b[2Jation.boot]")
        found = messages(text)
        assert (
            "m.ini:7:6: X119 invisible or control character U+001B (control character)"
        ) in found
        assert all("\x1b" not in message for message in found)
        assert any("[oper[2Jation.boot]" in message for message in found)


class TestConfigparserSyntax:
    """What ``ConfigParser(interpolation=None, strict=True)`` accepts."""

    def test_percent_signs_and_colon_delimiter(self):
        text = BASE + "notes: Uses 50% of RAM; see %(x)s\n"
        matrix, problems = parse_matrix("m.ini", text)
        assert problems == []
        assert matrix.features[0].notes == "Uses 50% of RAM; see %(x)s"

    def test_continuation_lines_blank_lines_and_comments(self):
        text = BASE + "notes=First line\n  second line\n\n  # a comment\n  third\n"
        matrix, _ = parse_matrix("m.ini", text)
        assert matrix.features[0].notes == "First line\nsecond line\n\nthird"

    def test_keys_are_lower_cased_and_sections_are_not(self):
        text = BASE.replace("driver.kvm=complete", "Driver.KVM=complete")
        text = text.replace("[operation.boot]", "[operation.Boot]")
        matrix, problems = parse_matrix("m.ini", text)
        assert problems == []
        assert matrix.features[0].key == "operation.Boot"

    def test_crlf_line_endings_keep_line_numbers(self):
        text = replace_line(BASE, 11, "driver.xen=yes").replace("\n", "\r\n")
        assert messages(text)[0].startswith("m.ini:11:12: X109 ")

    def test_byte_order_mark_is_dropped(self):
        text, problems = decode_matrix("m.ini", b"\xef\xbb\xbf" + BASE.encode())
        assert (text, problems) == (BASE, [])

    def test_invalid_utf8_is_located(self):
        text, problems = decode_matrix("m.ini", b"[driver.kvm]\ntitle=K\xe9VM\n")
        assert text is None
        assert [str(p) for p in problems] == [
            "m.ini:2:8: X117 byte 0xE9 is not UTF-8: save the file as UTF-8"
        ]


def test_invisible_and_control_characters_are_reported_and_removed():
    text = BASE.replace("title=Boot", "title=Bo\u202eot\x00\x1b[31m")
    matrix, problems = parse_matrix("m.ini", text)
    assert [str(p) for p in problems] == [
        "m.ini:8:9: X119 invisible or control character U+202E RIGHT-TO-LEFT"
        " OVERRIDE and 2 more"
    ]
    assert matrix.feature("operation.boot").title == "Boot[31m"


class TestCaps:
    """Every feature has a cell per driver: N sections would make N squared."""

    def test_features_past_the_cell_cap_are_not_read(self):
        drivers = "".join(f"[driver.d{n}]\ntitle=D\n" for n in range(200))
        features = "".join(f"[operation.f{n}]\ntitle=F\n" for n in range(150))
        matrix, problems = parse_matrix("m.ini", drivers + features)
        kept = MAX_CELLS // 200
        assert len(matrix.features) == kept
        capped = [str(p) for p in problems if p.code == "X118"]
        assert capped == [
            f"m.ini:{400 + 2 * kept + 1}:1: X118 200 drivers and 150 features make"
            f" more than {MAX_CELLS} cells: [operation.f{kept}] and the features"
            " after it are not read"
        ]
        assert sum(p.code == "X108" for p in problems) == MAX_CELLS

    def test_only_short_keys_get_a_few_suggestions(self):
        long = "driver." + "xen" * 30 + "=complete\n"
        cells = "".join(f"driver.xen{n}=complete\n" for n in range(30))
        found = [m for m in messages(BASE + long + cells) if "X107" in m]
        assert len(found) == 31
        assert "did you mean" not in found[0]
        assert found[1].endswith("'xen0' (did you mean 'xen'?)")
        assert sum("did you mean" in m for m in found) == MAX_SUGGESTIONS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mandatory", "mandatory"),
        ("optional", "optional"),
        (" choice(console) ", "choice(console)"),
        ("condition(storage.block==complete)", "condition(storage.block==complete)"),
        ("mature", "mature"),
        ("immature", "immature"),
        ("choice()", None),
        ("choice", None),
        ("optional(x)", None),
        ("required", None),
    ],
)
def test_status_forms(text, expected):
    status = parse_status(text)
    assert (str(status) if status else None) == expected


class TestColumns:
    """What ``[driver.*]`` and ``[target.*]`` sections make of their keys."""

    SUPPORT = """\
[driver.kvm]
title=KVM
link=https://kvm.example
owner = nova team
[driver.  ]
title=X
[target.ironic]
title=Ironic
[driver.KVM]
title=Again
[driver.xen]
title=Xen
[operation.boot]
title=Boot
driver.kvm=complete
driver.xen=complete
"""

    def test_a_driver_keeps_its_link_line_and_other_keys_which_are_warned_of(self):
        matrix, problems = parse_matrix("m.ini", self.SUPPORT)
        assert (matrix.label, matrix.drivers) == (
            "m.ini",
            (
                Driver("kvm", "KVM", "https://kvm.example", 1, {"owner": "nova team"}),
                Driver("xen", "Xen", "", 11, {}),
            ),
        )
        assert (str(problems[0]), problems[0].severity) == (
            "m.ini:4:1: X113 unknown key 'owner' in [driver.kvm], kept as is",
            Severity.WARNING,
        )

    def test_columns_that_are_refused_do_not_stop_the_columns_after_them(self):
        """A section naming no driver, one of the other layout and a second
        one of a driver (keys ignore case) are errors; later columns count."""
        _, problems = parse_matrix("m.ini", self.SUPPORT)
        assert [(str(p), p.severity) for p in problems[1:]] == [
            ("m.ini:5:1: X101 [driver.  ] names no driver", Severity.ERROR),
            (
                "m.ini:7:1: X115 [target.ironic] mixes column kinds:"
                " this file uses [driver.*] sections",
                Severity.ERROR,
            ),
            (
                "m.ini:9:1: X103 duplicate section [driver.KVM]"
                " (first at line 1; keys ignore case)",
                Severity.ERROR,
            ),
        ]

    def test_the_first_column_decides_the_layout(self):
        text = "[driver.a]\ntitle=A\n[target.b]\ntitle=B\n"
        text += "[operation.x]\ntitle=X\ndriver.a=complete\n"
        assert messages(text) == [
            "m.ini:3:1: X115 [target.b] mixes column kinds:"
            " this file uses [driver.*] sections"
        ]

    def test_classification_keys_are_cells_by_driver_name_or_by_value(self):
        """A key naming a column is its cell whatever the value; another key
        is a cell (of a missing column) when its value reads like one, up to
        the first colon; the rest are kept as unknown keys."""
        text = """\
[target.kvm]
title=KVM
[target.xen]
title=Xen
[operation.boot]
title=Boot
kvm=complete:
xen=bogus
hyperv=partial
lxc=complete:a:b
owner=nova
"""
        matrix, problems = parse_matrix("m.ini", text)
        invalid = "(expected complete, partial, missing or unknown)"
        assert [str(problem) for problem in problems] == [
            f"m.ini:7:5: X109 invalid value 'complete:' for driver 'kvm' in"
            f" [operation.boot] {invalid}",
            f"m.ini:8:5: X109 invalid value 'bogus' for driver 'xen' in"
            f" [operation.boot] {invalid}",
            "m.ini:9:1: X107 'hyperv' in [operation.boot]: no driver column 'hyperv'",
            "m.ini:10:1: X107 'lxc' in [operation.boot]: no driver column 'lxc'",
            "m.ini:11:1: X113 unknown key 'owner' in [operation.boot], kept as is",
        ]
        (boot,) = matrix.features
        assert (boot.cells, boot.extra) == (
            {
                "kvm": Cell(CellValue.UNKNOWN, line=7),
                "xen": Cell(CellValue.UNKNOWN, line=8),
            },
            {"owner": "nova"},
        )


class TestCapBoundaries:
    def test_a_matrix_of_exactly_the_cell_cap_is_read_whole(self):
        drivers = "".join(f"[driver.d{n}]\ntitle=D\n" for n in range(200))
        features = "".join(f"[operation.f{n}]\ntitle=F\n" for n in range(100))
        matrix, problems = parse_matrix("m.ini", drivers + features)
        assert (len(matrix.features), [p for p in problems if p.code == "X118"]) == (
            100,
            [],
        )

    def test_keys_of_the_longest_suggested_length_are_suggested(self):
        longest = "x" * MAX_SUGGESTED_KEY
        near = "x" * (MAX_SUGGESTED_KEY - 1) + "y"
        text = BASE.replace(
            "[operation.boot]", f"[driver.{longest}]\ntitle=L\n\n[operation.boot]"
        )
        found = [
            m
            for m in messages(
                text + f"driver.{longest}=complete\ndriver.{near}=complete\n"
            )
            if "X107" in m
        ]
        assert found == [
            f"m.ini:16:1: X107 'driver.{near}' in [operation.boot]: no driver column"
            f" '{near}' (did you mean '{longest}'?)"
        ]

    def test_past_the_suggestions_a_message_ends_at_the_driver(self):
        cells = "".join(f"driver.xen{n}=complete\n" for n in range(MAX_SUGGESTIONS + 1))
        found = [m for m in messages(BASE + cells) if "X107" in m]
        assert found[-1].endswith(f"no driver column 'xen{MAX_SUGGESTIONS}'")


class TestFeatures:
    """Every field of a feature row, with the defaults of absent keys."""

    def test_support_features_with_and_without_optional_keys(self):
        text = BASE + (
            "[operation.resize]\ntitle=Resize\nnotes=Cold only\n"
            "cli=nova resize; ;nova resize-confirm\napi=/servers/{id}/action\n"
            "driver.kvm=partial\ndriver-notes.kvm=Shared storage\n"
            "driver-notes.xen=Not in CI\n"
        )
        matrix, problems = parse_matrix("m.ini", text)
        assert [str(problem) for problem in problems] == [
            "m.ini:12:1: X108 [operation.resize] has no cell for driver 'xen'"
        ]
        assert matrix.features == (
            Feature(
                "operation.boot",
                "Boot",
                Status(StatusKind.MANDATORY),
                cells={
                    "kvm": Cell(CellValue.COMPLETE, line=10),
                    "xen": Cell(CellValue.COMPLETE, line=11),
                },
                line=7,
            ),
            Feature(
                "operation.resize",
                "Resize",
                notes="Cold only",
                cli=("nova resize", "nova resize-confirm"),
                api="/servers/{id}/action",
                cells={
                    "kvm": Cell(CellValue.PARTIAL, "Shared storage", line=17),
                    "xen": Cell(CellValue.UNKNOWN, "Not in CI"),
                },
                line=12,
            ),
        )

    def test_maturity_is_a_field_not_an_extra_and_empty_when_invalid(self):
        text = (
            "[target.kvm]\ntitle=KVM\n"
            "[operation.a]\ntitle=A\nmaturity=complete\nkvm=complete:queens\n"
            "[operation.b]\ntitle=B\nmaturity=stable\nkvm=partial\n"
        )
        matrix, _ = parse_matrix("m.ini", text)
        assert [
            (f.maturity, f.extra, f.cells["kvm"].since) for f in matrix.features
        ] == [
            ("complete", {}, "queens"),
            ("", {}, ""),
        ]


def test_two_control_characters_on_a_line_are_one_and_1_more():
    found = messages(BASE.replace("title=Boot", "title=Bo\x02\x03ot"))
    assert found == [
        "m.ini:8:9: X119 invisible or control character U+0002 (control character)"
        " and 1 more"
    ]


def test_a_section_name_shows_non_printing_characters_as_escapes():
    """A no-break space is allowed in a line but would not show in a message."""
    text = BASE.replace("[operation.boot]", "[operation.bo\u00a0ot]")
    assert messages(text + "size=1\n") == [
        "m.ini:12:1: X113 unknown key 'size' in [operation.bo\\u00a0ot], kept as is"
    ]


def test_a_line_that_is_no_key_is_quoted_up_to_60_characters():
    line = "x" * 59 + "yz"
    assert messages(BASE + line + "\n") == [
        f"m.ini:12:1: X101 expected '[section]' or 'key = value', got {line[:60]!r}"
    ]
