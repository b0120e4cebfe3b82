"""A synthetic site repository at community scale, for the build benchmarks.

The real charters (their tracks replaced), spec template and pages, plus
generated content: specs from the real template spread over cycles and
the four workgroups, and a snapshot holding every data kind. Each source
is a charter track (``<workgroup>.<kind>.<name>``) and its items are
upstream payloads put through the kind's own normalization (the provider's
tracker, parser or model functions), then written with
:func:`crosswork.fetch.snapshot.write_snapshot` with a status entry and a
history day, as ``crosswork fetch`` writes them:

* bugs: Launchpad tasks and GitHub issues, spread over bug tracks of every
  workgroup (one in four on GitHub);
* a support matrix of the consistency workgroup (``matrices.synthetic``);
* OSV advisories of the security workgroup's ``services`` track;
* requirements files of services for the common workgroup's adoption
  track, with global requirements and upper constraints;
* Zuul builds of the quality workgroup's CI track, the same number for
  every job;
* the spec reviews tracks and their (real) snapshots, kept as they are.

:data:`SCALES` names the sizes the runner knows: full is the scale of the
performance targets, half is half of each figure, tiny is for tests.

    python benchmarks/synthetic.py FOLDER --scale tiny
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from crosswork.fetch.snapshot import (
    Snapshot,
    SourceStatus,
    load_snapshot,
    load_status,
    record_history,
    write_snapshot,
    write_status,
)
from crosswork.kinds.adoption.facts import file_facts
from crosswork.kinds.adoption.provider import PROVIDER as ADOPTION
from crosswork.kinds.adoption.requirements import parse_requirements
from crosswork.kinds.advisories.model import Advisory
from crosswork.kinds.advisories.osv import normalize_osv
from crosswork.kinds.advisories.provider import PROVIDER as ADVISORIES
from crosswork.kinds.advisories.stored import advisory_item
from crosswork.kinds.bugs.provider import PROVIDER as BUGS
from crosswork.kinds.bugs.provider import TRACKER_IMPLEMENTATIONS, unique_sorted
from crosswork.kinds.ci.model import normalize_build
from crosswork.kinds.ci.provider import PROVIDER as CI
from crosswork.kinds.ci.provider import Window
from crosswork.kinds.matrices.facts import matrix_facts
from crosswork.kinds.matrices.provider import PROVIDER as MATRICES
from crosswork.kinds.matrices.provider import read_matrix
from crosswork.kinds.matrices.synthetic import synthetic_matrix
from crosswork.specs.scaffold import new_spec

REPO = Path(__file__).resolve().parents[1]
WORKGROUPS = ("common", "consistency", "security", "quality")
CYCLES = 10


@dataclasses.dataclass(frozen=True)
class Scale:
    """How much of each kind a synthetic repository holds."""

    specs: int
    advisories: int
    bugs: int
    bug_sources: int
    features: int
    drivers: int
    services: int
    libraries: int
    jobs: int

    def describe(self) -> str:
        return (
            f"{self.specs} specs, {self.advisories} advisories,"
            f" {self.bugs} bugs over {self.bug_sources} sources,"
            f" a {self.features} x {self.drivers} matrix,"
            f" {self.services} services x {self.libraries} libraries,"
            f" CI builds of {self.jobs} jobs"
        )


SCALES = {
    "full": Scale(1000, 2000, 10_000, 20, 300, 30, 50, 40, 100),
    "half": Scale(500, 1000, 5000, 10, 150, 15, 25, 20, 50),
    "tiny": Scale(40, 40, 100, 4, 20, 5, 5, 4, 5),
}
#: The builds kept per job: the CI track's window.
BUILDS_PER_JOB = 10
ADVISORY_SOURCE = "security.advisories.services"
PACKAGES = ("nova", "keystone", "neutron", "horizon", "cinder")
FETCHED_AT = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
MATRIX_PATH = "synthetic/nova/support-matrix.ini"
LIBRARY = "bench-lib-{:02d}"
LAUNCHPAD_STATUSES = ["New", "Confirmed", "Triaged", "In Progress"]
IMPORTANCES = ("Undecided", "Critical", "High", "Medium", "Low", "Wishlist")
ZUUL_RESULTS = ("SUCCESS",) * 6 + ("FAILURE", "FAILURE", "NODE_FAILURE", "TIMED_OUT")


def cycles(count: int) -> list[str]:
    """``count`` cycle names, newest first: 2027.1, 2026.2, 2026.1..."""
    names = []
    year, half = 2027, 1
    for _ in range(count):
        names.append(f"{year}.{half}")
        year, half = (year - 1, 2) if half == 1 else (year, 1)
    return names


def make_repo(folder: Path, scale: Scale) -> list[Path]:
    """The synthetic repository in ``folder``; returns the spec files."""
    (folder / "specs").mkdir(parents=True)
    shutil.copy(REPO / "specs" / "template.rst", folder / "specs" / "template.rst")
    snapshot = folder / "snapshot"
    snapshot.mkdir(mode=0o700)
    tracks = synthetic_tracks(scale)
    for workgroup in WORKGROUPS:
        reviews = write_charter(folder, workgroup, tracks[workgroup])
        for source in reviews:
            shutil.copy(REPO / "snapshot" / f"{source}.json", snapshot)
    write_snapshots(snapshot, tracks, scale)
    return write_specs(folder, scale.specs)


def write_charter(folder: Path, workgroup: str, tracks: dict[str, Any]) -> list[str]:
    """The real charter with ``tracks`` in place of its own, keeping its
    reviews tracks; returns the reviews sources, whose snapshots are kept."""
    text = (REPO / "workgroups" / f"{workgroup}.yaml").read_text(encoding="utf-8")
    head, _, own = text.partition("\ntracks:\n")
    reviews = yaml.safe_load("tracks:\n" + own)["tracks"].get("reviews", [])
    tracks = {**tracks, "reviews": reviews} if reviews else tracks
    block = yaml.dump({"tracks": tracks}, Dumper=PlainDumper, sort_keys=False, width=79)
    target = folder / "workgroups" / f"{workgroup}.yaml"
    target.parent.mkdir(exist_ok=True)
    target.write_text(f"{head}\n{block}", encoding="utf-8")
    return [f"{workgroup}.reviews.{track['name']}" for track in reviews]


class PlainDumper(yaml.SafeDumper):
    """Writes a value shared by several tracks out each time: charters
    allow no YAML aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def synthetic_tracks(scale: Scale) -> dict[str, dict[str, Any]]:
    """Charter tracks by workgroup, by kind: bug tracks spread over every
    workgroup, and one track of each other kind."""
    tracks: dict[str, dict[str, Any]] = {w: {} for w in WORKGROUPS}
    for number in range(scale.bug_sources):
        tracks[WORKGROUPS[number % len(WORKGROUPS)]].setdefault("bugs", []).append(
            bug_track(number)
        )
    tracks["consistency"]["matrices"] = [
        {
            "name": "synthetic",
            "title": "Synthetic support matrix",
            "path": MATRIX_PATH,
            "reference": "synthetic-000",
        }
    ]
    tracks["security"]["advisories"] = [
        {"name": "services", "source": "osv", "packages": list(PACKAGES)}
    ]
    tracks["common"]["adoption"] = [adoption_track(scale)]
    tracks["quality"]["ci"] = [
        {
            "name": "synthetic",
            "title": "Synthetic gate and check jobs",
            "tenant": "synthetic",
            "pipelines": ["gate", "check"],
            "window": {"builds": BUILDS_PER_JOB},
        }
    ]
    return tracks


