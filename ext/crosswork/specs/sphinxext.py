"""Spec pages: one page per spec, indexes, the ``:spec:`` role, specs.json.

Spec pages are stubs that include the spec file itself, so docutils reports
its problems at the spec's own lines. After reading, the spec's metadata
field list is replaced by the validated metadata (badge, fields, and a
banner on dead specs), rendered from the linter's model, never from markup.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.domains import Domain
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

from crosswork import __version__
from crosswork.feeds import FeedEntry, atom
from crosswork.fetch.ledger import load_ledger
from crosswork.site import datanodes
from crosswork.site.api import page_url, write_api
from crosswork.site.data import SiteData, site_data
from crosswork.site.feeds import (
    FEEDS_OFF,
    PAGE_FEEDS_EVENT,
    Feed,
    absolute,
    page_address,
    site_url,
)
from crosswork.site.pagedata import CHARTER_SECTIONS_EVENT, SECTIONS_EVENT, data_state
from crosswork.site.pages import include, stub, toctree, write_if_changed
from crosswork.site.publication import publishes
from crosswork.site.warnings import warn
from crosswork.specs import feeds as spec_feeds
from crosswork.specs.board import proposals_of, spec_json
from crosswork.specs.boardnodes import Board, board_sections, progress_block
from crosswork.specs.ledger import events
from crosswork.specs.model import DEAD_STATUSES, STATUSES, Spec
from crosswork.workgroups.model import Workgroup

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

    from crosswork.specs.progress import Proposal

#: ``api/specs.json``'s shape version (3: the shared keys, and ``page`` for ``url``).
API_VERSION = 3


def spec_docname(spec: Spec) -> str:
    return f"specs/{spec.cycle}/{spec.slug}"


def cycles(site: SiteData) -> list[str]:
    """Cycles with specs, newest first."""
    return sorted({spec.cycle for spec in site.specs}, reverse=True)


def spec_pages(app: Sphinx, site: SiteData) -> dict[str, dict[str, str]]:
    """The stub pages of the ``specs`` section."""
    folder = Path(app.srcdir) / "specs"
    pages = {
        "index.rst": stub(
            ".. spec-index::", *toctree(f"{cycle}/index" for cycle in cycles(site))
        )
    }
    for cycle in cycles(site):
        slugs = sorted(spec.slug for spec in site.specs if spec.cycle == cycle)
        pages[f"{cycle}/index.rst"] = stub(f".. spec-cycle:: {cycle}", *toctree(slugs))
    for spec in site.specs:
        page = folder / spec.cycle / f"{spec.slug}.rst"
        pages[f"{spec.cycle}/{spec.slug}.rst"] = stub(
            include(site.path(spec.path), page)
        )
    return {"specs": pages}


def spec_link(spec: Spec, fromdoc: str, label: str | None = None) -> nodes.Node:
    return datanodes.doc_link(label or spec.title, spec_docname(spec), fromdoc)


def by_status(specs: list[Spec]) -> list[tuple[str, list[Spec]]]:
    """Specs grouped by status, in lifecycle order, empty groups left out."""
    return [
        (status, [spec for spec in specs if spec.status == status])
        for status in STATUSES
        if any(spec.status == status for spec in specs)
    ]


class SpecDirective(datanodes.DataDirective):
    @property
    def site(self) -> SiteData:
        return site_data(self.env)

    def depend_on(self, specs: list[Spec]) -> None:
        for spec in specs:
            self.env.note_dependency(str(self.site.path(spec.path)))


class SpecIndex(SpecDirective):
    """Every spec: counts by cycle and status, then the specs by status."""

    def run(self) -> list[nodes.Node]:
        specs = list(self.site.specs)
        self.depend_on(specs)
        page = datanodes.section("Design specs", "design-specs")
        page += nodes.paragraph(
            "",
            "Workgroups change the community through design specs, proposed and "
            "reviewed as code changes. A spec's status lives in its metadata.",
        )
        page += feeds_paragraph(self.config, "", "every spec")
        page += self.counts(specs)
        board = Board(self.env)
        page.extend(board_sections(board, specs, board.proposals(), self.env.docname))
        for status, group in by_status(specs):
            section = datanodes.section(status.capitalize(), f"status-{status}")
            section += spec_table(group, self.env.docname, self.site)
            page += section
        return [page]

    def counts(self, specs: list[Spec]) -> nodes.table:
        statuses = [status for status, _ in by_status(specs)]
        count = Counter((spec.cycle, spec.status) for spec in specs)
        rows: list[list[datanodes.Cell]] = []
        for cycle in cycles(self.site):
            cycle_link = datanodes.doc_link(
                cycle, f"specs/{cycle}/index", self.env.docname
            )
            numbers = [str(count[cycle, status]) for status in statuses]
            total = sum(count[cycle, status] for status in statuses)
            rows.append([cycle_link, *numbers, str(total)])
        totals = [str(sum(count[c, s] for c in cycles(self.site))) for s in statuses]
        rows.append(["All cycles", *totals, str(len(specs))])
        return datanodes.table(
            ["Cycle", *statuses, "total"], rows, classes=["crosswork-counts"]
        )


class SpecCycle(SpecDirective):
    """The specs of one release cycle."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        cycle = self.arguments[0]
        specs = [spec for spec in self.site.specs if spec.cycle == cycle]
        self.depend_on(specs)
        page = datanodes.section(f"Specs for {cycle}", f"specs-{cycle}")
        page += spec_table(specs, self.env.docname, self.site)
        return [page]


