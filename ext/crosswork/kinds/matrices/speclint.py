"""Findings in the ``Closes-Gaps`` fields of specs.

A target must name a matrix track of the spec's own workgroup, a driver
of that matrix, and features it has: otherwise the spec's figure could
never be computed. The matrix is the one the site shows: a repository
file, or for a fetched matrix the committed snapshot; a fetched matrix
not in the snapshot yet cannot be checked, so its drivers and features
are not reported. ``crosswork lint`` and the build run this alike, through
:func:`crosswork.site.data.load_site`. Findings are at the spec's title
line: the spec model keeps no line per field.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from crosswork.diagnostics import Diagnostic, register

if TYPE_CHECKING:
    from crosswork.fetch.view import SourceView
    from crosswork.kinds.matrices.model import Matrix
    from crosswork.site.data import SiteData
    from crosswork.specs.model import GapTarget, Spec
    from crosswork.specs.progress import Read

register(
    "Feature matrix targets of specs",
    X140="Closes-Gaps names a matrix track the spec's workgroup does not declare",
    X141="Closes-Gaps names a driver the matrix has no column for",
    X142="Closes-Gaps names a feature the matrix does not have",
)


def lint_closes_gaps(specs: Iterable[Spec], site: SiteData) -> list[Diagnostic]:
    """Every target of every spec that names what its matrix does not have."""
    targeting = [spec for spec in specs if spec.closes_gaps]
    if not targeting:
        return []
    # Imported only now: the matrix code is a tenth of the start-up of
    # `crosswork lint FILE` for a spec that names no target.
    from crosswork.fetch.view import read_view

    folder = site.layout.snapshot

    def read(source_id: str) -> SourceView:
        return read_view(folder, source_id, {})

    matrices: dict[str, Matrix | None] = {}
    problems: list[Diagnostic] = []
    for spec in targeting:
        for target in spec.closes_gaps:
            problems.extend(target_findings(spec, target, site, read, matrices))
    return problems


def target_findings(
    spec: Spec,
    target: GapTarget,
    site: SiteData,
    read: Read,
    matrices: dict[str, Matrix | None],
) -> Iterator[Diagnostic]:
    from crosswork.kinds.matrices.progress import spec_track, track_data

    track = spec_track(site, spec.workgroup, target.track)
    if track is None:
        yield at_title(
            spec,
            "X140",
            f"Closes-Gaps: workgroup {spec.workgroup!r} has no matrix track "
            f"{target.track!r}",
        )
        return
    if track.source_id not in matrices:
        matrices[track.source_id] = track_data(site, track, read).matrix
    matrix = matrices[track.source_id]
    if matrix is None:
        return
    if matrix.driver(target.driver) is None:
        yield at_title(
            spec,
            "X141",
            f"Closes-Gaps: matrix {target.track!r} has no driver {target.driver!r}",
        )
    yield from unknown_features(spec, target, matrix)


def unknown_features(
    spec: Spec, target: GapTarget, matrix: Matrix
) -> Iterator[Diagnostic]:
    from crosswork.kinds.matrices.progress import feature_keys

    keys = feature_keys(matrix, target.features)
    for feature in dict.fromkeys(target.features):
        if keys[feature] is None:
            yield at_title(
                spec,
                "X142",
                f"Closes-Gaps: matrix {target.track!r} has no feature {feature!r}",
            )


def at_title(spec: Spec, code: str, message: str) -> Diagnostic:
    return Diagnostic(spec.path, spec.title_line, 1, code, message)
