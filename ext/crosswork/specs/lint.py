"""The spec linter: every finding in every file, at once.

:func:`lint_spec` checks one file's text; :func:`lint_specs` checks a tree,
adding the rules that need every spec (duplicate slugs, and Supersedes and
Superseded-By agreeing). Both are pure: the template, the known workgroups
and today's date come in as arguments.

The families of checks can be chosen with ``checks``: another community's
specs, with no crosswork metadata or layout, are linted with
:data:`CONTENT_CHECKS` against that community's template.

A spec nested too deep to parse safely is read only in part (R103). Its
structure and metadata are not checked, as they would be judged on that
part, and it never becomes a :class:`Spec`, so the site does not parse it.
"""

from __future__ import annotations

import enum
import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence, Set
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from docutils import nodes

from crosswork.contributorfiles import read_contributor_file
from crosswork.diagnostics import Diagnostic, has_errors, sort_diagnostics
from crosswork.lintcache import LintCache
from crosswork.specs.layout import (
    INDEX_NAME,
    SPECS_DIR,
    TEMPLATE_PATH,
    check_layout,
    discover,
    duplicate_slugs,
    place,
    spec_id,
)
from crosswork.specs.markup import check_forbidden, check_syntax
from crosswork.specs.metadata import (
    Metadata,
    Record,
    check_metadata,
    check_supersession,
    parse_date,
    read_metadata,
    to_spec,
)
from crosswork.specs.model import Spec, is_cycle, is_slug
from crosswork.specs.rstparse import literal_lines, parse_rst, root_sections
from crosswork.specs.source import MAX_SPEC_BYTES, Source
from crosswork.specs.structure import check_guidance, check_structure
from crosswork.specs.template import Template
from crosswork.specs.text import check_text, undecodable


class Check(enum.StrEnum):
    """A family of checks."""

    LAYOUT = "layout"
    METADATA = "metadata"
    STRUCTURE = "structure"
    TEXT = "text"
    FORBIDDEN = "forbidden"
    SYNTAX = "syntax"


ALL_CHECKS = frozenset(Check)

#: Checks that hold for any community's specs.
CONTENT_CHECKS = frozenset({Check.STRUCTURE, Check.TEXT, Check.FORBIDDEN, Check.SYNTAX})

#: What the template itself is held to: it is the model every spec copies.
TEMPLATE_CHECKS = frozenset({Check.TEXT, Check.FORBIDDEN, Check.SYNTAX})

#: What holds of a spec read only in part; syntax is always checked then,
#: since it reports why.
PARTLY_READ_CHECKS = frozenset(
    {Check.TEXT, Check.SYNTAX, Check.FORBIDDEN, Check.LAYOUT}
)


@dataclass(frozen=True)
class _Linted:
    source: Source
    spec: Spec | None
    metadata: Metadata | None
    diagnostics: list[Diagnostic]


def lint_spec(
    path: str,
    text: str,
    template: Template,
    *,
    workgroups: Set[str],
    today: date,
    checks: Set[Check] = ALL_CHECKS,
    roles: Set[str] = frozenset(),
) -> tuple[Spec | None, list[Diagnostic]]:
    """Lint one spec; ``path`` is used as given, in findings and the spec.

    The spec is returned only when its metadata and its place are valid, so
    that nothing built from it has to handle a half-valid spec.
    """
    linted = _lint(Source(path, text), template, workgroups, today, checks, roles)
    return linted.spec, sort_diagnostics(linted.diagnostics)


def lint_specs(
    root: Path,
    paths: Sequence[Path] | None,
    template: Template,
    *,
    workgroups: Set[str],
    today: date,
    checks: Set[Check] = ALL_CHECKS,
    cache: LintCache | None = None,
    roles: Set[str] = frozenset(),
    workers: int = 1,
) -> tuple[list[Spec], list[Diagnostic]]:
    """Lint the specs below ``root/specs``, or only ``paths`` (files or
    folders, relative to ``root``), with the rules across specs. Findings
    name files relative to ``root``. A ``cache`` spares re-linting files
    whose inputs did not change. ``roles`` are the data kinds' roles, which
    specs may use. ``workers`` processes lint the files the cache lacks.

    With ``paths``, the other specs are not all parsed: slugs need only
    their names, and supersession only the specs a selected one names and
    those whose text mentions a selected spec's id (see :func:`_partners`).
    """
    root = Path(root)
    # Specs share a few folders: each is resolved once, not once a spec.
    resolve = functools.cache(Path.resolve)
    tree = {_relative(root, path, resolve) for path in discover(root / SPECS_DIR)}
    selected = tree if paths is None else _expand(root, paths)
    arguments = (template, workgroups, today, checks, cache, roles, workers)
    linted, found = _lint_files(root, selected, *arguments)
    partners = _partners(root, tree - selected, linted) if paths else tree - selected
    linted_partners, _ = _lint_files(root, partners, *arguments)
    linted.update(linted_partners)
    found = [problem for problem in found if problem.path in selected]
    named = tree - selected if paths else set()
    specs = sorted(path for path in linted.keys() | named if path != TEMPLATE_PATH)
    chosen = sorted(selected & set(specs))
    for path in sorted(selected & linted.keys()):
        found.extend(linted[path].diagnostics)
    if Check.LAYOUT in checks:
        found.extend(duplicate_slugs(specs, chosen))
    if Check.METADATA in checks:
        read = sorted(path for path in linted if path != TEMPLATE_PATH)
        found.extend(_supersession(linted, read, chosen))
    result = [spec for path in chosen if (spec := linted[path].spec) is not None]
    return result, sort_diagnostics(found)


