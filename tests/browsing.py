"""Chromium for the browser tests, and built sites served on loopback.

Needs Chromium (``/usr/bin/chromium`` or ``CROSSWORK_CHROMIUM``) and the
``playwright`` package; tests are skipped without them, unless
``CROSSWORK_REQUIRE_BROWSER=1`` (as in CI), where their absence fails.
A pytest plugin (see ``tests/conftest.py``): it gives the ``browser``
fixture; the helpers below are imported by the browser tests.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("CROSSWORK_CHROMIUM") or shutil.which("chromium") or ""
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Where screenshots go when set (CI keeps the folder as an artifact).
SCREENSHOTS = os.environ.get("CROSSWORK_SCREENSHOTS", "")


def require_browser():
    """Playwright's entry point; skip (or fail, when required) without it."""
    required = os.environ.get("CROSSWORK_REQUIRE_BROWSER") == "1"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            raise
        pytest.skip("playwright is not installed")
    if not CHROMIUM:
        if required:
            pytest.fail("Chromium is required but was not found")
        pytest.skip("Chromium is not installed")
    return sync_playwright


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """``folder`` served on a loopback port: yields the base URL."""
    handler = partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    sync_playwright = require_browser()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_FLAGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Visit:
    """A page opened in the browser and what went wrong while it loaded."""

    page: Any
    #: Dialogs, script errors, failed or refused requests, console errors
    #: and warnings, each in a line.
    problems: list[str] = field(default_factory=list)

    def sideways_overflow(self) -> int:
        """How many pixels the page scrolls sideways (0 when it fits)."""
        return self.page.evaluate(
            "document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth"
        )

    def screenshot(self, name: str) -> None:
        """Keep a full-page screenshot when ``CROSSWORK_SCREENSHOTS`` is set."""
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def visit(browser, url: str, width: int = 1280, **context: Any) -> Visit:
    """Open ``url`` at ``width`` pixels, recording every problem."""
    page = browser.new_context(
        viewport={"width": width, "height": 900}, **context
    ).new_page()
    seen = Visit(page)
    problems = seen.problems
    page.on(
        "dialog",
        lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()),
    )
    page.on("pageerror", lambda error: problems.append(f"error: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on(
        "response",
        lambda response: (
            problems.append(f"HTTP {response.status}: {response.url}")
            if response.status >= 400
            else None
        ),
    )
    page.on(
        "console",
        lambda message: (
            problems.append(
                f"console {message.type}: {message.text}"
                f" ({message.location.get('url', '')})"
            )
            if message.type in ("error", "warning")
            else None
        ),
    )
    page.goto(url)
    page.wait_for_load_state("load")
    return seen