def bug_track(number: int) -> dict[str, Any]:
    name = f"synthetic-{number:02d}"
    if number % 4 == 3:
        return {
            "name": name,
            "tracker": "github",
            "project": f"synthetic/project-{number:02d}",
            "labels": ["bug"],
            "state": "all",
        }
    return {
        "name": name,
        "tracker": "launchpad",
        "project": name,
        "status": LAUNCHPAD_STATUSES,
    }


def adoption_track(scale: Scale) -> dict[str, Any]:
    folder = "synthetic/requirements"
    return {
        "name": "synthetic",
        "title": "Synthetic shared libraries in the services",
        "services": [
            {"name": f"service-{i:02d}", "path": f"{folder}/service-{i:02d}.txt"}
            for i in range(scale.services)
        ],
        "libraries": ["bench-lib-*"],
        "groups": {"first": [LIBRARY.format(0), LIBRARY.format(1)]},
        "global": f"{folder}/global-requirements.txt",
        "constraints": f"{folder}/upper-constraints.txt",
    }


# --- Snapshot ------------------------------------------------------------------


def write_snapshots(
    folder: Path, tracks: Mapping[str, Mapping[str, Any]], scale: Scale
) -> None:
    """A snapshot per synthetic track, then status and history entries."""
    per_source = scale.bugs // scale.bug_sources
    for workgroup, kinds in tracks.items():
        for number, track in enumerate(kinds.get("bugs", [])):
            offset = (WORKGROUPS.index(workgroup) + number * 4) * per_source
            write_source(
                folder, workgroup, "bugs", track, bugs(track, offset, per_source)
            )
    write_source(
        folder,
        "consistency",
        "matrices",
        tracks["consistency"]["matrices"][0],
        matrix_items(scale),
    )
    write_source(
        folder,
        "security",
        "advisories",
        tracks["security"]["advisories"][0],
        advisory_items(scale.advisories),
    )
    write_source(
        folder,
        "common",
        "adoption",
        tracks["common"]["adoption"][0],
        adoption_items(scale),
    )
    track = tracks["quality"]["ci"][0]
    write_source(folder, "quality", "ci", track, ci_items(track, scale.jobs))
    record_fetch(folder)


