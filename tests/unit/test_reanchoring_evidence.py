"""Re-anchoring's evidence rules, one by one, on edits shaped like the real ones (issue #17's examples
among them): edited words followed, short quotes with one intact side, duplicates that lost their
context, and word boundaries by script. The real-edit corpus (tests/unit/test_real_edits.py) holds
the rules to account in general."""

import pytest

from workbench.text.anchoring import TextDiff, _is_edge, build_selectors, reanchor, similarity


def anchor(old: str, new: str, words: str, occurrence: int = 0):
    start = -1
    for _ in range(occurrence + 1):
        start = old.index(words, start + 1)
    sel = build_selectors(old, start, start + len(words))
    result = reanchor(old, new, start=sel.start, end=sel.end, exact=sel.exact, prefix=sel.prefix,
                      suffix=sel.suffix, diff=TextDiff(old, new))
    return result, (None if result.start is None else new[result.start:result.end])


# (old paragraph, edit (before, after), claim, the words it must land on)
EDITED = [
    pytest.param("Informational PEPs include release schedules, procedures and guidelines for everyone.",
                 ("include release schedules, procedures", "include procedures"),
                 "include release schedules, procedures and guidelines", "include procedures and guidelines",
                 id="words_deleted_inside"),
    pytest.param("The individual: any other individuals involved in the project must agree to it.",
                 ("individual: any other individuals involved",
                  "contributor: any other individuals or organizations involved"),
                 "individual: any other individuals involved",
                 "contributor: any other individuals or organizations involved", id="word_replaced_and_insertion"),
    pytest.param("The council said the tolls raised 412 million crowns last year.",
                 ("412 million crowns", "412 million Swedish crowns"),
                 "the tolls raised 412 million crowns", "the tolls raised 412 million Swedish crowns",
                 id="word_inserted"),
    pytest.param("香港政府周三反对美国的报告，称其有偏见。",
                 ("反对美国的报告", "强烈反对美国国务院的报告"), "周三反对美国的报告", "周三强烈反对美国国务院的报告",
                 id="chinese_characters_inserted"),
    pytest.param("이 문서는 프로젝트에 기여하는 방법을 자세히 설명합니다.",
                 ("기여하는 방법을 자세히", "기여하는 여러 방법을 자세히"), "기여하는 방법을 자세히",
                 "기여하는 여러 방법을 자세히", id="korean_word_inserted"),
    # The words before the claim's survivors were replaced by many more: the claim is placed on
    # what survived, not stretched over the new words next to it.
    pytest.param("基于 `hotoo/pinyin <https://github.com/hotoo/pinyin>`__ 开发。",
                 ("基于", "最初版本的代码参考了"), "基于 `hotoo/pinyin", "`hotoo/pinyin",
                 id="chinese_words_replaced_next_to_an_identifier"),
    # A long clause inserted right after the claim's first words: the claim lands on what is left
    # of it there, not over the new clause.
    pytest.param("Pages are kept by their stamps (counts and times, digested by the database). Its pages are built once.",
                 ("database). Its", "database) with the article's history stamp (its latest event, by id and time). Its"),
                 "times, digested by the database). Its", "times, digested by the database)",
                 id="clause_inserted_after_the_claims_first_words"),
    # A short claim cut short: the words after it deleted with nothing in their place.
    pytest.param("On a fresh machine with Python 3.11+ (its SQLite 3.38 or newer, as every build is) and make, run it.",
                 (" (its SQLite 3.38 or newer, as every build is)", ""), "Python 3.11+ (its", "Python 3.11+",
                 id="short_claim_cut_short"),
    # A word edited in itself: what stands of it counts as surviving.
    pytest.param("Using the old name causes a DeprecationWarning to be emitted at import time.",
                 ("DeprecationWarning", "Warning"), "DeprecationWarning to be", "Warning to be",
                 id="word_shortened_in_itself"),
    # Figures replaced in place, both neighbours standing: the same statement, its figures edited.
    pytest.param("Upgrade from 3.0.7 -> 3.1.0 when the interface changed, as the notes say.",
                 ("3.0.7 -> 3.1.0", "3.3.1 -> 3.4.0"), "from 3.0.7 -> 3.1.0 when", "from 3.3.1 -> 3.4.0 when",
                 id="figures_replaced_in_place"),
]


