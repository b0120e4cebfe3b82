"""``crosswork matrix``: report, JSON, exit status, and never a traceback."""

from __future__ import annotations

import json
import random

import pytest

VALID = """\
[driver.kvm]
title=KVM

[driver.xen]
title=Xen

[operation.boot]
title=Boot
status=mandatory
driver.kvm=complete
driver.xen=partial
driver-notes.xen=Only PV guests.

[console.vnc]
title=VNC console
status=choice(console)
driver.kvm=complete
driver.xen=missing
"""


@pytest.fixture
def valid(tmp_path):
    path = tmp_path / "valid.ini"
    path.write_text(VALID, encoding="utf-8")
    return path


def test_text_report(crosswork_matrix, valid, capsys):
    assert crosswork_matrix(str(valid)) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "2 drivers, 2 features" in out
    assert "Reference: KVM [kvm], complete in 2 features" in out
    assert " 25.0%  Xen" in out
    assert "    partial  operation.boot  Boot" in out
    assert "operation.boot (mandatory): xen partial" in out
    assert "choice(console): xen" in out


def test_json_report(crosswork_matrix, valid, capsys):
    assert crosswork_matrix(str(valid), "--format", "json", "--reference", "xen") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["reference"] == "xen"
    assert data["parity"] == {"kvm": 1.0, "xen": 1.0}
    assert data["warnings"] == []


def test_errors_are_located_and_the_report_still_printed(
    crosswork_matrix, tmp_path, capsys
):
    path = tmp_path / "bad.ini"
    path.write_text(VALID.replace("driver.xen=missing", "driver.xen=nope"))
    assert crosswork_matrix(str(path)) == 1
    out, err = capsys.readouterr()
    assert "Parity" in out
    assert err == (
        f"{path}:18:12: X109 invalid value 'nope' for driver 'xen' in [console.vnc]"
        " (expected complete, partial, missing or unknown)\n"
        "1 error(s), 0 warning(s)\n"
    )


def test_json_carries_the_problems(crosswork_matrix, tmp_path, capsys):
    path = tmp_path / "warn.ini"
    path.write_text(VALID.replace("[console.vnc]", "[consoles.vnc]"))
    assert crosswork_matrix(str(path), "--format", "json") == 0
    out, err = capsys.readouterr()
    (warning,) = json.loads(out)["warnings"]
    assert (warning["code"], warning["line"], warning["severity"]) == (
        "X105",
        14,
        "warning",
    )
    assert err == ""


@pytest.mark.parametrize(
    "url", ["https://opendev.org/x.ini", "HTTP://example.org/m.ini"]
)
def test_remote_sources_are_left_to_fetch(crosswork_matrix, url, capsys):
    assert crosswork_matrix(url) == 2
    assert capsys.readouterr().err == (
        "crosswork matrix: remote matrices are fetched by `crosswork fetch`\n"
    )


def test_missing_file(crosswork_matrix, tmp_path, capsys):
    assert crosswork_matrix(str(tmp_path / "none.ini")) == 2
    err = capsys.readouterr().err
    reason = "No such file or directory"
    assert err == f"crosswork matrix: cannot read {tmp_path / 'none.ini'}: {reason}\n"


def test_unknown_reference(crosswork_matrix, valid, capsys):
    assert crosswork_matrix(str(valid), "--reference", "hyperv") == 2
    assert capsys.readouterr().err == (
        "crosswork matrix: unknown reference driver 'hyperv' (drivers: kvm, xen)\n"
    )


def test_not_utf8(crosswork_matrix, tmp_path, capsys):
    path = tmp_path / "latin1.ini"
    path.write_bytes("[driver.kvm]\ntitle=Qému\n".encode("latin-1"))
    assert crosswork_matrix(str(path)) == 1
    assert (
        f"{path}:2:8: X117 byte 0xE9 is not UTF-8: save the file as UTF-8"
        in capsys.readouterr().err
    )


def test_no_drivers(crosswork_matrix, tmp_path, capsys):
    path = tmp_path / "empty.ini"
    path.write_text("")
    assert crosswork_matrix(str(path)) == 1
    assert f"{path}:1:1: X114" in capsys.readouterr().err


