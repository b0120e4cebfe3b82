"""Properties of the matrix reader on any input.

Whatever the bytes, :func:`decode_matrix` and :func:`parse_matrix` give a
matrix and located X1xx findings; the fetch step's reader raises only
:class:`FetchError`; the facts it stores are JSON and load back; and the
work grows linearly with the file.
"""

from __future__ import annotations

import contextlib
import json
import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from crosswork.fetch.http import FetchError
from crosswork.kinds.matrices.facts import FactsError, matrix_facts, matrix_from_facts
from crosswork.kinds.matrices.model import Matrix
from crosswork.kinds.matrices.parse import decode_matrix, parse_matrix
from crosswork.kinds.matrices.provider import read_matrix
from fuzzing import (
    assert_linear,
    assert_located,
    awkward_text,
    fuzz_settings,
    joined,
    json_values,
)

TOKENS = (
    "\n",
    "\r\n",
    "\r",
    "  ",
    "[driver.a]\n",
    "[driver.b]\n",
    "[driver.]\n",
    "[target.a]\n",
    "[targets]\n",
    "[operation.x]\n",
    "[operation.y]\n",
    "[console.x]\n",
    "[storage]\n",
    "[other.z]\n",
    "[",
    "]",
    "title=",
    "title: ",
    "link=",
    "status=",
    "optional",
    "mandatory",
    "choice(",
    "condition(",
    "operation.x==complete",
    "(",
    ")",
    "notes=",
    "cli=",
    "api=",
    "maturity=",
    "driver.a=",
    "driver.b=",
    "driver.c=",
    "driver-notes.a=",
    "driver-notes.c=",
    "driver-notes-a=",
    "a=",
    "complete",
    "partial",
    "missing",
    "unknown",
    ":queens",
    "=",
    ":",
    "#",
    ";",
    "x",
)

ini_text = joined(TOKENS, max_size=80)


def check_parse(text: str) -> Matrix:
    matrix, problems = parse_matrix("m.ini", text)
    assert isinstance(matrix, Matrix)
    assert_located(problems, ("X",))
    keys = {driver.key for driver in matrix.drivers}
    for feature in matrix.features:
        assert set(feature.cells) == keys
    if not (matrix.drivers and matrix.features):
        return matrix  # the fetch step refuses it (see below)
    facts = matrix_facts(matrix, problems)
    stored = json.loads(json.dumps(facts, ensure_ascii=False).encode())
    again, _ = matrix_from_facts("m.ini", stored)
    assert [d.key for d in again.drivers] == [d.key for d in matrix.drivers]
    assert [f.key for f in again.features] == [f.key for f in matrix.features]
    return matrix


@fuzz_settings(300)
@given(ini_text)
@example("[driver.a]\ntitle=A\n[operation.x]\ntitle=X\ndriver.a=complete\n")
@example("[driver.a]\ntitle=A\n[driver.A]\ntitle=B\n")
@example("[target.a]\ntitle=A\n[operation.x]\ntitle=X\na=partial:queens\n")
@example("[driver.a]\n[target.b]\n[operation.x]\nstatus=condition(x==y)\n")
@example("[operation.x]\ntitle=X\nstatus=choice(\n")
@example("[driver.a]\ntitle=\n  \n [operation.x]\n")
def test_any_matrix_text_gives_a_matrix_and_located_findings(text: str) -> None:
    check_parse(text)


@fuzz_settings(150)
@given(st.binary(max_size=300) | ini_text.map(lambda t: t.encode()))
@example(b"\xef\xbb\xbf[driver.a]\ntitle=A\n[operation.x]\ndriver.a=complete\n")
@example(b"[driver.a]\ntitle=caf\xe9\n")
def test_the_fetch_reader_gives_a_matrix_or_a_fetch_error(raw: bytes) -> None:
    text, problems = decode_matrix("m.ini", raw)
    assert_located(problems, ("X",))
    assert (text is None) == bool(problems)
    try:
        matrix, found = read_matrix("m.ini", raw)
    except FetchError as error:
        assert error.kind == "schema"
        return
    assert matrix.drivers and matrix.features
    assert_located(found, ("X",))


@fuzz_settings(60)
@given(st.lists(json_values(), max_size=6))
@example([{"record": "matrix", "layout": "support-matrix"}])
@example([{"record": "matrix", "layout": "support-matrix"}, {"record": "feature"}])
def test_stored_facts_load_or_raise_a_facts_error(items: list) -> None:
    with contextlib.suppress(FactsError):
        matrix_from_facts("m.ini", items)


@fuzz_settings(100)
@given(awkward_text(max_size=60))
def test_any_title_and_notes_survive_storing(value: str) -> None:
    lines = value.replace("\r", "\n").split("\n")
    continued = "\n    ".join(lines)
    text = (
        f"[driver.a]\ntitle={continued}\nlink={continued}\n"
        f"[operation.x]\ntitle={continued}\nnotes={continued}\n"
        f"driver.a=complete\ndriver-notes.a={continued}\n"
    )
    check_parse(text)


#: Units of the repeated text in the linear-time check: each repetition
#: adds a driver or a feature, a cell, a note or a broken line.
UNITS = (
    "[driver.d{n}]\ntitle=D\n",
    "[operation.f{n}]\ntitle=F\n",
    "[driver.d{n}]\ntitle=D\n[operation.f{n}]\ntitle=F\n",
    "[driver.d{n}]\n[operation.f{n}]\ndriver.x{n}=complete\ndriver-notes.y{n}=n\n",
    "[operation.f{n}]\nstatus=condition(operation.g{n}==complete)\n",
    "driver.x{n}=complete\n",
    "  continued\n",
    "[x\n",
)


@pytest.mark.parametrize("unit", UNITS)
def test_reading_takes_linear_time(unit: str) -> None:
    """25 drivers and features make 625 cells, 400 of each hit the cap."""
    head = "[driver.a]\ntitle=A\n[operation.x]\ntitle=X\n"

    def make(count: int) -> str:
        return head + "".join(unit.format(n=n) for n in range(count))

    assert_linear(lambda text: parse_matrix("m.ini", text), make, 25)


@fuzz_settings(8)
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=6).map("".join))
def test_reading_any_repeated_text_takes_linear_time(unit: str) -> None:
    def make(count: int) -> str:
        return unit * math.ceil(count / len(unit))

    assert_linear(lambda text: parse_matrix("m.ini", text), make, 1000)
