"""Page templates are compiled once and kept in the doctree folder: a
rebuild renders its pages from the kept code."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from crosswork.site.templatecache import FOLDER, compiler_settings


@pytest.fixture
def compiled(monkeypatch) -> list[str]:
    """The names of the template files Jinja compiles (the real compiler
    runs); templates made from strings have no name and no file to keep."""
    names: list[str] = []
    compile_template = jinja2.Environment.compile

    def counted(self, source, name=None, filename=None, raw=False, defer_init=False):
        if name is not None:
            names.append(name)
        return compile_template(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    return names


def build(make_app, site: Path) -> Path:
    app = make_app("html", srcdir=site)
    app.build()
    app.cleanup()
    return Path(app.doctreedir)


def test_a_rebuild_compiles_no_template(make_app, copy_root, compiled):
    site = copy_root("test-site")
    doctrees = build(make_app, site)
    assert "layout.html" in compiled
    kept = list((doctrees / FOLDER).glob("*/__jinja2_*.cache"))
    assert len(kept) == len(set(compiled))

    compiled.clear()
    (site / "index.rst").write_text(
        (site / "index.rst").read_text(encoding="utf-8") + "\nOne more line.\n",
        encoding="utf-8",
    )
    build(make_app, site)
    assert compiled == []


def test_code_of_other_compiler_settings_is_dropped(make_app, copy_root):
    site = copy_root("test-site")
    stale = Path(build(make_app, site)) / FOLDER / "0123456789abcdef"
    stale.mkdir()
    build(make_app, site)
    assert not stale.exists()


def test_the_settings_name_the_folder():
    plain = jinja2.Environment()
    assert compiler_settings(plain) == compiler_settings(jinja2.Environment())
    assert compiler_settings(plain) != compiler_settings(
        jinja2.Environment(autoescape=True)
    )
    assert compiler_settings(plain) != compiler_settings(
        jinja2.Environment(extensions=["jinja2.ext.loopcontrols"])
    )
