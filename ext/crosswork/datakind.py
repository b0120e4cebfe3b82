"""The record of a data kind: everything the core needs to know of one.

A data kind (bugs, feature matrices, advisories...) lives in one folder,
``crosswork/kinds/<name>/``, whose ``__init__`` declares one
:class:`DataKind`. ``crosswork.kinds.KINDS`` lists the records once; the
charter schema's ``tracks``, the fetch step, the Sphinx extension list, the
fake upstream's routes, the linter's roles, the warning subtypes and the
lint codes page are all derived from them. The core never imports a kind:
it is handed the records it serves.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from crosswork.diagnostics import Diagnostic
    from crosswork.fetch.providers import Provider
    from crosswork.layout import Layout
    from crosswork.workgroups.model import Workgroup

#: Lints the repository files a kind's tracks name (``crosswork lint``
#: and the build run it alike, so they agree on every finding).
RepositoryLint = Callable[["Iterable[Workgroup]", "Layout"], "list[Diagnostic]"]


@dataclass(frozen=True)
class DataKind:
    """One kind of data track, declared once in its own folder."""

    #: The key under ``tracks`` in a charter and the middle of a source id.
    name: str
    #: What the kind shows, in one line for the reference pages.
    summary: str
    #: ``"module:attr"`` naming the :class:`~crosswork.fetch.providers.Provider`
    #: that fetches and normalizes one track entry; loaded only by what fetches
    #: or describes sources, so that reading the records imports no HTTP code.
    provider: str
    #: JSON Schema of the list under ``tracks.<name>`` in a charter.
    track_schema: Path
    #: The kind's Sphinx extension, a module with ``setup(app)``.
    extension: str
    #: ``"module:function"`` naming the kind's routes in the fake upstream:
    #: ``function() -> {service: route builder}`` (see
    #: :mod:`crosswork.testing.upstream`); loaded only by the fake.
    fake_routes: str = ""
    #: Warning subtypes the kind emits, each with its meaning.
    warnings: Mapping[str, str] = field(default_factory=dict)
    #: Roles the kind adds, which specs may therefore use.
    roles: tuple[str, ...] = ()
    #: Modules that register the kind's diagnostic codes when imported.
    checkers: tuple[str, ...] = ()
    #: ``"module:function"`` naming the findings in repository files the
    #: kind's tracks name (:data:`RepositoryLint`), if any.
    lint: str = ""
    #: One track entry, for the reference pages and the wiring test: the
    #: fake upstream serves it from the recorded corpus.
    example: Mapping[str, Any] = field(default_factory=dict)
    #: More track entries the corpus serves, so that with ``example`` they
    #: fetch from every service and route of the kind (GitHub beside
    #: Launchpad, say): the fault matrix and the hostile suite use them all.
    other_examples: tuple[Mapping[str, Any], ...] = ()
    #: ``"module:function"`` naming, for the hostile-payload suite,
    #: ``function(recordings, payloads) -> Recordings``: a copy of the fake
    #: upstream's recordings whose items, as the examples fetch them, carry
    #: the payloads (strings) in every text field that comes from outside,
    #: one payload per item, with items added when there are fewer than
    #: payloads. Loaded only by tests.
    hostile: str = ""
    #: ``"module:function"`` naming what the kind's data says about a spec,
    #: :data:`crosswork.specs.progress.SpecProgress`; read from the snapshot.
    spec_progress: str = ""
    #: ``"module:function"`` naming the open reviews of spec files,
    #: :data:`crosswork.specs.progress.Proposals`.
    proposals: str = ""
    #: ``"module:function"`` naming ``function(specs, site) -> list[Diagnostic]``:
    #: findings in spec fields that name the kind's data (a ``Closes-Gaps``
    #: driver that the matrix lacks, say); ``crosswork lint`` and the build
    #: run it alike.
    spec_lint: str = ""
    #: ``"module:function"`` naming ``function(specs, workgroup) -> list[track
    #: entry]``: tracks the workgroup's specs imply (the bugs their
    #: ``Tracking`` names, say), fetched like charter tracks. Their names
    #: hold a dot, which a charter track name cannot, so the source ids of
    #: the two never collide.
    spec_tracks: str = ""
    #: ``"module:function"`` naming ``function(workgroup, site, read) ->
    #: list[Glance]``: the few figures of the kind's data that the home
    #: page's card of the workgroup shows, each linking to its page
    #: (:data:`crosswork.dashboard.model.GlanceHook`); nothing when the
    #: kind has no data for the workgroup.
    glance: str = ""

    @property
    def folder(self) -> Path:
        """The kind's folder: its static files are in ``static/`` below it."""
        return self.track_schema.parent

    def track_schema_json(self) -> dict[str, Any]:
        return _load_json(self.track_schema)

    @property
    def examples(self) -> tuple[Mapping[str, Any], ...]:
        """``example`` and ``other_examples``."""
        return (self.example, *self.other_examples)

    def load_provider(self) -> Provider:
        """The kind's provider (see ``provider``)."""
        return _attribute(self.provider)

    def repository_findings(
        self, workgroups: Iterable[Workgroup], layout: Layout
    ) -> list[Diagnostic]:
        """Findings in the repository files the kind's tracks name (see ``lint``)."""
        return _attribute(self.lint)(workgroups, layout) if self.lint else []

    def fake_routes_by_service(self) -> Mapping[str, Callable[[Any], list[Any]]]:
        """The fake upstream's route builders of this kind, by service."""
        if not self.fake_routes:
            return {}
        return _attribute(self.fake_routes)()

    def hostile_recordings(self, recordings: Any, payloads: Sequence[str]) -> Any:
        """The fake's ``recordings`` serving ``payloads`` (see ``hostile``)."""
        if not self.hostile:
            raise LookupError(f"data kind {self.name!r} declares no hostile payloads")
        return _attribute(self.hostile)(recordings, payloads)

    def spec_progress_of(self, spec: Any, site: Any, read: Any) -> list[Any]:
        """The kind's :class:`~crosswork.specs.progress.Progress` for ``spec``."""
        return (
            _attribute(self.spec_progress)(spec, site, read)
            if self.spec_progress
            else []
        )

    def proposals_of(self, site: Any, read: Any) -> list[Any]:
        """The kind's :class:`~crosswork.specs.progress.Proposal` list."""
        return _attribute(self.proposals)(site, read) if self.proposals else []

    def spec_findings(self, specs: Any, site: Any) -> list[Diagnostic]:
        return _attribute(self.spec_lint)(specs, site) if self.spec_lint else []

    def spec_tracks_of(
        self, specs: Sequence[Any], workgroup: Workgroup
    ) -> list[Mapping[str, Any]]:
        """The track entries ``workgroup``'s ``specs`` imply (see ``spec_tracks``)."""
        return (
            _attribute(self.spec_tracks)(specs, workgroup) if self.spec_tracks else []
        )

    def glance_of(self, workgroup: Workgroup, site: Any, read: Any) -> list[Any]:
        """The kind's :class:`~crosswork.dashboard.model.Glance` figures for
        ``workgroup`` (see ``glance``)."""
        return _attribute(self.glance)(workgroup, site, read) if self.glance else []


def _attribute(name: str) -> Any:
    """What a ``"module:attr"`` string names."""
    module, _, attribute = name.partition(":")
    return getattr(importlib.import_module(module), attribute)


@cache
def _load_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def by_name(kinds: Iterable[DataKind]) -> dict[str, DataKind]:
    """The records keyed by name; a name declared twice is a programming error."""
    result: dict[str, DataKind] = {}
    for kind in kinds:
        if kind.name in result:
            raise ValueError(f"data kind {kind.name!r} is declared twice")
        result[kind.name] = kind
    return result


def track_schemas(kinds: Iterable[DataKind]) -> dict[str, dict[str, Any]]:
    """Each kind's track schema, keyed as under ``tracks`` in a charter."""
    return {kind.name: kind.track_schema_json() for kind in kinds}