@pytest.mark.parametrize("paragraph, edit, words, found", EDITED)
def test_edited_words_are_followed_and_flagged_changed(paragraph, edit, words, found):
    old = f"Title\n\n{paragraph}\n\nAnother paragraph that stays."
    new = old.replace(*edit)
    result, landed = anchor(old, new, words)
    assert result.state == "changed" and landed == found
    assert 0 < result.score < 1 and result.reason == "edited words"


@pytest.mark.parametrize("old, new, words", [
    pytest.param("Files using ASCII should not have a coding cookie at the top.",
                 "Files using ASCII (or UTF-8, for Python 3.0) should not have a coding cookie at the top.",
                 "have a coding cookie", id="clause_inserted_before"),
    pytest.param("You may use it in your own programs.",
                 "You may use it in your own programs, free of charge, while the notice stays.",
                 "own programs", id="text_appended_after"),
    pytest.param("This change is not considered a breaking one.",
                 "This change is not considered, for now, a breaking one.", "not considered",
                 id="clause_added_after"),
])
def test_short_quote_with_one_intact_side_is_kept(old, new, words):
    result, landed = anchor(old + "\n\nNext.", new + "\n\nNext.", words)
    assert result.state in ("kept", "moved") and landed == words and result.score == 1.0


def test_short_quote_opening_its_paragraph_is_kept_by_the_whole_word_after_it():
    old = "Title\n\n$ pypinyin 音乐 yīn yuè $ pypinyin -h\n\nEnd."
    # The paragraph was split right after the next word: "yuè" is whole in both, and all that survived.
    new = "Title\n\n$ pypinyin 音乐 yīn yuè\n\n$ python -m pypinyin.tools.toneconvert to-tone\n\nEnd."
    result, landed = anchor(old, new, "$ pypinyin 音乐 yīn")
    assert result.state == "kept" and landed == "$ pypinyin 音乐 yīn" and result.score == 1.0


def test_short_quote_repeated_in_its_paragraph_needs_both_sides():
    old = "It rose by ten per cent, then by ten per cent again.\n\nNext."
    new = "It rose sharply by ten per cent, then fell by ten per cent again.\n\nNext."
    result, landed = anchor(old, new, "by ten per cent", occurrence=0)
    # One side changed ("rose " became "rose sharply "), and the words repeat: not kept on faith.
    assert result.state != "kept" and (result.state == "orphan" or landed == "by ten per cent")
    assert result.score < 1


def test_short_phrase_in_a_rewritten_paragraph_is_not_kept():
    old = "Alpha said it on Monday.\n\nBeta happened later."
    new = "Gamma reported everything on Monday.\n\nBeta happened later."
    assert anchor(old, new, "on Monday.")[0].state == "orphan"


def test_duplicate_sentence_in_another_paragraph_does_not_take_the_claim():
    sentence = "The minister resigned on Friday."
    old = f"Morning news. {sentence} Other things happened.\n\nIn the evening we heard again: {sentence} Nothing else."
    # The claim's own paragraph is rewritten; the same sentence stands in the next one, in its own context.
    new = f"Morning news was quiet.\n\nIn the evening we heard again: {sentence} Nothing else."
    result, landed = anchor(old, new, sentence, occurrence=0)
    assert result.state == "orphan"


def test_moved_paragraph_takes_its_claim_along():
    old = "First paragraph here.\n\nSecond paragraph, with the claim words inside it.\n\nThird one."
    new = "First paragraph here.\n\nThird one.\n\nSecond paragraph, with the claim words inside it."
    result, landed = anchor(old, new, "claim words")
    assert result.state == "moved" and landed == "claim words"