def _lint_files(
    root: Path,
    paths: Set[str],
    template: Template,
    workgroups: Set[str],
    today: date,
    checks: Set[Check],
    cache: LintCache | None,
    roles: Set[str],
    workers: int,
) -> tuple[dict[str, _Linted], list[Diagnostic]]:
    """Each file linted, or the one finding that says why it could not be:
    not a regular file, too large or unreadable (C101 to C103), or not
    UTF-8 (T106).

    The template is held to :data:`TEMPLATE_CHECKS` only.
    """
    linted: dict[str, _Linted] = {}
    unread: list[Diagnostic] = []
    missed: dict[str, tuple[str, tuple[Any, ...]]] = {}
    for path in sorted(paths):
        text, problems = _read(root, path)
        if text is None:
            unread.extend(problems)
            continue
        file_checks = TEMPLATE_CHECKS & checks if path == TEMPLATE_PATH else checks
        source = Source(path, text)
        key = LintCache.key(
            path, source.text, template, workgroups, set(file_checks), roles
        )
        entry = cache.get(key) if cache else None
        if entry is None or not holds_on(entry, today):
            job = (source, template, workgroups, today, file_checks, roles)
            missed[path] = (key, job)
        else:
            linted[path] = entry[1]
            if cache:
                cache.put(key, entry)
    for path, result in zip(missed, _lint_all(missed.values(), workers), strict=True):
        if cache:
            cache.put(missed[path][0], (today, result))
        linted[path] = result
    return dict(sorted(linted.items())), unread


#: Files a worker process must have to be worth starting: it imports
#: docutils and the linter first, some tenths of a second.
FILES_PER_WORKER = 16


