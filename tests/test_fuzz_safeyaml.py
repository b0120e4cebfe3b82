"""Properties of the strict YAML loader on any input.

Whatever the bytes, :func:`crosswork.safeyaml.load_yaml` returns located
data and located Y1xx findings, never an exception, and its work grows
linearly with the input (up to the size cap, past which it reads nothing).
"""

from __future__ import annotations

import math

from hypothesis import example, given
from hypothesis import strategies as st

from crosswork.safeyaml import MAX_BYTES, MAX_DEPTH, LocatedData, load_yaml
from fuzzing import assert_linear, assert_located, awkward_text, fuzz_settings, joined

#: Pieces of YAML syntax, so that generated text reaches deep into the parser.
TOKENS = (
    "\n",
    "  ",
    "\t",
    "- ",
    "key: ",
    "? ",
    ": ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&a ",
    "*a",
    "<<: ",
    "!!python/object/new:os.system ",
    "!tag ",
    "!!str ",
    "'",
    '"',
    '"\\u0000',
    "\\",
    "|",
    "|-\n  ",
    ">",
    "#",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "@",
    "`",
    "%",
    "\ufeff",
    "no",
    "0700",
    "07:00",
    "2024-01-01",
    ".inf",
    "0x1F",
    "~",
)

yaml_text = joined(TOKENS, max_size=60)


def plain(value: object, depth: int = 0) -> bool:
    """Only plain data: strings keys, nested at most a little past the cap."""
    assert depth <= MAX_DEPTH + 1
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return all(plain(item, depth + 1) for item in value)
    return value is None or isinstance(value, str | bool | int | float)


def check(raw: bytes) -> None:
    data, problems = load_yaml("wg.yaml", raw)
    assert isinstance(data, LocatedData)
    assert_located(problems, ("Y",))
    assert plain(data.value)
    for line, column in [*data.values.values(), *data.keys.values()]:
        assert line >= 1 and column >= 1


@fuzz_settings(400)
@given(yaml_text)
@example("a: &x [1]\nb: *x\n")
@example("a: 1\na: 2\n")
@example("[" * 200)
@example("{a: " * 50)
@example("- " * 30 + "x")
@example("? [a]\n: b\n")
@example("--- a\n--- b\n")
@example("!!python/object/new:os.system [echo PWNED]")
def test_any_yaml_text_gives_data_and_located_findings(text: str) -> None:
    check(text.encode("utf-8", "surrogatepass"))


@fuzz_settings(150)
@given(st.binary(max_size=200))
@example(b"\xef\xbb\xbfa: 1")
@example(b"a: \xff\n")
@example(b"\x00")
def test_any_bytes_give_data_and_located_findings(raw: bytes) -> None:
    check(raw)


@fuzz_settings(100)
@given(awkward_text(max_size=200, surrogates=True))
def test_any_scalar_value_is_kept_or_located(text: str) -> None:
    """Every character in a double-quoted value, as an escape."""
    escaped = "".join(f"\\U{ord(c):08x}" for c in text)
    check(f'key: "{escaped}"\n'.encode())


def test_the_size_cap_is_checked_before_reading() -> None:
    _, problems = load_yaml("wg.yaml", b"[" * (MAX_BYTES + 1))
    assert [p.code for p in problems] == ["Y105"]


#: Characters of the shorter input. PyYAML reads about 10,000 characters a
#: second at worst (a run of "["), so both inputs stay well under a second.
SIZE = 64


@fuzz_settings(6)
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=4).map("".join))
@example("[")
@example("{a: ")
@example("- ")
@example("a: *a\n")
@example("? ")
@example("'")
@example('"\\')
@example("- a\n  ")
def test_loading_takes_linear_time(unit: str) -> None:
    def make(count: int) -> bytes:
        return (unit * math.ceil(count / len(unit)))[:count].encode()

    assert_linear(lambda raw: load_yaml("wg.yaml", raw), make, SIZE)
