"""Workgroup charters: the model and its validation (``model``, ``registry``),
meeting dates and calendars (``calendar``), the machine-readable record
(``export``) and the Sphinx layer (``sphinxext``)."""
