"""Plain reST pages with the content of the synthetic repository's data.

The baselines of ``build.py`` are plain Sphinx sites with equivalent
pages: beside the same spec files, one page per advisory (its title,
dates, aliases, details, an affected-packages table and its references),
one page per bug source (a table of its bugs), one page with the matrix
as a table (a row per feature, a column per driver), one with the
adoption matrix as a table (a row per service, a column per library,
cells holding the minimum version) and one with the CI builds as a table
(a row per build). Pages read the snapshot the crosswork site renders,
so both show the same items. Toctrees hold at most :data:`CHUNK` entries,
as crosswork's do. Files are written only when their text changes, so
that an incremental build re-reads only the pages whose data changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from crosswork.fetch.snapshot import Snapshot, load_snapshot

#: Most entries in one toctree.
CHUNK = 100
_MARKUP = re.compile(r"([\\`*_|<>\[\]:])")


def text(value: object) -> str:
    """A value as reST text, inline markup characters escaped."""
    return _MARKUP.sub(r"\\\1", str(value if value is not None else ""))


def title(words: str, underline: str = "=") -> str:
    return f"{words}\n{underline * len(words)}\n"


def table(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """A ``list-table`` with one header row; cells are values, escaped,
    except those already made reST by :func:`link`."""
    lines = [".. list-table::", "   :header-rows: 1", ""]
    for row in [header, *rows]:
        cells = [c if isinstance(c, Markup) else text(c) for c in row]
        lines.append(f"   * - {cells[0]}")
        lines += [f"     - {cell}" for cell in cells[1:]]
    return "\n".join(lines) + "\n"


class Markup(str):
    """Text that is already reST."""


def link(label: object, url: str | None) -> str:
    return Markup(f"`{text(label)} <{url}>`__") if url else text(label)


def toctree(entries: Iterable[str]) -> str:
    return ".. toctree::\n   :maxdepth: 1\n\n" + "".join(f"   {e}\n" for e in entries)


def write(path: Path, content: str) -> None:
    """Write ``content`` unless the file already holds it."""
    if path.exists() and path.read_text(encoding="utf-8") == content:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")


def snapshots(repo: Path) -> dict[str, Snapshot]:
    """Every source snapshot of the repository, by source id."""
    folder = repo / "snapshot"
    found = {}
    for path in sorted(folder.glob("*.*.*.json")):
        snapshot = load_snapshot(folder, path.stem).snapshot
        if snapshot is not None:
            found[snapshot.source] = snapshot
    return found


def plain_pages(site: Path, repo: Path) -> list[str]:
    """Write the data pages into ``site``; returns the root toctree's entries."""
    by_kind: dict[str, list[Snapshot]] = {}
    for snapshot in snapshots(repo).values():
        by_kind.setdefault(snapshot.kind, []).append(snapshot)
    entries = []
    for kind, writer in WRITERS.items():
        if by_kind.get(kind):
            writer(site / kind, by_kind[kind])
            entries.append(f"{kind}/index")
    return entries


def chunked_index(folder: Path, heading: str, names: Sequence[str]) -> None:
    """``index`` over parts of :data:`CHUNK` pages each (or the pages)."""
    if len(names) <= CHUNK:
        write(folder / "index.rst", title(heading) + "\n" + toctree(names))
        return
    parts = []
    for start in range(0, len(names), CHUNK):
        part = f"part-{start // CHUNK + 1:02d}"
        body = title(f"{heading}, part {start // CHUNK + 1}")
        write(
            folder / f"{part}.rst", body + "\n" + toctree(names[start : start + CHUNK])
        )
        parts.append(part)
    write(folder / "index.rst", title(heading) + "\n" + toctree(parts))


def advisory_pages(folder: Path, sources: list[Snapshot]) -> None:
    names = []
    for snapshot in sources:
        for item in snapshot.items:
            names.append(item["id"])
            write(folder / f"{item['id']}.rst", advisory_page(item))
    chunked_index(folder, "Advisories", names)


