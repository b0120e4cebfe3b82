"""Security advisory pages, roles, feed and export, from the data snapshot.

At ``builder-inited`` every ``advisories`` source of every charter is read
from the snapshot (:mod:`crosswork.kinds.advisories.stored`), the records are
merged, and the stub pages of the ``security`` section are written: the
section index, the advisory index with one page per year, one page per
advisory (named by its primary id), one per package and one per severity.
Stubs hold a directive and validated identifiers only. No toctree lists
more than :data:`TOCTREE_LIMIT` entries: a year with more advisories hangs
them off part pages.

Pages render from the merged catalogue, kept in the environment, and
register every source they show through
:class:`~crosswork.site.pagedata.PageData` (the snapshot file as a
dependency, the freshness facts shown), so a refresh that changes nothing
re-reads nothing. Their tables (the listings, each advisory's facts and
affected packages) are made when the page is written, from the ids the
page keeps (:mod:`crosswork.site.deferred`). At ``build-finished`` the HTML
builders also get the Atom feed, ``api/advisories.json`` and one small
redirect page per alias, so ``/security/advisories/CVE-….html`` leads to
the advisory that names it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxRole
from sphinx.util.nodes import split_explicit_title
from sphinx.util.osutil import relative_uri

from crosswork import __version__
from crosswork.diagnostics import Diagnostic
from crosswork.fetch.sources import source_id
from crosswork.fetch.view import source_file
from crosswork.kinds.advisories import RECORD
from crosswork.kinds.advisories.chart import advisories_noun, description, year_chart
from crosswork.kinds.advisories.export import SCHEMA_VERSION, advisories_document
from crosswork.kinds.advisories.feed import atom_feed, package_feed
from crosswork.kinds.advisories.indexes import (
    by_package,
    by_year,
    counts_by_year_and_severity,
    latest,
)
from crosswork.kinds.advisories.markdown import markdown_nodes, text_paragraphs
from crosswork.kinds.advisories.merge import merge
from crosswork.kinds.advisories.model import (
    ADVISORY_HOSTS,
    Advisory,
    id_url,
    is_valid_id,
)
from crosswork.kinds.advisories.severity import (
    LABELS,
    NOT_RATED_NOTE,
    NOT_RATED_REASON,
)
from crosswork.kinds.advisories.stored import read_items
from crosswork.lintcache import code_digest
from crosswork.schemacheck import ValidationCache
from crosswork.site import datanodes
from crosswork.site.api import api_path, page_url, write_api
from crosswork.site.data import SiteData
from crosswork.site.datanodes import chart_node
from crosswork.site.deferred import defer, maker
from crosswork.site.feeds import FEEDS_OFF, PAGE_FEEDS_EVENT, Feed, site_url
from crosswork.site.pagedata import (
    CHARTER_SECTIONS_EVENT,
    SECTIONS_EVENT,
    DataState,
    PageData,
    add_kind,
    data_state,
)
from crosswork.site.pages import stub, toctree, write_if_changed
from crosswork.site.publication import publishes
from crosswork.site.warnings import report, warn
from crosswork.workgroups.model import Workgroup

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

from crosswork.kinds.advisories import KIND

SECTION = "security"
ADVISORIES = f"{SECTION}/advisories"
PACKAGES = f"{SECTION}/packages"
SEVERITIES = f"{SECTION}/severity"
FEED_FILE = f"{SECTION}/advisories.atom"
API_NAME = "advisories"
API_FILE = api_path(API_NAME)
#: In the build's doctree folder: the snapshot contents that passed the schema.
VALIDATED_FILE = "crosswork-validated-advisories.json"
#: The most entries one toctree of the section lists.
TOCTREE_LIMIT = 100
#: Advisories a charter page lists.
LATEST = 5
#: The charter section (from the bugs capability) the Security charter links to.
OPEN_BUGS_ID = "open-bugs"
CVE_ID = re.compile(r"^CVE-[0-9]{4}-[0-9]{4,}$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG = 100


# --- The catalogue -------------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    """The merged advisories of every advisory source, loaded once per build."""

    #: Newest first, withdrawn ones included (marked on every page).
    advisories: tuple[Advisory, ...] = ()
    #: Source ids by workgroup slug, in declaration order.
    workgroup_sources: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: How each source's data is named in notices, by source id.
    descriptions: Mapping[str, str] = field(default_factory=dict)
    #: Source id of each snapshot label (the name advisories carry).
    label_sources: Mapping[str, str] = field(default_factory=dict)
    #: When the newest data was fetched: the feed's and export's date.
    updated: dt.datetime | None = None
    by_id: Mapping[str, Advisory] = field(default_factory=dict)
    #: Snapshot files checked against the schema by this build's load: the
    #: others passed the same check in an earlier build.
    validated: int = 0
    #: What a damaged snapshot holds: every build that uses it reports them.
    problems: tuple[Diagnostic, ...] = ()
    #: What it was read from (:func:`catalogue_inputs`); a build whose
    #: inputs are the same uses it again instead of reading every advisory.
    inputs: tuple[Any, ...] = ()

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(s for group in self.workgroup_sources.values() for s in group)

    @property
    def live(self) -> list[Advisory]:
        return [advisory for advisory in self.advisories if not advisory.is_withdrawn]

    def find(self, identifier: str) -> Advisory | None:
        """The advisory with this primary id or alias (any case)."""
        return self.by_id.get(identifier.casefold())

    def sources_of(self, advisory: Advisory) -> list[str]:
        found = {self.label_sources.get(source.label) for source in advisory.sources}
        return sorted(source for source in found if source)

    def of_workgroup(self, slug: str) -> list[Advisory]:
        mine = set(self.workgroup_sources.get(slug, ()))
        return [a for a in self.advisories if mine & set(self.sources_of(a))]


#: A track names its packages in notices up to this many.
NAMED_PACKAGES = 6


def describe_track(track: Mapping[str, Any]) -> str:
    """How notices name a track's data, in the reader's terms (never the
    internal source id): "OSV: PyPI (nova, keystone)", "OSV: 11 PyPI
    packages", "OSSA files of openstack/ossa"."""
    if track["source"] == "osv":
        packages = track["packages"]
        if len(packages) <= NAMED_PACKAGES:
            return f"OSV: PyPI ({', '.join(packages)})"
        return f"OSV: {len(packages)} PyPI packages"
    return f"OSSA files of {track['repository']}"


