"""Skips that CI turns into failures: the corpus and other needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosswork.testing.required import (
    CORPUS_VARIABLE,
    required_folder,
    skip_unless_required,
)

pytest_plugins = ("pytester",)


@pytest.mark.parametrize("environ", [{}, {CORPUS_VARIABLE: "0"}, {"OTHER": "1"}])
def test_a_missing_need_skips_unless_required(environ: dict[str, str]) -> None:
    with pytest.raises(pytest.skip.Exception, match="corpus missing"):
        skip_unless_required("corpus missing", CORPUS_VARIABLE, environ)


def test_a_missing_need_fails_when_its_variable_is_1() -> None:
    with pytest.raises(pytest.fail.Exception) as failure:
        skip_unless_required("corpus missing", CORPUS_VARIABLE, {CORPUS_VARIABLE: "1"})

    assert str(failure.value) == f"corpus missing, and {CORPUS_VARIABLE}=1 requires it"


def test_a_present_folder_is_returned_even_when_required(tmp_path: Path) -> None:
    environ = {CORPUS_VARIABLE: "1"}

    assert required_folder(tmp_path, "x", CORPUS_VARIABLE, environ) == tmp_path


@pytest.mark.parametrize(
    ("environ", "outcome"),
    [({}, pytest.skip.Exception), ({CORPUS_VARIABLE: "1"}, pytest.fail.Exception)],
)
def test_a_missing_folder_skips_or_fails(
    tmp_path: Path, environ: dict[str, str], outcome: type[BaseException]
) -> None:
    with pytest.raises(outcome, match="no corpus"):
        required_folder(tmp_path / "absent", "no corpus", CORPUS_VARIABLE, environ)


def test_the_corpus_fixture_fails_without_the_corpus_when_required(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real fixture, in a test run where the corpus is absent."""
    conftest = Path(__file__).parents[1] / "conftest.py"
    pytester.makeconftest(
        conftest.read_text().replace(
            'ROOT.parent / "shared" / "corpus"', 'ROOT / "no-such-corpus"'
        )
    )
    pytester.makepyfile("def test_needs(corpus):\n    pass\n")

    monkeypatch.delenv(CORPUS_VARIABLE, raising=False)
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(skipped=1)
    monkeypatch.setenv(CORPUS_VARIABLE, "1")
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(errors=1)
