"""One normalized security advisory, whatever database it came from.

OSV records (PYSEC, GHSA, ...) and OpenStack's own OSSA files differ in
shape; pages, indexes, the feed and the JSON export read only
:class:`Advisory`. Every string in it came from outside and is plain text:
it is cleaned of control characters and capped in length here, and it is
never parsed as markup anywhere. Links are kept only when
:func:`safe_reference_url` accepts them; the text of every link is kept
so that nothing the record says is lost.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from crosswork import textclean
from crosswork.kinds.advisories.severity import Rating, best_rating
from crosswork.kinds.advisories.versions import Interval, sort_intervals, sort_versions
from crosswork.links import safe_https_url

#: Hosts an advisory may link to: the community's own services, the
#: advisory databases and the CVE records. Other references stay text.
ADVISORY_HOSTS = frozenset(
    {
        "security.openstack.org",
        "bugs.launchpad.net",
        "launchpad.net",
        "review.opendev.org",
        "review.openstack.org",
        "opendev.org",
        "lists.openstack.org",
        "wiki.openstack.org",
        "docs.openstack.org",
        "releases.openstack.org",
        "github.com",
        "osv.dev",
        "nvd.nist.gov",
        "www.cve.org",
        "www.openwall.com",
    }
)

TITLE_LIMIT = 300
TEXT_LIMIT = 16_000
ELLIPSIS = "…"

#: Identifiers become file names and URL parts, so their form is strict.
ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9._]+)+$")
MAX_ID_LENGTH = 64

#: Which identifier names a merged advisory, best first (see merge.py).
ID_PRECEDENCE = ("OSSA", "GHSA", "PYSEC")
CVE_PREFIX = "CVE"

DATABASES = {
    "OSSA": "OpenStack Security Advisories",
    "GHSA": "GitHub Advisory Database",
    "PYSEC": "PyPA Advisory Database",
    "OSV": "OSV",
}

_SPACES = re.compile(r"\s+")
_PACKAGE_SEPARATORS = re.compile(r"[-_.]+")


def clean_text(text: str, limit: int = TEXT_LIMIT) -> str:
    """Plain text safe to store, render and serialise as XML (the one
    policy of :mod:`crosswork.textclean`), cut at ``limit`` characters."""
    return textclean.clean_text(text, limit)


def clean_line(text: str, limit: int = TITLE_LIMIT) -> str:
    """One line of plain text (titles, names): whitespace runs become a space."""
    return textclean.clean_line(text, limit)


def first_sentence(text: str) -> str:
    """A title for records that have none: the first line's first sentence."""
    line = next((line for line in text.splitlines() if line.strip()), "")
    sentence, stop, _ = line.partition(". ")
    return clean_line(sentence + stop.strip())


def is_valid_id(identifier: str) -> bool:
    return len(identifier) <= MAX_ID_LENGTH and bool(ID_PATTERN.match(identifier))


def id_prefix(identifier: str) -> str:
    return identifier.partition("-")[0].upper()


def id_rank(identifier: str) -> int:
    """Lower is preferred as the primary id: OSSA, GHSA, PYSEC, others, CVE."""
    prefix = id_prefix(identifier)
    if prefix in ID_PRECEDENCE:
        return ID_PRECEDENCE.index(prefix)
    return len(ID_PRECEDENCE) + (prefix == CVE_PREFIX)


def sort_ids(identifiers: Iterable[str]) -> tuple[str, ...]:
    """Unique ids (ignoring case; the first spelling kept) in precedence order."""
    unique: dict[str, str] = {}
    for identifier in identifiers:
        unique.setdefault(identifier.casefold(), identifier)
    return tuple(sorted(unique.values(), key=lambda i: (id_rank(i), i.casefold())))


def database_name(identifier: str) -> str:
    return DATABASES.get(id_prefix(identifier), DATABASES["OSV"])


def id_url(identifier: str) -> str | None:
    """The public page of an id: its own database's, else osv.dev's."""
    if not is_valid_id(identifier):
        return None
    prefix = id_prefix(identifier)
    if prefix == "OSSA":
        return f"https://security.openstack.org/ossa/{identifier}.html"
    if prefix == "GHSA":
        return f"https://github.com/advisories/{identifier}"
    if prefix == CVE_PREFIX:
        return f"https://www.cve.org/CVERecord?id={identifier}"
    return f"https://osv.dev/vulnerability/{identifier}"


def safe_reference_url(url: str) -> str | None:
    """The URL when it may become a link: https to an advisory host."""
    return safe_https_url(url, ADVISORY_HOSTS)


def package_key(name: str) -> str:
    """PEP 503 form, so ``glance_store`` and ``glance-store`` group together."""
    return _PACKAGE_SEPARATORS.sub("-", name).lower().strip("-")


