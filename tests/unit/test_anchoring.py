"""Anchoring: code points versus UTF-16, selectors, quote checks and overlap segments."""

import unicodedata

import pytest

from workbench.text.anchoring import (
    AnchorError,
    build_selectors,
    codepoint_to_utf16,
    locate_quote,
    segments,
    utf16_to_codepoint,
    verify_quote,
)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# (text, the claim's words): the claim must be found at the same place whichever way we count.
TRICKY = [
    pytest.param("Plain ASCII before the claim words here.", "claim words", id="ascii"),
    pytest.param("👍 An emoji comes first, then the claim words.", "the claim words", id="emoji_before_claim_does_not_shift"),
    pytest.param("Family 👩‍👩‍👧‍👦 emoji with ZWJ, then claim text.", "claim text", id="zwj_sequence_before"),
    pytest.param("Flags 🇭🇰🇺🇸 before the claim here.", "the claim here", id="regional_indicator_flags"),
    pytest.param("Math 𝐀𝐁𝐂 astral letters then the claim.", "the claim", id="astral_math_letters"),
    pytest.param(unicodedata.normalize("NFC", "Cafe\u0301 re\u0301sume\u0301 then the claim."), "the claim", id="combining_accents_after_nfc"),
    pytest.param("مرحبا بالعالم ثم الادعاء هنا", "الادعاء هنا", id="arabic_rtl"),
    pytest.param("שלום עולם ואז הטענה כאן", "הטענה כאן", id="hebrew_rtl"),
    pytest.param("香港政府周三反对美国的报告，称其有偏见。", "称其有偏见", id="cjk"),
    pytest.param("𠀀𠀁 CJK extension B then the claim.", "the claim", id="cjk_astral"),
    pytest.param("Claim inside 🎉 emoji 🎉 span.", "inside 🎉 emoji 🎉 span", id="emoji_inside_claim"),
    pytest.param("First paragraph ends.\n\nSecond starts 😀 here.", "ends.\n\nSecond starts 😀", id="across_paragraphs"),
    pytest.param("Mixed English العربية 中文 🙂 and the claim.", "and the claim", id="mixed_scripts"),
]


@pytest.mark.parametrize("text, words", TRICKY)
def test_positions_round_trip_between_utf16_and_code_points(text, words):
    start = text.index(words)
    end = start + len(words)
    # What a browser reports, in UTF-16 code units:
    u16_start, u16_end = utf16_len(text[:start]), utf16_len(text[:end])
    assert utf16_to_codepoint(text, u16_start) == start
    assert utf16_to_codepoint(text, u16_end) == end
    assert codepoint_to_utf16(text, start) == u16_start and codepoint_to_utf16(text, end) == u16_end
    selectors = verify_quote(text, start, end, words)
    assert text[selectors.start:selectors.end] == words


@pytest.mark.parametrize("text, words", TRICKY)
def test_quote_locates_the_claim(text, words):
    selectors = build_selectors(text, text.index(words), text.index(words) + len(words))
    assert locate_quote(text, selectors.exact, selectors.prefix, selectors.suffix) == selectors.start


def test_context_is_32_code_points_each_side():
    text = "😀" * 40 + "CLAIM" + "🙂" * 40
    selectors = build_selectors(text, 40, 45)
    assert selectors.prefix == "😀" * 32 and selectors.suffix == "🙂" * 32
    short = build_selectors("ab CLAIM cd", 3, 8)
    assert (short.prefix, short.exact, short.suffix) == ("ab ", "CLAIM", " cd")


def test_offset_inside_a_surrogate_pair_moves_past_the_character():
    assert utf16_to_codepoint("😀x", 1) == 1


@pytest.mark.parametrize("start, end, exact, message", [
    pytest.param(4, 9, "brown", "is 'quick', not 'brown'", id="wrong_words"),
    pytest.param(-1, 3, "x", "outside", id="negative"),
    pytest.param(4, 400, "x", "outside the text", id="past_end"),
    pytest.param(9, 4, "x", "empty", id="reversed"),
    pytest.param(3, 4, " ", "white space", id="only_space"),
])
def test_quote_mismatch_says_what_is_there(start, end, exact, message):
    with pytest.raises(AnchorError) as err:
        verify_quote("The quick brown fox.", start, end, exact)
    assert message in str(err.value)


def test_repeated_quote_is_chosen_by_context():
    text = "The rate rose. Later the rate fell. Finally the rate rose again."
    second = text.index("the rate", 20)
    selectors = build_selectors(text, second, second + len("the rate"))
    assert locate_quote(text, "the rate", selectors.prefix, selectors.suffix) == second
    assert locate_quote(text, "rate", "", "") is None  # ambiguous without context
    assert locate_quote(text, "rate", near=60) == text.rindex("rate")
    assert locate_quote(text, "absent") is None


def test_segments_of_overlapping_and_nested_claims():
    # claim 1: [2, 10), claim 2: [5, 15) overlaps it, claim 3: [6, 8) nests in both.
    pieces = segments(20, [(1, 2, 10), (2, 5, 15), (3, 6, 8)])
    assert [(p.start, p.end, p.claims) for p in pieces] == [
        (0, 2, ()), (2, 5, (1,)), (5, 6, (1, 2)), (6, 8, (1, 2, 3)), (8, 10, (1, 2)), (10, 15, (2,)), (15, 20, ()),
    ]


def test_segments_cover_the_text_exactly():
    pieces = segments(10, [(1, 0, 10), (2, 0, 10)])
    assert [(p.start, p.end, p.claims) for p in pieces] == [(0, 10, (1, 2))]
    assert segments(0, []) == []