def test_edited_claim_moved_out_into_a_new_paragraph_is_placed_there_and_flagged():
    old = ("Title\n\nYou can fix the results with a custom phrase dictionary, or use the project's own "
           "dictionaries to correct them. See the docs for more on this.\n\nEnd.")
    # The clause became a list item of its own after the rest of the paragraph; its last word stayed behind.
    new = ("Title\n\nYou can fix the results with a custom phrase dictionary. See the docs for more on this.\n\n"
           "* Or use the project's own dictionaries to correct them.\n\nEnd.")
    result, landed = anchor(old, new, "use the project's own dictionaries to correct them. See")
    assert result.state == "changed" and result.reason == "edited words" and 0 < result.score < 1
    assert landed == "use the project's own dictionaries to correct them."


def test_quote_in_the_part_of_a_split_paragraph_next_to_its_aligned_one_is_kept():
    calls = ("jpholiday.is_holiday_name(datetime.date(2017, 1, 1)) > '元日' "
             "jpholiday.is_holiday_name(datetime.date(2017, 1, 2)) > '元日 振替休日'")
    other = "## Holidays of a year ```python import jpholiday import datetime jpholiday.year_holidays(2017)```"
    old = f"Title\n\n## Sample Code ```python # 指定日の祝日名を取得 import jpholiday import datetime {calls}\n\n{other}\n\nEnd."
    # The code sample was split after its imports; the same imports stand in the next sample too.
    new = (f"Title\n\n## Sample Code ### 指定日の祝日名を取得 ```python import jpholiday import datetime\n\n"
           f"# datetime.date {calls}\n\n{other}\n\nEnd.")
    result, landed = anchor(old, new, "jpholiday import datetime")
    assert result.state == "moved" and new.index(landed) == result.start < new.index("# datetime.date")


def test_heading_whose_version_number_changed_keeps_its_underline_and_is_flagged():
    line = "=" * 40
    old = f"Thai Language Toolkit Project  version 1.7 {line}\n\nTLTK is a Python package.\n\nEnd."
    new = old.replace("1.7", "1.8")
    result, landed = anchor(old, new, f"1.7 {line}")
    assert result.state == "changed" and result.reason == "edited words" and landed == f"1.8 {line}"
    assert 0 < result.score < 1
    # A longer number in its place: part of one word replaced, the underline still beside it.
    result, landed = anchor(old, old.replace("1.7", "1.9.1"), f"version 1.7 {line}")
    assert result.state == "changed" and landed == f"version 1.9.1 {line}"


def test_short_edited_quote_said_once_in_its_paragraph_is_placed_on_one_intact_side():
    old = ("Title\n\nThe tolls raised 412 million crowns last year.\n\n"
           "Next year 412 million crowns are expected again.\n\nEnd.")
    # A word inserted in the claim and the words after it replaced: only the side before it is intact.
    new = ("Title\n\nThe tolls raised 412 million Swedish crowns in 2023.\n\n"
           "Next year 412 million crowns are expected again.\n\nEnd.")
    result, landed = anchor(old, new, "412 million crowns")
    assert result.state == "changed" and result.reason == "edited words" and landed == "412 million Swedish crowns"
    assert result.start < new.index("Next year")
    # The other copy, untouched, stays where it was.
    other, landed = anchor(old, new, "412 million crowns", occurrence=1)
    assert other.state == "moved" and other.score == 1.0 and other.start > new.index("Next year")


def test_edited_claim_whose_marks_moved_between_its_words_is_placed_by_its_letters():
    old = ("Title\n\n>>> jpholiday.year_holidays(2017) >[(datetime.date(2017, 1, 1), '元日')]\n\n"
           ">>> jpholiday.year_holidays(2018) >[(datetime.date(2017, 1, 1), '元日')]\n\nEnd.")
    new = old.replace(">[(", "> [(")
    result, landed = anchor(old, new, ">[(datetime.date(2017, 1,")
    assert result.state == "changed" and landed == "> [(datetime.date(2017, 1," and result.start < new.index("2018")
    assert 0 < result.score < 1