def _lint_all(
    jobs: Iterable[tuple[str, tuple[Any, ...]]], workers: int
) -> Iterator[_Linted]:
    """Each job's :func:`_lint`, in order; in ``workers`` processes when
    there are enough files to pay for them (a cold run over a large tree)."""
    arguments = [job for _, job in jobs]
    workers = min(workers, len(arguments) // FILES_PER_WORKER)
    if workers < 2:
        yield from (_lint(*job) for job in arguments)
        return
    # Imported here: a twentieth of `crosswork lint FILE`, which never
    # starts workers.
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers) as pool:
        chunk = max(1, len(arguments) // (workers * 4))
        yield from pool.map(_lint_job, arguments, chunksize=chunk)


def _lint_job(job: tuple[Any, ...]) -> _Linted:
    return _lint(*job)


def holds_on(entry: tuple[date, _Linted], today: date) -> bool:
    """Whether a spec's findings of one day hold on ``today``.

    Only the ``Created`` date reads the day (M108: not after today), so
    findings hold on any day when it is on or before both days, or is not
    a date at all.
    """
    day, linted = entry
    if day == today:
        return True
    created = parse_date(linted.metadata.value("Created")) if linted.metadata else None
    return created is None or created <= min(day, today)


#: Anything in a file's bytes that may be a spec id: every spec id in it is
#: found whole, so a file whose tokens miss an id does not name it.
_ID_TOKEN = re.compile(rb"[0-9]{4}\.[12]/[a-z0-9]+(?:-[a-z0-9]+)*")


def _partners(root: Path, others: Set[str], linted: dict[str, _Linted]) -> set[str]:
    """The ``others`` that supersession rules may pair with a linted spec:
    those it names in Supersedes or Superseded-By, and those whose bytes
    hold its id (a superset of those naming it, found without parsing)."""
    by_id = {identifier: path for path in others if (identifier := spec_id(path))}
    ids = {identifier.encode() for path in linted if (identifier := spec_id(path))}
    found = set()
    for result in linted.values():
        if result.metadata is not None:
            for name in ("Supersedes", "Superseded-By"):
                found.update(
                    by_id[t] for t in result.metadata.items(name) if t in by_id
                )
    for path in others - found:
        try:
            with open(os.path.join(root, path), "rb") as stream:
                data = stream.read(MAX_SPEC_BYTES + 1)
        except OSError:
            continue
        if _may_name(data, ids) and ids.intersection(_ID_TOKEN.findall(data)):
            found.add(path)
    return found


#: Up to this many ids, files are searched for each before being tokenized.
_SEARCHED_IDS = 8


def _may_name(data: bytes, ids: Set[bytes]) -> bool:
    """Whether ``data`` may hold one of ``ids``: most files hold none at
    all, which a plain search for a few ids settles far faster than
    tokenizing the file; for many ids, tokenizing is the faster test."""
    return len(ids) > _SEARCHED_IDS or any(identifier in data for identifier in ids)


def _read(root: Path, path: str) -> tuple[str | None, list[Diagnostic]]:
    """The file's text, or the finding that says why it cannot be linted."""
    data, problems = read_contributor_file(root / path, path, MAX_SPEC_BYTES)
    if data is None:
        return None, problems
    problem = undecodable(path, data)
    if problem is not None:
        return None, [problem]
    return data.decode("utf-8"), []


def _lint(
    source: Source,
    template: Template,
    workgroups: Set[str],
    today: date,
    checks: Set[Check],
    roles: Set[str] = frozenset(),
) -> _Linted:
    parsed = parse_rst(source.text, source.path, roles)
    if parsed.too_deep:
        checks = (checks & PARTLY_READ_CHECKS) | {Check.SYNTAX}
    found: list[Diagnostic] = []
    if Check.TEXT in checks:
        found.extend(check_text(source, literal_lines(parsed.doctree)))
    if Check.SYNTAX in checks:
        found.extend(check_syntax(source, parsed.problems))
    if Check.FORBIDDEN in checks:
        found.extend(check_forbidden(source, parsed.doctree))
    if Check.STRUCTURE in checks:
        found.extend(check_structure(source, parsed.doctree, template))
        found.extend(check_guidance(source, parsed.doctree, template))
    if Check.LAYOUT in checks:
        found.extend(check_layout(source))
    if Check.METADATA not in checks:
        return _Linted(source, None, None, found)
    title = _title(parsed.doctree)
    metadata, problems = read_metadata(source, title)
    if metadata is not None:
        folder = place(source.path)[0]
        problems += check_metadata(
            source,
            metadata,
            spec_id=spec_id(source.path),
            folder_cycle=folder if folder and is_cycle(folder) else None,
            workgroups=workgroups,
            today=today,
        )
    spec = None
    if metadata is not None and title is not None and not has_errors(problems):
        spec = _spec(source, metadata, title)
    return _Linted(source, spec, metadata, found + problems)


def _spec(source: Source, metadata: Metadata, title: nodes.section) -> Spec | None:
    """The spec, unless its place gives it no valid id."""
    slug = place(source.path)[1]
    if spec_id(source.path) is None or not is_slug(slug):
        return None
    return to_spec(metadata, title=title, slug=slug, path=source.path)


def _title(doctree: nodes.document) -> nodes.section | None:
    roots = root_sections(doctree)
    return roots[0] if len(roots) == 1 else None


def _supersession(
    linted: dict[str, _Linted], specs: list[str], selected: list[str]
) -> list[Diagnostic]:
    records = {}
    for path in specs:
        identifier = spec_id(path)
        if identifier is not None:
            records[identifier] = Record(linted[path].source, linted[path].metadata)
    chosen = {identifier for path in selected if (identifier := spec_id(path))}
    return check_supersession(records, chosen)


def _relative(
    root: Path, path: Path, resolve: Callable[[Path], Path] = Path.resolve
) -> str:
    """``path`` relative to ``root`` in POSIX form, or as given if outside.

    Only the folders are resolved: a spec that is a symlink keeps its own
    name, so a finding about where it points names the link.
    """
    full = path if path.is_absolute() else root / path
    # Compared as text: both sides are resolved, so a prefix is a parent,
    # and a tree's worth of relative_to calls costs tens of milliseconds.
    folder = f"{resolve(full.parent).as_posix().rstrip('/')}/"
    top = f"{resolve(root).as_posix().rstrip('/')}/"
    if not folder.startswith(top):
        return path.as_posix()
    return folder[len(top) :] + full.name


def _expand(root: Path, paths: Sequence[Path]) -> set[str]:
    """The files named by ``paths``; folders stand for the specs below them."""
    selected = set()
    for path in paths:
        full = path if path.is_absolute() else root / path
        found = discover(full) if full.is_dir() else [full]
        selected.update(
            _relative(root, item) for item in found if item.name != INDEX_NAME
        )
    return selected