def utc(moment: dt.datetime) -> dt.datetime:
    """Aware UTC datetime; naive values are taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


@dataclass(frozen=True)
class Reference:
    """A link from an advisory: ``url`` is None when it may only be text."""

    type: str
    text: str
    url: str | None

    @classmethod
    def from_text(cls, kind: str, text: str) -> Reference:
        text = clean_line(text, TEXT_LIMIT)
        return cls(clean_line(kind, 40).upper(), text, safe_reference_url(text))


@dataclass(frozen=True)
class Source:
    """One upstream record folded into an advisory."""

    id: str
    database: str
    #: How messages named the record (a file path or snapshot label).
    label: str


@dataclass(frozen=True)
class Patch:
    """One fix under review or merged, for one branch (OSSA ``reviews``)."""

    branch: str
    #: Package key of the product the patch is for, when the OSSA says so.
    product: str
    #: Free text next to the link, e.g. ``errata 1`` or ``original``.
    note: str
    link: Reference


@dataclass(frozen=True)
class GitRange:
    """Commits from a GIT range: kept for readers, unused for versions."""

    repo: Reference
    events: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class AffectedPackage:
    """One package of one ecosystem and the versions an advisory names."""

    ecosystem: str
    #: The name as the record writes it (case and separators kept).
    name: str
    ranges: tuple[Interval, ...] = ()
    versions: tuple[str, ...] = ()
    git_ranges: tuple[GitRange, ...] = ()
    #: The version text as written, for OSSA files.
    version_text: str = ""

    @property
    def key(self) -> str:
        return package_key(self.name)

    @property
    def affected(self) -> tuple[str, ...]:
        """Readable affected versions; the written text when it is prose."""
        if self.ranges:
            return tuple(interval.text for interval in self.ranges)
        if self.version_text:
            return (self.version_text,)
        return self.versions

    @property
    def fixed_in(self) -> tuple[str, ...]:
        return sort_versions(r.fixed for r in self.ranges if r.fixed is not None)


@dataclass(frozen=True)
class Advisory:
    """A vulnerability as the site shows it, merged from every record of it."""

    id: str
    aliases: tuple[str, ...]
    title: str
    details: str
    ratings: tuple[Rating, ...]
    affected: tuple[AffectedPackage, ...]
    published: dt.datetime | None
    modified: dt.datetime
    withdrawn: dt.datetime | None
    references: tuple[Reference, ...]
    sources: tuple[Source, ...]
    patches: tuple[Patch, ...] = ()
    errata: str = ""
    errata_history: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    credits: tuple[str, ...] = ()

    @property
    def ids(self) -> tuple[str, ...]:
        return (self.id, *self.aliases)

    @property
    def details_are_markdown(self) -> bool:
        """OSV details are CommonMark; an OSSA's description is plain text.

        Merging takes the details of the primary record first, and an
        advisory with an OSSA among its records is named by the OSSA.
        """
        return id_prefix(self.id) != "OSSA"

    @property
    def severity(self) -> Rating:
        return best_rating(self.ratings)

    @property
    def date(self) -> dt.datetime:
        """When it was published; the last change when that is unknown."""
        return self.published or self.modified

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn is not None


def combine_packages(
    packages: Iterable[AffectedPackage],
) -> tuple[AffectedPackage, ...]:
    """One entry per ecosystem and package: ranges, versions, commits unioned.

    The first entry's spelling of the name is kept; entries are ordered by
    package, then ecosystem.
    """
    grouped: dict[tuple[str, str], list[AffectedPackage]] = {}
    for package in packages:
        grouped.setdefault((package.key, package.ecosystem), []).append(package)
    return tuple(_combine(grouped[key]) for key in sorted(grouped))


def _combine(group: list[AffectedPackage]) -> AffectedPackage:
    return AffectedPackage(
        ecosystem=group[0].ecosystem,
        name=group[0].name,
        ranges=sort_intervals(r for p in group for r in p.ranges),
        versions=tuple(dict.fromkeys(v for p in group for v in p.versions)),
        git_ranges=tuple(dict.fromkeys(g for p in group for g in p.git_ranges)),
        version_text="; ".join(
            dict.fromkeys(p.version_text for p in group if p.version_text)
        ),
    )


def unique_references(references: Iterable[Reference]) -> tuple[Reference, ...]:
    """One reference per URL text, the first one's type kept."""
    unique: dict[str, Reference] = {}
    for reference in references:
        unique.setdefault(reference.text, reference)
    return tuple(unique.values())


def newest_first(advisories: Iterable[Advisory]) -> list[Advisory]:
    """Newest first by date, then by id: the order of every listing."""
    by_id = sorted(advisories, key=lambda a: a.id)
    return sorted(by_id, key=lambda a: a.date, reverse=True)
