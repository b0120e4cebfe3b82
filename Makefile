# Two commands for a fresh machine with Python 3.11+, git and make:
#   make docs   build the whole site offline into build/html
#   make test   run the whole test suite
# Each bootstraps a local virtual environment (.venv) first: tox, and the
# crosswork package itself (editable, pinned by constraints.txt), so that
# .venv/bin/crosswork works afterwards.
#   make publish  the nightly run: fetch, build for CROSSWORK_SITE_URL into
#               build/publish, check the data's health (see README)
#   make bench  build-time benchmarks against plain Sphinx, results in
#               benchmarks/RESULTS.md; fails when a target is missed
#   make wheel  build the wheel, install it in a throwaway environment and
#               build the site with it (what a non-editable install gets)

PYTHON ?= python3
VENV := .venv
TOX := $(VENV)/bin/tox
CROSSWORK := $(VENV)/bin/crosswork

.PHONY: docs test lint publish bench wheel clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip

$(TOX): $(VENV)/bin/python constraints.txt
	$(VENV)/bin/python -m pip install --quiet -c constraints.txt tox
	touch $@

# After tox (order only): two pip runs never share .venv at once.
$(CROSSWORK): pyproject.toml constraints.txt | $(TOX)
	$(VENV)/bin/python -m pip install --quiet -c constraints.txt -e .
	touch $@

docs: $(TOX) $(CROSSWORK)
	$(TOX) -e docs

test: $(TOX) $(CROSSWORK)
	$(TOX) -e py3

lint: $(TOX) $(CROSSWORK)
	$(TOX) -e lint

publish: $(TOX) $(CROSSWORK)
	$(TOX) -e publish

bench: $(TOX) $(CROSSWORK)
	$(TOX) -e bench

wheel: $(VENV)/bin/python
	.ci/wheel-site $(VENV)/bin/python

clean:
	rm -rf build .tox doc/source/workgroups doc/source/specs