def test_repeated_paragraph_between_two_edited_neighbours_stays_between_them():
    old = ("Title\n\nYou can define your own phrases to fix the readings:\n\n.. code-block:: python\n\n"
           ">>> from pypinyin import Style, pinyin, load_phrases_dict\n\nOr single characters:\n\n"
           ".. code-block:: python\n\n>>> from pypinyin import load_single_dict\n\nEnd.")
    # Both paragraphs around the first ".. code-block:: python" were edited; the second sample is untouched.
    new = ("Title\n\nYou can define your own phrases to fix the readings, as the docs say:\n\n"
           ".. code-block:: python\n\n>> from pypinyin import load_phrases_dict, load_single_dict\n\n"
           "Or single characters:\n\n.. code-block:: python\n\n>>> from pypinyin import load_single_dict\n\nEnd.")
    result, landed = anchor(old, new, "python")
    assert result.state in ("kept", "moved") and result.score == 1.0
    assert result.start == new.index(".. code-block:: python") + len(".. code-block:: ")
    second, _landed = anchor(old, new, ".. code-block:: python", occurrence=1)
    assert second.start == new.rindex(".. code-block:: python")


def test_edited_link_address_between_two_intact_neighbours_is_placed_and_flagged():
    old = ("Title\n\n因为根据 `《汉语拼音方案》 <http://www.moe.gov.cn/s78/A19/yxs_left/moe_810/s230/195802/"
           "t19580201_186000.html>`__ ， y，w，ü (yu) 都不是声母。\n\nEnd.")
    new = old.replace("s78/A19/yxs_left/moe_810/s230", "jyb_sjzl/ziliao/A19")
    words = "<http://www.moe.gov.cn/s78/A19/yxs_left/moe_810/s230/195802/t19580201_186000.html>`__"
    result, landed = anchor(old, new, words)
    assert result.state == "changed" and result.reason == "edited words" and 0 < result.score < 1
    assert landed == words.replace("s78/A19/yxs_left/moe_810/s230", "jyb_sjzl/ziliao/A19")


def test_same_words_whose_context_changed_are_placed_but_flagged():
    old = "A long quote that is found once in the text, word for word, and nowhere else at all.\n\nEnd."
    new = ("Preface added.\n\nEntirely new words: A long quote that is found once in the text, word for word, "
           "and nowhere else at all! More new words here.\n\nEnd.")
    result, landed = anchor(old, new, "A long quote that is found once in the text, word for word, and nowhere")
    assert result.state in ("moved", "changed") and landed.startswith("A long quote")


def test_a_rewording_keeping_every_other_word_is_an_orphan():
    old = "Title\n\nThe council voted to close the old bridge for repairs in May.\n\nEnd."
    new = "Title\n\nThe mayor voted against closing the new bridge during repairs next May.\n\nEnd."
    assert anchor(old, new, "council voted to close the old bridge")[0].state == "orphan"


def test_hangul_word_is_a_run_of_syllables():
    assert not _is_edge("기여해", 2)           # inside a word
    assert _is_edge("기여 해", 2)              # a space ends it
    assert _is_edge("香港政府", 2)             # Chinese: any boundary may end a word
    assert not _is_edge("ที่ต้อง", 1)            # a Thai vowel mark belongs to its letter


def test_korean_fragment_inside_a_longer_word_is_flagged_changed():
    old = "이 프로젝트에 기여 방법을 설명합니다.\n\n다음."
    new = "이 프로젝트에 기여해 주시는 방법을 설명합니다.\n\n다음."
    result, landed = anchor(old, new, "기여")
    assert result.state == "changed" and landed == "기여해"


def test_thai_claim_shifted_by_an_insertion_is_moved_whole():
    old = "เดิมทีผมสร้างขึ้นเพื่อเป็นรายการที่ต้องทำ\n\nถัดไป"
    new = "คำนำใหม่ " + old
    result, landed = anchor(old, new, "รายการที่ต้องทำ")
    assert result.state == "moved" and landed == "รายการที่ต้องทำ"


