"""Where spec files live: ``specs/<cycle>/<slug>.rst``, one slug per spec.

A spec's id is ``<cycle>/<slug>``, read from its place. A slug is unique
across cycles: a spec carried to a later cycle moves there, so a bare slug
always names one proposal. ``specs/template.rst`` is the template, and files
named ``index.rst`` are left to the site's indexes; neither is a spec.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from crosswork.diagnostics import Diagnostic, register
from crosswork.specs.model import is_cycle, is_slug
from crosswork.specs.source import Source

register(
    "Spec layout",
    L101="a spec file is not at specs/<cycle>/<slug>.rst",
    L102="a spec's folder is not named after a cycle",
    L103="a spec's file name is not a kebab-case slug",
    L104="two specs have the same slug",
)

SPECS_DIR = "specs"
TEMPLATE_PATH = "specs/template.rst"
INDEX_NAME = "index.rst"


def place(path: str) -> tuple[str | None, str]:
    """The folder below ``specs/`` holding the file (``None`` when the file
    is not directly in one) and the slug its name gives."""
    parts = path.split("/")
    if "\\" in path or "" in parts or "." in parts:
        # Read as a path is; a plain relative path, as the linter names
        # every file, is split directly, 15 times faster (a tree's worth
        # of calls per run).
        parts = list(PurePosixPath(path.replace("\\", "/")).parts)
        return _folder(parts), PurePosixPath(path).stem
    return _folder(parts), _stem(parts[-1])


def _folder(parts: list[str]) -> str | None:
    return parts[-2] if len(parts) >= 3 and parts[-3] == SPECS_DIR else None


def _stem(name: str) -> str:
    """A file name without its last suffix, as :attr:`PurePath.stem` reads it."""
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def spec_id(path: str) -> str | None:
    """``<cycle>/<slug>`` of a file in a cycle folder, else ``None``."""
    folder, slug = place(path)
    return f"{folder}/{slug}" if folder and is_cycle(folder) else None


def check_layout(source: Source) -> list[Diagnostic]:
    folder, slug = place(source.path)
    found = []
    if folder is None or not source.path.endswith(".rst"):
        message = "specs live at specs/<cycle>/<slug>.rst"
        found.append(source.diagnostic(1, 1, "L101", message))
    elif not is_cycle(folder):
        message = f'folder "{folder}" is not a cycle (like 2027.1)'
        found.append(source.diagnostic(1, 1, "L102", message))
    if not is_slug(slug):
        message = (
            f'file name "{slug}" is not a slug (lower-case words joined by hyphens)'
        )
        found.append(source.diagnostic(1, 1, "L103", message))
    return found


def duplicate_slugs(paths: Iterable[str], selected: Iterable[str]) -> list[Diagnostic]:
    """L104 for each selected spec whose slug another spec also uses."""
    by_slug: dict[str, list[str]] = {}
    for path in sorted(paths):
        by_slug.setdefault(place(path)[1], []).append(path)
    found = []
    for path in sorted(selected):
        others = [other for other in by_slug.get(place(path)[1], []) if other != path]
        if others:
            message = f'slug "{place(path)[1]}" is also used by {", ".join(others)}'
            found.append(Diagnostic(path, 1, 1, "L104", message))
    return found


def discover(folder: Path) -> list[Path]:
    """Every spec file below ``folder`` (and the template, if there)."""
    return sorted(path for path in folder.rglob("*.rst") if path.name != INDEX_NAME)