def advisory_tracks(
    site: SiteData,
) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """Source ids by workgroup slug, and how notices name each source."""
    workgroup_sources: dict[str, tuple[str, ...]] = {}
    descriptions: dict[str, str] = {}
    for workgroup in site.registry:
        tracks = workgroup.tracks.get(KIND, [])
        ids = [source_id(workgroup.slug, KIND, track["name"]) for track in tracks]
        if ids:
            workgroup_sources[workgroup.slug] = tuple(ids)
        for identifier, track in zip(ids, tracks, strict=True):
            descriptions[identifier] = describe_track(track)
    return workgroup_sources, descriptions


def catalogue_inputs(site: SiteData, state: DataState) -> tuple[Any, ...]:
    """What the catalogue is made of: the tracks, each source's snapshot file
    (name, size and time: a fetch replaces a file whole) and the code."""
    workgroup_sources, descriptions = advisory_tracks(site)
    files = []
    for identifier in (s for group in workgroup_sources.values() for s in group):
        path = state.file(identifier)
        try:
            stat = path.stat() if path else None
        except OSError:
            stat = None
        found = (str(path), stat.st_size, stat.st_mtime_ns) if stat else None
        files.append((identifier, found))
    return (
        code_digest(),
        tuple(workgroup_sources.items()),
        tuple(descriptions.items()),
        tuple(files),
    )


def load_catalogue(
    site: SiteData, state: DataState, validated: ValidationCache | None = None
) -> Catalogue:
    """Read, check and merge every advisory source, keeping the findings in
    damaged snapshots.

    ``validated`` remembers the snapshot contents that passed the schema
    in earlier builds, which are not validated again.

    An upstream OSSA file the fetch left out is not a finding here: it is
    data health (the status file, the data health output, the notices),
    and ``-W`` gates the repository's content only.
    """
    inputs = catalogue_inputs(site, state)
    workgroup_sources, descriptions = advisory_tracks(site)
    records: list[Advisory] = []
    problems: list[Diagnostic] = []
    label_sources: dict[str, str] = {}
    updated: dt.datetime | None = None
    folder = state.folder
    validated = validated or ValidationCache()
    for identifier in (s for group in workgroup_sources.values() for s in group):
        if folder is None:
            continue
        snapshot = state.view(identifier).snapshot
        if snapshot is None:
            continue
        label = site.layout.label(source_file(folder, identifier))
        label_sources[label] = identifier
        advisories, found = read_items(label, snapshot.items, validated)
        problems += found
        records += advisories
        updated = max(filter(None, [updated, snapshot.fetched_at]))
    merged = tuple(merge(records))
    return Catalogue(
        advisories=merged,
        workgroup_sources=workgroup_sources,
        descriptions=descriptions,
        label_sources=label_sources,
        updated=updated,
        by_id={i.casefold(): a for a in merged for i in a.ids},
        validated=validated.validations,
        problems=tuple(problems),
        inputs=inputs,
    )


def catalogue_of(env: BuildEnvironment) -> Catalogue:
    """The catalogue of the build reading ``env`` (empty without tracks)."""
    return getattr(env, "crosswork_advisories", None) or Catalogue()


# --- Names and the generated section ---------------------------------------------


def advisory_docname(advisory: Advisory) -> str:
    return f"{ADVISORIES}/{advisory.id}"


