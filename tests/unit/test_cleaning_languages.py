"""Page furniture in more languages and scripts, as real news sites print it, and the article
sentences that only mention the same words."""

import pytest

from workbench.text.cleaning import Block, classify, classify_blocks, plain_key
from workbench.text.extraction import extract_html


@pytest.mark.parametrize("line", [
    "関連記事", "관련기사", "เรื่องที่เกี่ยวข้อง", "Tin liên quan", "Baca juga", "İlgili haberler", "Czytaj także",
    "Lees ook", "Ti potrebbe interessare", "Saistītie raksti", "Läs också", "More Must-Reads From TIME",
    "More stories from the Courier",
])
def test_related_headings_in_many_languages(line):
    assert classify(line) == ("junk", "related or recent news list")


@pytest.mark.parametrize("line", [
    "Informējam, ka LSM portālā tiek izmantotas sīkdatnes. Turpinot lietot šo portālu, Jūs piekrītat.",
    "Bu sitede çerez kullanıyoruz; siteyi kullanarak kabul etmiş olursunuz.",
    "当サイトではクッキーを使用しています。ご利用を続けることで同意したものとみなします。",
])
def test_cookie_notices_in_other_languages(line):
    assert classify(line) == ("junk", "cookie notice")


@pytest.mark.parametrize("line", [
    "［有料会員限定］ この記事は会員限定です。電子版に登録すると続きをお読みいただけます。",
    "有料会員の方のみご利用になれます。",
    "You have read all your free articles this month. Subscribe now for unlimited access.",
])
def test_paywall_prompts_are_dropped_even_when_the_extractor_keeps_them(line):
    assert classify(line, vouched=True) == ("junk", "paywall prompt")


@pytest.mark.parametrize("line", [
    "ログイン", "＞ 新規会員登録", "로그인", "เข้าสู่ระบบ", "Zaloguj się", "Kļūda rakstā?", "コメント", "댓글",
    "Iezīmējiet tekstu un spiediet Ctrl+Enter, lai nosūtītu labojamo teksta fragmentu redaktoram!",
])
def test_controls_and_widgets(line):
    assert classify(line) is not None and classify(line)[0] == "junk"


@pytest.mark.parametrize("line", ["Autori: Anna Ūdre (LTV Ziņu dienesta redaktore)", "Yazar: Ayşe Demir", "著者：山田太郎"])
def test_bylines_named_by_a_word_and_a_colon(line):
    assert classify(line)[0] == "byline"


@pytest.mark.parametrize("sentence", [
    "日経の有料会員数は今年、80万人を超えたと同社は発表した。",
    "Autori del rapporto hanno detto che il porto chiuderà a marzo.",
    "The author said more from the archive would be published next year.",
    "The council said cookies and cakes sold at the fair raised £4,000 for the lifeboat station.",
    "Lees ook het rapport van de gemeente, zei de wethouder op maandag tegen de raad.",
])
def test_article_sentences_with_the_same_words_stay(sentence):
    assert classify(sentence) is None


def test_thai_and_indic_marks_are_part_of_the_key():
    # \w misses the vowel signs these scripts write as separate characters: they must not split words.
    assert plain_key("เรื่องที่เกี่ยวข้อง") == "เรื่องที่เกี่ยวข้อง"
    assert plain_key("नमस्ते, दुनिया।") == "नमस्ते दुनिया"


STORY = [
    "The harbour board voted on Tuesday to close the Eastgate ferry terminal for eight months of repairs.",
    "Engineers found that the steel piles under the pier had corroded far faster than expected.",
    "A temporary landing stage will open at Mill Quay in March, the board said in a statement.",
]
COMMENTS = ["Comentar", "Hace 28 minutos", "What a waste of money, they should have fixed it years ago.",
            "Hace una hora", "I take that ferry every day and nobody asked us what we think about this."]


def _page(body: str) -> str:
    return f"<html><head><meta charset='utf-8'><title>Ferry terminal to close</title></head><body>{body}</body></html>"


def test_readers_comments_after_the_article_are_dropped():
    article = "".join(f"<p>{p}</p>" for p in STORY)
    comments = "".join(f"<p>{c}</p>" for c in COMMENTS)
    result = extract_html(_page(f"<article><h1>Ferry terminal to close</h1>{article}</article>"
                                f"<div class='comments'>{comments}</div>"))
    assert result.kept_text() == "\n\n".join(STORY)
    reasons = {b.text: b.reason for b in result.blocks}
    assert reasons[COMMENTS[2]] in ("readers' comments", "not part of the article (comment box)")


def test_a_column_standing_in_a_commentary_box_is_kept():
    article = "".join(f"<p>{p}</p>" for p in STORY)
    result = extract_html(_page(f"<div class='commentary'><h1>Ferry terminal to close</h1>{article}</div>"))
    assert result.kept_text() == "\n\n".join(STORY)


CAPTIONS = [
    "Children from the Riverside school carried a twelve-metre paper dragon through Market Square on Saturday.",
    "Volunteers spent six weeks building more than 400 lanterns in a disused warehouse near the station.",
]


def _gallery(captions: list[str], paragraphs: list[str]) -> str:
    figures = "".join(f"<figure><img src='/{i}.jpg'><figcaption>{c}</figcaption></figure>" for i, c in enumerate(captions))
    return _page(f"<article><h1>In pictures</h1><p>{paragraphs[0]}</p>{figures}"
                 + "".join(f"<p>{p}</p>" for p in paragraphs[1:]) + "</article>")


def test_a_gallery_keeps_its_captions():
    kept = extract_html(_gallery(CAPTIONS, STORY[:2])).kept_text()
    assert all(c in kept for c in CAPTIONS)


def test_an_article_drops_its_photo_captions():
    long_story = STORY * 4  # the captions are a small part of the page: the extractor's view stands
    kept = extract_html(_gallery(CAPTIONS, [f"{p} ({i})" for i, p in enumerate(long_story)])).kept_text()
    assert not any(c in kept for c in CAPTIONS)


def test_classify_blocks_keeps_a_comment_like_sentence_in_the_article():
    blocks = [Block(STORY[0]), Block("Readers can comment on the plan until Friday, the board said."), Block(STORY[1])]
    classify_blocks(blocks)
    assert all(b.kept for b in blocks)