def test_too_large(crosswork_matrix, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("crosswork.kinds.matrices.command.MAX_BYTES", 10)
    path = tmp_path / "big.ini"
    path.write_text(VALID)
    assert crosswork_matrix(str(path)) == 2
    assert "is larger than" in capsys.readouterr().err


@pytest.mark.parametrize("seed", range(20))
def test_garbage_never_raises(crosswork_matrix, tmp_path, capsys, seed):
    rng = random.Random(seed)
    pieces = [
        "[",
        "]",
        "=",
        ":",
        "\n",
        "  ",
        "driver.",
        "driver-notes.",
        "operation.",
        "x",
        "complete",
        "partial",
        "choice(",
        ")",
        "#",
        "\r",
        "%",
        "\x00",
    ]
    text = "[driver.a]\ntitle=A\n" + "".join(rng.choice(pieces) for _ in range(400))
    path = tmp_path / "garbage.ini"
    path.write_text(text)
    assert crosswork_matrix(str(path)) in (0, 1)
    capsys.readouterr()


def test_terminal_control_characters_are_not_printed(
    crosswork_matrix, tmp_path, capsys
):
    path = tmp_path / "esc.ini"
    path.write_text(VALID.replace("title=Xen", "title=Xen\x1b[2J\u202e"))
    crosswork_matrix(str(path))
    out, _ = capsys.readouterr()
    assert "\x1b" not in out
    assert "\u202e" not in out
    assert "Xen[2J" in out  # the reader removed them (X119)


def test_corpus_matrix(crosswork_matrix, openstack, capsys):
    path = openstack / "nova/support-matrix.pre-xen-removal.ini"
    assert crosswork_matrix(str(path), "--format", "json") == 1  # nova's orphan notes
    data = json.loads(capsys.readouterr().out)
    assert data["reference"] == "libvirt-kvm-x86"
    assert len(data["features"]) == 57
    assert [w["code"] for w in data["warnings"]] == ["X110", "X110"]


# --- --compare ----------------------------------------------------------------


def test_compare_prints_only_the_differing_features_with_notes(
    crosswork_matrix, valid, capsys
):
    assert crosswork_matrix(str(valid), "--compare", "kvm", "xen") == 0
    out = capsys.readouterr().out
    assert "KVM [kvm] against Xen [xen]" in out
    assert "2 feature(s) differ, 0 are the same" in out
    assert "Xen: 2 gap(s), parity 25.0% against KVM" in out
    assert "operation.boot  Boot\n  KVM" in out
    assert "    note: Only PV guests.\n" in out


def test_compare_as_json(crosswork_matrix, valid, capsys):
    status = crosswork_matrix(str(valid), "--compare", "xen", "kvm", "--format", "json")
    assert status == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["key"] for d in data["drivers"]] == ["xen", "kvm"]
    assert data["gaps"] == {"kvm": 0}
    boot = data["differences"][0]
    assert boot["feature"] == "operation.boot"
    assert boot["cells"]["xen"] == {"value": "partial", "note": "Only PV guests."}


def test_compare_names_every_unknown_driver_with_the_file(
    crosswork_matrix, valid, capsys
):
    assert crosswork_matrix(str(valid), "--compare", "kvm", "vmware", "hyperv") == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        f"crosswork matrix: {valid}: --compare: no driver {name!r} in this matrix"
        " (drivers: kvm, xen)"
        for name in ("vmware", "hyperv")
    ]


def test_compare_wants_two_or_three_drivers(crosswork_matrix, valid, capsys):
    assert crosswork_matrix(str(valid), "--compare", "kvm") == 2
    assert "compare 2 or 3 drivers, not 1" in capsys.readouterr().err


def test_compare_on_the_2020_nova_matrix(crosswork_matrix, openstack, capsys):
    path = openstack / "nova/support-matrix.pre-xen-removal.ini"
    status = crosswork_matrix(str(path), "--compare", "libvirt-kvm-x86", "libvirt-xen")
    assert status == 1  # nova's orphan notes
    out = capsys.readouterr().out
    assert "20 feature(s) differ, 37 are the same" in out
    assert "Libvirt Xen: 15 gap(s), parity 71.6% against Libvirt KVM (x86)" in out
    assert "note: Only cold snapshots (pause + snapshot) supported" in out
