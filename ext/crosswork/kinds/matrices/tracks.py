"""The ``matrices`` tracks of workgroup charters.

A track names a feature matrix in one of three ways: ``file``, a path in
this repository, read when the site is built; ``path``, a file of the
``files`` service (``CROSSWORK_ENDPOINTS`` can point it elsewhere); or
``url``, the same as a full ``https://opendev.org/...`` address. Remote
matrices are fetched into the snapshot as source
``<workgroup>.matrices.<name>``; repository files are not upstream data
and never go through the fetch step.

A track may say where its file is ``upstream``: the repository, the
file's path in it, and the commit the data is from with that commit's
date. Pages then name that place, link the file at that commit, and say
the data is as of the commit's date: the files service may be a copy
under another path, and the day of the fetch says nothing of a fixed
commit. ``compare`` names comparisons of two or three drivers, each shown
on its own page and first in the charter's matrices section.
"""

from __future__ import annotations

import datetime as dt
import errno
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crosswork.diagnostics import Diagnostic, register
from crosswork.fetch.endpoints import DEFAULT_BASES
from crosswork.fetch.view import read_view
from crosswork.kinds.matrices import KIND
from crosswork.kinds.matrices.command import MAX_BYTES
from crosswork.kinds.matrices.facts import FactsError, matrix_from_facts
from crosswork.kinds.matrices.model import Matrix
from crosswork.kinds.matrices.parse import decode_matrix, parse_matrix
from crosswork.layout import Layout
from crosswork.safeyaml import DataPath, LocatedData, load_yaml
from crosswork.schemacheck import format_path
from crosswork.workgroups.model import Workgroup

register(
    "Feature matrix tracks",
    X130="a matrix file that a track names cannot be read or is outside the repository",
    X131="a track's upstream date is not a date in the calendar",
    X132="a comparison names a driver the matrix has no column for",
    X133="two comparisons of a track have the same name",
)
#: The upstream service of remote matrices.
SERVICE = "files"


def files_path(track: Mapping[str, Any]) -> str:
    """The path on the files service of a remote track (``url`` or ``path``)."""
    if "path" in track:
        return str(track["path"])
    prefix = f"{DEFAULT_BASES[SERVICE]}/"
    url = str(track["url"])
    if not url.startswith(prefix):
        raise ValueError(f"{url!r} is not a file of {prefix}")
    return url.removeprefix(prefix)


#: The upstream host of ``upstream`` repositories.
UPSTREAM_HOST = "https://opendev.org"


@dataclass(frozen=True)
class Upstream:
    """The file in its own repository, at the commit the data is from."""

    repository: str
    path: str
    commit: str
    #: The commit's date; None only if the charter's date is not a date,
    #: which lint reports (X131).
    date: dt.date | None

    @classmethod
    def from_track(cls, upstream: Mapping[str, str]) -> Upstream:
        try:
            date: dt.date | None = dt.date.fromisoformat(upstream["date"])
        except ValueError:
            date = None
        return cls(upstream["repository"], upstream["path"], upstream["commit"], date)

    @property
    def short_commit(self) -> str:
        return self.commit[:8]

    @property
    def url(self) -> str:
        """The file at the commit, on the upstream's web interface."""
        return f"{UPSTREAM_HOST}/{self.repository}/src/commit/{self.commit}/{self.path}"

    @property
    def place(self) -> str:
        """``openstack/nova doc/.../support-matrix.ini at 31b2fd11``."""
        return f"{self.repository} {self.path} at {self.short_commit}"


@dataclass(frozen=True)
class DriverComparison:
    """A comparison the charter names: two or three driver keys, first the
    one the others are measured against."""

    name: str
    drivers: tuple[str, ...]
    title: str = ""

    @classmethod
    def from_entry(cls, entry: Mapping[str, Any]) -> DriverComparison:
        return cls(entry["name"], tuple(entry["drivers"]), entry.get("title", ""))


@dataclass(frozen=True)
class MatrixTrack:
    """One declared matrix; exactly one of ``file`` and ``path`` is set."""

    workgroup: str
    name: str
    title: str
    reference: str | None = None
    file: str = ""
    path: str = ""
    upstream: Upstream | None = None
    comparisons: tuple[DriverComparison, ...] = ()

    @classmethod
    def from_track(cls, workgroup: str, track: Mapping[str, Any]) -> MatrixTrack:
        """From a schema-valid ``tracks.matrices`` entry."""
        upstream = track.get("upstream")
        return cls(
            workgroup=workgroup,
            name=track["name"],
            title=track.get("title") or f"Feature matrix {track['name']}",
            reference=track.get("reference"),
            file=track.get("file", ""),
            path="" if "file" in track else files_path(track),
            upstream=Upstream.from_track(upstream) if upstream else None,
            comparisons=tuple(
                DriverComparison.from_entry(entry) for entry in track.get("compare", ())
            ),
        )

    @property
    def source_id(self) -> str:
        return f"{self.workgroup}.{KIND}.{self.name}"

    @property
    def is_remote(self) -> bool:
        return not self.file

    def comparison_id(self, comparison: DriverComparison) -> str:
        """``<source id>.<comparison name>``: a track name holds no dot."""
        return f"{self.source_id}.{comparison.name}"

    @property
    def origin(self) -> str:
        """Where the file comes from, in words, for notices and labels."""
        if self.file:
            return f"{self.file} in this repository"
        if self.upstream is not None:
            return self.upstream.place
        host = DEFAULT_BASES[SERVICE].removeprefix("https://")
        return f"{host}/{self.path}"