def package_slug(key: str) -> str:
    """A page name for a package key; empty when none can be made.

    Cut to :data:`MAX_SLUG` characters: a file name has at most 255 bytes,
    and an OSSA product is free text. Keys cut to one slug share its page.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", key.lower())[:MAX_SLUG].strip("-")
    return slug if SLUG.match(slug) else ""


def severity_slug(label: str) -> str:
    return label.lower().replace(" ", "-")


def packages_of(catalogue: Catalogue) -> dict[str, list[Advisory]]:
    """Advisories (withdrawn ones too) per package page, by slug."""
    pages: dict[str, list[Advisory]] = {}
    for key, listed in by_package(catalogue.advisories, include_withdrawn=True).items():
        slug = package_slug(key)
        if slug:
            known = pages.setdefault(slug, [])
            known += [a for a in listed if a not in known]
    return pages


def severities_of(catalogue: Catalogue) -> dict[str, list[Advisory]]:
    """Advisories that are not withdrawn, per severity page, most severe first."""
    pages: dict[str, list[Advisory]] = {}
    for label in LABELS:
        listed = [a for a in catalogue.live if a.severity.label == label]
        if listed:
            pages[severity_slug(label)] = listed
    return pages


def split_toctree(
    entries: Sequence[str],
    part_name: Callable[[int, int], str],
    limit: int = TOCTREE_LIMIT,
) -> tuple[list[str], dict[str, list[str]]]:
    """A toctree of at most ``limit`` entries, and part pages for the rest.

    Each level of parts holds ``limit`` entries of the level below;
    ``part_name(level, number)`` names the part pages.
    """
    top, parts = list(entries), {}
    level = 0
    while len(top) > limit:
        level += 1
        chunks = [top[i : i + limit] for i in range(0, len(top), limit)]
        names = [part_name(level, number) for number in range(1, len(chunks) + 1)]
        parts.update(zip(names, chunks, strict=True))
        top = names
    return top, parts


def part_namer(prefix: str) -> Callable[[int, int], str]:
    def name(level: int, number: int) -> str:
        return f"{prefix}{number}" if level == 1 else f"{prefix}{level}-{number}"

    return name


def security_section(catalogue: Catalogue) -> dict[str, str]:
    """The stubs of the ``security`` section, by path inside it."""
    severities = list(severities_of(catalogue))
    pages = {
        "index.rst": stub(
            ".. security-overview::",
            *toctree(
                [
                    "advisories/index",
                    "packages/index",
                    *(f"severity/{slug}" for slug in severities),
                ]
            ),
        )
    }
    years = by_year(catalogue.advisories, include_withdrawn=True)
    year_pages = [str(year) for year in years]
    pages |= paged("advisories", "index", ".. advisory-index::", year_pages, "years_")
    for year, listed in years.items():
        entries = [advisory.id for advisory in listed]
        pages |= paged("advisories", str(year), f".. advisory-year:: {year}", entries)
    for advisory in catalogue.advisories:
        pages[f"advisories/{advisory.id}.rst"] = stub(f".. advisory:: {advisory.id}")
    packages = list(packages_of(catalogue))
    pages |= paged("packages", "index", ".. advisory-packages::", packages, "part_")
    for slug in packages:
        pages[f"packages/{slug}.rst"] = stub(f".. advisory-package:: {slug}")
    for slug in severities:
        pages[f"severity/{slug}.rst"] = stub(f".. advisory-severity:: {slug}")
    return pages


def paged(
    folder: str,
    name: str,
    directive: str,
    entries: Sequence[str],
    part_prefix: str = "",
) -> dict[str, str]:
    """A page listing ``entries`` in its toctree, with part pages if needed.

    Part pages are named ``<name>-part-<n>`` or ``<part_prefix><n>``, forms
    that no advisory id (a letter first, then dash-separated parts), year
    or package page (no underscore) can take.
    """
    prefix = part_prefix or f"{name}-part-"
    top, parts = split_toctree(entries, part_namer(prefix))
    pages = {f"{folder}/{name}.rst": stub(directive, *toctree(top))}
    for part, listed in parts.items():
        pages[f"{folder}/{part}.rst"] = stub(
            f".. advisory-part:: {folder} {part}", *toctree(listed, hidden=False)
        )
    return pages


def generate_section(app: Sphinx, site: SiteData) -> dict[str, dict[str, str]]:
    """Load the catalogue (or keep the last build's, when made of the same
    inputs) and return the section, when any charter has tracks."""
    state, catalogue = data_state(app.env), catalogue_of(app.env)
    if catalogue.inputs == catalogue_inputs(site, state):
        catalogue = dataclasses.replace(catalogue, validated=0)
    else:
        validated = ValidationCache(Path(app.doctreedir) / VALIDATED_FILE)
        catalogue = load_catalogue(site, state, validated)
        validated.save()
        _renewed.add(app.env)
    for problem in catalogue.problems:
        report("data", problem)
    app.env.crosswork_advisories = catalogue
    if not catalogue.workgroup_sources:
        return {SECTION: {}}
    return {SECTION: security_section(catalogue)}


#: Environments whose catalogue was made again in this build.
_renewed: weakref.WeakSet[BuildEnvironment] = weakref.WeakSet()


def keep_renewed_catalogue(
    app: Sphinx, env: BuildEnvironment, *changes: Iterable[str]
) -> list[str]:
    """The section's index, when the catalogue was made again: Sphinx saves
    the environment, which keeps the catalogue, only when it reads a page.

    A change of code alone remakes the catalogue but reads no page; without
    this, every later build would make it again.
    """
    index = f"{SECTION}/index"
    return [index] if env in _renewed and index in env.found_docs else []


# --- Building blocks -------------------------------------------------------------


def notices(env: BuildEnvironment, source_ids: Iterable[str]) -> list[nodes.Node]:
    """The freshness notices of ``source_ids``, each registered for rebuilds."""
    catalogue, page = catalogue_of(env), PageData(env)
    result: list[nodes.Node] = []
    for identifier in source_ids:
        view = page.source(identifier)
        label = catalogue.descriptions.get(identifier, identifier)
        result += page.notices(view, label)
    return result


def severity_badge(advisory: Advisory) -> nodes.Node:
    """The rating in one badge: its label, or the database's own word; a
    rating without a score explains itself in a tooltip."""
    if advisory.is_withdrawn:
        return datanodes.badge("withdrawn", "withdrawn")
    rating = advisory.severity
    word = rating.word or rating.label
    badge = datanodes.badge(word, f"severity-{severity_slug(rating.label)}")
    if rating.scored:
        return badge
    explanation = rating.text if rating.rated else NOT_RATED_REASON
    return nodes.abbreviation("", "", badge, explanation=explanation)


def severity_detail(advisory: Advisory) -> list[nodes.Node]:
    """What the advisory page adds after the badge, never its words again:
    the score and vector, whose rating it is, or why there is none."""
    rating = advisory.severity
    if rating.scored:
        return [
            nodes.Text(f" {rating.detail} "),
            nodes.literal("", rating.vector, classes=["crosswork-vector"]),
        ]
    if rating.rated:
        return [nodes.Text(f" {rating.detail}; no CVSS vector in any record")]
    return [nodes.Text(f" ({NOT_RATED_NOTE})")]


def nowrap(text: str) -> nodes.inline:
    """An id or a date: one piece on a narrow screen."""
    return nodes.inline("", text, classes=["crosswork-nowrap"])


def day(moment: dt.datetime | None) -> str:
    return moment.date().isoformat() if moment else "unknown"


def advisory_link(advisory: Advisory, fromdoc: str, label: str = "") -> nodes.Node:
    link = datanodes.doc_link(label or advisory.id, advisory_docname(advisory), fromdoc)
    if label:
        return link
    # Around the link: resolving it replaces the node inside.
    return nodes.inline("", "", link, classes=["crosswork-nowrap"])


def details_nodes(advisory: Advisory) -> list[nodes.Element]:
    """The details as text structure: Markdown when they are OSV details,
    plain paragraphs (with ````code```` spans) when they are an OSSA's.
    Quotes and dashes stay as the record writes them (no smart quotes)."""
    if advisory.details_are_markdown:
        return markdown_nodes(advisory.details, ADVISORY_HOSTS)
    return plain_text(advisory.details)


def plain_text(text: str) -> list[nodes.Element]:
    """An OSSA's text: paragraphs, ````code```` as code, quotes as written."""
    return text_paragraphs(text)


