"""A spec's metadata: the field list right under its title.

The fields, in this order (like the headers of a PEP):

``Status`` (required)
   One of :data:`~crosswork.specs.model.STATUSES`.
``Workgroup`` (required)
   The slug of the sponsoring workgroup.
``Participating``
   Comma separated slugs of the other workgroups taking part: known
   workgroups, not the sponsoring one, each once.
``Authors`` (required)
   Comma separated; each ``Name`` or ``Name <address>``.
``Reviewers``, ``Approvers``
   Written like ``Authors``: the people asked to review the spec, and the
   people whose approval it needs (like a KEP's reviewers and approvers).
``Created`` (required)
   The date the spec was first written, ``YYYY-MM-DD``, not after today.
``Cycle`` (required)
   The cycle the spec targets; it is the folder the file is in.
``Review``
   The https URL of the code review of the spec.
``Discussion``
   The https URL of the thread where the spec is discussed (a PEP's
   ``Discussions-To``).
``Tracking``
   Comma separated bug references: https URLs, bug numbers (``2001234``)
   or project and number (``nova#2001234``).
``Closes-Gaps``
   Feature-matrix gaps the spec closes, as :mod:`crosswork.specs.gaptargets`
   describes: ``<track> <driver>: all`` or ``<track> <driver>: <feature>,
   ...``, targets separated by ``;``. Each malformed part is reported at
   its own column. Whether the track, driver and features exist, and
   whether the workgroup has matrix tracks at all, is checked by the
   matrices kind against its data, not here.
``Supersedes``
   Comma separated ids (``<cycle>/<slug>``) of the specs this one replaces.
``Superseded-By``
   The id of the spec that replaced this one.
``Implemented-In``
   The cycle the work landed in, not before ``Cycle``.

Lifecycle rules, by status:

* ``approved``, ``implemented`` and ``superseded`` need ``Review`` (the
  review that approved the spec is its record) and ``Approvers`` (who
  approved it), when the spec was created on or after
  :data:`APPROVAL_RECORDED_SINCE`. A superseded spec was approved before
  it was replaced, so it is held to the same rule. Older specs predate the
  record: neither their review nor their approvers were written down, and
  the linter does not ask for numbers or names nobody can check;
* ``implemented`` needs ``Implemented-In``; a ``superseded`` spec may keep
  it (it was implemented, then replaced); no other status may have it;
* ``superseded`` needs ``Superseded-By``, and no other status may have it;
* a ``rejected`` or ``withdrawn`` spec supersedes nothing.

Across specs, ``Supersedes`` and ``Superseded-By`` name specs that exist,
and agree: A says ``Superseded-By: B`` exactly when B lists A in
``Supersedes``. Each side's claim is checked, where it is written.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Callable, Iterator, Mapping, Set
from dataclasses import dataclass
from datetime import date

from docutils import nodes

from crosswork.diagnostics import Diagnostic, register
from crosswork.specs.gaptargets import parse_closes_gaps
from crosswork.specs.model import (
    STATUSES,
    Spec,
    cycle_key,
    is_cycle,
    is_spec_id,
)
from crosswork.specs.order import misplaced
from crosswork.specs.rstparse import section_title, title_line
from crosswork.specs.source import Source

register(
    "Spec metadata",
    M101="the metadata field list is missing or not right after the title",
    M102="a metadata field is not one of the known fields",
    M103="a metadata field appears twice",
    M104="a metadata field is out of order",
    M105="a required metadata field is missing",
    M106="a metadata value is not valid",
    M107="the workgroup is not a known workgroup",
    M108="the creation date is in the future",
    M109="the cycle does not match the spec's folder",
    M110="the status needs a field that is missing",
    M111="a field is not allowed with the status",
    M112="the implementation cycle is before the spec's cycle",
    M113="a spec named in Supersedes or Superseded-By does not exist",
    M114="Supersedes and Superseded-By of two specs disagree",
    M115="Participating names the spec's own workgroup, or one workgroup twice",
    M116="a Closes-Gaps target is not written as <track> <driver>: all or "
    "<track> <driver>: <feature>, ...",
    M117="a track, driver or feature in Closes-Gaps is not written as a key",
    M118="Closes-Gaps names a target or a feature twice, or features with all",
)

FIELDS = (
    "Status",
    "Workgroup",
    "Participating",
    "Authors",
    "Reviewers",
    "Approvers",
    "Created",
    "Cycle",
    "Review",
    "Discussion",
    "Tracking",
    "Closes-Gaps",
    "Supersedes",
    "Superseded-By",
    "Implemented-In",
)
REQUIRED_FIELDS = ("Status", "Workgroup", "Authors", "Created", "Cycle")

#: Fields a status needs, beyond the ones every spec needs.
NEEDED_BY_STATUS: Mapping[str, tuple[str, ...]] = {
    "approved": ("Review", "Approvers"),
    "implemented": ("Review", "Approvers", "Implemented-In"),
    "superseded": ("Review", "Approvers", "Superseded-By"),
}

#: Specs created before this day predate the record of approvals, so their
#: status does not make them need ``Review`` or ``Approvers``.
APPROVAL_RECORDED_SINCE = date(2026, 12, 1)
#: The fields that record an approval.
APPROVAL_FIELDS = frozenset({"Review", "Approvers"})

#: The statuses a field is allowed with, for fields not allowed with all.
ALLOWED_WITH: Mapping[str, frozenset[str]] = {
    "Implemented-In": frozenset({"implemented", "superseded"}),
    "Superseded-By": frozenset({"superseded"}),
    "Supersedes": frozenset(STATUSES) - {"rejected", "withdrawn"},
}

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HTTPS_URL = re.compile(r"https://[A-Za-z0-9.-]+(?::\d+)?(?:/\S*)?")
_BUG_ID = re.compile(r"(?:[a-z][a-z0-9_.-]*#)?\d+")
_AUTHOR = re.compile(r"[^<>,@]*[^\s<>,@](?:\s+<[^<>\s@]+@[^<>\s@]+>)?")
_FIELD_PREFIX = re.compile(r"\s*:(?:[^:\\]|\\.)+:\s*")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Field:
    name: str
    value: str
    line: int
    #: Column where the value starts.
    column: int
    #: ``(offset in value, line, column)`` of each word of the value, when
    #: the source spells the value as it reads (no markup, no escapes).
    words: tuple[tuple[int, int, int], ...] = ()

    def position(self, offset: int) -> tuple[int, int]:
        """Line and column of the value's character at ``offset``; the
        value's start when the source does not map onto the value."""
        index = bisect.bisect_right(self.words, offset, key=lambda word: word[0])
        if index == 0:
            return self.line, self.column
        start, line, column = self.words[index - 1]
        return line, column + offset - start


