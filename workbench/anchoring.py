"""Where a claim sits in a revision's canonical text. Pure: no Flask, no DB.

Positions are Unicode code points, as in the W3C TextPositionSelector, which is what Python
string indexing counts. Browsers count UTF-16 code units: an emoji or any character outside
the Basic Multilingual Plane is one code point but two UTF-16 units.

>>> text = "👍 big claim"
>>> utf16_to_codepoint(text, 3), codepoint_to_utf16(text, 2)
(2, 3)
>>> text[2:11]
'big claim'
"""

from __future__ import annotations

from dataclasses import dataclass

#: How many code points of context a TextQuoteSelector keeps on each side.
CONTEXT_LENGTH = 32


class AnchorError(ValueError):
    """A selector that does not fit the text; the message says what was found instead."""


def utf16_to_codepoint(text: str, offset: int) -> int:
    """Code point offset for a UTF-16 offset into ``text``.

    An offset that falls between the two halves of a surrogate pair is moved forward to the
    end of that character, so a selection never splits one.
    """
    if offset < 0:
        raise AnchorError(f"offset {offset} is negative")
    units = 0
    for index, char in enumerate(text):
        if units >= offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    if offset > units:
        raise AnchorError(f"offset {offset} is past the end of the text ({units} UTF-16 units)")
    return len(text)


def codepoint_to_utf16(text: str, offset: int) -> int:
    """UTF-16 offset for a code point offset into ``text``."""
    if not 0 <= offset <= len(text):
        raise AnchorError(f"offset {offset} is outside the text (0–{len(text)})")
    return offset + sum(1 for char in text[:offset] if ord(char) > 0xFFFF)


@dataclass(frozen=True)
class Selectors:
    """A TextPositionSelector and a TextQuoteSelector for the same span."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


def build_selectors(text: str, start: int, end: int) -> Selectors:
    """Selectors for ``text[start:end]`` (code points), with up to 32 code points of context."""
    check_span(text, start, end)
    return Selectors(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_LENGTH):start],
        suffix=text[end:end + CONTEXT_LENGTH],
    )


def check_span(text: str, start: int, end: int) -> None:
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
        raise AnchorError("start and end must be whole numbers")
    if start < 0 or end > len(text):
        raise AnchorError(f"the span {start}–{end} is outside the text, which has {len(text)} characters")
    if start >= end:
        raise AnchorError(f"the span {start}–{end} is empty: end must be greater than start")
    if not text[start:end].strip():
        raise AnchorError(f"the span {start}–{end} holds only white space")


def verify_quote(text: str, start: int, end: int, exact: str) -> Selectors:
    """Selectors for the span, if ``exact`` is what the text holds there.

    :raises AnchorError: naming what the text holds at that position instead.
    """
    check_span(text, start, end)
    found = text[start:end]
    if found != exact:
        raise AnchorError(
            f"the text at {start}–{end} is {_excerpt(found)!r}, not {_excerpt(exact)!r}"
        )
    return build_selectors(text, start, end)


def locate_quote(text: str, exact: str, prefix: str = "", suffix: str = "", near: int | None = None) -> int | None:
    """Start of ``exact`` in ``text``, using prefix and suffix to choose among repeats.

    Returns None when the quote is absent, or when it occurs more than once and neither the
    context nor ``near`` (a preferred position) singles one out.
    """
    if not exact:
        return None
    starts = []
    position = text.find(exact)
    while position != -1:
        starts.append(position)
        position = text.find(exact, position + 1)
    if not starts:
        return None
    if len(starts) == 1:
        return starts[0]

    def context_score(start: int) -> int:
        before = text[max(0, start - len(prefix)):start]
        after = text[start + len(exact):start + len(exact) + len(suffix)]
        return _common_suffix(before, prefix) + _common_prefix(after, suffix)

    scores = {start: context_score(start) for start in starts}
    best = max(scores.values())
    tied = [start for start, score in scores.items() if score == best]
    if len(tied) == 1:
        return tied[0]
    if near is not None:
        return min(tied, key=lambda start: abs(start - near))
    return None


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


def _excerpt(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------------
# Segments for rendering overlapping highlights
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    #: Ids of the claims covering this stretch, in the order the spans were given.
    claims: tuple[int, ...]


def segments(length: int, spans: list[tuple[int, int, int]]) -> list[Segment]:
    """Cut ``[0, length)`` at every span boundary; each piece lists the claims covering it.

    ``spans`` are ``(claim_id, start, end)`` in code points. Overlapping and nested spans give
    pieces carrying several ids, so every highlight knows all the claims it belongs to.
    """
    cuts = {0, length}
    for _claim, start, end in spans:
        cuts.add(max(0, min(start, length)))
        cuts.add(max(0, min(end, length)))
    points = sorted(cuts)
    # Sweep: which claims start or end at each cut.
    starting: dict[int, list[int]] = {}
    ending: dict[int, list[int]] = {}
    order = {claim: index for index, (claim, _s, _e) in enumerate(spans)}
    for claim, start, end in spans:
        if end > start:
            starting.setdefault(start, []).append(claim)
            ending.setdefault(end, []).append(claim)
    active: set[int] = set()
    pieces = []
    for left, right in zip(points, points[1:]):
        active.difference_update(ending.get(left, ()))
        active.update(starting.get(left, ()))
        pieces.append(Segment(left, right, tuple(sorted(active, key=order.__getitem__))))
    return pieces