def package_names(advisory: Advisory) -> str:
    return ", ".join(dict.fromkeys(package.key for package in advisory.affected))


def advisory_table(advisories: Sequence[Advisory]) -> nodes.Node:
    """The listed advisories, made into a table when the page is written."""
    if not advisories:
        return nodes.paragraph("", "No advisory to show.")
    return defer("advisory-table", tuple(advisory.id for advisory in advisories))


@maker("advisory-table")
def make_advisory_table(
    env: BuildEnvironment, fromdoc: str, ids: tuple[str, ...]
) -> list[nodes.Node]:
    return [advisory_rows(advisories_named(env, ids), fromdoc)]


def advisories_named(env: BuildEnvironment, ids: Iterable[str]) -> list[Advisory]:
    """The advisories of the catalogue with these primary ids, in order.

    A page listing advisories depends on the snapshot files they came from,
    so it is read again when one goes; should a page be written without
    that, an advisory gone is left out rather than failing the build.
    """
    found = map(catalogue_of(env).find, ids)
    return [advisory for advisory in found if advisory is not None]


def advisory_rows(advisories: Sequence[Advisory], fromdoc: str) -> nodes.table:
    rows: list[list[datanodes.Cell]] = [
        [
            advisory_link(advisory, fromdoc),
            advisory.title,
            severity_badge(advisory),
            package_names(advisory) or "—",
            nowrap(day(advisory.date)),
        ]
        for advisory in advisories
    ]
    return datanodes.table(
        ["Advisory", "Title", "Severity", "Packages", "Date"],
        rows,
        classes=["crosswork-advisories"],
    )


def withdrawn_banner(advisory: Advisory) -> list[nodes.Node]:
    if advisory.withdrawn is None:
        return []
    box = nodes.admonition(
        classes=["crosswork-banner", "crosswork-withdrawn", "warning"]
    )
    box += nodes.title("", "Withdrawn")
    box += nodes.paragraph(
        "",
        f"This advisory was withdrawn on {day(advisory.withdrawn)}. It is kept "
        "for reference; it is not counted and not in the feed.",
    )
    return [box]


def counts_table(advisories: Iterable[Advisory]) -> nodes.Node:
    """Advisories per year and severity, withdrawn ones left out, with totals."""
    counts = counts_by_year_and_severity(advisories)
    rows: list[list[datanodes.Cell]] = [
        [str(year), *(str(row[label]) for label in LABELS), str(sum(row.values()))]
        for year, row in counts.items()
    ]
    totals = [sum(row[label] for row in counts.values()) for label in LABELS]
    rows.append(["All years", *map(str, totals), str(sum(totals))])
    return datanodes.table(
        ["Year", *LABELS, "Total"], rows, classes=["crosswork-counts"]
    )