@dataclass(frozen=True)
class Metadata:
    """The known fields of a spec, each at its first occurrence."""

    line: int
    fields: Mapping[str, Field]

    def value(self, name: str) -> str:
        found = self.fields.get(name)
        return found.value if found else ""

    def items(self, name: str) -> list[str]:
        """The entries of a comma separated field."""
        return [item.strip() for item in self.value(name).split(",") if item.strip()]


def read_metadata(
    source: Source, title: nodes.section | None
) -> tuple[Metadata | None, list[Diagnostic]]:
    """The field list right under the title, and problems with its shape."""
    if title is None:
        return None, [
            source.diagnostic(1, 1, "M101", "no metadata: the spec has no title")
        ]
    field_list = next(
        (child for child in title.children[1:] if not isinstance(child, nodes.comment)),
        None,
    )
    if not isinstance(field_list, nodes.field_list):
        message = "the metadata field list must come right after the title"
        return None, [source.diagnostic(title_line(title), 1, "M101", message)]
    fields: dict[str, Field] = {}
    found: list[Diagnostic] = []
    for node in field_list.children:
        field = _field(source, node)
        if field.name not in FIELDS:
            found.append(_unknown(source, field))
        elif field.name in fields:
            first = fields[field.name].line
            message = f'field "{field.name}" appears again (first at line {first})'
            found.append(source.diagnostic(field.line, 1, "M103", message))
        else:
            fields[field.name] = field
    found.extend(_order(source, list(fields.values())))
    return Metadata(field_list.line or title_line(title), fields), found


def _field(source: Source, node: nodes.field) -> Field:
    line = node.line or 1
    prefix = _FIELD_PREFIX.match(source.line(line))
    column = prefix.end() + 1 if prefix else 1
    value = " ".join(node[1].astext().split())
    words = _source_words(source, line, column)
    offsets = _word_offsets(value)
    if [word for word, *_ in words] != value.split():
        return Field(node[0].astext(), value, line, column)
    placed = tuple(
        (offset, word_line, word_column)
        for offset, (_, word_line, word_column) in zip(offsets, words, strict=True)
    )
    return Field(node[0].astext(), value, line, column, placed)


