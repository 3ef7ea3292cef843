"""Pure checks on what a request carries: how deep its JSON nests, and characters that are no text.

NUL (U+0000) cannot be stored in PostgreSQL text, and a lone surrogate (U+D800–U+DFFF, which
JSON's ``\\ud800`` escape can produce) is no character at all: it cannot be written as UTF-8.
"""

from __future__ import annotations

import re
from typing import Iterator

#: Deeper JSON is refused before it is parsed (Python's parser recurses once per level).
MAX_JSON_DEPTH = 64

# A JSON string, escapes included (the unrolled form: no backtracking on long strings).
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
_UNUSABLE = re.compile("[\x00\ud800-\udfff]")


def json_too_deep(text: str | bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON ``text`` nests arrays and objects more than ``limit`` levels deep.

    Brackets inside strings do not count. Text that is not JSON may be judged either way; the
    parser refuses it afterwards. Linear, and it stops at the first level past the limit.
    """
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", "replace")
    if text.count("[") + text.count("{") <= limit:
        return False  # the common case: too few brackets to nest that deep
    brackets = _NOT_A_BRACKET.sub("", _JSON_STRING.sub("", text))
    depth = 0
    for bracket in brackets:
        if bracket in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def unusable_character(value: str) -> str | None:
    """What makes ``value`` unusable as text (a NUL, a lone surrogate), or None when it is fine."""
    found = _UNUSABLE.search(value)
    if found is None:
        return None
    char = found.group()
    if char == "\x00":
        return "a NUL character (U+0000)"
    return f"a lone surrogate (U+{ord(char):04X}), which is not a character"


def unusable_strings(value, path: str = "") -> Iterator[tuple[str, str, bool]]:
    """(field path, string, whether it is a key) for every key and string in a JSON value that holds
    an unusable character. Paths read like ``body[1].value`` or ``target.selector[0].exact``; a key
    is named by the object it is in.
    """
    if isinstance(value, str):
        if _UNUSABLE.search(value):
            yield path or "body", value, False
    elif isinstance(value, dict):
        for key, item in value.items():
            if _UNUSABLE.search(key):
                yield path or "body", key, True
                continue
            yield from unusable_strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from unusable_strings(item, f"{path}[{index}]" if path else f"[{index}]")
