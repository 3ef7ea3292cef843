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


# ---------------------------------------------------------------------------
# Re-anchoring claims on a new revision
# ---------------------------------------------------------------------------
#
# For each claim, in order:
#   1. kept     the quote is at the same position, and its context agrees;
#   2. moved    the exact quote is found elsewhere, chosen by its prefix/suffix context
#               (the nearest to where the old position maps, if several fit equally);
#   3. changed  the words were edited: the span the old words map to is similar enough
#               to the quote (a similarity score is kept);
#   4. orphan   none of the above. A claim is never attached to different words silently.

import difflib  # noqa: E402
import re  # noqa: E402
from bisect import bisect_right  # noqa: E402

#: Share of the prefix/suffix context that must agree for an exact quote found elsewhere.
MIN_CONTEXT = 0.4
#: An exact quote at least this long, found once, is the same words even if both neighbours changed.
LONG_QUOTE = 50
#: Least similarity between the old quote and edited words for a "changed" anchor.
FUZZY_THRESHOLD = 0.8
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Reanchored:
    #: kept, moved, changed or orphan.
    state: str
    start: int | None
    end: int | None
    #: 1.0 for an exact quote; the similarity for "changed"; 0 for orphans.
    score: float


class TextDiff:
    """Where the characters of an old text went in a new one.

    Paragraphs are matched first (cheap, and most edits leave most paragraphs alone); the words
    of changed stretches are then matched inside each stretch. The result is a sorted list of
    equal segments ``(old_start, new_start, length)``.
    """

    def __init__(self, old: str, new: str):
        self.segments: list[tuple[int, int, int]] = []
        old_paras, new_paras = _paragraph_spans(old), _paragraph_spans(new)
        matcher = difflib.SequenceMatcher(None, [old[s:e] for s, e in old_paras], [new[s:e] for s, e in new_paras],
                                          autojunk=False)
        removed, added = [], []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for (os_, oe), (ns, _ne) in zip(old_paras[i1:i2], new_paras[j1:j2]):
                    self.segments.append((os_, ns, oe - os_))
            else:
                removed += old_paras[i1:i2]
                added += new_paras[j1:j2]
                if tag == "replace":
                    self._match_words(old, new, old_paras[i1][0], old_paras[i2 - 1][1], new_paras[j1][0],
                                      new_paras[j2 - 1][1])
        self._pair_moved_paragraphs(old, new, removed, added)
        self.segments.sort()
        self._old_starts = [s[0] for s in self.segments]

    def _pair_moved_paragraphs(self, old: str, new: str, removed, added) -> None:
        """A paragraph that left one place and appears, unchanged and once, in another has moved."""
        arrivals: dict[str, list[int]] = {}
        for ns, ne in added:
            arrivals.setdefault(new[ns:ne], []).append(ns)
        departures: dict[str, int] = {}
        for os_, oe in removed:
            departures[old[os_:oe]] = departures.get(old[os_:oe], 0) + 1
        for os_, oe in removed:
            text = old[os_:oe]
            if text.strip() and departures[text] == 1 and len(arrivals.get(text, ())) == 1:
                # Replace any word-level matches inside it by the whole paragraph.
                self.segments = [seg for seg in self.segments if not (os_ <= seg[0] < oe)]
                self.segments.append((os_, arrivals[text][0], oe - os_))

    def map_span(self, start: int, end: int) -> tuple[int, int] | None:
        """The new place of [start, end) when it lies inside one stretch of text that survived intact."""
        index = bisect_right(self._old_starts, start) - 1
        if index >= 0:
            os_, ns, length = self.segments[index]
            if os_ <= start and end <= os_ + length:
                return ns + (start - os_), ns + (end - os_)
        return None

    def _match_words(self, old: str, new: str, o1: int, o2: int, n1: int, n2: int) -> None:
        old_words = [(m.start() + o1, m.end() + o1) for m in _WORD.finditer(old[o1:o2])]
        new_words = [(m.start() + n1, m.end() + n1) for m in _WORD.finditer(new[n1:n2])]
        matcher = difflib.SequenceMatcher(None, [old[s:e] for s, e in old_words], [new[s:e] for s, e in new_words],
                                          autojunk=False)
        for a, b, size in matcher.get_matching_blocks():
            for k in range(size):
                (os_, oe), (ns, _ne) = old_words[a + k], new_words[b + k]
                self.segments.append((os_, ns, oe - os_))

    def map(self, offset: int) -> int | None:
        """The new offset of an old character offset, if the text around it survived."""
        index = bisect_right(self._old_starts, offset) - 1
        if index >= 0:
            os_, ns, length = self.segments[index]
            if os_ <= offset <= os_ + length:
                return ns + (offset - os_)
        return None

    def map_near(self, offset: int) -> int:
        """Like :meth:`map`, but an offset in removed text goes to where the removal happened."""
        exact = self.map(offset)
        if exact is not None:
            return exact
        index = bisect_right(self._old_starts, offset) - 1
        if index < 0:
            return 0 if not self.segments else max(0, self.segments[0][1] - (self.segments[0][0] - offset))
        os_, ns, length = self.segments[index]
        return ns + length


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans, offset = [], 0
    for paragraph in text.split("\n\n"):
        spans.append((offset, offset + len(paragraph)))
        offset += len(paragraph) + 2
    return spans