PROVIDERS = {
    "bugs": BUGS,
    "matrices": MATRICES,
    "advisories": ADVISORIES,
    "adoption": ADOPTION,
    "ci": CI,
}


def write_source(
    folder: Path,
    workgroup: str,
    kind: str,
    track: Mapping[str, Any],
    items: list[dict[str, Any]],
    fetched_at: dt.datetime = FETCHED_AT,
) -> None:
    """The snapshot file of one track, its query as the provider states it."""
    query = PROVIDERS[kind].query(track)
    write_snapshot(
        folder,
        Snapshot(
            source=f"{workgroup}.{kind}.{track['name']}",
            kind=kind,
            query=query.to_json(),
            fetched_at=fetched_at,
            complete=True,
            items=tuple(items),
        ),
    )


def record_fetch(
    folder: Path, now: dt.datetime = FETCHED_AT, only: str | None = None
) -> None:
    """Status and history of every snapshot file (or of source ``only``),
    as a fetch run records them: each source fresh as of its ``fetched_at``."""
    statuses = load_status(folder)
    counts, breakdowns = {}, {}
    for path in sorted(folder.glob(f"{only or '*.*.*'}.json")):
        snapshot = load_snapshot(folder, path.stem).snapshot
        assert snapshot is not None, path
        checked = max(now, snapshot.fetched_at)
        statuses[snapshot.source] = SourceStatus(
            "fresh",
            checked_at=checked,
            fetched_at=snapshot.fetched_at,
            validated_at=checked,
            count=snapshot.count,
            complete=snapshot.complete,
        )
        counts[snapshot.source] = (snapshot.count, snapshot.complete)
        if snapshot.kind in PROVIDERS:
            breakdowns[snapshot.source] = PROVIDERS[snapshot.kind].breakdown
    write_status(folder, statuses, now)
    record_history(folder, counts, now.date(), breakdowns)


def bugs(track: Mapping[str, Any], offset: int, count: int) -> list[dict[str, Any]]:
    """``count`` bugs of a track: tracker payloads read by the tracker's
    own page reader, kept once by id and sorted, as a search stores them."""
    query = BUGS.query(track)
    tracker = TRACKER_IMPLEMENTATIONS[query.tracker]
    where = f"synthetic {query.project}"
    payload = github_issue if query.tracker == "github" else launchpad_task
    found = [
        tracker.bug(payload(query.project, offset + n), query, where)  # type: ignore[attr-defined]
        for n in range(count)
    ]
    return [bug.to_json() for bug in unique_sorted(found)]


