"""What the fake upstream serves for adoption tracks, beyond its raw files.

Requirements files come from the core ``files`` service, so the kind adds
no routes; this module holds the hostile requirements of the payload suite.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from crosswork.testing.upstream import Recordings

#: Requirements files allow 512 KiB; each payload is cut to fit three lines
#: of each of a hundred payloads in one file.
_CUT = 1500

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def hostile(recordings: Recordings, payloads: Sequence[str]) -> Recordings:
    """A copy whose every requirements file ends with hostile lines.

    For payload ``i``: an ``oslo.h<i>`` requirement whose environment
    marker compares with the payload, an ``oslo.u<i>`` requirement at a URL
    ending in the payload, and the payload itself as lines (each one a
    line no reader can read, reported with its text).
    """
    lines = "".join(_lines(index, payload) for index, payload in enumerate(payloads))
    files = {
        path: data.rstrip(b"\n") + b"\n" + lines.encode()
        if path.endswith(".txt") and "requirements" in path
        else data
        for path, data in recordings.files.items()
    }
    return dataclasses.replace(recordings, files=files)


def _lines(index: int, payload: str) -> str:
    text = payload[:_CUT]
    one_line = " ".join(_LINE_BREAK.split(text))
    quote = '"' if '"' not in one_line else "'"
    marker = one_line.replace(quote, "")
    word = "".join(one_line.split()) or "x"
    return (
        f"oslo.h{index:03d}>=1.0 ; python_version == {quote}{marker}{quote}\n"
        f"oslo.u{index:03d} @ https://github.com/x/{word}\n"
        f"{text}\n"
    )