def spec_table(specs: list[Spec], fromdoc: str, site: SiteData) -> nodes.table:
    rows: list[list[datanodes.Cell]] = []
    for spec in specs:
        workgroup = site.registry.workgroups.get(spec.workgroup)
        rows.append(
            [
                spec_link(spec, fromdoc),
                datanodes.badge(spec.status, spec.status),
                datanodes.doc_link(
                    workgroup.name, f"workgroups/{spec.workgroup}", fromdoc
                )
                if workgroup
                else spec.workgroup,
                spec.cycle,
                ", ".join(author_name(author) for author in spec.authors),
            ]
        )
    return datanodes.table(
        ["Spec", "Status", "Workgroup", "Cycle", "Authors"],
        rows,
        classes=["crosswork-specs"],
    )


def author_name(author: str) -> str:
    """An author as an index lists them: the name, not the address."""
    return author.split("<", 1)[0].strip()


def charter_specs(
    app: Sphinx, env: BuildEnvironment, workgroup: Workgroup
) -> list[nodes.section]:
    """The "Design specs" section of a charter page, by status."""
    site = site_data(env)
    specs = site.specs_of(workgroup.slug)
    for spec in specs:
        env.note_dependency(str(site.path(spec.path)))
    section = datanodes.section("Design specs", "design-specs")
    if not specs:
        section += nodes.paragraph("", "This workgroup has no design spec yet.")
    for status, group in by_status(specs):
        section += nodes.rubric("", status.capitalize())
        section += datanodes.bullet_list(
            spec_entry(spec, env.docname) for spec in group
        )
    section += feeds_paragraph(
        app.config, workgroup.slug, f"the specs of {workgroup.name}"
    )
    board = Board(env)
    proposals = proposals_of(board.proposals(), workgroup.slug)
    section.extend(board_sections(board, specs, proposals, env.docname))
    return [section]


def spec_entry(spec: Spec, fromdoc: str) -> nodes.paragraph:
    entry = nodes.paragraph("", "", spec_link(spec, fromdoc))
    entry += nodes.Text(f" ({spec.cycle})")
    return entry


def metadata_block(spec: Spec, site: SiteData, docname: str) -> list[nodes.Node]:
    """The rendered metadata of a spec page: badge, fields, dead-spec banner."""
    fields = nodes.field_list(classes=["crosswork-spec-metadata"])

    def workgroup_link(slug: str) -> datanodes.Cell:
        workgroup = site.registry.workgroups.get(slug)
        if workgroup is None:
            return slug
        return datanodes.doc_link(workgroup.name, f"workgroups/{slug}", docname)

    values: list[tuple[str, datanodes.Cell]] = [
        ("Status", datanodes.badge(spec.status, spec.status)),
        ("Workgroup", workgroup_link(spec.workgroup)),
    ]
    if spec.participating:
        values.append(
            (
                "Participating",
                datanodes.join(workgroup_link(slug) for slug in spec.participating),
            )
        )
    values.append(("Authors", ", ".join(spec.authors)))
    for name, people in (("Reviewers", spec.reviewers), ("Approvers", spec.approvers)):
        if people:
            values.append((name, ", ".join(people)))
    values += [("Created", spec.created.isoformat()), ("Cycle", spec.cycle)]
    if spec.review:
        values.append(("Review", datanodes.external_link(spec.review, spec.review)))
    if spec.discussion:
        values.append(
            ("Discussion", datanodes.external_link(spec.discussion, spec.discussion))
        )
    if spec.tracking:
        values.append(
            (
                "Tracking",
                datanodes.join(datanodes.external_link(t, t) for t in spec.tracking),
            )
        )
    if spec.closes_gaps:
        # In words: "libvirt-xen against the reference in nova-2020: all gaps".
        targets = [
            f"{target.driver} against the reference in {target.track}: "
            + (", ".join(target.features) or "all gaps")
            for target in spec.closes_gaps
        ]
        values.append(("Closes gaps", "; ".join(targets)))
    if spec.implemented_in:
        values.append(("Implemented in", spec.implemented_in))
    related = [("Supersedes", spec_id) for spec_id in spec.supersedes]
    if spec.superseded_by:
        related.append(("Superseded by", spec.superseded_by))
    for name, spec_id in related:
        values.append((name, spec_reference(spec_id, docname)))
    for name, value in values:
        fields += nodes.field(
            "",
            nodes.field_name("", name),
            nodes.field_body("", datanodes.as_paragraph(value)),
        )
    return [*banner(spec, docname), fields]


