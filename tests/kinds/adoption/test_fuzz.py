"""Properties of the requirements reader on any file.

Whatever the bytes, :func:`parse_requirements` reads every line into
entries, options or located D1xx warnings, never an exception; what it
reads stores as facts and loads back; and its work grows linearly with
the file.
"""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from crosswork.kinds.adoption.facts import FactsError, file_facts, from_facts
from crosswork.kinds.adoption.requirements import RequirementsFile, parse_requirements
from fuzzing import assert_linear, assert_located, fuzz_settings, joined, json_values

TOKENS = (
    "\n",
    "\r\n",
    "\\\n",
    " ",
    "\t",
    "#",
    " # comment",
    "oslo.config",
    "oslo_log",
    "nova",
    "[extra]",
    ">=1.0",
    "<2",
    "!=1.5",
    "~=3.1",
    "==1.2.*",
    "===x",
    ",",
    ";",
    " ; python_version < '3.12'",
    'sys_platform == "linux"',
    " @ ",
    "https://github.com/x/y",
    "git+https://opendev.org/x#egg=oslo.log",
    "file:///tmp/x",
    "-r other.txt",
    "-c constraints.txt",
    "-e ",
    "--editable=",
    "-i",
    "--index-url=https://pypi.example/simple",
    "--hash=sha256:abc",
    "--hash",
    "-f",
    "--no-binary :all:",
    "--unknown-option",
    "-",
    "(",
    ")",
    "'",
    '"',
)
requirements_text = joined(TOKENS, max_size=60)


def check(raw: bytes | str) -> RequirementsFile:
    read = parse_requirements("r.txt", raw)
    assert isinstance(read, RequirementsFile)
    assert_located(read.problems, ("D",))
    facts = file_facts("service", "nova", read, ["*"])
    stored = json.loads(json.dumps(facts, ensure_ascii=False, allow_nan=False))
    with_file = [{"record": "file", **stored[0]}, *stored[1:]]
    from_facts(with_file)
    return read


@fuzz_settings(300)
@given(requirements_text)
@example("oslo.config>=1.0 # comment\\\n")
@example("-e")
@example("--hash")
@example("name @ \\")
@example("#egg=\n-e git+https://x#egg=")
def test_any_requirements_text_is_read_or_located(text: str) -> None:
    check(text)


@fuzz_settings(150)
@given(st.binary(max_size=200))
@example(b"\xef\xbb\xbfoslo.config\n")
@example(b"oslo.config\xff\n")
def test_any_bytes_are_read_or_located(raw: bytes) -> None:
    check(raw)


@fuzz_settings(60)
@given(st.lists(json_values(), max_size=5))
@example([{"record": "file"}])
@example([None])
def test_stored_facts_load_or_raise_a_facts_error(items: list) -> None:
    with contextlib.suppress(FactsError):
        from_facts(items)


@pytest.mark.parametrize(
    "unit",
    [
        " ",
        "\t",
        "a ",
        " #",
        "#",
        "\\\n",
        "oslo.config>=1.0\n",
        "oslo.config>=1.0 --hash=sha256:abc\n",
        "-r x.txt\n",
        "x @ https://github.com/x/y\n",
        "[",
        "(",
        "'",
        ";",
        ">=1,",
    ],
)
def test_reading_takes_linear_time(unit: str) -> None:
    def make(count: int) -> str:
        return "oslo.config " + unit * count + " b\n"

    assert_linear(lambda text: parse_requirements("r.txt", text), make, 500)
