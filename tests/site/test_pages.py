"""Generated stub pages: a folder holds exactly the pages it is given."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crosswork.site.pages import MARKER, stub, sync_folder

PAGES = {
    "index.rst": stub(".. spec-index::"),
    "2026.2/index.rst": stub(".. spec-cycle:: 2026.2"),
    "2026.2/logging.rst": stub(".. include:: ../../repo/logging.rst"),
}


def files(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
        for path in folder.rglob("*")
        if path.is_file()
    }


def test_a_new_folder_gets_every_page(tmp_path):
    assert sync_folder(tmp_path / "specs", PAGES) == sorted(PAGES)
    assert files(tmp_path / "specs") == PAGES


def test_unchanged_pages_are_not_written_again(tmp_path):
    folder = tmp_path / "specs"
    sync_folder(folder, PAGES)
    page = folder / "2026.2" / "logging.rst"
    os.utime(page, ns=(1, 1))

    assert sync_folder(folder, PAGES) == []
    assert page.stat().st_mtime_ns == 1


def test_a_changed_page_is_written(tmp_path):
    folder = tmp_path / "specs"
    sync_folder(folder, PAGES)
    changed = PAGES | {"2026.2/index.rst": stub(".. spec-cycle:: 2026.2", "")}

    assert sync_folder(folder, changed) == ["2026.2/index.rst"]
    assert files(folder) == changed


def test_a_generated_page_no_longer_given_is_removed(tmp_path):
    folder = tmp_path / "specs"
    sync_folder(folder, PAGES)
    fewer = {name: text for name, text in PAGES.items() if "logging" not in name}

    sync_folder(folder, fewer)
    assert files(folder) == fewer


def test_a_file_someone_wrote_is_never_touched(tmp_path):
    folder = tmp_path / "specs"
    own = folder / "2026.2" / "notes.rst"
    own.parent.mkdir(parents=True)
    own.write_text("Notes\n=====\n", encoding="utf-8")

    sync_folder(folder, PAGES)
    assert own.read_text(encoding="utf-8") == "Notes\n=====\n"


def test_a_page_in_place_of_a_file_someone_wrote_stops(tmp_path):
    folder = tmp_path / "specs"
    own = folder / "index.rst"
    own.parent.mkdir(parents=True)
    own.write_text("Specs\n=====\n", encoding="utf-8")

    with pytest.raises(FileExistsError, match="not a generated page"):
        sync_folder(folder, PAGES)
    assert own.read_text(encoding="utf-8") == "Specs\n=====\n"


def test_stubs_begin_with_the_marker():
    assert all(text.startswith(MARKER + "\n") for text in PAGES.values())