def year_chart_node(advisories: Iterable[Advisory], title: str) -> nodes.Element:
    counts = counts_by_year_and_severity(advisories)
    svg = year_chart(counts, title=title)
    return chart_node(svg, f"{title}. {description(counts)}")


# --- Directives ------------------------------------------------------------------


class AdvisoryDirective(datanodes.DataDirective):
    @property
    def catalogue(self) -> Catalogue:
        return catalogue_of(self.env)

    def notices(self, source_ids: Iterable[str] | None = None) -> list[nodes.Node]:
        every = self.catalogue.sources if source_ids is None else source_ids
        return notices(self.env, every)

    def link(self, label: str, docname: str) -> nodes.Node:
        return datanodes.doc_link(label, docname, self.env.docname)


class SecurityOverview(AdvisoryDirective):
    """The section index: what is here and how to report a vulnerability."""

    def run(self) -> list[nodes.Node]:
        catalogue = self.catalogue
        page = datanodes.section("Security", "security", *self.notices())
        page += nodes.paragraph(
            "",
            "Security advisories that affect the community's services and the "
            "libraries they depend on, merged from the OpenStack Security "
            "Advisories and the OSV database: one page per vulnerability, "
            "whatever its number of identifiers.",
        )
        if "process/vulnerability-management" in self.env.found_docs:
            report_line = nodes.paragraph("", "To report a vulnerability, read ")
            report_line += self.link(
                "vulnerability management", "process/vulnerability-management"
            )
            report_line += nodes.Text(" first: never open a public bug.")
            page += report_line
        live = catalogue.live
        page += nodes.paragraph(
            "",
            f"{advisories_noun(len(live))}, "
            f"{len(catalogue.advisories) - len(live)} withdrawn.",
        )
        entries = [
            self.link("All advisories, newest first", f"{ADVISORIES}/index"),
            self.link("Advisories by package", f"{PACKAGES}/index"),
            *(
                self.link(f"Severity: {listed[0].severity.label}", f"{SEVERITIES}/{s}")
                for s, listed in severities_of(catalogue).items()
            ),
        ]
        page += datanodes.bullet_list(entries)
        return [page]


class AdvisoryIndex(AdvisoryDirective):
    """Every advisory, newest first, with the year, package and severity pages."""

    def follow(self) -> nodes.paragraph:
        """Where to follow new advisories: the feed (with a site address) and
        the JSON export."""
        if site_url(self.config):
            feed = nodes.paragraph("", "Follow new advisories with the ")
            feed += datanodes.asset_link("Atom feed", FEED_FILE)
            feed += nodes.Text("; every advisory is also in ")
        else:
            feed = nodes.paragraph("", f"{FEEDS_OFF} Every advisory is in ")
        feed += datanodes.asset_link("advisories.json", API_FILE)
        feed += nodes.Text(".")
        return feed

    def run(self) -> list[nodes.Node]:
        catalogue = self.catalogue
        page = datanodes.section(
            "Security advisories", "security-advisories", *self.notices()
        )
        if catalogue.updated is not None:
            page += self.follow()
        years = by_year(catalogue.advisories, include_withdrawn=True)
        filters = [
            ("By year", [self.link(str(y), f"{ADVISORIES}/{y}") for y in years]),
            (
                "By severity",
                [
                    self.link(listed[0].severity.label, f"{SEVERITIES}/{slug}")
                    for slug, listed in severities_of(catalogue).items()
                ],
            ),
            (
                "By package",
                [self.link(s, f"{PACKAGES}/{s}") for s in packages_of(catalogue)],
            ),
        ]
        for name, links in filters:
            line = nodes.paragraph("", f"{name}: ", classes=["crosswork-filter"])
            line += datanodes.join(links) if links else nodes.Text("none yet")
            page += line
        page += advisory_table(catalogue.advisories)
        return [page]


class AdvisoryYear(AdvisoryDirective):
    """The advisories of one year."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        year = int(self.arguments[0])
        listed = by_year(self.catalogue.advisories, include_withdrawn=True).get(
            year, []
        )
        page = datanodes.section(f"Advisories of {year}", f"advisories-{year}")
        page += self.notices()
        page += advisory_table(listed)
        return [page]


class AdvisoryPart(AdvisoryDirective):
    """The title of a part page; its toctree lists its entries."""

    required_arguments = 2

    def run(self) -> list[nodes.Node]:
        folder, part = self.arguments
        title = f"{folder.capitalize()}: {part.replace('_', ' ').replace('-', ' ')}"
        return [datanodes.section(title, nodes.make_id(f"{folder}-{part}"))]


class AdvisoryPackages(AdvisoryDirective):
    """Every package with advisories, with counts."""

    def run(self) -> list[nodes.Node]:
        page = datanodes.section(
            "Advisories by package", "advisories-by-package", *self.notices()
        )
        rows: list[list[datanodes.Cell]] = []
        for slug, listed in packages_of(self.catalogue).items():
            live = [advisory for advisory in listed if not advisory.is_withdrawn]
            newest = live[0] if live else None
            rows.append(
                [
                    self.link(slug, f"{PACKAGES}/{slug}"),
                    str(len(live)),
                    advisory_link(newest, self.env.docname) if newest else "—",
                ]
            )
        if rows:
            page += datanodes.table(["Package", "Advisories", "Newest"], rows)
        else:
            page += nodes.paragraph("", "No advisory to show.")
        return [page]


class AdvisoryPackage(AdvisoryDirective):
    """The advisories that affect one package."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        slug = self.arguments[0]
        listed = packages_of(self.catalogue).get(slug, [])
        page = datanodes.section(f"Advisories for {slug}", f"package-{slug}")
        page += self.notices()
        page += advisory_table(listed)
        return [page]


