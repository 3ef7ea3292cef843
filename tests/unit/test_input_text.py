"""The pure input checks: JSON nesting depth, and characters that are no text."""

import json
import time

import pytest

from workbench.text.cleaning import normalize_block
from workbench.text.paste_cleaning import clean_text
from workbench.text.input_text import (
    MAX_JSON_DEPTH,
    json_too_deep,
    unusable_character,
    unusable_strings,
)


@pytest.mark.parametrize("text, too_deep", [
    pytest.param("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH, False, id="at_the_limit"),
    pytest.param("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1), True, id="one_past"),
    pytest.param('{"a":' * 65 + "1" + "}" * 65, True, id="objects"),
    pytest.param(json.dumps({"text": "[" * 10_000}), False, id="brackets_in_a_string_do_not_count"),
    pytest.param(json.dumps({"text": 'a \\" [[[' * 1000}), False, id="escaped_quotes_in_a_string"),
    pytest.param("[" + "[]," * 100_000 + "[]]", False, id="wide_but_shallow"),
    pytest.param(b"[" * 100 + b"]" * 100, True, id="bytes"),
    pytest.param("[" * 1_000_000, True, id="unclosed"),
])
def test_json_depth(text, too_deep):
    assert json_too_deep(text) is too_deep


def test_json_depth_check_is_fast_on_a_large_body():
    body = json.dumps({"text": "word [x] " * 500_000, "list": [[1, 2]] * 50_000})
    started = time.perf_counter()
    assert not json_too_deep(body)
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("value, found", [
    ("plain text, emoji 😀 and Ω", None),
    ("a\x00b", "a NUL character (U+0000)"),
    ("a\ud800b", "a lone surrogate (U+D800), which is not a character"),
    ("\udfff", "a lone surrogate (U+DFFF), which is not a character"),
    ("tab\tnewline\n", None),
])
def test_unusable_character(value, found):
    assert unusable_character(value) == found


def test_unusable_strings_name_their_path():
    document = {"type": "Annotation", "body": [{"value": "ok"}, {"value": "x\x00"}],
                "target": {"selector": [{"exact": "\ud83d"}]}, "k\x00": 1}
    assert sorted((path, is_key) for path, _, is_key in unusable_strings(document)) == [
        ("body", True), ("body[1].value", False), ("target.selector[0].exact", False)]
    assert list(unusable_strings("\x00")) == [("body", "\x00", False)]
    assert list(unusable_strings([1, 2.5, None, True])) == []


def test_the_cleaner_drops_control_characters_from_article_text():
    assert normalize_block("Head\x00line\x07 and\x1b tab\there") == "Headline and tab here"
    blocks = clean_text("Head\x00line\n\nThe minister\x00 said so.\x7f").blocks
    assert [b.text for b in blocks] == ["Headline", "The minister said so."]
