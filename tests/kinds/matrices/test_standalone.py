"""The matrix extension alone, in a plain Sphinx project of someone else.

No charter, no spec template, no crosswork site: ``conf.py`` lists only
``crosswork.kinds.matrices.sphinxext`` and a page points the directive at
an INI file of the project. The build passes ``-W`` and writes nothing
into the project's source folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parents[2] / "roots" / "test-matrix"

PAGE = """\
Compute drivers
===============

.. feature-matrix:: matrices/local.ini
   :reference: alpha
"""


def make_project(folder: Path) -> Path:
    folder.mkdir()
    (folder / "matrices").mkdir()
    shutil.copy(ROOT / "repo/matrices/local.ini", folder / "matrices/local.ini")
    (folder / "conf.py").write_text(
        'extensions = ["crosswork.kinds.matrices.sphinxext"]\n'
    )
    (folder / "index.rst").write_text(PAGE)
    return folder


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_a_plain_project_renders_its_own_matrix_file_with_W(make_app, tmp_path):
    project = make_project(tmp_path / "project")
    before = tree(project)
    out = tmp_path / "out"

    app = make_app("html", srcdir=project, builddir=out, warningiserror=True)
    app.build()

    assert app.statuscode == 0
    assert app.warning.getvalue() == ""
    assert tree(project) == before
    page = lxml.html.parse(str(Path(app.outdir) / "index.html")).getroot()
    image = page.xpath("//img[contains(@class, 'crosswork-chart')]")[0]
    assert (Path(app.outdir) / image.get("src")).is_file()
    assert "From matrices/local.ini in this repository." in page.text_content()


def test_findings_in_the_projects_file_are_located_warnings(make_app, tmp_path):
    project = make_project(tmp_path / "project")
    ini = project / "matrices/local.ini"
    ini.write_text(
        ini.read_text().replace("driver.alpha=complete", "driver.alpha=done", 1)
    )

    app = make_app("html", srcdir=project, builddir=tmp_path / "out")
    app.build()

    warnings = app.warning.getvalue()
    assert "matrices/local.ini:" in warnings
    assert "X109 invalid value 'done'" in warnings
    assert "[crosswork.matrix]" in warnings


def test_the_standalone_page_gets_the_kinds_and_the_data_layers_styles(
    make_app, tmp_path
):
    app = make_app("html", srcdir=make_project(tmp_path / "project"))
    app.build()

    static = Path(app.outdir) / "_static"
    assert (static / "matrix.css").is_file()
    assert (static / "data.css").is_file()
    page = (Path(app.outdir) / "index.html").read_text()
    assert "_static/matrix.css" in page