def moment(number: int, days: int = 900) -> str:
    """A stable timestamp spread over ``days`` before the fetch."""
    when = FETCHED_AT - dt.timedelta(days=number % days, hours=number % 23)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def launchpad_task(project: str, number: int) -> dict[str, Any]:
    bug = 2_000_000 + number
    return {
        "bug_link": f"https://api.launchpad.net/1.0/bugs/{bug}",
        "bug_target_name": project,
        "title": f'Bug #{bug} in {project}: "Synthetic bug number {number}"',
        "status": LAUNCHPAD_STATUSES[number % len(LAUNCHPAD_STATUSES)],
        "importance": IMPORTANCES[number % len(IMPORTANCES)],
        "assignee_link": (
            None if number % 3 else f"https://api.launchpad.net/1.0/~dev-{number % 7}"
        ),
        "web_link": f"https://bugs.launchpad.net/{project}/+bug/{bug}",
        "date_created": moment(number),
        "date_left_new": None if number % 4 == 0 else moment(number, 30),
    }


def github_issue(project: str, number: int) -> dict[str, Any]:
    return {
        "number": number + 1,
        "title": f"Synthetic issue number {number}",
        "state": "closed" if number % 5 == 0 else "open",
        "labels": [{"name": "bug"}]
        + ([{"name": "security"}] if number % 9 == 0 else []),
        "assignee": None if number % 3 else {"login": f"dev-{number % 7}"},
        "created_at": moment(number),
        "updated_at": moment(number, 30),
        "html_url": f"https://github.com/{project}/issues/{number + 1}",
    }


def matrix_items(scale: Scale) -> list[dict[str, Any]]:
    """The matrix file read as the fetch reads its body, stored as facts."""
    text = synthetic_matrix(scale.features, scale.drivers, seed=1)
    matrix, problems = read_matrix(MATRIX_PATH, text.encode())
    return matrix_facts(matrix, problems)


def advisory_items(count: int) -> list[dict[str, Any]]:
    items = [advisory_item(advisory(number)) for number in range(count)]
    return sorted(items, key=lambda item: item["id"])


def advisory(number: int) -> Advisory:
    """One synthetic OSV advisory, normalized as the fetch normalizes."""
    identifier = f"PYSEC-{2000 + number // 1000}-{number % 1000}"
    day = dt.date(2020, 1, 1) + dt.timedelta(days=number % 2000)
    record = {
        "id": identifier,
        "published": f"{day.isoformat()}T00:00:00Z",
        "modified": f"{day.isoformat()}T00:00:00Z",
        "summary": f"Synthetic problem number {number}",
        "details": "A synthetic advisory of the build benchmark.",
        "affected": [
            {
                "package": {
                    "name": PACKAGES[number % len(PACKAGES)],
                    "ecosystem": "PyPI",
                },
                "ranges": [
                    {
                        "type": "ECOSYSTEM",
                        "events": [{"introduced": "0"}, {"fixed": f"{number}.0.1"}],
                    }
                ],
            }
        ],
    }
    normalized, problems = normalize_osv(record, label=identifier)
    assert normalized is not None, problems
    return normalized


def adoption_items(scale: Scale) -> list[dict[str, Any]]:
    """Every requirements file of the track, read and kept as the fetch
    keeps them: services first, then global requirements and constraints."""
    track = adoption_track(scale)
    libraries = track["libraries"]
    items: list[dict[str, Any]] = []
    for number, service in enumerate(track["services"]):
        text = service_requirements(number, scale.libraries)
        requirements = parse_requirements(service["path"], text.encode())
        items += file_facts("service", service["name"], requirements, libraries)
    names = [LIBRARY.format(i) for i in range(scale.libraries)]
    for role, key, line in (
        ("global", "global", "{}>=1.0.0"),
        ("constraints", "constraints", "{}===2.4.0"),
    ):
        text = "".join(line.format(name) + "\n" for name in ["pbr", *names])
        requirements = parse_requirements(track[key], text.encode())
        items += file_facts(role, "", requirements, libraries)
    return items


def service_requirements(service: int, libraries: int) -> str:
    """A service's file: a few other requirements, and most libraries at
    minimum versions that differ from service to service."""
    lines = ["# Synthetic requirements of the build benchmark.", "pbr>=2.0.0"]
    for library in range(libraries):
        if (service + library) % 4 == 3:
            continue
        minimum = f"{1 + (service + library) % 3}.{(service * library) % 5}.0"
        lines.append(f"{LIBRARY.format(library)}>={minimum}  # Apache-2.0")
    lines.append("requests>=2.25.0")
    return "\n".join(lines) + "\n"


