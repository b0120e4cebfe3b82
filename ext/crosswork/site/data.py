"""The site's data, loaded once per build in the main process.

Charters and specs are read and validated at ``builder-inited``, before
Sphinx forks reader processes, so every reader shares one copy without
pickling it into the environment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from crosswork.diagnostics import Diagnostic
from crosswork.fetch.snapshot import SourceStatus
from crosswork.layout import Layout
from crosswork.specs.cache import LintCache
from crosswork.specs.lint import lint_specs
from crosswork.specs.model import Spec
from crosswork.workgroups.registry import Registry, charter_slugs, load_registry


@dataclass(frozen=True)
class SiteData:
    layout: Layout
    registry: Registry
    specs: tuple[Spec, ...] = ()
    charter_problems: tuple[Diagnostic, ...] = ()
    spec_problems: tuple[Diagnostic, ...] = ()
    specs_by_id: dict[str, Spec] = field(default_factory=dict)
    #: The snapshot the pages render from, and its status entries.
    snapshot_folder: Path | None = None
    statuses: dict[str, SourceStatus] = field(default_factory=dict)

    def specs_of(self, workgroup: str) -> list[Spec]:
        return [spec for spec in self.specs if spec.workgroup == workgroup]

    def path(self, label: str) -> Path:
        """The absolute path of a file that messages name ``label``."""
        return self.layout.root / label


def load_site(
    layout: Layout, today: dt.date, cache: LintCache | None = None
) -> SiteData:
    registry, charter_problems = load_registry(layout.workgroups, layout.root)
    template, spec_problems = layout.template()
    specs: list[Spec] = []
    if template is not None:
        specs, spec_problems = lint_specs(
            layout.root,
            None,
            template,
            workgroups=charter_slugs(layout.workgroups),
            today=today,
            cache=cache,
        )
    return SiteData(
        layout=layout,
        registry=registry,
        specs=tuple(sorted(specs, key=lambda s: s.id)),
        charter_problems=tuple(charter_problems),
        spec_problems=tuple(spec_problems),
        specs_by_id={spec.id: spec for spec in specs},
    )


_LOADED: dict[str, SiteData] = {}


def remember(srcdir: Path, data: SiteData) -> None:
    _LOADED[str(srcdir)] = data


def site_data(srcdir: Path) -> SiteData:
    """The data loaded for the build whose source folder is ``srcdir``."""
    return _LOADED[str(srcdir)]
