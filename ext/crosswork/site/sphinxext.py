"""The site extension: configuration, contributor files, generated pages, safety.

At ``builder-inited`` it loads and validates the charters, the specs and
the repository files that tracks name (:func:`crosswork.site.data.load_site`,
the same checks as ``crosswork lint``, reported as typed, located
warnings), attaches the data snapshot (:mod:`crosswork.site.pagedata`,
fetching it first in live mode), then writes the stub pages of the
generated sections that capabilities return for
``crosswork-generated-sections``. At ``doctree-resolved`` it removes unsafe
markup from every page. At ``write-started`` it gives the search index back
the index entries of the pages an incremental build does not rewrite.
"""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from docutils import nodes
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from crosswork import __version__
from crosswork.diagnostics import CODES, Code, has_errors
from crosswork.layout import Layout
from crosswork.links import has_safe_scheme
from crosswork.lintcache import LintCache
from crosswork.site import datanodes, editlink
from crosswork.site.data import load_site, remember, site_data
from crosswork.site.navigation import add_section_nav
from crosswork.site.pagedata import SECTIONS_EVENT, attach_snapshot, kinds_of
from crosswork.site.pages import sync_folder
from crosswork.site.searchindex import SearchEnglish, seed_index_entries
from crosswork.site.status import setup_status
from crosswork.site.warnings import report, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

TEMPLATES = Path(__file__).parent / "templates"

logger = logging.getLogger("crosswork")


#: Exit status of a build stopped by data it cannot be built from.
EXIT_INVALID = 2


class InvalidSiteData(SystemExit):
    """The site cannot be built from its files: the build stops here.

    Raised by :func:`stop` once every finding is logged, located, and the
    summary after them. It is a :class:`SystemExit` so that ``sphinx-build``
    ends with those lines and exit status 2 (``EXIT_INVALID``): since Sphinx
    8.2 the command shows any exception it catches, a ``SphinxError`` too,
    as a crash (version table, traceback, a request to report a Sphinx bug;
    sphinx-doc/sphinx#14543), and it does not catch ``SystemExit``.
    """

    def __init__(self, message: str) -> None:
        super().__init__(EXIT_INVALID)
        self.message = message

    def __str__(self) -> str:
        return self.message


def stop(message: str) -> NoReturn:
    """End the build: ``message`` as its last line, then :class:`InvalidSiteData`."""
    logger.error("build stopped: %s", message)
    raise InvalidSiteData(message)


def layout_of(app: Sphinx) -> Layout:
    root = Path(app.confdir, app.config.crosswork_root).resolve()
    return Layout(
        root,
        workgroups_dir=app.config.crosswork_workgroups_dir,
        specs_dir=app.config.crosswork_specs_dir,
    )


def check_config(app: Sphinx, config: Config) -> None:
    """Add the package's templates to the configuration.

    The list is replaced, not appended to: an unset option's value is the
    default list that every later app in the process shares, and a path
    added there twice changes the HTML configuration hash, so the next build
    rewrites every page.
    """
    config.templates_path = [*config.templates_path, str(TEMPLATES)]
    app.add_css_file("crosswork.css")


def check_section_folder(folder: Path, layout: Layout) -> None:
    """A generated section must not be, or hold, a folder of site data."""
    for data in (layout.root, layout.workgroups, layout.specs):
        if folder.resolve() == data or folder.resolve() in data.parents:
            stop(
                f"the generated section {folder} would overwrite the data in "
                f"{data}: set crosswork_root to another folder"
            )


#: Charters, the template and spec lint results kept between builds, in the
#: doctree folder (:mod:`crosswork.lintcache`).
LINT_CACHE = "crosswork-lint.pickle"


