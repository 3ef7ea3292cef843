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
# A TextDiff aligns the two revisions: paragraphs first, then, inside paragraphs that changed,
# script-aware tokens (words where the script puts spaces between them, single characters of
# Chinese, Japanese, Korean and Thai). Each old paragraph is paired with the new paragraph that
# received its words (its paragraph alignment). For each claim, in order:
#   1. kept     the quote's characters survived together, where the diff says they went, with
#               enough of their paragraph around them (see _confirmed);
#   2. moved    the exact quote is found elsewhere: in its aligned paragraph with context on one
#               side, or in another paragraph with context on both sides; found once in its
#               aligned paragraph with its paragraph reading alike around it but no word right
#               next to it intact, it is placed as changed (the same words, in a changed context);
#   3. changed  the words were edited: most of them survived, in order, in the aligned paragraph,
#               around one or two edits, with context on at least one side; or three quarters of
#               their letters survived there and read alike, in tokens or, where markup around
#               them was rewritten, in letters and digits alone; or the edited span
#               reads like the quote (similarity ≥ the threshold). With the words next to it
#               replaced by longer ones, it is placed on its survivors alone; with most of its
#               survivors in another paragraph that received part of its own (a sentence moved
#               out, a paragraph split), there, on a stretch said once in each text. Marks right
#               beside its surviving words (a heading's underline) are its own. When the diff
#               paired too little of a rewritten paragraph (or paired its words with another
#               copy), the paragraph is aligned again on its own with its aligned one (a
#               neighbour aligned alongside confirming the pair) and the claim mapped through:
#               half its letters there, in order, close together. The score is the similarity;
#   4. orphan   none of the above. A claim is never attached to different words silently.

import difflib  # noqa: E402
from collections import Counter  # noqa: E402
import re  # noqa: E402
import unicodedata  # noqa: E402
from typing import Callable  # noqa: E402
from bisect import bisect_right  # noqa: E402

#: Share of the prefix/suffix context that must agree for an exact quote found elsewhere.
MIN_CONTEXT = 0.4
#: An exact quote at least this long, found once, is the same words even if both neighbours changed.
LONG_QUOTE = 50
#: Least similarity between the old quote and edited words for a "changed" anchor on similarity
#: alone (with context agreeing): below it, a rewording reads like a different statement.
FUZZY_THRESHOLD = 0.8
#: Quotes shorter than this are common phrases ("on Monday."): they need more than the words.
SHORT_QUOTE = 20
#: Characters of a claim's own paragraph that must survive next to it for that side to count as
#: intact context (fewer if the paragraph has fewer on that side): one short word is not a place.
INTACT_SIDE = 8
#: Share of an old paragraph's characters that must reach one new paragraph for the two to be
#: aligned (one replaced by one counts too): a quarter is far more than a shared phrase gives,
#: and a paragraph that was half rewritten is still the same paragraph.
PARAGRAPH_SHARE = 0.25
#: A paragraph whose letters and digits went this far into one new paragraph is that paragraph,
#: restyled (markup, punctuation, spacing): a quote found once in both is confirmed there, whatever
#: its neighbouring marks became, if it is found once in each text. A rewritten paragraph keeps
#: far less.
PARAGRAPH_KEPT = 0.8
#: An edited claim is placed on evidence when at least this share of its characters survived, in
#: order, in one place: then more of the claim is there than is gone, so its place is not a guess
#: (the real-edit corpus's oracle calls the words gone below a third).
EDIT_SURVIVAL = 0.5
#: A short claim (a few words) edited with context surviving on one side only needs this much of
#: it left: when half of two or three words changed, the new words are as likely a new phrase.
SHORT_EDIT_SURVIVAL = 2 / 3
#: A claim placed on similarity alone (a typo inside a word, which the token diff cannot see) must
#: still have this share of its characters in place, unless it is one word: a renamed identifier
#: with two or three symbols around it reads alike but is not the same words.
TYPO_SURVIVAL = 1 / 3
#: ... unless this share of its characters survived (then words were only inserted among them).
WORDS_ALL_THERE = 0.9
#: A claim may grow to three times its length (links added) only if this share of it survived.
MARKUP_SURVIVAL = 0.9
#: ... with at most this many edited stretches in the claim and its context: an editor revising a
#: claim's words makes one or two changes there; more, alternating with survivors, is a
#: rewording of the sentence whose common words are coincidence.
MAX_EDITS = 2
#: ... and reading at least this much like the quote, so that a claim whose survivors are only
#: punctuation and spaces around rewritten words is not placed.
EDIT_SIMILARITY = 0.4
#: An edited claim with no intact context on either side is still placed in its aligned paragraph
#: when this share of its letters survived there, in order (three quarters: the oracle's "gone"
#: starts below a third, and a sentence rewritten around shared words keeps far less) ...
MOSTLY_SURVIVED = 0.75
#: ... and the words there read this much like it (more than two tokens in three the same: a
#: sentence with every other word replaced keeps half of them, and its claims are gone).
MOSTLY_SIMILAR = 0.7
#: ... or its letters and digits, in order, read this much alike (most of them the same, in order;
#: two unrelated phrases of a document share far fewer in sequence).
LETTERS_SIMILAR = 0.75
#: ... or, with edits alternating with its survivors, this much: markup rewritten around a
#: claim's words (a reStructuredText badge turned into Markdown) leaves 0.95 and more, a sentence
#: with every other word replaced about 0.78 (its long words standing).
MARKUP_REWRITTEN_LETTERS = 0.9
#: A claim cut short (one stretch of it left whole) reads at least this much like it.
TRUNCATED_SIMILAR = 0.6
#: Characters of an unpaired stretch, found once in each text, for the stretch to count as moved
#: there: a sentence, not a phrase that recurs by chance.
MOVED_STRETCH = 30
#: How far either side of a claim its neighbouring words are read when markup around it changed
#: (".. code:: bibtex" restyled as "```bibtex"): the remembered context's length in the old text,
#: and twice that in the new one, which may have gained marks between the same words.
WORD_CONTEXT = CONTEXT_LENGTH
#: Every character of these scripts is a token for alignment and similarity: they write no spaces
#: between words (Han, kana, Thai, Lao, Khmer, Myanmar) or join syllables into words (Hangul),
#: and an edit changes single characters of a word as often as whole words.
_UNSPACED = ("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
             "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f")
_DIFF_TOKEN = re.compile(rf"\s+|[{_UNSPACED}]|[^\W{_UNSPACED}]+|.", re.S)
_SIM_TOKEN = re.compile(rf"[{_UNSPACED}]|[^\s{_UNSPACED}]+")
_WORD_CHAR = re.compile(r"\w")
#: The words of a context, marks and spaces aside: letters and digits, a character each in scripts
#: that write no spaces.
_CONTEXT_WORD = re.compile(rf"[{_UNSPACED}]|[^\W_{_UNSPACED}]+")
_DIGITS = re.compile(r"\d+")
_UNSPACED_CHAR = re.compile(rf"[{_UNSPACED}]")
#: A whole word in the context before a claim (its start inside the context), or after it.
_WHOLE_WORD_BEFORE = re.compile(rf"(?:(?<=\W)\w+|[{_UNSPACED}])\W*$")
_WHOLE_WORD_AFTER = re.compile(rf"^\W*(?:\w+(?=\W)|[{_UNSPACED}])")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")


@dataclass(frozen=True)
class Reanchored:
    #: kept, moved, changed or orphan.
    state: str
    start: int | None
    end: int | None
    #: 1.0 for an exact quote; the similarity for "changed"; 0 for orphans.
    score: float
    #: For "changed": what the evidence was (edited words, or the same words in a changed context).
    reason: str = ""