@pytest.mark.parametrize("a, b, low, high", [
    pytest.param("中国政府周三", "中国政府周四", 0.8, 0.9, id="chinese_by_characters"),
    pytest.param("기여하는 방법", "기여하는 여러 방법", 0.6, 0.9, id="korean_by_syllables"),
    pytest.param("are busier", "altered busier", 0.4, 0.6, id="words_where_spaced"),
])
def test_similarity_counts_script_aware_tokens(a, b, low, high):
    assert low <= similarity(a, b) <= high


def test_a_rewritten_sentence_keeping_its_last_words_is_an_orphan():
    # Only "million crowns." survived, and a full stop before the paragraph's end places nothing.
    old = "Revision Headline\n\nThe old sentence about 40 million crowns.\n\nAnother line stays."
    new = "Revision Headline\n\nA rewritten line on spending of 32 million crowns.\n\nAnother line stays."
    assert anchor(old, new, "about 40 million crowns")[0].state == "orphan"


def test_unique_words_whose_neighbouring_mark_changed_are_placed_and_flagged():
    # A signature at a paragraph's end: the mark before it changed ("）。" became "）**。"), so no
    # word right next to it survived, but the paragraph around it reads the same. The same
    # signature closes another paragraph too.
    old = "Title\n\n这时候你也许需要的是首字母风格（FIRST_LETTER）。 —— @hotoo\n\n另一段话。 —— @hotoo"
    new = "Title\n\n这时候你也许需要的是首字母风格（FIRST_LETTER）**。 —— @hotoo\n\n另一段话。 —— @hotoo"
    result, landed = anchor(old, new, "@hotoo")
    assert result.state == "changed" and landed == "@hotoo" and result.reason == "the same words, in a changed context"
    assert 0 < result.score < 1


def test_badge_rewritten_from_restructuredtext_to_markdown_is_followed():
    # No whole token is the same ("image::" became "[![image](", the address lost its spaces),
    # but the letters are, in order, and the address is found once in each text.
    old = ("Title\n\n.. image:: https://img.shields.io/pypi/v/jpholiday.svg :target: https://pypi.org/project/jpholiday/ "
           ".. image:: https://img.shields.io/pypi/l/jpholiday.svg\n\nEnd.")
    new = ("Title\n\n[![image](https://img.shields.io/pypi/v/jpholiday.svg)](https://pypi.org/project/jpholiday/) "
           "[![image](https://img.shields.io/pypi/l/jpholiday.svg)]\n\nEnd.")
    result, landed = anchor(old, new, "image:: https://img.shields.io/pypi/v/jpholiday.svg :target: "
                                      "https://pypi.org/project/jpholiday/")
    assert result.state == "changed" and result.reason == "edited words"
    assert landed == "image](https://img.shields.io/pypi/v/jpholiday.svg)](https://pypi.org/project/jpholiday/"
    assert 0.75 <= result.score < 1


def test_a_sentence_rewritten_around_a_shared_word_is_not_followed_on_letters():
    old = "Title\n\nThe council closed the harbour bridge for the winter season.\n\nEnd."
    new = "Title\n\nA new harbour was opened by the minister in the spring.\n\nEnd."
    assert anchor(old, new, "closed the harbour bridge for the winter")[0].state == "orphan"


def test_claim_whose_tail_was_deleted_is_placed_on_what_is_left():
    old = "Title\n\n$ pypinyin 音乐 yīn yuè $ pypinyin -h\n\nEnd."
    new = "Title\n\n$ pypinyin 音乐 yīn yuè\n\n$ python -m pypinyin.tools.toneconvert to-tone\n\nEnd."
    result, landed = anchor(old, new, "pypinyin 音乐 yīn yuè $ pypinyin -h")
    assert result.state == "changed" and landed == "pypinyin 音乐 yīn yuè" and result.reason == "edited words"


