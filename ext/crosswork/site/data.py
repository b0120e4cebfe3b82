"""The site's contributor files, loaded and checked once per build.

Charters, specs and the repository files that data tracks name are read
and validated by :func:`load_site`, the same function ``crosswork lint``
runs, so the review gate and the build agree on every finding. The build
keeps the result in its environment (``remember``), where every
reader process finds it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from crosswork.datakind import DataKind
from crosswork.diagnostics import Diagnostic, sort_diagnostics
from crosswork.layout import Layout
from crosswork.lintcache import LintCache
from crosswork.specs.lint import lint_specs
from crosswork.specs.model import Spec
from crosswork.workgroups.registry import Registry, charter_slugs, load_registry

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


@dataclass(frozen=True)
class SiteData:
    layout: Layout
    registry: Registry
    specs: tuple[Spec, ...] = ()
    charter_problems: tuple[Diagnostic, ...] = ()
    spec_problems: tuple[Diagnostic, ...] = ()
    #: Findings in repository files that data tracks name (matrix files...).
    track_file_problems: tuple[Diagnostic, ...] = ()
    specs_by_id: dict[str, Spec] = field(default_factory=dict)
    #: The data kinds the site was loaded with, whose hooks pages call.
    kinds: tuple[DataKind, ...] = ()

    def specs_of(self, workgroup: str) -> list[Spec]:
        return [spec for spec in self.specs if spec.workgroup == workgroup]

    def path(self, label: str) -> Path:
        """The absolute path of a file that messages name ``label``."""
        return self.layout.root / label

    @property
    def problems(self) -> list[Diagnostic]:
        return sort_diagnostics(
            self.charter_problems + self.spec_problems + self.track_file_problems
        )


def load_site(
    layout: Layout,
    today: dt.date,
    kinds: Iterable[DataKind],
    cache: LintCache | None = None,
    spec_paths: list[Path] | None = None,
    *,
    track_files: bool = True,
    workers: int = 1,
) -> SiteData:
    """Load and check every contributor file (or only ``spec_paths``' specs).

    A ``cache`` keeps the charters, the template and each spec's findings
    between runs, by content; without ``track_files``, the repository files
    tracks name are not read; ``workers`` processes parse the specs the
    cache lacks.
    """
    kinds = tuple(kinds)
    registry, charter_problems = load_registry(
        layout.workgroups, layout.root, kinds=kinds, cache=cache
    )
    template, spec_problems = layout.template(cache)
    specs: list[Spec] = []
    if template is not None:
        specs, spec_problems = lint_specs(
            layout.root,
            spec_paths,
            template,
            workgroups=charter_slugs(layout.workgroups),
            today=today,
            cache=cache,
            roles=frozenset(role for kind in kinds for role in kind.roles),
            workers=workers,
        )
    track_file_problems = [
        problem
        for kind in kinds
        if track_files
        for problem in kind.repository_findings(registry, layout)
    ]
    site = SiteData(
        layout=layout,
        registry=registry,
        specs=tuple(sorted(specs, key=lambda s: s.id)),
        charter_problems=tuple(charter_problems),
        spec_problems=tuple(spec_problems),
        track_file_problems=tuple(sort_diagnostics(track_file_problems)),
        specs_by_id={spec.id: spec for spec in specs},
        kinds=kinds,
    )
    return with_kind_spec_findings(site, kinds)


def with_kind_spec_findings(site: SiteData, kinds: Iterable[DataKind]) -> SiteData:
    """The site with each kind's findings in spec fields that name its data
    (a ``Closes-Gaps`` driver the matrix lacks) added to the spec problems.

    They need the charters and the linted specs, so they come last.
    """
    found = [
        problem for kind in kinds for problem in kind.spec_findings(site.specs, site)
    ]
    if not found:
        return site
    problems = sort_diagnostics((*site.spec_problems, *found))
    return dataclasses.replace(site, spec_problems=tuple(problems))


def remember(env: BuildEnvironment, data: SiteData) -> None:
    env.crosswork_site = data


def site_data(env: BuildEnvironment) -> SiteData:
    """The site data loaded at ``builder-inited`` of this build."""
    return env.crosswork_site