def advisory_page(item: Mapping[str, Any]) -> str:
    parts = [
        title(f"{item['id']}: {text(item['title'])}"),
        f"Published {item['published']}, modified {item['modified']}.",
        f"Severity: {text(item['severity']['label'])}.",
    ]
    if item["aliases"]:
        parts.append("Aliases: " + ", ".join(text(a) for a in item["aliases"]) + ".")
    parts.append(text(item["details"]))
    parts.append(
        table(
            ["Package", "Ecosystem", "Affected", "Fixed in"],
            (
                [
                    a["name"],
                    a["ecosystem"],
                    "; ".join(a["affected"]),
                    ", ".join(a["fixed_in"]),
                ]
                for a in item["affected"]
            ),
        )
    )
    references = [f"* {link(r['text'], r['url'])}" for r in item["references"]]
    if references:
        parts.append("\n".join(references))
    return "\n\n".join(parts) + "\n"


def bug_pages(folder: Path, sources: list[Snapshot]) -> None:
    names = []
    for snapshot in sources:
        names.append(snapshot.source)
        rows = (
            [
                link(bug["id"], bug["url"]),
                bug["title"],
                bug["status"],
                bug["importance"] or "",
                bug["assignee"] or "",
                bug["created"],
                bug["updated"] or "",
            ]
            for bug in snapshot.items
        )
        header = [
            "Bug",
            "Title",
            "Status",
            "Importance",
            "Assignee",
            "Created",
            "Updated",
        ]
        write(
            folder / f"{snapshot.source}.rst",
            title(f"Bugs of {snapshot.source}")
            + f"\n{len(snapshot.items)} bugs.\n\n"
            + table(header, rows),
        )
    chunked_index(folder, "Bugs", names)


def matrix_pages(folder: Path, sources: list[Snapshot]) -> None:
    names = []
    for snapshot in sources:
        names.append(snapshot.source)
        drivers = [i for i in snapshot.items if i["record"] == "driver"]
        features = [i for i in snapshot.items if i["record"] == "feature"]
        rows = (
            [f["title"], f["status"], *(f["cells"][d["key"]]["value"] for d in drivers)]
            for f in features
        )
        header = ["Feature", "Status", *(d["title"] for d in drivers)]
        write(
            folder / f"{snapshot.source}.rst",
            title(f"Matrix {snapshot.source}") + "\n" + table(header, rows),
        )
    chunked_index(folder, "Matrices", names)


def adoption_pages(folder: Path, sources: list[Snapshot]) -> None:
    names = []
    for snapshot in sources:
        names.append(snapshot.source)
        services = [
            i
            for i in snapshot.items
            if i["record"] == "file" and i["role"] == "service"
        ]
        libraries = sorted({e["name"] for s in services for e in s["entries"]})
        rows = []
        for service in services:
            versions = {e["name"]: e["specifier"] for e in service["entries"]}
            rows.append(
                [service["service"], *(versions.get(lib, "") for lib in libraries)]
            )
        write(
            folder / f"{snapshot.source}.rst",
            title(f"Adoption {snapshot.source}")
            + "\n"
            + table(["Service", *libraries], rows),
        )
    chunked_index(folder, "Adoption", names)


def ci_pages(folder: Path, sources: list[Snapshot]) -> None:
    names = []
    for snapshot in sources:
        names.append(snapshot.source)
        rows = (
            [
                b["job"],
                b["project"],
                b["pipeline"],
                b["result"] or "",
                b["start"] or "",
                b["duration"] or "",
            ]
            for b in snapshot.items
        )
        header = ["Job", "Project", "Pipeline", "Result", "Start", "Seconds"]
        write(
            folder / f"{snapshot.source}.rst",
            title(f"CI builds of {snapshot.source}") + "\n" + table(header, rows),
        )
    chunked_index(folder, "CI builds", names)


WRITERS = {
    "advisories": advisory_pages,
    "bugs": bug_pages,
    "matrices": matrix_pages,
    "adoption": adoption_pages,
    "ci": ci_pages,
}
