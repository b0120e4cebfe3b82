"""``crosswork adoption``: the analysis for a terminal or a machine."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from crosswork.kinds.adoption import command
from crosswork.testing.upstream import FakeUpstream


def crosswork_adoption(*argv: str, environ: dict[str, str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="crosswork")
    command.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["adoption", *argv])
    return command.run(args, environ or {})


@pytest.fixture
def files(requirements_corpus: Path) -> list[str]:
    folder = requirements_corpus / "services"
    return [str(folder / f"{n}.requirements.txt") for n in ("nova", "horizon", "swift")]


def test_text_report(files, requirements_corpus, capsys) -> None:
    status = crosswork_adoption(
        *files,
        "--libraries",
        "oslo.config",
        "--libraries",
        "oslo.log",
        "--constraints",
        str(requirements_corpus / "upper-constraints.txt"),
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "logging: 1 of 3 services; not: horizon, swift" in out
    assert "uses none: swift" in out
    assert "oslo.config: 2 of 3; minimums 8.8.0 to 9.3.0" in out
    assert "pin 10.7.0" in out


def test_json_report(files, requirements_corpus, capsys) -> None:
    status = crosswork_adoption(
        *files,
        "--global",
        str(requirements_corpus / "global-requirements.txt"),
        "--format",
        "json",
    )
    data = json.loads(capsys.readouterr().out)
    assert status == 0
    assert data["version"] == 1
    assert data["services"] == ["nova", "horizon", "swift"]
    config = next(lib for lib in data["libraries"] if lib["name"] == "oslo-config")
    assert config["users"] == ["nova", "horizon"]
    assert config["global_specifier"] == "!=4.3.0,!=4.4.0"


def test_unreadable_lines_go_to_stderr_located(tmp_path, capsys) -> None:
    sample = tmp_path / "alpha.requirements.txt"
    sample.write_text("oslo.config>=1.0\nnot a requirement >= 1\n")
    status = crosswork_adoption(str(sample))
    captured = capsys.readouterr()
    assert status == 0
    assert f"{sample}:2:1: D102 " in captured.err
    assert "alpha: >=1.0" in captured.out


def test_a_missing_file_is_exit_2(tmp_path, capsys) -> None:
    assert crosswork_adoption(str(tmp_path / "none.txt")) == 2
    assert "cannot read" in capsys.readouterr().err


def test_a_url_of_the_files_service_is_fetched(upstream: FakeUpstream, capsys) -> None:
    base = upstream.endpoints().split(",")[0].split("=", 1)[1]
    url = f"{base}/openstack/requirements/services/nova.requirements.txt"
    status = crosswork_adoption(url, environ={"CROSSWORK_ENDPOINTS": f"files={base}"})
    assert status == 0
    assert "nova: >=9.3.0" in capsys.readouterr().out


def test_a_url_elsewhere_is_refused_without_a_request(capsys) -> None:
    assert crosswork_adoption("https://example.org/requirements.txt") == 2
    assert "is not a file of https://" in capsys.readouterr().err


def test_service_names_come_from_the_file_or_its_folder() -> None:
    assert command.service_name("a/nova.requirements.txt") == "nova"
    assert command.service_name("x/glance/requirements.txt") == "glance"