def test_a_short_phrase_left_of_a_rewritten_sentence_is_an_orphan():
    old = "Title\n\nHere are a few projects using Rich:\n\nEnd."
    new = "Title\n\nFor some examples of projects using it, see the gallery.\n\nEnd."
    assert anchor(old, new, "few projects using")[0].state == "orphan"


def test_sentence_moved_out_of_its_paragraph_past_new_text_takes_its_claims():
    kept = ("You can fix the results with a dictionary of your own phrases, loaded at start, ",
            "and the manual explains in detail how to write such a dictionary and load it.")
    moved = "or use the project that ships a larger one."
    old = f"Title\n\n{kept[0]}{moved} {kept[1]}\n\nEnd."
    new = (f"Title\n\n* {kept[0]}{kept[1]}\n\n.. code-block:: python\n\n>>> load_phrases_dict({{'a': [['b']]}})"
           f"\n\n* {moved}\n\nEnd.")
    result, landed = anchor(old, new, "ships a larger")
    assert result.state == "moved" and landed == "ships a larger" and result.score == 1.0


def test_claim_over_a_heading_the_edit_split_off_is_placed_on_the_rest():
    # A new entry was inserted between a heading and the entry the claim covers: the heading's
    # words went to another paragraph, three quarters of the claim's letters stayed together.
    old = "Title\n\nUpdates: -------- Version 1.9: TextClass(text) reads the whole text at once.\n\nEnd."
    new = ("Title\n\nUpdates: --------\n\nVersion 1.10: Fixed a bug that was causing inaccurate transcriptions."
           "\n\nVersion 1.9: TextClass(text) reads the whole text at once.\n\nEnd.")
    result, landed = anchor(old, new, "Updates: -------- Version 1.9: TextClass(text) reads")
    assert result.state == "changed" and landed == "Version 1.9: TextClass(text) reads"


@pytest.mark.parametrize("paragraph, sentence, reworded, words", [
    pytest.param("Le texte sera voté mardi. Rien ne change, a précisé le président du groupe hier soir.",
                 "Rien ne change, a précisé le président du groupe hier soir.",
                 "Tout altered, altered précisé altered président altered groupe altered soir.",
                 "a précisé le président", id="every_other_word_replaced"),
    pytest.param("Die Stadt spart. Der Stromverbrauch der Beleuchtung um die Hälfte sinkt bis 2026.",
                 "Der Stromverbrauch der Beleuchtung um die Hälfte sinkt bis 2026.",
                 "Der Stromverbrauch altered Beleuchtung altered die altered sinkt altered 2026.",
                 "Stromverbrauch der Beleuchtung um", id="long_words_left_standing"),
])
def test_a_sentence_reworded_around_its_long_words_orphans_the_claim(paragraph, sentence, reworded, words):
    """With every other word replaced, the long words left standing keep most of the letters; the
    claim's words are gone all the same, and it is never placed on the new ones."""
    old = f"Title\n\n{paragraph}\n\nAnother paragraph that stays."
    result, _ = anchor(old, old.replace(sentence, reworded), words)
    assert result.state == "orphan"


def test_markup_rewritten_around_a_claims_words_still_follows_them():
    old = ("Badges\n\n.. image:: https://img.shields.io/pypi/v/pkgname.svg :target: https://pypi.org/project/pkgname/\n\n"
           "Another paragraph that stays.")
    new = ("Badges\n\n[![image](https://img.shields.io/pypi/v/pkgname.svg)](https://pypi.org/project/pkgname/)\n\n"
           "Another paragraph that stays.")
    result, landed = anchor(old, new, "image:: https://img.shields.io/pypi/v/pkgname.svg :target: https://pypi.org/project/pkgname/")
    assert result.state == "changed" and "img.shields.io/pypi/v/pkgname.svg" in landed


