"""Nova's 2020 matrix in a real browser: sticky headers, phone width, the
driver picker, and the page without script.

The Consistency charter's matrix tracks are fetched from the fake upstream
serving the shared corpus, and the test site is built once for the module.
Needs Chromium and ``playwright`` like ``tests/site/test_browser.py``;
skipped without them unless ``CROSSWORK_REQUIRE_BROWSER=1``. With
``CROSSWORK_SCREENSHOTS`` set to a folder, the tests save screenshots of
the pages they check there, at the widths they check.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import crosswork
from browsing import SCREENSHOTS
from browsing import served as serve_folder
from crosswork.fetch.endpoints import parse_endpoints
from crosswork.fetch.run import fetch_all
from crosswork.fetch.sources import collect_sources
from crosswork.kinds import KINDS
from crosswork.testing.required import CORPUS_VARIABLE, required_folder
from crosswork.testing.timeline import Timeline
from crosswork.testing.upstream import FakeUpstream, Recordings
from crosswork.workgroups.registry import load_registry

from .test_sphinxext import DAYS, QUICK, REPO_ROOT, ROOT

CORPUS = REPO_ROOT.parent / "shared" / "corpus"
EXT = Path(crosswork.__file__).resolve().parents[1]
#: The site's own theme (``conf.py``), whose table wrappers the layout must
#: work with.
SITE_THEME = ("-D", "html_theme=pydata_sphinx_theme", "-D", "html_title=crosswork")

CHARTER = "workgroups/consistency.html"
FULL = "matrices/consistency.matrices.nova-2020.html"
COMPARISON = "matrices/consistency.matrices.nova-2020.kvm-xen.html"
MATRIX = "table.crosswork-matrix"


def fetch_consistency_matrices(repo: Path, corpus: Path) -> None:
    """The charter's matrix tracks, from the fake serving the corpus."""
    registry, problems = load_registry(repo / "workgroups", kinds=KINDS)
    assert problems == []
    sources = [
        source
        for source in collect_sources(registry, KINDS)
        if source.id.startswith("consistency.matrices.")
    ]
    timeline = Timeline.for_deadline(QUICK.deadline)
    with FakeUpstream(Recordings.from_corpus(corpus), services=["files"]) as fake:
        fetch_all(
            sources,
            repo / "snapshot",
            endpoints=parse_endpoints(fake.endpoints()),
            clock=lambda: DAYS[1],
            policy=QUICK,
            environ={},
            sleep=timeline.sleep,
            monotonic=timeline.monotonic,
        )


@pytest.fixture(scope="module")
def served(browser, tmp_path_factory) -> Iterator[str]:
    """The matrix test site with the Consistency charter, built with the
    site's theme and served."""
    corpus = required_folder(CORPUS, "shared corpus not available", CORPUS_VARIABLE)
    site = tmp_path_factory.mktemp("matrices-browser") / "site"
    shutil.copytree(ROOT, site)
    shutil.copy(REPO_ROOT / "workgroups/consistency.yaml", site / "repo/workgroups")
    fetch_consistency_matrices(site / "repo", corpus)
    out = site / "_build" / "html"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-q",
            "-b",
            "html",
            *SITE_THEME,
            str(site),
            str(out),
        ],
        check=True,
        env={**os.environ, "PYTHONPATH": str(EXT)},
    )
    with serve_folder(out) as base:
        yield base


def open_page(browser, url: str, width: int, script: bool = True):
    page = browser.new_page(
        viewport={"width": width, "height": 900}, java_script_enabled=script
    )
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    if script:  # without script, Chromium does not fetch the theme's scripts
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.goto(url)
    page.wait_for_load_state("load")
    return page, problems


def save_screenshot(page, name: str) -> None:
    """Into ``CROSSWORK_SCREENSHOTS``, when it is set (CI keeps them)."""
    if SCREENSHOTS:
        folder = Path(SCREENSHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / name))


def bring_into_view(page, selector: str) -> None:
    """Scroll the window so that ``selector`` starts below the fixed header."""
    page.evaluate(
        """selector => {
          const target = document.querySelector(selector);
          const header = document.querySelector('header');
          const below = header ? header.getBoundingClientRect().bottom : 0;
          const top = target.getBoundingClientRect().top;
          window.scrollTo(0, window.scrollY + top - below - 8);
        }""",
        selector,
    )


def scroll_matrix_halfway(page) -> dict[str, float]:
    """Scroll the matrix's own box half down and half right; its box."""
    bring_into_view(page, ".crosswork-matrix-scroll")
    return page.evaluate(
        """() => {
          const box = document.querySelector('.crosswork-matrix-scroll');
          box.scrollTop = (box.scrollHeight - box.clientHeight) / 2;
          box.scrollLeft = (box.scrollWidth - box.clientWidth) / 2;
          const r = box.getBoundingClientRect();
          return {top: r.top, left: r.left, width: r.width, height: r.height,
                  scrolledDown: box.scrollTop, scrolledRight: box.scrollLeft};
        }"""
    )


def cell_at(page, x: float, y: float) -> str:
    """What is drawn at a point: the header cell, the feature cell, or else."""
    return page.evaluate(
        """([x, y]) => {
          const cell = document.elementFromPoint(x, y)?.closest('th, td');
          if (!cell) return 'nothing';
          if (cell.closest('thead')) return 'header';
          return cell.cellIndex === 0 ? 'feature' : 'value';
        }""",
        [x, y],
    )