def _source_words(source: Source, line: int, column: int) -> list[tuple[str, int, int]]:
    """The words of a field's value in the source, with their places: the
    rest of the field's line, then its indented continuation lines."""
    found = [
        (match.group(), line, column + match.start())
        for match in _WORD.finditer(source.line(line)[column - 1 :])
    ]
    following = line + 1
    while following <= len(source.lines) and source.line(following)[:1].isspace():
        text = source.line(following)
        if not text.strip():
            break
        found.extend(
            (match.group(), following, match.start() + 1)
            for match in _WORD.finditer(text)
        )
        following += 1
    return found


def _word_offsets(value: str) -> list[int]:
    return [match.start() for match in _WORD.finditer(value)]


def _unknown(source: Source, field: Field) -> Diagnostic:
    message = f'unknown field "{field.name}"'
    close = difflib.get_close_matches(field.name, FIELDS, n=1, cutoff=0.6)
    if close:
        message += f' (did you mean "{close[0]}"?)'
    return source.diagnostic(field.line, 1, "M102", message)


def _order(source: Source, fields: list[Field]) -> Iterator[Diagnostic]:
    for item in misplaced([FIELDS.index(field.name) for field in fields]):
        field = fields[item.position]
        where = f'{"after" if item.after else "before"} "{FIELDS[item.neighbour]}"'
        message = f'field "{field.name}" is out of order: it goes {where}'
        yield source.diagnostic(field.line, 1, "M104", message)


@dataclass(frozen=True)
class _Context:
    source: Source
    metadata: Metadata
    #: ``<cycle>/<slug>`` from the file's place, if it is a spec's place.
    spec_id: str | None
    #: The cycle folder the file is in, if it is one.
    folder_cycle: str | None
    workgroups: Set[str]
    today: date

    def at(self, field: Field, code: str, message: str) -> Diagnostic:
        return self.source.diagnostic(field.line, field.column, code, message)

    def within(self, field: Field, offset: int, code: str, message: str) -> Diagnostic:
        """A finding about the part of the value at ``offset``."""
        line, column = field.position(offset)
        return self.source.diagnostic(line, column, code, message)


def check_metadata(
    source: Source,
    metadata: Metadata,
    *,
    spec_id: str | None,
    folder_cycle: str | None,
    workgroups: Set[str],
    today: date,
) -> list[Diagnostic]:
    """Every rule on the values, alone and together with the status."""
    context = _Context(source, metadata, spec_id, folder_cycle, workgroups, today)
    found = [
        source.diagnostic(metadata.line, 1, "M105", f'missing field "{name}"')
        for name in REQUIRED_FIELDS
        if name not in metadata.fields
    ]
    for field in metadata.fields.values():
        if not field.value:
            found.append(context.at(field, "M106", f'field "{field.name}" is empty'))
        else:
            found.extend(_VALIDATORS[field.name](context, field))
    found.extend(_lifecycle(context))
    return found


def _status(context: _Context, field: Field) -> Iterator[Diagnostic]:
    if field.value not in STATUSES:
        choices = ", ".join(STATUSES)
        yield context.at(
            field, "M106", f'unknown status "{field.value}" (one of: {choices})'
        )


def _workgroup(context: _Context, field: Field) -> Iterator[Diagnostic]:
    if field.value not in context.workgroups:
        known = ", ".join(sorted(context.workgroups)) or "none"
        yield context.at(
            field, "M107", f'unknown workgroup "{field.value}" (known: {known})'
        )


def is_author(text: str) -> bool:
    """Whether ``text`` names one author: ``Name`` or ``Name <address>``."""
    return _AUTHOR.fullmatch(text) is not None


def _authors(context: _Context, field: Field) -> Iterator[Diagnostic]:
    for author in context.metadata.items(field.name):
        if not is_author(author):
            message = f'author "{author}" is not written as "Name" or "Name <address>"'
            yield context.at(field, "M106", message)


def _entries(value: str) -> list[tuple[int, str]]:
    """The non-empty entries of a comma separated value, with the offset
    of each in the value."""
    found = []
    offset = 0
    for raw in value.split(","):
        if raw.strip():
            found.append((offset + len(raw) - len(raw.lstrip()), raw.strip()))
        offset += len(raw) + 1
    return found