def test_edited_words_in_a_paragraph_rewritten_too_far_to_align_are_placed_by_the_paragraph_alone():
    # Nearly every word of the paragraph was reworded, so the whole-text diff pairs too little of it
    # to follow the claim; aligned on its own with its new paragraph (the heading and the paragraph
    # after it confirm the pairing), the claim's surviving words ("여기에", "된") place it.
    old = ("소개\n\n> 나는 원래 이것을 소프트웨어 엔지니어가 되기 위한 짧은 연구 목록으로 만들었다. > 그러나 지금 당신이 "
           "볼수 있듯이 이 목록은 매우 커졌다. > 여기에 나열된 모든 것을 공부할 필요는 없다.\n\n목차")
    new = ("소개\n\n> 이 글은 원래 제가 소프트웨어 엔지니어가 되기 위해 정리한 짧은 주제들이었습니다. > 그러나 지금은 "
           "보다시피 주제들이 굉장히 많아졌습니다. >여기에 정리된 모든 것을 공부할 필요는 없습니다.\n\n목차")
    result, landed = anchor(old, new, "> 여기에 나열된")
    assert result.state == "changed" and landed == ">여기에 정리된" and result.reason == "edited words"


def test_a_short_word_kept_in_a_rewritten_sentence_is_found_by_its_paragraph_alone():
    # "of" is said twice in the paragraph, and the sentence around the second one was rewritten
    # ("returns a list of 130" became "only a list of 129"): its paragraph aligned on its own
    # still pairs it, with "list" kept next to it.
    old = ('Features\n\n\\>tltk.nlp.txt2feat(text, Option="name|value"): Returns a list of 130 feature values analyzed '
           'from the text. If Option="name", returns a list of 130 feature names.\n\nEnd.')
    new = ('Features\n\n\\>tltk.nlp.txt2feat(text, Option="name|value"): Returns a list of 129 feature values analyzed '
           'from the text. If Option="name", only a list of 129 feature names is returned.\n\nEnd.')
    result, landed = anchor(old, new, "of", occurrence=1)
    assert result.state != "orphan" and landed == "of"
    assert result.start == new.rindex("a list of") + len("a list ")


def test_a_paragraph_aligned_again_on_its_own_places_no_reworded_sentence():
    # Every other word replaced: aligned on its own, the paragraph still pairs the words left
    # standing one by one, which is a new sentence reusing them, not the claim edited.
    old = "Title\n\nThe vote came late. What was the hardest decision?\n\nAnother paragraph that stays."
    new = "Title\n\nThe vote came late. What altered the altered decision?\n\nAnother paragraph that stays."
    assert anchor(old, new, "hardest decision?")[0].state == "orphan"


def test_first_word_of_a_paragraph_whose_next_word_was_deleted_is_placed():
    # Neither neighbour survived (the paragraph before was rewritten, "also" was deleted), but
    # the paragraph's words nearly all went to its aligned one, and it still starts with the quote.
    old = ("Title\n\nRich can print colours to a terminal limited to eight of them.\n\n"
           "Rich also works with Jupyter notebooks with no additional configuration required.\n\n"
           "Rich is used by many projects, and Rich keeps growing.")
    new = ("Title\n\nRich prints colour in any terminal, whatever it supports.\n\n"
           "Rich works with Jupyter notebooks with no additional configuration required.\n\n"
           "Rich is used by many projects, and Rich keeps growing.")
    result, landed = anchor(old, new, "Rich", occurrence=1)
    assert landed == "Rich" and result.state == "changed" and result.reason == "the same words, in a changed context"


def test_sentence_moved_into_the_next_paragraph_with_its_tail_edited_is_followed():
    # The paragraph was split and its last sentence went on with the next one: the claim is found
    # there, on what is left of it, not in the paragraph aligned with its old one.
    old = ("Title\n\nServices own their transactions and every write waits for its turn in the queue. "
           "A view renders only after the service has returned; a test probes every state-changing route to prove it."
           "\n\nEnd of the text.")
    new = ("Title\n\nServices own their transactions and every write waits for its turn in the queue.\n\n"
           "A view renders only after the service has returned; a test walks the URL map and probes every "
           "state-changing route, page and API, so that a new route is covered.\n\nEnd of the text.")
    result, landed = anchor(old, new, "probes every state-changing route to prove it.")
    assert result.state == "changed" and landed == "probes every state-changing route"


