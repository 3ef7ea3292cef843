"""What changed between two texts, word by word, for people to read. Pure."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Piece:
    #: equal, added or removed.
    kind: str
    text: str


def word_diff(old: str, new: str) -> list[list[Piece]]:
    """The new text's paragraphs (and removed ones) as runs of equal, added and removed words."""
    old_paras, new_paras = old.split("\n\n"), new.split("\n\n")
    matcher = difflib.SequenceMatcher(None, old_paras, new_paras, autojunk=False)
    result: list[list[Piece]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result += [[Piece("equal", p)] for p in new_paras[j1:j2]]
        elif tag == "insert":
            result += [[Piece("added", p)] for p in new_paras[j1:j2]]
        elif tag == "delete":
            result += [[Piece("removed", p)] for p in old_paras[i1:i2]]
        else:
            result += _words(" ".join(old_paras[i1:i2]), " ".join(new_paras[j1:j2]))
    return result


def _words(old: str, new: str) -> list[list[Piece]]:
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Piece("equal", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            pieces.append(Piece("removed", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            pieces.append(Piece("added", "".join(b[j1:j2])))
    return [pieces]
