"""What the fake upstream serves for matrix tracks, beyond its raw files.

Matrix files come from the core ``files`` service, so the kind adds no
routes; this module holds the hostile matrix of the payload suite.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from crosswork.testing.upstream import Recordings

#: The drivers every hostile matrix has, whatever reference a track names.
REFERENCES = ("libvirt-kvm-x86", "libvirt-kvm")

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def hostile(recordings: Recordings, payloads: Sequence[str]) -> Recordings:
    """A copy whose every INI file is a matrix carrying ``payloads``.

    Payload ``i`` is the title and link of driver ``h<i>``, and the title,
    notes, commands, API, and driver notes of feature ``operation.p<i>``,
    as continuation lines where it spans several lines.
    """
    text = hostile_matrix(payloads).encode()
    files = {
        path: text if path.endswith(".ini") else data
        for path, data in recordings.files.items()
    }
    return dataclasses.replace(recordings, files=files)


def hostile_matrix(payloads: Sequence[str]) -> str:
    keys = [f"h{index:03d}" for index in range(len(payloads))]
    parts = [f"[driver.{key}]\ntitle=KVM\n" for key in REFERENCES]
    for key, payload in zip(keys, payloads, strict=True):
        parts.append(
            f"[driver.{key}]\ntitle={_value(payload)}\nlink={_value(payload)}\n"
        )
    cells = "".join(f"driver.{key}=complete\n" for key in (*REFERENCES, *keys))
    for index, (key, payload) in enumerate(zip(keys, payloads, strict=True)):
        value = _value(payload)
        parts.append(
            f"[operation.p{index:03d}]\ntitle={value}\nstatus=optional\n"
            f"notes={value}\ncli={value}\napi={value}\n{cells}"
            f"driver-notes.{key}={value}\n"
        )
    return "\n".join(parts)


def _value(payload: str) -> str:
    """The payload as an INI value: later lines indented as continuations."""
    return "\n    ".join(_LINE_BREAK.split(payload)) or "x"