def banner(spec: Spec, docname: str) -> list[nodes.Node]:
    if spec.status not in DEAD_STATUSES:
        return []
    note = nodes.admonition(classes=["crosswork-banner", "warning"])
    note += nodes.title("", spec.status.capitalize())
    text = nodes.paragraph("", f"This spec is {spec.status}")
    if spec.superseded_by:
        text += nodes.Text(": see ")
        text += spec_reference(spec.superseded_by, docname)
        text += nodes.Text(" instead.")
    else:
        text += nodes.Text(" and does not describe current or planned work.")
    note += text
    return [note]


def spec_reference(spec_id: str, docname: str) -> nodes.Node:
    """A ``:spec:`` reference built in code, resolved like the role's."""
    from sphinx.addnodes import pending_xref

    node = pending_xref(
        "",
        refdomain="crosswork",
        reftype="spec",
        reftarget=spec_id,
        refexplicit=False,
        refdoc=docname,
    )
    node += nodes.inline("", spec_id, classes=["xref", "crosswork-spec"])
    return node


def decorate_spec_page(app: Sphinx, doctree: nodes.document) -> None:
    """Replace a spec's metadata field list with the validated metadata."""
    docname = app.env.docname
    site = site_data(app.env)
    spec = site.specs_by_id.get(docname.removeprefix("specs/"))
    if spec is None or not docname.startswith("specs/"):
        return
    title_section = next(iter(doctree.findall(nodes.section)), None)
    if title_section is None:
        return
    field_list = next(
        (
            child
            for child in title_section.children
            if isinstance(child, nodes.field_list)
        ),
        None,
    )
    block = metadata_block(spec, site, docname)
    board = Board(app.env)
    block += progress_block(board.state(spec), board)
    if field_list is None:
        title_section.insert(1, block)
    else:
        field_list.replace_self(block)


