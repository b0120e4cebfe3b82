"""The strict YAML loader: plain data only, every problem located."""

from __future__ import annotations

import math

import pytest
import yaml

from crosswork import safeyaml
from crosswork.safeyaml import (
    MAX_BYTES,
    MAX_DEPTH,
    LocatedData,
    decode,
    load_yaml,
    resolve_plain_scalar,
)


def messages(text: str | bytes) -> list[str]:
    raw = text.encode() if isinstance(text, str) else text
    _, problems = load_yaml("wg.yaml", raw)
    return [str(problem) for problem in problems]


def value(text: str):
    data, problems = load_yaml("wg.yaml", text.encode())
    assert problems == []
    return data.value


class TestTyping:
    """Plain scalars follow the YAML 1.2 core schema, not YAML 1.1."""

    @pytest.mark.parametrize("text", ["NO", "no", "yes", "on", "Off", "y"])
    def test_norway_words_stay_strings(self, text):
        assert value(f"country: {text}") == {"country": text}

    def test_unquoted_date_stays_a_string(self):
        assert value("date: 2024-01-01") == {"date": "2024-01-01"}

    def test_sexagesimal_time_stays_a_string(self):
        assert value("time: 07:00") == {"time": "07:00"}

    def test_leading_zero_number_is_decimal(self):
        assert value("time: 0700") == {"time": 700}

    def test_quoted_scalars_are_strings(self):
        assert value("a: 'true'\nb: \"12\"") == {"a": "true", "b": "12"}

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("true", True),
            ("False", False),
            ("~", None),
            ("", None),
            ("null", None),
            ("12", 12),
            ("-3", -3),
            ("0o17", 15),
            ("0x1F", 31),
            ("1.5", 1.5),
            ("1e3", 1000.0),
            (".inf", math.inf),
            ("+.inf", math.inf),
            ("-.inf", -math.inf),
            (".Inf", math.inf),
            ("-.INF", -math.inf),
            ("plain words", "plain words"),
        ],
    )
    def test_core_schema(self, text, expected):
        assert resolve_plain_scalar(text) == expected

    def test_nan(self):
        assert math.isnan(resolve_plain_scalar(".nan"))

    def test_the_non_specific_tag_keeps_a_quoted_scalar_a_string(self):
        """``!`` is the one tag allowed, and it does not type quoted text."""
        assert value('a: ! "12"\n') == {"a": "12"}


class TestPositions:
    def test_values_and_keys_are_located(self):
        data, _ = load_yaml("wg.yaml", b"name: x\nmeetings:\n  - time: '15:00'\n")
        assert data.values[("meetings", 0, "time")] == (3, 11)
        assert data.keys[("meetings", 0, "time")] == (3, 5)
        assert data.position(("meetings", 0, "missing")) == (3, 5)

    def test_a_key_position_is_where_the_key_is_not_its_value(self):
        data, _ = load_yaml("wg.yaml", b"name: x\nmeetings:\n  - time: '15:00'\n")
        assert data.position(("meetings", 0, "time"), key=True) == (3, 5)
        assert data.position(("meetings", 0, "time")) == (3, 11)

    def test_a_path_with_no_written_parent_is_at_the_document(self):
        data, _ = load_yaml("wg.yaml", b"# charter\nname: x\n")
        assert data.position(("missing", "deeper")) == (2, 1)

    def test_without_any_position_a_path_is_at_the_start_of_the_file(self):
        assert LocatedData("wg.yaml").position(("a", 0)) == (1, 1)

    def test_a_diagnostic_is_placed_at_its_path_or_its_key(self):
        data, _ = load_yaml("wg.yaml", b"name: x\nchair:  y\n")
        assert [
            str(data.diagnostic(("chair",), "W1", "no chair")),
            str(data.diagnostic(("chair",), "W2", "bad key", key=True)),
        ] == ["wg.yaml:2:9: W1 no chair", "wg.yaml:2:1: W2 bad key"]


