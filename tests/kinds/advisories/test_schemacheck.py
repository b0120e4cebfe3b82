"""JSON Schema problems become located diagnostics with the caller's codes."""

from __future__ import annotations

from crosswork.safeyaml import load_yaml
from crosswork.schemacheck import SchemaCodes, format_path, schema_diagnostics

CODES = SchemaCodes(
    unknown_key="T1",
    missing_key="T2",
    wrong_type="T3",
    not_allowed="T4",
    wrong_form="T5",
    out_of_bounds="T6",
    duplicate_item="T7",
    other="T8",
)

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "tags"],
    "properties": {
        "name": {"type": "string", "minLength": 2},
        "kind": {"enum": ["a", "b"]},
        "code": {"type": "string", "pattern": "^[A-Z]+$", "x-expected": "capitals"},
        "tags": {"type": "array", "uniqueItems": True},
        "size": {"type": "integer", "maximum": 3},
        "either": {"not": {"required": ["x"]}},
    },
}


def check(text: str) -> list[str]:
    data, problems = load_yaml("f.yaml", text.encode())
    assert problems == []
    return [str(d) for d in schema_diagnostics(data, SCHEMA, CODES)]


def test_each_kind_of_problem_has_its_code_and_place():
    text = (
        "name: x\nkind: c\ncode: abc\ntags: [a, a]\nsize: 9\neither: {x: 1}\nextra: 1\n"
    )
    assert sorted(check(text)) == [
        "f.yaml:1:7: T6 name: must be at least 2 characters long",
        "f.yaml:2:7: T4 kind: 'c' is not one of: a, b",
        "f.yaml:3:7: T5 code: 'abc' is not capitals",
        "f.yaml:4:11: T7 tags[1]: repeats item 0",
        "f.yaml:5:7: T6 size: must be at most 3",
        "f.yaml:6:10: T8 either: 'x' is not allowed here",
        "f.yaml:7:1: T1 extra: unknown key "
        "(allowed: code, either, kind, name, size, tags)",
    ]


def test_missing_keys_and_wrong_types():
    assert check("name: 5\n") == [
        "f.yaml:1:1: T2 (top level): missing required key 'tags'",
        "f.yaml:1:7: T3 name: expected a string, got the number 5",
    ]


def test_paths_read_like_python():
    assert format_path(("meetings", 0, "time")) == "meetings[0].time"
    assert format_path(()) == "(top level)"
