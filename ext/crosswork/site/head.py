"""Every page's head: description, preview card, favicon, security policy.

At ``html-page-context``, after every other handler, each page gets

* ``<meta name="description">`` and the OpenGraph tags (``og:title``,
  ``og:description``, ``og:type``, ``og:site_name``, and ``og:url`` when
  the site has an address), from the page's title and its summary
  (:func:`crosswork.site.summary.page_summary`), escaped as attribute
  values: data never becomes markup;
* with the published theme, ``<meta http-equiv="Content-Security-Policy">``
  with the hashes of the page's own inline scripts
  (:mod:`crosswork.site.csp`), first in the head so that it covers
  everything after it.

The theme's colour mode defaults to ``auto`` (the theme warns in the
browser's console when the mode is empty), and the favicon is the site's
own unless the project sets ``html_favicon``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crosswork import __version__
from crosswork.site.csp import page_policy
from crosswork.site.feeds import site_url
from crosswork.site.pagedata import STATIC
from crosswork.site.summary import page_summary, trim

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

FAVICON = STATIC / "crosswork-favicon.svg"

#: The published theme, and the templates that take its inline scripts out
#: of its layout. Other themes write inline scripts from their templates
#: that the policy does not know: their pages get no policy.
POLICY_THEME = "pydata_sphinx_theme"
POLICY_TEMPLATES = Path(__file__).parent / "templates" / "pydata"

#: Summaries of the pages that are not written from a document.
SPECIAL_SUMMARIES = {
    "404": "There is no page at this address: search the site or start from "
    "one of its sections.",
    "search": "Search every page of the site.",
    "genindex": "The index of the terms and names used on the site.",
}

_TAG = re.compile(r"<[^>]*>")


def configure(app: Sphinx, config: Config) -> None:
    """The site's favicon unless the project has one; the theme's layout
    without inline scripts (a new list: see
    :func:`crosswork.site.sphinxext.check_config`)."""
    if not config.html_favicon:
        config.html_favicon = str(FAVICON)
    if config.html_theme == POLICY_THEME:
        config.templates_path = [*config.templates_path, str(POLICY_TEMPLATES)]


def inline_scripts(context: dict[str, Any]) -> list[str]:
    """The bodies of the inline scripts Sphinx writes into the page, verbatim."""
    scripts = context.get("script_files", [])
    return [
        script.attributes.get("body", "")
        for script in scripts
        if not isinstance(script, str) and not script.filename
    ]


def page_title(app: Sphinx, pagename: str, context: dict[str, Any]) -> str:
    """The page's title as plain text."""
    if pagename in app.env.titles:
        return app.env.titles[pagename].astext()
    return html.unescape(_TAG.sub("", context.get("title") or "")).strip()


def meta(attribute: str, name: str, content: str) -> str:
    return f'<meta {attribute}="{name}" content="{html.escape(content, quote=True)}">'


def head_tags(
    app: Sphinx, pagename: str, context: dict[str, Any], summary: str
) -> list[str]:
    title = page_title(app, pagename, context) or app.config.project
    tags = []
    if app.config.html_theme == POLICY_THEME:
        policy = page_policy(inline_scripts(context))
        tags.append(meta("http-equiv", "Content-Security-Policy", policy))
    if summary:
        tags.append(meta("name", "description", summary))
    tags += [
        meta("property", "og:title", title),
        meta("property", "og:type", "website"),
        meta("property", "og:site_name", app.config.project),
    ]
    if summary:
        tags.append(meta("property", "og:description", summary))
    if site_url(app.config) and pagename in app.env.all_docs:
        tags.append(meta("property", "og:url", context["pageurl"]))
    return tags


def add_head(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    if app.builder.format != "html":
        return
    if not context.get("default_mode"):
        context["default_mode"] = "auto"
    if doctree is not None:
        summary = page_summary(doctree)
    else:
        summary = trim(SPECIAL_SUMMARIES.get(pagename, ""))
    tags = head_tags(app, pagename, context, summary)
    context["metatags"] = "".join(f"\n{tag}" for tag in tags) + context.get(
        "metatags", ""
    )


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("config-inited", configure)
    # After every other handler: the theme adds inline scripts in its own.
    app.connect("html-page-context", add_head, priority=990)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