class TextDiff:
    """Where the characters of an old text went in a new one.

    Paragraphs are matched first (cheap, and most edits leave most paragraphs alone); the tokens
    of changed stretches are then matched inside each stretch. The result is a sorted list of
    equal segments ``(old_start, new_start, length)``, and each old paragraph's aligned new one.
    """

    def __init__(self, old: str, new: str):
        self.segments: list[tuple[int, int, int]] = []
        self._old, self._new = old, new
        self.old_paras, self.new_paras = _paragraph_spans(old), _paragraph_spans(new)
        old_paras, new_paras = self.old_paras, self.new_paras
        matcher = difflib.SequenceMatcher(None, [old[s:e] for s, e in old_paras], [new[s:e] for s, e in new_paras],
                                          autojunk=False)
        removed, added = [], []
        #: Old paragraph index -> new paragraph index, for the paragraphs that were kept whole.
        self._whole: dict[int, int] = {}
        one_for_one: dict[int, int] = {}
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for k, ((os_, oe), (ns, _ne)) in enumerate(zip(old_paras[i1:i2], new_paras[j1:j2])):
                    self.segments.append((os_, ns, oe - os_))
                    self._whole[i1 + k] = j1 + k
            else:
                removed += range(i1, i2)
                added += range(j1, j2)
                if tag == "replace":
                    if i2 - i1 == j2 - j1 == 1:
                        one_for_one[i1] = j1
                    self._match_tokens(old, new, old_paras[i1][0], old_paras[i2 - 1][1], new_paras[j1][0],
                                       new_paras[j2 - 1][1])
        self._pair_moved_paragraphs(old, new, removed, added)
        self._drop_lone_repeats(old, new)
        self._pair_moved_stretches(old, new, removed)
        self.segments.sort()
        self._old_starts = [s[0] for s in self.segments]
        self._old_para_starts = [s for s, _e in old_paras]
        self._new_para_starts = [s for s, _e in new_paras]
        self._align(one_for_one)
        if self._pair_sandwiched_repeats(old, new):
            self.segments.sort()
            self._old_starts = [s[0] for s in self.segments]
            self._align(one_for_one)

    def _pair_sandwiched_repeats(self, old: str, new: str) -> bool:
        """A paragraph said more than once (".. code-block:: python") left unpaired, whose
        neighbours on both sides are aligned with the new paragraphs on both sides of the same
        words, said there once, is that copy: the paragraph alignment places it between them.
        Whether any was paired."""
        paired = False
        covered = {self.new_paragraph(ns) for _os, ns, _length in self.segments}
        for i, (os_, oe) in enumerate(self.old_paras):
            if i in self._whole or i == 0 or i + 1 == len(self.old_paras) or not old[os_:oe].strip():
                continue
            before, after = self.aligned.get(i - 1), self.aligned.get(i + 1)
            if before is None or after != before + 2:
                continue
            j = before + 1
            ns, ne = self.new_paras[j]
            if new[ns:ne] != old[os_:oe] or j in covered or self.pieces(os_, oe):
                continue
            self.segments.append((os_, ns, oe - os_))
            self._whole[i] = j
            covered.add(j)
            paired = True
        return paired

    def _pair_moved_paragraphs(self, old: str, new: str, removed: list[int], added: list[int]) -> None:
        """A paragraph that left one place and appears, unchanged and once, in another has moved."""
        arrivals: dict[str, list[int]] = {}
        for j in added:
            ns, ne = self.new_paras[j]
            arrivals.setdefault(new[ns:ne], []).append(j)
        departures: dict[str, int] = {}
        for i in removed:
            os_, oe = self.old_paras[i]
            departures[old[os_:oe]] = departures.get(old[os_:oe], 0) + 1
        for i in removed:
            os_, oe = self.old_paras[i]
            text = old[os_:oe]
            if text.strip() and departures[text] == 1 and len(arrivals.get(text, ())) == 1:
                # Replace any token matches inside it by the whole paragraph.
                j = arrivals[text][0]
                self.segments = [seg for seg in self.segments if not (os_ <= seg[0] < oe)]
                self.segments.append((os_, self.new_paras[j][0], oe - os_))
                self._whole[i] = j

    def _pair_moved_stretches(self, old: str, new: str, removed: list[int]) -> None:
        """A long stretch of a changed paragraph that the alignment left unpaired (a sentence
        moved out into a new paragraph further on, past the text that replaced it), found word
        for word exactly once in each text, where nothing else was paired, went there."""
        covered_old = sorted((os_, os_ + length) for os_, _ns, length in self.segments)
        covered_new = sorted((ns, ns + length) for _os, ns, length in self.segments)
        new_starts = [a for a, _b in covered_new]

        def free_in_new(a: int, b: int) -> bool:
            k = bisect_right(new_starts, a) - 1
            for lo, hi in covered_new[max(0, k):]:
                if lo >= b:
                    break
                if hi > a:
                    return False
            return True

        starts = [a for a, _b in covered_old]
        for i in removed:
            ps, pe = self.old_paras[i]
            k = max(0, bisect_right(starts, ps) - 1)
            at = ps
            gaps = []
            for lo, hi in covered_old[k:] + [(pe, pe)]:
                if lo >= pe:
                    lo = hi = pe
                if lo > at:
                    gaps.append((at, min(lo, pe)))
                at = max(at, hi)
                if at >= pe:
                    break
            for a, b in gaps:
                text = old[a:b]
                a += len(text) - len(text.lstrip())
                text = text.strip()
                if len(text) < MOVED_STRETCH or old.count(text) != 1 or new.count(text) != 1:
                    continue
                n = new.find(text)
                if free_in_new(n, n + len(text)):
                    self.segments.append((a, n, len(text)))

    def _drop_lone_repeats(self, old: str, new: str) -> None:
        """A paragraph said more than once ("## Usage", "Example:") paired on its own, with
        neither neighbour paired alongside, may be any of its copies: the pairing is dropped."""
        old_counts: dict[str, int] = {}
        new_counts: dict[str, int] = {}
        for s, e in self.old_paras:
            old_counts[old[s:e]] = old_counts.get(old[s:e], 0) + 1
        for s, e in self.new_paras:
            new_counts[new[s:e]] = new_counts.get(new[s:e], 0) + 1
        for i, j in list(self._whole.items()):
            s, e = self.old_paras[i]
            if old_counts[old[s:e]] == 1 and new_counts[old[s:e]] == 1:
                continue
            if self._whole.get(i - 1) == j - 1 or self._whole.get(i + 1) == j + 1:
                continue
            del self._whole[i]
            self.segments = [seg for seg in self.segments if not (s <= seg[0] < e)]

    def _match_tokens(self, old: str, new: str, o1: int, o2: int, n1: int, n2: int) -> None:
        old_tokens = [(m.start() + o1, m.end() + o1) for m in _DIFF_TOKEN.finditer(old[o1:o2])]
        new_tokens = [(m.start() + n1, m.end() + n1) for m in _DIFF_TOKEN.finditer(new[n1:n2])]
        matcher = difflib.SequenceMatcher(None, [old[s:e] for s, e in old_tokens], [new[s:e] for s, e in new_tokens],
                                          autojunk=False)
        for a, b, size in matcher.get_matching_blocks():
            if size == 0:
                continue
            block = old[old_tokens[a][0]:old_tokens[a + size - 1][1]]
            if not block.strip():
                continue  # white space alone says nothing of where words went
            os_, ns = old_tokens[a][0], new_tokens[b][0]
            self.segments.append((os_, ns, old_tokens[a + size - 1][1] - os_))

    def _align(self, one_for_one: dict[int, int]) -> None:
        """Pair each old paragraph with the new one that received most of its characters."""
        received: dict[int, dict[int, int]] = {}
        for os_, ns, length in self.segments:
            # A stretch may run over paragraph breaks: each part counts for its own paragraphs.
            offset = 0
            while offset < length:
                i, j = self.old_paragraph(os_ + offset), self.new_paragraph(ns + offset)
                upto = min(length, self.old_paras[i][1] + 2 - os_, self.new_paras[j][1] + 2 - ns)
                upto = max(upto, offset + 1)
                received.setdefault(i, {})
                received[i][j] = received[i].get(j, 0) + upto - offset
                offset = upto
        self.aligned: dict[int, int] = {}
        #: Old paragraph index -> the new paragraphs that received any of its characters.
        self.receivers = {i: set(targets) for i, targets in received.items()}
        self._received = received
        for i, targets in received.items():
            j, chars = max(targets.items(), key=lambda item: item[1])
            os_, oe = self.old_paras[i]
            if chars >= PARAGRAPH_SHARE * (oe - os_) or one_for_one.get(i) == j:
                self.aligned[i] = j
        for i, j in one_for_one.items():
            self.aligned.setdefault(i, j)
        self._kept_share: dict[int, tuple[int | None, float]] = {}

    def split_into(self, i: int, j: int) -> bool:
        """Whether new paragraph ``j`` is part of old paragraph ``i`` split off: next to the one
        aligned with it, and made for the most part (half its characters) of its text."""
        aligned = self.aligned.get(i)
        if aligned is None or abs(j - aligned) != 1:
            return False
        ns, ne = self.new_paras[j]
        return self._received.get(i, {}).get(j, 0) * 2 >= ne - ns > 0

    def kept_share(self, i: int) -> tuple[int | None, float]:
        """The new paragraph that received most of old paragraph ``i``'s letters and digits, and
        the share of them it received."""
        if i not in self._kept_share:
            s, e = self.old_paras[i]
            counts: dict[int, int] = {}
            for os_, ns, length in self.pieces(s, e):
                j = self.new_paragraph(ns)
                counts[j] = counts.get(j, 0) + len(_WORD_CHAR.findall(self._old, os_, os_ + length))
            total = len(_WORD_CHAR.findall(self._old, s, e))
            j, count = max(counts.items(), key=lambda item: item[1]) if counts else (None, 0)
            self._kept_share[i] = (j, count / total if total else 0.0)
        return self._kept_share[i]

    def from_elsewhere(self, new_text: str, new_start: int, new_end: int, start: int, end: int) -> bool:
        """Whether some words of new [new_start, new_end) are, by the diff, the image of old text
        outside [start, end): then they are another passage's, not a claim from [start, end).
        Punctuation paired elsewhere says nothing (the diff pairs repeated marks arbitrarily)."""
        if not hasattr(self, "_by_new"):
            self._by_new = sorted((ns, os_, length) for os_, ns, length in self.segments)
            self._new_starts = [s[0] for s in self._by_new]
        index = max(0, bisect_right(self._new_starts, new_start) - 1)
        for ns, os_, length in self._by_new[index:]:
            if ns >= new_end:
                break
            lo, hi = max(ns, new_start), min(ns + length, new_end)
            if (lo < hi and not (start <= os_ + (lo - ns) and os_ + (hi - ns) <= end)
                    and _WORD_CHAR.search(new_text, lo, hi)):
                return True
        return False

    def old_paragraph(self, offset: int) -> int:
        return max(0, bisect_right(self._old_para_starts, offset) - 1)

    def new_paragraph(self, offset: int) -> int:
        return max(0, bisect_right(self._new_para_starts, offset) - 1)

    def segment_at(self, offset: int) -> tuple[int, int, int] | None:
        index = bisect_right(self._old_starts, offset) - 1
        if index >= 0:
            seg = self.segments[index]
            if seg[0] <= offset < seg[0] + seg[2]:
                return seg
        return None

    def map_span(self, start: int, end: int) -> tuple[int, int] | None:
        """The new place of [start, end) when it lies inside one stretch of text that survived intact."""
        index = bisect_right(self._old_starts, start) - 1
        if index >= 0:
            os_, ns, length = self.segments[index]
            if os_ <= start and end <= os_ + length:
                return ns + (start - os_), ns + (end - os_)
        return None

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

    def pieces(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """The surviving stretches of old [start, end): ``(old_start, new_start, length)``, clipped."""
        index = max(0, bisect_right(self._old_starts, start) - 1)
        result = []
        for os_, ns, length in self.segments[index:]:
            if os_ >= end:
                break
            lo, hi = max(os_, start), min(os_ + length, end)
            if lo < hi:
                result.append((lo, ns + (lo - os_), hi - lo))
        return result


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans, offset = [], 0
    for paragraph in text.split("\n\n"):
        spans.append((offset, offset + len(paragraph)))
        offset += len(paragraph) + 2
    return spans


def context_fits(text: str, start: int, end: int, prefix: str, suffix: str, quote_length: int | None = None) -> bool:
    """Enough of the remembered context surrounds the span to call it the claim's own words.

    Each side is compared by similarity, so a typo fixed next to the claim does not count as a
    different context. Short quotes are common phrases ("on Monday."): both sides must agree.
    ``quote_length`` is the original quote's length when the span differs from it (fuzzy matches):
    a short claim stays short however wide the candidate.
    """
    sides = _side_ratios(text, start, end, prefix, suffix)
    present = [s for s in sides if s is not None]
    if not present:
        return True
    if (quote_length if quote_length is not None else end - start) < SHORT_QUOTE:
        return all(s >= 0.6 for s in present)
    return context_score(text, start, end, prefix, suffix) >= MIN_CONTEXT or sum(present) / len(present) >= 0.7


def _side_ratios(text: str, start: int, end: int, prefix: str, suffix: str) -> list[float | None]:
    before = text[max(0, start - len(prefix)):start]
    after = text[end:end + len(suffix)]
    return [_char_ratio(before, prefix) if prefix else None, _char_ratio(after, suffix) if suffix else None]


def context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    """How much of the remembered prefix and suffix surround ``text[start:end]`` (0 to 1)."""
    if not prefix and not suffix:
        return 1.0
    before = text[max(0, start - len(prefix)):start]
    after = text[end:end + len(suffix)]
    return (_common_suffix(before, prefix) + _common_prefix(after, suffix)) / (len(prefix) + len(suffix))


def _is_edge(text: str, i: int) -> bool:
    """True between words: at either end, next to a non-letter, or between characters of a script
    that writes no spaces (any of its character boundaries may end a word, the same way in both
    revisions). Hangul words are runs of syllables: no edge inside one. A combining mark belongs
    to the letter before it."""
    if i <= 0 or i >= len(text):
        return True
    a, b = text[i - 1], text[i]
    if a < "\x80" and b < "\x80":
        return not (a.isalnum() and b.isalnum())
    if unicodedata.category(b).startswith("M"):
        return False
    if _HANGUL.match(a) and _HANGUL.match(b):
        return False
    if _CJK_CHAR.match(a) or _CJK_CHAR.match(b):
        return True
    return not (a.isalnum() and b.isalnum())


def _keeps_edges(old_text: str, start: int, end: int, new_text: str, new_start: int, new_end: int) -> bool:
    """A quote that began and ended on word edges must do so in the new text ("Segundo a" ≠ "Segundo al…");
    one that began or ended inside a word must be inside the same word: "다." ending "스크래핑합니다."
    is not the "다." ending "있습니다." (a Hangul word is its run of syllables)."""
    if _is_edge(old_text, start):
        if not _is_edge(new_text, new_start):
            return False
    else:
        ws = start
        while ws > 0 and start - ws < CONTEXT_LENGTH and not _is_edge(old_text, ws):
            ws -= 1
        if new_text[max(0, new_start - (start - ws)):new_start] != old_text[ws:start]:
            return False
    if _is_edge(old_text, end):
        return _is_edge(new_text, new_end)
    we = end
    while we < len(old_text) and we - end < CONTEXT_LENGTH and not _is_edge(old_text, we):
        we += 1
    return new_text[new_end:new_end + (we - end)] == old_text[end:we]


def _unique_with_sides(diff: TextDiff, old_text: str, new_text: str, start: int, end: int, span: tuple[int, int],
                       left: bool, right: bool) -> bool:
    """Whether the quote with its intact context (up to CONTEXT_LENGTH characters, inside the
    paragraph) is said once in its paragraph in both texts: "import jpholiday import datetime"
    tells the first "import" from the second, the context being as much the diff's evidence as
    the quote."""
    o_start, o_end = diff.old_paras[diff.old_paragraph(start)]
    lo = max(o_start, start - CONTEXT_LENGTH) if left else start
    hi = min(o_end, end + CONTEXT_LENGTH) if right else end
    lo, hi = _survived_from(diff, lo, start), _survived_upto(diff, end, hi)
    words = old_text[lo:hi]
    return (_unique_in_paragraph(old_text, diff.old_paras, diff.old_paragraph(start), words)
            and _unique_in_paragraph(new_text, diff.new_paras, diff.new_paragraph(span[0]), words))


def _survived_from(diff: TextDiff, lo: int, start: int) -> int:
    """The earliest offset in [lo, start] from which the old text survived unbroken up to ``start``."""
    seg = diff.segment_at(start - 1) if start > lo else None
    return max(lo, seg[0]) if seg is not None else start


def _survived_upto(diff: TextDiff, end: int, hi: int) -> int:
    seg = diff.segment_at(end) if hi > end else None
    return min(hi, seg[0] + seg[2]) if seg is not None else end


def _intact_sides(diff: TextDiff, old_text: str, start: int, end: int, new_start: int, new_end: int
                  ) -> tuple[bool, bool]:
    """Whether the text next to the claim survived on each side, by the diff, right up to where
    it lands (``new_start``, ``new_end``); see :func:`_enough_side`. A surviving stretch may run
    over the paragraph's edge (the break and the words beyond it survived too)."""
    p_start, p_end = diff.old_paras[diff.old_paragraph(start)]
    new_text = diff._new
    left = right = ""
    # Whether the surviving stretch stops at a word's edge in both texts: then its far word is whole.
    left_closed = right_closed = False
    if start > 0:
        seg = diff.segment_at(start - 1)
        if seg is not None and seg[1] + (start - seg[0]) == new_start:
            lo = max(seg[0], start - CONTEXT_LENGTH)
            left = old_text[lo:start]
            left_closed = _is_edge(old_text, lo) and _is_edge(new_text, new_start - (start - lo))
    if end < len(old_text):
        seg = diff.segment_at(end)
        if seg is not None and seg[1] + (end - seg[0]) == new_end:
            hi = min(seg[0] + seg[2], end + CONTEXT_LENGTH)
            right = old_text[end:hi]
            right_closed = _is_edge(old_text, hi) and _is_edge(new_text, new_end + (hi - end))
    return (_enough_side(left, start - p_start, before=True, closed=left_closed),
            _enough_side(right, p_end - end, before=False, closed=right_closed))


def _adjacent_sides(diff: TextDiff, old_text: str, start: int, end: int, new_text: str, new_start: int,
                    new_end: int) -> tuple[bool, bool]:
    """Whether the claim's paragraph reads the same right next to it on each side, inside the
    paragraph in both texts; see :func:`_enough_side`."""
    o_start, o_end = diff.old_paras[diff.old_paragraph(start)]
    n_start, n_end = diff.new_paras[diff.new_paragraph(new_start)]
    left = _common_suffix(old_text[max(o_start, start - CONTEXT_LENGTH):start],
                          new_text[max(n_start, new_start - CONTEXT_LENGTH):new_start])
    right = _common_prefix(old_text[end:min(o_end, end + CONTEXT_LENGTH)],
                           new_text[new_end:min(n_end, new_end + CONTEXT_LENGTH)])
    return (_enough_side(old_text[start - left:start], start - o_start, before=True),
            _enough_side(old_text[end:end + right], o_end - end, before=False))


def _paragraph_sides(diff: TextDiff, old_text: str, start: int, end: int, new_text: str, new_start: int,
                     new_end: int) -> list[float]:
    """How alike the claim's paragraph reads next to it in both texts, each side that has words
    in the old paragraph (up to CONTEXT_LENGTH characters, inside the paragraphs)."""
    o_start, o_end = diff.old_paras[diff.old_paragraph(start)]
    n_start, n_end = diff.new_paras[diff.new_paragraph(new_start)]
    ratios = []
    before = old_text[max(o_start, start - CONTEXT_LENGTH):start]
    if _WORD_CHAR.search(before):
        ratios.append(_char_ratio(before, new_text[max(n_start, new_start - CONTEXT_LENGTH):new_start]))
    after = old_text[end:min(o_end, end + CONTEXT_LENGTH)]
    if _WORD_CHAR.search(after):
        ratios.append(_char_ratio(after, new_text[new_end:min(n_end, new_end + CONTEXT_LENGTH)]))
    return ratios


def _enough_side(same: str, available: int, *, before: bool, closed: bool = False) -> bool:
    """Whether ``same``, the context found unchanged next to a claim (``before`` it or after it),
    is enough to place it: INTACT_SIDE characters (a character of a script without spaces counts
    twice: it is most of a word); or one whole word with what separates it from the claim, half
    as much (a word of the paragraph pins the claim, part of a word does not); or all that the
    paragraph has on that side, if it holds a word. The paragraph's edge alone is not context.
    ``closed``: ``same`` stops at a word's edge in both texts, so its farthest word is whole too
    (" yuè" followed by a space in one text and a line break in the other)."""
    if not _WORD_CHAR.search(same):
        return False  # spaces and punctuation alone ("." before the paragraph's end) place nothing
    weight = _weight(same)
    if weight >= INTACT_SIDE or len(same) >= available:
        return True
    whole_word = _WHOLE_WORD_BEFORE if before else _WHOLE_WORD_AFTER
    if closed:
        same = " " + same if before else same + " "
    return weight >= INTACT_SIDE // 2 and bool(whole_word.search(same))


def _weight(text: str) -> int:
    """Length for telling a phrase from a passage: a character of a script written without spaces
    (or of Hangul) counts twice, since it is most of a word."""
    return sum(2 if _UNSPACED_CHAR.match(ch) else 1 for ch in text)


def _unique_in_paragraph(text: str, spans: list[tuple[int, int]], index: int, exact: str,
                         edges: tuple[bool, bool] = (False, False)) -> bool:
    """Whether ``exact`` occurs at most once in the paragraph; with ``edges`` (whether the claim
    starts and ends on a word edge), only occurrences that do too count: "Hazm" is said once in
    a paragraph that also names "JHazm"."""
    s, e = spans[index]
    count, at = 0, text.find(exact, s, e)
    while at != -1:
        if (not edges[0] or _is_edge(text, at)) and (not edges[1] or _is_edge(text, at + len(exact))):
            count += 1
            if count > 1:
                return False
        at = text.find(exact, at + 1, e)
    return True


def reanchor(old_text: str, new_text: str, *, start: int, end: int, exact: str, prefix: str, suffix: str,
             diff: TextDiff | None = None, threshold: float = FUZZY_THRESHOLD) -> Reanchored:
    """Find a claim's words in a new revision of its text.

    :param start, end: the claim's span in ``old_text``, in code points.
    :param diff: a :class:`TextDiff` of the two texts, shared by all claims of a revision.
    :param threshold: least similarity (0–1) for edited words to count as the claim on similarity
        alone ("changed"); edited words are also placed on the diff's evidence (see module notes).
    """
    diff = diff or TextDiff(old_text, new_text)
    para = diff.old_paragraph(start)
    aligned = diff.aligned.get(para)
    edges = (_is_edge(old_text, start), _is_edge(old_text, end))
    unique_old = _unique_in_paragraph(old_text, diff.old_paras, para, exact, edges)

    # 1. The words' characters survived together where the diff says they went.
    span = diff.map_span(start, end)
    if (span is not None and new_text[span[0]:span[1]] == exact
            and _keeps_edges(old_text, start, end, new_text, span[0], span[1])
            and _confirmed(diff, old_text, new_text, start, end, span, exact, unique_old)):
        return Reanchored("kept" if span[0] == start else "moved", span[0], span[1], 1.0)
    # The diff paired these very characters, but the context to confirm it is missing on one side:
    # the same words, placed, flagged for a look. Said more than once in their paragraph, the other
    # side must be the paragraph's edge in both texts (the last word stays the last word): a
    # sentence ending said twice, "다.", pairs with whichever copy kept a neighbour.
    if (span is not None and new_text[span[0]:span[1]] == exact and aligned == diff.new_paragraph(span[0])
            and _keeps_edges(old_text, start, end, new_text, span[0], span[1])
            and any(_intact_sides(diff, old_text, start, end, span[0], span[1]))
            and ((unique_old and _unique_in_paragraph(new_text, diff.new_paras, aligned, exact, edges))
                 or _at_paragraph_edge(diff, start, end, span)
                 or _unique_with_sides(diff, old_text, new_text, start, end, span,
                                       *_intact_sides(diff, old_text, start, end, span[0], span[1])))
            and not diff.from_elsewhere(new_text, span[0], span[1], start, end)):
        return Reanchored("changed", span[0], span[1],
                          round(min(0.999, context_score(new_text, span[0], span[1], prefix, suffix)), 3),
                          reason="the same words, in a changed context")
    # The diff may pair a repeated token (")", "|") with another copy: the exact words where any
    # surviving piece of them puts them are theirs, on the same confirmation.
    for os_, ns, _length in diff.pieces(start, end):
        at = ns - (os_ - start)
        if (at >= 0 and new_text[at:at + len(exact)] == exact and (at, at + len(exact)) != span
                and _keeps_edges(old_text, start, end, new_text, at, at + len(exact))
                and not diff.from_elsewhere(new_text, at, at + len(exact), start, end)
                and _confirmed(diff, old_text, new_text, start, end, (at, at + len(exact)), exact, unique_old)):
            return Reanchored("kept" if at == start else "moved", at, at + len(exact), 1.0)
    # Same place, same words, same neighbours.
    if (new_text[start:end] == exact and context_fits(new_text, start, end, prefix, suffix)
            and _keeps_edges(old_text, start, end, new_text, start, end)
            and not diff.from_elsewhere(new_text, start, end, start, end)
            and (aligned is None or diff.new_paragraph(start) == aligned or len(exact) >= SHORT_QUOTE)):
        return Reanchored("kept", start, end, 1.0)

    # 2. The exact words elsewhere, chosen by context and paragraph alignment.
    found = _exact_elsewhere(diff, old_text, new_text, start, end, exact, prefix, suffix, aligned, unique_old)
    if found is not None:
        return found
    found = _exact_among_same_words(diff, old_text, new_text, start, end, exact, prefix, suffix, aligned, unique_old)
    if found is not None:
        return found

    # 3. Edited words.
    edited = _edited(diff, old_text, new_text, start, end, exact, prefix, suffix, aligned, threshold)
    if edited is not None:
        return edited
    edited = _edited_in_paragraph(diff, old_text, new_text, start, end, exact, aligned, edges)
    if edited is not None:
        return edited
    edited = _edited_by_survival(diff, old_text, new_text, start, end, exact, aligned, edges)
    if edited is not None:
        return edited
    # 4. Its words whole, their marks changed.
    edited = _marks_changed(diff, old_text, new_text, start, end, exact, prefix, suffix, aligned)
    if edited is not None:
        return edited
    return Reanchored("orphan", None, None, 0.0)


def _at_paragraph_edge(diff: TextDiff, start: int, end: int, span: tuple[int, int]) -> bool:
    """Whether the claim starts its paragraph in both texts, or ends it in both."""
    o_start, o_end = diff.old_paras[diff.old_paragraph(start)]
    n_start, n_end = diff.new_paras[diff.new_paragraph(span[0])]
    return (start == o_start and span[0] == n_start) or (end == o_end and span[1] == n_end)


def _confirmed(diff: TextDiff, old_text: str, new_text: str, start: int, end: int, span: tuple[int, int],
               exact: str, unique_old: bool) -> bool:
    """Whether the diff's word for it is enough: a whole paragraph kept or moved; a long quote;
    or a short one with intact context on one side when it is unique in its paragraph (both
    sides when it is not), since a short common phrase matches by chance in a rewritten one."""
    para = diff.old_paragraph(start)
    if diff._whole.get(para) is not None:
        return True
    left, right = _intact_sides(diff, old_text, start, end, span[0], span[1])
    if len(exact) >= SHORT_QUOTE:
        # A long quote is the claim's where the diff put it: in its aligned paragraph, or with a
        # neighbour that came along, or said once in each text. Elsewhere, with neither side the
        # same, it is an identical sentence in another setting: not kept at 1.0 on faith.
        # A paragraph split in two: the part next to the aligned one holds the claim as well, if
        # the quote is said once in its paragraph in both texts.
        j = diff.new_paragraph(span[0])
        return (diff.aligned.get(para) == j or left or right
                or (old_text.count(exact) == 1 and new_text.count(exact) == 1)
                or (diff.split_into(para, j) and unique_old
                    and _unique_in_paragraph(new_text, diff.new_paras, j, exact)))
    edges = (_is_edge(old_text, start), _is_edge(old_text, end))
    unique = unique_old and _unique_in_paragraph(new_text, diff.new_paras, diff.new_paragraph(span[0]), exact, edges)
    if (unique and old_text.count(exact) == 1 and new_text.count(exact) == 1
            and diff.kept_share(para)[0] == diff.new_paragraph(span[0]) and diff.kept_share(para)[1] >= PARAGRAPH_KEPT):
        return True  # its paragraph's words all went there (a heading restyled, a list item re-marked)
    # One side is enough only inside the paragraph aligned with the claim's: in any other, a
    # short phrase with one matching neighbour is as likely a copy ("import x as qa" in two
    # code samples) as the claim moved.
    if diff.aligned.get(para) is None:
        # When the claim's paragraph was rewritten past aligning with any, the surviving stretch
        # around the words must be found once in the new text: two code samples may share a
        # whole line around the quote ("import x as qa"), and the diff pairs it with either copy.
        seg = diff.segment_at(start)
        around = old_text[seg[0]:seg[0] + seg[2]].strip() if seg is not None else exact
        if new_text.count(around) != 1:
            return False
    return (left and right) or (unique and (left or right))


def _exact_elsewhere(diff: TextDiff, old_text: str, new_text: str, start: int, end: int, exact: str, prefix: str,
                     suffix: str, aligned: int | None, unique_old: bool) -> Reanchored | None:
    """The exact quote found again: in its aligned paragraph, context on one side is enough when
    it is unique there (a long quote needs none); anywhere else, both sides must agree (a moved
    paragraph takes its context along; a duplicate in another paragraph does not have it)."""
    mapped = diff.map_near(start)
    candidates = []
    position = new_text.find(exact)
    while position != -1:
        if _keeps_edges(old_text, start, end, new_text, position, position + len(exact)):
            candidates.append(position)
        position = new_text.find(exact, position + 1)
    if not candidates:
        return None
    once_old = old_text.count(exact) == 1
    edges = (_is_edge(old_text, start), _is_edge(old_text, end))
    fitting = []
    in_aligned = []
    for p in candidates:
        e = p + len(exact)
        if diff.from_elsewhere(new_text, p, e, start, end):
            continue  # the diff says these words came from another passage of the old text
        sides = [s for s in _side_ratios(new_text, p, e, prefix, suffix) if s is not None]
        both = all(s >= 0.6 for s in sides)
        j = diff.new_paragraph(p)
        if j == aligned and _unique_in_paragraph(new_text, diff.new_paras, j, exact, edges) and unique_old:
            ok = len(exact) >= SHORT_QUOTE or any(_adjacent_sides(diff, old_text, start, end, new_text, p, e))
            in_aligned.append(p)
        elif len(exact) >= SHORT_QUOTE:
            ok = context_fits(new_text, p, e, prefix, suffix) and (both or once_old and len(candidates) == 1)
        else:
            # A short phrase in another paragraph: it is the claim's only if its neighbours came
            # along, the nearest characters exactly (a similar sentence nearby has similar sides).
            before, after = new_text[max(0, p - len(prefix)):p], new_text[e:e + len(suffix)]
            ok = (both and bool(sides) and _common_suffix(before, prefix) >= min(INTACT_SIDE, len(prefix))
                  and _common_prefix(after, suffix) >= min(INTACT_SIDE, len(suffix)))
        if ok and j != aligned and _boilerplate(old_text, new_text, p, e, prefix, suffix):
            ok = False
        if ok:
            fitting.append((context_score(new_text, p, e, prefix, suffix), j == aligned, -abs(p - mapped), p))
    if fitting:
        best = max(fitting, key=lambda item: (item[1], item[0], item[2]))[3]
        return Reanchored("kept" if best == start else "moved", best, best + len(exact), 1.0)
    if len(in_aligned) == 1:
        # Unique in its paragraph and in the paragraph the diff aligned with it, with a good share
        # of the remembered context there character for character (a whole side, nearly), though
        # not right next to the words (a mark or a word in between changed), and its paragraph
        # reading alike next to it on every side that has words: the claim's own words; placed,
        # and flagged for a look. Less than that is a rewritten sentence reusing a word or two
        # (context that only survives past the paragraph's end says nothing of the sentence).
        p = in_aligned[0]
        score = context_score(new_text, p, p + len(exact), prefix, suffix)
        sides = _paragraph_sides(diff, old_text, start, end, new_text, p, p + len(exact))
        # Or, in a paragraph whose words nearly all went to this one (PARAGRAPH_KEPT), the
        # paragraph's own edge next to it in both texts: its first word stays its first word.
        kept_to, kept_share = diff.kept_share(diff.old_paragraph(start))
        at_edge = (_at_paragraph_edge(diff, start, end, (p, p + len(exact)))
                   and kept_to == aligned and kept_share >= PARAGRAPH_KEPT)
        if at_edge or (score >= MIN_CONTEXT and all(side >= 0.6 for side in sides)):
            return Reanchored("changed", p, p + len(exact), round(min(0.999, score), 3),
                              reason="the same words, in a changed context")
    if len(candidates) == 1 and once_old and len(exact) >= LONG_QUOTE:
        # Long words found once in both revisions are the claim's, but their surroundings are
        # new: placed, and flagged for a look rather than passed as unchanged.
        p = candidates[0]
        return Reanchored("changed", p, p + len(exact), round(context_score(new_text, p, p + len(exact), prefix,
                                                                              suffix), 3),
                          reason="the same words, in a changed context")
    return None


def _context_words(text: str, lo: int, hi: int, *, before: bool) -> list[str]:
    """The words of ``text[lo:hi]``, nearest the claim first; a word cut by the window's far
    edge is left out (part of a word is not its word)."""
    words = [(m.start(), m.end(), m.group()) for m in _CONTEXT_WORD.finditer(text, lo, hi)]
    if before:
        if words and words[0][0] == lo and not _is_edge(text, lo):
            words = words[1:]
        return [w for _s, _e, w in reversed(words)]
    if words and words[-1][1] == hi and not _is_edge(text, hi):
        words = words[:-1]
    return [w for _s, _e, w in words]


def _same_words_side(old_words: list[str], new_words: list[str]) -> bool:
    """Whether the words next to a claim are the same words, nearest first, marks aside: two
    words or more weighing INTACT_SIDE, or every word the old side has (one at least, of half that
    weight), so a heading's one neighbour is not enough, nor is the paragraph's edge. A markup
    word next to the claim on either side may have gone or come (rst's "code" in ".. code::
    python" before Markdown's "```python")."""
    best_matched = best_weight = 0
    for skip_old, skip_new in ((0, 0), (1, 0), (0, 1)):
        matched = 0
        for a, b in zip(old_words[skip_old:], new_words[skip_new:]):
            if a != b:
                break
            matched += 1
        weight = sum(_weight(w) for w in old_words[skip_old:skip_old + matched])
        if matched >= 2 and weight >= INTACT_SIDE:
            return True
        if skip_old == skip_new == 0:
            best_matched, best_weight = matched, weight
    return 0 < best_matched == len(old_words) and best_weight >= INTACT_SIDE // 2


def _word_sides(old_text: str, start: int, end: int, text: str, p: int, e: int) -> tuple[bool, bool]:
    """Whether the claim at old [start, end) has the same neighbouring words before and after it
    at [p, e) of ``text`` (the new text, or the old one for another copy of the quote)."""
    before = _same_words_side(_context_words(old_text, max(0, start - WORD_CONTEXT), start, before=True),
                              _context_words(text, max(0, p - 2 * WORD_CONTEXT), p, before=True))
    after = _same_words_side(_context_words(old_text, end, min(len(old_text), end + WORD_CONTEXT), before=False),
                             _context_words(text, e, min(len(text), e + 2 * WORD_CONTEXT), before=False))
    return before, after


def _words_inside(diff: TextDiff, old_text: str, start: int, end: int) -> tuple[bool, bool]:
    """Whether the claim's own paragraph has a word next to it, before it and after it: a side
    that is only the next paragraph ("Beta happened later." after a rewritten "…on Monday.") says
    where the paragraph ends, not whose words these are."""
    o_start, o_end = diff.old_paras[diff.old_paragraph(start)]
    return bool(_WORD_CHAR.search(old_text, o_start, start)), bool(_WORD_CHAR.search(old_text, end, o_end))


def _exact_among_same_words(diff: TextDiff, old_text: str, new_text: str, start: int, end: int, exact: str,
                            prefix: str, suffix: str, aligned: int | None, unique_old: bool) -> Reanchored | None:
    """The exact quote found again between the same words, its markup around it changed (an rst
    ".. code:: bibtex" become a Markdown "```bibtex", a heading's underline become "####"), which
    the characters of its context no longer show. Placed, flagged *changed*, when the words on
    both sides agree at one copy only (no other copy in either text has both); or on one side,
    inside its paragraph, when no other copy in either text has the same words on either side,
    or when it is said once in its paragraph and once in the paragraph the diff aligned with it
    (the paragraph alignment is the other half of the evidence)."""
    edges = (_is_edge(old_text, start), _is_edge(old_text, end))
    spans = [(p, p + len(exact)) for p in _occurrences(new_text, exact)
             if _keeps_edges(old_text, start, end, new_text, p, p + len(exact))]
    old_copies = [(q, q + len(exact)) for q in _occurrences(old_text, exact)
                  if q != start and _keeps_edges(old_text, start, end, old_text, q, q + len(exact))]

    def unique_in_aligned(p: int, e: int) -> bool:
        return _unique_in_paragraph(new_text, diff.new_paras, aligned, exact, edges)

    chosen = _among_same_words(diff, old_text, new_text, start, end, spans, old_copies, aligned, unique_old,
                               unique_in_aligned)
    if chosen is None:
        return None
    return Reanchored("changed", chosen[0], chosen[1],
                      round(min(0.999, context_score(new_text, chosen[0], chosen[1], prefix, suffix)), 3),
                      reason="the same words between the same words, the marks around them changed")


#: Least weight of a claim's words (see ``_weight``) for them to be followed through a change of
#: their marks alone: a heading's name ("Requirements ------------" become "#### Requirements"),
#: not a mark with a letter or two.
MARKED_WORDS = 6


def _marks_changed(diff: TextDiff, old_text: str, new_text: str, start: int, end: int, exact: str, prefix: str,
                   suffix: str, aligned: int | None) -> Reanchored | None:
    """A claim whose words all stand, in order, with only the marks in and around them changed
    ("### Segmentation" become "Segmentation", an rst heading's underline dropped): placed on those
    words, flagged *changed*, on the same evidence of the words beside them as a quote found
    again whole (``_among_same_words``). The claim's first and last words must be whole."""
    if not _MARK.search(exact):
        return None  # words and spaces alone: nothing but the words to follow, and they did not stand
    words = list(_CONTEXT_WORD.finditer(exact))
    if not words or sum(_weight(m.group()) for m in words) < MARKED_WORDS:
        return None
    first, last = start + words[0].start(), start + words[-1].end()
    if not (_is_edge(old_text, first) and _is_edge(old_text, last)):
        return None
    pattern = _words_pattern([m.group() for m in words])

    def found(text: str) -> list[tuple[int, int]]:
        return [(m.start(), m.end()) for m in pattern.finditer(text)
                if _is_edge(text, m.start()) and _is_edge(text, m.end())]

    spans = found(new_text)
    old_copies = [span for span in found(old_text) if not (span[0] < end and start < span[1])]
    if exact in {new_text[s:e] for s, e in spans}:
        return None  # the quote stands whole: the rules for exact words decide
    words_text = old_text[first:last]
    unique_old = len([1 for s, e in found(old_text[slice(*diff.old_paras[diff.old_paragraph(start)])])]) <= 1

    def unique_in_aligned(p: int, e: int) -> bool:
        n_start, n_end = diff.new_paras[aligned]
        return len([1 for span in spans if n_start <= span[0] and span[1] <= n_end]) == 1

    # Words whose marks changed are weaker evidence than the quote itself: one side of the same
    # words is enough only for words said once in each text (a heading repeated over two code
    # samples is either's).
    chosen = _among_same_words(diff, old_text, new_text, first, last, spans, old_copies, aligned, unique_old,
                               unique_in_aligned, one_side_among_copies=False)
    if chosen is None:
        return None
    changed = new_text[chosen[0]:chosen[1]]
    return Reanchored("changed", chosen[0], chosen[1],
                      round(min(0.999, max(similarity(exact, changed), similarity(words_text, changed))), 3),
                      reason="the same words, their marks changed")


_MARK = re.compile(r"[^\w\s]|_")


def _words_pattern(words: list[str]) -> re.Pattern:
    """The words in order, marks between them (none between two characters of a script without
    spaces: "block](@)s" is not "blocks"), case aside (re keeps what it compiled)."""
    pattern = re.escape(words[0])
    for before, word in zip(words, words[1:]):
        joint = "[\\W_]*" if _UNSPACED_CHAR.match(before[-1]) and _UNSPACED_CHAR.match(word[0]) else "[\\W_]+"
        pattern += joint + re.escape(word)
    return re.compile(pattern, re.IGNORECASE)


def _among_same_words(diff: TextDiff, old_text: str, new_text: str, start: int, end: int,
                      spans: list[tuple[int, int]], old_copies: list[tuple[int, int]], aligned: int | None,
                      unique_old: bool, unique_in_aligned: Callable[[int, int], bool], *,
                      one_side_among_copies: bool = True) -> tuple[int, int] | None:
    """Of the new text's ``spans`` (copies of a claim's words at old [start, end), whose other
    copies in the old text are ``old_copies``), the one the words beside it make the claim's:
    the only copy with the same words on both sides, none of the old copies having them too; or
    the only copy in either text with the same words on one side, a side with words of the
    claim's own paragraph; or the only copy in the aligned paragraph with one such side, the
    claim being said once in its own (``unique_old``) and the copy once there. Without
    ``one_side_among_copies``, one side places a copy only when it is the only copy in either text."""
    sides = [(s, e, _word_sides(old_text, start, end, new_text, s, e)) for s, e in spans
             if not diff.from_elsewhere(new_text, s, e, start, end)]
    both = [(s, e) for s, e, (before, after) in sides if before and after]
    if len(both) == 1 and not any(all(_word_sides(old_text, start, end, old_text, q, r)) for q, r in old_copies):
        return both[0]
    inside = _words_inside(diff, old_text, start, end)
    one_side = [(s, e) for s, e, (before, after) in sides if (before and inside[0]) or (after and inside[1])]
    if not one_side_among_copies and (len(spans) > 1 or old_copies):
        return None
    if (len(one_side) == 1 and not any(any(side) for s, e, side in sides if (s, e) != one_side[0])
            and not any(any(_word_sides(old_text, start, end, old_text, q, r)) for q, r in old_copies)):
        return one_side[0]  # the only copy in either text with its neighbouring words on one side the same
    if aligned is not None and unique_old:
        in_aligned = [(s, e) for s, e in one_side if diff.new_paragraph(s) == aligned and unique_in_aligned(s, e)]
        if len(in_aligned) == 1:
            return in_aligned[0]
    return None


def _occurrences(text: str, exact: str) -> list[int]:
    found, at = [], text.find(exact)
    while at != -1:
        found.append(at)
        at = text.find(exact, at + 1)
    return found


def _boilerplate(old_text: str, new_text: str, p: int, e: int, prefix: str, suffix: str) -> bool:
    """Whether the quote at new [p, e) with the remembered context that matches around it is said
    more than once in either text: a line every code sample repeats ("import { pinyin } from
    'pinyin-pro';"), whose copies are all alike, so matching context picks none of them."""
    before, after = new_text[max(0, p - len(prefix)):p], new_text[e:e + len(suffix)]
    words = new_text[p - _common_suffix(before, prefix):e + _common_prefix(after, suffix)]
    return new_text.count(words) > 1 or old_text.count(words) > 1


def _edited(diff: TextDiff, old_text: str, new_text: str, start: int, end: int, exact: str, prefix: str,
            suffix: str, aligned: int | None, threshold: float) -> Reanchored | None:
    """Edited words, placed where the diff says they went, when the evidence agrees."""
    # Survivors that are only spaces or punctuation say nothing of where words went, unless they
    # stand right next to surviving words in both texts (a heading's underline after its edited
    # version number): then they are the claim's marks, in place.
    pieces = _with_adjacent_marks(old_text, new_text, diff.pieces(start, end))
    edges = (_is_edge(old_text, start), _is_edge(old_text, end))
    if pieces and aligned is not None:
        paragraphs = sorted({diff.new_paragraph(p[1]) for p in pieces})
        in_order = all(a[1] + a[2] <= b[1] for a, b in zip(pieces, pieces[1:]))
        # In the aligned paragraph, or across it and its neighbour when the edit split the paragraph.
        receivers = diff.receivers.get(diff.old_paragraph(start), set())
        in_place = (aligned in paragraphs and paragraphs == list(range(paragraphs[0], paragraphs[-1] + 1))
                    and len(paragraphs) <= 2 and set(paragraphs) <= receivers)
        found = (_edited_on(diff, old_text, new_text, start, end, exact, prefix, suffix, threshold, pieces, edges,
                            aligned) if in_order and in_place else None)
        if found is None:
            # A word or two at the claim's end that the diff paired into another paragraph (a
            # common word reused there, a heading the edit split off) is not where the claim
            # went: its survivors in the aligned paragraph are weighed without it, the rest
            # counting as edited away; three quarters of its letters must be left there.
            trimmed = _stray_ends_dropped(diff, pieces, aligned)
            kept = sum(len(_WORD_CHAR.findall(old_text, p[0], p[0] + p[2])) for p in trimmed)
            if (trimmed and trimmed != pieces and aligned in receivers
                    and kept >= MOSTLY_SURVIVED * len(_WORD_CHAR.findall(exact))
                    and all(x[1] + x[2] <= y[1] for x, y in zip(trimmed, trimmed[1:]))):
                found = _edited_on(diff, old_text, new_text, start, end, exact, prefix, suffix, threshold, trimmed,
                                   edges, aligned)
        if found is None:
            found = _edited_elsewhere(diff, old_text, new_text, start, end, exact, prefix, suffix, threshold,
                                      pieces, edges, aligned, receivers)
        if found is not None:
            return found
    # Typos the token diff cannot see inside one word: the best similar span near where the old
    # words map, in the aligned paragraph, with the remembered context around it.
    new_start, new_end = diff.map(start), diff.map(end)
    if new_start is None or new_end is None:
        new_start = new_start if new_start is not None else _first_mapped(diff, start, end)
        new_end = new_end if new_end is not None else _last_mapped(diff, start, end)
    if new_start is not None and new_end is not None and new_end > new_start:
        best = _best_fuzzy(new_text, new_start, new_end, exact, prefix, suffix, edges=edges)
        survived = sum(p[2] for p in diff.pieces(start, end)) / (end - start)
        if (best is not None and best[0] >= threshold
                and (aligned is None or diff.new_paragraph(best[1]) == aligned)
                and ("\n\n" not in new_text[best[1]:best[2]] or "\n\n" in exact)
                and (old_text.count(exact) == 1 or all(_intact_sides(diff, old_text, start, end, best[1], best[2])))
                and (survived >= TYPO_SURVIVAL or _one_word(exact))
                # A typo changes letters; different figures ("15.260ms" for "7.216ms") are a
                # different statement, however alike they read.
                and _DIGITS.findall(exact) == _DIGITS.findall(new_text[best[1]:best[2]])):
            similarity_, s, e = best
            return Reanchored("changed", s, e, round(similarity_, 3), reason="edited words")
    return None


#: Characters between surviving words and surviving marks, in each text, for the marks to
#: count as in place beside them: part of one word replaced ("8" by "9.1"), no white space
#: between (a word or more between them would be a separate phrase).
MARK_GAP = 8


def _with_adjacent_marks(old_text: str, new_text: str, pieces: list[tuple[int, int, int]]
                         ) -> list[tuple[int, int, int]]:
    """The pieces holding letters or digits, and the pieces of marks alone right next to one of
    those, in order, within MARK_GAP characters in both texts and no white space between."""
    words = [_WORD_CHAR.search(old_text, p[0], p[0] + p[2]) is not None for p in pieces]

    def beside(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
        gap_old, gap_new = old_text[a[0] + a[2]:b[0]], new_text[a[1] + a[2]:b[1]]
        return (0 <= b[0] - (a[0] + a[2]) <= MARK_GAP and 0 <= b[1] - (a[1] + a[2]) <= MARK_GAP
                and not any(ch.isspace() for ch in gap_old + gap_new))

    return [p for k, p in enumerate(pieces)
            if words[k] or (k > 0 and words[k - 1] and beside(pieces[k - 1], p))
            or (k + 1 < len(pieces) and words[k + 1] and beside(p, pieces[k + 1]))]


def _edited_elsewhere(diff: TextDiff, old_text: str, new_text: str, start: int, end: int, exact: str, prefix: str,
                      suffix: str, threshold: float, pieces: list[tuple[int, int, int]], edges: tuple[bool, bool],
                      aligned: int, receivers: set[int]) -> Reanchored | None:
    """An edited claim whose survivors went, most of them, into another paragraph that received
    part of its own (a sentence moved out into a new list item, a paragraph split): placed there
    when what survived holds a long stretch said once in each text, the edit's own landmark."""
    letters: dict[int, int] = {}
    for p in pieces:
        j = diff.new_paragraph(p[1])
        letters[j] = letters.get(j, 0) + len(_WORD_CHAR.findall(old_text, p[0], p[0] + p[2]))
    if not letters:
        return None
    target = max(letters, key=letters.__getitem__)
    if target == aligned or target not in receivers:
        return None
    there = _stray_ends_dropped(diff, pieces, target)
    total = len(_WORD_CHAR.findall(exact))
    kept = sum(len(_WORD_CHAR.findall(old_text, p[0], p[0] + p[2])) for p in there)
    run = max(there, key=lambda p: p[2]) if there else None
    # Three quarters of its letters there (a claim split between two paragraphs, half in each, has
    # no one place), with a stretch of at least a short quote's weight found once in each text: no
    # common phrase lands by chance.
    if (run is None or kept < MOSTLY_SURVIVED * total
            or not all(x[1] + x[2] <= y[1] for x, y in zip(there, there[1:]))):
        return None
    stretch = old_text[run[0]:run[0] + run[2]].strip()
    if _weight(stretch) < SHORT_QUOTE or old_text.count(stretch) != 1 or new_text.count(stretch) != 1:
        return None
    return _edited_on(diff, old_text, new_text, start, end, exact, prefix, suffix, threshold, there, edges, target)


def _edited_on(diff: TextDiff, old_text: str, new_text: str, start: int, end: int, exact: str, prefix: str,
               suffix: str, threshold: float, pieces: list[tuple[int, int, int]], edges: tuple[bool, bool],
               aligned: int) -> Reanchored | None:
    """The edited words over these surviving pieces, if the evidence places the claim there: the
    span widened over the edit at either end, or else the survivors alone (the edit's own span may
    be new words next to the claim, "基于" becoming "最初版本的代码参考了": the claim is on what survived)."""
    wide = _edited_span(diff, old_text, new_text, start, end, pieces, edges)
    if wide is not None:
        found = _edited_over(diff, old_text, new_text, start, end, exact, prefix, suffix, threshold, pieces,
                             aligned, wide)
        if found is not None:
            return found
    narrow = _edited_span(diff, old_text, new_text, start, end, pieces, edges, widen=False)
    if narrow is not None and narrow != wide:
        return _edited_over(diff, old_text, new_text, start, end, exact, prefix, suffix, threshold, pieces,
                            aligned, narrow)
    return None


def _edited_over(diff: TextDiff, old_text: str, new_text: str, start: int, end: int, exact: str, prefix: str,
                 suffix: str, threshold: float, pieces: list[tuple[int, int, int]], aligned: int,
                 candidate: tuple[int, int]) -> Reanchored | None:
    """The claim placed over new ``candidate``, if the evidence agrees."""
    s, e = candidate
    words = new_text[s:e]
    score = similarity(exact, words)
    # Counted in letters and digits: marks and spaces survive everywhere.
    kept_chars = sum(len(_WORD_CHAR.findall(old_text, p[0], p[0] + p[2])) for p in pieces)
    survived = kept_chars / max(1, len(_WORD_CHAR.findall(exact)))
    # Words said twice in the old text need context on both sides to tell which one this is.
    unique = old_text.count(exact) == 1
    left, right = _intact_sides(diff, old_text, start, end, s, e)
    # Close together; or, with nearly all its letters there in order, around inserted
    # markup (a link's address, a longer URL) inside one paragraph.
    compact = e - s <= 1.5 * len(exact) + 10 or (
        survived >= MARKUP_SURVIVAL and e - s <= 3 * len(exact) + 100
        and new_text.count("\n\n", s, e) <= exact.count("\n\n"))
    # One side is enough for words said once in their paragraph, placed in the paragraph aligned
    # with it: the diff's pairing tells them from copies elsewhere, the intact side where they end.
    unique_here = unique or (aligned == diff.new_paragraph(s) == diff.new_paragraph(e - 1)
                             and _unique_in_paragraph(old_text, diff.old_paras, diff.old_paragraph(start), exact))
    one_side = (left or right) and unique_here and (len(exact) >= SHORT_QUOTE or survived >= SHORT_EDIT_SURVIVAL)
    sides = (left and right) or one_side
    # All of its words still there, in order: words were inserted, none reworded. Counted in
    # words as well as letters where words are spaced: a short word replaced ("в" in
    # "оценивается в") is a tenth of the letters but half of the words.
    longest = max(pieces, key=lambda p: p[2])
    run = old_text[longest[0]:longest[0] + longest[2]]
    all_there = survived >= WORDS_ALL_THERE and (" " not in exact.strip()
                                                 or _words_kept(exact, words) >= WORDS_ALL_THERE)
    # A rewording that keeps every other word leaves single words standing; two words
    # together survived an edit.
    revised = (all_there or len(run.split()) >= 2
               or _edits_around(diff, old_text, new_text, start, end) <= MAX_EDITS)
    # A long surviving run, found once in both texts, is the claim's own whatever surrounds it.
    landmark = (len(run.strip()) >= SHORT_QUOTE and survived >= SHORT_EDIT_SURVIVAL
                and old_text.count(run) == 1 and new_text.count(run) == 1)
    by_similarity = (score >= threshold and (survived >= TYPO_SURVIVAL or _one_word(exact))
                     and (sides or landmark or (unique and context_fits(new_text, s, e, prefix, suffix,
                                                                        quote_length=len(exact)))))
    # Most of its letters there, reading much like it, in its aligned paragraph: an edit
    # of these words even when both neighbours were edited too (not for a few words: two
    # of three kept is a new phrase reusing them as often as an edit).
    mostly_there = (unique and revised and _weight(exact) >= SHORT_QUOTE and survived >= MOSTLY_SURVIVED
                    and score >= MOSTLY_SIMILAR)
    # Read alike in tokens; or in tokens weighed by length (a Latin identifier among Chinese
    # characters is one token but most of the words); or with all its words there, only words
    # inserted among them (each insertion lowers the likeness but takes nothing away).
    # Or in letters and digits, nearly: marks or spaces moved between its words ("> [(" for ">[(").
    letters = letter_similarity(exact, words)
    alike = (score >= EDIT_SIMILARITY or weighted_similarity(exact, words) >= EDIT_SIMILARITY or all_there
             or letters >= LETTERS_SIMILAR)
    by_evidence = (survived >= EDIT_SURVIVAL and alike
                   and ((sides and revised) or landmark or mostly_there)
                   and _content_survived(old_text, start, end, pieces) >= EDIT_SURVIVAL
                   # An address says nothing of where words went, unless both its neighbours came along.
                   and (not _mostly_markup(exact) or (left and right and revised)))
    # Markup rewritten around them (a reStructuredText badge turned into Markdown, a word
    # renamed inside an identifier) leaves no whole token alike, but the letters read
    # alike; with a long run of them found once in each text, or context on one side.
    # Edits alternating with survivors (not ``revised``) are either markup rewritten around the
    # words, which keeps nearly all their letters, or a rewording, whose long words left standing
    # keep only three quarters of them: then the letters must read nearly the same.
    by_letters = (unique and _weight(exact) >= SHORT_QUOTE and survived >= MOSTLY_SURVIVED
                  and (landmark or left or right)
                  and letters >= (LETTERS_SIMILAR if revised else MARKUP_REWRITTEN_LETTERS))
    if by_letters and not (by_similarity or by_evidence):
        score = letters  # the evidence it was placed on
    # Cut short: one stretch of it survived whole, most of it, once in its paragraph in
    # both texts and long enough to be no common phrase (a character of a script without
    # spaces counting twice), and the rest was deleted (a sentence's tail dropped).
    stretch = run.strip()
    truncated = (len(pieces) == 1 and unique and survived >= EDIT_SURVIVAL and score >= TRUNCATED_SIMILAR
                 and _weight(stretch) >= SHORT_QUOTE
                 and _unique_in_paragraph(old_text, diff.old_paras, diff.old_paragraph(start), stretch)
                 and _unique_in_paragraph(new_text, diff.new_paras, aligned, stretch))
    # What it quoted, marks included, must be a third there: a heading whose underline of marks
    # ("~~~~~~~~") was redrawn in others keeps its one word, not the claim.
    quoted = sum(1 for ch in exact if not ch.isspace())
    kept_any = sum(1 for p in pieces for ch in old_text[p[0]:p[0] + p[2]] if not ch.isspace())
    if kept_any * 3 < quoted:
        return None
    if compact and (by_similarity or by_evidence or by_letters or truncated):
        return Reanchored("changed", s, e, round(min(score, 0.999), 3), reason="edited words")
    return None


def _paragraph_tokens(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """The tokens of text[s:e] (words, single characters of unspaced scripts, single marks), white space aside."""
    return [(m.start() + s, m.end() + s) for m in _DIFF_TOKEN.finditer(text[s:e]) if not m.group().isspace()]


def _paragraph_alignment(diff: TextDiff, i: int, j: int, k: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]],
                                                                       dict[int, int]]:
    """Old paragraph ``i`` aligned on its own, token by token (case aside), with new paragraphs
    ``j`` to ``k``: old tokens, new tokens, and old token index -> new token index."""
    if not hasattr(diff, "_local"):
        diff._local = {}
    key = (i, j, k)
    if key not in diff._local:
        old, new = diff._old, diff._new
        old_tokens = _paragraph_tokens(old, *diff.old_paras[i])
        new_tokens = _paragraph_tokens(new, diff.new_paras[j][0], diff.new_paras[k][1])
        matcher = difflib.SequenceMatcher(None, [old[a:b].casefold() for a, b in old_tokens],
                                          [new[a:b].casefold() for a, b in new_tokens], autojunk=False)
        target = {}
        for a, b, size in matcher.get_matching_blocks():
            for n in range(size):
                target[a + n] = b + n
        diff._local[key] = (old_tokens, new_tokens, target)
    return diff._local[key]


def _edited_in_paragraph(diff: TextDiff, old_text: str, new_text: str, start: int, end: int, exact: str,
                         aligned: int | None, edges: tuple[bool, bool]) -> Reanchored | None:
    """Edited words in a paragraph rewritten too far for the whole-text diff to pair them (or
    that paired them with another copy): the claim's paragraph aligned again on its own with the
    new paragraph aligned with it (and the one after, when the edit split it), its start and end
    mapped through. Placed when half its letters survived there in order, close together, with
    the paragraph pair confirmed by a neighbour aligned alongside it (a lone pairing of rewritten
    paragraphs may be two code samples alike in every line but their figures)."""
    para = diff.old_paragraph(start)
    if aligned is None or "\n\n" in exact:
        return None
    if not (diff.aligned.get(para - 1) == aligned - 1 or diff.aligned.get(para + 1) == aligned + 1):
        return None
    claim_letters = _letter_weight(exact)
    claim_marks = _unspaced_weight(re.sub(r"\s+", "", exact))
    # An address says nothing of where words went (a row of badges shares every letter of it).
    if not claim_letters or _mostly_markup(exact):
        return None
    for last in (aligned, aligned + 1):
        if last >= len(diff.new_paras) or (last > aligned and not diff.split_into(para, last)):
            break
        old_tokens, new_tokens, target = _paragraph_alignment(diff, para, aligned, last)
        inside = [n for n, (a, b) in enumerate(old_tokens) if start <= a and b <= end]
        if not inside:
            return None
        matched = [n for n in inside if n in target]
        kept = sum(_letter_weight(old_text[slice(*old_tokens[n])]) for n in matched)
        kept_marks = sum(_unspaced_weight(old_text[slice(*old_tokens[n])]) for n in matched)
        # Half its letters, as for any edited claim (EDIT_SURVIVAL), a character of an unspaced
        # script counting twice; and half of all it quoted, marks included: a heading's underline
        # ("-----------") redrawn elsewhere leaves its one word, not the claim.
        if not matched or kept < EDIT_SURVIVAL * claim_letters or kept_marks < EDIT_SURVIVAL * claim_marks:
            continue
        # A heading's underline ("============") redrawn in other marks leaves its one word, not
        # the claim (as for any edited claim): a run of marks of the claim must not all be gone.
        if any(not any(n in target for n in inside if m.start() <= old_tokens[n][0] < m.end())
               for m in _UNDERLINE.finditer(old_text, start, end)):
            continue
        # Context: the token just outside the claim survived in the paragraph on a side (a short
        # claim needs it: a letter or two kept in a rewritten sentence are chance).
        first, final = target[matched[0]], target[matched[-1]]
        words = [n for n, (a, b) in enumerate(old_tokens) if _WORD_CHAR.search(old_text, a, b)]
        before = inside[0] - 1 if inside[0] > 0 else None
        after = inside[-1] + 1 if inside[-1] + 1 < len(old_tokens) else None
        left = before is not None and before in target
        right = after is not None and after in target
        # A rewording that keeps every other word leaves single words standing: two words
        # together, or at most MAX_EDITS edited stretches in the claim and its context's words
        # (as for any edited claim), tell an edit of these words from new ones reusing a few.
        near = [n for n in words
                if start - CONTEXT_LENGTH <= old_tokens[n][0] and old_tokens[n][1] <= end + CONTEXT_LENGTH]
        stretches = sum(1 for k, n in enumerate(near) if n not in target and (k == 0 or near[k - 1] in target))
        together = _two_words_together(old_text, old_tokens, target, start, end)
        if stretches > MAX_EDITS and not together:
            continue
        # Different figures are a different statement, however alike the rest reads.
        if any(_DIGITS.search(old_text, *old_tokens[n]) for n in inside if n not in target):
            continue
        # Edited in two places or more inside it, with little more than half left: a new
        # sentence sharing its common words (see _edited_in).
        if (_edits_inside(inside, matched, target) >= 2 and kept < MOSTLY_SURVIVED * claim_letters
                and _longest_run(old_text, old_tokens, matched, target) < 2 * INTACT_SIDE):
            continue
        s, e = new_tokens[first][0], new_tokens[final][1]
        # Widened over an edit at either end up to the surviving context's image.
        if matched[0] != inside[0] and left:
            s = new_tokens[target[before] + 1][0]
        if matched[-1] != inside[-1] and right:
            e = new_tokens[target[after] - 1][1]
        # A short claim needs a side, and two thirds of its letters (SHORT_EDIT_SURVIVAL), as for
        # any short edited claim: "hardest decision?" keeping "decision?" is another question.
        if _weight(exact) < SHORT_QUOTE and not ((left or right) and kept >= SHORT_EDIT_SURVIVAL * claim_letters):
            continue
        span = _snap(new_text, s, e, edges, diff.new_paras[aligned][0], diff.new_paras[last][1])
        if span is None:
            continue
        s, e = span
        # The quote itself standing over the span: those are its words (the whole-text diff had
        # them elsewhere), not the part of them the paragraph's alignment kept.
        at = new_text.find(exact, max(0, s - len(exact)), e + len(exact))
        if at != -1 and at < e and at + len(exact) > s and _keeps_edges(old_text, start, end, new_text, at,
                                                                         at + len(exact)):
            s, e = at, at + len(exact)
        # Close together, as for any edited claim.
        if e - s > 1.5 * len(exact) + 10 or diff.from_elsewhere(new_text, s, e, start, end):
            continue
        return Reanchored("changed", s, e, round(min(similarity(exact, new_text[s:e]), 0.999), 3),
                          reason="edited words")
    return None


def _edited_by_survival(diff: TextDiff, old_text: str, new_text: str, start: int, end: int, exact: str,
                        aligned: int | None, edges: tuple[bool, bool]) -> Reanchored | None:
    """Edited words, by the share of the claim's characters that survived in one place: the
    claim's paragraph aligned on its own with the new paragraph aligned with it (or, when the edit
    rewrote it past aligning, with the one paragraph that received its surviving words), token by
    token, each token weighing its length, marks included, as a reader counts what is left."""
    if "\n\n" in exact or _mostly_markup(exact):
        return None
    para = diff.old_paragraph(start)
    if aligned is not None:
        found = _edited_in(diff, old_text, new_text, start, end, exact, para, aligned, True, edges)
        if found is not None:
            return found
    homes = {diff.new_paragraph(p[1]) for p in diff.pieces(start, end) if _WORD_CHAR.search(old_text, p[0], p[0] + p[2])}
    homes.discard(aligned)
    if len(homes) != 1:
        return None  # its words went to several paragraphs, or nowhere: no one place holds the claim
    return _edited_in(diff, old_text, new_text, start, end, exact, para, homes.pop(), False, edges)


def _edited_in(diff: TextDiff, old_text: str, new_text: str, start: int, end: int, exact: str, para: int, j: int,
               is_aligned: bool, edges: tuple[bool, bool]) -> Reanchored | None:
    """The claim placed in new paragraph ``j`` on what survived of it there, or None; see
    :func:`_edited_by_survival`. Every test below is one piece of evidence, with its reason."""
    old_tokens, new_tokens, local = _paragraph_alignment(diff, para, j, j)
    inside = [n for n, (a, b) in enumerate(old_tokens) if start <= a and b <= end]
    if not inside:
        return None

    def weight(n: int) -> int:
        return old_tokens[n][1] - old_tokens[n][0]

    target = _best_targets(diff, old_text, new_text, old_tokens, new_tokens, local, inside, j, weight)

    total = sum(map(weight, inside))
    matched = [n for n in inside if n in target]
    # A word or mark paired far from the rest is a copy elsewhere in the paragraph: the claim's
    # start or end kept verbatim is where it went, when what is dropped weighs less than half of it.
    cluster = _heaviest_cluster(old_tokens, new_tokens, target, matched, weight)
    if (cluster != matched and _verbatim_end(inside, cluster, target)
            and 2 * (sum(map(weight, matched)) - sum(map(weight, cluster))) < sum(map(weight, cluster))):
        matched = cluster
    kept = sum(map(weight, matched))
    # Words edited inside ("DeprecationWarning" to "Warning", "1.10" to "1.1"): what stands of
    # them in the new words between the same neighbours counts as surviving too.
    partial = _partly_kept(old_text, new_text, old_tokens, new_tokens, target, inside, matched)
    kept += partial
    # Half of it left (EDIT_SURVIVAL), in its aligned paragraph; three quarters (MOSTLY_SURVIVED)
    # in a paragraph that only received it, whose pairing with the old one nothing else confirms.
    if not matched or kept < (EDIT_SURVIVAL if is_aligned else MOSTLY_SURVIVED) * total:
        return None
    # Surviving marks alone say nothing of where words went.
    if not any(_WORD_CHAR.search(old_text, *old_tokens[n]) for n in matched):
        return None
    # A heading's underline ("============") redrawn in other marks leaves its one word, not the claim.
    if any(not any(n in matched for n in inside if m.start() <= old_tokens[n][0] < m.end())
           for m in _UNDERLINE.finditer(old_text, start, end)):
        return None
    # Split by the edit: when the whole-text diff puts a good part of its letters (half as many
    # as are kept here) in another paragraph, neither part is the claim.
    kept_letters = sum(_letter_weight(old_text[slice(*old_tokens[n])]) for n in matched) + partial
    elsewhere = sum(_letter_weight(old_text[p[0]:p[0] + p[2]]) for p in diff.pieces(start, end)
                    if diff.new_paragraph(p[1]) != j)
    if 2 * elsewhere >= kept_letters:
        return None
    # A rewording that keeps every other word leaves single words standing: two words together,
    # or at most MAX_EDITS edited stretches in the claim and its context (as for any edited claim).
    words = [n for n, (a, b) in enumerate(old_tokens) if _WORD_CHAR.search(old_text, a, b)]
    near = [n for n in words
            if start - CONTEXT_LENGTH <= old_tokens[n][0] and old_tokens[n][1] <= end + CONTEXT_LENGTH]
    stretches = sum(1 for k, n in enumerate(near) if n not in target and (k == 0 or near[k - 1] in target))
    if stretches > MAX_EDITS and not _two_words_together(old_text, old_tokens, target, start, end):
        return None
    # Context, each side apart: the token next to the claim survived, on the right side of it.
    before = inside[0] - 1 if inside[0] > 0 else None
    after = inside[-1] + 1 if inside[-1] + 1 < len(old_tokens) else None
    first, final = target[matched[0]], target[matched[-1]]
    left = before is not None and target.get(before, len(new_tokens)) < first
    right = after is not None and target.get(after, -1) > final
    # Edited in two places or more inside the claim (a word gone here, others put in there) with
    # only half of it left is as likely a new sentence sharing its common words ("and the …
    # largest"): three quarters of it (MOSTLY_SURVIVED) must be left then.
    # Figures replaced in place between surviving neighbours are one edit of one statement.
    figures_only = left and right and all(_DIGITS.fullmatch(old_text, *old_tokens[n]) for n in inside
                                          if n not in matched)
    if (not figures_only and _edits_inside(inside, matched, target) >= 2 and kept < MOSTLY_SURVIVED * total
            and _longest_run(old_text, old_tokens, matched, target) < 2 * INTACT_SIDE):
        return None
    if not is_aligned and not (left or right):
        return None
    # A figure edited away is the statement changed: followed only when it was replaced in place,
    # with both neighbours standing ("3.0.7 -> 3.1.0" to "3.3.1 -> 3.4.0"), not in a rewritten sentence.
    if not (left and right) and any(_DIGITS.search(old_text, *old_tokens[n]) for n in inside if n not in matched):
        return None
    # A short claim needs a side and two thirds of its letters (SHORT_EDIT_SURVIVAL), as for any
    # short edited claim: "hardest decision?" keeping "decision?" is another question.
    # Words deleted from it with nothing put in their place ("3.11+ (its" to "3.11+") are the same
    # claim cut short: half of its letters (EDIT_SURVIVAL) then, as for a longer claim.
    cut_short = _only_deleted(target, inside, matched)
    share = EDIT_SURVIVAL if cut_short else SHORT_EDIT_SURVIVAL
    if _weight(exact) < SHORT_QUOTE and not ((left or right) and kept_letters >= share * _letter_weight(exact)):
        return None
    s, e = new_tokens[first][0], new_tokens[final][1]
    # Widened over an edit at either end up to the surviving context's image, by about as much
    # as the edit replaced (more is new text next to the claim, not its words).
    if matched[0] != inside[0] and left:
        wide = new_tokens[target[before] + 1][0]
        if s - wide <= 2 * (old_tokens[matched[0]][0] - start) + 10:
            s = wide
    if matched[-1] != inside[-1] and right:
        wide = new_tokens[target[after] - 1][1]
        if wide - e <= 2 * (end - old_tokens[matched[-1]][1]) + 10:
            e = wide
    span = _snap(new_text, s, e, edges, diff.new_paras[j][0], diff.new_paras[j][1])
    if span is None:
        return None
    s, e = span
    # Close together (half as long again as the quote, and a word); or, with nearly all of it
    # there (WORDS_ALL_THERE), around text inserted inside it.
    if not (e - s <= 1.5 * len(exact) + 10
            or (kept - partial >= WORDS_ALL_THERE * total and e - s <= 3 * len(exact) + 100)):
        return None
    # The same words: the rules for exact quotes, which weigh their context, have judged them.
    if new_text[s:e] == exact or diff.from_elsewhere(new_text, s, e, start, end):
        return None
    # The stretch the placement rests on, said again elsewhere (a line every code sample repeats),
    # could be either copy's.
    if new_text.count(_surviving_stretch(new_text, new_tokens, target, matched)) > 1:
        return None
    return Reanchored("changed", s, e, round(min(similarity(exact, new_text[s:e]), 0.999), 3),
                      reason="edited words")


#: Characters in a row, for part of an edited word to count as surviving in its new form: less
#: is letters in common by chance ("re" in "read" and "write").
PART_OF_WORD = 4


def _only_deleted(target: dict[int, int], inside: list[int], matched: list[int]) -> bool:
    """Whether every unpaired token of the claim was deleted with nothing in its place: its paired
    neighbours (at an end, the nearest paired token past the claim) stand next to each other in
    the new text."""
    first, last = inside[0], inside[-1]
    if matched[0] > first:
        before = max((n for n in target if n < first), default=None)
        if before is None or target[before] + 1 != target[matched[0]]:
            return False
    if matched[-1] < last:
        after = min((n for n in target if n > last), default=None)
        if after is None or target[matched[-1]] + 1 != target[after]:
            return False
    return all(target[y] == target[x] + 1 for x, y in zip(matched, matched[1:]))


def _partly_kept(old_text: str, new_text: str, old_tokens: list[tuple[int, int]], new_tokens: list[tuple[int, int]],
                 target: dict[int, int], inside: list[int], matched: list[int]) -> int:
    """Characters of the claim's unpaired words found again, PART_OF_WORD or more in a row, in the
    new word (or two) that stands between the same paired neighbours: each gap of the claim one
    word wide, and its ends when the token beside the claim is paired."""
    if not matched:
        return 0
    gaps = []
    first, last = inside[0], inside[-1]
    if matched[0] > first and first - 1 in target:
        gaps.append((first, matched[0], target[first - 1] + 1, target[matched[0]]))
    for x, y in zip(matched, matched[1:]):
        if y > x + 1:
            gaps.append((x + 1, y, target[x] + 1, target[y]))
    if matched[-1] < last and last + 1 in target:
        gaps.append((matched[-1] + 1, last + 1, target[matched[-1]] + 1, target[last + 1]))
    credit = 0
    for o1, o2, n1, n2 in gaps:
        if o2 - o1 != 1 or not 1 <= n2 - n1 <= 2:
            continue  # one word edited in itself; more is words replaced by others
        old_part = re.sub(r"\s+", "", old_text[old_tokens[o1][0]:old_tokens[o2 - 1][1]])
        new_part = re.sub(r"\s+", "", new_text[new_tokens[n1][0]:new_tokens[n2 - 1][1]])
        matcher = difflib.SequenceMatcher(None, old_part, new_part, autojunk=False)
        credit += sum(size for _a, _b, size in matcher.get_matching_blocks() if size >= PART_OF_WORD)
    return credit


def _best_targets(diff: TextDiff, old_text: str, new_text: str, old_tokens: list[tuple[int, int]],
                  new_tokens: list[tuple[int, int]], local: dict[int, int], inside: list[int], j: int,
                  weight) -> dict[int, int]:
    """The claim's tokens paired with new paragraph ``j``'s: by the paragraph's own alignment, or
    by the whole-text diff, or by both, whichever keeps most of the claim in order. The paragraph's
    alignment cannot pair sentences that changed places inside it (it keeps one order); the
    whole-text diff pairs them, but may pair a repeated word with another paragraph's copy."""
    lo, hi = max(0, inside[0] - 12), min(len(old_tokens), inside[-1] + 13)
    p_start, p_end = diff.new_paras[j]
    starts = [a for a, _b in new_tokens]
    whole: dict[int, int] = {}
    for n in range(lo, hi):
        a, b = old_tokens[n]
        span, seg = diff.map_span(a, b), diff.segment_at(a)
        # Only stretches of some length (MOVED_STRETCH): a lone word or mark the diff paired is
        # as likely another copy of it.
        if span is None or not p_start <= span[0] < p_end or seg[2] < MOVED_STRETCH:
            continue
        k = bisect_right(starts, span[0]) - 1
        if k >= 0 and new_tokens[k] == span:
            whole[n] = k
    merged = dict(local)
    taken = set(local.values())
    for n, k in whole.items():
        if n not in merged and k not in taken:
            merged[n] = k
            taken.add(k)
    best, best_kept = local, -1
    for option in (local, {**local, **whole}, merged):
        kept = [n for n in range(lo, hi) if n in option]
        if any(option[x] >= option[y] for x, y in zip(kept, kept[1:])):
            continue  # out of order: two pairings that cross
        value = sum(weight(n) for n in inside if n in option)
        if value > best_kept:
            best, best_kept = option, value
    return best


def _longest_run(old_text: str, old_tokens: list[tuple[int, int]], matched: list[int], target: dict[int, int]) -> int:
    """Weight (see :func:`_weight`) of the longest run of the claim's tokens kept one after another in both texts."""
    best = run = 0
    for k, n in enumerate(matched):
        if k and not (n == matched[k - 1] + 1 and target[n] == target[matched[k - 1]] + 1):
            run = 0
        run += _weight(old_text[slice(*old_tokens[n])])
        best = max(best, run)
    return best


def _edits_inside(inside: list[int], matched: list[int], target: dict[int, int]) -> int:
    """Places inside the claim where the edit removed tokens or put new ones in: each gap between
    its surviving tokens, in either text, and each end of it lost."""
    count = (matched[0] != inside[0]) + (matched[-1] != inside[-1])
    for x, y in zip(matched, matched[1:]):
        count += y != x + 1 or target[y] != target[x] + 1
    return count


def _surviving_stretch(new_text: str, new_tokens: list[tuple[int, int]], target: dict[int, int],
                       matched: list[int]) -> str:
    """The longest stretch of new text that survived as it was around one of the claim's tokens,
    its context included: the landmark a placement rests on."""
    back = {t: o for o, t in target.items()}
    best = (0, 0)
    for n in matched:
        lo = hi = target[n]
        while lo - 1 in back and back[lo - 1] == back[lo] - 1:
            lo -= 1
        while hi + 1 in back and back[hi + 1] == back[hi] + 1:
            hi += 1
        a, b = new_tokens[lo][0], new_tokens[hi][1]
        if b - a > best[1] - best[0]:
            best = (a, b)
    return new_text[best[0]:best[1]]


def _verbatim_end(inside: list[int], run: list[int], target: dict[int, int]) -> bool:
    """Whether ``run`` is the claim's first or last tokens, one after another in both texts."""
    consecutive = all(target[y] == target[x] + 1 and y == x + 1 for x, y in zip(run, run[1:]))
    return consecutive and (run[0] == inside[0] or run[-1] == inside[-1])


def _heaviest_cluster(old_tokens: list[tuple[int, int]], new_tokens: list[tuple[int, int]], target: dict[int, int],
                      matched: list[int], weight) -> list[int]:
    """The matched tokens that stay together: split where the new gap between neighbours is much
    wider than the old one (twice it and a few words), the heaviest run kept."""
    if not matched:
        return []
    runs, run = [], [matched[0]]
    for x, y in zip(matched, matched[1:]):
        old_gap = old_tokens[y][0] - old_tokens[x][1]
        new_gap = new_tokens[target[y]][0] - new_tokens[target[x]][1]
        if new_gap > 2 * old_gap + 20:
            runs.append(run)
            run = []
        run.append(y)
    runs.append(run)
    return max(runs, key=lambda r: sum(map(weight, r)))


#: A heading's underline or a rule: three or more of the same mark.
_UNDERLINE = re.compile(r"([^\w\s])\1{2,}")


def _two_words_together(old_text: str, old_tokens: list[tuple[int, int]], target: dict[int, int], start: int,
                        end: int) -> bool:
    """Whether two neighbouring words of old [start, end) (runs without spaces) survived whole and
    side by side, by the alignment ``target`` of its tokens."""
    chunks = []
    for m in re.finditer(r"\S+", old_text[start:end]):
        a, b = m.start() + start, m.end() + start
        chunks.append([n for n, (x, y) in enumerate(old_tokens) if a <= x and y <= b])
    for one, two in zip(chunks, chunks[1:]):
        run = one + two
        if run and all(n in target for n in run) and all(target[y] == target[x] + 1 for x, y in zip(run, run[1:])):
            return True
    return False


def _letter_weight(text: str) -> int:
    """Letters and digits of ``text``, a character of a script written without spaces (Han, kana,
    Thai) counting twice, since it is most of a word; Hangul, spaced into words, counts once."""
    return _unspaced_weight("".join(_WORD_CHAR.findall(text)))


def _unspaced_weight(text: str) -> int:
    """Length, a character of Han, kana or Thai (written without spaces) counting twice."""
    return len(text) + len(_CJK_CHAR.findall(text))


def _snap(text: str, s: int, e: int, edges: tuple[bool, bool], lo: int, hi: int) -> tuple[int, int] | None:
    """[s, e) trimmed of white space and widened to word edges where the claim had them."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if edges[0]:
        while s > lo and not _is_edge(text, s):
            s -= 1
    if edges[1]:
        while e < hi and not _is_edge(text, e):
            e += 1
    return (s, e) if e > s else None


#: Markup in a claim: HTML tags and web addresses. Their letters ("td", "https", "shields") are
#: the same in every row and badge of a document, so they say nothing of which words survived.
_MARKUP = re.compile(r"<[^<>\n]{0,200}>|\w+://[^\s)\]]*")


def _mostly_markup(text: str) -> bool:
    """Whether most of a quote's letters and digits are inside tags and web addresses: a row of
    badges, whose long surviving address is no landmark of the words around it."""
    letters = len(_WORD_CHAR.findall(text))
    inside = sum(len(_WORD_CHAR.findall(m.group())) for m in _MARKUP.finditer(text))
    return inside * 2 > letters


def _content_survived(old_text: str, start: int, end: int, pieces: list[tuple[int, int, int]]) -> float:
    """Share of the claim's letters and digits outside markup that survived (1.0 when it has none:
    then its letters are all it has)."""
    lo, hi = max(0, start - 200), min(len(old_text), end + 200)
    markup = [(m.start() + lo, m.end() + lo) for m in _MARKUP.finditer(old_text[lo:hi])]
    if not markup:
        return 1.0
    inside = bytearray(end - start)
    for ms, me in markup:
        for i in range(max(ms, start), min(me, end)):
            inside[i - start] = 1
    content = [i for i in range(start, end) if not inside[i - start] and _WORD_CHAR.match(old_text[i])]
    if not content:
        return 1.0
    kept = set()
    for os_, _ns, length in pieces:
        kept.update(range(os_, os_ + length))
    return sum(1 for i in content if i in kept) / len(content)


def _stray_ends_dropped(diff: TextDiff, pieces: list[tuple[int, int, int]], aligned: int
                        ) -> list[tuple[int, int, int]]:
    """The surviving pieces without those at either end that went outside the aligned paragraph."""
    first, last = 0, len(pieces)
    while first < last and diff.new_paragraph(pieces[first][1]) != aligned:
        first += 1
    while last > first and diff.new_paragraph(pieces[last - 1][1]) != aligned:
        last -= 1
    kept = pieces[first:last]
    return kept if all(diff.new_paragraph(p[1]) == aligned for p in kept) else []


def _edited_span(diff: TextDiff, old_text: str, new_text: str, start: int, end: int,
                 pieces: list[tuple[int, int, int]], edges: tuple[bool, bool], widen: bool = True
                 ) -> tuple[int, int] | None:
    """The new span of edited words: from the first survivor to the last, widened over an edit
    at either end when the text next to the claim survived right up to it (then what stands
    between that context and the survivor is the edit), and snapped to word edges."""
    first_old, first_new, _ = pieces[0]
    last_old, last_new, last_len = pieces[-1]
    s, e = first_new, last_new + last_len
    old_para = diff.old_paras[diff.old_paragraph(start)]
    new_para = diff.new_paras[diff.new_paragraph(first_new)]
    # Widened only over about as much as the edit replaced (twice it, and a word): a longer
    # stretch there is new text inserted next to the claim (a table cell added), not its words.
    if widen and old_text[start:first_old].strip():
        before = new_para[0] if start == old_para[0] else diff.map(start)
        if before is not None and before <= s and s - before <= 2 * (first_old - start) + 10:
            s = before
    if widen and old_text[last_old + last_len:end].strip():
        after = new_para[1] if end == old_para[1] else diff.map(end)
        if after is not None and after >= e and after - e <= 2 * (end - last_old - last_len) + 10:
            e = after
    p_start = diff.new_paras[diff.new_paragraph(first_new)][0]
    p_end = diff.new_paras[diff.new_paragraph(last_new)][1]
    s, e = max(s, p_start), min(e, p_end)
    while s < e and new_text[s].isspace():
        s += 1
    while e > s and new_text[e - 1].isspace():
        e -= 1
    if edges[0]:
        while s > p_start and not _is_edge(new_text, s) and first_new - s < 20:
            s -= 1
    if edges[1]:
        while e < p_end and not _is_edge(new_text, e) and e - (last_new + last_len) < 20:
            e += 1
    if (edges[0] and not _is_edge(new_text, s)) or (edges[1] and not _is_edge(new_text, e)) or e <= s:
        return None
    return s, e


def _edits_around(diff: TextDiff, old_text: str, new_text: str, start: int, end: int) -> int:
    """Edited stretches in the claim and its context (up to CONTEXT_LENGTH either side, inside
    its paragraph): the gaps between surviving stretches that hold words on either side."""
    p_start, p_end = diff.old_paras[diff.old_paragraph(start)]
    lo, hi = max(p_start, start - CONTEXT_LENGTH), min(p_end, end + CONTEXT_LENGTH)
    pieces = [p for p in diff.pieces(lo, hi) if old_text[p[0]:p[0] + p[2]].strip()]
    if not pieces:
        return MAX_EDITS + 1
    count = 1 if old_text[lo:pieces[0][0]].strip() else 0
    count += 1 if old_text[pieces[-1][0] + pieces[-1][2]:hi].strip() else 0
    for a, b in zip(pieces, pieces[1:]):
        if old_text[a[0] + a[2]:b[0]].strip() or new_text[a[1] + a[2]:b[1]].strip():
            count += 1
    return count


def _first_mapped(diff: TextDiff, start: int, end: int) -> int | None:
    """New offset of the first surviving character of [start, end), moved back to the span's start."""
    for os_, ns, length in diff.pieces(start, end):
        return ns - (os_ - start) if os_ - start <= 12 else None
    return None


