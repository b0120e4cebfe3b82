"""A synthetic site repository at community scale, for the build benchmarks.

The real charters, template, pages and snapshot, plus generated content:
``specs`` specs from the real template spread over cycles and the four
workgroups, and ``advisories`` OSV advisories in the snapshot of the
security workgroup's ``services`` track (validated, merged and paged like
fetched ones). Full scale is 1,000 specs over 10 cycles and 2,000
advisories; :data:`SCALES` names the sizes the runner knows.

    python benchmarks/synthetic.py FOLDER --scale tiny
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
from pathlib import Path

from crosswork.fetch.snapshot import Snapshot, write_snapshot
from crosswork.kinds.advisories.model import Advisory
from crosswork.kinds.advisories.osv import normalize_osv
from crosswork.kinds.advisories.stored import advisory_item
from crosswork.specs.scaffold import new_spec

REPO = Path(__file__).resolve().parents[1]
WORKGROUPS = ("common", "consistency", "security", "quality")
CYCLES = 10
#: (specs, advisories) of each scale.
SCALES = {"full": (1000, 2000), "half": (500, 1000), "tiny": (40, 40)}
ADVISORY_SOURCE = "security.advisories.services"
PACKAGES = ("nova", "keystone", "neutron", "horizon", "cinder")
FETCHED_AT = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def cycles(count: int) -> list[str]:
    """``count`` cycle names, newest first: 2027.1, 2026.2, 2026.1..."""
    names = []
    year, half = 2027, 1
    for _ in range(count):
        names.append(f"{year}.{half}")
        year, half = (year - 1, 2) if half == 1 else (year, 1)
    return names


def make_repo(folder: Path, specs: int, advisories: int) -> list[Path]:
    """The synthetic repository in ``folder``; returns the spec files."""
    shutil.copytree(REPO / "workgroups", folder / "workgroups")
    shutil.copytree(REPO / "snapshot", folder / "snapshot")
    (folder / "specs").mkdir()
    shutil.copy(REPO / "specs" / "template.rst", folder / "specs" / "template.rst")
    write_advisories(folder / "snapshot", advisories)
    return write_specs(folder, specs)


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


def write_advisories(snapshot: Path, count: int) -> None:
    items = [advisory_item(advisory(number)) for number in range(count)]
    write_snapshot(
        snapshot,
        Snapshot(
            source=ADVISORY_SOURCE,
            kind="advisories",
            query={"source": "osv", "packages": list(PACKAGES)},
            fetched_at=FETCHED_AT,
            complete=True,
            items=tuple(sorted(items, key=lambda item: item["id"])),
        ),
    )


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="an empty or absent folder")
    parser.add_argument("--scale", choices=SCALES, default="tiny")
    args = parser.parse_args()
    specs, advisories = SCALES[args.scale]
    args.folder.mkdir(parents=True, exist_ok=True)
    make_repo(args.folder, specs, advisories)
    print(f"{args.folder}: {specs} specs, {advisories} advisories")


if __name__ == "__main__":
    main()
