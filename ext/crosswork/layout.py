"""Where the site's content lives in a repository.

The command line and the Sphinx extensions both locate charters, specs and
the spec template through :class:`Layout`, so a repository with another
layout changes one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crosswork.buildcache import BuildCache
from crosswork.diagnostics import Diagnostic
from crosswork.specs.template import Template, load_template


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
    def template_path(self) -> Path:
        return self.specs / self.template_name

    def template(
        self, cache: BuildCache | None = None
    ) -> tuple[Template | None, list[Diagnostic]]:
        """The spec template, or the located reason it cannot be used."""
        path = self.template_path
        return load_template(path, self.label(path), cache)

    def label(self, path: Path) -> str:
        """How messages name a file: relative to the root when inside it."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()
