"""Where the site's content lives in a repository.

The command line and the Sphinx extensions both locate charters, specs and
the spec template through :class:`Layout`, so a repository with another
layout changes one place.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from crosswork.contributorfiles import UnreadableFile, read_bounded
from crosswork.diagnostics import Diagnostic
from crosswork.lintcache import LintCache
from crosswork.specs.source import MAX_SPEC_BYTES
from crosswork.specs.template import Template, load_template

#: The committed snapshot's folder below the repository root.
SNAPSHOT_DIR = "snapshot"


@dataclass(frozen=True)
class Layout:
    root: Path
    workgroups_dir: str = "workgroups"
    specs_dir: str = "specs"
    template_name: str = "template.rst"

    @property
    def workgroups(self) -> Path:
        return self.root / self.workgroups_dir

    @property
    def specs(self) -> Path:
        return self.root / self.specs_dir

    @property
    def snapshot(self) -> Path:
        """The committed data snapshot the site renders by default."""
        return self.root / SNAPSHOT_DIR

    @property
    def template_path(self) -> Path:
        return self.specs / self.template_name

    def template(
        self, cache: LintCache | None = None
    ) -> tuple[Template | None, list[Diagnostic]]:
        """The spec template, or the located reason it cannot be used; a
        ``cache`` spares parsing a template whose bytes were read before."""
        label = self.label(self.template_path)
        try:
            raw = read_bounded(self.template_path, MAX_SPEC_BYTES)
        except UnreadableFile:
            return load_template(self.template_path, label)
        # Read once: the cache key and the template are the same bytes.
        load = functools.partial(load_template, self.template_path, label, raw)
        return cache.remember(("template", label, raw), load) if cache else load()

    def label(self, path: Path) -> str:
        """How messages name a file: relative to the root when inside it."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()
