"""What the property tests of the parsers share: settings, text and a
linear-time check.

Every parser and normalizer of outside input is held to two properties:

* it returns a result, or raises only the project's own error types
  (a located :class:`~crosswork.diagnostics.Diagnostic` is a result);
* its work grows at most linearly with its input: an input sixteen times
  longer (two steps of four) may take at most :data:`GROWTH` times as long
  (linear is 16, quadratic 256), with :data:`SLACK` seconds of room for
  timer noise. The margin is wide on both sides because a larger input
  also costs more per item once it leaves the processor's caches.

Runs are deterministic (``derandomize``, no example database), so CI
tries the same inputs every time. To hunt locally, set
``CROSSWORK_FUZZ_EXAMPLES`` to a factor: every test tries that many times
more inputs, random ones, new on each run.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Sequence
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from crosswork.diagnostics import CODES, Diagnostic

#: How many times more inputs to try: 1 in CI, more to hunt (random inputs).
SCALE = int(os.environ.get("CROSSWORK_FUZZ_EXAMPLES", "1") or 1)


def fuzz_settings(max_examples: int) -> settings:
    """Deterministic settings with no deadline (a build machine may be slow)."""
    return settings(
        max_examples=max_examples * SCALE,
        deadline=None,
        derandomize=SCALE == 1,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


#: Characters that break naive code: controls, line ends of every kind,
#: bidirectional and zero-width marks, a byte-order mark, non-characters,
#: astral and combining characters, and NFKC-folding look-alikes.
AWKWARD = (
    "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\x9b\xa0\u2028\u2029\r\n\t "
    "\u200b\u200d\u200e\u202e\u2066\ufeff\ufffe\uffff\U0001f600\u0301"
    "\uff1a\uff0f\u2024\u0131\u0130\ufb01"
)


def awkward_text(*, max_size: int = 40, surrogates: bool = False) -> Any:
    """Text mixing any characters with the :data:`AWKWARD` ones."""
    categories = () if surrogates else ("Cs",)
    return st.text(
        st.one_of(
            st.characters(exclude_categories=categories),
            st.sampled_from(AWKWARD),
        ),
        max_size=max_size,
    )


def joined(tokens: Sequence[str], *, max_size: int = 40) -> Any:
    """Text made of ``tokens`` and awkward text, in any order."""
    return st.lists(
        st.one_of(st.sampled_from(tokens), awkward_text(max_size=6)),
        max_size=max_size,
    ).map("".join)


def json_values(text: Any | None = None, *, max_leaves: int = 12) -> Any:
    """Any JSON value: upstream payloads of the wrong shape."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        text if text is not None else awkward_text(),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(awkward_text(max_size=10), inner, max_size=4),
        ),
        max_leaves=max_leaves,
    )


def assert_located(diagnostics: Sequence[Diagnostic], prefixes: str) -> None:
    """Findings are registered codes of the expected families, 1-based."""
    for diagnostic in diagnostics:
        assert isinstance(diagnostic, Diagnostic)
        assert diagnostic.code in CODES, diagnostic
        assert diagnostic.code.startswith(tuple(prefixes)), diagnostic
        assert diagnostic.line >= 1 and diagnostic.column >= 1, diagnostic
        assert str(diagnostic)


# --- Linear time -------------------------------------------------------------

#: The most a sixteen times longer input may cost, relative to the shorter one.
GROWTH = 100.0
#: Seconds of room for timer noise on short runs.
SLACK = 0.01
#: How much longer the long input is.
FACTOR = 16


def _best_time(run: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeats):
            start = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - start)
    finally:
        if enabled:
            gc.enable()
    return best


def assert_linear(
    work: Callable[[Any], object], make: Callable[[int], Any], size: int
) -> None:
    """``work(make(16 * size))`` costs at most :data:`GROWTH` times
    ``work(make(size))``, plus :data:`SLACK`.

    Each input is timed at its best of three runs; a failure is measured
    again at its best of seven before it counts, so a busy machine does
    not fail the check while a quadratic algorithm always does.
    """
    small, large = make(size), make(FACTOR * size)
    for repeats in (3, 7):
        short = _best_time(lambda: work(small), repeats)
        long = _best_time(lambda: work(large), repeats)
        if long <= GROWTH * short + SLACK:
            return
    times = long / max(short, 1e-9)
    raise AssertionError(
        f"not linear: {short * 1000:.1f} ms for size {size}, "
        f"{long * 1000:.1f} ms for size {FACTOR * size} ({times:.0f} times)"
    )