def load_and_generate(app: Sphinx) -> None:
    cache_file = Path(app.doctreedir) / LINT_CACHE
    cache = LintCache.load(cache_file)
    site = load_site(layout_of(app), dt.date.today(), kinds_of(app), cache)
    cache.save(cache_file)
    for subtype, found in (
        ("charter", site.charter_problems),
        ("spec", site.spec_problems),
        ("track-file", site.track_file_problems),
    ):
        for diagnostic in found:
            report(subtype, diagnostic)
    # A broken charter or spec cannot be rendered; a track's file shows its
    # findings on its page instead (and -W still fails on them).
    problems = site.charter_problems + site.spec_problems
    if has_errors(problems):
        files = len({d.path for d in problems})
        stop(
            f"{len(problems)} problem(s) in {files} charter and spec file(s), "
            "listed above; `crosswork lint` shows the same"
        )
    remember(app.env, site)
    attach_snapshot(app, site.registry, site.specs)
    srcdir = Path(app.srcdir)
    for sections in app.events.emit(SECTIONS_EVENT, site):
        for name, pages in sections.items():
            check_section_folder(srcdir / name, site.layout)
            sync_folder(srcdir / name, pages)


def sanitize(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Drop raw markup and links with unsafe schemes (defence in depth).

    A link with an unsafe scheme becomes its text: a reference without a
    target would stop the HTML writer (it asserts that every reference has
    ``refuri`` or ``refid``).
    """
    for node in list(doctree.findall(nodes.raw)):
        if not node.get("crosswork_trusted"):
            warn("sanitize", "raw markup removed", node)
            node.parent.remove(node)
    for node in list(doctree.findall(nodes.reference)):
        uri = node.get("refuri")
        if uri is not None and not has_safe_scheme(uri):
            warn("sanitize", f"link with unsafe scheme removed: {uri!r}", node)
            node.replace_self(nodes.inline(node.rawsource, "", *node.children))


def resolve_assets(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Make links to published files relative to the page that shows them."""
    page = app.builder.get_target_uri(docname)
    for node in doctree.findall(nodes.reference):
        if "crosswork_asset" in node:
            node["refuri"] = relative_uri(page, node["crosswork_asset"])


class LintCodes(datanodes.DataDirective):
    """The table of every registered diagnostic code, by family."""

    #: Modules of the core that register codes when imported; each data
    #: kind names its own in its record.
    checkers = (
        "crosswork.contributorfiles",
        "crosswork.safeyaml",
        "crosswork.workgroups.registry",
        "crosswork.specs.lint",
        "crosswork.publish",
    )

    def run(self) -> list[nodes.Node]:
        kinds = site_data(self.env).kinds
        for module in (*self.checkers, *(m for k in kinds for m in k.checkers)):
            importlib.import_module(module)
        families: dict[str, list[Code]] = {}
        for code in sorted(CODES.values(), key=lambda c: c.code):
            families.setdefault(code.family, []).append(code)
        result: list[nodes.Node] = []
        for family, codes in families.items():
            result.append(nodes.rubric("", family))
            rows = [[nodes.literal("", c.code), c.summary] for c in codes]
            result.append(datanodes.table(["Code", "Meaning"], rows))
        return result


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("crosswork.site.pagedata")
    app.setup_extension("crosswork.site.head")
    app.setup_extension("crosswork.site.sitefiles")
    app.setup_extension("crosswork.site.writetime")
    app.setup_extension("crosswork.site.publication")
    app.setup_extension("crosswork.site.templatecache")
    app.setup_extension("crosswork.site.garbage")
    app.setup_extension("crosswork.site.rstparser")
    app.setup_extension("crosswork.site.deferred")
    app.add_config_value(
        "crosswork_workgroups_dir",
        "workgroups",
        "env",
        types=frozenset({str}),
        description="The folder of workgroup charters, inside crosswork_root.",
    )
    app.add_config_value(
        "crosswork_specs_dir",
        "specs",
        "env",
        types=frozenset({str}),
        description="The folder of design specs, inside crosswork_root.",
    )
    app.add_directive("crosswork-lint-codes", LintCodes)
    editlink.setup(app)
    setup_status(app)
    app.connect("config-inited", check_config)
    app.connect("html-page-context", add_section_nav)
    app.connect("builder-inited", load_and_generate)
    app.connect("write-started", seed_index_entries)
    app.add_search_language(SearchEnglish)
    app.connect("doctree-resolved", resolve_assets)
    # Sphinx internals: the sanitizer runs after every other doctree-resolved
    # handler (default priority 500), so nothing they add escapes it.
    app.connect("doctree-resolved", sanitize, priority=900)
    return {
        "version": __version__,
        "env_version": 3,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