class SpecRole(XRefRole):
    """``:spec:`2026.2/slug``` or ``:spec:`text <2026.2/slug>```."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        self.refdomain, self.reftype = "crosswork", "spec"
        self.classes = ["xref", "crosswork-spec"]
        return self.create_xref_node()


class CrossworkDomain(Domain):
    """Resolves references to specs; the data lives in the loaded site."""

    name = "crosswork"
    label = "crosswork"
    initial_data: ClassVar[dict[str, Any]] = {}

    def clear_doc(self, docname: str) -> None:
        pass  # nothing is stored per document

    def merge_domaindata(self, docnames: set[str], otherdata: dict[str, Any]) -> None:
        pass  # nothing is stored per document

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.Node | None:
        spec = site_data(env).specs_by_id.get(target)
        if spec is None:
            warn("spec-ref", f"no spec {target!r} (write :spec:`cycle/slug`)", node)
            return contnode
        label = contnode if node.get("refexplicit") else nodes.inline("", spec.title)
        return make_refnode(
            builder, fromdocname, spec_docname(spec), None, label, spec.title
        )

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.Node]]:
        spec = site_data(env).specs_by_id.get(target)
        if spec is None:
            return []
        refnode = make_refnode(
            builder, fromdocname, spec_docname(spec), None, contnode, spec.title
        )
        return [("crosswork:spec", refnode)]


def publish(app: Sphinx, exception: BaseException | None) -> None:
    """Publish ``api/specs.json`` and, with a site address, the spec feeds."""
    if not publishes(app, exception):
        return
    site = site_data(app.env)
    board = Board(app.env, for_page=False)
    proposals = board.proposals()
    write_specs_api(app, site, board, proposals)
    if site_url(app.config):
        write_feeds(app, site, proposals)


def write_specs_api(
    app: Sphinx, site: SiteData, board: Board, proposals: list[Proposal]
) -> None:
    records = [
        spec_json(spec, board.state(spec), page_url(app, spec_docname(spec)))
        for spec in site.specs
    ]
    under_review = [
        {
            **proposal.to_json(),
            "page": page_url(app, f"specs/{proposal.spec_id}")
            if proposal.spec_id in site.specs_by_id
            else page_url(app, "specs/index"),
        }
        for proposal in proposals
    ]
    write_api(
        app, "specs", API_VERSION, {"specs": records, "under_review": under_review}
    )


def write_feeds(app: Sphinx, site: SiteData, proposals: list[Proposal]) -> None:
    """The site's spec feed and one per workgroup, dated by their newest entry."""
    state = data_state(app.env)
    ledger = load_ledger(state.folder) if state.folder else {}
    happened = events(ledger, site.specs)
    index = page_address(app, "specs/index")

    def spec_address(spec_id: str) -> str:
        return page_address(app, f"specs/{spec_id}")

    def entries(workgroup: str = "") -> list[FeedEntry]:
        return spec_feeds.feed_entries(
            happened,
            proposals,
            site.specs_by_id,
            page_url=spec_address,
            index_url=index,
            workgroup=workgroup,
        )

    everything = entries()
    updated = spec_feeds.newest(everything)
    if updated is None:
        return
    feeds = [(spec_feeds.SITE_FEED, "Design specs", index, everything, "crosswork")]
    for workgroup in site.registry.workgroups.values():
        feeds.append(
            (
                spec_feeds.WORKGROUP_FEED.format(workgroup=workgroup.slug),
                f"Design specs of {workgroup.name}",
                page_address(app, f"workgroups/{workgroup.slug}"),
                entries(workgroup.slug),
                workgroup.name,
            )
        )
    for path, title, page, chosen, author in feeds:
        document = atom(
            chosen,
            feed_url=absolute(app, path),
            page_url=page,
            title=title,
            author=author,
            updated=spec_feeds.newest(chosen) or updated,
        )
        write_if_changed(Path(app.outdir, path), document)


def feeds_of_page(app: Sphinx, pagename: str) -> list[Feed]:
    """Spec pages and the specs index link the site's feed; spec and
    charter pages link their workgroup's."""
    site = site_data(app.env)
    every = Feed(spec_feeds.SITE_FEED, "Design specs (Atom)")
    if pagename.startswith("specs/") and pagename.endswith("index"):
        return [every]
    spec = site.specs_by_id.get(pagename.removeprefix("specs/"))
    slug = spec.workgroup if spec and pagename.startswith("specs/") else ""
    if not slug and pagename.startswith("workgroups/"):
        slug = pagename.removeprefix("workgroups/")
    workgroup = site.registry.workgroups.get(slug)
    if workgroup is None:
        return []
    own = Feed(
        spec_feeds.WORKGROUP_FEED.format(workgroup=slug),
        f"Design specs of {workgroup.name} (Atom)",
    )
    return [every, own] if spec else [own]


def feeds_paragraph(config: Config, workgroup: str, what: str) -> nodes.paragraph:
    """Where to follow spec events, or why this build has no feed."""
    if not site_url(config):
        return nodes.paragraph("", FEEDS_OFF, classes=["crosswork-feeds"])
    path = (
        spec_feeds.WORKGROUP_FEED.format(workgroup=workgroup)
        if workgroup
        else spec_feeds.SITE_FEED
    )
    paragraph = nodes.paragraph(
        "",
        f"Follow {what} (new specs, proposals, approvals, implementations) with the ",
        classes=["crosswork-feeds"],
    )
    paragraph += datanodes.asset_link("Atom feed", path)
    paragraph += nodes.Text(".")
    return paragraph


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("crosswork.workgroups.sphinxext")
    app.add_domain(CrossworkDomain)
    app.add_role("spec", SpecRole())
    app.add_directive("spec-index", SpecIndex)
    app.add_directive("spec-cycle", SpecCycle)
    app.connect(SECTIONS_EVENT, spec_pages)
    app.connect("doctree-read", decorate_spec_page)
    app.connect(CHARTER_SECTIONS_EVENT, charter_specs)
    app.connect("build-finished", publish)
    app.setup_extension("crosswork.site.feeds")
    app.connect(PAGE_FEEDS_EVENT, feeds_of_page)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
