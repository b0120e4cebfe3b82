"""Properties of the whole package."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import crosswork

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "ext" / "crosswork"


def all_modules():
    """Every module of the package, found by its file: a folder without
    ``__init__.py`` would hide its modules from a package walk."""
    for path in sorted(SOURCE.rglob("*.py")):
        parts = path.relative_to(SOURCE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield importlib.import_module(".".join(parts))


def test_every_folder_of_the_package_is_a_package():
    folders = {path.parent for path in SOURCE.rglob("*.py")}
    assert sorted(f for f in folders if not (f / "__init__.py").is_file()) == []


def imported_by(statement: str) -> set[str]:
    """The modules a fresh interpreter holds after ``statement``."""
    code = f"{statement}; import sys; print(' '.join(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(crosswork.__file__).parents[1])},
    )
    return set(result.stdout.split())


def test_reading_the_kind_records_imports_no_kind_code_http_or_schema_library():
    loaded = imported_by("from crosswork.kinds import KINDS")
    kind_modules = {m for m in loaded if m.count(".") > 2 and ".kinds." in m}
    assert kind_modules == set()
    assert not loaded & {"requests", "urllib3", "jsonschema", "docutils", "yaml"}


def test_every_hook_of_every_record_names_something_that_exists():
    from crosswork.kinds import KINDS

    for kind in KINDS:
        assert kind.load_provider().query is not None
        for hook in (kind.lint, kind.fake_routes, kind.glance, kind.spec_lint):
            if hook:
                module, _, name = hook.partition(":")
                assert hasattr(importlib.import_module(module), name), hook


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


#: Calls that turn text into markup, or load YAML unsafely (S-1, Y-1).
MARKUP_CALLS = {
    "nested_parse",
    "nested_parse_to_nodes",
    "nested_parse_with_titles",
    "parse_text_to_nodes",
    "parse_content_to_nodes",
}
UNSAFE_NAMES = {"ViewList", "StringList", "FullLoader", "UnsafeLoader"}


def risky_lines(path: Path) -> list[int]:
    """Lines that build markup from text or load YAML unsafely."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = getattr(node.func.value, "id", "")
            name = node.func.attr
            if (
                name in MARKUP_CALLS
                or (owner == "nodes" and name == "raw")
                or (owner == "yaml" and name in {"load", "load_all"})
            ):
                found.append(node.lineno)
        elif isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name in UNSAFE_NAMES:
                found.append(node.lineno)
    return found


def test_no_code_builds_markup_from_text_without_a_review_mark():
    """Data never becomes markup: a parse of text needs a ``# reviewed:``
    comment on the line above saying why that text is not data."""
    package = Path(crosswork.__file__).parent
    unreviewed = []
    for path in sorted(package.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number in risky_lines(path):
            if "# reviewed:" not in lines[number - 2]:
                unreviewed.append(f"{path.relative_to(package)}:{number}")
    assert unreviewed == []


def test_the_review_check_finds_what_it_looks_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import yaml\n"
        "from docutils import nodes\n"
        "yaml.load(text)\n"
        "nodes.raw('', '<b>x</b>', format='html')\n"
        "state.nested_parse(lines, 0, node)\n"
        "loader = yaml.FullLoader\n"
    )
    assert risky_lines(sample) == [3, 4, 5, 6]


def is_cache(path: Path) -> bool:
    return "__pycache__" in path.parts or path.suffix in {".pyc", ".pyo"}


def shipped_files() -> set[str]:
    """Every file of the source package a wheel must hold, as wheel paths."""
    return {
        path.relative_to(SOURCE.parent).as_posix()
        for path in SOURCE.rglob("*")
        if path.is_file() and not is_cache(path.relative_to(SOURCE))
    }


@pytest.fixture(scope="module")
def wheel_files(tmp_path_factory) -> set[str]:
    """The file names in a wheel built, as ``pip wheel .`` would, from a
    private copy of the source tree (an in-tree build reuses ``build/``)."""
    if importlib.util.find_spec("setuptools") is None:
        pytest.skip("setuptools is not installed")
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for item in ROOT.iterdir():
        if item.is_file() and not item.name.startswith("."):
            shutil.copy2(item, source)
    shutil.copytree(
        ROOT / "ext", source / "ext", ignore=shutil.ignore_patterns("*.egg-info")
    )
    dist = work / "dist"
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps"]
    subprocess.run(
        [*pip_wheel, "--no-build-isolation", "--wheel-dir", str(dist), str(source)],
        check=True,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    (wheel,) = dist.glob("crosswork-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_wheel_ships_every_runtime_file(wheel_files):
    """Schemas, templates and static files are read at runtime: an install
    from the wheel without them cannot build the site."""
    data_files = {name for name in shipped_files() if not name.endswith(".py")}
    assert "crosswork/site/templates/crosswork-section-nav.html" in data_files
    assert sorted(data_files - wheel_files) == []


def test_the_wheel_ships_every_module(wheel_files):
    modules = {name for name in shipped_files() if name.endswith(".py")}
    assert sorted(modules - wheel_files) == []


def test_the_wheel_ships_no_bytecode_caches(wheel_files):
    assert sorted(name for name in wheel_files if is_cache(Path(name))) == []
