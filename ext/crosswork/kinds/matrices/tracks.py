"""The ``matrices`` tracks of workgroup charters.

A track names a feature matrix in one of three ways: ``file``, a path in
this repository, read when the site is built; ``path``, a file of the
``files`` service (``CROSSWORK_ENDPOINTS`` can point it elsewhere); or
``url``, the same as a full ``https://opendev.org/...`` address. Remote
matrices are fetched into the snapshot as source
``<workgroup>.matrices.<name>``; repository files are not upstream data
and never go through the fetch step.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crosswork.diagnostics import Diagnostic, register
from crosswork.fetch.endpoints import DEFAULT_BASES
from crosswork.kinds.matrices.command import MAX_BYTES
from crosswork.kinds.matrices.model import Matrix
from crosswork.kinds.matrices.parse import decode_matrix, parse_matrix
from crosswork.layout import Layout
from crosswork.workgroups.model import Workgroup

KIND = "matrices"

register(
    "Feature matrix tracks",
    X130="a matrix file that a track names cannot be read or is outside the repository",
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


@dataclass(frozen=True)
class MatrixTrack:
    """One declared matrix; exactly one of ``file`` and ``path`` is set."""

    workgroup: str
    name: str
    title: str
    reference: str | None = None
    file: str = ""
    path: str = ""

    @classmethod
    def from_track(cls, workgroup: str, track: Mapping[str, Any]) -> MatrixTrack:
        """From a schema-valid ``tracks.matrices`` entry."""
        return cls(
            workgroup=workgroup,
            name=track["name"],
            title=track.get("title") or f"Feature matrix {track['name']}",
            reference=track.get("reference"),
            file=track.get("file", ""),
            path="" if "file" in track else files_path(track),
        )

    @property
    def source_id(self) -> str:
        return f"{self.workgroup}.{KIND}.{self.name}"

    @property
    def is_remote(self) -> bool:
        return not self.file

    @property
    def origin(self) -> str:
        """Where the file comes from, in words, for notices and labels."""
        if self.file:
            return f"{self.file} in this repository"
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
        for track in matrix_tracks([workgroup]):
            if track.is_remote:
                continue
            _, found, error = read_repository_matrix(layout.root, track)
            problems.extend(found)
            if error:
                message = f"tracks.matrices {track.name!r}: cannot read {error}"
                charter = workgroup.source or f"{workgroup.slug}.yaml"
                problems.append(Diagnostic(charter, 1, 1, "X130", message))
    return problems
