# Two commands for a fresh machine with Python 3.11+, git and make:
#   make docs   build the whole site offline into build/html
#   make test   run the whole test suite
# Each bootstraps tox into a local virtual environment (.venv) first.
#   make wheel  build the wheel, install it in a throwaway environment and
#               build the site with it (what a non-editable install gets)

PYTHON ?= python3
VENV := .venv
TOX := $(VENV)/bin/tox

.PHONY: docs test lint wheel clean

$(TOX):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -c constraints.txt tox

docs: $(TOX)
	$(TOX) -e docs

test: $(TOX)
	$(TOX) -e py3

lint: $(TOX)
	$(TOX) -e lint

wheel: $(TOX)
	.ci/wheel-site $(VENV)/bin/python

clean:
	rm -rf build .tox doc/source/workgroups doc/source/specs