def ci_items(track: Mapping[str, Any], jobs: int) -> list[dict[str, Any]]:
    """``BUILDS_PER_JOB`` builds of each job, Zuul's pre-10 payloads read by
    the CI model and kept by the track's window, newest first."""
    query = CI.query(track)
    rng = random.Random(7)  # noqa: S311 (test data, not secrets)
    payloads = []
    for job in range(jobs):
        for run in range(BUILDS_PER_JOB):
            start = FETCHED_AT - dt.timedelta(hours=6 * run + job % 6, minutes=job)
            duration = 900 + (job * 37 + run * 11) % 2700
            payloads.append(
                {
                    "uuid": f"{job:04d}{run:04d}" + "0" * 24,
                    "job_name": f"synthetic-job-{job:03d}",
                    "project": f"synthetic/project-{job % 10}",
                    "branch": "master",
                    "pipeline": "gate" if run % 2 else "check",
                    "change": 900_000 + job * BUILDS_PER_JOB + run,
                    "patchset": "1",
                    "result": rng.choice(ZUUL_RESULTS),
                    "voting": job % 10 != 9,
                    "start_time": start.strftime("%Y-%m-%dT%H:%M:%S"),
                    "end_time": (start + dt.timedelta(seconds=duration)).strftime(
                        "%Y-%m-%dT%H:%M:%S"
                    ),
                    "duration": float(duration),
                    "log_url": None,
                    "buildset": {"uuid": f"{run:04d}{job:04d}" + "1" * 24},
                }
            )
    payloads.sort(key=lambda p: p["start_time"], reverse=True)
    window = Window(query)
    window.add([normalize_build(payload) for payload in payloads])
    return [build.to_json() for build in window.builds()]


# --- Changes the runner measures ----------------------------------------------


def change_one_bug(folder: Path, source: str) -> None:
    """A refresh of ``source`` that found one bug retitled: the snapshot
    written anew, dated a day later, with its status and history entries
    (the other sources' stay as they were)."""
    snapshot = load_snapshot(folder, source).snapshot
    assert snapshot is not None, source
    first, *others = snapshot.items
    changed = {**first, "title": f"{first['title']} (retitled)"}
    later = snapshot.fetched_at + dt.timedelta(days=1)
    write_snapshot(
        folder,
        dataclasses.replace(snapshot, items=(changed, *others), fetched_at=later),
    )
    record_fetch(folder, later, only=source)


def change_one_charter(folder: Path, workgroup: str) -> None:
    """A sentence more in one charter's mission."""
    path = folder / "workgroups" / f"{workgroup}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("mission: >-\n", "mission: >-\n  One more sentence.\n", 1),
        encoding="utf-8",
    )


# --- Specs ---------------------------------------------------------------------


def write_specs(folder: Path, count: int) -> list[Path]:
    names = cycles(CYCLES)
    files = [
        new_spec(
            folder,
            f"Synthetic spec number {index}",
            WORKGROUPS[index % len(WORKGROUPS)],
            names[index % CYCLES],
            dt.date(2026, 1, 5),
            "Bench Mark <bench@example.org>",
        )
        for index in range(count)
    ]
    for path in files:
        path.write_text(written(path.read_text(encoding="utf-8")), encoding="utf-8")
    return files


def written(text: str) -> str:
    """The spec with a line put before each paragraph, so that none is
    still the template's guidance (which the linter rejects)."""
    lines = text.split("\n")
    result = []
    for number, line in enumerate(lines):
        after = lines[number + 1] if number + 1 < len(lines) else ""
        starts_paragraph = (
            number > 0
            and not lines[number - 1].strip()
            and line[:1].isalpha()
            and not (after.strip() and set(after.strip()) <= set("=-~^"))
            and not after.startswith(" ")
        )
        if starts_paragraph:
            result.append("Written for the benchmark.")
        result.append(line)
    return "\n".join(result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="an empty or absent folder")
    parser.add_argument("--scale", choices=SCALES, default="tiny")
    args = parser.parse_args()
    scale = SCALES[args.scale]
    args.folder.mkdir(parents=True, exist_ok=True)
    make_repo(args.folder, scale)
    print(f"{args.folder}: {scale.describe()}")


if __name__ == "__main__":
    main()