class AdvisorySeverity(AdvisoryDirective):
    """The advisories of one severity rating, withdrawn ones left out."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        slug = self.arguments[0]
        listed = severities_of(self.catalogue).get(slug, [])
        label = listed[0].severity.label if listed else slug
        page = datanodes.section(f"Severity: {label}", f"severity-{slug}")
        page += self.notices()
        page += advisory_table(listed)
        return [page]


def identifier_entries(advisory: Advisory, target: str) -> addnodes.index:
    """A main index entry per identifier: the search ranks an exact match of
    an index entry above any title or word, so searching for an advisory's
    id or any alias finds its page first."""
    return addnodes.index(
        entries=[("single", name, target, "main", None) for name in advisory.ids]
    )


class AdvisoryPage(AdvisoryDirective):
    """One advisory: every identifier, severity, versions, details as text."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        advisory = self.catalogue.find(self.arguments[0])
        if advisory is None:
            page = datanodes.section(self.arguments[0], "advisory", *self.notices())
            page += nodes.paragraph("", "This advisory is not in the data any more.")
            return [page]
        page = datanodes.section(
            f"{advisory.id}: {advisory.title}", nodes.make_id(f"advisory-{advisory.id}")
        )
        page += identifier_entries(advisory, page["ids"][0])
        page += withdrawn_banner(advisory)
        page += self.notices(self.catalogue.sources_of(advisory))
        page += defer("advisory-facts", advisory.id)
        page += datanodes.section(
            "Affected packages", "affected", defer("advisory-affected", advisory.id)
        )
        page += datanodes.section(
            "Details",
            "details",
            *(details_nodes(advisory) or [nodes.paragraph("", "No details given.")]),
        )
        page += self.extras(advisory)
        for section in page.findall(nodes.section):
            section["classes"].append("crosswork-advisory")
        return [page]

    def extras(self, advisory: Advisory) -> list[nodes.Node]:
        """Errata, notes, patches, references and credits, when there are any."""
        result: list[nodes.Node] = []
        if advisory.errata or advisory.errata_history:
            section = datanodes.section("Errata", "errata")
            section += plain_text(advisory.errata)
            if advisory.errata_history:
                section += datanodes.bullet_list(advisory.errata_history)
            result.append(section)
        if advisory.notes:
            notes = datanodes.section("Notes", "notes")
            for note in advisory.notes:
                notes += plain_text(note)
            result.append(notes)
        if advisory.patches:
            rows: list[list[datanodes.Cell]] = [
                [
                    patch.branch,
                    patch.product or "—",
                    patch.note or "—",
                    datanodes.external_link(
                        patch.link.text, patch.link.text, ADVISORY_HOSTS
                    ),
                ]
                for patch in advisory.patches
            ]
            result.append(
                datanodes.section(
                    "Patches",
                    "patches",
                    datanodes.table(["Branch", "Product", "Note", "Review"], rows),
                )
            )
        if advisory.references:
            entries = []
            for reference in advisory.references:
                entry = nodes.inline("", f"{reference.type}: ")
                entry += datanodes.external_link(
                    reference.text, reference.text, ADVISORY_HOSTS
                )
                entries.append(entry)
            result.append(
                datanodes.section(
                    "References", "references", datanodes.bullet_list(entries)
                )
            )
        if advisory.credits:
            result.append(
                datanodes.section(
                    "Credits", "credits", datanodes.bullet_list(advisory.credits)
                )
            )
        return result


@maker("advisory-facts")
def advisory_facts(
    env: BuildEnvironment, fromdoc: str, advisory_id: str
) -> list[nodes.Node]:
    """Identifiers, severity, dates and the records merged into the page."""
    advisory = catalogue_of(env).find(advisory_id)
    if advisory is None:  # Gone: see advisories_named.
        return []
    severity = nodes.inline("", "", severity_badge(advisory))
    if advisory.is_withdrawn:
        severity += nodes.Text(f" {advisory.severity.text}")
    else:
        severity += severity_detail(advisory)
    values: list[tuple[str, datanodes.Cell]] = [
        (
            "Identifiers",
            datanodes.join(
                nodes.inline(
                    "",
                    "",
                    datanodes.external_link(i, id_url(i) or "", ADVISORY_HOSTS),
                    classes=["crosswork-nowrap"],
                )
                for i in advisory.ids
            ),
        ),
        ("Severity", severity),
        ("Published", nowrap(day(advisory.published))),
        ("Last modified", nowrap(day(advisory.modified))),
    ]
    if advisory.withdrawn:
        values.append(("Withdrawn", nowrap(day(advisory.withdrawn))))
    databases = dict.fromkeys(
        f"{source.database} ({source.id})" for source in advisory.sources
    )
    values.append(("Records", ", ".join(databases)))
    fields = nodes.field_list(classes=["crosswork-advisory-facts"])
    for name, value in values:
        fields += nodes.field(
            "",
            nodes.field_name("", name),
            nodes.field_body("", datanodes.as_paragraph(value)),
        )
    return [fields]