def visible_headers(page) -> list[str]:
    return page.locator(f"{MATRIX} thead th:visible").all_inner_texts()


# --- Sticky header row and feature column ------------------------------------


@pytest.mark.parametrize("width", [1280, 390])
def test_header_row_and_feature_column_stay_in_view(browser, served, width):
    page, problems = open_page(browser, f"{served}/{FULL}", width)
    box = scroll_matrix_halfway(page)
    assert box["scrolledDown"] > 500
    assert box["scrolledRight"] > 100
    # A point just inside the box's top edge, right of the feature column,
    # shows a header cell; one at the box's middle height, at its left edge,
    # shows the feature cell of the row scrolled there.
    middle_x = box["left"] + box["width"] * 0.75
    assert cell_at(page, middle_x, box["top"] + 6) == "header"
    assert cell_at(page, box["left"] + 6, box["top"] + box["height"] / 2) == "feature"
    assert cell_at(page, middle_x, box["top"] + box["height"] / 2) == "value"
    header = page.locator(f"{MATRIX} thead th").first.bounding_box()
    assert header is not None
    assert abs(header["y"] - box["top"]) <= 2
    assert header["y"] >= 0
    assert problems == []
    save_screenshot(page, f"matrix-scrolled-{width}.png")


# --- Phone width -------------------------------------------------------------


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize(
    ("url", "name", "anchor"),
    [
        (CHARTER, "consistency", "#feature-matrices"),
        (COMPARISON, "comparison", ""),
        (FULL, "matrix", ""),
    ],
)
def test_no_page_scrolls_sideways(browser, served, url, name, anchor, width):
    page, problems = open_page(browser, f"{served}/{url}", width)
    width_of_page = page.evaluate("document.documentElement.scrollWidth")
    assert width_of_page <= width
    assert problems == []
    if anchor:
        bring_into_view(page, anchor)
    save_screenshot(page, f"{name}-{width}.png")


def test_long_feature_keys_wrap_in_a_narrow_column(browser, served):
    page, _ = open_page(browser, f"{served}/{FULL}", 390)
    column = page.locator(f"{MATRIX} tbody tr td:first-child").first.bounding_box()
    assert column is not None
    assert column["width"] < 140


# --- The driver picker -------------------------------------------------------


def test_without_script_the_table_is_complete(browser, served):
    page, problems = open_page(
        browser, f"{served}/{FULL}?drivers=xenserver", 1280, False
    )
    assert page.locator(".crosswork-driver-picker").count() == 0
    assert len(visible_headers(page)) == 16
    assert problems == []


def test_the_picker_hides_a_driver(browser, served):
    page, problems = open_page(browser, f"{served}/{FULL}", 1280)
    assert len(visible_headers(page)) == 16
    page.locator(".crosswork-driver-picker summary").first.click()
    page.get_by_label("Libvirt LXC", exact=True).uncheck()
    headers = visible_headers(page)
    assert len(headers) == 15
    assert "Libvirt LXC" not in headers
    rows = page.locator(f"{MATRIX} tbody tr")
    assert rows.nth(10).locator("td:visible").count() == 15
    assert (
        "Showing 14 of 15 drivers."
        in page.locator(".crosswork-driver-status").inner_text()
    )
    assert "libvirt-lxc" not in page.url.split("drivers=")[1]
    assert problems == []


def test_the_picker_orders_drivers_from_the_keyboard(browser, served):
    page, problems = open_page(browser, f"{served}/{FULL}", 1280)
    page.locator(".crosswork-driver-picker summary").first.focus()
    page.keyboard.press("Enter")
    assert visible_headers(page)[1:3] == ["XenServer", "Libvirt KVM (x86)"]
    page.get_by_role("button", name="Move Libvirt Xen left").focus()
    for _ in range(9):  # Libvirt Xen is the 10th driver: to the front
        page.keyboard.press("Enter")
    headers = visible_headers(page)
    assert headers[:3] == ["Feature", "Libvirt Xen", "XenServer"]
    # The cells moved with their header: Xen's snapshot is partial.
    row = page.locator(f"{MATRIX} tbody tr", has_text="operation.snapshot").first
    assert row.locator("td").nth(1).inner_text().startswith("◐ partial")
    assert page.url.endswith("?drivers=" + ",".join(DRIVER_KEYS_XEN_FIRST))
    assert problems == []


def test_the_address_chooses_and_orders_the_drivers(browser, served):
    url = f"{served}/{FULL}?drivers=libvirt-xen,libvirt-kvm-x86,xenserver"
    page, problems = open_page(browser, url, 390)
    headers = visible_headers(page)
    assert headers == ["Feature", "Libvirt Xen", "Libvirt KVM (x86)", "XenServer"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert problems == []


#: The 2020 matrix's drivers in file order, with Libvirt Xen moved first.
DRIVER_KEYS_XEN_FIRST = (
    "libvirt-xen",
    "xenserver",
    "libvirt-kvm-x86",
    "libvirt-kvm-aarch64",
    "libvirt-kvm-ppc64",
    "libvirt-kvm-s390x",
    "libvirt-qemu-x86",
    "libvirt-lxc",
    "libvirt-vz-vm",
    "libvirt-vz-ct",
    "vmware",
    "hyperv",
    "ironic",
    "powervm",
    "zvm",
)