def matrix_tracks(workgroups: Iterable[Workgroup]) -> list[MatrixTrack]:
    """Every matrix track, by workgroup, in declaration order."""
    return [
        MatrixTrack.from_track(workgroup.slug, track)
        for workgroup in workgroups
        for track in workgroup.tracks.get(KIND, [])
    ]


def find_track(tracks: Sequence[MatrixTrack], wanted: str) -> MatrixTrack | None:
    """The track with source id ``wanted``, or the only one named ``wanted``."""
    for track in tracks:
        if track.source_id == wanted:
            return track
    named = [track for track in tracks if track.name == wanted]
    return named[0] if len(named) == 1 else None


def read_file(path: Path, label: str) -> tuple[Matrix | None, list[Diagnostic]]:
    """A repository matrix and its findings (None if it has no columns).

    Raises OSError when the file cannot be read or is over ``MAX_BYTES``.
    """
    with path.open("rb") as stream:
        data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise OSError(errno.EFBIG, f"larger than {MAX_BYTES // 1024 // 1024} MiB")
    text, problems = decode_matrix(label, data)
    if text is None:
        return None, problems
    matrix, problems = parse_matrix(label, text)
    return (matrix if matrix.drivers else None), problems


def read_repository_matrix(
    root: Path, track: MatrixTrack
) -> tuple[Matrix | None, list[Diagnostic], str]:
    """A repository track's matrix, its findings, and why it is unreadable."""
    path = (root / track.file).resolve()
    if not path.is_relative_to(root.resolve()):
        return None, [], f"{track.file} is outside the repository"
    try:
        matrix, problems = read_file(path, track.file)
    except OSError as error:
        return None, [], f"{track.file}: {error.strerror or error}"
    return matrix, problems, ""


def lint_repository_files(
    workgroups: Iterable[Workgroup], layout: Layout
) -> list[Diagnostic]:
    """Every finding in the repository matrix files that tracks name.

    ``crosswork lint`` and the build both run this, so a matrix file that
    would fail the build fails the review gate first.
    """
    problems: list[Diagnostic] = []
    for workgroup in workgroups:
        charter = workgroup.source or f"{workgroup.slug}.yaml"
        located: LocatedData | None = None
        for index, track in enumerate(matrix_tracks([workgroup])):
            matrix = None
            if track.is_remote:
                matrix = snapshot_matrix(layout.snapshot, track)
            else:
                matrix, found, error = read_repository_matrix(layout.root, track)
                problems.extend(found)
                if error:
                    message = f"tracks.matrices {track.name!r}: cannot read {error}"
                    problems.append(Diagnostic(charter, 1, 1, "X130", message))
            if track.upstream is None and not track.comparisons:
                continue
            located = located or locate_charter(layout, charter)
            where: DataPath = ("tracks", "matrices", index)
            problems.extend(track_findings(located, where, track, matrix))
    return problems


def locate_charter(layout: Layout, charter: str) -> LocatedData:
    """The charter's values with their positions (empty if unreadable)."""
    try:
        raw = (layout.root / charter).read_bytes()
    except OSError:
        return LocatedData(charter)
    return load_yaml(charter, raw)[0]


def snapshot_matrix(folder: Path, track: MatrixTrack) -> Matrix | None:
    """A fetched track's matrix in the committed snapshot, if it is there."""
    view = read_view(folder, track.source_id, {})
    if view.snapshot is None:
        return None
    try:
        return matrix_from_facts(track.path, view.items)[0]
    except FactsError:
        return None


def track_findings(
    data: LocatedData, where: DataPath, track: MatrixTrack, matrix: Matrix | None
) -> Iterator[Diagnostic]:
    """The upstream date, and comparisons: unique names, drivers of the matrix.

    Drivers are checked only when the matrix is known (a repository file,
    or a fetched one in the committed snapshot).
    """
    if track.upstream is not None and track.upstream.date is None:
        path: DataPath = (*where, "upstream", "date")
        yield data.diagnostic(
            path, "X131", f"{format_path(path)}: not a date in the calendar"
        )
    seen: dict[str, int] = {}
    for index, comparison in enumerate(track.comparisons):
        entry: DataPath = (*where, "compare", index)
        if comparison.name in seen:
            path = (*entry, "name")
            yield data.diagnostic(
                path,
                "X133",
                f"{format_path(path)}: {comparison.name!r} is already the name of"
                f" {format_path((*where, 'compare', seen[comparison.name]))}",
            )
        seen.setdefault(comparison.name, index)
        if matrix is None:
            continue
        for number, key in enumerate(comparison.drivers):
            if matrix.driver(key) is None:
                path = (*entry, "drivers", number)
                known = ", ".join(d.key for d in matrix.drivers)
                yield data.diagnostic(
                    path,
                    "X132",
                    f"{format_path(path)}: matrix {track.name!r} has no driver"
                    f" {key!r} (drivers: {known})",
                )
