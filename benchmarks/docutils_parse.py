"""The floor of any docutils-based spec lint: docutils' own parse alone.

``python benchmarks/docutils_parse.py FOLDER`` parses every ``.rst`` file
below ``FOLDER`` with :func:`docutils.core.publish_doctree` and its default
settings, and nothing else: no checks, no model, messages discarded.
Sphinx's roles are unknown to plain docutils, which only adds messages.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from docutils.core import publish_doctree

QUIET = {"report_level": 5, "halt_level": 5, "warning_stream": io.StringIO()}


def parse_all(folder: Path) -> int:
    files = sorted(folder.rglob("*.rst"))
    for path in files:
        publish_doctree(
            path.read_text(encoding="utf-8"),
            source_path=str(path),
            settings_overrides=QUIET,
        )
    return len(files)


if __name__ == "__main__":
    print(parse_all(Path(sys.argv[1])), "files parsed")
