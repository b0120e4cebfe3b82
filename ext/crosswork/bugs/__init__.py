"""Bug dashboards: lists, summaries, triage queues and charts of bug tracks.

The fetch step (:mod:`crosswork.fetch.bugs`) stores each bug track of a
charter as a snapshot; this package renders them. ``vocabulary`` holds the
trackers' status and importance orders, ``tracks`` the tracks charters
declare, ``select`` filters, sorts and picks the triage queue, ``summary``
counts, ``figures`` draws the charts, ``blocks`` builds the docutils nodes,
``health`` describes every source for the site status page, and
``sphinxext`` is the Sphinx layer (directives, the "Open bugs" section of
charter pages, the status page and the snapshot date).
"""

from __future__ import annotations
