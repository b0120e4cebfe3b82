"""Sphinx configuration of the crosswork site.

Build with ``make docs`` (offline): sources are ``doc/source``, this file is
the configuration (``-c .``), and the output goes to ``build/html``.
"""

import os

from crosswork import __version__

project = "crosswork"
author = "The crosswork workgroups"
copyright = "crosswork contributors; content under CC-BY 4.0"  # noqa: A001
version = release = __version__

extensions = [
    "crosswork",
    "sphinx.ext.autodoc",
    "sphinx_autodoc_typehints",
]

root_doc = "index"
exclude_patterns = ["_build"]
templates_path: list[str] = []
nitpicky = True
# Third-party types in signatures of the extension reference: the build is
# offline, so there is no inventory to resolve them against.
nitpick_ignore_regex = [
    (r"py:.*", r"(docutils|sphinx|jsonschema|yaml|requests|urllib3|icalendar)\..*"),
    (r"py:.*", r"(packaging|cvss|feedgen|lxml|jinja2)\..*"),
    (r"py:.*", r"(pathlib|datetime|enum|collections|typing|argparse|re)\..*"),
    (r"py:.*", r"(concurrent|http)\..*"),
    (r"py:.*", r"(nodes|addnodes)\..*"),
    (r"py:.*", r"[A-Z][A-Za-z]*"),  # bare names left by postponed annotations
    (r"py:.*", r"crosswork\..*"),
]

# The typehints extension re-executes TYPE_CHECKING imports to resolve
# names; one of them fails inside that extension (not at import), which
# only costs a link in a signature of the extension reference.
suppress_warnings = ["sphinx_autodoc_typehints.guarded_import"]

autodoc_member_order = "bysource"
# Inherited docstrings use the roles of their own projects' documentation.
autodoc_inherit_docstrings = False
autodoc_typehints = "description"
always_document_param_types = False
typehints_fully_qualified = False

# The published site's address: feeds and calendars need absolute links.
html_baseurl = os.environ.get("CROSSWORK_SITE_URL", "")
# Where a repository path shows its file, for the "Edit" link of each page
# (charter and spec pages link to their YAML and spec files). Unset: no
# edit links.
crosswork_repository_url = os.environ.get("CROSSWORK_REPOSITORY_URL", "")

html_theme = "pydata_sphinx_theme"
html_title = "crosswork"
html_static_path: list[str] = []
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
# Navigation stays per section: the header lists the top-level sections and
# the sidebar shows one level of the current section (crosswork's own
# component), so writing a page costs the same whatever the site's size.
html_theme_options = {
    "navigation_depth": 2,
    "collapse_navigation": True,
    "show_nav_level": 1,
    "header_links_before_dropdown": 6,
    "navbar_align": "left",
    "show_toc_level": 2,
    # The edit link shows only on pages that have a source file in the
    # repository, and only with crosswork_repository_url set.
    "secondary_sidebar_items": ["page-toc", "crosswork-edit-link"],
    "footer_start": ["copyright"],
    "footer_end": [],
}
# The theme's script expects a colour mode on a first visit; without one
# it logs an error on every page.
html_context = {"default_mode": "auto"}
html_sidebars = {
    "index": [],
    "**": ["crosswork-section-nav.html"],
}
