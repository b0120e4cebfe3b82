"""The lint benchmark's floor parses every reST file below a folder with
docutils alone, Sphinx's roles included, and prints nothing of theirs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "docutils_parse.py"


def test_every_rst_file_below_the_folder_is_parsed(tmp_path: Path) -> None:
    (tmp_path / "2027.1").mkdir()
    (tmp_path / "template.rst").write_text("Title\n=====\n\nText.\n")
    (tmp_path / "2027.1" / "a.rst").write_text("A\n=\n\nSee :spec:`b`.\n")
    (tmp_path / "2027.1" / "notes.txt").write_text("Not a page.\n")

    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )

    assert done.stdout == "2 files parsed\n"
    assert done.stderr == ""