@maker("advisory-affected")
def affected_packages(
    env: BuildEnvironment, fromdoc: str, advisory_id: str
) -> list[nodes.Node]:
    """A row per affected package, linked to its package page."""
    advisory = catalogue_of(env).find(advisory_id)
    if advisory is None:  # Gone: see advisories_named.
        return []
    rows: list[list[datanodes.Cell]] = []
    for package in advisory.affected:
        slug = package_slug(package.key)
        rows.append(
            [
                datanodes.doc_link(package.name, f"{PACKAGES}/{slug}", fromdoc)
                if slug
                else package.name,
                package.ecosystem,
                "; ".join(package.affected) or "not stated",
                ", ".join(package.fixed_in) or "—",
            ]
        )
    if not rows:
        return [nodes.paragraph("", "No package is named.")]
    return [
        datanodes.table(["Package", "Ecosystem", "Affected versions", "Fixed in"], rows)
    ]


# --- Charter pages -----------------------------------------------------------------


class open_bugs_link(nodes.General, nodes.Element):
    """A link to the charter's open bugs section, kept only if it exists."""


def charter_advisories(
    app: Sphinx, env: BuildEnvironment, workgroup: Workgroup
) -> list[nodes.section]:
    """Counts by year and severity, a chart, the latest advisories."""
    catalogue = catalogue_of(env)
    sources = catalogue.workgroup_sources.get(workgroup.slug)
    if not sources:
        return []
    section = datanodes.section(
        "Security advisories", "security-advisories", *notices(env, sources)
    )
    mine = catalogue.of_workgroup(workgroup.slug)
    live = [advisory for advisory in mine if not advisory.is_withdrawn]
    intro = nodes.paragraph(
        "",
        f"{advisories_noun(len(live))} from this workgroup's sources "
        "(withdrawn ones are not counted); see ",
    )
    intro += datanodes.doc_link("all advisories", f"{ADVISORIES}/index", env.docname)
    intro += nodes.Text(".")
    section += intro
    if live:
        section += year_chart_node(live, f"{workgroup.name}: advisories per year")
        section += counts_table(live)
        section += nodes.rubric("", "Latest advisories")
        section += datanodes.bullet_list(
            latest_entry(a, env.docname) for a in latest(live, LATEST)
        )
    link = open_bugs_link()
    link += nodes.paragraph("", "Open security bugs are listed under ")
    link[0] += nodes.reference("", "Open bugs", refid=OPEN_BUGS_ID, internal=True)
    link[0] += nodes.Text(" on this page.")
    section += link
    return [section]


def latest_entry(advisory: Advisory, fromdoc: str) -> nodes.paragraph:
    entry = nodes.paragraph("", "", advisory_link(advisory, fromdoc))
    entry += nodes.Text(f" ({day(advisory.date)}) {advisory.title} ")
    entry += severity_badge(advisory)
    return entry


def keep_open_bugs_link(app: Sphinx, doctree: nodes.document) -> None:
    """Link the open bugs section where the page has one; else say nothing."""
    has_section = any(
        OPEN_BUGS_ID in section["ids"] for section in doctree.findall(nodes.section)
    )
    for node in list(doctree.findall(open_bugs_link)):
        if has_section:
            node.replace_self(node.children)
        else:
            node.parent.remove(node)


# --- Roles -----------------------------------------------------------------------


class AdvisoryRole(SphinxRole):
    """``:advisory:`ID``` or ``:advisory:`text <ID>```, by any id or alias."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        _, title, target = split_explicit_title(self.text)
        catalogue = catalogue_of(self.env)
        notices(self.env, catalogue.sources)  # re-read when advisories change
        advisory = catalogue.find(target.strip())
        if advisory is None:
            warn(
                "advisory-ref",
                f"no advisory {target.strip()!r} (write an id or alias)",
                self.get_location(),
            )
            return [nodes.literal(self.rawtext, title)], []
        return [advisory_link(advisory, self.env.docname, title)], []


class CveRole(SphinxRole):
    """``:cve:`CVE-2024-32498```: our advisory page if known, else cve.org."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        _, title, target = split_explicit_title(self.text)
        target = target.strip()
        if not CVE_ID.match(target):
            warn(
                "advisory-ref",
                f"{target!r} is not a CVE id (like CVE-2024-32498)",
                self.get_location(),
            )
            return [nodes.literal(self.rawtext, title)], []
        catalogue = catalogue_of(self.env)
        notices(self.env, catalogue.sources)
        advisory = catalogue.find(target)
        if advisory is not None:
            return [advisory_link(advisory, self.env.docname, title)], []
        url = f"https://www.cve.org/CVERecord?id={target}"
        return [datanodes.external_link(title, url, ADVISORY_HOSTS)], []