# A document moved from reStructuredText to Markdown: the quote stands between the same words,
# but the marks around it are all new, so its remembered characters of context match nothing.
# (old, new, claim, which copy of its words the claim is, in both texts)
RESTYLED = [
    pytest.param("Cite it as follows, or in bibtex format\n\n.. code:: bibtex\n\n@misc{lee2012tolls, title={Tolls}}",
                 "Cite it as follows, or in bibtex format\n\n```bibtex @misc{lee2012tolls, title={Tolls}} ```",
                 "bibtex", 1, id="code_directive_became_a_fence"),
    pytest.param("Install it with pip install tolls\n\nRequirements ^^^^^^^^^^^^\n\n::\n\npip install -r requirements.txt",
                 "Install it with ``` pip install tolls ``` #### Requirements\n\n``` pip install -r requirements.txt ```",
                 "Requirements", 0, id="underlined_heading_became_a_hash_heading"),
    pytest.param("The bridge database\n\nUsage =====\n\nExample -------\n\n.. code:: python\n\n>>> import tolls",
                 "The bridge database\n\nUsage -----\n\nExample ~~~~~~~\n\n-  Receipts\n\n.. code:: python\n\n>>> import tolls",
                 "Example", 0, id="underline_restyled_and_an_item_added_below"),
]


@pytest.mark.parametrize("old, new, words, occurrence", RESTYLED)
def test_a_quote_between_the_same_words_with_new_marks_is_placed_and_flagged(old, new, words, occurrence):
    result, landed = anchor(old, new, words, occurrence)
    assert landed == words and result.state == "changed", result
    # On the copy between the same words (the same copy as in the old text: the texts agree there).
    copies = [i for i in range(len(new)) if new.startswith(words, i)]
    assert result.start == copies[occurrence]


def test_the_same_words_on_one_side_past_the_paragraph_do_not_place_a_rewritten_quote():
    old = "Alpha said it on Monday.\n\nBeta happened later, as the council said."
    new = "Gamma reported everything on Monday.\n\nBeta happened later, as the council said."
    assert anchor(old, new, "on Monday.")[0].state == "orphan"


def test_a_quote_whose_words_on_both_sides_recur_around_another_copy_is_not_placed_by_them():
    block = "pip install tolls\n\n.. code:: bash\n\n$ tolls --report"
    old = f"Setup\n\n{block}\n\nAgain\n\n{block}"
    new = "Setup\n\n```bash tolls --report ```\n\nAgain\n\n```bash tolls --report ```"
    result, _landed = anchor(old, new, "bash", 0)
    assert result.state == "orphan" or result.reason != "the same words between the same words, the marks around them changed"



def test_a_heading_whose_underline_became_hashes_is_placed_on_its_words_and_flagged():
    old = ("Install it\n\n::\n\npip install tolls\n\nRequirements ------------\n\n::\n\n"
           "pip install -r requirements.txt\n\nUsage\n\nRun it daily.")
    new = ("Install it\n\n``` pip install tolls ```\n\n#### Requirements\n\n``` pip install -r requirements.txt ```"
           "\n\nUsage\n\nRun it daily.")
    result, landed = anchor(old, new, "Requirements ------------")
    assert landed == "Requirements" and result.state == "changed"
    assert result.reason == "the same words, their marks changed"


def test_words_whose_marks_went_are_not_followed_into_one_word():
    # "block](@)s" is two words of the old text; "blocks" one word of the new: not the same words.
    old = "Leaf blocks\n\nA sequence of [block](@)s, each on a line.\n\nEnd."
    new = "Leaf blocks\n\nA sequence of blocks, each on a line of its own.\n\nEnd."
    result, landed = anchor(old, new, "[block](@)s,")
    assert result.state == "orphan" or result.reason != "the same words, their marks changed"