def _people(context: _Context, field: Field) -> Iterator[Diagnostic]:
    """Reviewers and Approvers: each name where it is written."""
    for offset, person in _entries(field.value):
        if not is_author(person):
            message = (
                f'{field.name} entry "{person}" is not written as "Name" or '
                '"Name <address>"'
            )
            yield context.within(field, offset, "M106", message)


def _participating(context: _Context, field: Field) -> Iterator[Diagnostic]:
    """Other known workgroups, each once, not the sponsoring one."""
    own = context.metadata.value("Workgroup")
    seen: set[str] = set()
    for offset, slug in _entries(field.value):
        if slug not in context.workgroups:
            known = ", ".join(sorted(context.workgroups)) or "none"
            message = f'unknown participating workgroup "{slug}" (known: {known})'
            yield context.within(field, offset, "M107", message)
        elif slug == own:
            message = (
                f'Participating names "{slug}", the sponsoring workgroup: list '
                "only the other workgroups taking part"
            )
            yield context.within(field, offset, "M115", message)
        elif slug in seen:
            message = f'Participating names "{slug}" twice'
            yield context.within(field, offset, "M115", message)
        seen.add(slug)


def _discussion(context: _Context, field: Field) -> Iterator[Diagnostic]:
    if not _HTTPS_URL.fullmatch(field.value):
        message = f'Discussion "{field.value}" is not an https URL'
        yield context.at(field, "M106", message)


def _closes_gaps(context: _Context, field: Field) -> Iterator[Diagnostic]:
    _, problems = parse_closes_gaps(field.value)
    for problem in problems:
        yield context.within(field, problem.offset, problem.code, problem.message)


def _created(context: _Context, field: Field) -> Iterator[Diagnostic]:
    created = parse_date(field.value)
    if created is None:
        yield context.at(
            field, "M106", f'Created "{field.value}" is not a date (YYYY-MM-DD)'
        )
    elif created > context.today:
        message = f"Created {created} is after today ({context.today})"
        yield context.at(field, "M108", message)


def parse_date(text: str) -> date | None:
    """An ISO date written in full, or ``None``."""
    if not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _cycle(context: _Context, field: Field) -> Iterator[Diagnostic]:
    if not is_cycle(field.value):
        yield context.at(
            field, "M106", f'Cycle "{field.value}" is not a cycle (like 2027.1)'
        )
    elif context.folder_cycle and field.value != context.folder_cycle:
        message = (
            f'Cycle "{field.value}" does not match the folder "{context.folder_cycle}"'
        )
        yield context.at(field, "M109", message)


def _review(context: _Context, field: Field) -> Iterator[Diagnostic]:
    if not _HTTPS_URL.fullmatch(field.value):
        yield context.at(field, "M106", f'Review "{field.value}" is not an https URL')


def _tracking(context: _Context, field: Field) -> Iterator[Diagnostic]:
    for entry in context.metadata.items(field.name):
        if not (_HTTPS_URL.fullmatch(entry) or _BUG_ID.fullmatch(entry)):
            message = (
                f'Tracking entry "{entry}" is neither an https URL nor a bug number'
            )
            yield context.at(field, "M106", message)


def _spec_ids(context: _Context, field: Field) -> Iterator[Diagnostic]:
    entries = context.metadata.items(field.name)
    if field.name == "Superseded-By" and len(entries) > 1:
        yield context.at(field, "M106", "Superseded-By names one spec only")
        return
    for entry in entries:
        if not is_spec_id(entry):
            message = f'{field.name} entry "{entry}" is not a spec id (<cycle>/<slug>)'
            yield context.at(field, "M106", message)
        elif entry == context.spec_id:
            yield context.at(field, "M106", f"{field.name} names this spec itself")


def _implemented_in(context: _Context, field: Field) -> Iterator[Diagnostic]:
    cycle = context.metadata.value("Cycle")
    if not is_cycle(field.value):
        message = f'Implemented-In "{field.value}" is not a cycle (like 2027.1)'
        yield context.at(field, "M106", message)
    elif is_cycle(cycle) and cycle_key(field.value) < cycle_key(cycle):
        message = f"Implemented-In {field.value} is before the spec's cycle {cycle}"
        yield context.at(field, "M112", message)