# --- Published files ---------------------------------------------------------------


def redirect_page(alias: str, primary: str, href: str) -> bytes:
    """A page that sends an alias's URL on to its advisory's page."""
    alias, primary, href = html.escape(alias), html.escape(primary), html.escape(href)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">\n'
        f"<title>{alias}: see {primary}</title>\n"
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        f'<link rel="canonical" href="{href}">\n'
        "</head><body>\n"
        f'<p>{alias} is an alias of <a href="{href}">{primary}</a>.</p>\n'
        "</body></html>\n"
    ).encode()


def alias_pages(app: Sphinx, catalogue: Catalogue) -> dict[Path, bytes]:
    """One redirect page per alias that is a strict id and names no page."""
    builder = app.builder
    primaries = {advisory.id.casefold() for advisory in catalogue.advisories}
    pages: dict[Path, bytes] = {}
    for advisory in catalogue.advisories:
        target = builder.get_target_uri(advisory_docname(advisory))
        for alias in advisory.aliases:
            if not is_valid_id(alias) or alias.casefold() in primaries:
                continue
            docname = f"{ADVISORIES}/{alias}"
            href = relative_uri(builder.get_target_uri(docname), target)
            path = Path(builder.get_outfilename(docname))  # type: ignore[attr-defined]
            pages[path] = redirect_page(alias, advisory.id, href)
    return pages


def publish(app: Sphinx, exception: BaseException | None) -> None:
    """The feeds, the JSON export and the alias pages, beside the HTML."""
    if not publishes(app, exception):
        return
    catalogue = catalogue_of(app.env)
    if catalogue.updated is None:
        return
    outdir = Path(app.outdir)
    if site_url(app.config):
        feed = atom_feed(
            catalogue.advisories,
            site_url=site_url(app.config),
            updated=catalogue.updated,
        )
        write_if_changed(outdir / FEED_FILE, feed)
        for slug, listed in packages_of(catalogue).items():
            feed = package_feed(
                listed,
                slug=slug,
                site_url=site_url(app.config),
                updated=catalogue.updated,
            )
            write_if_changed(outdir / package_feed_path(slug), feed)
    document = advisories_document(
        catalogue.advisories,
        updated=catalogue.updated,
        page_of=lambda advisory: page_url(app, advisory_docname(advisory)),
    )
    write_api(app, API_NAME, SCHEMA_VERSION, document)
    if app.builder.name in {"html", "dirhtml"}:  # one file per page
        for path, content in alias_pages(app, catalogue).items():
            write_if_changed(path, content)


def package_feed_path(slug: str) -> str:
    """A package's feed, beside its page."""
    return f"{PACKAGES}/{slug}.atom"


def feeds_of_page(app: Sphinx, pagename: str) -> list[Feed]:
    """The security section's pages announce the advisory feed; a package's
    page its own feed too, and an advisory's page the feeds of its packages."""
    if not (pagename.startswith(f"{SECTION}/") or pagename == "workgroups/security"):
        return []
    catalogue = catalogue_of(app.env)
    slugs: list[str] = []
    if pagename.startswith(f"{PACKAGES}/"):
        slug = pagename.removeprefix(f"{PACKAGES}/")
        slugs = [slug] if slug in packages_of(catalogue) else []  # not an index
    elif pagename.startswith(f"{ADVISORIES}/"):
        advisory = catalogue.find(pagename.removeprefix(f"{ADVISORIES}/"))
        if advisory is not None and advisory_docname(advisory) == pagename:
            # Every package with a slug has its page (see packages_of).
            slugs = [package_slug(package.key) for package in advisory.affected]
    return [Feed(FEED_FILE, "Security advisories (Atom)")] + [
        Feed(package_feed_path(slug), f"Advisories for {slug} (Atom)")
        for slug in dict.fromkeys(slugs)
        if slug
    ]


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("crosswork.site.pagedata")
    app.setup_extension("crosswork.site.feeds")
    add_kind(app, RECORD)
    app.connect(PAGE_FEEDS_EVENT, feeds_of_page)
    app.add_node(open_bugs_link)
    app.add_directive("security-overview", SecurityOverview)
    app.add_directive("advisory-index", AdvisoryIndex)
    app.add_directive("advisory-year", AdvisoryYear)
    app.add_directive("advisory-part", AdvisoryPart)
    app.add_directive("advisory-packages", AdvisoryPackages)
    app.add_directive("advisory-package", AdvisoryPackage)
    app.add_directive("advisory-severity", AdvisorySeverity)
    app.add_directive("advisory", AdvisoryPage)
    app.add_role("advisory", AdvisoryRole())
    # Replaces Sphinx's own :cve: role: a known CVE links to our advisory page.
    app.add_role("cve", CveRole(), override=True)
    app.connect(SECTIONS_EVENT, generate_section)
    app.connect("env-get-outdated", keep_renewed_catalogue)
    app.connect(CHARTER_SECTIONS_EVENT, charter_advisories)
    app.connect("doctree-read", keep_open_bugs_link)
    app.connect("build-finished", publish)
    app.add_css_file("advisories.css")
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