#: Quotes shorter than this are common phrases ("on Monday."): they need context on both sides.
SHORT_QUOTE = 20


def context_fits(text: str, start: int, end: int, prefix: str, suffix: str, quote_length: int | None = None) -> bool:
    """Enough of the remembered context surrounds the span to call it the claim's own words.

    Each side is compared by similarity, so a typo fixed next to the claim does not count as a
    different context. Short quotes are common phrases ("on Monday."): both sides must agree.
    ``quote_length`` is the original quote's length when the span differs from it (fuzzy matches):
    a short claim stays short however wide the candidate.
    """
    before = text[max(0, start - len(prefix)):start]
    after = text[end:end + len(suffix)]
    sides = [_char_ratio(before, prefix) if prefix else None, _char_ratio(after, suffix) if suffix else None]
    present = [s for s in sides if s is not None]
    if not present:
        return True
    if (quote_length if quote_length is not None else end - start) < SHORT_QUOTE:
        return all(s >= 0.6 for s in present)
    return context_score(text, start, end, prefix, suffix) >= MIN_CONTEXT or sum(present) / len(present) >= 0.7


def context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    """How much of the remembered prefix and suffix surround ``text[start:end]`` (0 to 1)."""
    if not prefix and not suffix:
        return 1.0
    before = text[max(0, start - len(prefix)):start]
    after = text[end:end + len(suffix)]
    return (_common_suffix(before, prefix) + _common_prefix(after, suffix)) / (len(prefix) + len(suffix))


def _is_edge(text: str, i: int) -> bool:
    """True between words: at either end, next to a non-letter, or next to CJK (no spaces there)."""
    if i <= 0 or i >= len(text):
        return True
    a, b = text[i - 1], text[i]
    return not (a.isalnum() and b.isalnum()) or bool(_CJK_CHAR.match(a) or _CJK_CHAR.match(b))


def _keeps_edges(old_text: str, start: int, end: int, new_text: str, new_start: int, new_end: int) -> bool:
    """A quote that began and ended on word edges must do so in the new text ("Segundo a" ≠ "Segundo al…")."""
    return ((not _is_edge(old_text, start) or _is_edge(new_text, new_start))
            and (not _is_edge(old_text, end) or _is_edge(new_text, new_end)))


def reanchor(old_text: str, new_text: str, *, start: int, end: int, exact: str, prefix: str, suffix: str,
             diff: TextDiff | None = None, threshold: float = FUZZY_THRESHOLD) -> Reanchored:
    """Find a claim's words in a new revision of its text.

    :param start, end: the claim's span in ``old_text``, in code points.
    :param diff: a :class:`TextDiff` of the two texts, shared by all claims of a revision.
    :param threshold: least similarity (0–1) for edited words to count as the claim ("changed").
    """
    diff = diff or TextDiff(old_text, new_text)
    # 1. The words' whole stretch of text survived (unchanged or moved paragraph): they are the claim's.
    span = diff.map_span(start, end)
    if span is not None and new_text[span[0]:span[1]] == exact:
        return Reanchored("kept" if span[0] == start else "moved", span[0], span[1], 1.0)
    # Same place, same words, same neighbours.
    if (new_text[start:end] == exact and context_fits(new_text, start, end, prefix, suffix)
            and _keeps_edges(old_text, start, end, new_text, start, end)):
        return Reanchored("kept", start, end, 1.0)

    # 2. The exact words elsewhere, chosen by context.
    mapped = diff.map_near(start)
    found = []
    position = new_text.find(exact)
    while position != -1:
        if _keeps_edges(old_text, start, end, new_text, position, position + len(exact)):
            found.append(position)
        position = new_text.find(exact, position + 1)
    scored = [(context_score(new_text, p, p + len(exact), prefix, suffix), -abs(p - mapped), p) for p in found]
    fitting = [s for s in scored if context_fits(new_text, s[2], s[2] + len(exact), prefix, suffix)]
    if not fitting and len(found) == 1 and len(exact) >= LONG_QUOTE:
        fitting = scored
    if fitting:
        _ctx, _distance, best = max(fitting)
        state = "kept" if best == start else "moved"
        return Reanchored(state, best, best + len(exact), 1.0)

    # 3. Edited words: the span the old words map to, if it still reads like the quote.
    new_start, new_end = diff.map(start), diff.map(end)
    if new_start is None or new_end is None:
        new_start = new_start if new_start is not None else _first_mapped(diff, start, end)
        new_end = new_end if new_end is not None else _last_mapped(diff, start, end)
    if new_start is not None and new_end is not None and new_end > new_start:
        best = _best_fuzzy(new_text, new_start, new_end, exact, prefix, suffix,
                           edges=(_is_edge(old_text, start), _is_edge(old_text, end)))
        if best is not None and best[0] >= threshold:
            similarity, s, e = best
            return Reanchored("changed", s, e, round(similarity, 3))
    return Reanchored("orphan", None, None, 0.0)