def _last_mapped(diff: TextDiff, start: int, end: int) -> int | None:
    pieces = diff.pieces(start, end)
    if pieces:
        os_, ns, length = pieces[-1]
        hi = os_ + length
        return ns + length + (end - hi) if end - hi <= 12 else None
    return None


def _one_word(text: str) -> bool:
    """A single word (symbols around it would make it several)."""
    return sum(1 for m in _DIFF_TOKEN.finditer(text) if not m.group().isspace()) == 1


def _char_ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def similarity(a: str, b: str) -> float:
    """How alike two quotes are (0–1), counted in script-aware tokens.

    Tokens are words where the script separates words, and single characters of scripts that
    write none (Chinese, Japanese, Thai) or build words of syllables (Korean): an edit there
    changes characters, not whole words. Character ratios flatter short quotes ("are busier" and
    "altered busier" share most letters), so tokens must match; a word differing by a typo
    (character ratio ≥ 0.75) counts partly.
    """
    words_a, words_b = _SIM_TOKEN.findall(a), _SIM_TOKEN.findall(b)
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


def weighted_similarity(a: str, b: str) -> float:
    """Like :func:`similarity`, each token counted by its length (see :func:`_weight`), not as one:
    "基于 `hotoo/pinyin" and "`hotoo/pinyin" share one token of three but most of their letters."""
    words_a, words_b = _SIM_TOKEN.findall(a), _SIM_TOKEN.findall(b)
    if not words_a or not words_b:
        return 0.0
    matcher = difflib.SequenceMatcher(None, words_a, words_b, autojunk=False)
    same = sum(_weight(t) for block in matcher.get_matching_blocks() for t in words_a[block.a:block.a + block.size])
    return same / max(sum(map(_weight, words_a)), sum(map(_weight, words_b)))


def _words_kept(old: str, new: str) -> float:
    """The share of the old quote's script-aware tokens found among the new words'."""
    old_tokens, new_tokens = Counter(_SIM_TOKEN.findall(old)), Counter(_SIM_TOKEN.findall(new))
    total = sum(old_tokens.values())
    return sum((old_tokens & new_tokens).values()) / total if total else 0.0


def letter_similarity(a: str, b: str) -> float:
    """How alike two quotes are (0–1) in their letters and digits alone, in order: the evidence
    left when markup around the words was rewritten or a word was renamed inside an identifier,
    where no whole token is the same. Used only inside a claim's aligned paragraph."""
    letters_a, letters_b = "".join(_WORD_CHAR.findall(a)), "".join(_WORD_CHAR.findall(b))
    if not letters_a or not letters_b:
        return 0.0
    return difflib.SequenceMatcher(None, letters_a, letters_b, autojunk=False).ratio()


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