_VALIDATORS: Mapping[str, Callable[[_Context, Field], Iterator[Diagnostic]]] = {
    "Status": _status,
    "Workgroup": _workgroup,
    "Participating": _participating,
    "Authors": _authors,
    "Reviewers": _people,
    "Approvers": _people,
    "Created": _created,
    "Cycle": _cycle,
    "Review": _review,
    "Discussion": _discussion,
    "Tracking": _tracking,
    "Closes-Gaps": _closes_gaps,
    "Supersedes": _spec_ids,
    "Superseded-By": _spec_ids,
    "Implemented-In": _implemented_in,
}


def _lifecycle(context: _Context) -> Iterator[Diagnostic]:
    status_field = context.metadata.fields.get("Status")
    if status_field is None or status_field.value not in STATUSES:
        return
    status = status_field.value
    for name in NEEDED_BY_STATUS.get(status, ()):
        if name not in context.metadata.fields and _needs(context, name):
            message = f'status "{status}" needs the {name} field'
            yield context.at(status_field, "M110", message)
    for name, allowed in ALLOWED_WITH.items():
        field = context.metadata.fields.get(name)
        if field is not None and status not in allowed:
            message = f'{name} is not allowed with status "{status}"'
            yield context.at(field, "M111", message)


def _needs(context: _Context, name: str) -> bool:
    """Whether the spec's age lets its status ask for field ``name``; an
    invalid date is reported already, and asks for nothing more."""
    if name not in APPROVAL_FIELDS:
        return True
    created = parse_date(context.metadata.value("Created"))
    return created is not None and created >= APPROVAL_RECORDED_SINCE


def to_spec(metadata: Metadata, *, title: nodes.section, slug: str, path: str) -> Spec:
    """The spec described by metadata that passed :func:`check_metadata`."""
    created = parse_date(metadata.value("Created"))
    if created is None:
        raise ValueError(f"{path}: metadata was not checked before building the spec")
    return Spec(
        slug=slug,
        cycle=metadata.value("Cycle"),
        title=section_title(title),
        status=metadata.value("Status"),
        workgroup=metadata.value("Workgroup"),
        authors=tuple(metadata.items("Authors")),
        created=created,
        review=metadata.value("Review"),
        tracking=tuple(metadata.items("Tracking")),
        supersedes=tuple(metadata.items("Supersedes")),
        superseded_by=metadata.value("Superseded-By"),
        implemented_in=metadata.value("Implemented-In"),
        path=path,
        title_line=title_line(title),
        reviewers=tuple(metadata.items("Reviewers")),
        approvers=tuple(metadata.items("Approvers")),
        participating=tuple(metadata.items("Participating")),
        discussion=metadata.value("Discussion"),
        closes_gaps=parse_closes_gaps(metadata.value("Closes-Gaps"))[0],
    )


@dataclass(frozen=True)
class Record:
    """What the cross-spec rules need of one spec file."""

    source: Source
    metadata: Metadata | None


def check_supersession(
    records: Mapping[str, Record], selected: Set[str]
) -> list[Diagnostic]:
    """Supersedes and Superseded-By across specs, keyed by spec id.

    A finding is kept when either spec of a claim is ``selected``, so that
    linting only the spec that changed still reports the other side.
    """
    found = []
    for spec_id, record in sorted(records.items()):
        if record.metadata is None:
            continue
        for name in ("Supersedes", "Superseded-By"):
            field = record.metadata.fields.get(name)
            if field is None:
                continue
            for target in record.metadata.items(name):
                if (
                    is_spec_id(target)
                    and target != spec_id
                    and selected & {spec_id, target}
                ):
                    found.extend(_claim(records, spec_id, record.source, field, target))
    return found


def _claim(
    records: Mapping[str, Record],
    spec_id: str,
    source: Source,
    field: Field,
    target: str,
) -> Iterator[Diagnostic]:
    other = records.get(target)
    if other is None:
        message = f'{field.name} names "{target}", which does not exist'
        yield source.diagnostic(field.line, field.column, "M113", message)
        return
    if other.metadata is None:
        return
    if field.name == "Supersedes":
        answer = other.metadata.value("Superseded-By")
        if answer != spec_id:
            said = (
                f'says Superseded-By "{answer}"' if answer else "has no Superseded-By"
            )
            message = f'Supersedes "{target}", but that spec {said}'
            yield source.diagnostic(field.line, field.column, "M114", message)
    elif spec_id not in other.metadata.items("Supersedes"):
        message = (
            f'Superseded-By "{target}", but that spec does not list this one '
            "in Supersedes"
        )
        yield source.diagnostic(field.line, field.column, "M114", message)