def _first_mapped(diff: TextDiff, start: int, end: int) -> int | None:
    """New offset of the first surviving character of [start, end), moved back to the span's start."""
    for os_, ns, length in diff.segments:
        lo, hi = max(os_, start), min(os_ + length, end)
        if lo < hi:
            return ns + (lo - os_) - (lo - start) if lo - start <= 12 else None
    return None


def _last_mapped(diff: TextDiff, start: int, end: int) -> int | None:
    for os_, ns, length in reversed(diff.segments):
        lo, hi = max(os_, start), min(os_ + length, end)
        if lo < hi:
            return ns + (hi - os_) + (end - hi) if end - hi <= 12 else None
    return None


_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _char_ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def similarity(a: str, b: str) -> float:
    """How alike two quotes are (0–1), counted in words where the script separates words.

    Character ratios flatter short quotes ("are busier" and "altered busier" share most letters),
    so words must match; a word differing by a typo (character ratio ≥ 0.75) counts partly.
    Scripts without spaces between words are compared character by character.
    """
    if _CJK_CHAR.search(a):
        return _char_ratio(a, b)
    words_a, words_b = a.split(), b.split()
    if not words_a or not words_b:
        return 0.0
    matcher = difflib.SequenceMatcher(None, words_a, words_b, autojunk=False)
    credit = 0.0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            credit += i2 - i1
        elif tag == "replace":
            for x, y in zip(words_a[i1:i2], words_b[j1:j2]):
                ratio = _char_ratio(x, y)
                credit += ratio if ratio >= 0.75 else 0.0
    return credit / max(len(words_a), len(words_b))


def _best_fuzzy(text: str, start: int, end: int, exact: str, prefix: str, suffix: str,
                edges: tuple[bool, bool] = (True, True)):
    """Best (similarity, start, end) near [start, end), on word boundaries, needing some context.

    Among equally similar spans, the one closest in length to the quote and to where the old
    words map wins (a typo in a short last word must not shorten the claim).
    """
    best, best_key = None, None
    starts = _word_edges(text, start, before=True)
    ends = _word_edges(text, end, before=False)
    for s in starts:
        for e in ends:
            if e - s < max(1, len(exact) // 2) or e - s > 2 * len(exact) + 10:
                continue
            candidate = text[s:e].strip()
            if not candidate:
                continue
            s2 = s + (len(text[s:e]) - len(text[s:e].lstrip()))
            e2 = s2 + len(candidate)
            if (edges[0] and not _is_edge(text, s2)) or (edges[1] and not _is_edge(text, e2)):
                continue
            if not context_fits(text, s2, e2, prefix, suffix, quote_length=len(exact)):
                continue
            score = similarity(exact, candidate)
            key = (round(score, 6), -abs(len(candidate) - len(exact)), -(abs(s2 - start) + abs(e2 - end)))
            if best_key is None or key > best_key:
                best, best_key = (score, s2, e2), key
    return best


def _word_edges(text: str, offset: int, *, before: bool) -> list[int]:
    """The offset itself and the nearest word boundaries around it (up to two words either way)."""
    offset = max(0, min(offset, len(text)))
    edges = {offset}
    for direction in (-1, 1):
        position, found = offset, 0
        while found < 2 and 0 < position < len(text):
            position += direction
            if 0 < position < len(text) and text[position - 1].isspace() != text[position].isspace():
                boundary_ok = (not text[position].isspace()) if before else text[position].isspace()
                if boundary_ok:
                    edges.add(position)
                    found += 1
        if before and offset == 0:
            edges.add(0)
    if not before:
        edges.add(len(text)) if offset >= len(text) - 1 else None
    return sorted(edges)
