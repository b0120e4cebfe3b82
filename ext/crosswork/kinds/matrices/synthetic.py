"""Synthetic matrices of any size, for benchmarks and scale tests.

Real matrices stop at 75 drivers x 10 features (cinder) or 11 x 59
(nova); the renderers must stay fast well beyond that. The generated file
uses every part of the format the parser reads (all feature groups,
``mandatory``, ``choice(...)``, ``condition(...)``, multi-line notes,
driver notes, ``%`` in text) and parses without a single diagnostic. The
same arguments always give the same text.
"""

from __future__ import annotations

import random

from crosswork.kinds.matrices.parse import KNOWN_GROUPS

#: Chance of a partial, unknown cell; the rest of a driver's non-complete
#: cells are missing.
PARTIAL = 0.08
UNKNOWN = 0.05


def synthetic_matrix(features: int, drivers: int, seed: int) -> str:
    """An INI matrix of ``features`` rows and ``drivers`` columns.

    Driver ``i`` completes a feature with a probability falling from 0.9
    (the first driver) to 0.3 (the last), so parity scores spread out.
    """
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    driver_keys = [f"synthetic-{index:03d}" for index in range(drivers)]
    parts = [driver_section(key, index) for index, key in enumerate(driver_keys)]
    feature_keys = [
        f"{KNOWN_GROUPS[index % len(KNOWN_GROUPS)]}.feature-{index:04d}"
        for index in range(features)
    ]
    for index, key in enumerate(feature_keys):
        parts.append(feature_section(rng, key, index, feature_keys, driver_keys))
    return "\n".join(parts)


def driver_section(key: str, index: int) -> str:
    return (
        f"[driver.{key}]\n"
        f"title=Synthetic driver {index}\n"
        f"link=https://docs.example.org/drivers/{key}\n"
    )


def feature_section(
    rng: random.Random,
    key: str,
    index: int,
    feature_keys: list[str],
    driver_keys: list[str],
) -> str:
    lines = [
        f"[{key}]",
        f"title=Synthetic feature {index}",
        f"status={status(key, index, feature_keys)}",
        f"notes=Feature {index} needs 50% of the host's memory when enabled.",
        "  Its notes run over several lines, as real ones do.",
        f"cli=tool do-{index} <server>;tool undo-{index} <server>",
        f"api=do-{index}",
    ]
    for position, driver in enumerate(driver_keys):
        value = cell_value(rng, position, len(driver_keys))
        lines.append(f"driver.{driver}={value}")
        if value == "partial":
            lines.append(f"driver-notes.{driver}=Only on hosts with hardware support.")
    return "\n".join(lines) + "\n"


def status(key: str, index: int, feature_keys: list[str]) -> str:
    """Mostly optional; every 20th mandatory; consoles a choice group; and
    some conditional on the first feature."""
    if key.startswith("console."):
        return "choice(console)"
    if index % 20 == 0:
        return "mandatory"
    if index % 17 == 5:
        return f"condition({feature_keys[0]}==complete)"
    return "optional"


def cell_value(rng: random.Random, position: int, drivers: int) -> str:
    complete = 0.9 - 0.6 * position / max(drivers - 1, 1)
    draw = rng.random()
    if draw < complete:
        return "complete"
    if draw < complete + PARTIAL:
        return "partial"
    if draw < complete + PARTIAL + UNKNOWN:
        return "unknown"
    return "missing"
