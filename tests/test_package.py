"""Properties of the whole package."""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil

import crosswork


def all_modules():
    for info in pkgutil.walk_packages(crosswork.__path__, "crosswork."):
        yield importlib.import_module(info.name)


def test_no_default_argument_is_the_environment():
    """Documentation renders defaults: ``os.environ`` there would publish it."""
    offenders = []
    for module in all_modules():
        for name, item in inspect.getmembers(module):
            targets = [item]
            if inspect.isclass(item) and item.__module__ == module.__name__:
                targets += [member for _, member in inspect.getmembers(item)]
            for target in targets:
                if not callable(target):
                    continue
                try:
                    parameters = inspect.signature(target).parameters.values()
                except (TypeError, ValueError):
                    continue
                if any(p.default is os.environ for p in parameters):
                    offenders.append(f"{module.__name__}.{name}")
    assert offenders == []
