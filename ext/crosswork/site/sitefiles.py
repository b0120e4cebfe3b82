"""The files at the root of the site: ``sitemap.xml``, ``robots.txt``, ``404.html``.

When the build has written its pages, the sitemap lists every page of a
document by its absolute address, and ``robots.txt`` points at it; without
a site address (``html_baseurl``, from ``CROSSWORK_SITE_URL``) there is no
sitemap, and ``robots.txt`` names none. Both are written only when their
bytes change. ``404.html`` is the page the web server shows for a missing
address: a search field and the site's sections. With a site address its
``<base>`` is the site's root, so its styles, scripts and links work at
whatever depth the missing address was.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crosswork import __version__
from crosswork.atomicfile import write_if_changed
from crosswork.site.feeds import absolute, site_url
from crosswork.site.publication import WEB_BUILDERS, publishes
from crosswork.site.sitemap import ROBOTS_FILE, SITEMAP_FILE, robots_txt, sitemap_xml

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

#: The page of a missing address, and its template.
NOT_FOUND = "404"
NOT_FOUND_TEMPLATE = "crosswork-404.html"


def sections(app: Sphinx) -> list[dict[str, str]]:
    """The site's top-level sections: the root document's toctree entries."""
    root = app.config.root_doc
    return [
        {"docname": docname, "title": app.env.titles[docname].astext()}
        for docname in app.env.toctree_includes.get(root, [])
        if docname in app.env.titles
    ]


def collect_not_found(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    if app.builder.name in WEB_BUILDERS:
        context = {"title": "Page not found", "crosswork_sections": sections(app)}
        yield NOT_FOUND, context, NOT_FOUND_TEMPLATE


def root_the_not_found_page(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """The 404 page resolves its addresses from the site's root, and claims none."""
    if pagename != NOT_FOUND or templatename != NOT_FOUND_TEMPLATE:
        return
    context["pageurl"] = None
    if site_url(app.config):
        base = f'\n<base href="{html.escape(absolute(app, ""), quote=True)}">'
        context["metatags"] = base + context.get("metatags", "")


def write_sitemap(app: Sphinx, exception: BaseException | None) -> None:
    if not publishes(app, exception):
        return
    outdir = Path(app.outdir)
    sitemap = None
    if site_url(app.config):
        pages = (app.builder.get_target_uri(doc) for doc in sorted(app.env.all_docs))
        sitemap = absolute(app, SITEMAP_FILE)
        xml = sitemap_xml(absolute(app, page) for page in pages)
        write_if_changed(outdir / SITEMAP_FILE, xml.encode())
    else:
        (outdir / SITEMAP_FILE).unlink(missing_ok=True)
    write_if_changed(outdir / ROBOTS_FILE, robots_txt(sitemap).encode())


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("html-collect-pages", collect_not_found)
    # After the head's handler (990), so that <base> comes first in the head.
    app.connect("html-page-context", root_the_not_found_page, priority=995)
    app.connect("build-finished", write_sitemap)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
