"""The site core: the Sphinx layer shared by every page and data kind.

``sphinxext`` is the site extension (charters, specs, generated sections,
safety); ``pagedata`` is the data layer any page reads snapshot data
through, usable on its own; ``data`` loads the site's contributor files
without Sphinx.
"""