class TestRejected:
    def test_duplicate_key(self):
        assert messages("chair: a\nchair: b\n") == [
            "wg.yaml:2:1: Y102 duplicate key 'chair' (first defined at line 1)"
        ]

    def test_a_duplicate_key_keeps_the_first_value_for_later_checks(self):
        data, _ = load_yaml("wg.yaml", b"chair: a\nchair: b\nscope: x\n")
        assert (data.value, data.holes) == ({"chair": "a", "scope": "x"}, set())

    def test_values_left_out_are_holes_located_where_written(self):
        nested = "deep: " + "[" * 11 + "]" * 11 + "\n"
        data, _ = load_yaml("wg.yaml", f"a: &x 1\nb: *x\n{nested}".encode())
        assert data.value == {"a": 1, "b": None, "deep": [[[[[[[[[None]]]]]]]]]}
        assert data.holes == {("b",), ("deep", *[0] * 9)}
        assert (data.values[("b",)], data.values[("deep", *[0] * 9)]) == (
            (2, 4),
            (3, 16),
        )

    def test_anchor_and_alias(self):
        assert messages("a: &x 1\nb: *x\n") == [
            "wg.yaml:1:4: Y103 anchor '&x' not allowed: write the value out",
            "wg.yaml:2:4: Y103 alias '*x' not allowed: write the value out",
        ]

    def test_billion_laughs_fails_at_the_first_anchor(self):
        lol = 'a: &a ["lol","lol"]\n' + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)}]\n"
            for i in range(8)
        )
        found = messages(lol)
        assert (
            found[0] == "wg.yaml:1:4: Y103 anchor '&a' not allowed: write the value out"
        )

    def test_python_tag_has_no_effect(self, tmp_path):
        marker = tmp_path / "pwned"
        text = f"x: !!python/object/apply:os.system ['touch {marker}']\n"
        assert messages(text) == [
            "wg.yaml:1:4: Y104 explicit tag "
            "'tag:yaml.org,2002:python/object/apply:os.system' not allowed"
        ]
        assert not marker.exists()

    def test_custom_tag(self):
        assert messages("x: !secret value\n") == [
            "wg.yaml:1:4: Y104 explicit tag '!secret' not allowed"
        ]

    def test_size_cap(self):
        raw = b"a: " + b"x" * MAX_BYTES + b"\n"
        assert messages(raw) == [
            f"wg.yaml:1:1: Y105 file is {len(raw)} bytes, more than the "
            f"{MAX_BYTES} byte cap"
        ]

    def test_byte_order_mark(self):
        assert messages(b"\xef\xbb\xbfa: 1\n") == [
            "wg.yaml:1:1: Y106 byte order mark not allowed: save as UTF-8"
        ]

    def test_a_file_of_exactly_the_size_cap_is_read(self):
        raw = b"a: " + b"x" * (MAX_BYTES - 4) + b"\n"
        assert (len(raw), messages(raw)) == (MAX_BYTES, [])

    def test_decoding_utf8_text_finds_no_problem(self):
        assert decode("wg.yaml", b"a: caf\xc3\xa9\n") == ("a: caf\u00e9\n", [])

    def test_not_utf8(self):
        assert messages(b"a: 1\nname: caf\xe9\n") == [
            "wg.yaml:2:10: Y106 byte 0xE9 is not UTF-8: save the file as UTF-8"
        ]

    @pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f", "\ufffe"])
    def test_a_character_yaml_forbids_is_located(self, character):
        assert messages(f"a: 1\nname: x{character}y\n") == [
            f"wg.yaml:2:8: Y101 character U+{ord(character):04X} is not allowed in YAML"
        ]

    def test_a_forbidden_character_is_located_among_many_lines(self):
        """Line and column count the newlines before the character only."""
        text = "\n\na: 1\nname: x\x00y\n"
        assert messages(text) == [
            "wg.yaml:4:8: Y101 character U+0000 is not allowed in YAML"
        ]

    def test_a_forbidden_character_after_a_leading_blank_line_is_located(self):
        assert messages("\na: x\x00\n") == [
            "wg.yaml:2:5: Y101 character U+0000 is not allowed in YAML"
        ]

    @pytest.mark.parametrize(
        "raw", [b"", b"\xef\xbb\xbfa: 1\n", b"a: \x00\n", b"a: [\n"]
    )
    def test_data_refused_whole_still_names_its_file(self, raw):
        data, problems = load_yaml("wg.yaml", raw)
        assert (data.path, data.value, len(problems)) == ("wg.yaml", None, 1)

    def test_two_documents(self):
        assert messages("a: 1\n---\nb: 2\n") == [
            "wg.yaml:2:1: Y107 only one YAML document is allowed"
        ]

    def test_empty_file(self):
        assert messages("") == ["wg.yaml:1:1: Y108 the file is empty"]

    def test_comment_only_file_is_empty(self):
        assert messages("# nothing yet\n") == ["wg.yaml:1:1: Y108 the file is empty"]

    def test_tab_indentation_is_a_syntax_error(self):
        assert messages("a:\n\tb: 1\n") == [
            "wg.yaml:2:1: Y101 found character '\\t' that cannot start any token"
        ]

    def test_syntax_error_is_located(self):
        assert messages("a: [1, 2\nb: 3\n") == [
            "wg.yaml:2:2: Y101 expected ',' or ']', but got ':'"
        ]

    def test_depth_cap(self):
        nested = "".join(f"{'  ' * i}k{i}:\n" for i in range(11)) + "  " * 11 + "v: 1\n"
        assert messages(nested) == ["wg.yaml:11:21: Y109 nesting deeper than 10 levels"]

    def test_sequences_deeper_than_the_cap_stop_at_the_cap(self):
        assert messages("[" * 5000 + "]" * 5000) == [
            "wg.yaml:1:11: Y109 nesting deeper than 10 levels"
        ]

    def test_flow_nesting_past_the_cap_keeps_one_possible_key_per_level_up_to_it(
        self, monkeypatch
    ):
        """PyYAML's scanner keeps a possible simple key for each open bracket
        and looks at all of them for every token: time growing with the
        square of the open brackets, minutes for 32 KiB of them. Past the
        depth cap the loader keeps only the innermost one, so the number
        kept never passes the cap however deep the brackets go."""
        most = 0
        save = safeyaml._Loader.save_possible_simple_key

        def counting(loader):
            nonlocal most
            save(loader)
            most = max(most, len(loader.possible_simple_keys))

        monkeypatch.setattr(safeyaml._Loader, "save_possible_simple_key", counting)
        levels = 1000
        found = messages("a: " + "[" * levels + "]" * levels + "\n")
        assert (found, most) == (
            ["wg.yaml:1:13: Y109 nesting deeper than 10 levels"],
            MAX_DEPTH,
        )

    def test_flow_mappings_past_the_cap_are_refused_for_depth_alone(self):
        """Keeping one possible key past the cap still reads ``{k: v, l: w}``
        and collections closed and opened again at other depths."""
        deep = "[" * 11 + "{k: v, l: w}, [{m: n}, [x]], {o: p}" + "]" * 11
        assert messages(f"a: {deep}\nb: 1\nb: 2\n") == [
            "wg.yaml:1:13: Y109 nesting deeper than 10 levels",
            "wg.yaml:3:1: Y102 duplicate key 'b' (first defined at line 2)",
        ]

    def test_checking_goes_on_after_data_nested_too_deep(self):
        assert messages("a: [[[[[[[[[[[{k: v}]]]]]]]]]]]\na: 2\n") == [
            "wg.yaml:1:13: Y109 nesting deeper than 10 levels",
            "wg.yaml:2:1: Y102 duplicate key 'a' (first defined at line 1)",
        ]

    def test_problems_before_a_syntax_error_are_reported_with_it(self):
        assert messages("a: 1\na: 2\nb: [1\n") == [
            "wg.yaml:2:1: Y102 duplicate key 'a' (first defined at line 1)",
            "wg.yaml:4:1: Y101 expected ',' or ']', but got '<stream end>'",
        ]

    def test_a_syntax_error_with_no_place_is_at_the_start_of_the_file(self):
        """PyYAML's errors carry a place; one that does not is still reported."""
        bare = safeyaml._stopped("wg.yaml", yaml.MarkedYAMLError())
        assert str(bare) == "wg.yaml:1:1: Y101 syntax error"

    def test_a_syntax_error_with_only_a_context_reports_the_context(self):
        mark = yaml.Mark("wg.yaml", 0, 2, 4, "", 0)
        error = yaml.MarkedYAMLError(context="while scanning", context_mark=mark)
        found = safeyaml._stopped("wg.yaml", error)
        assert str(found) == "wg.yaml:3:5: Y101 while scanning"

    def test_a_syntax_error_leaves_no_data_for_later_checks(self):
        data, _ = load_yaml("wg.yaml", b"a: 1\nb: [1\n")
        assert (data.value, data.values) == (None, {})

    def test_block_sequences_deeper_than_the_cap_stop_at_the_cap(self):
        assert messages("- " * 5000 + "x\n") == [
            "wg.yaml:1:21: Y109 nesting deeper than 10 levels"
        ]

    def test_complex_key(self):
        assert messages("? [a, b]\n: 1\n") == [
            "wg.yaml:1:3: Y110 keys must be plain strings"
        ]

    @pytest.mark.parametrize(
        ("text", "finding"),
        [
            ("1: x", "wg.yaml:1:1: Y110 key '1' is not a plain string"),
            ("1.5: x", "wg.yaml:1:1: Y110 key '1.5' is not a plain string"),
            ("true: x", "wg.yaml:1:1: Y110 key 'true' is not a plain string"),
            ("~: x", "wg.yaml:1:1: Y110 key '~' is not a plain string"),
            ('"": x', "wg.yaml:1:1: Y110 key '' is not a plain string"),
        ],
    )
    def test_a_key_that_is_not_a_string_is_reported(self, text, finding):
        assert messages(text) == [finding]

    def test_an_alias_as_a_key_is_reported(self):
        assert messages("a: &k b\n*k : c\n") == [
            "wg.yaml:1:4: Y103 anchor '&k' not allowed: write the value out",
            "wg.yaml:2:1: Y103 alias '*k' not allowed: write the value out",
        ]

    @pytest.mark.parametrize(
        ("bad", "finding"),
        [
            ("1: [x, y]\n", "wg.yaml:1:1: Y110 key '1' is not a plain string"),
            ("? {a: b}\n: [x]\n", "wg.yaml:1:3: Y110 keys must be plain strings"),
            (
                "*k : {x: y}\n",
                "wg.yaml:1:1: Y103 alias '*k' not allowed: write the value out",
            ),
        ],
    )
    def test_checking_goes_on_after_a_bad_key(self, bad, finding):
        data, problems = load_yaml("wg.yaml", f"{bad}name: y\nname: z\n".encode())
        assert data.value == {"name": "y"}
        lines = bad.count("\n")
        assert [str(problem) for problem in problems] == [
            finding,
            f"wg.yaml:{lines + 2}:1: Y102 duplicate key 'name' "
            f"(first defined at line {lines + 1})",
        ]

    def test_values_of_two_bad_keys_are_not_duplicates_of_each_other(self):
        """Each bad key's value is read apart: keys in one are not compared
        with keys in another, nor with a duplicate's."""
        assert messages("1: {b: x}\n2: {b: y}\na: {c: 1}\na: {c: 2}\na: {c: 3}\n") == [
            "wg.yaml:1:1: Y110 key '1' is not a plain string",
            "wg.yaml:2:1: Y110 key '2' is not a plain string",
            "wg.yaml:4:1: Y102 duplicate key 'a' (first defined at line 3)",
            "wg.yaml:5:1: Y102 duplicate key 'a' (first defined at line 3)",
        ]

    def test_the_value_of_a_bad_key_is_located_under_a_question_mark(self):
        data, _ = load_yaml("wg.yaml", b"name: x\n1: [y]\n")
        assert (data.value, data.values[("?",)]) == ({"name": "x"}, (2, 4))

    @pytest.mark.parametrize(
        ("key", "finding"),
        [
            ("1", "wg.yaml:2:1: Y110 key '1' is not a plain string"),
            ("a", "wg.yaml:2:1: Y102 duplicate key 'a' (first defined at line 1)"),
        ],
    )
    def test_the_value_of_a_bad_or_duplicate_key_is_capped_at_the_same_depth(
        self, key, finding
    ):
        """Nine brackets under a key of the document are within the cap of
        ten levels, ten are not, whether the key is read or refused."""
        within = f"a: 1\n{key}: " + "[" * 9 + "]" * 9 + "\n"
        beyond = f"a: 1\n{key}: " + "[" * 10 + "]" * 10 + "\n"
        assert (messages(within), messages(beyond)) == (
            [finding],
            [finding, "wg.yaml:2:13: Y109 nesting deeper than 10 levels"],
        )

    def test_every_problem_at_once(self):
        found = messages("a: 1\na: 2\nb: &x 3\nc: !t 4\n")
        assert [line.split(" ")[1] for line in found] == ["Y102", "Y103", "Y104"]
