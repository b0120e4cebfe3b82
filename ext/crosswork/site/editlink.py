"""The "Edit" link of each page: to the file a contributor changes.

A charter page is generated from ``workgroups/<slug>.yaml`` and a spec page
from ``specs/<cycle>/<slug>.rst``, so their links go to those files, never
to the generated stub; a hand-written page links to itself. Pages made from
the snapshot alone (indexes, matrices, advisories) have no file to edit and
no link. Without ``crosswork_repository_url`` no page has one: an edit link
is never a placeholder.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from crosswork.site.data import SiteData, site_data
from crosswork.site.pages import is_generated
from crosswork.site.warnings import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


def source_path(docname: str, doc_file: Path, site: SiteData) -> str | None:
    """The repository path of the file a contributor edits to change a page.

    None for a page generated from data alone, and for a page whose source
    is not inside the repository (``crosswork_root``).
    """
    for workgroup in site.registry:
        if docname == f"workgroups/{workgroup.slug}":
            return workgroup.source
    for spec in site.specs:
        if docname == f"specs/{spec.cycle}/{spec.slug}":
            return spec.path
    if not doc_file.is_file() or is_generated(doc_file):
        return None
    try:
        return doc_file.resolve().relative_to(site.layout.root).as_posix()
    except ValueError:
        return None


def edit_url(repository_url: str, path: str) -> str:
    """``path`` under the repository's address for files (no slash doubled)."""
    return f"{repository_url.rstrip('/')}/{path}"


def check_repository_url(app: Sphinx, config: Config) -> None:
    """Only an https address may become a link; anything else turns it off."""
    url = config.crosswork_repository_url
    if url and not url.startswith("https://"):
        warn(
            "config",
            f"crosswork_repository_url must be an https:// address, got {url!r}: "
            "pages have no edit link",
        )
        config.crosswork_repository_url = ""


def add_edit_link(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: object,
) -> None:
    """Give the ``crosswork-edit-link.html`` component its address and label.

    The component renders nothing without them, so a theme that leaves out
    empty sidebar components (pydata's does) leaves it out.
    """
    context["crosswork_edit_url"] = ""
    base = app.config.crosswork_repository_url
    if not base or pagename not in app.env.all_docs:
        return
    path = source_path(pagename, Path(app.env.doc2path(pagename)), site_data(app.env))
    if path is not None:
        context["crosswork_edit_url"] = edit_url(base, path)
        context["crosswork_edit_label"] = f"Edit {Path(path).name}"


def setup(app: Sphinx) -> None:
    app.add_config_value(
        "crosswork_repository_url",
        "",
        "html",
        types=frozenset({str}),
        description=(
            "The https address under which a repository path shows its file, "
            "such as https://opendev.org/openstack/crosswork/src/branch/master; "
            "empty: no edit links."
        ),
    )
    app.connect("config-inited", check_repository_url)
    # Before the theme's handlers (default priority 500): pydata drops a
    # sidebar component that renders empty when it sets up the page.
    app.connect("html-page-context", add_edit_link, priority=450)
