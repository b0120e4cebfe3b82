"""One writer: atomic, and only when the bytes change."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crosswork.atomicfile import holds, write_if_changed


def test_writes_a_new_file_and_its_folders(tmp_path: Path):
    path = tmp_path / "a" / "b" / "file.json"
    assert write_if_changed(path, b"one") is True
    assert path.read_bytes() == b"one"
    assert oct(path.stat().st_mode & 0o777) == "0o644"


def test_same_bytes_write_nothing_and_keep_the_mtime(tmp_path: Path):
    path = tmp_path / "file"
    write_if_changed(path, b"same")
    os.utime(path, (1_000_000, 1_000_000))
    assert write_if_changed(path, b"same") is False
    assert path.stat().st_mtime == 1_000_000


def test_the_new_file_replaces_the_old_one_by_rename(tmp_path: Path):
    path = tmp_path / "file"
    write_if_changed(path, b"old")
    before = path.stat().st_ino
    assert write_if_changed(path, b"new") is True
    assert path.read_bytes() == b"new"
    # A rename puts a new inode in place: a reader holding the old file
    # keeps reading the old bytes, never a mix.
    assert path.stat().st_ino != before
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path):
    path = tmp_path / "file"
    write_if_changed(path, b"old")
    with pytest.raises(TypeError):
        write_if_changed(path, "not bytes")  # type: ignore[arg-type]
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


def test_a_new_folder_gets_the_given_mode(tmp_path: Path):
    write_if_changed(tmp_path / "private" / "f", b"x", folder_mode=0o700)
    assert oct((tmp_path / "private").stat().st_mode & 0o777) == "0o700"


def test_holds_says_whether_a_file_has_exactly_the_bytes(tmp_path: Path):
    path = tmp_path / "page.rst"
    assert not holds(path, b"")
    assert not holds(tmp_path, b"")
    assert not holds(path / "below", b"")
    path.write_bytes(b"text\n")
    assert holds(path, b"text\n")
    assert not holds(path, b"text")
